/**
 * A streaming generator of high-cardinality application logs for the benchmark and the soak:
 * unlike the demo's generator (a fixed, small set of message shapes), it draws from a large,
 * slowly drifting population of message templates and attribute values, so a stateful
 * encoder with small limits must keep evicting patterns and dictionary entries. Values are
 * realistic and mostly unique: request ids, UUIDs, IPv4 addresses with ports, durations,
 * byte counts, user and tenant ids, JSON string bodies. Deterministic for a seed, endless.
 */
import type { DemoRecord, DemoScope } from '../../src/cli/demo-generator';

export interface HighCardinalityOptions {
  /** Seed of the pseudo-random sequence. Default 7. */
  seed?: number;
  /** Size of the template population (services x operations). Default 1200. */
  templates?: number;
  /** Distinct tenants (attribute values that repeat, so they get promoted to the dictionary). Default 5000. */
  tenants?: number;
  /** Records after which the popular templates/tenants shift (drift). Default 20000. */
  driftEvery?: number;
}

const SERVICES = ['billing', 'catalog', 'checkout', 'identity', 'inventory', 'ledger', 'notify', 'orders', 'pricing', 'search',
  'shipping', 'reviews', 'gateway', 'media', 'profile', 'quota', 'ratings', 'reports', 'session', 'wallet'];
const VERBS = ['created', 'updated', 'deleted', 'fetched', 'rejected', 'queued', 'retried', 'expired', 'synced', 'locked',
  'released', 'validated', 'archived', 'restored', 'indexed', 'scheduled', 'cancelled', 'merged', 'split', 'exported'];
const NOUNS = ['order', 'invoice', 'cart', 'token', 'profile', 'payment', 'shipment', 'refund', 'coupon', 'review',
  'report', 'session', 'account', 'webhook', 'snapshot', 'lease', 'ticket', 'batch', 'upload', 'quote'];
const SHAPES = 8;
const SCOPES: DemoScope[] = SERVICES.map((s) => ({ name: `svc.${s}`, version: '2.3.1' }));

/** Endless record source; `next()` returns a fresh record each call. */
export class HighCardinalityGenerator {
  private _state: number;
  private readonly _templates: number;
  private readonly _tenants: number;
  private readonly _driftEvery: number;
  private _n = 0;
  private _sec = 1_764_000_000;
  private _nanos = 0;
  private _traceId = '';
  private _spanId = '';

  constructor(o: HighCardinalityOptions = {}) {
    this._state = (o.seed ?? 7) >>> 0;
    this._templates = o.templates ?? 1200;
    this._tenants = o.tenants ?? 5000;
    this._driftEvery = o.driftEvery ?? 20_000;
    this._newTrace();
  }

  /** Records generated so far. */
  get count(): number {
    return this._n;
  }

  next(): DemoRecord {
    const n = this._n++;
    this._nanos += 20_000 + this._int(0, 2_000_000);
    this._sec += Math.floor(this._nanos / 1e9);
    this._nanos %= 1e9;
    const hrTime: [number, number] = [this._sec, this._nanos];
    const lag = 5_000 + this._int(0, 900_000);
    const hrTimeObserved: [number, number] = [this._sec + Math.floor((this._nanos + lag) / 1e9), (this._nanos + lag) % 1e9];
    if (this._rand() < 0.2) this._newTrace();
    else if (this._rand() < 0.4) this._spanId = this._hex(16);

    // Zipf-like popularity over a window of the population that moves with time.
    const drift = Math.floor(n / this._driftEvery) * 97;
    const t = (this._zipf(this._templates) + drift) % this._templates;
    const tenant = (this._zipf(this._tenants) + drift * 3) % this._tenants;
    const service = SERVICES[t % SERVICES.length]!;
    const verb = VERBS[Math.floor(t / SERVICES.length) % VERBS.length]!;
    const noun = NOUNS[Math.floor(t / (SERVICES.length * VERBS.length)) % NOUNS.length]!;
    const shape = t % SHAPES;
    const ms = (this._rand() * (shape === 3 ? 5000 : 300)).toFixed(shape % 2 ? 1 : 3);
    const ip = `10.${this._int(0, 255)}.${this._int(0, 255)}.${this._int(1, 254)}`;
    const id = `${noun.slice(0, 3)}_${this._hex(10)}`;
    const user = `u${this._int(1, 2_000_000)}`;
    let body: string;
    switch (shape) {
      case 0: body = `${noun} ${id} ${verb} by ${user} in ${ms} ms`; break;
      case 1: body = `${service}: ${verb} ${noun} id=${id} tenant=t${tenant} bytes=${this._int(0, 1 << 20)} took=${ms}ms`; break;
      case 2: body = `request ${this._uuid()} from ${ip}:${this._int(1024, 65535)} ${verb} ${noun} status=${this._pick([200, 200, 201, 204, 404, 409, 500])}`; break;
      case 3: body = `slow ${noun} ${verb}: ${ms} ms (threshold 1000 ms) shard=${this._int(0, 63)} attempt=${this._int(1, 5)}`; break;
      case 4: body = JSON.stringify({ level: 'info', msg: `${noun} ${verb}`, id, user, ms: Number(ms), ip }); break;
      case 5: body = `[${service}] ${noun}=${id} ${verb}; queue depth ${this._int(0, 5000)}, lag ${ms}s, leader ${ip}`; break;
      case 6: body = `Could not ${verb.replace(/ed$/, '')} ${noun} ${id}: upstream ${ip} timed out after ${ms} ms (retry ${this._int(1, 3)}/3)`; break;
      default: body = `${verb.toUpperCase()} ${noun} ${id} key=${service}/${noun}/${this._hex(8)} version=${this._int(1, 900)} etag="${this._hex(16)}"`;
    }
    const error = shape === 6 || (shape === 2 && body.endsWith('500'));
    return {
      scope: SCOPES[t % SCOPES.length]!,
      hrTime,
      hrTimeObserved,
      severityNumber: error ? 17 : shape === 3 ? 13 : 9,
      severityText: error ? 'ERROR' : shape === 3 ? 'WARN' : 'INFO',
      body,
      attributes: {
        'tenant.id': `t${tenant}`,
        'enduser.id': user,
        'client.address': ip,
        'http.route': `/v1/${service}/${noun}s/{id}`,
        'duration.ms': Number(ms),
        'request.id': this._uuid(),
      },
      spanContext: { traceId: this._traceId, spanId: this._spanId, traceFlags: 1 },
    };
  }

  private _newTrace(): void {
    this._traceId = this._hex(32);
    this._spanId = this._hex(16);
  }

  /** mulberry32 */
  private _rand(): number {
    this._state = (this._state + 0x6d2b79f5) >>> 0;
    let x = this._state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }

  private _int(lo: number, hi: number): number {
    return lo + Math.floor(this._rand() * (hi - lo + 1));
  }

  private _pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this._rand() * xs.length)]!;
  }

  /** Heavy-tailed index in [0, n): a few values are hot, most are rare. */
  private _zipf(n: number): number {
    return Math.min(n - 1, Math.floor(n * Math.pow(this._rand(), 3)));
  }

  private _hex(len: number): string {
    let s = '';
    while (s.length < len) s += (Math.floor(this._rand() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return s.slice(0, len);
  }

  private _uuid(): string {
    const h = this._hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }
}
