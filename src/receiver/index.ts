/** The receiver: a gRPC server that mirrors each sender's state and rebuilds every record. */
export { startReceiver, makeTokenCheck, type ReceiverOptions, type ReceiverTlsOptions, type RunningReceiver } from './server';
export type { BatchDecoder, BatchDecoderFactory } from './batch-decoder';
export { DEFAULT_RECEIVER_LIMITS, LimitExceededError, type ReceiverLimits } from './limits';
export type { ReceiverStats } from './receiver-stats';
export type { RecordSink, SinkContext } from './sinks/sink';
export { MemorySink } from './sinks/memory-sink';
export { JsonlSink } from './sinks/jsonl-sink';
export { OtlpForwardSink, ReadableRecordBuilder, type OtlpForwardSinkOptions } from './sinks/otlp-forward-sink';
export { logRecordToJson, toJsonAnyValue, hrTimeToNanoString, type LogRecordJson } from './record-json';
