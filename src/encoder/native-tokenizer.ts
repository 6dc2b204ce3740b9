/**
 * The native tokenizer (native/, Rust via napi-rs): loading the addon and reading its
 * FlatBuffers batch result (native/tokenize_result.fbs) into {@link TokenList}s.
 *
 * The addon is optional. {@link loadNativeTokenizer} never throws: when the addon is not built
 * for this platform it returns the reason (with every path napi's generated loader tried,
 * chained through `cause`), and src/encoder/tokenizer-select.ts falls back to the TypeScript
 * tokenizer. Which one is used is decided there, once.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ByteBuffer } from 'flatbuffers';

import { ErrorCode } from '../native-fbs/otel-stateful-logs/tokenizer/error-code';
import { TokenizeResult } from '../native-fbs/otel-stateful-logs/tokenizer/tokenize-result';
import { createTokenList, growTokenList, type TokenList } from './token';
import { TOKENIZER_RULES_VERSION } from './tokenizer';

export { ErrorCode as NativeErrorCode };

/** The FlatBuffers schema version this reader was generated for (`TokenizeResult.version`). */
export const NATIVE_SCHEMA_VERSION = 1;

/** FlatBuffers file identifier of a `TokenizeResult` (native/tokenize_result.fbs). */
const FILE_IDENTIFIER = 'OSLT';

/** Options of one native batch call (mirror of `TokenizeOptions` in native/src/lib.rs). */
export interface NativeTokenizeOptions {
  /** Longest body (UTF-16 code units) the addon tokenizes; longer ones get `SizeLimit`. Default 2^27. */
  maxBodyUnits?: number;
  /** Largest batch (UTF-16 code units over all bodies); larger gets a batch `SizeLimit`. Default 2^28. */
  maxBatchUnits?: number;
  /** TEST ONLY: make the addon panic at this body index (it must come back as `Internal`). */
  faultInjectPanicAt?: number;
}

/** The functions the addon exports (native/index.d.ts is the generated declaration). */
export interface NativeBinding {
  readonly SCHEMA_VERSION: number;
  /** Tokenizer rules version the addon implements (must equal `TOKENIZER_RULES_VERSION`). */
  readonly RULES_VERSION: number;
  /** One joined string + the end offset of every body. The fastest input design measured. */
  tokenizeJoined(joined: string, bodyEnds: Uint32Array, options?: NativeTokenizeOptions | null): Uint8Array;
  /**
   * Like `tokenizeJoined`, writing into the reusable `out` (from offset 0). Returns the length
   * written, or minus the length needed when `out` is too small (nothing written).
   */
  tokenizeJoinedInto(joined: string, bodyEnds: Uint32Array, out: Uint8Array, options?: NativeTokenizeOptions | null): number;
  /** Text already as UTF-16 code units + body ends. */
  tokenizeUtf16(units: Uint16Array, bodyEnds: Uint32Array, options?: NativeTokenizeOptions | null): Uint8Array;
  /** One JS string per body (kept for the input-design benchmark). */
  tokenizeArray(bodies: string[], options?: NativeTokenizeOptions | null): Uint8Array;
}

/** Outcome of loading the addon: the binding and where it came from, or why not. */
export type NativeLoadResult =
  | { ok: true; binding: NativeBinding; path: string }
  | { ok: false; error: Error };

let cached: NativeLoadResult | undefined;

