/**
 * Forwards decoded records to an OpenTelemetry Collector with the official OTLP/gRPC
 * log exporter, so the receiver is a bridge: the cheap stateful stream crosses the
 * expensive link, the Collector takes it from there. A batch is acked to the sender
 * only after the Collector accepted it.
 *
 * NOTE: @opentelemetry/exporter-logs-otlp-grpc is loaded lazily (it is optional for
 * users who never forward), so a missing package is a clear error at start-up.
 */
import type { LogRecordData, ResourceData, ScopeData } from '../../encoder/log-record';
import type { RecordSink } from './sink';

export interface OtlpForwardSinkOptions {
  /** Collector URL, e.g. http://localhost:4317. */
  url: string;
  /** Per-export timeout, ms. Default 10 000. */
  timeoutMillis?: number;
  /** Extra gRPC metadata for the Collector. */
  headers?: Record<string, string>;
}

interface OtlpExporterLike {
  export(records: unknown[], cb: (r: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
}

type ExporterModule = { OTLPLogExporter: new (config: Record<string, unknown>) => OtlpExporterLike };

const PKG = '@opentelemetry/exporter-logs-otlp-grpc';

/** Loads the official exporter package or explains how to get it. */
export async function loadOtlpExporterModule(): Promise<ExporterModule> {
  try {
    return (await import(PKG)) as ExporterModule;
  } catch (err) {
    throw new Error(
      `--forward-otlp needs the package ${PKG}: install it next to otel-stateful-logs (npm install ${PKG}). ` +
        `Loading failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** A ReadableLogRecord-shaped view of a decoded record, as the OTLP serializer reads it. */
export interface ReadableLogRecordShape {
  hrTime: [number, number];
  hrTimeObserved: [number, number];
  spanContext?: { traceId: string; spanId: string; traceFlags: number };
  severityText?: string;
  severityNumber?: number;
  body?: unknown;
  eventName?: string;
  resource: { attributes: Record<string, unknown>; schemaUrl?: string; asyncAttributesPending: boolean };
  instrumentationScope: { name: string; version?: string; schemaUrl?: string; attributes?: Record<string, unknown>; droppedAttributesCount?: number };
  attributes: Record<string, unknown>;
  droppedAttributesCount: number;
}

const INTERN_LIMIT = 4096;

/**
 * Builds serializer-ready records. Resources and scopes are interned: the OTLP
 * serializer groups records by object identity, so equal ones must be the same object.
 */
export class ReadableRecordBuilder {
  private readonly _resources = new Map<string, ReadableLogRecordShape['resource']>();
  private readonly _scopes = new Map<string, ReadableLogRecordShape['instrumentationScope']>();

  build(r: LogRecordData): ReadableLogRecordShape {
    return {
      hrTime: r.hrTime,
      hrTimeObserved: r.hrTimeObserved,
      spanContext: r.spanContext,
      severityText: r.severityText,
      severityNumber: r.severityNumber,
      body: r.body,
      eventName: r.eventName,
      resource: this._resource(r.resource),
      instrumentationScope: this._scope(r.scope),
      attributes: r.attributes,
      droppedAttributesCount: r.droppedAttributesCount,
    };
  }

  private _resource(res: ResourceData): ReadableLogRecordShape['resource'] {
    const key = stableKey(res);
    let v = this._resources.get(key);
    if (!v) {
      if (this._resources.size >= INTERN_LIMIT) this._resources.clear();
      v = { attributes: res.attributes, schemaUrl: res.schemaUrl, asyncAttributesPending: false };
      this._resources.set(key, v);
    }
    return v;
  }

  private _scope(s: ScopeData): ReadableLogRecordShape['instrumentationScope'] {
    const key = stableKey(s);
    let v = this._scopes.get(key);
    if (!v) {
      if (this._scopes.size >= INTERN_LIMIT) this._scopes.clear();
      v = { name: s.name, version: s.version, schemaUrl: s.schemaUrl, attributes: s.attributes, droppedAttributesCount: s.droppedAttributesCount };
      this._scopes.set(key, v);
    }
    return v;
  }
}

function stableKey(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x === undefined ? null : x));
}

export class OtlpForwardSink implements RecordSink {
  private readonly _builder = new ReadableRecordBuilder();

  private constructor(private readonly _exporter: OtlpExporterLike) {}

  /** Loads the exporter package and connects (lazily) to the Collector. */
  static async create(o: OtlpForwardSinkOptions): Promise<OtlpForwardSink> {
    const mod = await loadOtlpExporterModule();
    const config: Record<string, unknown> = { url: o.url, timeoutMillis: o.timeoutMillis ?? 10_000 };
    if (o.headers && Object.keys(o.headers).length > 0) {
      const grpc = await import('@grpc/grpc-js');
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(o.headers)) md.set(k, v);
      config.metadata = md;
    }
    return new OtlpForwardSink(new mod.OTLPLogExporter(config));
  }

  write(records: LogRecordData[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const shaped = records.map((r) => this._builder.build(r));
    return new Promise((resolve, reject) => {
      this._exporter.export(shaped, (res) => {
        if (res.code === 0) resolve();
        else reject(res.error ?? new Error('OTLP export failed'));
      });
    });
  }

  close(): Promise<void> {
    return this._exporter.shutdown();
  }
}
