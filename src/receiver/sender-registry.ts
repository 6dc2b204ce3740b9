/**
 * What the receiver remembers about each sender across its streams: the last delivery
 * sequence number handed to the sink, and a chain that serialises batch handling of the
 * sender's streams — a replacement stream replays batches that the stream it replaces
 * may still be handing over, so the replay must wait and then see the result.
 *
 * Bounded: least recently used senders are forgotten past `maxSenders` (a forgotten
 * sender can see duplicates again, never losses).
 */
import { FIRST_SEQ_HEADER, SENDER_ID_HEADER } from '../transport/stream-headers';
import type { Metadata } from '@grpc/grpc-js';

export interface SenderState {
  readonly id: string;
  /** Highest delivery sequence number whose records reached the sink. */
  lastSeq: number;
  /** Tail of the sender's batch-handling chain. */
  chain: Promise<void>;
  /** The session currently serving this sender. */
  current?: { abortReplaced(): void };
}

const MAX_ID_LENGTH = 128;

export class SenderRegistry {
  private readonly _senders = new Map<string, SenderState>();

  constructor(private readonly _maxSenders = 10_000) {}

  /** Reads the replay headers; undefined when absent or malformed (no de-duplication then). */
  static parse(md: Metadata): { senderId: string; firstSeq: number } | undefined {
    const id = md.get(SENDER_ID_HEADER)[0];
    const first = md.get(FIRST_SEQ_HEADER)[0];
    if (typeof id !== 'string' || typeof first !== 'string') return undefined;
    if (id.length === 0 || id.length > MAX_ID_LENGTH || !/^\d{1,15}$/.test(first)) return undefined;
    const firstSeq = Number(first);
    return firstSeq >= 1 ? { senderId: id, firstSeq } : undefined;
  }

  get(id: string): SenderState {
    let s = this._senders.get(id);
    if (s) {
      this._senders.delete(id); // refresh recency
    } else {
      s = { id, lastSeq: 0, chain: Promise.resolve() };
      if (this._senders.size >= this._maxSenders) {
        const oldest = this._senders.keys().next().value as string;
        this._senders.delete(oldest);
      }
    }
    this._senders.set(id, s);
    return s;
  }

  get size(): number {
    return this._senders.size;
  }
}
