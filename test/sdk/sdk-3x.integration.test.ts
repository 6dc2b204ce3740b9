/**
 * The OpenTelemetry JS 3.x line (sdk-logs 3.x, logs API in @opentelemetry/api 1.10) end to
 * end: a real LoggerProvider with our processor and exporter, a real receiver on loopback
 * with an in-memory sink, and every field of every record checked. The 0.2xx line has the
 * same test in test/compat/sdk-0.2xx/ (its own npm project, run by .ci/run).
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDifference } from '../../src/cli/demo-compare';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulLogExporter } from '../../src/exporter/stateful-log-exporter';
import { StatefulLogRecordProcessor } from '../../src/processor/stateful-log-record-processor';
import { startReceiver, type RunningReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import {
  ATTRIBUTE_COUNT_LIMIT,
  RESOURCE_ATTRIBUTES,
  RESOURCE_SCHEMA_URL,
  emitFixture,
  expectedFor,
  fixtureRecords,
} from './sdk-fixture';

describe('OpenTelemetry JS 3.x line -> receiver, every field of every record', () => {
  let receiver: RunningReceiver;
  const sink = new MemorySink();

  beforeAll(async () => {
    receiver = await startReceiver({
      listen: '127.0.0.1:0',
      sink,
      decoderFactory: (l) => new StatefulDecoder({ maxPatterns: l.maxPatterns, maxDictEntries: l.maxDictEntries, maxStateBytes: l.maxStateBytes }),
    });
  });
  afterAll(async () => {
    await receiver.close(100);
  });

  const resource = resourceFromAttributes(RESOURCE_ATTRIBUTES, { schemaUrl: RESOURCE_SCHEMA_URL });

  it.each([
    ['StatefulLogRecordProcessor', (url: string) => new StatefulLogRecordProcessor({ url, maxExportBatchSize: 64 })],
    ['SDK BatchLogRecordProcessor + StatefulLogExporter', (url: string) =>
      new BatchLogRecordProcessor({ exporter: new StatefulLogExporter({ url }), maxExportBatchSize: 64 })],
  ])('%s', async (_name, makeProcessor) => {
    // arrange
    sink.clear();
    const records = fixtureRecords();
    const provider = new LoggerProvider({
      resource,
      logRecordLimits: { attributeCountLimit: ATTRIBUTE_COUNT_LIMIT },
      processors: [makeProcessor(`http://127.0.0.1:${receiver.port}`)],
    });
    // act
    emitFixture(provider, records);
    await provider.shutdown();
    // assert
    expect(sink.records).toHaveLength(records.length);
    const diffs: string[] = [];
    records.forEach((r, i) => {
      const d = findDifference(expectedFor(r), sink.records[i], `record[${i}]`);
      if (d) diffs.push(d);
    });
    expect(diffs).toEqual([]);
  });
});
