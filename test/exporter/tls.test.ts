/**
 * NOTE: wiring of the TLS options and their env variables (CERTIFICATE, CLIENT_KEY,
 * CLIENT_CERTIFICATE, with the OTLP fallbacks) into the transport, against a real TLS
 * receiver. Certificates are generated with openssl at test time (skipped without it).
 */
import { join } from 'node:path';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StatefulLogExporter, type ExportResult } from '../../src/exporter/stateful-log-exporter';
import { startReceiver, type RunningReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import { generateTestCerts, hasOpenssl, type TestCerts } from '../fixtures/certs/generate';
import { captureDiag } from '../helpers/diag-capture';

const haveOpenssl = hasOpenssl();
if (!haveOpenssl) console.warn('openssl not found: TLS exporter tests skipped');

function records(n: number): ReadableLogRecord[] {
  const out: ReadableLogRecord[] = [];
  const capture: LogRecordProcessor = { onEmit: (r) => { out.push(r); }, forceFlush: async () => {}, shutdown: async () => {} };
  const logger = new LoggerProvider({ processors: [capture] }).getLogger('tls');
  for (let i = 0; i < n; i++) logger.emit({ body: `secure line ${i}` });
  return out;
}
const exportAsync = (e: StatefulLogExporter, rs: ReadableLogRecord[]) => new Promise<ExportResult>((r) => e.export(rs, r));

describe.skipIf(!haveOpenssl)('StatefulLogExporter over TLS (wiring)', () => {
  let certs: TestCerts;
  let tls: RunningReceiver;
  let mtls: RunningReceiver;
  const tlsSink = new MemorySink();
  const mtlsSink = new MemorySink();
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    certs = generateTestCerts();
    tls = await startReceiver({ listen: '127.0.0.1:0', sink: tlsSink, tls: { cert: certs.serverCert, key: certs.serverKey } });
    mtls = await startReceiver({ listen: '127.0.0.1:0', sink: mtlsSink, tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } });
  });
  afterAll(async () => {
    await tls.close(100);
    await mtls.close(100);
    certs.cleanup();
  });
  afterEach(() => {
    process.env = { ...savedEnv };
    tlsSink.clear();
    mtlsSink.clear();
  });

  it('https:// with rootCertificate in code', async () => {
    const e = new StatefulLogExporter({ url: `https://localhost:${tls.port}`, rootCertificate: certs.ca });
    expect((await exportAsync(e, records(3))).code).toBe(0);
    await e.shutdown();
    expect(tlsSink.records.map((r) => r.body)).toEqual(['secure line 0', 'secure line 1', 'secure line 2']);
  });

  it('env only: the CA file through the OTLP fallback name', async () => {
    process.env.OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT = `https://localhost:${tls.port}`;
    process.env.OTEL_EXPORTER_OTLP_CERTIFICATE = certs.caPath;
    const e = new StatefulLogExporter();
    await exportAsync(e, records(2));
    await e.shutdown();
    expect(tlsSink.records).toHaveLength(2);
  });

  it('mutual TLS: client key and certificate files from env', async () => {
    process.env.OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT = `https://localhost:${mtls.port}`;
    process.env.OTEL_EXPORTER_STATEFUL_LOGS_CERTIFICATE = certs.caPath;
    process.env.OTEL_EXPORTER_STATEFUL_LOGS_CLIENT_KEY = join(certs.dir, 'client.key');
    process.env.OTEL_EXPORTER_STATEFUL_LOGS_CLIENT_CERTIFICATE = join(certs.dir, 'client.pem');
    const e = new StatefulLogExporter();
    await exportAsync(e, records(2));
    await e.shutdown();
    expect(mtlsSink.records).toHaveLength(2);
  });

  it('an untrusted server certificate: nothing delivered, and shutdown says so', async () => {
    const cap = captureDiag();
    try {
      const e = new StatefulLogExporter({ url: `https://localhost:${tls.port}`, rootCertificate: certs.otherCa, timeoutMillis: 300, exportTimeoutMillis: 800 });
      await exportAsync(e, records(2));
      await e.shutdown();
      expect(tlsSink.records).toHaveLength(0);
      expect(e.stats().transport.droppedRecords).toBe(2);
      expect(cap.warn.join('\n')).toMatch(/2 of 2 records were not delivered/);
    } finally {
      cap.restore();
    }
  });
});
