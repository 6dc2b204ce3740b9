// Shared by the examples: when OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT is not set, start a
// receiver on loopback that prints every record it rebuilds as one JSON line, and point the
// exporter at it through the environment. In production the receiver is its own process
// (`otel-stateful-logs receive --listen 0.0.0.0:4327 --out -`) or an intake.
import { JsonlSink, startReceiver } from 'otel-stateful-logs';

export async function ensureReceiver() {
  if (process.env.OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT) return { close: async () => {} };
  const receiver = await startReceiver({ listen: '127.0.0.1:0', sink: new JsonlSink(process.stdout) });
  process.env.OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT = `http://127.0.0.1:${receiver.port}`;
  return receiver;
}
