/**
 * The receiver program's core: a gRPC server for StatefulLogsService. Each stream gets
 * its own decoder (state is per stream), records go to one sink, acks follow the sink.
 */
import crypto from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { diag } from '@opentelemetry/api';
import { initCompression } from '../encoder/compression';
import {
  StatefulLogsServiceService,
  type BatchStatus,
  type StatefulBatch,
} from '../proto/otel_stateful_logs/v1/stateful_logs';
import type { BatchDecoderFactory } from './batch-decoder';
import { createDefaultDecoder } from './default-decoder';
import { resolveLimits, type ReceiverLimits } from './limits';
import { emptyReceiverStats, type ReceiverStats } from './receiver-stats';
import type { RecordSink } from './sinks/sink';
import { SenderRegistry } from './sender-registry';
import { StreamSession } from './stream-session';

const log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/receiver' });

export interface ReceiverTlsOptions {
  /** Server certificate chain, PEM. */
  cert: Buffer;
  /** Private key, PEM. */
  key: Buffer;
  /** When given, clients must present a certificate signed by this CA (mutual TLS). */
  clientCa?: Buffer;
}

export interface ReceiverOptions {
  /** `host:port`, `[ipv6]:port`, or a port number (binds 127.0.0.1). Port 0 picks a free one. */
  listen: string | number;
  /** Where decoded records go. */
  sink: RecordSink;
  /** When set, every stream must send `authorization: Bearer <token>`. */
  token?: string;
  /** TLS; plaintext when absent. */
  tls?: ReceiverTlsOptions;
  limits?: Partial<ReceiverLimits>;
  /** One decoder per stream. Default: the package's StatefulDecoder. */
  decoderFactory?: BatchDecoderFactory;
}

export interface RunningReceiver {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** `host:port` to give to senders. */
  readonly address: string;
  stats(): ReceiverStats;
  /**
   * Stops accepting, ends open streams (UNAVAILABLE after `graceMillis`), closes the
   * sink. Idempotent.
   */
  close(graceMillis?: number): Promise<void>;
}

function hashed(s: string): Buffer {
  return crypto.createHash('sha256').update(s, 'utf8').digest();
}

/** Compares the authorization header with the expected one in constant time. */
export function makeTokenCheck(token: string): (md: grpc.Metadata) => boolean {
  const expected = hashed(`Bearer ${token}`);
  return (md) => {
    const got = md.get('authorization')[0];
    // Hash first: equal lengths for timingSafeEqual, and no length leak.
    const actual = hashed(typeof got === 'string' ? got : '');
    return crypto.timingSafeEqual(expected, actual) && typeof got === 'string';
  };
}

function parseListen(listen: string | number): string {
  if (typeof listen === 'number') return `127.0.0.1:${listen}`;
  const s = listen.trim();
  if (/^\d+$/.test(s)) return `127.0.0.1:${s}`;
  if (!/:\d+$/.test(s)) throw new TypeError(`listen address must be HOST:PORT, got '${listen}'`);
  return s;
}

/** Starts a receiver; resolves once it is listening. */
export async function startReceiver(o: ReceiverOptions): Promise<RunningReceiver> {
  const limits = resolveLimits(o.limits);
  const decoderFactory = o.decoderFactory ?? createDefaultDecoder;
  await initCompression();
  const stats = emptyReceiverStats();
  const sessions = new Set<StreamSession>();
  const checkToken = o.token !== undefined ? makeTokenCheck(o.token) : undefined;
  let nextStreamId = 1;
  const senders = new SenderRegistry();

  const server = new grpc.Server({
    // Frames over maxFrameBytes get a per-batch RESOURCE_EXHAUSTED answer from the
    // session (the sender drops that batch and goes on); only far larger ones are cut
    // by gRPC itself, which fails the whole stream.
    'grpc.max_receive_message_length': Math.min(2 ** 31 - 1, limits.maxFrameBytes * 2 + 4 * 1024 * 1024),
    'grpc.max_send_message_length': 1024 * 1024,
  });

  server.addService(StatefulLogsServiceService, {
    logsStream: (call: grpc.ServerDuplexStream<StatefulBatch, BatchStatus>) => {
      if (checkToken && !checkToken(call.metadata)) {
        stats.authFailures++;
        stats.streamsRefused++;
        log.warn(`refused a stream from ${peerOf(call)}: missing or wrong bearer token`);
        call.on('error', () => undefined);
        call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'missing or invalid bearer token', metadata: new grpc.Metadata() });
        return;
      }
      if (sessions.size >= limits.maxStreams) {
        stats.streamsRefused++;
        call.on('error', () => undefined);
        call.emit('error', { code: grpc.status.UNAVAILABLE, details: `too many streams (maxStreams ${limits.maxStreams})`, metadata: new grpc.Metadata() });
        return;
      }
      let decoder;
      try {
        decoder = decoderFactory(limits);
      } catch (err) {
        call.on('error', () => undefined);
        call.emit('error', { code: grpc.status.INTERNAL, details: `no decoder: ${err instanceof Error ? err.message : String(err)}`, metadata: new grpc.Metadata() });
        return;
      }
      stats.streamsAccepted++;
      stats.streamsActive++;
      const replay = SenderRegistry.parse(call.metadata);
      const sender = replay ? { state: senders.get(replay.senderId), firstSeq: replay.firstSeq } : undefined;
      const session = new StreamSession(nextStreamId++, call, decoder, o.sink, limits, stats, (s) => {
        if (sessions.delete(s)) stats.streamsActive--;
        if (sender && sender.state.current === s) sender.state.current = undefined;
      }, sender);
      sessions.add(session);
    },
  });

  const creds = o.tls
    ? grpc.ServerCredentials.createSsl(o.tls.clientCa ?? null, [{ private_key: o.tls.key, cert_chain: o.tls.cert }], o.tls.clientCa !== undefined)
    : grpc.ServerCredentials.createInsecure();
  const target = parseListen(o.listen);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(target, creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  const host = target.slice(0, target.lastIndexOf(':'));
  const address = `${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  log.info(`receiver listening on ${host}:${port}${o.tls ? ' (TLS)' : ''}`);

  let closing: Promise<void> | undefined;
  return {
    port,
    address,
    stats: () => ({ ...stats, rejected: { ...stats.rejected }, framesByCompression: { ...stats.framesByCompression } }),
    close(graceMillis = 2000) {
      if (!closing) {
        closing = (async () => {
          // No new streams; open ones finish the batch in hand (acked), then end with
          // UNAVAILABLE — unless the grace period runs out first.
          const stopped = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
          const graceful = Promise.all([...sessions].map((s) => s.stop())).then(() => stopped);
          let timer: NodeJS.Timeout | undefined;
          const expired = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMillis); });
          await Promise.race([graceful, expired]);
          clearTimeout(timer);
          for (const s of sessions) s.abort(grpc.status.UNAVAILABLE, 'receiver shutting down');
          server.forceShutdown();
          await o.sink.close?.();
        })();
      }
      return closing;
    },
  };
}

function peerOf(call: { getPeer(): string }): string {
  try {
    return call.getPeer();
  } catch {
    return 'unknown';
  }
}
