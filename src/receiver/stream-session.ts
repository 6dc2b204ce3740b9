/**
 * One sender's stream on the receiver: batches are processed strictly in order
 * (decompress, decode with this stream's own decoder, hand to the sink, then ack).
 * Anything wrong with a batch is answered with a BatchStatus naming it and a gRPC error
 * status that closes this stream only.
 */
import * as grpc from '@grpc/grpc-js';
import { diag } from '@opentelemetry/api';
import { codecFromWire, decompress, StreamDecompressor } from '../encoder/compression';
import type { LogRecordData } from '../encoder/log-record';
import { BatchStatus, BatchStatus_Status, Compression, type StatefulBatch } from '../proto/otel_stateful_logs/v1/stateful_logs';
import type { BatchDecoder } from './batch-decoder';
import { isLimitError, type ReceiverLimits } from './limits';
import type { ReceiverStats } from './receiver-stats';
import type { SenderState } from './sender-registry';
import type { RecordSink } from './sinks/sink';
import { zstdFrameContentSize } from './zstd-frame';

const log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/receiver' });

/** Batches read ahead before the stream is paused (HTTP/2 flow control then pushes back). */
const MAX_QUEUED = 16;

class BatchRejection extends Error {
  constructor(readonly status: BatchStatus_Status, readonly grpcCode: grpc.status, message: string) {
    super(message);
  }
}

export class StreamSession {
  private readonly _queue: StatefulBatch[] = [];
  private _processing = false;
  private _expected = -1; // -1: first batch, may be the snapshot (0) or 1
  private _closed = false;
  private _clientEnded = false;
  private _stopping = false;
  private _inflater?: StreamDecompressor;
  private readonly _peer: string;

  constructor(
    readonly id: number,
    private readonly _call: grpc.ServerDuplexStream<StatefulBatch, BatchStatus>,
    private readonly _decoder: BatchDecoder,
    private readonly _sink: RecordSink,
    private readonly _limits: ReceiverLimits,
    private readonly _stats: ReceiverStats,
    private readonly _onClose: (s: StreamSession) => void,
    private readonly _sender?: { state: SenderState; firstSeq: number },
  ) {
    this._peer = safePeer(_call);
    if (_sender) {
      // The sender gave up on its previous stream; stop that one from handing over
      // batches that this stream is about to replay.
      _sender.state.current?.abortReplaced();
      _sender.state.current = this;
    }
    _call.on('data', (b: StatefulBatch) => this._enqueue(b));
    _call.on('end', () => {
      this._clientEnded = true;
      this._maybeFinish();
    });
    _call.on('error', (err) => {
      log.debug(`stream ${id} (${this._peer}) error: ${err.message}`);
      this._close();
    });
    _call.on('cancelled', () => this._close());
    _call.on('close', () => this._close());
  }

  get closed(): boolean {
    return this._closed;
  }

  /** Ends the stream with an error status (server shutting down). */
  abort(code: grpc.status, details: string): void {
    if (this._closed) return;
    this._closed = true;
    this._call.emit('error', { code, details, metadata: new grpc.Metadata() });
    this._onClose(this);
  }

  /**
   * Graceful stop: take no further batches (the sender replays what it did not see
   * acked), let the batch being handed to the sink finish and be acked, then end the
   * stream with UNAVAILABLE so the sender reconnects elsewhere or later.
   */
  async stop(): Promise<void> {
    if (this._closed) return;
    this._stopping = true;
    this._queue.length = 0;
    while (this._processing) await new Promise((r) => setTimeout(r, 5));
    this.abort(grpc.status.UNAVAILABLE, 'receiver shutting down');
  }

  /** A newer stream of the same sender took over. */
  abortReplaced(): void {
    if (this._closed) return;
    this.abort(grpc.status.CANCELLED, 'replaced by a newer stream from the same sender');
  }

  private _enqueue(b: StatefulBatch): void {
    if (this._closed || this._stopping) return;
    this._queue.push(b);
    if (this._queue.length >= MAX_QUEUED) this._call.pause();
    if (!this._processing) void this._run();
  }

  private async _run(): Promise<void> {
    this._processing = true;
    try {
      while (this._queue.length > 0 && !this._closed) {
        const b = this._queue.shift()!;
        if (this._queue.length < MAX_QUEUED / 2 && this._call.isPaused()) this._call.resume();
        await this._process(b);
      }
    } finally {
      this._processing = false;
    }
    this._maybeFinish();
  }

  private async _process(b: StatefulBatch): Promise<void> {
    if (!this._sender) return this._handle(b);
    // Serialise with the sender's other streams (see SenderRegistry).
    const st = this._sender.state;
    const run = st.chain.then(() => this._handle(b));
    st.chain = run.catch(() => undefined);
    await run;
  }

