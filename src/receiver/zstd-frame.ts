/**
 * Reads the content size a zstd frame header declares, without decompressing. The
 * zstd codec allocates that much up front, so a hostile frame claiming gigabytes must
 * be refused before it reaches the codec (RFC 8878 §3.1.1.1).
 */
const ZSTD_MAGIC = 0xfd2fb528;

/**
 * The first frame's declared content size; `undefined` when the header does not carry
 * one (the codec then caps its buffer at 1 MiB) or the input is not a zstd frame (the
 * codec rejects it).
 */
export function zstdFrameContentSize(b: Uint8Array): number | undefined {
  if (b.byteLength < 5) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, true) !== ZSTD_MAGIC) return undefined;
  const fhd = b[4]!;
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd >> 5) & 1;
  const dictFlag = fhd & 3;
  const pos = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][dictFlag]!;
  const fcsSize = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
  if (fcsSize === 0 || pos + fcsSize > b.byteLength) return undefined;
  switch (fcsSize) {
    case 1: return b[pos]!;
    case 2: return dv.getUint16(pos, true) + 256;
    case 4: return dv.getUint32(pos, true);
    default: {
      const lo = dv.getUint32(pos, true);
      const hi = dv.getUint32(pos + 4, true);
      return hi * 2 ** 32 + lo;
    }
  }
}
