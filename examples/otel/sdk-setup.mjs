// Plain OpenTelemetry SDK setup: a LoggerProvider with the companion processor (which
// builds its StatefulLogExporter from the same options and the OTEL_* environment).
//
//   npm run build && node examples/otel/sdk-setup.mjs
import { SeverityNumber, logs } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { StatefulLogRecordProcessor } from 'otel-stateful-logs';
import { ensureReceiver } from './local-receiver.mjs';

const receiver = await ensureReceiver();

const provider = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': 'sdk-setup-example' }),
  processors: [
    new StatefulLogRecordProcessor({
      // Everything below is optional: url, headers, compression… also come from OTEL_* env.
      compression: 'zstd',
      maxExportBatchSize: 512,
    }),
  ],
});
logs.setGlobalLoggerProvider(provider);

const logger = logs.getLogger('example', '1.0.0');
for (let i = 0; i < 5; i++) {
  logger.emit({
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: `Order ${4200 + i} shipped to warehouse ${i % 2 ? 'LYS' : 'CDG'} in ${10 + i * 3} ms`,
    attributes: { 'order.id': 4200 + i, 'shipping.express': i === 3 },
  });
}

// Flush and close the stream before exit (apps usually do this in a shutdown hook).
await provider.shutdown();
await receiver.close();
