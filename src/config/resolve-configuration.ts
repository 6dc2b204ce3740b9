/**
 * The one place configuration is resolved: code options first, the environment second,
 * defaults last. Bad code options throw at construction with a message naming the option
 * (the developer can fix them); environment values were already checked by
 * `readEnvConfiguration`, which warns and drops bad ones instead.
 */
import { diag } from '@opentelemetry/api';
import type { EnvConfiguration } from './env-configuration';
import { parseEndpoint } from './endpoint';
import {
  DEFAULT_COMPRESSION,
  DEFAULT_EXPORT_TIMEOUT_MILLIS,
  DEFAULT_MAX_EXPORT_BATCH_SIZE,
  DEFAULT_MAX_QUEUE_SIZE,
  DEFAULT_SCHEDULED_DELAY_MILLIS,
  DEFAULT_TIMEOUT_MILLIS,
  DEFAULT_URL,
  type ResolvedConfiguration,
  type StatefulLogsOptions,
} from './options';

const log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/config' });

/** Merges `user ?? env ?? default` for every option and validates the result. */
export function resolveConfiguration(
  user: StatefulLogsOptions | undefined,
  env: EnvConfiguration,
): ResolvedConfiguration {
  const u = validateUserOptions(user ?? {});

  const url = u.url ?? env.url ?? DEFAULT_URL;
  let endpoint = parseEndpoint(url);
  if (typeof endpoint === 'string') {
    // Only an env value can get here (code values were validated above).
    log.warn(`OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT ${endpoint}; using ${DEFAULT_URL}`);
    endpoint = parseEndpoint(DEFAULT_URL) as Exclude<typeof endpoint, string>;
  }
  if (endpoint.droppedPath) {
    log.warn(`endpoint ${url}: path ${endpoint.droppedPath} ignored (gRPC dials host:port only)`);
  }
  const insecure = u.insecure ?? env.insecure ?? false;
  const secure = endpoint.secure ?? !insecure;

  const tls = {
    rootCertificate: u.rootCertificate ?? env.rootCertificate,
    clientKey: u.clientKey ?? env.clientKey,
    clientCertificate: u.clientCertificate ?? env.clientCertificate,
  };
  if ((tls.clientKey === undefined) !== (tls.clientCertificate === undefined)) {
    log.warn('a client key and a client certificate must be given together; using neither (root CA only)');
    tls.clientKey = undefined;
    tls.clientCertificate = undefined;
  }

  const maxQueueSize = u.maxQueueSize ?? env.maxQueueSize ?? DEFAULT_MAX_QUEUE_SIZE;
  let maxExportBatchSize = u.maxExportBatchSize ?? env.maxExportBatchSize ?? DEFAULT_MAX_EXPORT_BATCH_SIZE;
  if (maxExportBatchSize > maxQueueSize) {
    log.warn(`maxExportBatchSize ${maxExportBatchSize} > maxQueueSize ${maxQueueSize}; using ${maxQueueSize}`);
    maxExportBatchSize = maxQueueSize;
  }

  return {
    url,
    address: endpoint.address,
    secure,
    tls: stripUndefined(tls),
    // Code headers replace env headers as a whole, as in the OTLP exporters' merge.
    headers: { ...(u.headers ?? env.headers ?? {}) },
    timeoutMillis: u.timeoutMillis ?? env.timeoutMillis ?? DEFAULT_TIMEOUT_MILLIS,
    compression: u.compression ?? env.compression ?? DEFAULT_COMPRESSION,
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: u.scheduledDelayMillis ?? env.scheduledDelayMillis ?? DEFAULT_SCHEDULED_DELAY_MILLIS,
    exportTimeoutMillis: u.exportTimeoutMillis ?? env.exportTimeoutMillis ?? DEFAULT_EXPORT_TIMEOUT_MILLIS,
    ...resolveAttributeLists(u, env),
  };
}

/**
 * Each list: code, else env, else none. Two code lists naming the same key were rejected
 * by validateUserOptions and two env lists by the env reader; a key named by a code list
 * and by the other list from the environment stays where the code put it (with a warning).
 */
