/**
 * A minimal OTLP/gRPC logs endpoint for the demo: a grpc-js server with a pass-through
 * service at `/opentelemetry.proto.collector.logs.v1.LogsService/Export` (identity
 * serializers, as the OpenTelemetry JS tests do), answering every request with an empty
 * ExportLogsServiceResponse and counting the log records it received.
 */
import * as grpc from '@grpc/grpc-js';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

export interface OtlpSink {
  readonly port: number;
  readonly requests: number;
  readonly records: number;
  close(): Promise<void>;
}

const identity = (b: Buffer) => b;
const SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** Counts LogRecords in an ExportLogsServiceRequest (resource_logs=1 > scope_logs=2 > log_records=2). */
export function countOtlpLogRecords(bytes: Uint8Array): number {
  const forEachField = (buf: Uint8Array, field: number, fn: (b: Uint8Array) => void) => {
    const r = new BinaryReader(buf);
    while (r.pos < r.len) {
      const [no, type] = r.tag();
      if (no === field && type === WireType.LengthDelimited) fn(r.bytes());
      else r.skip(type, no);
    }
  };
  let n = 0;
  forEachField(bytes, 1, (rl) => forEachField(rl, 2, (sl) => forEachField(sl, 2, () => n++)));
  return n;
}

export function startOtlpSink(host = '127.0.0.1'): Promise<OtlpSink> {
  let requests = 0;
  let records = 0;
  const server = new grpc.Server();
  server.addService(SERVICE, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      requests++;
      records += countOtlpLogRecords(call.request);
      cb(null, Buffer.alloc(0));
    },
  });
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:0`, grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) return reject(err);
      resolve({
        port,
        get requests() { return requests; },
        get records() { return records; },
        close: () => new Promise<void>((done) => server.tryShutdown(() => done())),
      });
    });
  });
}
