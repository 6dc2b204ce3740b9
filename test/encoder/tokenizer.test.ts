import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenList, TokenKind, tokenKindName, tokensToObjects, type TokenList } from '../../src/encoder/token';
import { tokenize } from '../../src/encoder/tokenizer';

/** `Kind[text]` for every non-whitespace token. */
function show(text: string): string[] {
  return tokensToObjects(text, tokenize(text))
    .filter((t) => t.kind !== TokenKind.Whitespace)
    .map((t) => `${tokenKindName(t.kind)}[${t.text}]`);
}

function assertInvariants(text: string, list: TokenList): void {
  let pos = 0;
  let joined = '';
  for (let i = 0; i < list.count; i++) {
    expect(list.starts[i]).toBe(pos);
    expect(list.ends[i]!).toBeGreaterThan(list.starts[i]!);
    expect(list.kinds[i]!).toBeLessThan(19);
    joined += text.slice(list.starts[i], list.ends[i]);
    pos = list.ends[i]!;
  }
  expect(pos).toBe(text.length);
  expect(joined).toBe(text);
}

describe('tokenize: kinds', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['hello world', ['Word[hello]', 'Word[world]']],
    ['42 -103 +7 007', ['Integer[42]', 'Integer[-103]', 'Integer[+7]', 'Integer[007]']],
    ['2.0 -1.5e3 1e9 1.', ['Float[2.0]', 'Float[-1.5e3]', 'Float[1e9]', 'Integer[1]', 'Punct[.]']],
    ['0x00e19cc0 02f6667c cafe', ['Hex[0x00e19cc0]', 'Hex[02f6667c]', 'Word[cafe]']],
    ['10.251.90.64:50010 10.0.0.1 256.1.1.1', ['IPv4[10.251.90.64:50010]', 'IPv4[10.0.0.1]', 'Word[256.1.1.1]']],
    ['[fe80::1]:443 ::1 2001:db8::ff00:42:8329 1:2:3:4:5:6:7:8', ['IPv6[[fe80::1]:443]', 'IPv6[::1]', 'IPv6[2001:db8::ff00:42:8329]', 'IPv6[1:2:3:4:5:6:7:8]']],
    ['de305d54-75b4-431b-adb2-eb6b9e546014', ['Uuid[de305d54-75b4-431b-adb2-eb6b9e546014]']],
    ['2015-10-17 15:37:56,547 2015-10-17T15:37:56.5+02:00 9:05:01', ['Date[2015-10-17]', 'Time[15:37:56,547]', 'DateTime[2015-10-17T15:37:56.5+02:00]', 'Time[9:05:01]']],
    ['2015-10-17T15:37:56+0200 2015-10-17T15:37:56Z 2015-10-17T15:37:56+020', ['DateTime[2015-10-17T15:37:56+0200]', 'DateTime[2015-10-17T15:37:56Z]', 'DateTime[2015-10-17T15:37:56]', 'Punct[+]', 'Integer[020]']],
    // no Time right after ':' (both milliseconds widths give the same token shape)
    ['20171223-22:15:29:606|20171223-22:15:35:98|', ['Word[20171223-22]', 'Punct[:]', 'Integer[15]', 'Punct[:]', 'Integer[29]', 'Punct[:]', 'Integer[606]', 'Punct[|]', 'Word[20171223-22]', 'Punct[:]', 'Integer[15]', 'Punct[:]', 'Integer[35]', 'Punct[:]', 'Integer[98]', 'Punct[|]']],
    ['a 22:15:35.98 b:12:30:45', ['Word[a]', 'Time[22:15:35.98]', 'Word[b]', 'Punct[:]', 'Integer[12]', 'Punct[:]', 'Integer[30]', 'Punct[:]', 'Integer[45]']],
    ['[::1] [fe80::1]x http://. 0x1g', ['IPv6[[::1]]', 'IPv6[[fe80::1]]', 'Word[x]', 'Word[http]', 'Punct[:]', 'Punct[//]', 'Punct[.]', 'Word[0x1g]']],
    ['/mnt/a/b.txt. rel/path', ['Path[/mnt/a/b.txt]', 'Punct[.]', 'Path[rel/path]']],
    ['see http://wiki.apache.org/hadoop/NoRouteToHost, ok', ['Word[see]', 'Url[http://wiki.apache.org/hadoop/NoRouteToHost]', 'Punct[,]', 'Word[ok]']],
    ['mail bob.x@example.org now', ['Word[mail]', 'Email[bob.x@example.org]', 'Word[now]']],
    ['uid=0 user=root', ['Key[uid]', 'Punct[=]', 'Integer[0]', 'Key[user]', 'Punct[=]', 'Word[root]']],
    ['"GET /x HTTP/1.1" 200 512', ['Punct["]', 'HttpMethod[GET]', 'Path[/x]', 'Path[HTTP/1.1]', 'Punct["]', 'HttpStatus[200]', 'Integer[512]']],
    ['ERROR warn Info errors', ['Severity[ERROR]', 'Severity[warn]', 'Severity[Info]', 'Word[errors]']],
    ['blk_-1693418636466747515 msra-sa-41:8030', ['Word[blk_-1693418636466747515]', 'Word[msra-sa-41]', 'Punct[:]', 'Integer[8030]']],
    ['processor.........................0 ##', ['Word[processor]', 'Punct[.........................]', 'Integer[0]', 'Punct[##]']],
    ['héllo wörld\u00a0x', ['Word[héllo]', 'Word[wörld\u00a0x]']],
  ])('%j', (text, expected) => {
    const list = tokenize(text);
    assertInvariants(text, list);
    expect(show(text)).toEqual(expected);
  });

  it('whitespace runs are single tokens, mixed ws characters included', () => {
    const text = 'a \t\r\n b';
    expect(tokensToObjects(text, tokenize(text)).map((t) => t.text)).toEqual(['a', ' \t\r\n ', 'b']);
  });

  it('hostile repetitive bodies tokenize per the rules (no IPv6 beyond 8 groups)', () => {
    const text = 'a:'.repeat(5000);
    const list = tokenize(text);
    // 'a' ':' pairs, except that the last 8 groups form one IPv6 (8 groups, no '::'), then ':'
    expect(list.count).toBe(2 * 4992 + 2);
    expect(list.kinds[2 * 4992]).toBe(TokenKind.IPv6);
    expect(list.ends[list.count - 1]).toBe(text.length);
    expect(show('1:2:3:4:5:6:7:8:9')).toEqual(['Integer[1]', 'Punct[:]', 'IPv6[2:3:4:5:6:7:8:9]']);
  });

  it('reuses and grows the output list', () => {
    const out = createTokenList(1);
    const text = 'a b c d e f g h i j k l m n o p';
    const list = tokenize(text, out);
    expect(list).toBe(out);
    expect(list.count).toBe(31);
    assertInvariants(text, list);
    const list2 = tokenize('x', list);
    expect(list2.count).toBe(1);
  });
});

