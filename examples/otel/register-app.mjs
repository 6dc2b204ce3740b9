// Zero-code adoption: this app only uses the OpenTelemetry logs API; the register entry
// builds the LoggerProvider (processor + exporter from OTEL_* env) and sets it globally.
//
//   otel-stateful-logs receive --listen 127.0.0.1:4327 --out -      # in another terminal
//   OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT=http://127.0.0.1:4327 OTEL_SERVICE_NAME=register-example \
//     node --import otel-stateful-logs/register examples/otel/register-app.mjs
//
// (CommonJS apps: `node --require otel-stateful-logs/register app.js`.) Queued records are
// flushed when the event loop empties.
import { SeverityNumber, logs } from '@opentelemetry/api';

const logger = logs.getLogger('register-example');
for (let i = 0; i < 3; i++) {
  logger.emit({ severityNumber: SeverityNumber.WARN, body: `Disk usage at ${80 + i}% on /var/lib/data`, attributes: { 'disk.mount': '/var/lib/data' } });
}
