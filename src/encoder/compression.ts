/**
 * Batch compression codecs. zstd comes from a WebAssembly build (no native install
 * step, works on every Node we support); gzip from node:zlib.
 */
import zlib from 'node:zlib';
import { diag } from '@opentelemetry/api';
import { Compression } from '../proto/otel_stateful_logs/v1/stateful_logs';
import { createNativeDeflateStream, nativeDeflateUnavailableReason, type NativeDeflateStream } from './native-deflate';

const log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/compression' });

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

// ---- stream compression (a context that persists across the batches of one stream) ----
//
// Measured on the encoded batches of the 8 Loghub-2k files (whole lines, 512 records per
// batch, 4 batches per file) and the large Apache file (111 batches):
//   per batch: gzip-6 195,450 / 202,871 B; zstd-3 202,463 / 212,163; zstd-9 191,207 / 196,293;
//              zstd-19 186,840 / 190,960 (wasm: ~1 MB/s, too slow to keep up)
//   stream:    deflate-6 primed with the previous 32 KiB 181,861 / 175,700 B;
//              zstd-9 primed with the previous 64 KiB 177,779 / 169,964 (wasm, 2-5x slower)
// A batch repeats much of what the previous ones said (templates being widened, shapes,
// the same hosts and dates): priming each batch's deflate with the tail of the stream's
// earlier payloads wins 7-13% over per-batch gzip at native zlib speed.

/** Bytes of earlier payloads that prime the next batch (deflate's whole window). */
export const STREAM_WINDOW = 32 * 1024;

/**
 * The last {@link STREAM_WINDOW} bytes of a stream's payloads, in one buffer kept for the
 * stream: a fresh 32 KiB copy per batch cost ~20 µs, as much as compressing a small batch.
 */
class StreamWindow {
  private buf = new Uint8Array(2 * STREAM_WINDOW);
  private len = 0;

  append(payload: Uint8Array): void {
    if (payload.length >= STREAM_WINDOW) {
      this.buf.set(payload.subarray(payload.length - STREAM_WINDOW), 0);
      this.len = STREAM_WINDOW;
      return;
    }
    if (this.len + payload.length > this.buf.length) {
      const keep = Math.min(this.len, STREAM_WINDOW);
      this.buf.copyWithin(0, this.len - keep, this.len);
      this.len = keep;
    }
    this.buf.set(payload, this.len);
    this.len += payload.length;
  }

  /** The window (a view, valid until the next append). */
  view(): Uint8Array {
    return this.buf.subarray(Math.max(0, this.len - STREAM_WINDOW), this.len);
  }

  get empty(): boolean {
    return this.len === 0;
  }

  clear(): void {
    this.len = 0;
  }
}

/**
 * Which deflate a {@link StreamCompressor} runs: `native` = the addon's context kept for the
 * whole stream (native/src/deflate_stream.rs), `zlib` = node:zlib re-primed per batch, `auto`
 * = native when the addon has it, else zlib. Both give batches the receiver inflates the same
 * way; native skips re-hashing the 32 KiB window for every batch (measured on the large
 * Apache file, 111 batches of 512: 13 ms instead of 23-26 ms, 175,574 B instead of 175,721).
 */
export type StreamDeflateImpl = 'auto' | 'native' | 'zlib';

/**
 * Sender side of `COMPRESSION_DEFLATE_STREAM`: raw deflate of each batch, primed (a
 * preset dictionary) with the last {@link STREAM_WINDOW} bytes of the stream's earlier
 * uncompressed payloads. One instance per stream: compress the batches in the order they
 * are sent, and `reset()` when a new stream starts (the snapshot batch is then the first
 * one, and replayed batches are compressed again in their new order).
 */
export class StreamCompressor {
  private readonly history = new StreamWindow();
  private native: NativeDeflateStream | undefined;

  /**
   * @param level zlib level, default 6.
   * @param impl `native` throws when the addon has no deflate context; see {@link StreamDeflateImpl}.
   */
  constructor(
    readonly level = 6,
    impl: StreamDeflateImpl = 'auto',
  ) {
    if (impl !== 'zlib') this.native = createNativeDeflateStream(level);
    if (impl === 'native' && this.native === undefined) throw new Error(`deflate-stream: ${nativeDeflateUnavailableReason()}`);
  }

  /** The deflate in use now (`native` turns into `zlib` for good if the addon ever fails). */
  get impl(): 'native' | 'zlib' {
    return this.native !== undefined ? 'native' : 'zlib';
  }

  compress(payload: Uint8Array): Uint8Array {
    let out: Uint8Array | undefined;
    if (this.native !== undefined) {
      try {
        out = this.native.compress(payload);
      } catch (err) {
        // The native context is lost, but the window the receiver primes with is ours too:
        // carry on with node:zlib from this batch, nothing resent.
        log.warn(`native deflate failed, node:zlib takes over for this stream: ${(err as Error).message}`);
        this.native = undefined;
      }
    }
    out ??= zlib.deflateRawSync(payload, this.history.empty ? { level: this.level } : { level: this.level, dictionary: this.history.view() });
    this.history.append(payload);
    return out;
  }

  reset(): void {
    this.history.clear();
    this.native?.reset();
  }
}

/**
 * Receiver side of `COMPRESSION_DEFLATE_STREAM`: one instance per stream, batches in
 * stream order. After an error the stream's context is lost: close the stream.
 */
export class StreamDecompressor {
  private readonly history = new StreamWindow();

  /** Inflates one batch, refusing output larger than `maxBytes`. */
  decompress(data: Uint8Array, maxBytes: number): Uint8Array {
    const opts = this.history.empty ? { maxOutputLength: maxBytes } : { maxOutputLength: maxBytes, dictionary: this.history.view() };
    const out = zlib.inflateRawSync(data, opts);
    this.history.append(out);
    return out;
  }

  reset(): void {
    this.history.clear();
  }
}

/** What a stream's sender needs: every codec behind one per-stream object. */
export interface StreamEncoderCodec {
  /** The value for StatefulBatch.compression. */
  readonly wire: Compression;
  /** Compresses the next batch of this stream (call in send order). */
  compress(payload: Uint8Array): Uint8Array;
  /** A new stream starts: forget the context (no-op for per-batch codecs). */
  reset(): void;
}

/** What a stream's receiver needs, for whatever compression the batches say. */
export interface StreamDecoderCodec {
  decompress(compression: Compression, data: Uint8Array, maxBytes: number): Uint8Array;
  reset(): void;
}

/**
 * One object per stream on the sender: `deflate-stream` keeps its context across the
 * stream's batches, the per-batch codecs (`none`, `gzip`, `zstd`) are stateless. Create it
 * (or `reset()` it) when a stream opens, before the snapshot batch.
 */
export function createStreamEncoderCodec(name: CodecName | 'deflate-stream', level?: number): StreamEncoderCodec {
  if (name === 'deflate-stream') {
    const c = new StreamCompressor(level ?? 6);
    return { wire: Compression.COMPRESSION_DEFLATE_STREAM, compress: (p) => c.compress(p), reset: () => c.reset() };
  }
  return { wire: codecToWire(name), compress: (p) => compress(name, p, level), reset: () => {} };
}

/** One object per stream on the receiver; batches must be passed in stream order. */
export function createStreamDecoderCodec(): StreamDecoderCodec {
  const d = new StreamDecompressor();
  return {
    decompress(compression, data, maxBytes) {
      if (compression === Compression.COMPRESSION_DEFLATE_STREAM) return d.decompress(data, maxBytes);
      return decompress(codecFromWire(compression), data, maxBytes);
    },
    reset: () => d.reset(),
  };
}
