import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitsShape, matchShape, NUMBER_MARK, parseShape, renderShape, shapeOf } from '../../src/encoder/value-codec';

function roundTrip(s: string, shape = shapeOf(s, [])): string | undefined {
  const nums: number[] = [];
  const own = shapeOf(s, nums);
  const parsed = parseShape(shape === own ? own : shape);
  return parsed && renderShape(parsed, nums, 0);
}

describe('value shapes', () => {
  it.each([
    ['081109', 1], ['2015-10-18 18:01:47,978', 7], ['10.251.73.220:50010', 5], ['blk_-6952295868487656571', 2],
    ['+1', 1], ['1e3', 2], ['-0', 1], ['0x1F', 2], ['TRUE', 0], ['007', 1], ['0', 1], ['', 0], ['\u0001\u0002\u0003 9', 1],
    ['12345678901234567890123456789', 2],
  ])('restores %j exactly (%i runs)', (text, runs) => {
    const nums: number[] = [];
    const shape = shapeOf(text, nums);
    expect(nums).toHaveLength(runs);
    for (const n of nums) expect(Number.isSafeInteger(n)).toBe(true);
    expect(/[0-9]/.test(shape)).toBe(false);
    expect(renderShape(parseShape(shape)!, nums, 0)).toBe(text);
  });

  it.each([
    ['fa5aad08-3f5e-4c94-a0b6-29e030d7b9b8', 5, '168e2157-c49c-4fe7-ae74-c5bb6d3d3d88'], // UUID: 8-4-4-4-12
    ['ord_4b1241ee88', 1, 'ord_0629a2adf1'],
    ['02ff152c0fdc7f12fa169e5eb2f38b96', 3, '857d6fe767d044f4857d6fe767d044f4'], // 32 digits: 12 + 12 + 8
    ['request d3df75d9 from 10.141.159.173:28461', 6, 'request 0a3c477e from 10.79.60.3:2846'],
  ])('shapes the hex words of %j as hex pieces (%i runs)', (text, runs, other) => {
    const nums: number[] = [];
    const shape = shapeOf(text, nums);
    expect(nums).toHaveLength(runs);
    expect(shape).toContain('\u0005');
    for (const n of nums) expect(n).toBeLessThan(2 ** 48);
    expect(renderShape(parseShape(shape)!, nums, 0)).toBe(text);
    // ids of the same form share one shape: the slot's shape repeats
    expect(shapeOf(other, [])).toBe(shape);
  });

  it.each(['deadbeef', '1e3', 'a1b', 't18', 'u592661', '0x1f2a3b', 'DEADBEEF01', 'abc123x', '2015-10-18', 'blk_-69522958'])(
    'keeps %j out of hex pieces (no letter, no digit, too short, other letters or upper case)',
    (text) => {
      const nums: number[] = [];
      const shape = shapeOf(text, nums);
      expect(shape).not.toContain('\u0005');
      expect(renderShape(parseShape(shape)!, nums, 0)).toBe(text);
    },
  );

  it('round-trips texts made of hex words, separators and marker characters (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9a-fA-Gx_.:\u0001-\u0005-]{0,48}$/), (s) => {
      expect(roundTrip(s)).toBe(s);
    }), { numRuns: 3000 });
  });

  it('returns the string itself when there is nothing to replace', () => {
    const s = 'no digits here';
    expect(shapeOf(s, [])).toBe(s);
  });

  it('round-trips any string (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => {
      expect(roundTrip(s)).toBe(s);
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.stringMatching(/^[0-9a-z.:+-]{0,40}$/), (s) => {
      expect(roundTrip(s)).toBe(s);
    }), { numRuns: 2000 });
  });

  it('lets a zero-padded earlier shape carry a run of the same width (09 -> 10), not a shorter one', () => {
    const a: number[] = [];
    const padded = shapeOf('2005.06.03', a);
    const b: number[] = [];
    const natural = shapeOf('2005.11.13', b);
    expect(natural).not.toBe(padded);
    expect(fitsShape(natural, b, padded)).toBe(true);
    expect(renderShape(parseShape(padded)!, b, 0)).toBe('2005.11.13');
    const c: number[] = [];
    const short = shapeOf('2005.6.3', c);
    expect(fitsShape(short, c, padded)).toBe(false);
    // a leading-zero run never fits a natural marker
    expect(fitsShape(padded, a, natural)).toBe(false);
  });

  it('fitsShape agrees with rendering (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.:-]{0,16}$/), fc.stringMatching(/^[0-9.:-]{0,16}$/), (x, y) => {
        const nx: number[] = [];
        const sx = shapeOf(x, nx);
        const ny: number[] = [];
        const sy = shapeOf(y, ny);
        if (fitsShape(sy, ny, sx)) expect(renderShape(parseShape(sx)!, ny, 0)).toBe(y);
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects invalid shapes and numbers that do not fit', () => {
    expect(parseShape('a1')).toBeUndefined();
    expect(parseShape('\u0002')).toBeUndefined();
    expect(parseShape('\u0002\u0021')).toBeUndefined(); // width 1 is never produced
    expect(parseShape('\u0003x')).toBeUndefined();
    const p = parseShape('\u0002\u0023')!; // width 3
    expect(renderShape(p, [7], 0)).toBe('007');
    expect(renderShape(p, [1234], 0)).toBeUndefined();
    expect(renderShape(parseShape('\u0001')!, [-1], 0)).toBeUndefined();
    expect(renderShape(parseShape('\u0001')!, [1.5], 0)).toBeUndefined();
    expect(parseShape('\u0005')).toBeUndefined(); // hex marker without its width
    expect(parseShape('\u0005\u0020')).toBeUndefined(); // width 0
    expect(parseShape('\u0005\u002d')).toBeUndefined(); // width 13: more than 48 bits
    const h = parseShape('id=\u0005\u0024')!; // 4 hex digits
    expect(renderShape(h, [0xbe], 0)).toBe('id=00be');
    expect(renderShape(h, [0x10000], 0)).toBeUndefined();
  });
});

