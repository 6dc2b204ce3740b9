/**
 * The sender side of the stateful stream: one bidirectional gRPC stream at a time,
 * batches numbered from 1 per stream, acks checked in order, a bounded inflight window
 * with backpressure, reconnect with backoff, a snapshot of the acknowledged state at the
 * start of every new stream followed by a byte-for-byte replay of what is unacknowledged.
 *
 * Single-threaded state machine: every callback checks that it belongs to the current
 * stream session before touching state, so late events of a dead stream are ignored.
 */
import crypto from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { diag } from '@opentelemetry/api';
import { compress, codecToWire, initCompression, StreamCompressor, type CodecName } from '../encoder/compression';
import {
  BatchStatus,
  BatchStatus_Status,
  Compression,
  DatumSequence,
  StatefulBatch,
  StatefulLogsServiceClient,
} from '../proto/otel_stateful_logs/v1/stateful_logs';
import { ExponentialBackoff } from './backoff';
import { BatchTooLargeError } from './batch-too-large-error';
import { EventLoopHold } from './event-loop-hold';
import { emptyReport, type DeliveryReport } from './delivery-report';
import { InflightWindow, type InflightEntry, type TransportBatch } from './inflight-window';
import { classifyGrpcStatus, statusName } from './retry-classification';
import { AckedStateSnapshot } from './snapshot';
import { FIRST_SEQ_HEADER, SENDER_ID_HEADER } from './stream-headers';
import { parseEndpoint, resolveTransportOptions, type ResolvedTransportOptions, type TransportOptions } from './transport-options';

const log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/transport' });

type State = 'idle' | 'connecting' | 'active' | 'draining' | 'backoff' | 'failed' | 'closed';

interface Session {
  readonly id: number;
  readonly call: grpc.ClientDuplexStream<StatefulBatch, BatchStatus>;
  nextBatchId: number;
  /** Batch 0 was sent and its ack has not arrived. */
  snapshotPending: boolean;
  /** call.write() asked us to wait for 'drain'. */
  writeBlocked: boolean;
  /** The stream's compression context ('deflate-stream' only): batches in send order. */
  compressor?: StreamCompressor;
  /** Last time an ack arrived or sending started from an empty outstanding set. */
  lastProgressAt: number;
  ackTimer?: NodeJS.Timeout;
  lifetimeTimer?: NodeJS.Timeout;
  drainTimer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
}

export type { TransportBatch } from './inflight-window';

/**
 * Moves encoded batches to a receiver over one long-lived gRPC stream and guarantees
 * that every submitted batch is either acknowledged or reported (with a reason) as
 * dropped.
 */
export class StreamTransport {
  private readonly _o: ResolvedTransportOptions;
  private readonly _window: InflightWindow;
  private readonly _snapshot = new AckedStateSnapshot();
  private readonly _backoff: ExponentialBackoff;
  private readonly _ready: Promise<void>;
  /** 'deflate-stream': frames are compressed at send time, in the stream's order. */
  private readonly _perStream: boolean;
  private readonly _wireCompression: Compression;
  private readonly _metadata: grpc.Metadata;
  /** Identifies this transport to receivers across its streams (for duplicate suppression). */
  private readonly _senderId = crypto.randomUUID();
  private _client?: StatefulLogsServiceClient;
  private _state: State = 'idle';
  private _session?: Session;
  private _sessionSeq = 0;
  private _backoffTimer?: NodeJS.Timeout;
  private _fatal?: Error;
  private _closing = false;
  private _shutdownPromise?: Promise<DeliveryReport>;
  private readonly _r: DeliveryReport = emptyReport();
  /** submit() calls not yet in the window, by call order. */
  private readonly _callsInProgress = new Set<number>();
  private _callSeq = 0;
  private readonly _flushWaiters = new Set<{ target: number; done: () => void }>();
  /** Holds the process open while anything is pending, and only then. */
  private readonly _hold = new EventLoopHold();

  constructor(options: TransportOptions) {
    this._o = resolveTransportOptions(options);
    const dropped = parseEndpoint(options.endpoint).droppedPath;
    if (dropped) log.warn(`endpoint path '${dropped}' is ignored: gRPC targets are host:port`);
    this._window = new InflightWindow(this._o.maxInflightBatches, this._o.maxInflightBytes);
    this._backoff = new ExponentialBackoff(this._o.backoff);
    this._metadata = buildMetadata(this._o);
    this._perStream = this._o.compression === 'deflate-stream';
    this._wireCompression = this._o.compression === 'deflate-stream' ? Compression.COMPRESSION_DEFLATE_STREAM : codecToWire(this._o.compression);
    this._ready = this._o.compression === 'zstd' ? initCompression() : Promise.resolve();
    // Surface a failed codec load through submit(), not as an unhandled rejection.
    this._ready.catch(() => undefined);
  }

