/**
 * Batch compression codecs. zstd comes from a WebAssembly build (no native install
 * step, works on every Node we support); gzip from node:zlib.
 */
import zlib from 'node:zlib';
import { Compression } from '../proto/otel_stateful_logs/v1/stateful_logs';

export type CodecName = 'none' | 'zstd' | 'gzip';

// The wasm module must be instantiated once before the sync calls below work.
let zstd: typeof import('@bokuweb/zstd-wasm') | undefined;
let zstdInit: Promise<void> | undefined;

/** Loads the zstd codec; call (and await) once before compressing with zstd. */
export function initCompression(): Promise<void> {
  if (!zstdInit) {
    zstdInit = (async () => {
      const mod = await import('@bokuweb/zstd-wasm');
      await mod.init();
      zstd = mod;
    })();
  }
  return zstdInit;
}

export function isCompressionReady(): boolean {
  return zstd !== undefined;
}

export function codecToWire(name: CodecName): Compression {
  switch (name) {
    case 'none': return Compression.COMPRESSION_NONE;
    case 'zstd': return Compression.COMPRESSION_ZSTD;
    case 'gzip': return Compression.COMPRESSION_GZIP;
  }
}

export function codecFromWire(c: Compression): CodecName {
  switch (c) {
    case Compression.COMPRESSION_NONE: return 'none';
    case Compression.COMPRESSION_ZSTD: return 'zstd';
    case Compression.COMPRESSION_GZIP: return 'gzip';
    default: throw new Error(`unknown compression ${String(c)}`);
  }
}

export function compress(codec: CodecName, data: Uint8Array, level?: number): Uint8Array {
  switch (codec) {
    case 'none': return data;
    case 'gzip': return zlib.gzipSync(data, { level: level ?? 6 });
    case 'zstd':
      if (!zstd) throw new Error('zstd codec not initialised: await initCompression() first');
      return zstd.compress(data, level ?? 3);
  }
}

/** Decompresses, refusing output larger than `maxBytes` (a malformed or hostile frame). */
export function decompress(codec: CodecName, data: Uint8Array, maxBytes: number): Uint8Array {
  let out: Uint8Array;
  switch (codec) {
    case 'none': out = data; break;
    case 'gzip': out = zlib.gunzipSync(data, { maxOutputLength: maxBytes }); break;
    case 'zstd':
      if (!zstd) throw new Error('zstd codec not initialised: await initCompression() first');
      out = zstd.decompress(data);
      break;
  }
  if (out.byteLength > maxBytes) throw new RangeError(`decompressed size ${out.byteLength} exceeds limit ${maxBytes}`);
  return out;
}