/**
 * The fast path against shaping the text and fitting the shape (shapeOf + fitsShape): what it
 * accepts renders back exactly under the earlier shape (sound), and it accepts whatever the
 * slow path accepts, with the same runs (complete). It may accept more: digits under an
 * earlier shape's hex piece (`0000…` under the shape of `000…a`) render back all the same.
 */
function fastPathAgrees(x: string, y: string): void {
  const nx: number[] = [];
  const sx = shapeOf(x, nx);
  const px = parseShape(sx)!;
  const fast: number[] = [];
  const r = matchShape(y, sx, fast, 0);
  const ny: number[] = [];
  const sy = shapeOf(y, ny);
  if (r >= 0) {
    expect(fast.length).toBe(px.widths.length);
    expect(renderShape(px, fast, 0)).toBe(y);
  }
  if (sy === sx || fitsShape(sy, ny, sx)) {
    expect(r).toBe(ny.length);
    expect(fast).toEqual(ny);
  }
  // a text always fits its own shape
  expect(matchShape(x, sx, [], 0)).toBe(nx.length);
}

describe('matchShape (fast path)', () => {
  it('agrees with shapeOf + fitsShape (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-c.:-]{0,20}$/), fc.stringMatching(/^[0-9a-c.:-]{0,20}$/), fastPathAgrees),
      { numRuns: 5000 },
    );
  });

  it('agrees with shapeOf + fitsShape on hex words: ids, UUIDs, words that only look like hex (property)', () => {
    const part = fc.oneof(
      fc.stringMatching(/^[0-9a-f]{1,34}$/),
      fc.constantFrom('ord_', '-', '_', 'g', 'x', 'A', ' ', '.', '0', 'a', 'deadbeef', '\u0005'),
    );
    const text = fc.array(part, { maxLength: 5 }).map((p) => p.join(''));
    fc.assert(fc.property(text, text, fastPathAgrees), { numRuns: 5000 });
    const uuid = 'fa5aad08-3f5e-4c94-a0b6-29e030d7b9b8';
    const fast: number[] = [];
    expect(matchShape('168e2157-c49c-4fe7-ae74-c5bb6d3d3d88', shapeOf(uuid, []), fast, 0)).toBe(5);
    expect(fast).toEqual([0x168e2157, 0xc49c, 0x4fe7, 0xae74, 0xc5bb6d3d3d88]);
    expect(matchShape('168E2157-c49c-4fe7-ae74-c5bb6d3d3d88', shapeOf(uuid, []), [], 0)).toBe(-1); // upper case
    expect(matchShape('168e2157-c49c-4fe7-ae74-c5bb6d3d3d8', shapeOf(uuid, []), [], 0)).toBe(-1); // one digit short
  });

  it('agrees with shapeOf + fitsShape on long digit runs (cut into 15-digit pieces) (property)', () => {
    const text = fc
      .array(fc.oneof(fc.stringMatching(/^[0-9]{1,40}$/), fc.constantFrom('blk_', '-', '_', 'a', '0', '000000000000000')), { maxLength: 5 })
      .map((p) => p.join(''));
    fc.assert(fc.property(text, text, fastPathAgrees), { numRuns: 5000 });
    const ids = ['blk_38865049064139660', 'blk_7128370237687728475', 'blk_3887036495876537'];
    const nums: number[] = [];
    const shape = shapeOf(ids[1]!, nums);
    const fast: number[] = [];
    expect(matchShape('blk_5555555555555555555', shape, fast, 0)).toBe(2);
    expect(fast).toEqual([555555555555555, 5555]);
    expect(matchShape(ids[0]!, shape, [], 0)).toBe(2); // 17 digits: 15 + 2, natural pieces too
    expect(matchShape('blk_123456789012345', shape, [], 0)).toBe(-1); // one piece for two markers
    expect(matchShape('blk_1234567890123450123456789012345', shape, [], 0)).toBe(-1); // three pieces
    expect(matchShape(ids[2]!, shapeOf(ids[2]!, []), [], 0)).toBe(2);
  });
});

