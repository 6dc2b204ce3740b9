/**
 * OpenTelemetry AnyValue (as JS holds it) <-> the wire's `AnyValue` message, losslessly:
 * strings (lone surrogates travel as UTF-16 code units), booleans, integers vs doubles
 * (-0, NaN and the infinities stay doubles), Uint8Array, arrays, maps in key order, null
 * and undefined. Nesting deeper than `maxDepth` (and cycles, which look infinitely deep)
 * is cut: the too-deep value is replaced by a marker string and counted, never a stack
 * overflow.
 */
import type { AnyValue, AnyValueMap } from './log-record';
import { DecodeError } from './errors';
import { WireReader } from './wire-reader';
import { WireWriter, WT_LEN, WT_VARINT, WT_I64 } from './wire-writer';

/** Replaces a value nested deeper than the encoder's depth cap. */
export const DEPTH_MARKER = '[otel-stateful-logs: value nested too deep]';

export const DEFAULT_MAX_DEPTH = 64;

/** What the encoder had to change to make a value representable (counted by callers). */
export interface AnyValueIssues {
  /** Values nested beyond the depth cap, replaced by DEPTH_MARKER. */
  truncatedDepth: number;
  /** Values of a type AnyValue cannot hold (function, symbol, bigint…), sent as String(v). */
  coerced: number;
}

export function newIssues(): AnyValueIssues {
  return { truncatedDepth: 0, coerced: 0 };
}

