import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfiguration } from '../../src/config/resolve-configuration';
import { captureDiag, type DiagCapture } from '../helpers/diag-capture';

describe('resolveConfiguration: code > env > defaults', () => {
  let cap: DiagCapture;
  beforeEach(() => { cap = captureDiag(); });
  afterEach(() => cap.restore());

  it('defaults when nothing is given', () => {
    const c = resolveConfiguration(undefined, {});
    expect(c).toMatchObject({
      url: 'http://localhost:4327', address: 'localhost:4327', secure: false, headers: {},
      timeoutMillis: 10000, compression: 'deflate-stream', maxQueueSize: 2048, maxExportBatchSize: 512,
      scheduledDelayMillis: 1000, exportTimeoutMillis: 30000, tls: {},
    });
    expect(cap.warn).toEqual([]);
  });

  it('env overrides defaults and code overrides env, option by option', () => {
    const env = { url: 'https://env:1', timeoutMillis: 5, compression: 'gzip' as const, maxQueueSize: 50, headers: { a: 'env' } };
    const c = resolveConfiguration({ timeoutMillis: 7, headers: { b: 'code' } }, env);
    expect(c.url).toBe('https://env:1');
    expect(c.timeoutMillis).toBe(7);
    expect(c.compression).toBe('gzip');
    expect(c.maxQueueSize).toBe(50);
    expect(c.headers).toEqual({ b: 'code' });
  });

  it('http:// is plaintext, https:// is TLS, no scheme follows insecure', () => {
    expect(resolveConfiguration({ url: 'http://h:1' }, {}).secure).toBe(false);
    expect(resolveConfiguration({ url: 'https://h:1' }, { insecure: true }).secure).toBe(true);
    expect(resolveConfiguration({ url: 'h:1' }, {}).secure).toBe(true);
    expect(resolveConfiguration({ url: 'h:1' }, { insecure: true }).secure).toBe(false);
    expect(resolveConfiguration({ url: 'h:1', insecure: false }, { insecure: true }).secure).toBe(true);
  });

  it('reduces the URL to host:port and warns about a path', () => {
    const c = resolveConfiguration({ url: 'https://intake.example.com/v1/logs' }, {});
    expect(c.address).toBe('intake.example.com:443');
    expect(cap.warn).toHaveLength(1);
  });

  it('passes unix: sockets through', () => {
    expect(resolveConfiguration({ url: 'unix:///tmp/s.sock' }, {}).address).toBe('unix:///tmp/s.sock');
  });

  it('clamps maxExportBatchSize to maxQueueSize with a warning', () => {
    const c = resolveConfiguration({ maxQueueSize: 10 }, { maxExportBatchSize: 100 });
    expect(c.maxExportBatchSize).toBe(10);
    expect(cap.warn[0]).toContain('maxExportBatchSize');
  });

  it('drops a client key given without its certificate, with a warning', () => {
    const c = resolveConfiguration({ clientKey: Buffer.from('k') }, {});
    expect(c.tls).toEqual({});
    expect(cap.warn).toHaveLength(1);
  });

  it('attribute lists: none by default, code over env, each list on its own', () => {
    expect(resolveConfiguration(undefined, {})).toMatchObject({ tagAttributes: [], untaggedAttributes: [] });
    const c = resolveConfiguration({ tagAttributes: ['code'] }, { tagAttributes: ['env'], untaggedAttributes: ['rid'] });
    expect(c.tagAttributes).toEqual(['code']);
    expect(c.untaggedAttributes).toEqual(['rid']);
    expect(cap.warn).toEqual([]);
  });

  it('a key in a code list and in the other list from the environment stays in the code list, with a warning', () => {
    const c = resolveConfiguration({ untaggedAttributes: ['user.id'] }, { tagAttributes: ['user.id', 'env'] });
    expect(c.untaggedAttributes).toEqual(['user.id']);
    expect(c.tagAttributes).toEqual(['env']);
    expect(cap.warn).toHaveLength(1);
    expect(cap.warn[0]).toContain('"user.id"');
    const d = resolveConfiguration({ tagAttributes: ['user.id'] }, { untaggedAttributes: ['user.id', 'rid'] });
    expect(d.tagAttributes).toEqual(['user.id']);
    expect(d.untaggedAttributes).toEqual(['rid']);
  });

  it('a key in both code lists throws naming the option', () => {
    expect(() => resolveConfiguration({ tagAttributes: ['a', 'b'], untaggedAttributes: ['b'] }, {})).toThrow(/option 'untaggedAttributes' names "b", which is also in 'tagAttributes'/);
  });

  it.each([
    [{ tagAttributes: 'http.route' }, 'tagAttributes'],
    [{ tagAttributes: [''] }, 'tagAttributes'],
    [{ untaggedAttributes: ['ok', 7] }, 'untaggedAttributes'],
    [{ untaggedAttributes: null }, 'untaggedAttributes'],
    [{ url: 'ftp://x:1' }, 'url'],
    [{ url: '' }, 'url'],
    [{ timeoutMillis: 0 }, 'timeoutMillis'],
    [{ timeoutMillis: Number.NaN }, 'timeoutMillis'],
    [{ maxQueueSize: 1.5 }, 'maxQueueSize'],
    [{ maxExportBatchSize: -1 }, 'maxExportBatchSize'],
    [{ scheduledDelayMillis: -1 }, 'scheduledDelayMillis'],
    [{ exportTimeoutMillis: 0 }, 'exportTimeoutMillis'],
    [{ compression: 'brotli' }, 'compression'],
    [{ insecure: 'yes' }, 'insecure'],
    [{ headers: { a: 1 } }, 'headers'],
    [{ rootCertificate: '/path/ca.pem' }, 'rootCertificate'],
  ])('a bad code value %j throws naming %s', (opts, name) => {
    expect(() => resolveConfiguration(opts as never, {})).toThrow(new RegExp(`option '${name}'`));
  });
});