  /**
   * Hands a batch to the transport. Resolves once it is accepted into the bounded
   * inflight window — waiting here is the backpressure. Rejects after shutdown or a
   * permanent error. Acceptance is not delivery: see `flush`.
   */
  async submit(batch: TransportBatch): Promise<void> {
    if (this._fatal) throw this._fatal;
    if (this._closing) throw new Error('otel-stateful-logs transport: submit after shutdown');
    const seq = ++this._callSeq;
    this._callsInProgress.add(seq);
    this._hold.hold();
    const bytes = Math.max(1, batch.payload.byteLength);
    let reserved = false;
    try {
      await this._ready;
      await this._window.acquire(bytes);
      reserved = true;
      if (this._fatal) throw this._fatal;
      if (this._closing) throw new Error('otel-stateful-logs transport: submit after shutdown');
      let payload = batch.payload;
      let recordCount = batch.recordCount;
      let data = this._compressForWindow(payload);
      let oversize: BatchTooLargeError | undefined;
      if (data.byteLength > this._o.maxBatchBytes) {
        // The records are dropped (counted), but the batch's defines/deletes already
        // happened on the encoder: send them alone, in the batch's place, so the
        // receiver's state stays in step with what later batches reference.
        oversize = new BatchTooLargeError(
          `otel-stateful-logs transport: batch of ${data.byteLength} bytes${this._perStream ? ' (uncompressed)' : ''} exceeds maxBatchBytes ${this._o.maxBatchBytes}; ${batch.recordCount} records dropped (split batches smaller)`,
          batch.recordCount,
          data.byteLength,
          this._o.maxBatchBytes,
        );
        this._r.submittedRecords += batch.recordCount;
        // Counted here, once; the rejection tells the caller, who reports it (the exporter
        // through its throttled drop warning), so no log line of our own per batch.
        this._countDropRecords('batch larger than maxBatchBytes', batch.recordCount);
        log.debug(oversize.message);
        if (batch.stateChanges.length === 0) throw oversize; // nothing the receiver must learn
        payload = DatumSequence.encode({ data: batch.stateChanges }).finish();
        recordCount = 0;
        data = this._compressForWindow(payload);
        if (data.byteLength > this._o.maxBatchBytes) {
          // Best effort: the next stream's snapshot carries them.
          this._snapshot.apply(batch.stateChanges);
          throw new BatchTooLargeError(
            `${oversize.message}; its state changes alone (${data.byteLength} bytes) exceed it too`,
            oversize.droppedRecords,
            oversize.batchBytes,
            oversize.maxBatchBytes,
          );
        }
      }
      const entry: InflightEntry = {
        seq,
        data,
        compression: this._wireCompression,
        uncompressedSize: payload.byteLength,
        recordCount,
        stateChanges: batch.stateChanges,
        bytes,
        streamBatchId: 0,
        sends: 0,
        deliverySeq: 0,
      };
      this._window.push(entry);
      reserved = false;
      this._r.submittedBatches++;
      this._r.submittedRecords += recordCount;
      if (oversize) {
        this._kick();
        throw oversize;
      }
    } catch (err) {
      if (reserved) this._window.release(bytes);
      throw err;
    } finally {
      this._callsInProgress.delete(seq);
      this._checkFlushWaiters();
    }
    this._kick();
  }

  /** Waits until everything submitted before this call is acknowledged (or dropped), or the timeout. */
  async flush(timeoutMillis: number): Promise<DeliveryReport> {
    const target = this._callSeq;
    const done = await new Promise<boolean>((resolve) => {
      if (this._isDone(target)) return resolve(true);
      const waiter = { target, done: () => { clearTimeout(timer); this._flushWaiters.delete(waiter); resolve(true); } };
      const timer = setTimeout(() => { this._flushWaiters.delete(waiter); resolve(false); }, Math.max(0, timeoutMillis));
      this._flushWaiters.add(waiter);
    });
    return this._report(!done);
  }

