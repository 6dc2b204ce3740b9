/**
 * Real SDK records (getter objects over private fields) -> toLogRecordData -> encode ->
 * decode: every field the SDK record carries comes back.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { toLogRecordData } from '../../src/encoder/record-convert';
import { StatefulEncoder } from '../../src/encoder/stateful-encoder';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';

describe('SDK records round trip', () => {
  it('copies every field of a ReadableLogRecord and survives encode/decode', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'svc', 'host.name': 'h1' }),
      // sdk-logs 3.x takes options; the export itself settles a tick later
      processors: [new SimpleLogRecordProcessor({ exporter } as never)],
    });
    const logger = provider.getLogger('lib', '1.2.3', { schemaUrl: 'https://schema/1' });
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
    // no context manager is registered in tests: pass the context explicitly
    logger.emit({
      body: 'user 42 logged in', severityNumber: SeverityNumber.INFO, severityText: 'INFO',
      attributes: { user: 42, ok: true, tags: ['a', 'b'] }, timestamp: [1_700_000_000, 123_456_789],
      context: trace.setSpan(ROOT_CONTEXT, span),
    });
    logger.emit({ body: { structured: { n: 1 } }, attributes: {}, eventName: 'evt' });
    await provider.forceFlush();
    await new Promise((r) => setImmediate(r));
    const sdkRecords = exporter.getFinishedLogRecords();
    expect(sdkRecords).toHaveLength(2);
    const data = sdkRecords.map(toLogRecordData);
    const first = data[0]!;
    expect(first.hrTime).toEqual([1_700_000_000, 123_456_789]);
    expect(first.body).toBe('user 42 logged in');
    expect(first.severityNumber).toBe(SeverityNumber.INFO);
    expect(first.attributes).toEqual({ user: 42, ok: true, tags: ['a', 'b'] });
    expect(first.resource.attributes['service.name']).toBe('svc');
    expect(first.scope).toEqual({ name: 'lib', version: '1.2.3', schemaUrl: 'https://schema/1' });
    expect(first.spanContext).toEqual({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
    expect(data[1]!.eventName).toBe('evt');
    // the SDK's getters read the same values
    expect(first.hrTimeObserved).toEqual(sdkRecords[0]!.hrTimeObserved);
    const decoded = new StatefulDecoder().decode(new StatefulEncoder().encode(data).payload);
    expect(decoded).toHaveLength(2);
    for (let i = 0; i < 2; i++) expect(isDeepStrictEqual(decoded[i], data[i])).toBe(true);
    await provider.shutdown();
  });
});
