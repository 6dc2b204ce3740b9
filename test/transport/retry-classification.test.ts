import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { classifyGrpcStatus, retryDelayFromMetadata } from '../../src/transport/retry-classification';

/** A google.rpc.Status with one RetryInfo detail, as a server would put in grpc-status-details-bin. */
function statusWithRetryInfo(seconds: number, nanos: number): Buffer {
  const duration = new BinaryWriter().uint32(8).int64(seconds).uint32(16).int32(nanos).finish();
  const retryInfo = new BinaryWriter().uint32(10).bytes(duration).finish();
  const any = new BinaryWriter().uint32(10).string('type.googleapis.com/google.rpc.RetryInfo').uint32(18).bytes(retryInfo).finish();
  return Buffer.from(new BinaryWriter().uint32(8).int32(8).uint32(18).string('slow down').uint32(26).bytes(any).finish());
}

describe('classifyGrpcStatus (Collector rules for gRPC)', () => {
  it.each([
    ['CANCELLED', status.CANCELLED],
    ['DEADLINE_EXCEEDED', status.DEADLINE_EXCEEDED],
    ['ABORTED', status.ABORTED],
    ['OUT_OF_RANGE', status.OUT_OF_RANGE],
    ['UNAVAILABLE', status.UNAVAILABLE],
    ['DATA_LOSS', status.DATA_LOSS],
    ['INTERNAL (deviation: a stream is the whole future)', status.INTERNAL],
    ['UNKNOWN (same)', status.UNKNOWN],
  ])('%s is retryable', (_n, code) => {
    expect(classifyGrpcStatus(code, 'x').kind).toBe('retryable');
  });

  it.each([
    ['UNAUTHENTICATED', status.UNAUTHENTICATED],
    ['PERMISSION_DENIED', status.PERMISSION_DENIED],
    ['INVALID_ARGUMENT', status.INVALID_ARGUMENT],
    ['UNIMPLEMENTED', status.UNIMPLEMENTED],
    ['FAILED_PRECONDITION', status.FAILED_PRECONDITION],
    ['NOT_FOUND', status.NOT_FOUND],
  ])('%s is permanent, and the reason names it', (name, code) => {
    const d = classifyGrpcStatus(code, 'because');
    expect(d.kind).toBe('permanent');
    expect(d.reason).toBe(`${name}: because`);
  });

  it('RESOURCE_EXHAUSTED is retryable only with RetryInfo, whose delay becomes the wait', () => {
    expect(classifyGrpcStatus(status.RESOURCE_EXHAUSTED, 'full').kind).toBe('permanent');
    const md = new Metadata();
    md.set('grpc-status-details-bin', statusWithRetryInfo(2, 500_000_000));
    expect(retryDelayFromMetadata(md)).toBe(2500);
    expect(classifyGrpcStatus(status.RESOURCE_EXHAUSTED, 'full', md)).toEqual({
      kind: 'retryable',
      reason: 'RESOURCE_EXHAUSTED: full',
      retryAfterMillis: 2500,
    });
  });

  it('ignores malformed status details instead of throwing', () => {
    const md = new Metadata();
    md.set('grpc-status-details-bin', Buffer.from([0xff, 0xff, 0xff]));
    expect(retryDelayFromMetadata(md)).toBeUndefined();
    expect(classifyGrpcStatus(status.RESOURCE_EXHAUSTED, '', md).kind).toBe('permanent');
  });

  it('a stream ended OK by the server while batches are out is retried', () => {
    expect(classifyGrpcStatus(status.OK, '').kind).toBe('retryable');
  });
});
