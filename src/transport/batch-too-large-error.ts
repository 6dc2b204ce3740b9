/**
 * submit() refused a batch larger than `maxBatchBytes`. Its records are already counted as
 * dropped by the transport (DeliveryReport.dropReasons), so callers must not count them
 * again; they only have to say so.
 */
export class BatchTooLargeError extends RangeError {
  override readonly name = 'BatchTooLargeError';

  constructor(
    message: string,
    /** Records of the batch, dropped and counted by the transport. */
    readonly droppedRecords: number,
    /** Size that was over the limit (compressed frame, or payload for 'deflate-stream'). */
    readonly batchBytes: number,
    readonly maxBatchBytes: number,
  ) {
    super(message);
  }
}
