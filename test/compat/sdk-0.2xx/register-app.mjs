// An app on the 0.2xx line that knows nothing of otel-stateful-logs; run with
// `node --import otel-stateful-logs/register register-app.mjs`.
import { logs } from '@opentelemetry/api-logs';
logs.getLogger('legacy-app', '0.1.0').emit({ body: 'hello from api-logs', severityNumber: 9, attributes: { line: '0.2xx' } });
