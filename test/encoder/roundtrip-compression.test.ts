/**
 * COMPRESSION_DEFLATE_STREAM: batches compressed with a context that persists across the
 * stream decompress in order, exactly; a receiver without the context (a new stream) or
 * out of order fails loudly instead of returning wrong bytes.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STREAM_WINDOW, StreamCompressor, StreamDecompressor } from '../../src/encoder/compression';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('stream compression (deflate primed with earlier batches)', () => {
  it('round-trips any sequence of batches in order', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string().map((s) => new TextEncoder().encode(s.repeat(20)))), { maxLength: 12 }), (batches) => {
        const c = new StreamCompressor();
        const d = new StreamDecompressor();
        for (const b of batches) expect(same(d.decompress(c.compress(b), 1 << 24), b)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('handles batches larger than the window and resets for a new stream', () => {
    const c = new StreamCompressor();
    const d = new StreamDecompressor();
    const big = randomBytes(STREAM_WINDOW * 3);
    expect(same(d.decompress(c.compress(big), 1 << 24), big)).toBe(true);
    const again = new TextEncoder().encode('hello stream '.repeat(100));
    expect(same(d.decompress(c.compress(again), 1 << 24), again)).toBe(true);
    c.reset();
    d.reset();
    expect(same(d.decompress(c.compress(again), 1 << 24), again)).toBe(true);
  });

  it('pays: a repeated batch costs far less the second time', () => {
    const c = new StreamCompressor();
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const batch = new TextEncoder().encode(Array.from({ length: 200 }, () => `user ${rnd() % 9973} logged in from 10.${rnd() % 256}.${rnd() % 256}.1 id=${rnd()}`).join('\n'));
    const first = c.compress(batch).length;
    const second = c.compress(batch).length;
    expect(second).toBeLessThan(first / 4);
  });

  it('fails (no silent garbage) without the earlier batches, and honours maxBytes', () => {
    const c = new StreamCompressor();
    const text = new TextEncoder().encode('the same words again and again '.repeat(50));
    c.compress(text);
    const second = c.compress(text);
    expect(() => new StreamDecompressor().decompress(second, 1 << 24)).toThrow();
    const d = new StreamDecompressor();
    expect(() => d.decompress(new StreamCompressor().compress(text), 10)).toThrow();
  });
});

describe('per-stream codec objects (transport / receiver entry points)', () => {
  it('carry every codec through one interface, in stream order', async () => {
    const { initCompression, createStreamEncoderCodec, createStreamDecoderCodec } = await import('../../src/encoder/compression');
    await initCompression();
    const batches = [0, 1, 2, 3].map((i) => new TextEncoder().encode(`batch ${i} `.repeat(200 + i)));
    for (const name of ['deflate-stream', 'zstd', 'gzip', 'none'] as const) {
      const enc = createStreamEncoderCodec(name);
      const dec = createStreamDecoderCodec();
      for (const b of batches) expect(same(dec.decompress(enc.wire, enc.compress(b), 1 << 20), b)).toBe(true);
      enc.reset();
      dec.reset();
      expect(same(dec.decompress(enc.wire, enc.compress(batches[0]!), 1 << 20), batches[0]!)).toBe(true);
    }
  });
});