  /**
   * Flushes within the timeout, then closes the stream and the channel. Whatever is not
   * acknowledged by then is dropped and counted (reason `shutdown`). Idempotent.
   */
  shutdown(timeoutMillis: number): Promise<DeliveryReport> {
    if (!this._shutdownPromise) this._shutdownPromise = this._doShutdown(timeoutMillis);
    return this._shutdownPromise;
  }

  /** Counters now (same shape as the flush report). */
  stats(): DeliveryReport {
    return this._report(false);
  }

  /** Number of live defines in the acknowledged-state snapshot. */
  get snapshotSize(): number {
    return this._snapshot.size;
  }

  private async _doShutdown(timeoutMillis: number): Promise<DeliveryReport> {
    this._closing = true;
    const flushed = await this.flush(timeoutMillis);
    const err = new Error('otel-stateful-logs transport: shut down');
    this._window.rejectWaiters(err);
    this._dropAll(this._fatal ? `permanent error: ${this._fatal.message}` : 'shutdown before acknowledgement');
    this._closeSession('end');
    clearTimeout(this._backoffTimer);
    if (this._state !== 'failed') this._state = 'closed';
    this._client?.close();
    this._client = undefined;
    this._checkFlushWaiters();
    return this._report(flushed.timedOut);
  }

  /**
   * What the window keeps for a batch: its compressed bytes, or for a stream codec the
   * payload itself (compressed at send time; its size then bounds maxBatchBytes).
   */
  private _compressForWindow(payload: Uint8Array): Uint8Array {
    if (this._perStream) return payload;
    return compress(this._o.compression as CodecName, payload, this._o.compressionLevel);
  }

  // ---- state machine ---------------------------------------------------------

  private _kick(): void {
    if (this._state === 'idle' && this._window.size > 0 && !this._closingDone()) this._connect();
    else if (this._state === 'active') this._pump();
  }

  private _closingDone(): boolean {
    return this._state === 'closed' || this._state === 'failed';
  }

  private _getClient(): StatefulLogsServiceClient {
    if (!this._client) {
      const o = this._o;
      const creds =
        o.credentials ??
        (o.secure ? grpc.credentials.createSsl(o.tls?.ca ?? null, o.tls?.key ?? null, o.tls?.cert ?? null) : grpc.credentials.createInsecure());
      this._client = new StatefulLogsServiceClient(o.address, this._hold.wrap(creds), o.channelOptions);
    }
    return this._client;
  }

  /**
   * Waits for the channel to be ready, within `connectTimeoutMillis`. Not `waitForReady`:
   * it sits out the whole deadline through refused connections (the channel retries on
   * its own), while a failed attempt (TRANSIENT_FAILURE: refused, unreachable, TLS
   * handshake failed) should go to our backoff at once and be reported as it happens.
   */
  private _connect(): void {
    this._state = 'connecting';
    const attempt = ++this._sessionSeq;
    const channel = this._getClient().getChannel();
    const timeout = this._o.connectTimeoutMillis;
    const deadline = Date.now() + timeout;
    const step = (): void => {
      if (this._state !== 'connecting' || this._sessionSeq !== attempt) return;
      const state = channel.getConnectivityState(true);
      if (state === grpc.connectivityState.READY) return this._openStream(attempt);
      if (state === grpc.connectivityState.TRANSIENT_FAILURE || state === grpc.connectivityState.SHUTDOWN) {
        // A fresh channel next time: this one would report the failure until its own
        // reconnect backoff ends.
        return this._failStream(`cannot connect to ${this._o.address} (channel ${grpc.connectivityState[state]}: refused, unreachable or TLS handshake failed)`, { resetChannel: true });
      }
      channel.watchConnectivityState(state, deadline, (err) => {
        if (this._state !== 'connecting' || this._sessionSeq !== attempt) return;
        if (err) return this._failStream(`not connected within ${timeout} ms (${this._o.address}): ${err.message}`, { resetChannel: true });
        step();
      });
    };
    step();
  }

