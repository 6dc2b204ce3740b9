// A popular logger bridged through its OpenTelemetry instrumentation: pino records become
// OpenTelemetry log records (instrumentation-pino's log sending), which our processor ships.
// The instrumentation must be enabled before pino is loaded.
//
//   npm run build && node examples/otel/pino.mjs
import { createRequire } from 'node:module';
import { logs } from '@opentelemetry/api';
import { logs as bridgeLogs } from '@opentelemetry/api-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { StatefulLogRecordProcessor } from 'otel-stateful-logs';
import { ensureReceiver } from './local-receiver.mjs';

const receiver = await ensureReceiver();
const sdk = new NodeSDK({
  serviceName: 'pino-example',
  logRecordProcessors: [new StatefulLogRecordProcessor()],
  instrumentations: [new PinoInstrumentation()],
});
sdk.start();
// instrumentation-pino (0.69) still emits through @opentelemetry/api-logs, whose global is
// separate from @opentelemetry/api 1.10's `logs` that sdk-node 0.301 sets: point it at the
// same provider. (`--import otel-stateful-logs/register` sets both for you.)
bridgeLogs.setGlobalLoggerProvider(logs.getLoggerProvider());

// require(), not import: the instrumentation patches CommonJS loads (ESM loads need the
// import-in-the-middle hook: node --import @opentelemetry/instrumentation/hook.mjs).
const pino = createRequire(import.meta.url)('pino');
// pino's own output goes to /dev/null here so only the receiver's JSON lines are printed.
const log = pino({ level: 'info' }, pino.destination('/dev/null'));
log.info({ orderId: 4711, items: 3 }, 'order placed');
log.warn({ latencyMs: 950 }, 'slow upstream response');
log.error(new Error('card declined'), 'payment failed');

await sdk.shutdown();
await receiver.close();
