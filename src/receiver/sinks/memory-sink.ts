/** Keeps every record in memory (tests, embedding). */
import type { LogRecordData } from '../../encoder/log-record';
import type { RecordSink, SinkContext } from './sink';

export class MemorySink implements RecordSink {
  readonly records: LogRecordData[] = [];
  /** One entry per accepted batch, in acceptance order. */
  readonly batches: Array<{ ctx: SinkContext; count: number }> = [];

  write(records: LogRecordData[], ctx: SinkContext): void {
    for (const r of records) this.records.push(r);
    this.batches.push({ ctx: { ...ctx }, count: records.length });
  }

  clear(): void {
    this.records.length = 0;
    this.batches.length = 0;
  }
}
