/**
 * The receiver side: mirrors the sender's stream state (patterns, dictionary) from the
 * define/delete datums and rebuilds every record exactly. A frame that is malformed,
 * references an id that is not defined, or pushes the state past a limit is rejected with
 * a DecodeError — never a crash. After an error the stream's state is unreliable: the
 * caller closes the stream (a new one starts from a snapshot) or calls `reset()`.
 */
import type { AnyValue, AnyValueMap, LogRecordData, ResourceData, ScopeData } from './log-record';
import { DecodeError } from './errors';
import { WireReader } from './wire-reader';
import { readAnyValue, readKeyValues, stringFromUtf16 } from './any-value-codec';
import { parseShape, renderShape, type ParsedShape } from './value-codec';
import { applyTimeDelta, listKey, patternFromCode } from './delta-encoder';
import { rebuildJsonBody } from './json-preprocessor';

export interface DecoderLimits {
  /** Live patterns per stream (default 10,000). */
  maxPatterns?: number;
  /** Live dictionary entries per stream (default 10,000). */
  maxDictEntries?: number;
  /** Estimated bytes of patterns + dictionary per stream (default 64 MiB). */
  maxStateBytes?: number;
  /** Values (wildcards + fields + attributes) in one log, and wildcards per pattern (default 16,384). */
  maxValuesPerLog?: number;
  /** Records per batch (default 1,000,000). */
  maxRecordsPerBatch?: number;
  /** AnyValue nesting (default 128). */
  maxDepth?: number;
}

type DictEntry =
  | { kind: 'text'; value: string; bytes: number }
  | { kind: 'attributes'; value: AnyValueMap; bytes: number }
  | { kind: 'resource'; value: ResourceData; bytes: number }
  | { kind: 'scope'; value: ScopeData; bytes: number }
  | { kind: 'any'; value: AnyValue; bytes: number }
  | { kind: 'keys'; value: string[]; joined: string; bytes: number };

interface Pattern {
  literals: string[];
  kinds: number[];
  bytes: number;
}

interface Slot {
  value: AnyValue;
  parsed: ParsedShape | undefined;
  shape: string | undefined;
  nums: number[] | undefined;
}

const ENTRY_OVERHEAD = 64;
const EMPTY_ATTRS = { kind: 'empty' } as const;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

export class StatefulDecoder {
  private readonly maxPatterns: number;
  private readonly maxDict: number;
  private readonly maxBytes: number;
  private readonly maxValues: number;
  private readonly maxRecords: number;
  private readonly maxDepth: number;

  private readonly patterns = new Map<number, Pattern>();
  private readonly dict = new Map<number, DictEntry>();
  private stateBytes = 0;
  private readonly shapeCache = new Map<string, ParsedShape>();

  // delta state (per batch)
  private prevSec = 0;
  private prevNanos = 0;
  private prevDelta = 0;
  private prevPattern = 0;
  private prevSevNum: number | undefined;
  private prevSevText: string | undefined;
  private prevResource: ResourceData | undefined;
  private prevScope: ScopeData | undefined;
  /** Previous log's attributes: empty, a key list, a whole set, or undefined (inline). */
  private prevAttrs: { kind: 'empty' } | { kind: 'keys'; keys: string[]; joined: string } | { kind: 'set'; map: AnyValueMap } | undefined;
  private prevJsonKeys: string[] | undefined;
  private prevJsonJoined = '';
  private readonly slots = new Map<number | string, (Slot | undefined)[]>();

  constructor(o: DecoderLimits = {}) {
    this.maxPatterns = o.maxPatterns ?? 10_000;
    this.maxDict = o.maxDictEntries ?? 10_000;
    this.maxBytes = o.maxStateBytes ?? 64 * 1024 * 1024;
    this.maxValues = o.maxValuesPerLog ?? 16_384;
    this.maxRecords = o.maxRecordsPerBatch ?? 1_000_000;
    this.maxDepth = o.maxDepth ?? 128;
  }