/** Directory of this module, in both the ESM and the CJS build (and under vitest/tsx). */
function moduleDir(): string {
  // NOTE: tsup's CJS output has no import.meta and the ESM output has no __dirname; take
  // whichever exists.
  if (typeof __dirname === 'string') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * Finds `<package root>/native/index.js` walking up from this module: the source lives in
 * src/encoder/, the bundles in dist/.
 */
function findLoader(): string | undefined {
  let dir = moduleDir();
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'native', 'index.js');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * Loads the addon once per process (later calls return the same result). Never throws.
 * The generated loader (native/index.js, read-only) tries `native/tokenizer.<platform>.node`,
 * then a platform package, and `NAPI_RS_NATIVE_LIBRARY_PATH` overrides both.
 */
export function loadNativeTokenizer(): NativeLoadResult {
  if (cached) return cached;
  cached = loadUncached();
  return cached;
}

function loadUncached(): NativeLoadResult {
  const addon = requireNativeAddon();
  if (!addon.ok) {
    const cause = addon.error;
    if (addon.missingLoader) return { ok: false, error: new Error(`native tokenizer ${cause.message}`) };
    return {
      ok: false,
      error: new Error(
        `native tokenizer not built for ${process.platform}-${process.arch} (build it with \`npm run build:native\`); tried: ${causeChain(cause)}`,
        { cause },
      ),
    };
  }
  const { path: loader } = addon;
  const binding = addon.exports as unknown as NativeBinding;
  if (typeof binding?.tokenizeJoined !== 'function') {
    return { ok: false, error: new Error(`native tokenizer at ${loader} does not export tokenizeJoined`) };
  }
  if (binding.SCHEMA_VERSION !== NATIVE_SCHEMA_VERSION) {
    return {
      ok: false,
      error: new Error(
        `native tokenizer at ${loader} writes schema version ${binding.SCHEMA_VERSION}, this reader expects ${NATIVE_SCHEMA_VERSION}: rebuild it with \`npm run build:native\``,
      ),
    };
  }
  if (binding.RULES_VERSION !== TOKENIZER_RULES_VERSION) {
    return {
      ok: false,
      error: new Error(
        `native tokenizer at ${loader} implements rules v${binding.RULES_VERSION}, the TypeScript tokenizer v${TOKENIZER_RULES_VERSION}: rebuild it with \`npm run build:native\``,
      ),
    };
  }
  return { ok: true, binding, path: loader };
}

/** The addon's exports as loaded, before any check of what they are. */
export type NativeAddonLoad =
  | { ok: true; exports: Record<string, unknown>; path: string }
  | { ok: false; error: Error; missingLoader: boolean };

let addonCached: NativeAddonLoad | undefined;

/**
 * Requires the addon once per process (never throws). The tokenizer and the deflate-stream
 * context (src/encoder/native-deflate.ts) each check the exports they need.
 */
export function requireNativeAddon(): NativeAddonLoad {
  if (addonCached) return addonCached;
  const loader = findLoader();
  if (!loader) {
    addonCached = { ok: false, error: new Error('loader native/index.js not found next to the package'), missingLoader: true };
    return addonCached;
  }
  try {
    // A computed path keeps the bundler from inlining the loader (its relative .node
    // requires must stay relative to native/).
    const req = createRequire(join(moduleDir(), 'noop.js'));
    addonCached = { ok: true, exports: req(loader) as Record<string, unknown>, path: loader };
  } catch (err) {
    addonCached = { ok: false, error: err instanceof Error ? err : new Error(String(err)), missingLoader: false };
  }
  return addonCached;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/** First lines of an error and its `cause` chain (napi's loader chains every path it tried). */
function causeChain(err: Error, max = 4): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e instanceof Error && parts.length < max) {
    // napi's top-level "Cannot find native binding. npm has a bug ..." text is noise here:
    // the causes name the paths that were tried.
    if (!(parts.length === 0 && e.message.startsWith('Cannot find native binding') && e.cause)) parts.push(firstLine(e.message));
    e = e.cause;
  }
  return parts.join(' <- ');
}

/** Test hook: forget the cached load result (the module cache of `require` stays). */
export function resetNativeTokenizerCacheForTest(): void {
  cached = undefined;
  addonCached = undefined;
}

/** Thrown by {@link readTokenizeResult} when the buffer is not a result this reader understands. */
export class NativeResultError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = 'NativeResultError';
  }
}

/**
 * Tokens of a whole batch as the addon returned them: flat arrays over all bodies, views into
 * the result buffer (no copy). Body `i` owns tokens `[tokenOffsets[i], tokenOffsets[i + 1])`.
 */
export class NativeTokenBatch {
  /** Number of bodies. */
  readonly size: number;

  constructor(
    /** One {@link ErrorCode} per body; a body with an error has no tokens. */
    readonly bodyErrors: Uint8Array,
    /** `size + 1` token indices. */
    readonly tokenOffsets: Uint32Array,
    readonly kinds: Uint8Array,
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
  ) {
    this.size = bodyErrors.length;
  }

  /** Error code of body `i` (`ErrorCode.None` when it was tokenized). */
  error(i: number): ErrorCode {
    return this.bodyErrors[i] as ErrorCode;
  }

  /**
   * Copies body `i`'s tokens into `out` (grown as needed; a new list when omitted) and returns
   * the list filled. A plain loop, not `subarray().set()`, so the per-body path allocates nothing.
   */
  fill(i: number, out?: TokenList): TokenList {
    const from = this.tokenOffsets[i]!;
    const n = this.tokenOffsets[i + 1]! - from;
    const list = out ?? createTokenList(n);
    list.count = 0;
    if (list.kinds.length < n) growTokenList(list, n);
    const { kinds, starts, ends } = list;
    const sk = this.kinds;
    const ss = this.starts;
    const se = this.ends;
    for (let j = 0; j < n; j++) {
      kinds[j] = sk[from + j]!;
      starts[j] = ss[from + j]!;
      ends[j] = se[from + j]!;
    }
    list.count = n;
    return list;
  }
}

