/**
 * The boundary between the addon and TypeScript: the FlatBuffers result (read with the
 * flatc-generated code and the `flatbuffers` npm package), error codes as values (invalid
 * input, size limits, a panic inside Rust), and the three input designs agreeing byte for byte.
 */
import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';

import {
  NATIVE_SCHEMA_VERSION,
  NativeErrorCode,
  NativeResultError,
  nativeTokenizeBatch,
  readTokenizeResult,
} from '../../src/encoder/native-tokenizer';
import { TokenizeResult } from '../../src/native-fbs/otel-stateful-logs/tokenizer/tokenize-result';
import { tokenize } from '../../src/encoder/tokenizer';
import { binding, nativeSkipReason, tokenListDiff } from './helpers';

if (!binding) console.warn(nativeSkipReason);

/** Builds a TokenizeResult with the generated TypeScript builder (no addon involved). */
function buildResult(o: {
  version?: number;
  error?: NativeErrorCode;
  message?: string;
  bodyErrors?: number[];
  offsets?: number[];
  kinds?: number[];
  starts?: number[];
  ends?: number[];
}): Uint8Array {
  const b = new Builder(256);
  const message = o.message === undefined ? 0 : b.createString(o.message);
  const ends = TokenizeResult.createEndsVector(b, o.ends ?? []);
  const starts = TokenizeResult.createStartsVector(b, o.starts ?? []);
  const kinds = TokenizeResult.createKindsVector(b, o.kinds ?? []);
  const offsets = TokenizeResult.createTokenOffsetsVector(b, o.offsets ?? [0]);
  const errors = TokenizeResult.createBodyErrorsVector(b, o.bodyErrors ?? []);
  TokenizeResult.startTokenizeResult(b);
  TokenizeResult.addVersion(b, o.version ?? NATIVE_SCHEMA_VERSION);
  TokenizeResult.addError(b, o.error ?? NativeErrorCode.None);
  if (message) TokenizeResult.addMessage(b, message);
  TokenizeResult.addBodyErrors(b, errors);
  TokenizeResult.addTokenOffsets(b, offsets);
  TokenizeResult.addKinds(b, kinds);
  TokenizeResult.addStarts(b, starts);
  TokenizeResult.addEnds(b, ends);
  TokenizeResult.finishTokenizeResultBuffer(b, TokenizeResult.endTokenizeResult(b));
  return b.asUint8Array();
}

describe('reading a TokenizeResult (generated TS code + flatbuffers npm)', () => {
  it('reads the per-body tokens of a two-body batch', () => {
    // arrange: body 0 "ab cd" = Word, Whitespace, Word; body 1 "" = no tokens
    const bytes = buildResult({
      bodyErrors: [0, 0],
      offsets: [0, 3, 3],
      kinds: [0, 1, 0],
      starts: [0, 2, 3],
      ends: [2, 3, 5],
    });
    // act
    const batch = readTokenizeResult(bytes, 2);
    const first = batch.fill(0);
    // assert
    expect(batch.size).toBe(2);
    expect(tokenListDiff('ab cd', tokenize('ab cd'), first)).toBeUndefined();
    expect(batch.fill(1).count).toBe(0);
  });

  it('reads a misaligned copy of the buffer (views need 4-byte alignment)', () => {
    const bytes = buildResult({ bodyErrors: [0], offsets: [0, 1], kinds: [0], starts: [0], ends: [1] });
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(readTokenizeResult(shifted, 1).fill(0).ends[0]).toBe(1);
  });

  it('rejects garbage, another schema version, a wrong body count and inconsistent vectors', () => {
    expect(() => readTokenizeResult(new Uint8Array([1, 2, 3]), 0)).toThrow(NativeResultError);
    expect(() => readTokenizeResult(new Uint8Array(64).fill(7), 0)).toThrow(/identifier/);
    expect(() => readTokenizeResult(buildResult({ version: 2 }), 0)).toThrow(/version 2/);
    expect(() => readTokenizeResult(buildResult({ bodyErrors: [0], offsets: [0, 0] }), 2)).toThrow(/expected 2/);
    expect(() =>
      readTokenizeResult(buildResult({ bodyErrors: [0], offsets: [0, 2], kinds: [0], starts: [0], ends: [1] }), 1),
    ).toThrow(/disagree/);
  });

  it('turns a batch error code into a NativeResultError carrying the code and message', () => {
    const bytes = buildResult({ error: NativeErrorCode.SizeLimit, message: 'too big' });
    let caught: unknown;
    try {
      readTokenizeResult(bytes, 0);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NativeResultError);
    expect((caught as NativeResultError).code).toBe(NativeErrorCode.SizeLimit);
    expect((caught as NativeResultError).message).toMatch(/SizeLimit: too big/);
  });
});