  /** Live state, for metrics. */
  get patternCount(): number {
    return this.patterns.size;
  }
  get dictEntryCount(): number {
    return this.dict.size;
  }
  get stateByteEstimate(): number {
    return this.stateBytes;
  }

  /** Forgets all stream state (a new stream). */
  reset(): void {
    this.patterns.clear();
    this.dict.clear();
    this.stateBytes = 0;
    this.shapeCache.clear();
  }

  /** Decodes one DatumSequence payload (uncompressed); throws DecodeError. */
  decode(payload: Uint8Array): LogRecordData[] {
    try {
      return this.decodeSequence(payload);
    } catch (err) {
      if (err instanceof DecodeError) throw err;
      // e.g. a RangeError from a hostile nesting depth: still a bad frame, not a crash
      throw new DecodeError('malformed', `malformed frame: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private decodeSequence(payload: Uint8Array): LogRecordData[] {
    this.resetDelta();
    const out: LogRecordData[] = [];
    const r = new WireReader(payload);
    while (r.pos < payload.length) {
      const tag = r.uint32();
      if (tag !== ((1 << 3) | 2)) {
        r.skip(tag & 7);
        continue;
      }
      const start = r.lengthDelimited();
      const end = r.pos;
      r.pos = start;
      r.end = end;
      const rec = this.decodeDatum(r, end);
      if (rec !== undefined) {
        if (out.length >= this.maxRecords) throw new DecodeError('limit', `more than ${this.maxRecords} records in a batch`);
        out.push(rec);
      }
      r.pos = end;
      r.end = payload.length;
    }
    return out;
  }

  private resetDelta(): void {
    this.prevSec = 0;
    this.prevNanos = 0;
    this.prevDelta = 0;
    this.prevPattern = 0;
    this.prevSevNum = undefined;
    this.prevSevText = undefined;
    this.prevResource = undefined;
    this.prevScope = undefined;
    this.prevAttrs = EMPTY_ATTRS;
    this.prevJsonKeys = undefined;
    this.slots.clear();
  }

  private decodeDatum(r: WireReader, end: number): LogRecordData | undefined {
    let rec: LogRecordData | undefined;
    let seen = false;
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if ((tag & 7) !== 2 || field < 1 || field > 5) {
        r.skip(tag & 7);
        continue;
      }
      if (seen) throw new DecodeError('malformed', 'malformed frame: datum with more than one kind');
      seen = true;
      const s = r.lengthDelimited();
      const e = r.pos;
      r.pos = s;
      r.end = e;
      switch (field) {
        case 1:
          this.patternDefine(r, e);
          break;
        case 2:
          this.patternDelete(this.readId(r, e));
          break;
        case 3:
          this.dictDefine(r, e);
          break;
        case 4:
          this.dictDelete(this.readId(r, e));
          break;
        case 5:
          rec = this.decodeLog(r, e);
          break;
      }
      r.pos = e;
      r.end = end;
    }
    return rec;
  }

  private readId(r: WireReader, end: number): number {
    let id = 0;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 8) id = r.uint53();
      else r.skip(tag & 7);
    }
    if (id === 0) throw new DecodeError('malformed', 'malformed frame: id 0');
    return id;
  }

  // ------------------------------------------------------------------ state

  private addBytes(n: number): void {
    this.stateBytes += n;
    if (this.stateBytes > this.maxBytes) {
      throw new DecodeError('limit', `stream state exceeds ${this.maxBytes} bytes`);
    }
  }

  private patternDefine(r: WireReader, end: number): void {
    const size = end - r.pos;
    let id = 0;
    const literals: string[] = [];
    const kinds: number[] = [];
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case 8:
          id = r.uint53();
          break;
        case 18:
          if (literals.length > this.maxValues) throw new DecodeError('limit', `pattern with more than ${this.maxValues} wildcards`);
          literals.push(r.string());
          break;
        case 26: {
          const s = r.lengthDelimited();
          const e = r.pos;
          r.pos = s;
          while (r.pos < e) kinds.push(r.uint32());
          break;
        }
        case 24:
          kinds.push(r.uint32());
          break;
        default:
          r.skip(tag & 7);
      }
    }
    if (id === 0) throw new DecodeError('malformed', 'malformed frame: pattern id 0');
    if (literals.length === 0) throw new DecodeError('malformed', `malformed frame: pattern ${id} has no literals`);
    const old = this.patterns.get(id);
    if (old !== undefined) this.stateBytes -= old.bytes;
    else if (this.patterns.size >= this.maxPatterns) throw new DecodeError('limit', `more than ${this.maxPatterns} live patterns`);
    const bytes = size + ENTRY_OVERHEAD;
    this.patterns.set(id, { literals, kinds, bytes });
    this.addBytes(bytes);
  }

  private patternDelete(id: number): void {
    const p = this.patterns.get(id);
    if (p === undefined) throw new DecodeError('unknown-ref', `delete of undefined pattern ${id}`);
    this.patterns.delete(id);
    this.stateBytes -= p.bytes;
  }

  private dictDefine(r: WireReader, end: number): void {
    const size = end - r.pos;
    let id = 0;
    let entry: DictEntry | undefined;
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1 && (tag & 7) === 0) {
        id = r.uint53();
        continue;
      }
      if ((tag & 7) !== 2 || field < 2 || field > 7) {
        r.skip(tag & 7);
        continue;
      }
      const bytes = size + ENTRY_OVERHEAD;
      if (field === 2) {
        entry = { kind: 'text', value: r.string(), bytes };
        continue;
      }
      const s = r.lengthDelimited();
      const e = r.pos;
      r.pos = s;
      switch (field) {
        case 3: {
          const map: AnyValueMap = {};
          readKeyValues(r, e, 1, map, 1, this.maxDepth);
          entry = { kind: 'attributes', value: map, bytes };
          break;
        }
        case 4:
          entry = { kind: 'resource', value: this.readResource(r, e), bytes };
          break;
        case 5:
          entry = { kind: 'scope', value: this.readScope(r, e), bytes };
          break;
        case 6:
          entry = { kind: 'any', value: readAnyValue(r, e, 0, this.maxDepth), bytes };
          break;
        case 7: {
          const keys: string[] = [];
          while (r.pos < e) {
            const t = r.uint32();
            if (t === 10) keys.push(r.string());
            else r.skip(t & 7);
          }
          entry = { kind: 'keys', value: keys, joined: listKey(keys), bytes };
          break;
        }
      }
      r.pos = e;
      r.end = end;
    }
    if (id === 0) throw new DecodeError('malformed', 'malformed frame: dictionary id 0');
    if (entry === undefined) throw new DecodeError('malformed', `malformed frame: dictionary entry ${id} has no value`);
    const old = this.dict.get(id);
    if (old !== undefined) this.stateBytes -= old.bytes;
    else if (this.dict.size >= this.maxDict) throw new DecodeError('limit', `more than ${this.maxDict} live dictionary entries`);
    this.dict.set(id, entry);
    this.addBytes(entry.bytes);
  }

  private dictDelete(id: number): void {
    const e = this.dict.get(id);
    if (e === undefined) throw new DecodeError('unknown-ref', `delete of undefined dictionary entry ${id}`);
    this.dict.delete(id);
    this.stateBytes -= e.bytes;
  }

  private readResource(r: WireReader, end: number): ResourceData {
    const res: ResourceData = { attributes: {} };
    const outerEnd = r.end;
    r.end = end;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case 10: {
          // one KeyValue: step back and let readKeyValues take it
          const s = r.lengthDelimited();
          const e = r.pos;
          r.pos = s;
          readOneKeyValue(r, e, res.attributes, this.maxDepth);
          r.pos = e;
          r.end = end;
          break;
        }
        case 16:
          res.droppedAttributesCount = r.uint32();
          break;
        case 26:
          res.schemaUrl = r.string();
          break;
        default:
          r.skip(tag & 7);
      }
    }
    r.end = outerEnd;
    return res;
  }

  private readScope(r: WireReader, end: number): ScopeData {
    let name = '';
    let version = '';
    let schemaUrl = '';
    let dropped = 0;
    let attributes: AnyValueMap | undefined;
    let hasVersion = false;
    let hasUrl = false;
    let hasAttrs = false;
    let hasDropped = false;
    const outerEnd = r.end;
    r.end = end;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case 10:
          name = r.string();
          break;
        case 18:
          version = r.string();
          break;
        case 26:
          schemaUrl = r.string();
          break;
        case 34: {
          const s = r.lengthDelimited();
          const e = r.pos;
          r.pos = s;
          attributes ??= {};
          readOneKeyValue(r, e, attributes, this.maxDepth);
          r.pos = e;
          r.end = end;
          break;
        }
        case 40:
          dropped = r.uint32();
          break;
        case 48:
          hasVersion = r.bool();
          break;
        case 56:
          hasUrl = r.bool();
          break;
        case 64:
          hasAttrs = r.bool();
          break;
        case 72:
          hasDropped = r.bool();
          break;
        default:
          r.skip(tag & 7);
      }
    }
    r.end = outerEnd;
    const scope: ScopeData = { name };
    if (hasVersion) scope.version = version;
    if (hasUrl) scope.schemaUrl = schemaUrl;
    if (hasAttrs) scope.attributes = attributes ?? {};
    if (hasDropped) scope.droppedAttributesCount = dropped;
    return scope;
  }

  // ------------------------------------------------------------------ logs

  private decodeLog(r: WireReader, end: number): LogRecordData {
    let timeDelta = 0;
    let timeAbs: [number, number] | undefined;
    let obsDelta = 0;
    let obsAbs: [number, number] | undefined;
    let severity = 0;
    let sevTextCode = 0;
    let sevTextInline = '';
    let patternCode = 0;
    const codes: number[] = [];
    const shapes: string[] = [];
    const nums: number[] = [];
    const anyWindows: number[] = [];
    let bodyKind = 0; // 0 none, 13 raw, 14 typed, 15 json
    let rawBody = '';
    let typedStart = 0;
    let typedEnd = 0;
    let jsonKeysCode = 0;
    const jsonKeys: string[] = [];
    let jsonMessageIndex = 0;
    let attrCode = 0;
    let attrInlineStart = -1;
    let attrInlineEnd = 0;
    const attrKeys: string[] = [];
    let dropped = 0;
    let resourceCode = 0;
    let resourceStart = -1;
    let resourceEnd = 0;
    let scopeCode = 0;
    let scopeStart = -1;
    let scopeEnd = 0;
    let traceId: Uint8Array | undefined;
    let spanId: Uint8Array | undefined;
    let traceFlags = 0;
    let hasSpan = false;
    let eventName: string | undefined;
    let fallbackStart = -1;
    let fallbackEnd = 0;
    let resetDelta = false;

    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      const wt = tag & 7;
      switch (field) {
        case 1: timeDelta = r.sint53(); break;
        case 2: { const [s, e] = this.window(r); timeAbs = this.readTimestamp(r, s, e); break; }
        case 3: obsDelta = r.sint53(); break;
        case 4: { const [s, e] = this.window(r); obsAbs = this.readTimestamp(r, s, e); break; }
        case 5: severity = r.uint32(); break;
        case 6: sevTextCode = r.uint53(); break;
        case 7: sevTextInline = r.string(); break;
        case 8: patternCode = r.uint53(); break;
        case 9:
          if (wt === 2) {
            const [s, e] = this.window(r);
            r.pos = s;
            while (r.pos < e) {
              if (codes.length >= this.maxValues) throw new DecodeError('limit', `more than ${this.maxValues} values in a log`);
              codes.push(r.uint53());
            }
          } else codes.push(r.uint53());
          break;
        case 10: shapes.push(r.string()); break;
        case 11:
          if (wt === 2) {
            const [s, e] = this.window(r);
            r.pos = s;
            while (r.pos < e) nums.push(r.sint53());
          } else nums.push(r.sint53());
          break;
        case 12: { const [s, e] = this.window(r); anyWindows.push(s, e); break; }
        case 13: bodyKind = 13; rawBody = r.string(); break;
        case 14: { bodyKind = 14; [typedStart, typedEnd] = this.window(r); break; }
        case 15: {
          bodyKind = 15;
          const [s, e] = this.window(r);
          r.pos = s;
          r.end = e;
          while (r.pos < e) {
            const t = r.uint32();
            if (t === 8) jsonKeysCode = r.uint53();
            else if (t === 18) jsonKeys.push(r.string());
            else if (t === 24) jsonMessageIndex = r.uint32();
            else r.skip(t & 7);
          }
          r.end = end;
          break;
        }
        case 17: attrCode = r.uint53(); break;
        case 18: [attrInlineStart, attrInlineEnd] = this.window(r); break;
        case 19: attrKeys.push(r.string()); break;
        case 20: dropped = r.uint32(); break;
        case 21: resourceCode = r.uint53(); break;
        case 22: [resourceStart, resourceEnd] = this.window(r); break;
        case 23: scopeCode = r.uint53(); break;
        case 24: [scopeStart, scopeEnd] = this.window(r); break;
        case 25: traceId = r.bytes(); break;
        case 26: spanId = r.bytes(); break;
        case 27: traceFlags = r.uint32(); break;
        case 28: hasSpan = r.bool(); break;
        case 29: eventName = r.string(); break;
        case 30: [fallbackStart, fallbackEnd] = this.window(r); break;
        case 31: resetDelta = r.bool(); break;
        default:
          r.skip(wt);
      }
    }

    // the sender restarted the batch's delta state before this log
    if (resetDelta) this.resetDelta();
    if (fallbackStart >= 0) {
      r.pos = fallbackStart;
      const v = readAnyValue(r, fallbackEnd, 0, this.maxDepth);
      r.end = end;
      if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) {
        throw new DecodeError('malformed', 'malformed frame: fallback record is not a map');
      }
      return v as unknown as LogRecordData;
    }

    // ---- rebuild
    const vs = new ValueStream(this, r, codes, shapes, nums, anyWindows);

    let delta = 0;
    if (timeAbs === undefined) {
      // time_delta is a delta of deltas
      delta = this.prevDelta + timeDelta;
      if (!Number.isSafeInteger(delta)) throw new DecodeError('malformed', 'malformed frame: time delta out of range');
    }
    const [sec, nanos] = timeAbs ?? applyTimeDelta(this.prevSec, this.prevNanos, delta);
    if (!Number.isSafeInteger(sec) || sec < 0) throw new DecodeError('malformed', 'malformed frame: time out of range');
    const observed = obsAbs ?? applyTimeDelta(sec, nanos, obsDelta);

    let sevNum = this.prevSevNum;
    let sevText = this.prevSevText;
    if (severity !== 0) {
      sevNum = severity === 1 ? undefined : severity - 2;
      if (sevTextCode <= 1) sevText = undefined;
      else if (sevTextCode === 2) sevText = sevTextInline;
      else sevText = this.text(sevTextCode - 2);
    }

    // body
    let body: AnyValue = undefined;
    let hasBody = false;
    let message: string | undefined;
    if (patternCode !== 0) {
      const id = patternFromCode(patternCode, this.prevPattern);
      const p = this.patterns.get(id);
      if (p === undefined) throw new DecodeError('unknown-ref', `log references undefined pattern ${id}`);
      const lits = p.literals;
      const group = this.slotGroup(id);
      let s = lits[0]!;
      for (let i = 1; i < lits.length; i++) {
        const v = vs.next(group, i - 1);
        if (typeof v !== 'string') throw new DecodeError('malformed', 'malformed frame: non-string wildcard value');
        s += v + lits[i]!;
      }
      message = s;
      this.prevPattern = id;
    }
    if (bodyKind === 13) {
      body = rawBody;
      hasBody = true;
    } else if (bodyKind === 14) {
      r.pos = typedStart;
      body = readAnyValue(r, typedEnd, 0, this.maxDepth);
      r.end = end;
      hasBody = true;
    } else if (bodyKind === 15) {
      let keys: string[];
      let joined: string;
      if (jsonKeysCode === 0) {
        if (this.prevJsonKeys === undefined) throw new DecodeError('unknown-ref', 'JSON body refers to a previous key list that does not exist');
        keys = this.prevJsonKeys;
        joined = this.prevJsonJoined;
      } else if (jsonKeysCode === 1) {
        keys = jsonKeys;
        joined = listKey(keys);
      } else {
        const e = this.entry(jsonKeysCode - 1);
        if (e.kind !== 'keys') throw new DecodeError('malformed', `dictionary entry ${jsonKeysCode - 1} is not a key list`);
        keys = e.value;
        joined = e.joined;
      }
      this.prevJsonKeys = keys;
      this.prevJsonJoined = joined;
      const mi = jsonMessageIndex - 1;
      if (mi >= keys.length || (mi >= 0) !== (message !== undefined)) {
        throw new DecodeError('malformed', 'malformed frame: JSON message index does not match the pattern');
      }
      const group = this.slotGroup('J' + joined);
      const values: AnyValue[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) values[i] = i === mi ? message : vs.next(group, i);
      body = rebuildJsonBody(keys, values);
      hasBody = true;
    } else if (message !== undefined) {
      body = message;
      hasBody = true;
    }

    // attributes
    let attributes: AnyValueMap | undefined;
    let keys: string[] | undefined;
    let joined = '';
    if (attrCode === 0) {
      const prev = this.prevAttrs;
      if (prev === undefined) throw new DecodeError('unknown-ref', 'attributes refer to previous attributes that were not a key list or set');
      if (prev.kind === 'empty') attributes = {};
      else if (prev.kind === 'set') attributes = { ...prev.map };
      else {
        keys = prev.keys;
        joined = prev.joined;
      }
    } else if (attrCode === 1) {
      attributes = {};
      this.prevAttrs = EMPTY_ATTRS;
    } else if (attrCode === 2) {
      attributes = {};
      if (attrInlineStart >= 0) {
        r.pos = attrInlineStart;
        readKeyValues(r, attrInlineEnd, 1, attributes, 1, this.maxDepth);
        r.end = end;
      }
      this.prevAttrs = undefined;
    } else if (attrCode === 3) {
      keys = attrKeys;
      joined = listKey(keys);
    } else {
      const e = this.entry(attrCode - 3);
      if (e.kind === 'attributes') {
        attributes = { ...e.value };
        this.prevAttrs = { kind: 'set', map: e.value };
      } else if (e.kind === 'keys') {
        keys = e.value;
        joined = e.joined;
      } else throw new DecodeError('malformed', `dictionary entry ${attrCode - 3} is not an attribute set or key list`);
    }
    if (keys !== undefined) {
      if (attrCode !== 0) this.prevAttrs = { kind: 'keys', keys, joined };
      const group = this.slotGroup('A' + joined);
      attributes = {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const v = vs.next(group, i);
        if (k === '__proto__') Object.defineProperty(attributes, k, { value: v, enumerable: true, writable: true, configurable: true });
        else attributes[k] = v;
      }
    }
    vs.finish();

    // resource, scope
    let resource: ResourceData;
    if (resourceCode === 0) {
      if (this.prevResource === undefined) throw new DecodeError('unknown-ref', 'log refers to a previous resource that does not exist');
      resource = this.prevResource;
    } else if (resourceCode === 1) {
      if (resourceStart < 0) throw new DecodeError('malformed', 'malformed frame: inline resource missing');
      r.pos = resourceStart;
      resource = this.readResource(r, resourceEnd);
    } else {
      const e = this.entry(resourceCode - 1);
      if (e.kind !== 'resource') throw new DecodeError('malformed', `dictionary entry ${resourceCode - 1} is not a resource`);
      resource = e.value;
    }
    let scope: ScopeData;
    if (scopeCode === 0) {
      if (this.prevScope === undefined) throw new DecodeError('unknown-ref', 'log refers to a previous scope that does not exist');
      scope = this.prevScope;
    } else if (scopeCode === 1) {
      if (scopeStart < 0) throw new DecodeError('malformed', 'malformed frame: inline scope missing');
      r.pos = scopeStart;
      scope = this.readScope(r, scopeEnd);
    } else {
      const e = this.entry(scopeCode - 1);
      if (e.kind !== 'scope') throw new DecodeError('malformed', `dictionary entry ${scopeCode - 1} is not a scope`);
      scope = e.value;
    }

    const rec: LogRecordData = {
      hrTime: [sec, nanos],
      hrTimeObserved: observed,
      attributes: attributes!,
      droppedAttributesCount: dropped,
      resource,
      scope,
    };
    if (sevNum !== undefined) rec.severityNumber = sevNum;
    if (sevText !== undefined) rec.severityText = sevText;
    if (hasBody) rec.body = body;
    if (hasSpan) {
      if (traceId === undefined || spanId === undefined) throw new DecodeError('malformed', 'malformed frame: span context without ids');
      rec.spanContext = { traceId: toHex(traceId), spanId: toHex(spanId), traceFlags };
    }
    if (eventName !== undefined) rec.eventName = eventName;

    // commit delta state
    this.prevSec = sec;
    this.prevNanos = nanos;
    this.prevDelta = delta;
    this.prevSevNum = sevNum;
    this.prevSevText = sevText;
    this.prevResource = resource;
    this.prevScope = scope;
    return rec;
  }

  private window(r: WireReader): [number, number] {
    const s = r.lengthDelimited();
    return [s, r.pos];
  }

  private readTimestamp(r: WireReader, s: number, e: number): [number, number] {
    const after = r.pos;
    const outerEnd = r.end;
    r.pos = s;
    r.end = e;
    let sec = 0;
    let nanos = 0;
    while (r.pos < e) {
      const t = r.uint32();
      if (t === 8) sec = r.uint53();
      else if (t === 16) nanos = r.uint32();
      else r.skip(t & 7);
    }
    r.pos = after;
    r.end = outerEnd;
    if (nanos >= 1_000_000_000) throw new DecodeError('malformed', 'malformed frame: nanos out of range');
    return [sec, nanos];
  }

  /** @internal */
  entry(id: number): DictEntry {
    const e = this.dict.get(id);
    if (e === undefined) throw new DecodeError('unknown-ref', `log references undefined dictionary entry ${id}`);
    return e;
  }

  private text(id: number): string {
    const e = this.entry(id);
    if (e.kind !== 'text') throw new DecodeError('malformed', `dictionary entry ${id} is not text`);
    return e.value;
  }

  /** @internal */
  parsedShape(shape: string): ParsedShape {
    let p = this.shapeCache.get(shape);
    if (p === undefined) {
      p = parseShape(shape);
      if (p === undefined) throw new DecodeError('malformed', 'malformed frame: invalid value shape');
      if (this.shapeCache.size >= 10_000) this.shapeCache.clear();
      this.shapeCache.set(shape, p);
    }
    return p;
  }

  /** @internal */
  slotGroup(key: number | string): (Slot | undefined)[] {
    let g = this.slots.get(key);
    if (g === undefined) {
      g = [];
      this.slots.set(key, g);
    }
    return g;
  }

  /** @internal */
  get depthLimit(): number {
    return this.maxDepth;
  }
}

function readOneKeyValue(r: WireReader, e: number, into: AnyValueMap, maxDepth: number): void {
  // readKeyValues reads a run of KeyValue fields; wrap the single body as such a run
  let key = '';
  let value: AnyValue = undefined;
  const outerEnd = r.end;
  r.end = e;
  while (r.pos < e) {
    const t = r.uint32();
    const f = t >>> 3;
    if (f === 1 && (t & 7) === 2) key = r.string();
    else if (f === 3 && (t & 7) === 2) key = stringFromUtf16(r.bytes());
    else if (f === 2 && (t & 7) === 2) {
      const s = r.lengthDelimited();
      const ve = r.pos;
      r.pos = s;
      value = readAnyValue(r, ve, 1, maxDepth);
      r.pos = ve;
      r.end = e;
    } else r.skip(t & 7);
  }
  r.end = outerEnd;
  if (key === '__proto__') Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  else into[key] = value;
}

/** Cursor over one Log's value stream. */
class ValueStream {
  private ci = 0;
  private si = 0;
  private ni = 0;
  private ai = 0;

  constructor(
    private readonly d: StatefulDecoder,
    private readonly r: WireReader,
    private readonly codes: number[],
    private readonly shapes: string[],
    private readonly nums: number[],
    private readonly anys: number[],
  ) {}

  next(group: (Slot | undefined)[], idx: number): AnyValue {
    if (this.ci >= this.codes.length) throw new DecodeError('malformed', 'malformed frame: value stream too short');
    const code = this.codes[this.ci++]!;
    const prev = group[idx];
    if (code === 3) {
      if (prev === undefined) throw new DecodeError('unknown-ref', 'value refers to a previous value that does not exist');
      return prev.value;
    }
    if (code === 2) {
      if (this.ai * 2 >= this.anys.length) throw new DecodeError('malformed', 'malformed frame: missing typed value');
      const s = this.anys[this.ai * 2]!;
      const e = this.anys[this.ai * 2 + 1]!;
      this.ai++;
      const r = this.r;
      const pos = r.pos;
      const end = r.end;
      r.pos = s;
      const v = readAnyValue(r, e, 1, this.d.depthLimit);
      r.pos = pos;
      r.end = end;
      group[idx] = { value: v, parsed: undefined, shape: undefined, nums: undefined };
      return v;
    }
    let shape: string;
    let parsed: ParsedShape;
    let delta = false;
    if (code === 0 || code === 4) {
      if (prev === undefined || prev.parsed === undefined) throw new DecodeError('unknown-ref', 'value refers to a previous shape that does not exist');
      shape = prev.shape!;
      parsed = prev.parsed;
      delta = code === 0;
    } else if (code === 1) {
      if (this.si >= this.shapes.length) throw new DecodeError('malformed', 'malformed frame: missing shape');
      shape = this.shapes[this.si++]!;
      parsed = this.d.parsedShape(shape);
    } else {
      const e = this.d.entry(code - 4);
      if (e.kind !== 'text') throw new DecodeError('malformed', `dictionary entry ${code - 4} is not text`);
      shape = e.value;
      parsed = this.d.parsedShape(shape);
    }
    const runs = parsed.widths.length;
    if (this.ni + runs > this.nums.length) throw new DecodeError('malformed', 'malformed frame: missing numbers');
    const mine = new Array<number>(runs);
    for (let k = 0; k < runs; k++) {
      const v = this.nums[this.ni + k]!;
      mine[k] = delta ? v + prev!.nums![k]! : v;
    }
    this.ni += runs;
    const text = renderShape(parsed, mine, 0);
    if (text === undefined) throw new DecodeError('malformed', 'malformed frame: number does not fit its shape');
    const value = parsed.numeric ? Number(text) : text;
    group[idx] = { value, parsed, shape, nums: mine };
    return value;
  }

  finish(): void {
    if (this.ci !== this.codes.length || this.ni !== this.nums.length || this.si !== this.shapes.length || this.ai * 2 !== this.anys.length) {
      throw new DecodeError('malformed', 'malformed frame: value stream has leftover values');
    }
  }
}
