/**
 * A deliberately small stand-in codec for transport tests: it speaks the real wire
 * schema (PatternDefine / PatternDelete / Log datums in a DatumSequence) with state
 * that must be mirrored, so a receiver that misses a define fails loudly. Bodies are
 * split at digit runs: "user 42 logged in" -> pattern ["user ", " logged in"] + ["42"].
 */
import { Datum, DatumSequence, Log } from '../../../src/proto/otel_stateful_logs/v1/stateful_logs';
import type { LogRecordData } from '../../../src/encoder/log-record';
import { LimitExceededError } from '../../../src/receiver/limits';

export interface SimpleBatch {
  payload: Uint8Array;
  stateChanges: Datum[];
  recordCount: number;
}

export class SimpleEncoder {
  private readonly _patterns = new Map<string, number>();
  private _nextId = 1;
  constructor(private readonly _maxPatterns = 1000) {}

  encode(records: LogRecordData[]): SimpleBatch {
    const data: Datum[] = [];
    const stateChanges: Datum[] = [];
    for (const r of records) {
      const body = String(r.body);
      const literals = body.split(/\d+/);
      const values = body.match(/\d+/g) ?? [];
      const key = literals.join('\u0000');
      let id = this._patterns.get(key);
      if (id === undefined) {
        if (this._patterns.size >= this._maxPatterns) {
          const [oldKey, oldId] = this._patterns.entries().next().value as [string, number];
          this._patterns.delete(oldKey);
          const del: Datum = { kind: { $case: 'patternDelete', patternDelete: { patternId: oldId } } };
          data.push(del);
          stateChanges.push(del);
        }
        id = this._nextId++;
        this._patterns.set(key, id);
        const def: Datum = { kind: { $case: 'patternDefine', patternDefine: { patternId: id, literals, wildcardKinds: values.map(() => 1) } } };
        data.push(def);
        stateChanges.push(def);
      }
      // Only Log.body.rawBody is used (JSON of pattern id, values, times), so the test
      // codec does not depend on the rest of the Log message while it evolves.
      const log = Log.decode(new Uint8Array(0));
      log.body = { $case: 'rawBody', rawBody: JSON.stringify({ p: id, v: values, t: r.hrTime, o: r.hrTimeObserved, s: r.severityNumber }) };
      data.push({ kind: { $case: 'log', log } });
    }
    return { payload: DatumSequence.encode({ data }).finish(), stateChanges, recordCount: records.length };
  }
}

export class SimpleDecoder {
  private readonly _patterns = new Map<number, string[]>();
  constructor(private readonly _maxPatterns = 100_000) {}

  reset(): void {
    this._patterns.clear();
  }

  decode(payload: Uint8Array): LogRecordData[] {
    const seq = DatumSequence.decode(payload);
    const out: LogRecordData[] = [];
    for (const d of seq.data) {
      const k = d.kind;
      if (!k) throw new Error('empty datum');
      switch (k.$case) {
        case 'patternDefine':
          if (!this._patterns.has(k.patternDefine.patternId) && this._patterns.size >= this._maxPatterns) {
            throw new LimitExceededError(`more than ${this._maxPatterns} patterns`);
          }
          this._patterns.set(k.patternDefine.patternId, k.patternDefine.literals);
          break;
        case 'patternDelete':
          this._patterns.delete(k.patternDelete.patternId);
          break;
        case 'log': {
          if (k.log.body?.$case !== 'rawBody') throw new Error('test codec: log without rawBody');
          const x = JSON.parse(k.log.body.rawBody) as { p: number; v: string[]; t: [number, number]; o: [number, number]; s?: number };
          const lits = this._patterns.get(x.p);
          if (!lits) throw new Error(`unknown pattern ${x.p}`);
          let body = lits[0]!;
          x.v.forEach((v, i) => {
            body += v + lits[i + 1]!;
          });
          out.push({
            hrTime: x.t,
            hrTimeObserved: x.o,
            severityNumber: x.s,
            body,
            attributes: {},
            droppedAttributesCount: 0,
            resource: { attributes: { 'service.name': 'transport-test' } },
            scope: { name: 'transport-test' },
          });
          break;
        }
        default:
          throw new Error(`unsupported datum ${k.$case}`);
      }
    }
    return out;
  }
}

/** A record with a numbered body; `seq` is recoverable from the body. */
export function makeRecord(seq: number, template = seq % 37): LogRecordData {
  return {
    hrTime: [1_700_000_000 + Math.floor(seq / 1000), (seq % 1000) * 1_000_000 + 7],
    hrTimeObserved: [1_700_000_000 + Math.floor(seq / 1000), (seq % 1000) * 1_000_000 + 9],
    severityNumber: 9,
    body: `evt-${letters(template)} request ${seq} done`,
    attributes: {},
    droppedAttributesCount: 0,
    resource: { attributes: { 'service.name': 'transport-test' } },
    scope: { name: 'transport-test' },
  };
}

export function seqOf(body: unknown): number {
  const m = /request (\d+) done/.exec(String(body));
  if (!m) throw new Error(`not a test body: ${String(body)}`);
  return Number(m[1]);
}

/** 0 -> "a", 25 -> "z", 26 -> "ba": digit-free names so each template is its own pattern. */
export function letters(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}
