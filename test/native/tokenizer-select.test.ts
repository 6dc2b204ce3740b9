/**
 * Tokenizer selection (src/encoder/tokenizer-select.ts): option > OTEL_STATEFUL_LOGS_TOKENIZER >
 * auto, one diag line, the fallback when the addon is missing (checked in a child process with
 * the addon path pointed at nothing), and the prefetch path serving bodies from native batches.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { diag, DiagLogLevel } from '@opentelemetry/api';

import { createTokenList } from '../../src/encoder/token';
import { tokenize } from '../../src/encoder/tokenizer';
import {
  DEFAULT_MIN_NATIVE_BATCH,
  selectTokenizer,
  TOKENIZER_ENV_VAR,
  tokenizerChoiceFromEnv,
} from '../../src/encoder/tokenizer-select';
import { binding, nativeSkipReason, tokenListDiff } from './helpers';

if (!binding) console.warn(nativeSkipReason);

const child = join(__dirname, 'fixtures', 'select-child.ts');

/** Runs the fixture with `env` added; returns its JSON line. */
function selectInChild(env: Record<string, string>): { impl: string; requested: string; count: number; lines: string[] } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('tokenizer choice from the environment', () => {
  it('accepts native|js|auto in any case and ignores blank or unknown values', () => {
    expect(tokenizerChoiceFromEnv({ [TOKENIZER_ENV_VAR]: ' Native ' })).toBe('native');
    expect(tokenizerChoiceFromEnv({ [TOKENIZER_ENV_VAR]: 'js' })).toBe('js');
    expect(tokenizerChoiceFromEnv({ [TOKENIZER_ENV_VAR]: 'AUTO' })).toBe('auto');
    expect(tokenizerChoiceFromEnv({ [TOKENIZER_ENV_VAR]: '' })).toBeUndefined();
    expect(tokenizerChoiceFromEnv({ [TOKENIZER_ENV_VAR]: 'rust' })).toBeUndefined();
    expect(tokenizerChoiceFromEnv({})).toBeUndefined();
  });

  it('js from the environment gives the TypeScript tokenizer; the option from code wins over the environment', () => {
    const fromEnv = selectTokenizer({ env: { [TOKENIZER_ENV_VAR]: 'js' } });
    expect(fromEnv.impl).toBe('js');
    expect(fromEnv.requested).toBe('js');
    const fromCode = selectTokenizer({ tokenizer: 'native', env: { [TOKENIZER_ENV_VAR]: 'js' } });
    expect(fromCode.requested).toBe('native');
    expect(fromCode.impl).toBe(binding ? 'native' : 'js');
  });
});

describe('fallback when the addon cannot load (child process)', () => {
  const missing = { NAPI_RS_NATIVE_LIBRARY_PATH: join(__dirname, 'fixtures', 'no-such-addon.node') };

  it('auto falls back to js with one info line that says why', () => {
    const r = selectInChild({ ...missing, [TOKENIZER_ENV_VAR]: '' });
    expect(r.impl).toBe('js');
    expect(r.count).toBe(5);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^info .*tokenizer: js \(native tokenizer not built for .*npm run build:native/);
  });

  it('forcing native when it cannot load warns once and still tokenizes (with the TypeScript tokenizer)', () => {
    const r = selectInChild({ ...missing, [TOKENIZER_ENV_VAR]: 'native' });
    expect(r.impl).toBe('js');
    expect(r.requested).toBe('native');
    expect(r.count).toBe(5);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^warn .*native was forced but could not load/);
  });

  it.skipIf(!binding)('auto loads the built addon with one info line', () => {
    const r = selectInChild({ [TOKENIZER_ENV_VAR]: 'auto' });
    expect(r.impl).toBe('native');
    expect(r.lines).toEqual([expect.stringMatching(/^info .*tokenizer: native \(.*native\/index\.js; batches of >= \d+ bodies\)/)]);
  });
});

