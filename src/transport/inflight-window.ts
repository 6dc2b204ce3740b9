/**
 * The bounded window of batches that are not yet acknowledged: a prefix that was sent
 * on the current stream, then batches waiting to be sent. Bounded by count and bytes;
 * `acquire` waits (FIFO, so submission order is kept) until a batch fits.
 */
import type { Datum } from '../proto/otel_stateful_logs/v1/stateful_logs';
import type { Compression } from '../proto/otel_stateful_logs/v1/stateful_logs';

/** What the encoder hands the transport (structurally the encoder's `EncodedBatch`). */
export interface TransportBatch {
  /** Serialized DatumSequence, not compressed. */
  payload: Uint8Array;
  /** Every define/delete datum inside the batch, in order. */
  stateChanges: Datum[];
  recordCount: number;
}

export interface InflightEntry {
  /** Position in submission order (submit() calls), from 1 for the transport's life. */
  readonly seq: number;
  /**
   * Position among batches that entered the window, from 1, without gaps: entries only
   * leave from the head, so batch k of a stream is `head.deliverySeq + k - 1`. The
   * receiver uses it to skip batches it already handed to its sink.
   */
  deliverySeq: number;
  /** Compressed bytes, reused on every replay so a replay is byte-for-byte. */
  readonly data: Uint8Array;
  readonly compression: Compression;
  readonly uncompressedSize: number;
  readonly recordCount: number;
  readonly stateChanges: Datum[];
  /** Bytes charged to the window. */
  readonly bytes: number;
  /** Batch id on the current stream; valid only while the entry is in the sent prefix. */
  streamBatchId: number;
  /** How many times it was written to a stream. */
  sends: number;
}

interface Waiter {
  bytes: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class InflightWindow {
  private readonly _entries: InflightEntry[] = [];
  private _sent = 0;
  private _bytes = 0;
  private _records = 0;
  private _nextDeliverySeq = 1;
  private readonly _waiters: Waiter[] = [];
  // Admitted by acquire() but not pushed yet (the caller pushes in its continuation).
  private _reservedCount = 0;
  private _reservedBytes = 0;
  /** Highest count / bytes ever held, for tests and metrics. */
  peakBatches = 0;
  peakBytes = 0;

  constructor(readonly maxBatches: number, readonly maxBytes: number) {}

  get size(): number { return this._entries.length; }
  get bytes(): number { return this._bytes; }
  get records(): number { return this._records; }
  /** Entries in the sent prefix (awaiting ack on the current stream). */
  get sentCount(): number { return this._sent; }
  get waiting(): number { return this._waiters.length; }

  private _fits(bytes: number): boolean {
    const count = this._entries.length + this._reservedCount;
    if (count === 0) return true; // an oversized batch goes alone
    return count < this.maxBatches && this._bytes + this._reservedBytes + bytes <= this.maxBytes;
  }

  private _reserve(bytes: number): void {
    this._reservedCount++;
    this._reservedBytes += bytes;
  }

  /**
   * Resolves when a batch of `bytes` fits, with room reserved for it: the caller then
   * calls `push` (or `release` if it gave up).
   */
  acquire(bytes: number): Promise<void> {
    if (this._waiters.length === 0 && this._fits(bytes)) {
      this._reserve(bytes);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this._waiters.push({ bytes, resolve, reject }));
  }

  /** Gives back a reservation that will not be pushed. */
  release(bytes: number): void {
    this._reservedCount--;
    this._reservedBytes -= bytes;
    this._wake();
  }

  /** Adds an entry whose room was reserved by `acquire(e.bytes)`. */
  push(e: InflightEntry): void {
    this._reservedCount--;
    this._reservedBytes -= e.bytes;
    e.deliverySeq = this._nextDeliverySeq++;
    this._entries.push(e);
    this._bytes += e.bytes;
    this._records += e.recordCount;
    if (this._entries.length > this.peakBatches) this.peakBatches = this._entries.length;
    if (this._bytes > this.peakBytes) this.peakBytes = this._bytes;
  }

  /** deliverySeq of the oldest entry, or of the next one to enter when empty. */
  get firstDeliverySeq(): number {
    return this._entries[0]?.deliverySeq ?? this._nextDeliverySeq;
  }

  /** The oldest entry (the one the next ack must name). */
  head(): InflightEntry | undefined { return this._entries[0]; }

  /** Next entry not yet sent on the current stream. */
  nextUnsent(): InflightEntry | undefined { return this._entries[this._sent]; }

  markSent(e: InflightEntry, streamBatchId: number): void {
    if (this._entries[this._sent] !== e) throw new Error('inflight window: send out of order');
    e.streamBatchId = streamBatchId;
    e.sends++;
    this._sent++;
  }

  /** Removes the head (acknowledged or dropped) and wakes waiters that now fit. */
  shift(): InflightEntry | undefined {
    const e = this._entries.shift();
    if (!e) return undefined;
    if (this._sent > 0) this._sent--;
    this._bytes -= e.bytes;
    this._records -= e.recordCount;
    this._wake();
    return e;
  }

  /** A new stream: everything held becomes unsent again. */
  resetSent(): void {
    this._sent = 0;
  }

  all(): readonly InflightEntry[] { return this._entries; }

  private _wake(): void {
    // Admit in order while room lasts, reserving for each so nobody over-admits.
    while (this._waiters.length > 0) {
      const w = this._waiters[0]!;
      if (!this._fits(w.bytes)) break;
      this._waiters.shift();
      this._reserve(w.bytes);
      w.resolve();
    }
  }

  /** Fails every waiter (shutdown / permanent error). */
  rejectWaiters(err: Error): void {
    for (const w of this._waiters.splice(0)) w.reject(err);
  }
}