  private _openStream(id: number): void {
    this._window.resetSent();
    const md = this._metadata.clone();
    md.set(SENDER_ID_HEADER, this._senderId);
    md.set(FIRST_SEQ_HEADER, String(this._window.firstDeliverySeq));
    const call = this._getClient().logsStream(md);
    const s: Session = {
      id,
      call,
      nextBatchId: 1,
      snapshotPending: false,
      writeBlocked: false,
      lastProgressAt: Date.now(),
      compressor: this._perStream ? new StreamCompressor(this._o.compressionLevel ?? 6) : undefined,
    };
    this._session = s;
    this._state = 'active';
    this._r.streamsOpened++;
    call.on('data', (st: BatchStatus) => this._onStatus(s, st));
    call.on('error', () => undefined); // the 'status' event that follows carries the details
    call.on('status', (st: grpc.StatusObject) => this._onStreamEnd(s, st));
    call.on('drain', () => {
      if (this._session !== s) return;
      s.writeBlocked = false;
      this._pump();
    });
    if (this._snapshot.size > 0) {
      const payload = this._snapshot.encode();
      const data = s.compressor ? s.compressor.compress(payload) : compress(this._o.compression as CodecName, payload, this._o.compressionLevel);
      s.snapshotPending = true;
      this._r.bytesSent += data.byteLength;
      s.writeBlocked = !call.write({
        batchId: 0,
        data: asBuffer(data),
        compression: this._wireCompression,
        uncompressedSize: payload.byteLength,
        recordCount: 0,
      });
      this._armAckTimer(s);
    }
    if (this._o.streamLifetimeMillis > 0) {
      // -0..10% jitter: senders started together do not all rotate at the same moment.
      const lifetime = Math.round(this._o.streamLifetimeMillis * (1 - 0.1 * Math.random()));
      s.lifetimeTimer = setTimeout(() => this._onLifetimeExpired(s), lifetime);
      s.lifetimeTimer.unref?.();
    }
    log.debug(`stream ${id} open to ${this._o.address} (snapshot ${this._snapshot.size} defines, replaying ${this._window.size} batches)`);
    this._pump();
  }

  private _pump(): void {
    const s = this._session;
    if (!s || this._state !== 'active') return;
    while (!s.writeBlocked) {
      const e = this._window.nextUnsent();
      if (!e) break;
      if (this._window.sentCount === 0 && !s.snapshotPending) s.lastProgressAt = Date.now();
      const id = s.nextBatchId++;
      this._window.markSent(e, id);
      if (e.sends > 1) {
        this._r.resentBatches++;
        this._r.resentRecords += e.recordCount;
      }
      // A stream codec compresses every send anew: a replay sits at a new place in the
      // stream's context. Per-batch codecs reuse the bytes made at submit.
      const data = s.compressor ? s.compressor.compress(e.data) : e.data;
      this._r.bytesSent += data.byteLength;
      const ok = s.call.write({
        batchId: id,
        data: asBuffer(data),
        compression: e.compression,
        uncompressedSize: e.uncompressedSize,
        recordCount: e.recordCount,
      });
      if (!ok) s.writeBlocked = true;
    }
    this._armAckTimer(s);
  }

  private _outstanding(s: Session): boolean {
    return s.snapshotPending || this._window.sentCount > 0;
  }

  private _armAckTimer(s: Session): void {
    if (s.ackTimer || !this._outstanding(s)) return;
    const check = (): void => {
      s.ackTimer = undefined;
      if (this._session !== s || !this._outstanding(s)) return;
      const idle = Date.now() - s.lastProgressAt;
      if (idle >= this._o.ackTimeoutMillis) {
        this._failStream(`no ack for ${idle} ms (ackTimeoutMillis ${this._o.ackTimeoutMillis})`, { resetChannel: true });
        return;
      }
      s.ackTimer = setTimeout(check, this._o.ackTimeoutMillis - idle);
      s.ackTimer.unref?.();
    };
    s.ackTimer = setTimeout(check, this._o.ackTimeoutMillis);
    s.ackTimer.unref?.();
  }

  private _onStatus(s: Session, st: BatchStatus): void {
    if (this._session !== s) return;
    s.lastProgressAt = Date.now();
    if (s.snapshotPending) {
      if (st.batchId !== 0) return this._failStream(`out-of-order ack: expected snapshot 0, got ${st.batchId}`);
      if (st.status === BatchStatus_Status.OK) {
        s.snapshotPending = false;
        this._backoff.reset();
        return this._afterAck(s);
      }
      if (st.status === BatchStatus_Status.UNAVAILABLE) return this._failStream(`receiver unavailable: ${st.message}`);
      return this._permanent(`receiver refused the state snapshot (${statusLabel(st.status)}): ${st.message}`);
    }
    const head = this._window.head();
    if (!head || this._window.sentCount === 0 || head.streamBatchId !== st.batchId) {
      return this._failStream(`out-of-order ack: expected ${head && this._window.sentCount > 0 ? head.streamBatchId : 'none'}, got ${st.batchId}`);
    }
    switch (st.status) {
      case BatchStatus_Status.OK: {
        this._window.shift();
        this._snapshot.apply(head.stateChanges);
        this._r.ackedBatches++;
        this._r.ackedRecords += head.recordCount;
        this._backoff.reset();
        return this._afterAck(s);
      }
      case BatchStatus_Status.INVALID_ARGUMENT:
      case BatchStatus_Status.RESOURCE_EXHAUSTED:
        this._dropHead(`rejected by receiver (${statusLabel(st.status)})`, st.message);
        return this._failStream(`batch refused: ${statusLabel(st.status)}: ${st.message}`, { immediate: true });
      default:
        return this._failStream(`receiver answered ${statusLabel(st.status)} for batch ${st.batchId}: ${st.message}`);
    }
  }

