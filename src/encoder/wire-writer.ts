/**
 * A minimal protobuf writer for the hot path (Log datums, AnyValues). The generated
 * ts-proto code builds an object per message and goes through bigint-free but
 * allocation-heavy writers; one growable buffer with in-place length prefixes is several
 * times faster for the many small messages a batch holds. Wire format is standard
 * protobuf: anything written here decodes with the generated code.
 */

const textEncoder = new TextEncoder();

/** Wire types. */
export const WT_VARINT = 0;
export const WT_I64 = 1;
export const WT_LEN = 2;

const TWO_32 = 4294967296;

export class WireWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;
  /** Start offsets of open length-delimited fields (see `fork`). */
  private stack: number[] = [];

  constructor(initialSize = 64 * 1024) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.pos = 0;
    // (the length setter is a builtin call: skip it in the usual case, nothing open)
    if (this.stack.length !== 0) this.stack.length = 0;
  }

  /** Drops a buffer that grew past `maxKeep` bytes (one huge batch must not pin its memory). */
  shrink(maxKeep: number, size: number): void {
    if (this.buf.length > maxKeep) {
      this.buf = new Uint8Array(size);
      this.view = new DataView(this.buf.buffer);
      this.pos = 0;
      this.stack.length = 0;
    }
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  /** Unsigned varint of a value in [0, 2^32). */
  uint32(v: number): void {
    if (v < 128 && v >= 0) {
      // one byte: most tags, codes and lengths
      if (this.pos >= this.buf.length) this.grow(1);
      this.buf[this.pos++] = v;
      return;
    }
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    v = v >>> 0;
    while (v > 127) {
      b[p++] = (v & 127) | 128;
      v = v >>> 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** Unsigned varint of a non-negative integer up to 2^53 (exact doubles). */
  uint53(v: number): void {
    if (v < TWO_32) {
      this.uint32(v);
      return;
    }
    this.varint64(v % TWO_32, Math.floor(v / TWO_32));
  }

  /** Zigzag varint (sint64) of a safe integer (the zigzag form may pass 2^53: done in halves). */
  sint53(v: number): void {
    if (v >= 0) {
      if (v < 0x40000000) {
        this.uint32(v * 2);
        return;
      }
      this.zigzagHalves(v, 0);
    } else {
      if (v > -0x40000000) {
        this.uint32(-v * 2 - 1);
        return;
      }
      // -v*2-1 == 2*(-v-1)+1, exact in halves
      this.zigzagHalves(-v - 1, 1);
    }
  }

  /** Writes 2*m + bit as a varint, m a safe non-negative integer. */
  private zigzagHalves(m: number, bit: number): void {
    const lo = m % TWO_32;
    const hi = Math.floor(m / TWO_32);
    this.varint64(((lo << 1) | bit) >>> 0, ((hi << 1) | (lo >>> 31)) >>> 0);
  }

  /** Varint of the 64-bit value hi * 2^32 + lo. */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (hi > 0 || lo > 127) {
      b[p++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | ((hi & 127) << 25)) >>> 0;
      hi = hi >>> 7;
    }
    b[p++] = lo;
    this.pos = p;
  }

  /** Two's-complement int64 varint of a safe integer (OTLP-compatible int_value). */
  int53(v: number): void {
    if (v >= 0) {
      this.uint53(v);
      return;
    }
    // negative: 10 bytes, two's complement over 64 bits
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    const mag = -v;
    let lo = mag % TWO_32;
    let hi = Math.floor(mag / TWO_32);
    // negate the 64-bit value
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    for (let i = 0; i < 9; i++) {
      b[p++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | ((hi & 127) << 25)) >>> 0;
      hi = hi >>> 7;
    }
    b[p++] = lo & 1;
    this.pos = p;
  }

  /** One raw byte (0..255). */
  byte(v: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = v;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  bytes(v: Uint8Array): void {
    this.uint32(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** A length-prefixed UTF-8 string (the caller guarantees well-formed UTF-16). */
  string(s: string): void {
    const n = s.length;
    // ASCII fast path: length in bytes == length in code units
    if (n < 128) {
      this.ensure(n * 3 + 1);
      const b = this.buf;
      const start = this.pos + 1;
      let p = start;
      let ascii = true;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 127) {
          ascii = false;
          break;
        }
        b[p++] = c;
      }
      if (ascii) {
        b[this.pos] = n;
        this.pos = p;
        return;
      }
    }
    this.ensure(n * 3 + 5);
    // write the payload after a 5-byte gap, then move it next to its real length prefix
    const gap = this.pos + 5;
    const written = textEncoder.encodeInto(s, this.buf.subarray(gap)).written;
    this.uint32(written);
    this.buf.copyWithin(this.pos, gap, gap + written);
    this.pos += written;
  }

  /** Opens a length-delimited field; close it with `join`. */
  fork(): void {
    this.ensure(1);
    this.stack.push(this.pos);
    // one byte reserved for the length; `join` shifts the body when it needs more
    this.pos += 1;
  }

  join(): void {
    const start = this.stack.pop()!;
    const bodyStart = start + 1;
    const len = this.pos - bodyStart;
    if (len < 128) {
      this.buf[start] = len;
      return;
    }
    let lenBytes = 1;
    for (let v = len >>> 7; v > 0; v >>>= 7) lenBytes++;
    this.ensure(lenBytes - 1);
    this.buf.copyWithin(start + lenBytes, bodyStart, this.pos);
    let p = start;
    let v = len;
    while (v > 127) {
      this.buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[p] = v;
    this.pos += lenBytes - 1;
  }

  /** Appends `src[0, n)` (short copies by hand: cheaper than a subarray + set). */
  copyFrom(src: Uint8Array, n: number): void {
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    if (n < 64) for (let i = 0; i < n; i++) b[p++] = src[i]!;
    else {
      b.set(src.subarray(0, n), p);
      p += n;
    }
    this.pos = p;
  }

  /** Raw bytes (an already-encoded message body). */
  raw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** A copy of everything written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
