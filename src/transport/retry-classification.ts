/**
 * Which failures are worth a retry, as the Collector's OTLP exporter decides for gRPC
 * (otlpexporter `shouldRetry`): transient codes are retried with backoff, a server's
 * `google.rpc.RetryInfo` becomes the wait, everything else is permanent.
 */
import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { BinaryReader } from '@bufbuild/protobuf/wire';

export type RetryDecision =
  | { kind: 'retryable'; reason: string; retryAfterMillis?: number }
  | { kind: 'permanent'; reason: string };

const RETRYABLE = new Set<number>([
  // Deviation from the Collector (which drops the request on these): one stream carries
  // everything this process will ever send, so "permanent" would mean losing all future
  // data. grpc-js reports transport-level breakage (RST_STREAM, protocol errors, a
  // crashing server) as INTERNAL / UNKNOWN; retrying with backoff is the safe reading.
  GrpcStatus.INTERNAL,
  GrpcStatus.UNKNOWN,
  GrpcStatus.CANCELLED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.ABORTED,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/** Name of a gRPC status code, for messages ("UNAVAILABLE"). */
export function statusName(code: number): string {
  return (GrpcStatus as unknown as Record<number, string>)[code] ?? `code ${code}`;
}

/**
 * Reads `RetryInfo.retry_delay` (ms) from the `grpc-status-details-bin` trailer, a
 * serialized google.rpc.Status. Hand-decoded: three tiny messages do not justify a
 * dependency on the googleapis protos.
 */
export function retryDelayFromMetadata(metadata: Metadata | undefined): number | undefined {
  const raw = metadata?.get('grpc-status-details-bin')?.[0];
  if (!raw || typeof raw === 'string') return undefined;
  try {
    const status = new BinaryReader(raw);
    while (status.pos < status.len) {
      const [field, wire] = status.tag();
      if (field !== 3 || wire !== 2) { status.skip(wire); continue; }
      const any = new BinaryReader(status.bytes());
      let typeUrl = '';
      let value: Uint8Array | undefined;
      while (any.pos < any.len) {
        const [f, w] = any.tag();
        if (f === 1 && w === 2) typeUrl = any.string();
        else if (f === 2 && w === 2) value = any.bytes();
        else any.skip(w);
      }
      if (typeUrl !== RETRY_INFO_TYPE || !value) continue;
      const info = new BinaryReader(value);
      while (info.pos < info.len) {
        const [f, w] = info.tag();
        if (f !== 1 || w !== 2) { info.skip(w); continue; }
        const dur = new BinaryReader(info.bytes());
        let seconds = 0;
        let nanos = 0;
        while (dur.pos < dur.len) {
          const [df, dw] = dur.tag();
          if (df === 1 && dw === 0) seconds = Number(dur.int64());
          else if (df === 2 && dw === 0) nanos = dur.int32();
          else dur.skip(dw);
        }
        return Math.max(0, seconds * 1000 + Math.floor(nanos / 1e6));
      }
      return 0;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Classifies a stream's final gRPC status. */
export function classifyGrpcStatus(code: number, details: string, metadata?: Metadata): RetryDecision {
  const reason = `${statusName(code)}${details ? `: ${details}` : ''}`;
  if (RETRYABLE.has(code)) return { kind: 'retryable', reason };
  if (code === GrpcStatus.RESOURCE_EXHAUSTED) {
    const delay = retryDelayFromMetadata(metadata);
    if (delay !== undefined) return { kind: 'retryable', reason, retryAfterMillis: delay };
    return { kind: 'permanent', reason };
  }
  // A stream that ends with OK while batches are unacknowledged: the server went away.
  if (code === GrpcStatus.OK) return { kind: 'retryable', reason: 'stream ended by the receiver' };
  return { kind: 'permanent', reason };
}