describe.skipIf(!binding)('the addon at its boundary', () => {
  const bodies = ['GET /index.html 200', '', 'x\ud800y 10.0.0.1:80', 'ééé  2024-01-02T03:04:05Z'];
  const joined = bodies.join('');
  const ends = Uint32Array.from(bodies.map((_, i) => bodies.slice(0, i + 1).join('').length));

  it('exports the schema and rules versions this reader expects', () => {
    expect(binding!.SCHEMA_VERSION).toBe(NATIVE_SCHEMA_VERSION);
    expect(typeof binding!.RULES_VERSION).toBe('number');
  });

  it('joined string, UTF-16 buffer and string array inputs give identical bytes', () => {
    const a = binding!.tokenizeJoined(joined, ends);
    const units = new Uint16Array(joined.length);
    for (let i = 0; i < joined.length; i++) units[i] = joined.charCodeAt(i);
    const b = binding!.tokenizeUtf16(units, ends);
    const c = binding!.tokenizeArray(bodies);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(c).equals(Buffer.from(a))).toBe(true);
    const batch = readTokenizeResult(a, bodies.length);
    bodies.forEach((body, i) => expect(tokenListDiff(body, tokenize(body), batch.fill(i))).toBeUndefined());
  });

  it('returns InvalidInput for decreasing body ends and ends past the text', () => {
    expect(() => readTokenizeResult(binding!.tokenizeJoined('abcdef', new Uint32Array([4, 2])), 2)).toThrow(
      /InvalidInput: bodyEnds must not decrease/,
    );
    expect(() => readTokenizeResult(binding!.tokenizeJoined('abc', new Uint32Array([1, 9])), 2)).toThrow(
      /InvalidInput: bodyEnds point past the end/,
    );
  });

  it('returns SizeLimit per body (others still tokenized) and for the whole batch', () => {
    const batch = nativeTokenizeBatch(binding!, ['short', 'much longer body', 'ok'], { maxBodyUnits: 5 });
    expect([batch.error(0), batch.error(1), batch.error(2)]).toEqual([
      NativeErrorCode.None,
      NativeErrorCode.SizeLimit,
      NativeErrorCode.None,
    ]);
    expect(batch.fill(1).count).toBe(0);
    expect(tokenListDiff('ok', tokenize('ok'), batch.fill(2))).toBeUndefined();
    expect(() => nativeTokenizeBatch(binding!, ['0123456789'], { maxBatchUnits: 4 })).toThrow(/SizeLimit/);
  });

  it('catches a panic inside Rust: Internal error code, Node keeps running, the next call works', () => {
    let caught: unknown;
    try {
      nativeTokenizeBatch(binding!, bodies, { faultInjectPanicAt: 2 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NativeResultError);
    expect((caught as NativeResultError).code).toBe(NativeErrorCode.Internal);
    expect((caught as NativeResultError).message).toMatch(/panicked: fault injected at body 2/);
    // the scratch buffers survive the unwind
    const again = nativeTokenizeBatch(binding!, bodies);
    expect(tokenListDiff(bodies[3]!, tokenize(bodies[3]!), again.fill(3))).toBeUndefined();
  });

  it('a body that is not a string comes back as InvalidInput; a non-typed-array argument throws, no crash', () => {
    const b = binding as unknown as Record<string, (...a: unknown[]) => Uint8Array>;
    expect(() => readTokenizeResult(b.tokenizeJoined!(42, new Uint32Array(0)), 0)).toThrow(/InvalidInput: a body is not a string/);
    expect(() => readTokenizeResult(b.tokenizeArray!(['a', 5]), 2)).toThrow(/InvalidInput: a body is not a string/);
    expect(() => b.tokenizeJoined!('abc', [3])).toThrow();
  });
});
