/**
 * `otel-stateful-logs receive`: run a receiver. Records go to a JSONL file / stdout or,
 * with --forward-otlp, to an OpenTelemetry Collector.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { startReceiver, type RunningReceiver } from '../receiver/server';
import { JsonlSink } from '../receiver/sinks/jsonl-sink';
import { OtlpForwardSink } from '../receiver/sinks/otlp-forward-sink';
import type { RecordSink } from '../receiver/sinks/sink';
import type { ReceiverLimits } from '../receiver/limits';

export interface ReceiveCliOptions {
  listen: string;
  out: string;
  token?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  forwardOtlp?: string;
  maxFrameBytes?: string;
  maxDecompressedBytes?: string;
  maxPatterns?: string;
  maxDictEntries?: string;
  maxStreams?: string;
}

function intOpt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

/** Starts the receiver described by CLI options (exported for tests and the demo). */
export async function runReceive(o: ReceiveCliOptions): Promise<RunningReceiver> {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new Error('--tls-cert and --tls-key go together');
  const sink: RecordSink = o.forwardOtlp ? await OtlpForwardSink.create({ url: o.forwardOtlp }) : new JsonlSink(o.out);
  const limits: Partial<ReceiverLimits> = {
    maxFrameBytes: intOpt('max-frame-bytes', o.maxFrameBytes),
    maxDecompressedBytes: intOpt('max-decompressed-bytes', o.maxDecompressedBytes),
    maxPatterns: intOpt('max-patterns', o.maxPatterns),
    maxDictEntries: intOpt('max-dict-entries', o.maxDictEntries),
    maxStreams: intOpt('max-streams', o.maxStreams),
  };
  return startReceiver({
    listen: o.listen,
    sink,
    token: o.token ?? (process.env.OTEL_STATEFUL_LOGS_TOKEN || undefined),
    tls: o.tlsCert
      ? {
          cert: fs.readFileSync(o.tlsCert),
          key: fs.readFileSync(o.tlsKey!),
          clientCa: o.tlsClientCa ? fs.readFileSync(o.tlsClientCa) : undefined,
        }
      : undefined,
    limits,
  });
}

export function registerReceiveCommand(program: Command): void {
  program
    .command('receive')
    .description('run a receiver: accept stateful log streams, rebuild every record, write JSONL or forward to a Collector')
    .requiredOption('--listen <host:port>', 'address to listen on (port 0 = any free port)')
    .option('--out <file|->', 'JSONL output file (appended) or - for stdout', '-')
    .option('--token <token>', 'require "authorization: Bearer <token>" (or env OTEL_STATEFUL_LOGS_TOKEN)')
    .option('--tls-cert <file>', 'server certificate (PEM); enables TLS')
    .option('--tls-key <file>', 'server private key (PEM)')
    .option('--tls-client-ca <file>', 'require client certificates signed by this CA (mutual TLS)')
    .option('--forward-otlp <url>', 'forward records to an OTLP/gRPC endpoint (e.g. http://localhost:4317) instead of --out')
    .option('--max-frame-bytes <n>', 'per-stream limit: compressed batch size')
    .option('--max-decompressed-bytes <n>', 'per-stream limit: batch size after decompression')
    .option('--max-patterns <n>', 'per-stream limit: live patterns')
    .option('--max-dict-entries <n>', 'per-stream limit: live dictionary entries')
    .option('--max-streams <n>', 'most concurrent streams')
    .action(async (o: ReceiveCliOptions) => {
      const r = await runReceive(o);
      process.stderr.write(`otel-stateful-logs receiver listening on ${r.address}\n`);
      const stop = (): void => {
        process.stderr.write('otel-stateful-logs receiver stopping\n');
        void r.close(2000).then(() => {
          const s = r.stats();
          process.stderr.write(`received ${s.records} records in ${s.batches} batches over ${s.streamsAccepted} streams\n`);
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