describe.skipIf(!binding)('native-backed tokenizer', () => {
  const bodies = Array.from({ length: 50 }, (_, i) => `2024-01-02 10:00:${String(i % 60).padStart(2, '0')} INFO req ${i} from 10.0.0.${i} "GET /a" ${200 + i}`);

  it('serves prefetched bodies from native batches, in chunks, identical to the TypeScript tokenizer', () => {
    const t = selectTokenizer({ tokenizer: 'auto', env: {}, maxNativeBatch: 16 });
    expect(t.impl).toBe('native');
    t.prefetch(bodies);
    const out = createTokenList(4);
    for (const b of bodies) expect(tokenListDiff(b, tokenize(b), t.tokenize(b, out))).toBeUndefined();
    expect(t.stats()).toMatchObject({ nativeCalls: 4, nativeBodies: 50, jsBodies: 0, prefetchMisses: 0 });
  });

  it('splits a prefetched batch by code units too (a body longer than the limit goes alone)', () => {
    const t = selectTokenizer({ tokenizer: 'auto', env: {}, maxNativeBatchUnits: 200 });
    const long = 'x=1 '.repeat(100);
    const mixed = [bodies[0]!, bodies[1]!, long, bodies[2]!, bodies[3]!, bodies[4]!];
    t.prefetch(mixed);
    for (const b of mixed) expect(tokenListDiff(b, tokenize(b), t.tokenize(b))).toBeUndefined();
    // 57-unit bodies: [0, 1] (114 units; + long would pass 200), [long] alone (400), [2, 3, 4] (171)
    expect(t.stats()).toMatchObject({ nativeCalls: 3, nativeBodies: 6 });
  });

  it('skipped bodies and bodies that were never prefetched still get the right tokens', () => {
    const t = selectTokenizer({ tokenizer: 'auto', env: {} });
    t.prefetch(bodies);
    const asked = bodies.filter((_, i) => i % 3 !== 0);
    for (const b of asked) expect(tokenListDiff(b, tokenize(b), t.tokenize(b))).toBeUndefined();
    const stranger = 'not prefetched 1.2.3.4';
    expect(tokenListDiff(stranger, tokenize(stranger), t.tokenize(stranger))).toBeUndefined();
    // a body that was not prefetched goes to the addon alone (auto sends single bodies too)
    expect(t.stats()).toMatchObject({ nativeBodies: asked.length + DEFAULT_MIN_NATIVE_BATCH, prefetchMisses: 1, jsBodies: 1 - DEFAULT_MIN_NATIVE_BATCH });
  });

  it('batches smaller than minNativeBatch go to the TypeScript tokenizer; forced native sends everything', () => {
    const auto = selectTokenizer({ tokenizer: 'auto', env: {}, minNativeBatch: 3 });
    const small = bodies.slice(0, 2);
    auto.prefetch(small);
    for (const b of small) auto.tokenize(b);
    expect(auto.stats()).toMatchObject({ nativeCalls: 0, jsBodies: small.length });
    const forced = selectTokenizer({ tokenizer: 'native', env: {} });
    forced.tokenize(bodies[0]!);
    expect(forced.stats()).toMatchObject({ nativeCalls: 1, nativeBodies: 1, jsBodies: 0 });
  });

  it('a body over the native size limit is tokenized in TypeScript, the others natively', () => {
    const t = selectTokenizer({ tokenizer: 'auto', env: {}, native: { maxBodyUnits: 40 } });
    const mixed = ['short 1', bodies[0]!, 'short 2'];
    t.prefetch(mixed);
    for (const b of mixed) expect(tokenListDiff(b, tokenize(b), t.tokenize(b))).toBeUndefined();
    expect(t.stats()).toMatchObject({ nativeCalls: 1, nativeBodies: 2, fallbackBodies: 1, jsBodies: 1 });
  });

  it('after a panic inside the addon: right tokens from TypeScript, one warning, no more native calls', () => {
    const warnings: string[] = [];
    // the component logger passes its namespace first, the message after
    const sink = (...args: unknown[]) => warnings.push(args.join(' '));
    diag.setLogger({ error: sink, warn: sink, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    try {
      const t = selectTokenizer({ tokenizer: 'auto', env: {}, native: { faultInjectPanicAt: 1 } });
      t.prefetch(bodies.slice(0, 10));
      for (const b of bodies.slice(0, 10)) expect(tokenListDiff(b, tokenize(b), t.tokenize(b))).toBeUndefined();
      t.prefetch(bodies.slice(10, 20));
      for (const b of bodies.slice(10, 20)) expect(tokenListDiff(b, tokenize(b), t.tokenize(b))).toBeUndefined();
      expect(t.stats()).toMatchObject({ nativeCalls: 1, nativeBodies: 0, jsBodies: 20 });
      expect(warnings.filter((w) => /native call failed.*panicked: fault injected at body 1/.test(w))).toHaveLength(1);
    } finally {
      diag.disable();
    }
  });
});
