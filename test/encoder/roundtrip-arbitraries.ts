/**
 * fast-check generators of LogRecordData for the lossless property tests. Optional record
 * fields are either present or absent (never `undefined`-valued): the decoder rebuilds
 * absent fields as absent. AnyValues cover every kind, including lone surrogates, -0,
 * NaN, the infinities, bytes, null and undefined.
 */
import fc from 'fast-check';
import type { AnyValue, AnyValueMap, HrTime, LogRecordData, ResourceData, ScopeData } from '../../src/encoder/log-record';

/** Strings: any UTF-16 (lone surrogates included), plus a few tricky fixed ones. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '\ud800', 'a\udc00b', '\u0001\u0002\u0003', '007', '+1', '1e3', '-0', 'TRUE', '0x1F', '__proto__', '😀', '{"a":1}'),
);

export const anyValue: fc.Arbitrary<AnyValue> = fc.letrec<{ value: AnyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double(),
    fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53) - 2, 0.1),
    fc.uint8Array({ maxLength: 8 }),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

export const attributeMap: fc.Arbitrary<AnyValueMap> = fc.dictionary(anyString, anyValue, { maxKeys: 6, noNullPrototype: true });

/** Time at the edges of uint64 nanoseconds too. */
export const hrTime: fc.Arbitrary<HrTime> = fc.tuple(
  fc.oneof(fc.integer({ min: 0, max: 18_446_744_073 }), fc.constantFrom(0, 1, 1_700_000_000, 18_446_744_073)),
  fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom(0, 999_999_999)),
);

/** Log-like text bodies that share templates (so patterns form, widen and get evicted). */
export const logLine: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('user', 'conn', 'GET', 'job', 'worker'),
    fc.integer({ min: -5, max: 100_000 }),
    fc.ipV4(),
    fc.constantFrom('ok', 'failed', 'timeout', 'retry'),
    fc.stringMatching(/^[0-9]{1,20}$/),
    fc.constantFrom('', ' extra', ' took 12ms', ' é\u00e9 ünï'),
    // hex words (ids, UUID groups, trace ids: hex pieces) and words that only look like them
    fc.oneof(fc.stringMatching(/^[0-9a-f]{1,34}$/), fc.uuid(), fc.constantFrom('deadbeef', 'a1', 'ord_4b1241ee88', 'x0a1b2c')),
  )
  .map(([w, n, ip, s, digits, tail, hexId]) => `${w} ${n} from ${ip} ${s} id=${digits} req ${hexId}${tail}`);

export const jsonBody: fc.Arbitrary<string> = fc
  .tuple(logLine, fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4, noNullPrototype: true }), fc.constantFrom('msg', 'message', 'text', 'other'))
  .map(([m, rest, key]) => JSON.stringify({ level: 'info', [key]: m, ...rest }));

export const body: fc.Arbitrary<AnyValue> = fc.oneof(
  { weight: 4, arbitrary: logLine },
  { weight: 1, arbitrary: jsonBody },
  { weight: 1, arbitrary: anyString },
  { weight: 2, arbitrary: anyValue },
);

const RESOURCES: ResourceData[] = [
  { attributes: { 'service.name': 'a' } },
  { attributes: { 'service.name': 'b', 'host.name': 'h1' }, schemaUrl: 'https://x/1', droppedAttributesCount: 0 },
  { attributes: {}, droppedAttributesCount: 3 },
];
const SCOPES: ScopeData[] = [
  { name: 'lib' },
  { name: 'lib', version: '1.0.0' },
  { name: '', version: '', schemaUrl: '', attributes: {}, droppedAttributesCount: 0 },
  { name: 'x', attributes: { k: [1, 'v'] } },
];

export const resource: fc.Arbitrary<ResourceData> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...RESOURCES) },
  {
    weight: 1,
    arbitrary: fc
      .record(
        { attributes: attributeMap, droppedAttributesCount: fc.nat({ max: 100 }), schemaUrl: fc.string({ maxLength: 10 }) },
        { requiredKeys: ['attributes'], noNullPrototype: true },
      ),
  },
);

export const scope: fc.Arbitrary<ScopeData> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SCOPES) },
  {
    weight: 1,
    arbitrary: fc.record(
      { name: fc.string({ maxLength: 8 }), version: fc.string({ maxLength: 5 }), schemaUrl: fc.string({ maxLength: 5 }), attributes: attributeMap, droppedAttributesCount: fc.nat({ max: 9 }) },
      { requiredKeys: ['name'], noNullPrototype: true },
    ),
  },
);

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

/** Attribute maps that repeat (so key lists and whole sets reach the dictionary). */
export const attributes: fc.Arbitrary<AnyValueMap> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({}) },
  { weight: 3, arbitrary: fc.record({ method: fc.constantFrom('GET', 'POST'), status: fc.constantFrom(200, 404, 500), path: fc.constantFrom('/a', '/b/1', '/c?x=1') }, { noNullPrototype: true }) },
  { weight: 2, arbitrary: fc.record({ 'request.id': fc.uuid(), 'duration.ms': fc.double({ min: 0, max: 1000, noNaN: true }) }, { noNullPrototype: true }) },
  { weight: 2, arbitrary: attributeMap },
);

export const record: fc.Arbitrary<LogRecordData> = fc
  .record(
    {
      hrTime,
      observedDelta: fc.option(fc.integer({ min: -1000, max: 1_000_000 }), { nil: undefined }),
      hrTimeObserved: hrTime,
      severityNumber: fc.integer({ min: 0, max: 24 }),
      severityText: fc.oneof(fc.constantFrom('INFO', 'WARN', 'ERROR'), anyString),
      body,
      attributes,
      droppedAttributesCount: fc.nat({ max: 1000 }),
      resource,
      scope,
      spanContext: fc.record({ traceId: hex(32), spanId: hex(16), traceFlags: fc.integer({ min: 0, max: 255 }) }, { noNullPrototype: true }),
      eventName: anyString,
    },
    { requiredKeys: ['hrTime', 'hrTimeObserved', 'attributes', 'droppedAttributesCount', 'resource', 'scope'], noNullPrototype: true },
  )
  .map((r) => {
    const { observedDelta, ...rest } = r as typeof r & { observedDelta?: number };
    const out = rest as LogRecordData;
    // an undefined body is no body: the decoder rebuilds it as absent
    if ('body' in out && out.body === undefined) delete out.body;
    if (observedDelta !== undefined) {
      // observed close to time, the common case
      const ns = out.hrTime[1] + observedDelta;
      if (ns >= 0 && ns < 1e9) out.hrTimeObserved = [out.hrTime[0], ns];
    }
    return out;
  });

/** Batches of records in increasing time, like a real stream, mixed with arbitrary ones. */
export const batches: fc.Arbitrary<LogRecordData[][]> = fc.array(fc.array(record, { maxLength: 12 }), { minLength: 1, maxLength: 5 });
