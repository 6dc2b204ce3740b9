/**
 * JSON object bodies: `{"level":"info","msg":"user 42 logged in","ms":12}` is split into a
 * message (patterned like any text body) and typed fields, and rebuilt byte-exactly.
 *
 * Byte-exactness by construction: a body is only split when `JSON.stringify(JSON.parse(body))`
 * gives the body back. Then rebuilding an object with the same keys in the same order and
 * the same values (numbers as exact doubles, nested values as AnyValue maps/arrays) gives
 * the same text. Anything else — pretty-printed JSON, `1.0`, escapes JSON.stringify would
 * not write, duplicate keys, integer-like keys out of engine order — stays a plain string
 * body.
 */
import type { AnyValue, AnyValueMap } from './log-record';
import { isWellFormed, setOwn } from './any-value-codec';

/** Keys tried, in order, for the message part (a string value). */
export const MESSAGE_KEYS = ['message', 'msg', 'log', 'text'] as const;

/** Bodies longer than this are not parsed (cost bound); they go the plain-string way. */
export const MAX_JSON_BODY = 64 * 1024;

export interface JsonSplit {
  /** Top-level keys in order. */
  keys: string[];
  /** Value of each key (values[messageIndex] is the message string). */
  values: AnyValue[];
  /** Index of the message key in `keys`, or -1. */
  messageIndex: number;
}

/** Splits a JSON object body, or returns undefined when it cannot be rebuilt exactly. */
export function splitJsonBody(body: string): JsonSplit | undefined {
  const n = body.length;
  if (n < 2 || n > MAX_JSON_BODY || body.charCodeAt(0) !== 123 /* { */ || body.charCodeAt(n - 1) !== 125 /* } */) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  if (JSON.stringify(parsed) !== body) return undefined;
  const obj = parsed as AnyValueMap;
  const keys = Object.keys(obj);
  for (const k of keys) if (!isWellFormed(k)) return undefined;
  const values = keys.map((k) => obj[k]);
  let messageIndex = -1;
  for (const mk of MESSAGE_KEYS) {
    const i = keys.indexOf(mk);
    if (i >= 0 && typeof values[i] === 'string' && isWellFormed(values[i] as string)) {
      messageIndex = i;
      break;
    }
  }
  return { keys, values, messageIndex };
}

/** Rebuilds the body text from keys and values (the inverse of `splitJsonBody`). */
export function rebuildJsonBody(keys: readonly string[], values: readonly AnyValue[]): string {
  const obj: AnyValueMap = {};
  for (let i = 0; i < keys.length; i++) setOwn(obj, keys[i]!, values[i]);
  return JSON.stringify(obj);
}
