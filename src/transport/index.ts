/** Sender side of the stateful stream: opaque batches in, acknowledgements out. */
export { StreamTransport } from './stream-worker';
export { BatchTooLargeError } from './batch-too-large-error';
export type { TransportBatch } from './inflight-window';
export type { DeliveryReport } from './delivery-report';
export type { TransportOptions, ClientTlsOptions, TransportCompression } from './transport-options';
export type { BackoffOptions } from './backoff';
export { classifyGrpcStatus, type RetryDecision } from './retry-classification';
