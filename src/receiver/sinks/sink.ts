/** Where decoded records go. The receiver acks a batch only after `write` resolves. */
import type { LogRecordData } from '../../encoder/log-record';

export interface SinkContext {
  /** Receiver-assigned id of the stream, unique for the receiver's life. */
  streamId: number;
  /** Batch id on that stream. */
  batchId: number;
  /** Peer address as gRPC reports it. */
  peer: string;
}

export interface RecordSink {
  /** Takes ownership of `records`. Throwing / rejecting makes the batch retryable (UNAVAILABLE). */
  write(records: LogRecordData[], ctx: SinkContext): void | Promise<void>;
  /** Flushes and releases resources. */
  close?(): Promise<void>;
}
