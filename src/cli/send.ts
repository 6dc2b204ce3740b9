/**
 * `otel-stateful-logs send`: read lines (a file or stdin), send each as one log record's
 * body over the stateful stream, and exit 0 only when every record was acknowledged.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Command } from 'commander';
import type { LogRecordData } from '../encoder/log-record';
import { PatternStore } from '../encoder/pattern-store';
import { StatefulEncoder } from '../encoder/stateful-encoder';
import type { DeliveryReport } from '../transport/delivery-report';
import { StreamTransport } from '../transport/stream-worker';
import { DEFAULT_COMPRESSION, type TransportCompression } from '../transport/transport-options';

export interface SendCliOptions {
  endpoint: string;
  token?: string;
  rate?: string;
  insecure?: boolean;
  tlsCa?: string;
  compression: string;
  batchSize: string;
  timeout: string;
  serviceName: string;
}

export interface SendResult {
  lines: number;
  report: DeliveryReport;
}

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${v}'`);
  return n;
}

function nowHr(): [number, number] {
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];
}

/** Sends every line of `input` as a record; resolves with the delivery report. */
export async function runSend(input: NodeJS.ReadableStream, o: SendCliOptions): Promise<SendResult> {
  const compression = o.compression as TransportCompression;
  if (!['zstd', 'gzip', 'none', 'deflate-stream'].includes(compression)) throw new Error(`--compression must be zstd, gzip, deflate-stream or none`);
  const batchSize = positiveInt('batch-size', o.batchSize);
  const timeout = positiveInt('timeout', o.timeout);
  const rate = o.rate !== undefined ? positiveInt('rate', o.rate) : undefined;
  const transport = new StreamTransport({
    endpoint: o.endpoint,
    insecure: o.insecure ?? !o.tlsCa,
    tls: o.tlsCa ? { ca: fs.readFileSync(o.tlsCa) } : undefined,
    token: o.token ?? (process.env.OTEL_STATEFUL_LOGS_TOKEN || undefined),
    compression,
  });
  const encoder = new StatefulEncoder({ patternStore: new PatternStore() });
  const resource = { attributes: { 'service.name': o.serviceName } };
  const scope = { name: 'otel-stateful-logs-send' };
  let batch: LogRecordData[] = [];
  let lines = 0;
  const started = Date.now();
  const submit = async (): Promise<void> => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    await transport.submit(encoder.encode(b));
  };
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      const t = nowHr();
      batch.push({ hrTime: t, hrTimeObserved: t, body: line, attributes: {}, droppedAttributesCount: 0, resource, scope });
      lines++;
      if (rate !== undefined) {
        // Pace to `rate` records per second (send what is batched before sleeping).
        const due = started + (lines / rate) * 1000;
        const wait = due - Date.now();
        if (wait > 5) {
          await submit();
          await new Promise((r) => setTimeout(r, wait));
        }
      }
      if (batch.length >= batchSize) await submit();
    }
    await submit();
  } catch (err) {
    // A permanent transport error: report below what was and was not delivered.
    process.stderr.write(`send: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  const report = await transport.shutdown(timeout);
  return { lines, report };
}

export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description('send each line of FILE (or stdin) as one log record; exit 0 only when every record was acknowledged')
    .argument('[file]', 'input file, or - for stdin', '-')
    .requiredOption('--endpoint <host:port>', 'receiver address (host:port, http://… or https://…)')
    .option('--token <token>', 'send "authorization: Bearer <token>" (or env OTEL_STATEFUL_LOGS_TOKEN)')
    .option('--rate <n>', 'at most N records per second')
    .option('--insecure', 'plaintext (default unless --tls-ca is given)')
    .option('--tls-ca <file>', 'use TLS and trust this CA (PEM)')
    .option('--compression <codec>', 'deflate-stream | zstd | gzip | none', DEFAULT_COMPRESSION)
    .option('--batch-size <n>', 'records per batch', '512')
    .option('--timeout <ms>', 'how long to wait for the last acknowledgements', '30000')
    .option('--service-name <name>', 'service.name resource attribute', 'otel-stateful-logs-send')
    .action(async (file: string, o: SendCliOptions) => {
      const input = file === '-' ? process.stdin : fs.createReadStream(file);
      const { lines, report } = await runSend(input, o);
      const ok = report.ok && report.ackedRecords === lines;
      process.stderr.write(
        `sent ${lines} records: ${report.ackedRecords} acknowledged, ${report.droppedRecords} dropped, ${report.pendingRecords} pending` +
          (report.lastError && !ok ? ` (last error: ${report.lastError})` : '') +
          (Object.keys(report.dropReasons).length ? ` reasons: ${JSON.stringify(report.dropReasons)}` : '') +
          '\n',
      );
      process.exit(ok ? 0 : 1);
    });
}
