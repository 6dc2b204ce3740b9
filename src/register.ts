/**
 * Zero-code registration:
 *
 * ```sh
 * node --import otel-stateful-logs/register app.mjs     # ESM (and CJS) apps
 * node --require otel-stateful-logs/register app.js     # CJS apps
 * ```
 *
 * Builds a LoggerProvider whose only processor is a {@link StatefulLogRecordProcessor}
 * (with its {@link StatefulLogExporter}), configured from the environment alone, and sets
 * it as the global logger provider, so instrumentations (pino, winston, bunyan bridges) and
 * `logs.getLogger()` send through it. sdk-node's `OTEL_LOGS_EXPORTER` only knows its
 * built-in names, which is why this entry exists.
 *
 * `@opentelemetry/sdk-logs` and `@opentelemetry/resources` are peers: they are resolved
 * from the application's own install (either the 3.x line or the 0.2xx line), never
 * bundled. The provider is shut down (flushing what is queued) when the event loop empties
 * (`beforeExit`); apps that exit through signals or `process.exit()` should call
 * `shutdown()` on the provider returned by {@link registerStatefulLogs} themselves.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as api from '@opentelemetry/api';
import { readEnvConfiguration } from './config/env-configuration';
import { StatefulLogRecordProcessor } from './processor/stateful-log-record-processor';

type AnyProvider = { shutdown(): Promise<void>; forceFlush(): Promise<void> };

declare const __filename: string | undefined;

/** Resolves a peer package from the app first (cwd, main script), then from this package. */
function requirePeer<T>(name: string): T | undefined {
  const bases = [join(process.cwd(), 'noop.js')];
  if (process.argv[1]) bases.push(process.argv[1]);
  if (typeof __filename === 'string') bases.push(__filename);
  for (const base of bases) {
    try {
      return createRequire(base)(name) as T;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

// On globalThis, not in a module variable: `--require` loads register.cjs and an ESM app
// importing 'otel-stateful-logs/register' gets register.mjs, two module instances that must
// share one provider.
const REGISTERED = Symbol.for('otel-stateful-logs.register.provider');
const slot = globalThis as { [REGISTERED]?: AnyProvider };

/**
 * Builds and registers the global LoggerProvider from the environment (idempotent; returns
 * the provider, or undefined when `@opentelemetry/sdk-logs` cannot be found).
 */
export function registerStatefulLogs(): AnyProvider | undefined {
  const existing = slot[REGISTERED];
  if (existing) return existing;
  const env = readEnvConfiguration();
  // Drop warnings must be visible in a zero-code setup: WARN unless OTEL_LOG_LEVEL says otherwise.
  api.diag.setLogger(new api.DiagConsoleLogger(), { logLevel: env.logLevel ?? api.DiagLogLevel.WARN, suppressOverrideMessage: true });
  const log = api.diag.createComponentLogger({ namespace: 'otel-stateful-logs/register' });

  const sdkLogs = requirePeer<{ LoggerProvider: new (o: object) => AnyProvider }>('@opentelemetry/sdk-logs');
  if (!sdkLogs) {
    log.error('@opentelemetry/sdk-logs is not installed; nothing registered (npm install @opentelemetry/sdk-logs)');
    return undefined;
  }
  const resources = requirePeer<{
    defaultResource?: () => { merge(o: unknown): unknown };
    resourceFromAttributes?: (a: Record<string, string>) => unknown;
  }>('@opentelemetry/resources');
  let resource: unknown;
  if (resources?.defaultResource && resources.resourceFromAttributes) {
    resource = resources.defaultResource().merge(resources.resourceFromAttributes(env.resourceAttributes ?? {}));
  } else if (env.resourceAttributes) {
    log.warn('@opentelemetry/resources (2.x or 3.x) not found: OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES ignored');
  }

  // The processor reads the environment once for itself and its exporter; warnings of the read
  // above went nowhere (no diag logger yet), so each bad variable is reported exactly once.
  const processor = new StatefulLogRecordProcessor();
  const provider = new sdkLogs.LoggerProvider({ ...(resource ? { resource } : {}), processors: [processor] });

  // 3.x: the logs API lives in @opentelemetry/api 1.10. 0.2xx, and instrumentations still on
  // the bridge API (e.g. instrumentation-pino): @opentelemetry/api-logs. Set whichever exist.
  let set = false;
  const logsApi = (api as { logs?: { setGlobalLoggerProvider(p: unknown): unknown } }).logs;
  if (logsApi) set = Boolean(logsApi.setGlobalLoggerProvider(provider)) || set;
  const apiLogs = requirePeer<{ logs: { setGlobalLoggerProvider(p: unknown): unknown } }>('@opentelemetry/api-logs');
  if (apiLogs) {
    apiLogs.logs.setGlobalLoggerProvider(provider);
    set = true;
  }
  if (!set) log.warn('no global logs API found (@opentelemetry/api >= 1.10 or @opentelemetry/api-logs); use the provider directly');

  process.once('beforeExit', () => {
    provider.shutdown().catch((err: unknown) => log.error('shutdown failed', err));
  });
  slot[REGISTERED] = provider;
  return provider;
}

registerStatefulLogs();
