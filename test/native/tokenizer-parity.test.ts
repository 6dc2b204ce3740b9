/**
 * The Rust tokenizer (native/) must give byte-identical tokens to the TypeScript one
 * (src/encoder/tokenizer.ts) for every string: every corpus file (line by line, in native
 * batches, and each whole file as one body) and fast-check strings (arbitrary UTF-16 code
 * units with lone surrogates and control characters, full Unicode, log-like fragments that
 * hit the structured rules, 1 MiB lines).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  corpusAvailable,
  largeApacheAvailable,
  largeApacheGz,
  LOGHUB_SYSTEMS,
  loghubFiles,
  skipReason,
} from '../helpers/corpus';
import { binding, compareBatch, nativeSkipReason } from './helpers';

if (!binding) console.warn(nativeSkipReason);
if (!corpusAvailable) console.warn(skipReason);

/** Native batches of this many lines, like the encoder's batches. */
const BATCH = 1024;

function compareLines(text: string): { lines: number; diffs: string[] } {
  const lines = text.split('\n');
  const diffs: string[] = [];
  for (let i = 0; i < lines.length; i += BATCH) {
    for (const d of compareBatch(binding!, lines.slice(i, i + BATCH))) diffs.push(`line ~${i}: ${d}`);
  }
  return { lines: lines.length, diffs };
}

describe.skipIf(!binding || !corpusAvailable)('native vs TypeScript tokenizer on the corpus', () => {
  for (const system of LOGHUB_SYSTEMS) {
    it(`Loghub-2k ${system}: every line and the whole file`, () => {
      // arrange
      const text = readFileSync(loghubFiles(system).log, 'utf8');
      // act
      const { lines, diffs } = compareLines(text);
      const whole = compareBatch(binding!, [text]);
      // assert
      expect(lines).toBeGreaterThanOrEqual(2000);
      expect(diffs.slice(0, 5)).toEqual([]);
      expect(whole).toEqual([]);
    });
  }

  it.skipIf(!largeApacheAvailable)('large Apache.log (56k lines, 5 MB): every line and the whole file', () => {
    const text = gunzipSync(readFileSync(largeApacheGz)).toString('utf8');
    const { lines, diffs } = compareLines(text);
    expect(lines).toBe(56482);
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(compareBatch(binding!, [text])).toEqual([]);
  });
});

/** Any UTF-16 code unit: lone surrogates, NUL and every control character included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Characters every rule of the tokenizer looks at, plus a few outsiders. */
const logChar = fc.constantFrom(
  ...'0123456789abcdefxABCDEFXTZGETPOSe .:-/[]"@=+,_~%?#!;\t\r\n\u0000\u007f\u00e9\ud800\udc00\u2028'.split(''),
);

/** Fragments that complete the structured rules (dates, times, IPs, URLs, e-mails, ...). */
const fragment = fc.oneof(
  logChar,
  fc.integer({ min: -1000, max: 100_000 }).map(String),
  fc.constantFrom('" ', '"', ' ', '.', ':', '-', '/', '@').chain((sep) => fc.nat(999).map((v) => sep + String(v))),
  fc.constantFrom(
    '2024-01-02', 'T', '12:34:56', '20171223-22:15:35:98', '+0530', '-05301', '+05:3', 'T1:02:03.4+01', '1:02:03', ',123', '.5', 'Z', '+01:00', '-0530', '192.168.1.254', '256.1.1.1',
    ':8080', '::', '::1', 'fe80::1', '[fe80::1]', '1:2:3:4:5:6:7:8', '2001:db8::ff00:42:8329', 'http://', 'https://a.b/c?d=e',
    'user@example.com', 'a@b', '0x1F', '0X', '-42', '+7', '1e9', '2.5E-3', '"GET /x HTTP/1.1" ', '200', '404 ', '599',
    '/usr/local/bin', '/.', '/~x', 'key=', 'GET', 'DELETE', 'error', 'WARNING', 'Info', 'crit', 'dead-beef', 'cafe01',
    '123e4567-e89b-12d3-a456-426614174000', 'blk_-1608999687919862906', 'Input/output', 'a.b-c/d', ' ', '  ', '\u00fc',
  ),
);