/**
 * The model matchShape must equal: match against the parsed shape (parseShape), literal
 * parts, digit runs and hex pieces in turn — the encoder's fast path until matchShape read the shape
 * string directly (0922d9c). Returns the runs written, or -1.
 */
function matchParsed(text: string, shape: string, nums: number[]): number {
  const p = parseShape(shape);
  if (p === undefined) return -1;
  const { parts, widths } = p;
  const n = text.length;
  const runs = widths.length;
  let pos = 0;
  let k = 0;
  for (;;) {
    const lit = parts[k]!;
    if (text.slice(pos, pos + lit.length) !== lit) return -1;
    pos += lit.length;
    if (k === runs) break;
    if (widths[k]! < 0) {
      // a hex piece: exactly -w lowercase hex digits
      const piece = text.slice(pos, pos - widths[k]!);
      if (!new RegExp(`^[0-9a-f]{${-widths[k]!}}$`).test(piece)) return -1;
      nums[k++] = parseInt(piece, 16);
      pos += piece.length;
      continue;
    }
    const start = pos;
    while (pos < n && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
    if (pos === start) return -1;
    for (let q = start; q < pos; q += 15) {
      // a further piece takes the next marker, which must follow with no literal between
      if (q > start && (k === runs || parts[k]!.length !== 0)) return -1;
      const e = Math.min(pos, q + 15);
      const w = widths[k]!;
      if (w === 0 ? e - q > 1 && text[q] === '0' : e - q !== w) return -1;
      nums[k++] = Number(text.slice(q, e));
    }
  }
  return pos === n ? runs : -1;
}

describe('matchShape (the fast path on the shape string, no parse)', () => {
  const piece = fc.oneof(
    fc.stringMatching(/^[0-9]{1,40}$/),
    fc.constantFrom('blk_', '-', '_', 'a', 'ef', 'deadbeef', 'g', '0', '00', '000000000000000', '.', ':', '\u0001', '\u0002', '\u0003', '\u0004', '\u0005', ' '),
  );
  const text = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));

  it('gives exactly what matching the parsed shape gives, for shapes of texts and their number-marked forms (property)', () => {
    fc.assert(
      fc.property(text, text, fc.boolean(), (x, y, numeric) => {
        const shape = (numeric ? NUMBER_MARK : '') + shapeOf(x, []);
        const a: number[] = [];
        const b: number[] = [];
        const r = matchShape(y, shape, a, 0);
        expect(r).toBe(matchParsed(y, shape, b));
        if (r >= 0) expect(a.slice(0, r)).toEqual(b.slice(0, r));
        // a text always fits its own shape
        if (!numeric) expect(matchShape(x, shape, [], 0)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives -1 wherever parseShape rejects the shape, and agrees on any other string (property)', () => {
    const raw = fc.array(fc.constantFrom('a', '1', '0', 'f', '\u0001', '\u0002', '\u0003', '\u0004', '\u0005', '\u0022', '\u0021', '\u0024', '\u002d', '\u002f', '-'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(raw, text, (shape, y) => {
        expect(matchShape(y, shape, [], 0)).toBe(matchParsed(y, shape, []));
      }),
      { numRuns: 5000 },
    );
    expect(matchShape('12', '\u0002', [], 0)).toBe(-1); // fixed marker without its width
    expect(matchShape('12', '\u0002\u0021', [], 0)).toBe(-1); // width 1 is never produced
    expect(matchShape('a1', 'a1', [], 0)).toBe(-1); // a digit in a shape
    expect(matchShape('x', 'x\u0004', [], 0)).toBe(-1); // a number mark past the start
  });
});

describe('numeric shapes', () => {
  it('carry every number but -0 exactly through String/Number (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()), (n) => {
        if (Object.is(n, -0)) return;
        const nums: number[] = [];
        const shape = '\u0004' + shapeOf(String(n), nums);
        const p = parseShape(shape)!;
        expect(p.numeric).toBe(true);
        expect(Object.is(Number(renderShape(p, nums, 0)), n)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a string that starts with the number mark a string', () => {
    const nums: number[] = [];
    const shape = shapeOf('\u00041', nums);
    const p = parseShape(shape)!;
    expect(p.numeric).toBe(false);
    expect(renderShape(p, nums, 0)).toBe('\u00041');
    expect(parseShape('a\u0004')).toBeUndefined();
  });
});