  private _afterAck(s: Session): void {
    this._checkFlushWaiters();
    if (this._state === 'draining' && !this._outstanding(s)) {
      this._rotate('stream lifetime reached, all acks in');
      return;
    }
    this._armIdleTimer(s);
  }

  /**
   * A stream with nothing to do is ended after `idleTimeoutMillis`, so the receiver does
   * not keep idle streams forever. (It no longer holds the process meanwhile: see
   * EventLoopHold.) The next submit opens a new stream (with the snapshot).
   */
  private _armIdleTimer(s: Session): void {
    if (this._o.idleTimeoutMillis <= 0 || s.idleTimer || !this._isIdle(s)) return;
    s.idleTimer = setTimeout(() => {
      s.idleTimer = undefined;
      if (this._session !== s || this._state !== 'active') return;
      if (!this._isIdle(s)) return this._armIdleTimer(s);
      log.debug(`stream ${s.id} idle for ${this._o.idleTimeoutMillis} ms: closing it`);
      this._r.idleCloses++;
      this._closeSession('end');
      this._state = 'idle';
      this._kick();
    }, this._o.idleTimeoutMillis);
    s.idleTimer.unref?.();
  }

  private _isIdle(s: Session): boolean {
    return !this._outstanding(s) && this._window.size === 0 && this._callsInProgress.size === 0;
  }

  /** The stream finished (server status, connection loss, or our own cancel). */
  private _onStreamEnd(s: Session, st: grpc.StatusObject): void {
    if (this._session !== s) return;
    const decision = classifyGrpcStatus(st.code, st.details, st.metadata);
    if (decision.kind === 'retryable') {
      return this._failStream(decision.reason, { retryAfterMillis: decision.retryAfterMillis });
    }
    // UNAUTHENTICATED, PERMISSION_DENIED, … or a frame the receiver refused outright
    // (larger than its hard cap): configuration problems that no retry fixes.
    this._permanent(decision.reason);
  }

  private _onLifetimeExpired(s: Session): void {
    if (this._session !== s || this._state !== 'active') return;
    if (!this._outstanding(s)) return this._rotate('stream lifetime reached');
    this._state = 'draining';
    log.debug(`stream ${s.id} draining before rotation`);
    s.drainTimer = setTimeout(() => {
      if (this._session === s && this._state === 'draining') this._rotate('drain timeout: replaying unacknowledged batches', 'cancel');
    }, this._o.drainTimeoutMillis);
    s.drainTimer.unref?.();
  }

  private _rotate(reason: string, mode: 'end' | 'cancel' = 'end'): void {
    log.debug(`rotating stream: ${reason}`);
    this._r.rotations++;
    this._closeSession(mode);
    this._state = 'idle';
    this._kick();
  }

  /**
   * Ends the current session. 'end' half-closes (the receiver finishes and answers OK;
   * a cancel follows after a grace period in case it does not), 'cancel' aborts.
   */
  private _closeSession(mode: 'end' | 'cancel'): void {
    const s = this._session;
    if (!s) return;
    this._session = undefined;
    clearTimeout(s.ackTimer);
    clearTimeout(s.lifetimeTimer);
    clearTimeout(s.drainTimer);
    clearTimeout(s.idleTimer);
    this._window.resetSent();
    if (mode === 'cancel') {
      s.call.cancel();
      return;
    }
    s.call.end();
    const t = setTimeout(() => s.call.cancel(), 1000);
    t.unref?.();
  }

