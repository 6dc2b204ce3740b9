/**
 * The attribute-to-tag mapping end to end: a real LoggerProvider with the SDK's
 * BatchLogRecordProcessor and our exporter, a real receiver on loopback. The receiver gets
 * every record identical whatever the mapping; what changes is which values the stream's
 * dictionary defines (read from the payloads the receiver decoded) and the encoder's count.
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDifference } from '../../src/cli/demo-compare';
import { readEnvConfiguration } from '../../src/config/env-configuration';
import type { LogRecordData } from '../../src/encoder/log-record';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulLogExporter, type StatefulLogExporterConfig } from '../../src/exporter/stateful-log-exporter';
import { DatumSequence } from '../../src/proto/otel_stateful_logs/v1/stateful_logs';
import { startReceiver, type RunningReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';

/** Every payload the receiver decoded (uncompressed DatumSequences). */
const payloads: Uint8Array[] = [];

class RecordingDecoder extends StatefulDecoder {
  override decode(payload: Uint8Array): LogRecordData[] {
    payloads.push(payload.slice());
    return super.decode(payload);
  }
}

/** Letters only, so a value's shape is the value itself (no digit runs taken out). */
function letters(n: number): string {
  let s = '';
  do {
    s += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

const ENVS = ['production-eu-west', 'production-us-east', 'staging-eu-central'];
/** Seen once in the whole stream: only a tag key gets it a dictionary entry. */
const CANARY = 'canary-eu-west-unique';

function attributesOf(i: number): Record<string, string | number> {
  return {
    'deployment.environment': i === 150 ? CANARY : ENVS[i % 3]!,
    // 40 request ids cycling: each comes back several times, not in a row
    'request.id': `request-${letters(i % 40)}-xyz`,
    attempt: 1 + (i % 2),
  };
}

const N = 400;

function expected(i: number): LogRecordData {
  const t: [number, number] = [1_764_000_000 + Math.floor(i / 10), (i * 1_000_003) % 1_000_000_000];
  return {
    hrTime: t,
    hrTimeObserved: t,
    severityNumber: 9,
    severityText: 'INFO',
    body: `order ${i} shipped to warehouse ${i % 5}`,
    attributes: attributesOf(i),
    droppedAttributesCount: 0,
    resource: { attributes: { 'service.name': 'tags' } },
    scope: { name: 'tag-test' },
  };
}

interface RunResult {
  texts: string[];
  setsWithRequestId: number;
  dictDefines: number;
}

describe('attribute-to-tag mapping through the SDK', () => {
  let receiver: RunningReceiver;
  const sink = new MemorySink();

  beforeAll(async () => {
    receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory: () => new RecordingDecoder() });
  });
  afterAll(async () => {
    await receiver.close(100);
  });

  async function run(config: StatefulLogExporterConfig, env: Record<string, string> = {}): Promise<RunResult> {
    sink.clear();
    payloads.length = 0;
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${receiver.port}`, ...config }, readEnvConfiguration(env));
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'tags' }),
      processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 64, scheduledDelayMillis: 10 })],
    });
    const logger = provider.getLogger('tag-test');
    for (let i = 0; i < N; i++) {
      const e = expected(i);
      logger.emit({ timestamp: e.hrTime, observedTimestamp: e.hrTimeObserved, severityNumber: 9, severityText: 'INFO', body: e.body, attributes: e.attributes });
    }
    await provider.shutdown();
    // every record arrives identical
    expect(sink.records).toHaveLength(N);
    const diffs: string[] = [];
    for (let i = 0; i < N; i++) {
      const d = findDifference(expected(i), sink.records[i], `record[${i}]`);
      if (d) diffs.push(d);
    }
    expect(diffs).toEqual([]);
    const texts: string[] = [];
    let setsWithRequestId = 0;
    for (const p of payloads) {
      for (const d of DatumSequence.decode(p).data) {
        if (d.kind?.$case !== 'dictEntryDefine') continue;
        const v = d.kind.dictEntryDefine.value;
        if (v?.$case === 'text') texts.push(v.text);
        if (v?.$case === 'attributes' && v.attributes.attributes.some((kv) => kv.key === 'request.id')) setsWithRequestId++;
      }
    }
    return { texts, setsWithRequestId, dictDefines: exporter.stats().encoder.dictDefines };
  }

  it('default (lazy), then tag/untagged from code options and from the environment', async () => {
    const lazy = await run({});
    // default: repeating request ids reach the dictionary, a value seen once does not
    expect(lazy.texts.filter((t) => t.startsWith('request-')).length).toBeGreaterThan(0);
    expect(lazy.texts).not.toContain(CANARY);

    const code = await run({ tagAttributes: ['deployment.environment'], untaggedAttributes: ['request.id'] });
    const fromEnv = await run({}, {
      OTEL_EXPORTER_STATEFUL_LOGS_TAG_ATTRIBUTES: 'deployment.environment',
      OTEL_EXPORTER_STATEFUL_LOGS_UNTAGGED_ATTRIBUTES: 'request.id',
    });
    for (const r of [code, fromEnv]) {
      for (const env of [...ENVS, CANARY]) expect(r.texts).toContain(env);
      expect(r.texts.filter((t) => t.startsWith('request-'))).toEqual([]);
      expect(r.setsWithRequestId).toBe(0);
      // the dictionary count follows: no request ids defined, fewer defines than the lazy run
      expect(r.dictDefines).toBeLessThan(lazy.dictDefines);
    }
    expect(fromEnv.dictDefines).toBe(code.dictDefines);
  });

  it('a key in both code lists is rejected at construction, naming the option', () => {
    expect(() => new StatefulLogExporter({ url: 'http://127.0.0.1:1', tagAttributes: ['a'], untaggedAttributes: ['a'] }, {})).toThrow(/'untaggedAttributes'/);
  });
});
