/**
 * One JSON object per record, one per line, to a file or stdout. A batch counts as
 * handed over once its bytes went to the OS (a write(2) completed), so a receiver
 * killed right after acking has not lost them. A receiver killed in the middle of a
 * write leaves a torn last line (its batch was not acknowledged, so the sender sends it
 * again): a file that does not end with a newline gets one before the first new record,
 * so the torn line stays alone and the next record is whole on its own line.
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { LogRecordData } from '../../encoder/log-record';
import { logRecordToJson } from '../record-json';
import type { RecordSink } from './sink';

export class JsonlSink implements RecordSink {
  private readonly _fd?: number;
  private readonly _stream?: Writable;

  /** `target`: a file path (appended to), '-' for stdout, or a writable stream. */
  constructor(target: string | Writable) {
    if (target === '-') this._stream = process.stdout;
    else if (typeof target === 'string') {
      this._fd = fs.openSync(target, 'a+');
      if (endsTorn(this._fd)) fs.writeSync(this._fd, '\n');
    }
    else this._stream = target;
  }

  async write(records: LogRecordData[]): Promise<void> {
    if (records.length === 0) return;
    let text = '';
    for (const r of records) text += JSON.stringify(logRecordToJson(r)) + '\n';
    if (this._fd !== undefined) {
      const fd = this._fd;
      const buf = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < buf.length) {
        off += await new Promise<number>((resolve, reject) =>
          fs.write(fd, buf, off, buf.length - off, null, (err, n) => (err ? reject(err) : resolve(n))),
        );
      }
      return;
    }
    const stream = this._stream!;
    await new Promise<void>((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    if (this._fd !== undefined) fs.closeSync(this._fd);
  }
}

/** True when the file is not empty and its last byte is not a newline. */
function endsTorn(fd: number): boolean {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}
