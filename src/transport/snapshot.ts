/**
 * The receiver-visible state as of the last acknowledged batch. A new stream starts
 * empty on the receiver, so it opens with this snapshot (batch id 0); unacknowledged
 * batches are then replayed byte for byte, each carrying its own inline defines.
 *
 * Patterns and dictionary entries are opaque here: the transport only knows that a
 * define upserts by (kind, id) and a delete removes.
 */
import { Datum, DatumSequence } from '../proto/otel_stateful_logs/v1/stateful_logs';

type Key = string;

function keyOf(d: Datum): { key: Key; define: boolean } | undefined {
  const k = d.kind;
  switch (k?.$case) {
    case 'patternDefine': return { key: `p${k.patternDefine.patternId}`, define: true };
    case 'patternDelete': return { key: `p${k.patternDelete.patternId}`, define: false };
    case 'dictEntryDefine': return { key: `d${k.dictEntryDefine.id}`, define: true };
    case 'dictEntryDelete': return { key: `d${k.dictEntryDelete.id}`, define: false };
    default: return undefined;
  }
}

export class AckedStateSnapshot {
  // Insertion order = order of (last) definition, so an entry always follows anything
  // defined before it — the order the receiver saw them in.
  private readonly _defines = new Map<Key, Datum>();

  /** Applies the state changes of one acknowledged batch, in order. */
  apply(stateChanges: readonly Datum[]): void {
    for (const d of stateChanges) {
      const k = keyOf(d);
      if (!k) continue;
      this._defines.delete(k.key);
      if (k.define) this._defines.set(k.key, d);
    }
  }

  /** Number of live defines. */
  get size(): number {
    return this._defines.size;
  }

  /** Live define datums, oldest definition first. */
  defines(): Datum[] {
    return [...this._defines.values()];
  }

  /** The snapshot batch payload: a serialized DatumSequence of every live define. */
  encode(): Uint8Array {
    return DatumSequence.encode({ data: this.defines() }).finish();
  }

  clear(): void {
    this._defines.clear();
  }
}
