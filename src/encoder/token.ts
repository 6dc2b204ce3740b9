/**
 * Token kinds and the flat token list produced by the tokenizer (src/encoder/tokenizer.ts) and by
 * its Rust twin (native/). Both must produce identical lists for every input string.
 *
 * ## Data structure (the contract)
 * A tokenized body is a {@link TokenList}: three parallel typed arrays plus a count.
 * Token `i` (0 <= i < count) has kind `kinds[i]` (a {@link TokenKind} value) and covers the
 * UTF-16 code units `[starts[i], ends[i])` of the body string. Tokens are contiguous and cover
 * the whole body: `starts[0] === 0`, `ends[i] === starts[i + 1]`, `ends[count - 1] === body.length`,
 * and every token is non-empty. An empty body has `count === 0`. Entries at index >= count are
 * garbage (the arrays are reused and grown by doubling).
 *
 * ## Kind numbers are stable
 * They travel inside the native FlatBuffers result and may be stored; never renumber, only add.
 */

/** Kind of a token. Numeric values are part of the native/TS contract: never renumber. */
export const TokenKind = {
  /** Anything word-like that no other rule claimed (letters, digits, `_`, non-ASCII, inner `.`/`-`/`/`). */
  Word: 0,
  /** A maximal run of ASCII whitespace (space, \t, \n, \v, \f, \r). */
  Whitespace: 1,
  /** A maximal run of one repeated ASCII non-word, non-whitespace code unit (`,` `::` `****` \u0000). */
  Punct: 2,
  /** Decimal integer, optionally signed: `42`, `-103`, `007`. */
  Integer: 3,
  /** Decimal with fraction and/or exponent, optionally signed: `2.0`, `-1.5e3`, `1e9`. */
  Float: 4,
  /** `0x`-prefixed hex (`0x00e19cc0`), or a bare hex word holding both a digit and a letter (`02f6667c`). */
  Hex: 5,
  /** Dotted-quad IPv4 (octets 0..255), with an optional `:port`: `10.251.90.64:50010`. */
  IPv4: 6,
  /** IPv6 in full or `::`-compressed form, optionally bracketed with port: `[fe80::1]:443`. */
  IPv6: 7,
  /** `8-4-4-4-12` hex digits. */
  Uuid: 8,
  /** `YYYY-MM-DD`. */
  Date: 9,
  /** `H:MM:SS` or `HH:MM:SS`, optional `.fff` / `,fff` fraction. */
  Time: 10,
  /** `YYYY-MM-DDTHH:MM:SS[.fff][Z|+hh:mm|+hhmm]`. */
  DateTime: 11,
  /** `/abs/path.ext` or a word containing `/` (`Input/output`, `hadoop/dfs/data`). */
  Path: 12,
  /** `scheme://...`. */
  Url: 13,
  /** `local@domain.tld`. */
  Email: 14,
  /** A word immediately followed by `=` (the key of `key=value`). */
  Key: 15,
  /** Upper-case HTTP method: GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH. */
  HttpMethod: 16,
  /** 3-digit integer 100..599 right after `" ` (the status of an access-log line). */
  HttpStatus: 17,
  /** Severity word, ASCII case-insensitive: trace debug info notice warn warning error err fatal critical crit alert emerg emergency severe panic. */
  Severity: 18,
} as const;

/** A {@link TokenKind} value. */
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** Number of kinds (one past the largest value). */
export const TOKEN_KIND_COUNT = 19;

const KIND_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(TokenKind)) names[value] = name;
  return names;
})();

/** Human-readable name of a kind (`'IPv4'`), or `'Unknown(n)'`. */
export function tokenKindName(kind: number): string {
  return KIND_NAMES[kind] ?? `Unknown(${kind})`;
}

/**
 * Flat token list: parallel typed arrays, `count` valid entries. See the module comment for the
 * invariants. Produced by {@link import('./tokenizer').tokenize} and by the native twin.
 */
export interface TokenList {
  /** Number of valid tokens. */
  count: number;
  /** TokenKind of each token. */
  kinds: Uint8Array;
  /** Start offset (UTF-16 code units, inclusive). */
  starts: Uint32Array;
  /** End offset (UTF-16 code units, exclusive). */
  ends: Uint32Array;
}

/**
 * Signature of a tokenizer: fills `out` (growing its arrays as needed, or a fresh list when
 * omitted) and returns the list actually filled (it may be a new object when `out` grew).
 * The TS implementation is `tokenize` in ./tokenizer; a native one must give identical tokens.
 */
export type TokenizeFn = (text: string, out?: TokenList) => TokenList;

/** A new empty token list with room for `capacity` tokens. */
export function createTokenList(capacity = 64): TokenList {
  const cap = Math.max(1, capacity | 0);
  return { count: 0, kinds: new Uint8Array(cap), starts: new Uint32Array(cap), ends: new Uint32Array(cap) };
}

/** Grows `list` in place to hold at least `min` tokens, keeping the valid entries. */
export function growTokenList(list: TokenList, min: number): void {
  let cap = list.kinds.length;
  if (cap >= min) return;
  while (cap < min) cap *= 2;
  const kinds = new Uint8Array(cap);
  const starts = new Uint32Array(cap);
  const ends = new Uint32Array(cap);
  kinds.set(list.kinds.subarray(0, list.count));
  starts.set(list.starts.subarray(0, list.count));
  ends.set(list.ends.subarray(0, list.count));
  list.kinds = kinds;
  list.starts = starts;
  list.ends = ends;
}

/** Plain objects for tests and debugging (allocates: not for the hot path). */
export function tokensToObjects(
  text: string,
  list: TokenList,
): Array<{ kind: TokenKind; text: string; start: number; end: number }> {
  const out: Array<{ kind: TokenKind; text: string; start: number; end: number }> = [];
  for (let i = 0; i < list.count; i++) {
    out.push({
      kind: list.kinds[i] as TokenKind,
      text: text.slice(list.starts[i], list.ends[i]),
      start: list.starts[i]!,
      end: list.ends[i]!,
    });
  }
  return out;
}