type WellFormedString = string & { isWellFormed?: () => boolean };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` has no lone surrogate, i.e. survives a UTF-8 round trip. */
export function isWellFormed(s: string): boolean {
  const f = (s as WellFormedString).isWellFormed;
  return f !== undefined ? f.call(s) : !LONE_SURROGATE.test(s);
}

export function utf16Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 255;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

export function stringFromUtf16(b: Uint8Array): string {
  if (b.length % 2 !== 0) throw new DecodeError('malformed', 'malformed frame: odd-length UTF-16 string');
  let s = '';
  const CHUNK = 8192;
  for (let i = 0; i < b.length; i += CHUNK * 2) {
    const end = Math.min(b.length, i + CHUNK * 2);
    const codes: number[] = [];
    for (let j = i; j < end; j += 2) codes.push(b[j]! | (b[j + 1]! << 8));
    s += String.fromCharCode.apply(null, codes);
  }
  return s;
}

/** Sets `obj[key] = value` as an own data property, even for "__proto__". */
export function setOwn(obj: AnyValueMap, key: string, value: AnyValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/**
 * Writes the *body* of an AnyValue message (the caller opened the field) for `v`.
 */
export function writeAnyValue(w: WireWriter, v: unknown, issues: AnyValueIssues, depth = 0, maxDepth = DEFAULT_MAX_DEPTH): void {
  switch (typeof v) {
    case 'string':
      if (isWellFormed(v)) {
        w.tag(1, WT_LEN);
        w.string(v);
      } else {
        w.tag(8, WT_LEN);
        w.bytes(utf16Bytes(v));
      }
      return;
    case 'boolean':
      w.tag(2, WT_VARINT);
      w.bool(v);
      return;
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
        w.tag(3, WT_VARINT);
        w.int53(v);
      } else {
        w.tag(4, WT_I64);
        w.double(v);
      }
      return;
    case 'undefined':
      w.tag(10, WT_VARINT);
      w.bool(true);
      return;
    case 'object':
      if (v === null) {
        w.tag(9, WT_VARINT);
        w.bool(true);
        return;
      }
      if (v instanceof Uint8Array) {
        w.tag(7, WT_LEN);
        w.bytes(v);
        return;
      }
      if (depth >= maxDepth) {
        issues.truncatedDepth++;
        w.tag(1, WT_LEN);
        w.string(DEPTH_MARKER);
        return;
      }
      if (Array.isArray(v)) {
        w.tag(5, WT_LEN);
        w.fork();
        for (let i = 0; i < v.length; i++) {
          w.tag(1, WT_LEN);
          w.fork();
          writeAnyValue(w, v[i], issues, depth + 1, maxDepth);
          w.join();
        }
        w.join();
        return;
      }
      w.tag(6, WT_LEN);
      w.fork();
      writeKeyValues(w, v as AnyValueMap, 1, issues, depth + 1, maxDepth);
      w.join();
      return;
    default:
      // function, symbol, bigint: not an AnyValue; keep what text we can and count it
      issues.coerced++;
      w.tag(1, WT_LEN);
      w.string(safeString(v));
  }
}

function safeString(v: unknown): string {
  let s: string;
  try {
    s = String(v);
  } catch {
    s = `[${typeof v}]`;
  }
  return isWellFormed(s) ? s : s.toWellFormed?.() ?? '[unprintable]';
}

declare global {
  interface String {
    toWellFormed?(): string;
  }
}

/** Writes each own enumerable key of `map` as a KeyValue in field `field`. */
export function writeKeyValues(w: WireWriter, map: AnyValueMap, field: number, issues: AnyValueIssues, depth = 0, maxDepth = DEFAULT_MAX_DEPTH): void {
  for (const key of Object.keys(map)) {
    w.tag(field, WT_LEN);
    w.fork();
    writeKey(w, key);
    w.tag(2, WT_LEN);
    w.fork();
    writeAnyValue(w, map[key], issues, depth, maxDepth);
    w.join();
    w.join();
  }
}

function writeKey(w: WireWriter, key: string): void {
  if (isWellFormed(key)) {
    if (key.length > 0) {
      w.tag(1, WT_LEN);
      w.string(key);
    }
  } else {
    w.tag(3, WT_LEN);
    w.bytes(utf16Bytes(key));
  }
}

/** Reads an AnyValue message body spanning [r.pos, end). */
export function readAnyValue(r: WireReader, end: number, depth: number, maxDepth: number): AnyValue {
  if (depth > maxDepth) throw new DecodeError('limit', `value nested deeper than ${maxDepth}`);
  const outerEnd = r.end;
  r.end = end;
  let value: AnyValue = undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    switch (field) {
      case 1:
        value = r.string();
        break;
      case 2:
        value = r.bool();
        break;
      case 3:
        value = r.int53();
        break;
      case 4:
        value = r.double();
        break;
      case 5: {
        const start = r.lengthDelimited();
        const stop = r.pos;
        r.pos = start;
        const arr: AnyValue[] = [];
        r.end = stop;
        while (r.pos < stop) {
          const t = r.uint32();
          if (t !== ((1 << 3) | WT_LEN)) {
            r.skip(t & 7);
            continue;
          }
          const s = r.lengthDelimited();
          const e = r.pos;
          r.pos = s;
          arr.push(readAnyValue(r, e, depth + 1, maxDepth));
          r.pos = e;
          r.end = stop;
        }
        value = arr;
        break;
      }
      case 6: {
        const start = r.lengthDelimited();
        const stop = r.pos;
        r.pos = start;
        const map: AnyValueMap = {};
        readKeyValues(r, stop, 1, map, depth + 1, maxDepth);
        value = map;
        break;
      }
      case 7:
        value = r.bytes();
        break;
      case 8:
        value = stringFromUtf16(r.bytes());
        break;
      case 9:
        if (r.bool()) value = null;
        break;
      case 10:
        r.bool();
        value = undefined;
        break;
      default:
        r.skip(tag & 7);
    }
    r.end = end;
  }
  r.end = outerEnd;
  return value;
}

/** Reads repeated KeyValue (field `field`) in [r.pos, stop) into `map`. */
export function readKeyValues(r: WireReader, stop: number, field: number, map: AnyValueMap, depth: number, maxDepth: number): void {
  const outerEnd = r.end;
  r.end = stop;
  while (r.pos < stop) {
    const t = r.uint32();
    if (t !== ((field << 3) | WT_LEN)) {
      r.skip(t & 7);
      continue;
    }
    const s = r.lengthDelimited();
    const e = r.pos;
    r.pos = s;
    r.end = e;
    let key = '';
    let value: AnyValue = undefined;
    while (r.pos < e) {
      const kt = r.uint32();
      const f = kt >>> 3;
      if (f === 1) key = r.string();
      else if (f === 3) key = stringFromUtf16(r.bytes());
      else if (f === 2) {
        const vs = r.lengthDelimited();
        const ve = r.pos;
        r.pos = vs;
        value = readAnyValue(r, ve, depth, maxDepth);
        r.pos = ve;
        r.end = e;
      } else r.skip(kt & 7);
    }
    setOwn(map, key, value);
    r.end = stop;
  }
  r.end = outerEnd;
}

const scratch = new WireWriter(4096);

/** The encoded AnyValue message body of `v` (a fresh copy; also a canonical fingerprint). */
export function encodeAnyValue(v: unknown, issues: AnyValueIssues = newIssues(), maxDepth = DEFAULT_MAX_DEPTH): Uint8Array {
  scratch.reset();
  writeAnyValue(scratch, v, issues, 0, maxDepth);
  return scratch.finish();
}

export function decodeAnyValue(bytes: Uint8Array, maxDepth = 128): AnyValue {
  const r = new WireReader(bytes);
  return readAnyValue(r, bytes.length, 0, maxDepth);
}