  private async _handle(b: StatefulBatch): Promise<void> {
    if (this._closed) return;
    let records: LogRecordData[];
    try {
      records = this._decode(b);
    } catch (err) {
      const rej =
        err instanceof BatchRejection
          ? err
          : isLimitError(err)
            ? new BatchRejection(BatchStatus_Status.RESOURCE_EXHAUSTED, grpc.status.RESOURCE_EXHAUSTED, `limit exceeded: ${errMessage(err)}`)
            : new BatchRejection(BatchStatus_Status.INVALID_ARGUMENT, grpc.status.INVALID_ARGUMENT, `undecodable batch: ${errMessage(err)}`);
      return this._reject(b.batchId, rej);
    }
    const seq = this._sender && b.batchId >= 1 ? this._sender.firstSeq + b.batchId - 1 : 0;
    if (seq > 0 && seq <= this._sender!.state.lastSeq) {
      // A replay of a batch whose ack was lost: its state changes are applied (decoded
      // above), its records already reached the sink.
      this._stats.duplicateBatches++;
      this._stats.duplicateRecords += records.length;
      this._call.write({ batchId: b.batchId, status: BatchStatus_Status.OK, message: '' });
      return;
    }
    try {
      await this._sink.write(records, { streamId: this.id, batchId: b.batchId, peer: this._peer });
      if (this._sender && seq > this._sender.state.lastSeq) this._sender.state.lastSeq = seq;
    } catch (err) {
      this._stats.sinkFailures++;
      return this._reject(
        b.batchId,
        new BatchRejection(BatchStatus_Status.UNAVAILABLE, grpc.status.UNAVAILABLE, `sink failed: ${errMessage(err)}`),
      );
    }
    if (this._closed) return; // the sender is gone; it will replay what it did not see acked
    this._stats.batches++;
    this._stats.records += records.length;
    this._call.write({ batchId: b.batchId, status: BatchStatus_Status.OK, message: '' });
  }

  private _decode(b: StatefulBatch): LogRecordData[] {
    const id = b.batchId;
    if (this._expected === -1) {
      if (id !== 0 && id !== 1) throw this._invalid(`first batch must have id 0 (snapshot) or 1, got ${id}`);
    } else if (id !== this._expected) {
      throw this._invalid(`batch id ${id} out of order, expected ${this._expected}`);
    }
    this._expected = id + 1;
    if (b.data.byteLength > this._limits.maxFrameBytes) {
      throw this._exhausted(`frame of ${b.data.byteLength} bytes exceeds maxFrameBytes ${this._limits.maxFrameBytes}`);
    }
    if (b.uncompressedSize > this._limits.maxDecompressedBytes) {
      throw this._exhausted(`declared size ${b.uncompressedSize} exceeds maxDecompressedBytes ${this._limits.maxDecompressedBytes}`);
    }
    const payload = this._inflate(b);
    if (payload.byteLength !== b.uncompressedSize) {
      throw this._invalid(`decompressed ${payload.byteLength} bytes, frame declared ${b.uncompressedSize}`);
    }
    const records = this._decoder.decode(payload);
    if (id === 0 && records.length > 0) throw this._invalid('snapshot batch must not carry log records');
    if (records.length !== b.recordCount) {
      throw this._invalid(`batch declared ${b.recordCount} records, decoded ${records.length}`);
    }
    return records;
  }

  /** Decompresses a frame, never past the size it declared. */
  private _inflate(b: StatefulBatch): Uint8Array {
    const label = b.compression === Compression.COMPRESSION_DEFLATE_STREAM ? 'deflate-stream' : (Compression[b.compression] ?? String(b.compression)).replace(/^COMPRESSION_/, '').toLowerCase();
    this._stats.framesByCompression[label] = (this._stats.framesByCompression[label] ?? 0) + 1;
    if (b.compression === Compression.COMPRESSION_DEFLATE_STREAM) {
      // The stream's context: every such batch, in stream order, replays included.
      this._inflater ??= new StreamDecompressor();
      try {
        // zlib refuses a maxOutputLength of 0; an empty payload (a batch of nothing) is
        // legal, and the declared-size check after inflating still catches a lying frame.
        return this._inflater.decompress(b.data, Math.max(1, b.uncompressedSize));
      } catch (err) {
        throw this._invalid(`cannot decompress (deflate-stream): ${errMessage(err)}`);
      }
    }
    let codec;
    try {
      codec = codecFromWire(b.compression);
    } catch (err) {
      throw this._invalid(errMessage(err));
    }
    if (codec === 'zstd') {
      const declared = zstdFrameContentSize(b.data);
      if (declared !== undefined && declared > b.uncompressedSize) {
        throw this._invalid(`zstd frame declares ${declared} bytes, batch declared ${b.uncompressedSize}`);
      }
    }
    try {
      // The declared size bounds the output: a frame that inflates further is lying.
      return decompress(codec, b.data, b.uncompressedSize);
    } catch (err) {
      throw this._invalid(`cannot decompress (${codec}): ${errMessage(err)}`);
    }
  }

  private _invalid(msg: string): BatchRejection {
    return new BatchRejection(BatchStatus_Status.INVALID_ARGUMENT, grpc.status.INVALID_ARGUMENT, msg);
  }

  private _exhausted(msg: string): BatchRejection {
    return new BatchRejection(BatchStatus_Status.RESOURCE_EXHAUSTED, grpc.status.RESOURCE_EXHAUSTED, msg);
  }

  private _reject(batchId: number, rej: BatchRejection): void {
    if (this._closed) return;
    const reason = BatchStatus_Status[rej.status] ?? String(rej.status);
    this._stats.rejected[reason] = (this._stats.rejected[reason] ?? 0) + 1;
    log.warn(`stream ${this.id} (${this._peer}): batch ${batchId} refused, closing the stream: ${rej.message}`);
    this._call.write({ batchId, status: rej.status, message: rej.message });
    this._queue.length = 0;
    this._closed = true;
    this._call.emit('error', { code: rej.grpcCode, details: rej.message, metadata: new grpc.Metadata() });
    this._onClose(this);
  }

  private _maybeFinish(): void {
    if (this._closed || !this._clientEnded || this._processing || this._queue.length > 0) return;
    this._closed = true;
    this._call.end();
    this._onClose(this);
  }

  private _close(): void {
    if (this._closed) return;
    this._closed = true;
    this._queue.length = 0;
    this._onClose(this);
  }
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function safePeer(call: grpc.ServerDuplexStream<StatefulBatch, BatchStatus>): string {
  try {
    return call.getPeer();
  } catch {
    return 'unknown';
  }
}
