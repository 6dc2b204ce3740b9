/**
 * A minimal, bounds-checked protobuf reader for the decoder's hot path. Every read checks
 * the end of its window and throws a DecodeError('malformed') rather than reading past it;
 * 64-bit varints are returned as JS numbers and rejected when they would not be exact.
 */
import { DecodeError } from './errors';

const TWO_32 = 4294967296;
const utf8 = new TextDecoder('utf-8');

export class WireReader {
  pos: number;
  end: number;
  private view: DataView;

  constructor(readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  // The last 64-bit varint read by varint64(), as unsigned halves (no allocation per read).
  private lo = 0;
  private hi = 0;

  /** Reads a varint of up to 10 bytes into {@link lo} / {@link hi} (unsigned 32-bit halves). */
  private varint64(): void {
    const b = this.buf;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      if (p >= this.end) this.fail('truncated varint');
      if (i >= 10) this.fail('varint too long');
      const byte = b[p++]!;
      const bits = byte & 127;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 15) << 28;
        hi |= bits >>> 4;
      } else if (shift < 64) hi |= bits << (shift - 32);
      shift += 7;
      if ((byte & 128) === 0) break;
    }
    this.pos = p;
    lo = lo >>> 0;
    hi = hi >>> 0;
    this.lo = lo;
    this.hi = hi;
  }

  private fail(what: string): never {
    throw new DecodeError('malformed', `malformed frame: ${what} at byte ${this.pos}`);
  }

  /** Varint that must fit in 32 bits (tags, lengths, small numbers). */
  uint32(): number {
    const b = this.buf;
    let p = this.pos;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (p >= this.end) this.fail('truncated varint');
      const byte = b[p++]!;
      if (shift < 28) result |= (byte & 127) << shift;
      else if (shift === 28) {
        if ((byte & 127) > 15) {
          // more than 32 bits: only tolerated by uint64 readers
          this.pos = p - 1;
          this.fail('varint larger than 32 bits');
        }
        result |= (byte & 15) << 28;
      }
      shift += 7;
      if ((byte & 128) === 0) break;
      if (shift > 28) this.fail('varint larger than 32 bits');
    }
    this.pos = p;
    return result >>> 0;
  }

  /** Unsigned varint as a number; throws when above 2^53. */
  uint53(): number {
    this.varint64();
    const hi = this.hi;
    if (hi >= 0x200000) this.fail('integer beyond 2^53');
    return hi * TWO_32 + this.lo;
  }

  /** Zigzag varint as a safe integer (its zigzag form may pass 2^53: done in halves). */
  sint53(): number {
    const b = this.buf;
    const p = this.pos;
    if (p < this.end && b[p]! < 128) {
      const z = b[p]!;
      this.pos = p + 1;
      return z & 1 ? -((z + 1) >>> 1) : z >>> 1;
    }
    this.varint64();
    const lo = this.lo;
    const hi = this.hi;
    const neg = lo & 1;
    // m = z >>> 1 over 64 bits
    const mlo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    const mhi = hi >>> 1;
    if (mhi >= 0x200000) this.fail('integer beyond 2^53');
    const m = mhi * TWO_32 + mlo;
    if (neg) {
      if (m >= 2 ** 53 - 1) this.fail('integer beyond 2^53');
      return -(m + 1);
    }
    return m;
  }

  /** Two's-complement int64 varint as a safe integer. */
  int53(): number {
    this.varint64();
    const lo = this.lo;
    const hi = this.hi;
    if (hi & 0x80000000) {
      // negative: magnitude = two's complement
      const mlo = (~lo + 1) >>> 0;
      const mhi = (~hi + (mlo === 0 ? 1 : 0)) >>> 0;
      if (mhi >= 0x200000) this.fail('integer beyond 2^53');
      return -(mhi * TWO_32 + mlo);
    }
    if (hi >= 0x200000) this.fail('integer beyond 2^53');
    return hi * TWO_32 + lo;
  }

  bool(): boolean {
    return this.uint53() !== 0;
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('truncated double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the [start, end) window of the field. */
  lengthDelimited(): number {
    const len = this.uint32();
    const start = this.pos;
    if (start + len > this.end) this.fail('length beyond end of message');
    this.pos = start + len;
    return start;
  }

  bytes(): Uint8Array {
    const start = this.lengthDelimited();
    return this.buf.slice(start, this.pos);
  }

  string(): string {
    const start = this.lengthDelimited();
    const end = this.pos;
    const n = end - start;
    if (n < 64) {
      // short ASCII strings are the common case: skip TextDecoder's call overhead
      const b = this.buf;
      let s = '';
      for (let i = start; i < end; i++) {
        const c = b[i]!;
        if (c > 127) return utf8.decode(b.subarray(start, end));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8.decode(this.buf.subarray(start, end));
  }

  /** Skips a field of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.uint53OrSkip();
        break;
      case 1:
        if (this.pos + 8 > this.end) this.fail('truncated fixed64');
        this.pos += 8;
        break;
      case 2:
        this.lengthDelimited();
        break;
      case 5:
        if (this.pos + 4 > this.end) this.fail('truncated fixed32');
        this.pos += 4;
        break;
      default:
        this.fail(`unsupported wire type ${wireType}`);
    }
  }

  private uint53OrSkip(): void {
    for (let i = 0; ; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      if (i >= 10) this.fail('varint too long');
      if ((this.buf[this.pos++]! & 128) === 0) return;
    }
  }
}