function resolveAttributeLists(u: StatefulLogsOptions, env: EnvConfiguration): { tagAttributes: string[]; untaggedAttributes: string[] } {
  let tag = [...(u.tagAttributes ?? env.tagAttributes ?? [])];
  let untagged = [...(u.untaggedAttributes ?? env.untaggedAttributes ?? [])];
  const inTag = new Set(tag);
  const both = untagged.filter((k) => inTag.has(k));
  if (both.length > 0) {
    const codeIsTag = u.tagAttributes !== undefined;
    log.warn(
      `attribute keys ${both.map((k) => JSON.stringify(k)).join(', ')} are in both tagAttributes and untaggedAttributes; ` +
        `keeping them in ${codeIsTag ? 'tagAttributes' : 'untaggedAttributes'} (set in code), ignoring the environment's list entry`,
    );
    const drop = new Set(both);
    if (codeIsTag) untagged = untagged.filter((k) => !drop.has(k));
    else tag = tag.filter((k) => !drop.has(k));
  }
  return { tagAttributes: tag, untaggedAttributes: untagged };
}

function validateUserOptions(o: StatefulLogsOptions): StatefulLogsOptions {
  if (o.url !== undefined) {
    if (typeof o.url !== 'string') fail('url', 'must be a string');
    const parsed = parseEndpoint(o.url);
    if (typeof parsed === 'string') fail('url', parsed);
  }
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null) fail('headers', 'must be an object of strings');
    for (const [k, v] of Object.entries(o.headers)) {
      if (typeof v !== 'string') fail('headers', `value of ${JSON.stringify(k)} must be a string`);
    }
  }
  checkNumber(o, 'timeoutMillis', (n) => n > 0, 'a number > 0');
  checkNumber(o, 'maxQueueSize', (n) => Number.isInteger(n) && n > 0, 'an integer > 0');
  checkNumber(o, 'maxExportBatchSize', (n) => Number.isInteger(n) && n > 0, 'an integer > 0');
  checkNumber(o, 'scheduledDelayMillis', (n) => n >= 0, 'a number >= 0');
  checkNumber(o, 'exportTimeoutMillis', (n) => n > 0, 'a number > 0');
  if (o.compression !== undefined && !['none', 'gzip', 'zstd', 'deflate-stream'].includes(o.compression)) {
    fail('compression', `must be 'deflate-stream', 'none', 'gzip' or 'zstd', got ${JSON.stringify(o.compression)}`);
  }
  if (o.insecure !== undefined && typeof o.insecure !== 'boolean') fail('insecure', 'must be a boolean');
  for (const k of ['rootCertificate', 'clientKey', 'clientCertificate'] as const) {
    if (o[k] !== undefined && !(o[k] instanceof Uint8Array)) fail(k, 'must be a Buffer/Uint8Array with PEM contents');
  }
  checkKeyList(o, 'tagAttributes');
  checkKeyList(o, 'untaggedAttributes');
  if (o.tagAttributes !== undefined && o.untaggedAttributes !== undefined) {
    const tag = new Set(o.tagAttributes);
    const both = o.untaggedAttributes.find((k) => tag.has(k));
    if (both !== undefined) fail('untaggedAttributes', `names ${JSON.stringify(both)}, which is also in 'tagAttributes'`);
  }
  return o;
}

function checkKeyList(o: StatefulLogsOptions, key: 'tagAttributes' | 'untaggedAttributes'): void {
  const v: unknown = o[key];
  if (v === undefined) return;
  if (!Array.isArray(v)) fail(key, `must be an array of attribute keys, got ${typeof v}`);
  for (const k of v) {
    if (typeof k !== 'string' || k === '') fail(key, `must hold non-empty strings, got ${JSON.stringify(k)}`);
  }
}

type NumericOption = 'timeoutMillis' | 'maxQueueSize' | 'maxExportBatchSize' | 'scheduledDelayMillis' | 'exportTimeoutMillis';

function checkNumber(o: StatefulLogsOptions, key: NumericOption, ok: (n: number) => boolean, what: string): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) fail(key, `must be ${what}, got ${String(v)}`);
}

function fail(option: string, message: string): never {
  throw new TypeError(`otel-stateful-logs: option '${option}' ${message}`);
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
