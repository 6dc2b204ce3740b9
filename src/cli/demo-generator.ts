/**
 * A small, deterministic generator of realistic application logs for the demo (used when
 * the shared corpus is absent): an HTTP service with access logs, database, auth, cache and
 * worker messages, warnings and errors with stack traces, structured (map) bodies with an
 * event name, JSON string bodies, non-ASCII text, trace context on most records, and a few
 * odd attribute types (arrays, bytes, doubles, booleans). Same seed, same records.
 */
import type { AnyValue, AnyValueMap, HrTime } from '../encoder/log-record';

/** One record as the app emits it, with the scope of the logger that emits it. */
export interface DemoRecord {
  scope: DemoScope;
  hrTime: HrTime;
  hrTimeObserved: HrTime;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes: AnyValueMap;
  eventName?: string;
  spanContext?: { traceId: string; spanId: string; traceFlags: number };
}

export interface DemoScope {
  name: string;
  version?: string;
  schemaUrl?: string;
  attributes?: AnyValueMap;
}

// Scope objects are shared so the SDK sees stable scopes (one logger each).
const SCOPES = {
  http: { name: 'checkout.http', version: '1.4.0', schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
  db: { name: 'checkout.db', version: '1.4.0' },
  auth: { name: 'checkout.auth', version: '1.4.0', attributes: { 'auth.provider': 'oidc' } },
  worker: { name: 'checkout.worker' },
} satisfies Record<string, DemoScope>;

const SEV = {
  DEBUG: 5,
  INFO: 9,
  WARN: 13,
  ERROR: 17,
} as const;

/** mulberry32: a tiny seeded PRNG, good enough for demo and test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generates `count` records from `seed`. */
export function generateDemoRecords(count: number, seed = 42): DemoRecord[] {
  const r = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(0, 15)];
    return s;
  };
  const users = ['alice@example.com', 'bob@example.com', 'chloé@example.fr', 'dmitri@example.org', 'eve@example.net'];
  const paths = ['/api/v1/orders', '/api/v1/cart', '/api/v1/products', '/api/v1/payments', '/healthz'];
  const methods = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'] as const;
  const tables = ['orders', 'carts', 'products', 'payments', 'users'];
  const jobs = ['email.send', 'invoice.render', 'stock.sync', 'report.daily'];

  let sec = 1_764_000_000;
  let nanos = 123_456_789;
  let trace = { traceId: hex(32), spanId: hex(16), traceFlags: 1 };
  const out: DemoRecord[] = [];

  for (let i = 0; i < count; i++) {
    // Millisecond resolution, as the SDK stamps records (Date.now()) when the app does not;
    // a few records carry their own nanosecond timestamps (below).
    nanos += int(0, 40) * 1_000_000;
    sec += Math.floor(nanos / 1e9);
    nanos %= 1e9;
    const precise = r() < 0.05;
    const hrTime: HrTime = [sec, precise ? nanos + int(1, 999_999) : nanos];
    const lag = int(0, 3) * 1_000_000;
    const hrTimeObserved: HrTime = [sec + Math.floor((nanos + lag) / 1e9), (nanos + lag) % 1e9];
    // A request logs several lines: the trace changes every ~7 records, the span every ~3.
    if (r() < 0.15) trace = { traceId: hex(32), spanId: hex(16), traceFlags: r() < 0.9 ? 1 : 0 };
    else if (r() < 0.35) trace = { ...trace, spanId: hex(16) };
    const spanContext = r() < 0.85 ? { ...trace } : undefined;
    const base = { hrTime, hrTimeObserved, spanContext };
    const roll = r();

    if (roll < 0.45) {
      const method = pick(methods);
      const path = pick(paths);
      const id = int(1000, 99999);
      const status = r() < 0.93 ? (method === 'POST' ? 201 : 200) : pick([400, 404, 409, 500, 503]);
      const ms = (r() * 250).toFixed(1);
      out.push({
        ...base,
        scope: SCOPES.http,
        severityNumber: status >= 500 ? SEV.ERROR : status >= 400 ? SEV.WARN : SEV.INFO,
        severityText: status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO',
        body: `${method} ${path}/${id} ${status} ${ms}ms`,
        attributes: {
          'http.request.method': method,
          'http.response.status_code': status,
          'url.path': `${path}/${id}`,
          'client.address': `10.0.${int(0, 7)}.${int(1, 254)}`,
          'http.server.request.duration': Number(ms) / 1000,
        },
      });
    } else if (roll < 0.62) {
      const table = pick(tables);
      const ms = (r() * 20).toFixed(2);
      out.push({
        ...base,
        scope: SCOPES.db,
        severityNumber: SEV.DEBUG,
        severityText: 'DEBUG',
        body: `Query SELECT * FROM ${table} WHERE id = $1 took ${ms} ms rows=${int(0, 3)}`,
        attributes: { 'db.system.name': 'postgresql', 'db.collection.name': table, 'db.pool.in_use': int(1, 20) },
      });
    } else if (roll < 0.72) {
      const user = pick(users);
      const ok = r() < 0.9;
      out.push({
        ...base,
        scope: SCOPES.auth,
        severityNumber: ok ? SEV.INFO : SEV.WARN,
        severityText: ok ? 'INFO' : 'WARN',
        body: ok
          ? `User ${user} logged in from 10.0.${int(0, 7)}.${int(1, 254)} (session ${hex(12)})`
          : `Failed login for ${user}: invalid password (attempt ${int(1, 5)} of 5)`,
        attributes: { 'user.id': user, 'auth.method': pick(['password', 'sso', 'passkey']) },
      });
    } else if (roll < 0.82) {
      const key = `product:${int(1, 5000)}`;
      const hit = r() < 0.7;
      out.push({
        ...base,
        scope: SCOPES.http,
        severityNumber: SEV.DEBUG,
        severityText: 'DEBUG',
        body: hit ? `Cache hit for key ${key}` : `Cache miss for key ${key}, fetching from upstream`,
        attributes: { 'cache.hit': hit, 'cache.tier': 'redis' },
      });
    } else if (roll < 0.9) {
      const job = pick(jobs);
      out.push({
        ...base,
        scope: SCOPES.worker,
        severityNumber: SEV.INFO,
        severityText: 'INFO',
        body: `Job ${int(1, 1_000_000)} (${job}) finished in ${int(5, 4000)} ms, attempts=${int(1, 3)}`,
        attributes: { 'job.name': job, 'job.queue': 'default', 'worker.slots': [int(1, 4), int(1, 4)] },
      });
    } else if (roll < 0.94) {
      // A structured event: map body, event name.
      const items = int(1, 9);
      out.push({
        ...base,
        scope: SCOPES.http,
        severityNumber: SEV.INFO,
        severityText: 'INFO',
        eventName: 'cart.updated',
        body: {
          cart: hex(8),
          items,
          total: Math.round(r() * 50_000) / 100,
          currency: pick(['EUR', 'USD', 'CHF']),
          express: r() < 0.2,
          skus: Array.from({ length: Math.min(items, 3) }, () => `SKU-${int(100, 999)}`),
        },
        attributes: { 'user.id': pick(users) },
      });
    } else if (roll < 0.97) {
      // A JSON string body, as loggers that pre-serialise produce.
      out.push({
        ...base,
        scope: SCOPES.worker,
        severityNumber: SEV.INFO,
        severityText: 'info',
        body: JSON.stringify({ level: 'info', msg: 'stock synced', sku: `SKU-${int(100, 999)}`, delta: int(-50, 50) }),
        attributes: { 'job.name': 'stock.sync' },
      });
    } else if (roll < 0.99) {
      const order = int(1000, 99999);
      const ms = pick([3000, 5000, 10000]);
      out.push({
        ...base,
        scope: SCOPES.http,
        severityNumber: SEV.ERROR,
        severityText: 'ERROR',
        body: `Payment provider timeout after ${ms} ms for order ${order} (retry ${int(1, 3)}/3)\n` +
          `    at PaymentClient.charge (/app/src/payments/client.ts:${int(40, 200)}:13)\n` +
          `    at async CheckoutService.pay (/app/src/checkout/service.ts:${int(40, 200)}:5)`,
        attributes: {
          'exception.type': 'TimeoutError',
          'order.id': order,
          'payment.request': new Uint8Array([int(0, 255), int(0, 255), int(0, 255), 0]),
        },
      });
    } else {
      // Rare shapes: non-ASCII text, a number body, no severity, an empty body.
      const kind = int(0, 3);
      out.push({
        ...base,
        scope: SCOPES.worker,
        body: kind === 0 ? `Zahlung für Bestellung ${int(1000, 9999)} fehlgeschlagen ✗ — 再試行します` : kind === 1 ? int(0, 1e6) : kind === 2 ? '' : null,
        attributes: {},
      });
    }
  }
  return out;
}
