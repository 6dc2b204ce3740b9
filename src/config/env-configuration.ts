/**
 * Reads this package's configuration from `OTEL_*` environment variables.
 *
 * Environment configuration is not allowed to throw (it runs inside other people's
 * processes, often at `--import` time): a bad value gets one `diag.warn` naming the
 * variable and is ignored, so the next layer (the OTLP fallback name, then the default)
 * applies. Blank values count as unset, as in OpenTelemetry JS.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { parseEndpoint } from './endpoint';
import type { StatefulCompression, StatefulLogsOptions } from './options';

const log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/config' });

/** What the environment supplied; unset or invalid variables are absent. */
export interface EnvConfiguration extends Partial<StatefulLogsOptions> {
  /** From `OTEL_RESOURCE_ATTRIBUTES`, with `OTEL_SERVICE_NAME` as `service.name` on top. */
  resourceAttributes?: Record<string, string>;
  /** From `OTEL_LOG_LEVEL`. */
  logLevel?: DiagLogLevel;
}

type Env = Record<string, string | undefined>;

const PREFIXES = ['OTEL_EXPORTER_STATEFUL_LOGS_', 'OTEL_EXPORTER_OTLP_LOGS_', 'OTEL_EXPORTER_OTLP_'] as const;

/**
 * Reads every supported variable. Pure apart from reading certificate files named by the
 * `…_CERTIFICATE` / `…_CLIENT_KEY` / `…_CLIENT_CERTIFICATE` variables.
 */
