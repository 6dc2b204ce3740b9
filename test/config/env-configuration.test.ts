import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagLogLevel } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEnvConfiguration } from '../../src/config/env-configuration';
import { captureDiag, type DiagCapture } from '../helpers/diag-capture';

// One test per environment rule; each asserts the value read and the warnings produced.
describe('readEnvConfiguration', () => {
  let cap: DiagCapture;
  beforeEach(() => { cap = captureDiag(); });
  afterEach(() => cap.restore());

  it('returns nothing for an empty environment and never throws', () => {
    expect(readEnvConfiguration({})).toEqual({});
    expect(cap.warn).toEqual([]);
  });

  it('treats blank values as unset', () => {
    expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_TIMEOUT: '  ', OTEL_BLRP_MAX_QUEUE_SIZE: '' })).toEqual({});
    expect(cap.warn).toEqual([]);
  });

  describe('ENDPOINT', () => {
    it('reads OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT: 'https://intake:4327' }).url).toBe('https://intake:4327');
    });
    it('does not fall back to the OTLP endpoints (they do not speak this protocol)', () => {
      const env = { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' };
      expect(readEnvConfiguration(env).url).toBeUndefined();
    });
    it('warns once and ignores an invalid endpoint', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT: 'ftp://x:1' }).url).toBeUndefined();
      expect(cap.warn).toHaveLength(1);
      expect(cap.warn[0]).toContain('OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT');
    });
  });

  describe('HEADERS', () => {
    it('parses k=v pairs with percent-decoding', () => {
      const c = readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_HEADERS: 'authorization=Bearer%20abc, x-team = logs' });
      expect(c.headers).toEqual({ authorization: 'Bearer abc', 'x-team': 'logs' });
    });
    it('falls back to OTEL_EXPORTER_OTLP_LOGS_HEADERS, then OTEL_EXPORTER_OTLP_HEADERS', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'a=1', OTEL_EXPORTER_OTLP_HEADERS: 'b=2' }).headers).toEqual({ a: '1' });
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_HEADERS: 'b=2' }).headers).toEqual({ b: '2' });
    });
    it('the specific name wins over both fallbacks', () => {
      const env = { OTEL_EXPORTER_STATEFUL_LOGS_HEADERS: 's=1', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'a=1', OTEL_EXPORTER_OTLP_HEADERS: 'b=2' };
      expect(readEnvConfiguration(env).headers).toEqual({ s: '1' });
    });
    it('a malformed value warns once and falls through to the next name', () => {
      const c = readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_HEADERS: 'novalue', OTEL_EXPORTER_OTLP_HEADERS: 'b=2' });
      expect(c.headers).toEqual({ b: '2' });
      expect(cap.warn).toHaveLength(1);
      expect(cap.warn[0]).toMatch(/OTEL_EXPORTER_STATEFUL_LOGS_HEADERS.*not key=value/);
    });
  });

  describe('TIMEOUT', () => {
    it('reads a positive number of milliseconds', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_TIMEOUT: '2500' }).timeoutMillis).toBe(2500);
    });
    it('falls back to the OTLP names', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '700' }).timeoutMillis).toBe(700);
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_TIMEOUT: '800' }).timeoutMillis).toBe(800);
    });
    it('warns on 0, negative or non-numeric values', () => {
      for (const bad of ['0', '-5', 'soon']) {
        expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_TIMEOUT: bad }).timeoutMillis).toBeUndefined();
      }
      expect(cap.warn).toHaveLength(3);
    });
  });

  describe('COMPRESSION', () => {
    it('accepts none, gzip and zstd, case-insensitively', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_COMPRESSION: 'ZSTD' }).compression).toBe('zstd');
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_COMPRESSION: 'none' }).compression).toBe('none');
    });
    it('falls back to the OTLP names (which know gzip and none)', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'gzip' }).compression).toBe('gzip');
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_COMPRESSION: 'none' }).compression).toBe('none');
    });
    it('warns on an unknown codec', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_COMPRESSION: 'brotli' }).compression).toBeUndefined();
      expect(cap.warn[0]).toContain('none, gzip or zstd');
    });
  });

  describe('INSECURE', () => {
    it('reads true/false case-insensitively', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_INSECURE: 'TRUE' }).insecure).toBe(true);
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_INSECURE: 'false' }).insecure).toBe(false);
    });
    it('falls back to the OTLP names', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_LOGS_INSECURE: 'true' }).insecure).toBe(true);
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_INSECURE: 'true' }).insecure).toBe(true);
    });
    it('warns on anything else', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_INSECURE: 'yes' }).insecure).toBeUndefined();
      expect(cap.warn).toHaveLength(1);
    });
  });

  describe('CERTIFICATE, CLIENT_KEY, CLIENT_CERTIFICATE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osl-env-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'CA PEM');
    writeFileSync(join(dir, 'key.pem'), 'KEY PEM');
    writeFileSync(join(dir, 'cert.pem'), 'CERT PEM');

    it('reads the files named by the variables', () => {
      const c = readEnvConfiguration({
        OTEL_EXPORTER_STATEFUL_LOGS_CERTIFICATE: ca,
        OTEL_EXPORTER_STATEFUL_LOGS_CLIENT_KEY: join(dir, 'key.pem'),
        OTEL_EXPORTER_STATEFUL_LOGS_CLIENT_CERTIFICATE: join(dir, 'cert.pem'),
      });
      expect(Buffer.from(c.rootCertificate!).toString()).toBe('CA PEM');
      expect(Buffer.from(c.clientKey!).toString()).toBe('KEY PEM');
      expect(Buffer.from(c.clientCertificate!).toString()).toBe('CERT PEM');
    });
    it('falls back to the OTLP names', () => {
      expect(Buffer.from(readEnvConfiguration({ OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: ca }).rootCertificate!).toString()).toBe('CA PEM');
      expect(Buffer.from(readEnvConfiguration({ OTEL_EXPORTER_OTLP_CLIENT_KEY: join(dir, 'key.pem') }).clientKey!).toString()).toBe('KEY PEM');
    });
    it('warns once for a missing file', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_CERTIFICATE: join(dir, 'nope.pem') }).rootCertificate).toBeUndefined();
      expect(cap.warn).toHaveLength(1);
      expect(cap.warn[0]).toContain('cannot read the file');
    });
  });

  describe('OTEL_BLRP_*', () => {
    it('reads the four batch settings', () => {
      const c = readEnvConfiguration({
        OTEL_BLRP_MAX_QUEUE_SIZE: '100',
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '10',
        OTEL_BLRP_SCHEDULE_DELAY: '0',
        OTEL_BLRP_EXPORT_TIMEOUT: '5000',
      });
      expect(c).toMatchObject({ maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMillis: 0, exportTimeoutMillis: 5000 });
    });
    it('warns on invalid sizes and delays', () => {
      const c = readEnvConfiguration({
        OTEL_BLRP_MAX_QUEUE_SIZE: '0',
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '1.5',
        OTEL_BLRP_SCHEDULE_DELAY: '-1',
        OTEL_BLRP_EXPORT_TIMEOUT: 'x',
      });
      expect(c).toEqual({});
      expect(cap.warn).toHaveLength(4);
    });
  });

  describe('resource', () => {
    it('reads OTEL_RESOURCE_ATTRIBUTES with percent-decoded values', () => {
      const c = readEnvConfiguration({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=a%2Cb' });
      expect(c.resourceAttributes).toEqual({ 'deployment.environment': 'prod', team: 'a,b' });
    });
    it('OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
      const c = readEnvConfiguration({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=x,k=v', OTEL_SERVICE_NAME: 'checkout' });
      expect(c.resourceAttributes).toEqual({ 'service.name': 'checkout', k: 'v' });
    });
    it('a malformed OTEL_RESOURCE_ATTRIBUTES warns and is ignored', () => {
      const c = readEnvConfiguration({ OTEL_RESOURCE_ATTRIBUTES: 'broken', OTEL_SERVICE_NAME: 'svc' });
      expect(c.resourceAttributes).toEqual({ 'service.name': 'svc' });
      expect(cap.warn).toHaveLength(1);
    });
  });

  describe('TAG_ATTRIBUTES / UNTAGGED_ATTRIBUTES', () => {
    it('reads comma-separated keys, trimmed, blank entries and duplicates dropped', () => {
      const c = readEnvConfiguration({
        OTEL_EXPORTER_STATEFUL_LOGS_TAG_ATTRIBUTES: ' deployment.environment , http.route,,http.route',
        OTEL_EXPORTER_STATEFUL_LOGS_UNTAGGED_ATTRIBUTES: 'request.id,user.id',
      });
      expect(c.tagAttributes).toEqual(['deployment.environment', 'http.route']);
      expect(c.untaggedAttributes).toEqual(['request.id', 'user.id']);
      expect(cap.warn).toEqual([]);
    });
    it('a list without any key warns once and is ignored', () => {
      const c = readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_UNTAGGED_ATTRIBUTES: ' , ,' });
      expect(c.untaggedAttributes).toBeUndefined();
      expect(cap.warn).toHaveLength(1);
      expect(cap.warn[0]).toContain('OTEL_EXPORTER_STATEFUL_LOGS_UNTAGGED_ATTRIBUTES');
    });
    it('a key in both variables warns once and both are ignored', () => {
      const c = readEnvConfiguration({
        OTEL_EXPORTER_STATEFUL_LOGS_TAG_ATTRIBUTES: 'a,b',
        OTEL_EXPORTER_STATEFUL_LOGS_UNTAGGED_ATTRIBUTES: 'b,c',
      });
      expect(c.tagAttributes).toBeUndefined();
      expect(c.untaggedAttributes).toBeUndefined();
      expect(cap.warn).toHaveLength(1);
      expect(cap.warn[0]).toMatch(/TAG_ATTRIBUTES.*UNTAGGED_ATTRIBUTES.*"b"/);
    });
    it('has no OTLP fallback names', () => {
      expect(readEnvConfiguration({ OTEL_EXPORTER_OTLP_TAG_ATTRIBUTES: 'a', OTEL_EXPORTER_OTLP_LOGS_UNTAGGED_ATTRIBUTES: 'b' })).toEqual({});
    });
  });

  describe('OTEL_LOG_LEVEL', () => {
    it('maps level names case-insensitively', () => {
      expect(readEnvConfiguration({ OTEL_LOG_LEVEL: 'debug' }).logLevel).toBe(DiagLogLevel.DEBUG);
      expect(readEnvConfiguration({ OTEL_LOG_LEVEL: 'NONE' }).logLevel).toBe(DiagLogLevel.NONE);
    });
    it('warns on an unknown level', () => {
      expect(readEnvConfiguration({ OTEL_LOG_LEVEL: 'loud' }).logLevel).toBeUndefined();
      expect(cap.warn).toHaveLength(1);
    });
  });
});