  private _failStream(reason: string, o: { retryAfterMillis?: number; immediate?: boolean; resetChannel?: boolean } = {}): void {
    if (this._closingDone()) return;
    this._r.streamFailures++;
    this._r.lastError = reason;
    this._closeSession('cancel');
    if (o.resetChannel && this._client) {
      // A stalled connection stays "ready" to gRPC (a cancelled stream does not close
      // it): drop the channel so the next stream gets a fresh connection.
      this._client.close();
      this._client = undefined;
    }
    clearTimeout(this._backoffTimer);
    const delay = o.immediate ? 0 : Math.max(this._backoff.next(), o.retryAfterMillis ?? 0);
    log.warn(`stream failed: ${reason}; ${this._window.size} batches held, retrying in ${delay} ms`);
    this._state = 'backoff';
    this._backoffTimer = setTimeout(() => {
      this._backoffTimer = undefined;
      if (this._state !== 'backoff') return;
      this._state = 'idle';
      this._kick();
    }, delay);
    // Held batches keep the process alive only until shutdown drops them.
    if (this._window.size === 0) this._backoffTimer.unref?.();
  }

  private _permanent(reason: string): void {
    if (this._closingDone()) return;
    this._fatal = new Error(`otel-stateful-logs transport: permanent error: ${reason}`);
    this._r.lastError = reason;
    log.error(`${reason} — not retrying; held batches are dropped and further submits fail`);
    this._closeSession('cancel');
    clearTimeout(this._backoffTimer);
    this._state = 'failed';
    this._dropAll(`permanent error: ${reason}`);
    this._window.rejectWaiters(this._fatal);
    this._client?.close();
    this._client = undefined;
    this._checkFlushWaiters();
  }

  // ---- bookkeeping -------------------------------------------------------------

  private _dropHead(reason: string, detail: string): void {
    const e = this._window.shift();
    if (!e) return;
    // Its defines/deletes still happened on the sender: later batches may use them.
    this._snapshot.apply(e.stateChanges);
    this._countDrop(reason, e);
    log.error(`dropped a batch of ${e.recordCount} records: ${reason}${detail ? `: ${detail}` : ''}`);
    this._checkFlushWaiters();
  }

  private _dropAll(reason: string): void {
    let e: InflightEntry | undefined;
    let n = 0;
    while ((e = this._window.shift())) {
      this._countDrop(reason, e);
      n += e.recordCount;
    }
    if (n > 0) log.error(`dropped ${n} unacknowledged records: ${reason}`);
  }

  private _countDrop(reason: string, e: InflightEntry): void {
    this._r.droppedBatches++;
    this._r.droppedRecords += e.recordCount;
    this._r.dropReasons[reason] = (this._r.dropReasons[reason] ?? 0) + e.recordCount;
  }

  private _countDropRecords(reason: string, records: number): void {
    this._r.droppedBatches++;
    this._r.droppedRecords += records;
    this._r.dropReasons[reason] = (this._r.dropReasons[reason] ?? 0) + records;
  }

  private _isDone(target: number): boolean {
    for (const seq of this._callsInProgress) if (seq <= target) return false;
    const head = this._window.head();
    return !head || head.seq > target;
  }

  /** Called after every change of what is pending (submit, ack, drop, shutdown). */
  private _checkFlushWaiters(): void {
    for (const w of [...this._flushWaiters]) if (this._isDone(w.target)) w.done();
    if (this._window.size === 0 && this._callsInProgress.size === 0) this._hold.release();
    else this._hold.hold();
  }

  private _report(timedOut: boolean): DeliveryReport {
    const r = { ...this._r, dropReasons: { ...this._r.dropReasons } };
    r.pendingBatches = this._window.size + this._callsInProgress.size;
    r.pendingRecords = this._window.records;
    r.peakInflightBatches = this._window.peakBatches;
    r.peakInflightBytes = this._window.peakBytes;
    r.timedOut = timedOut;
    r.ok = !this._fatal && r.pendingBatches === 0 && r.droppedRecords === 0 && r.droppedBatches === 0;
    return r;
  }
}

function statusLabel(s: BatchStatus_Status): string {
  return BatchStatus_Status[s] ?? `status ${s}`;
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function buildMetadata(o: ResolvedTransportOptions): grpc.Metadata {
  let md: grpc.Metadata;
  if (o.headers instanceof grpc.Metadata) md = o.headers.clone();
  else {
    md = new grpc.Metadata();
    for (const [k, v] of Object.entries(o.headers ?? {})) md.set(k.toLowerCase(), v);
  }
  if (o.token !== undefined) md.set('authorization', `Bearer ${o.token}`);
  return md;
}