/**
 * Reads a `TokenizeResult` buffer. A batch-level error code throws {@link NativeResultError}
 * (the caller falls back to the TypeScript tokenizer for the batch); per-body codes stay in
 * the returned batch.
 */
export function readTokenizeResult(bytes: Uint8Array, expectedBodies: number): NativeTokenBatch {
  // Typed-array views need 4-byte alignment; the addon's buffers start at offset 0, but a
  // caller-supplied slice might not.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const bb = new ByteBuffer(aligned);
  if (aligned.length < 8 || !TokenizeResult.bufferHasIdentifier(bb)) {
    throw new NativeResultError(`native tokenizer result has no ${FILE_IDENTIFIER} identifier`, ErrorCode.Internal);
  }
  const root = TokenizeResult.getRootAsTokenizeResult(bb);
  const version = root.version();
  if (version !== NATIVE_SCHEMA_VERSION) {
    throw new NativeResultError(`native tokenizer result version ${version}, expected ${NATIVE_SCHEMA_VERSION}`, ErrorCode.Internal);
  }
  const error = root.error();
  if (error !== ErrorCode.None) {
    throw new NativeResultError(`native tokenizer: ${ErrorCode[error] ?? error}: ${root.message() ?? ''}`, error);
  }
  const empty32 = new Uint32Array(0);
  const batch = new NativeTokenBatch(
    root.bodyErrorsArray() ?? new Uint8Array(0),
    root.tokenOffsetsArray() ?? empty32,
    root.kindsArray() ?? new Uint8Array(0),
    root.startsArray() ?? empty32,
    root.endsArray() ?? empty32,
  );
  if (batch.size !== expectedBodies || batch.tokenOffsets.length !== expectedBodies + 1) {
    throw new NativeResultError(
      `native tokenizer result has ${batch.size} bodies, expected ${expectedBodies}`,
      ErrorCode.Internal,
    );
  }
  const total = batch.tokenOffsets[expectedBodies]!;
  if (batch.kinds.length !== total || batch.starts.length !== total || batch.ends.length !== total) {
    throw new NativeResultError('native tokenizer result vectors disagree on the token count', ErrorCode.Internal);
  }
  return batch;
}

/**
 * Reusable buffers of one caller of {@link nativeTokenizeBatch}: the body-end offsets and the
 * result bytes. A batch read from them stays valid only until the next call with the same
 * scratch (its token arrays are views into `out`).
 */
export class NativeScratch {
  ends = new Uint32Array(1024);
  out = new Uint8Array(256 * 1024);
}

/**
 * Tokenizes `bodies` with one addon call (joined-string input) and reads the result. With a
 * `scratch`, the result is written into its reusable buffer (no allocation per call; the
 * returned batch is valid until the next call with that scratch); without, into a fresh one.
 */
export function nativeTokenizeBatch(
  binding: NativeBinding,
  bodies: readonly string[],
  options?: NativeTokenizeOptions,
  scratch?: NativeScratch,
): NativeTokenBatch {
  const n = bodies.length;
  let ends: Uint32Array;
  if (scratch) {
    if (scratch.ends.length < n) scratch.ends = new Uint32Array(Math.max(n, scratch.ends.length * 2));
    ends = scratch.ends.subarray(0, n);
  } else {
    ends = new Uint32Array(n);
  }
  let offset = 0;
  for (let i = 0; i < n; i++) {
    offset += bodies[i]!.length;
    ends[i] = offset;
  }
  // join('') builds a rope; the addon flattens and copies it once as UTF-16.
  const joined = n === 1 ? bodies[0]! : bodies.join('');
  if (!scratch) return readTokenizeResult(binding.tokenizeJoined(joined, ends, options ?? null), n);
  let len = binding.tokenizeJoinedInto(joined, ends, scratch.out, options ?? null);
  if (len < 0) {
    // Grow geometrically so this retry (which tokenizes again) stays rare.
    scratch.out = new Uint8Array(Math.max(-len, scratch.out.length * 2));
    len = binding.tokenizeJoinedInto(joined, ends, scratch.out, options ?? null);
  }
  if (len < 0) throw new NativeResultError('native tokenizer result did not fit the buffer it asked for', ErrorCode.Internal);
  return readTokenizeResult(scratch.out.subarray(0, len), n);
}
