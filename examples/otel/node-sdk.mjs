// With @opentelemetry/sdk-node: pass the processor in `logRecordProcessors` (sdk-node's
// OTEL_LOGS_EXPORTER only knows its built-in exporter names; passing processors bypasses it).
//
//   npm run build && node examples/otel/node-sdk.mjs
import { logs } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { StatefulLogRecordProcessor } from 'otel-stateful-logs';
import { ensureReceiver } from './local-receiver.mjs';

const receiver = await ensureReceiver();

const sdk = new NodeSDK({
  serviceName: 'node-sdk-example',
  logRecordProcessors: [new StatefulLogRecordProcessor()],
  // No traces or metrics exporters in this example.
  traceExporter: undefined,
  instrumentations: [],
});
sdk.start();

logs.getLogger('node-sdk-example').emit({ body: 'Cache warmed: 1200 keys in 350 ms', attributes: { 'cache.tier': 'redis' } });

await sdk.shutdown();
await receiver.close();
