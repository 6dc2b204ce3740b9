/** What the receiver needs from a decoder: one instance per stream, mirroring its state. */
import type { LogRecordData } from '../encoder/log-record';
import type { ReceiverLimits } from './limits';

export interface BatchDecoder {
  /** Decodes one uncompressed DatumSequence, applying its defines/deletes. Throws on bad input. */
  decode(payload: Uint8Array): LogRecordData[];
  /** Forgets all state (a new stream). */
  reset(): void;
}

export type BatchDecoderFactory = (limits: ReceiverLimits) => BatchDecoder;
