/**
 * What the transport delivered, dropped and still holds. Counts are cumulative over the
 * transport's life; `pending*` is the state at the moment of the report.
 */
export interface DeliveryReport {
  /** Every record submitted so far was acknowledged (nothing pending, nothing dropped, no permanent error). */
  ok: boolean;
  /** The flush/shutdown deadline passed before everything was acknowledged. */
  timedOut: boolean;
  submittedBatches: number;
  submittedRecords: number;
  ackedBatches: number;
  ackedRecords: number;
  /** Held in the window (sent or not) or waiting to enter it. */
  pendingBatches: number;
  pendingRecords: number;
  droppedBatches: number;
  droppedRecords: number;
  /** Dropped records by reason. */
  dropReasons: Record<string, number>;
  /**
   * Batches written to more than one stream before their ack (the earlier stream failed
   * after sending them). Only these can reach the receiver twice: the upper bound of
   * duplicates.
   */
  resentBatches: number;
  resentRecords: number;
  /** Streams opened (first one included). */
  streamsOpened: number;
  /** Streams that failed (not counting planned rotations). */
  streamFailures: number;
  /** Planned rotations after `streamLifetimeMillis`. */
  rotations: number;
  /** Streams ended after `idleTimeoutMillis` with nothing in flight. */
  idleCloses: number;
  /** Bytes of batch frames written (the `data` fields, snapshots included). */
  bytesSent: number;
  /** Highest number / bytes of batches held at once. */
  peakInflightBatches: number;
  peakInflightBytes: number;
  /** The permanent error or the last stream failure, if any. */
  lastError?: string;
}

export function emptyReport(): DeliveryReport {
  return {
    ok: true,
    timedOut: false,
    submittedBatches: 0,
    submittedRecords: 0,
    ackedBatches: 0,
    ackedRecords: 0,
    pendingBatches: 0,
    pendingRecords: 0,
    droppedBatches: 0,
    droppedRecords: 0,
    dropReasons: {},
    resentBatches: 0,
    resentRecords: 0,
    streamsOpened: 0,
    streamFailures: 0,
    rotations: 0,
    idleCloses: 0,
    bytesSent: 0,
    peakInflightBatches: 0,
    peakInflightBytes: 0,
  };
}
