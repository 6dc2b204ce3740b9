/** Counters of a running receiver. */
export interface ReceiverStats {
  streamsAccepted: number;
  streamsActive: number;
  /** Streams refused before any batch: bad token, too many streams. */
  streamsRefused: number;
  authFailures: number;
  batches: number;
  records: number;
  /** Frames received (snapshots and replays included), by wire compression: `zstd`, `gzip`, `none`, `deflate-stream`. */
  framesByCompression: Record<string, number>;
  /** Refused batches by BatchStatus reason. */
  rejected: Record<string, number>;
  sinkFailures: number;
  /** Replayed batches / records recognised and not handed to the sink again. */
  duplicateBatches: number;
  duplicateRecords: number;
}

export function emptyReceiverStats(): ReceiverStats {
  return { streamsAccepted: 0, streamsActive: 0, streamsRefused: 0, authFailures: 0, batches: 0, records: 0, framesByCompression: {}, rejected: {}, sinkFailures: 0, duplicateBatches: 0, duplicateRecords: 0 };
}
