/**
 * The deflate-stream context of the native addon (native/src/deflate_stream.rs): one deflate
 * state kept for a whole stream, where node:zlib has to re-prime a fresh deflate with the
 * stream's last 32 KiB for every batch (Node has no synchronous streaming zlib). Its batches
 * inflate exactly like the TypeScript ones (raw deflate, the stream's earlier 32 KiB as the
 * preset dictionary), so the receiver does not know which side compressed.
 *
 * Optional like the native tokenizer: without the addon (or with an addon built before it
 * had the context) {@link createNativeDeflateStream} answers `undefined`.
 */
import { requireNativeAddon } from './native-tokenizer';

/** One stream's deflate context in the addon. */
export interface NativeDeflateStream {
  /** Compresses the next batch (call in send order); throws if deflate fails. */
  compress(input: Uint8Array): Uint8Array;
  /** A new stream starts: forget the context. */
  reset(): void;
}

type DeflateStreamCtor = new (level?: number | null) => NativeDeflateStream;

/** The addon's DeflateStream class, or why there is none. */
function loadDeflateStream(): { ok: true; ctor: DeflateStreamCtor } | { ok: false; reason: string } {
  const addon = requireNativeAddon();
  if (!addon.ok) return { ok: false, reason: `native addon not loaded (${addon.error.message.split('\n')[0]})` };
  const ctor = addon.exports.DeflateStream;
  if (typeof ctor !== 'function') {
    return { ok: false, reason: `native addon at ${addon.path} has no DeflateStream: rebuild it with \`npm run build:native\`` };
  }
  return { ok: true, ctor: ctor as DeflateStreamCtor };
}

/** Why the native context is not available, or `undefined` when it is. */
export function nativeDeflateUnavailableReason(): string | undefined {
  const loaded = loadDeflateStream();
  return loaded.ok ? undefined : loaded.reason;
}

/** A new native context at zlib `level` (0-9), or `undefined` when the addon lacks one. */
export function createNativeDeflateStream(level: number): NativeDeflateStream | undefined {
  const loaded = loadDeflateStream();
  return loaded.ok ? new loaded.ctor(level) : undefined;
}