describe('tokenize: properties', () => {
  const logish = fc.stringMatching(/^[ -~]{0,80}$/);
  const pieces = fc.constantFrom(
    ' ', '  ', '\t', '\r\n', '.', '-', '/', ':', '::', '=', '@', '[', ']', '"', '0x', '1', '255', '10.0.0.1', ':80',
    'e', 'E', 'T', 'Z', '+', 'abc', 'GET', 'error', 'http://', 'fe80', 'ü', '\ud800', '\udc00', '\u0000', '\u007f', '2015-10-17',
    '12:30:45', ',5', 'de305d54-75b4-431b-adb2-eb6b9e546014',
  );
  const pieceString = fc.array(pieces, { maxLength: 30 }).map((a) => a.join(''));

  it('concatenating the tokens gives back the input (full unicode, lone surrogates, control chars)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), logish, pieceString), (text) => {
        assertInvariants(text, tokenize(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic and independent of the reused buffer', () => {
    const shared = createTokenList(2);
    fc.assert(
      fc.property(pieceString, pieceString, (a, b) => {
        tokenize(a, shared);
        const viaShared = tokensToObjects(b, tokenize(b, shared));
        expect(viaShared).toEqual(tokensToObjects(b, tokenize(b)));
      }),
      { numRuns: 500 },
    );
  });

  it('treats every non-ASCII code unit as a word character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x80, max: 0xffff }), (cu) => {
        const text = `a${String.fromCharCode(cu)}b`;
        const list = tokenize(text);
        expect(list.count).toBe(1);
        expect([TokenKind.Word, TokenKind.Hex]).toContain(list.kinds[0]);
      }),
      { numRuns: 500 },
    );
  });
});