export function readEnvConfiguration(env: Env = process.env): EnvConfiguration {
  const out: EnvConfiguration = {};
  // No OTLP fallback for the endpoint: an app configured for a Collector's OTLP port would
  // otherwise open our stream against a server that cannot speak it, and lose every record.
  const url = single(env, 'OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT', parseUrl);
  if (url !== undefined) out.url = url;

  const headers = firstValid(env, 'HEADERS', parseHeaders);
  if (headers) out.headers = headers;
  const timeout = firstValid(env, 'TIMEOUT', positiveNumber);
  if (timeout !== undefined) out.timeoutMillis = timeout;
  const compression = firstValid(env, 'COMPRESSION', parseCompression);
  if (compression) out.compression = compression;
  const insecure = firstValid(env, 'INSECURE', parseBoolean);
  if (insecure !== undefined) out.insecure = insecure;
  const ca = firstValid(env, 'CERTIFICATE', readFile);
  if (ca) out.rootCertificate = ca;
  const key = firstValid(env, 'CLIENT_KEY', readFile);
  if (key) out.clientKey = key;
  const cert = firstValid(env, 'CLIENT_CERTIFICATE', readFile);
  if (cert) out.clientCertificate = cert;

  const maxQueueSize = single(env, 'OTEL_BLRP_MAX_QUEUE_SIZE', positiveInteger);
  if (maxQueueSize !== undefined) out.maxQueueSize = maxQueueSize;
  const maxBatch = single(env, 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', positiveInteger);
  if (maxBatch !== undefined) out.maxExportBatchSize = maxBatch;
  const delay = single(env, 'OTEL_BLRP_SCHEDULE_DELAY', nonNegativeNumber);
  if (delay !== undefined) out.scheduledDelayMillis = delay;
  const exportTimeout = single(env, 'OTEL_BLRP_EXPORT_TIMEOUT', positiveNumber);
  if (exportTimeout !== undefined) out.exportTimeoutMillis = exportTimeout;

  const tagAttributes = single(env, 'OTEL_EXPORTER_STATEFUL_LOGS_TAG_ATTRIBUTES', parseKeyList);
  const untaggedAttributes = single(env, 'OTEL_EXPORTER_STATEFUL_LOGS_UNTAGGED_ATTRIBUTES', parseKeyList);
  const both = tagAttributes && untaggedAttributes ? untaggedAttributes.filter((k) => tagAttributes.includes(k)) : [];
  if (both.length > 0) {
    log.warn(
      `OTEL_EXPORTER_STATEFUL_LOGS_TAG_ATTRIBUTES and OTEL_EXPORTER_STATEFUL_LOGS_UNTAGGED_ATTRIBUTES both name ` +
        `${both.map((k) => JSON.stringify(k)).join(', ')}; both ignored`,
    );
  } else {
    if (tagAttributes) out.tagAttributes = tagAttributes;
    if (untaggedAttributes) out.untaggedAttributes = untaggedAttributes;
  }

  const resourceAttributes = readResourceAttributes(env);
  if (resourceAttributes) out.resourceAttributes = resourceAttributes;
  const logLevel = single(env, 'OTEL_LOG_LEVEL', parseLogLevel);
  if (logLevel !== undefined) out.logLevel = logLevel;
  return out;
}

/** A parser returns the value, or a string saying why the text is invalid. */
type Parser<T> = (text: string, name: string) => T | { invalid: string };

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function single<T>(env: Env, name: string, parse: Parser<T>): T | undefined {
  const text = value(env, name);
  if (text === undefined) return undefined;
  const result = parse(text, name);
  if (isInvalid(result)) {
    log.warn(`${name}=${JSON.stringify(text)} ignored: ${result.invalid}`);
    return undefined;
  }
  return result;
}

/** Our name, then the OTLP logs name, then the generic OTLP name; an invalid value falls through. */
function firstValid<T>(env: Env, suffix: string, parse: Parser<T>): T | undefined {
  for (const prefix of PREFIXES) {
    const v = single(env, prefix + suffix, parse);
    if (v !== undefined) return v;
  }
  return undefined;
}

function isInvalid(v: unknown): v is { invalid: string } {
  return typeof v === 'object' && v !== null && 'invalid' in v && Object.keys(v).length === 1;
}

function parseUrl(text: string): string | { invalid: string } {
  const parsed = parseEndpoint(text);
  return typeof parsed === 'string' ? { invalid: `the endpoint ${parsed}` } : text;
}

function positiveNumber(text: string): number | { invalid: string } {
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : { invalid: 'expected a number of milliseconds > 0' };
}

function nonNegativeNumber(text: string): number | { invalid: string } {
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : { invalid: 'expected a number >= 0' };
}

function positiveInteger(text: string): number | { invalid: string } {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : { invalid: 'expected an integer > 0' };
}

function parseBoolean(text: string): boolean | { invalid: string } {
  const t = text.toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return { invalid: 'expected true or false' };
}

function parseCompression(text: string): StatefulCompression | { invalid: string } {
  const t = text.toLowerCase();
  return t === 'none' || t === 'gzip' || t === 'zstd' || t === 'deflate-stream' ? t : { invalid: 'expected deflate-stream, none, gzip or zstd' };
}

/** `a,b,c`: attribute keys, trimmed; blank entries skipped, duplicates kept once. */
function parseKeyList(text: string): string[] | { invalid: string } {
  const keys: string[] = [];
  for (const part of text.split(',')) {
    const k = part.trim();
    if (k !== '' && !keys.includes(k)) keys.push(k);
  }
  return keys.length > 0 ? keys : { invalid: 'expected a comma-separated list of attribute keys' };
}

function readFile(text: string): Uint8Array | { invalid: string } {
  try {
    return readFileSync(resolve(process.cwd(), text));
  } catch (err) {
    return { invalid: `cannot read the file (${(err as Error).message})` };
  }
}

/** `k=v,k2=v2` with percent-encoded values (W3C baggage style, as the OTLP exporters read it). */
function parseHeaders(text: string): Record<string, string> | { invalid: string } {
  const list = parseKeyValueList(text);
  return typeof list === 'string' ? { invalid: list } : list;
}

/** Parses `k=v,k2=v2`; returns a message when any entry is malformed (the whole variable is ignored). */
export function parseKeyValueList(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return `entry ${JSON.stringify(part)} is not key=value`;
    const key = part.slice(0, eq).trim();
    let v: string;
    try {
      v = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return `value of ${JSON.stringify(key)} is not valid percent-encoding`;
    }
    if (key === '') return `entry ${JSON.stringify(part)} has an empty key`;
    out[key] = v;
  }
  return out;
}

function readResourceAttributes(env: Env): Record<string, string> | undefined {
  let attrs: Record<string, string> | undefined;
  const raw = value(env, 'OTEL_RESOURCE_ATTRIBUTES');
  if (raw !== undefined) {
    const parsed = parseKeyValueList(raw);
    if (typeof parsed === 'string') log.warn(`OTEL_RESOURCE_ATTRIBUTES ignored: ${parsed}`);
    else attrs = parsed;
  }
  const service = value(env, 'OTEL_SERVICE_NAME');
  if (service !== undefined) attrs = { ...attrs, 'service.name': service };
  return attrs;
}

const LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

function parseLogLevel(text: string): DiagLogLevel | { invalid: string } {
  const level = LEVELS[text.toUpperCase()];
  return level !== undefined ? level : { invalid: `expected one of ${Object.keys(LEVELS).join(', ')}` };
}
