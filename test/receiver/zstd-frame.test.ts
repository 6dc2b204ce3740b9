import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compress, initCompression } from '../../src/encoder/compression';
import { zstdFrameContentSize } from '../../src/receiver/zstd-frame';

describe('zstdFrameContentSize', () => {
  it('reads the size real frames declare, for small and large inputs', async () => {
    await initCompression();
    for (const n of [0, 1, 200, 255, 256, 300, 65_791, 65_792, 1_000_000]) {
      expect(zstdFrameContentSize(compress('zstd', crypto.randomBytes(n)))).toBe(n);
    }
  });

  it('reads an 8-byte size from a hand-made header (a frame claiming 6 GB)', () => {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(0xfd2fb528, 0);
    b[4] = 0b1110_0000; // FCS 8 bytes, single segment, no dictionary
    b.writeUInt32LE(0x80000000, 5);
    b.writeUInt32LE(1, 9);
    expect(zstdFrameContentSize(b)).toBe(2 ** 32 + 2 ** 31);
  });

  it('says undefined for non-zstd or truncated input', () => {
    expect(zstdFrameContentSize(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(zstdFrameContentSize(Buffer.from('hello world'))).toBeUndefined();
    const b = Buffer.alloc(6);
    b.writeUInt32LE(0xfd2fb528, 0);
    b[4] = 0b1110_0000;
    expect(zstdFrameContentSize(b)).toBeUndefined();
  });
});