/** Date/time shapes with every zone variant and a tail that may break the boundary. */
const dateTimeLike = fc
  .tuple(
    fc.constantFrom('2024-01-02', '1999-12-31', '2024-1-02', ''),
    fc.constantFrom('T', ' ', '', ':'),
    fc.constantFrom('12:34:56', '1:02:03', '12:34:5', '22:15:35:98'),
    fc.constantFrom('', '.123', ',5', '.'),
    fc.constantFrom('', 'Z', '+01:00', '-0530', '+05301', '+05:3', '+0', '-05:30:00'),
    fc.constantFrom('', ' ', 'x', '.', '.a', '-', '1', ']'),
  )
  .map((parts) => parts.join(''));

/** IPv4/IPv6 shapes: groups of 0-5 hex digits or 1-4 decimal digits, ':' '::' '.' separators, brackets, ports. */
const addressLike = fc
  .tuple(
    fc.constantFrom('', '[', '::'),
    fc.array(
      fc.tuple(fc.constantFrom('', '0', '1', '25', '255', '256', 'ff', 'abcd', 'abcde', 'FfFf', '1234'), fc.constantFrom(':', '::', '.', '')),
      { minLength: 1, maxLength: 9 },
    ),
    fc.constantFrom('', ']', ']:443', ':8080', ':123456', 'x'),
  )
  .map(([head, groups, tail]) => head + groups.map(([g, sep]) => g + sep).join('') + tail);

const logLike = fc.array(fc.oneof(fragment, dateTimeLike, addressLike), { maxLength: 40 }).map((parts) => parts.join(''));

function assertIdentical(bodies: string[]): void {
  const diffs = compareBatch(binding!, bodies);
  if (diffs.length > 0) throw new Error(diffs.slice(0, 3).join('\n'));
}

describe.skipIf(!binding)('native vs TypeScript tokenizer on generated strings', () => {
  it('arbitrary UTF-16 code units (lone surrogates, control characters), in batches', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: codeUnit, maxLength: 80 }), { maxLength: 16 }), assertIdentical), {
      numRuns: 300,
    });
  });

  it('full Unicode (astral characters as surrogate pairs)', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 60 }), { maxLength: 16 }), assertIdentical), {
      numRuns: 200,
    });
  });

  it('log-like strings built from the structured rules\' fragments', () => {
    fc.assert(fc.property(fc.array(logLike, { minLength: 1, maxLength: 16 }), assertIdentical), { numRuns: 1000 });
  });

  it('1 MiB lines', () => {
    const MiB = 1 << 20;
    fc.assert(
      fc.property(logLike, fc.string({ unit: codeUnit, maxLength: 16 }), (a, b) => {
        const seed = a + b + ' ';
        const body = seed.repeat(Math.ceil(MiB / seed.length)).slice(0, MiB);
        assertIdentical([body, 'short line 1', body.slice(1)]);
      }),
      { numRuns: 4 },
    );
  });

  it('edge bodies: empty, one char, all-whitespace, one huge punct run, many empty bodies', () => {
    assertIdentical(['', 'x', ' ', '\ud800', '', '\u0000\u0000', ' \t\n\r\v\f', '='.repeat(100_000), '', '']);
    assertIdentical(Array.from({ length: 5000 }, () => ''));
    // hostile repetitions (IPv6 groups, dotted numbers, e-mail and URL runs, brackets)
    assertIdentical(['a:'.repeat(200_000), '1.'.repeat(200_000), 'x@y.'.repeat(100_000), 'http://a'.repeat(50_000), '[::'.repeat(100_000)]);
  });
});
