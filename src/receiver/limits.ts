/** Per-stream limits the receiver enforces; a stream that breaks one is closed. */
export interface ReceiverLimits {
  /** Largest compressed batch frame (`data`), bytes. Default 16 MiB. */
  maxFrameBytes: number;
  /** Largest batch after decompression, bytes. Default 64 MiB. */
  maxDecompressedBytes: number;
  /** Most live patterns per stream. Default 100 000. */
  maxPatterns: number;
  /** Most live dictionary entries per stream. Default 200 000. */
  maxDictEntries: number;
  /** Most bytes of dictionary + pattern text per stream. Default 256 MiB. */
  maxStateBytes: number;
  /** Most concurrent streams. Default 1024. */
  maxStreams: number;
}

export const DEFAULT_RECEIVER_LIMITS: ReceiverLimits = {
  maxFrameBytes: 16 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
  maxPatterns: 100_000,
  maxDictEntries: 200_000,
  maxStateBytes: 256 * 1024 * 1024,
  maxStreams: 1024,
};

export function resolveLimits(l: Partial<ReceiverLimits> | undefined): ReceiverLimits {
  const out = { ...DEFAULT_RECEIVER_LIMITS };
  for (const [k, v] of Object.entries(l ?? {}) as Array<[keyof ReceiverLimits, number | undefined]>) {
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v < 1) throw new RangeError(`receiver limit ${k} must be >= 1, got ${String(v)}`);
    out[k] = Math.floor(v);
  }
  return out;
}

/**
 * Thrown by a decoder when a stream's state would pass a limit; answered with
 * RESOURCE_EXHAUSTED instead of INVALID_ARGUMENT.
 */
export class LimitExceededError extends Error {
  override readonly name = 'LimitExceededError';
  readonly code = 'RESOURCE_EXHAUSTED';
}

/** Whether an error from a decoder means "limit exceeded" rather than "malformed". */
export function isLimitError(err: unknown): boolean {
  if (err instanceof LimitExceededError) return true;
  // The encoder room's DecodeError says `kind: 'limit'`.
  const e = err as { code?: unknown; kind?: unknown } | null;
  return !!e && (e.code === 'RESOURCE_EXHAUSTED' || e.kind === 'limit');
}
