/**
 * Shared helpers for the native tokenizer tests: the addon (or why it is missing) and an
 * exact TokenList comparison that reports the first difference readably.
 */
import { loadNativeTokenizer, nativeTokenizeBatch, type NativeBinding } from '../../src/encoder/native-tokenizer';
import { tokenKindName, type TokenList } from '../../src/encoder/token';
import { tokenize } from '../../src/encoder/tokenizer';

const loaded = loadNativeTokenizer();

/** The addon, or undefined when it is not built for this platform. */
export const binding: NativeBinding | undefined = loaded.ok ? loaded.binding : undefined;

/** Message to print when skipping tests that need the addon. */
export const nativeSkipReason = loaded.ok
  ? ''
  : `native tokenizer unavailable, the tests that need it are skipped (build it with \`npm run build:native\`, needs cargo): ${loaded.error.message}`;

/** Undefined when both lists are identical, else a description of the first difference. */
export function tokenListDiff(text: string, js: TokenList, native: TokenList): string | undefined {
  const n = Math.max(js.count, native.count);
  for (let i = 0; i < n; i++) {
    const a = i < js.count ? `${tokenKindName(js.kinds[i]!)}[${js.starts[i]},${js.ends[i]})` : 'none';
    const b = i < native.count ? `${tokenKindName(native.kinds[i]!)}[${native.starts[i]},${native.ends[i]})` : 'none';
    if (a !== b) {
      const from = Math.max(0, (js.starts[i] ?? native.starts[i] ?? 0) - 20);
      return `token ${i}: js ${a} vs native ${b} near ${JSON.stringify(text.slice(from, from + 60))} (text length ${text.length})`;
    }
  }
  return undefined;
}

/**
 * Tokenizes `bodies` with one native batch call and with the TypeScript tokenizer, and
 * returns the differences (empty when every body is identical).
 */
export function compareBatch(native: NativeBinding, bodies: readonly string[]): string[] {
  const batch = nativeTokenizeBatch(native, bodies);
  const diffs: string[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const d = tokenListDiff(bodies[i]!, tokenize(bodies[i]!), batch.fill(i));
    if (d) diffs.push(`body ${i}: ${d}`);
  }
  return diffs;
}
