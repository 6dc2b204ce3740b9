// Chaining with the user's own processors. The provider fans every record out to each
// processor in order, so:
//  - an enricher placed *before* ours can add attributes that ours then exports;
//  - a filter must *wrap* ours (and forward forceFlush/shutdown) to keep records from it.
//
//   npm run build && node examples/otel/filtering-processor.mjs
import { SeverityNumber, logs } from '@opentelemetry/api';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { StatefulLogRecordProcessor } from 'otel-stateful-logs';
import { ensureReceiver } from './local-receiver.mjs';

/** Passes on records at or above a severity; forwards flush and shutdown. */
class SeverityFilterProcessor {
  constructor(next, minSeverity) {
    this.next = next;
    this.minSeverity = minSeverity;
  }
  onEmit(record, context) {
    if ((record.severityNumber ?? 0) >= this.minSeverity) this.next.onEmit(record, context);
  }
  forceFlush() {
    return this.next.forceFlush();
  }
  shutdown() {
    return this.next.shutdown();
  }
}

/** Adds a deployment attribute to every record (runs first, may mutate). */
const enrich = {
  onEmit(record) {
    record.setAttribute('deployment.environment.name', 'staging');
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};

const receiver = await ensureReceiver();
const provider = new LoggerProvider({
  processors: [enrich, new SeverityFilterProcessor(new StatefulLogRecordProcessor(), SeverityNumber.INFO)],
});
const logger = provider.getLogger('filter-example');
logger.emit({ severityNumber: SeverityNumber.DEBUG, body: 'connection pool stats: 3 idle' }); // filtered out
logger.emit({ severityNumber: SeverityNumber.INFO, body: 'user 42 signed in' });
logger.emit({ severityNumber: SeverityNumber.ERROR, body: 'payment 991 declined: insufficient funds' });

await provider.shutdown();
await receiver.close();
