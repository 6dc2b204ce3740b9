//! Port of src/encoder/tokenizer.ts (rules v2). The TypeScript module comment is the
//! specification; this file follows its code line by line so that both produce IDENTICAL
//! tokens for every UTF-16 string (test/native/ checks it over the corpus and fast-check
//! strings). Keep names and order in step with the TypeScript when a rule changes.
//!
//! Reading past the end of the body yields `NONE` (-1), which, like `NaN` from
//! `charCodeAt` on the TypeScript side, belongs to no character class and equals no char.

/// Version of the TypeScript rules this port follows (`TOKENIZER_RULES_VERSION`).
pub const RULES_VERSION: u32 = 2;

/// Token kinds (src/encoder/token.ts `TokenKind`; the numbers are the contract).
pub mod kind {
  pub const WORD: u8 = 0;
  pub const WHITESPACE: u8 = 1;
  pub const PUNCT: u8 = 2;
  pub const INTEGER: u8 = 3;
  pub const FLOAT: u8 = 4;
  pub const HEX: u8 = 5;
  pub const IPV4: u8 = 6;
  pub const IPV6: u8 = 7;
  pub const UUID: u8 = 8;
  pub const DATE: u8 = 9;
  pub const TIME: u8 = 10;
  pub const DATE_TIME: u8 = 11;
  pub const PATH: u8 = 12;
  pub const URL: u8 = 13;
  pub const EMAIL: u8 = 14;
  pub const KEY: u8 = 15;
  pub const HTTP_METHOD: u8 = 16;
  pub const HTTP_STATUS: u8 = 17;
  pub const SEVERITY: u8 = 18;
}

/// Flat token output of a whole batch: parallel vectors, offsets relative to each body.
#[derive(Default)]
pub struct TokenSink {
  pub kinds: Vec<u8>,
  pub starts: Vec<u32>,
  pub ends: Vec<u32>,
}

impl TokenSink {
  pub fn clear(&mut self) {
    self.kinds.clear();
    self.starts.clear();
    self.ends.clear();
  }

  pub fn len(&self) -> usize {
    self.kinds.len()
  }

  #[inline(always)]
  fn push(&mut self, kind: u8, start: usize, end: usize) {
    self.kinds.push(kind);
    self.starts.push(start as u32);
    self.ends.push(end as u32);
  }
}

const NONE: i32 = -1;

/// One body as code units, with `charCodeAt`-like access (`NONE` past the end).
struct Text<'a> {
  s: &'a [u16],
  n: usize,
}

impl Text<'_> {
  #[inline(always)]
  fn at(&self, k: usize) -> i32 {
    match self.s.get(k) {
      Some(&c) => c as i32,
      None => NONE,
    }
  }
}

// --- character classes (NONE is in no class) ---
//
// One flag byte per ASCII code unit; every code unit >= 0x80 is a word, path and URL char.

const WS: u8 = 1;
const DIGIT: u8 = 2;
const ALPHA: u8 = 4;
const HEX: u8 = 8;
const WORD: u8 = 16;
const CONNECTOR: u8 = 32;
const PATH: u8 = 64;
const URL: u8 = 128;

const fn class_table() -> [u8; 128] {
  let mut t = [0u8; 128];
  let mut c = 0usize;
  while c < 128 {
    let mut f = 0u8;
    let b = c as u8;
    if b == b' ' || (b >= 0x09 && b <= 0x0d) {
      f |= WS;
    }
    let digit = b.is_ascii_digit();
    let alpha = b.is_ascii_alphabetic();
    if digit {
      f |= DIGIT;
    }
    if alpha {
      f |= ALPHA;
    }
    if digit || (b >= b'a' && b <= b'f') || (b >= b'A' && b <= b'F') {
      f |= HEX;
    }
    let word = digit || alpha || b == b'_';
    if word {
      f |= WORD;
    }
    if b == b'.' || b == b'-' || b == b'/' {
      f |= CONNECTOR;
    }
    if word || matches!(b, b'/' | b'.' | b'-' | b'~' | b'+' | b'%') {
      f |= PATH;
    }
    if word
      || matches!(
        b,
        b'-'
          | b'.'
          | b'_'
          | b'~'
          | b':'
          | b'/'
          | b'?'
          | b'#'
          | b'@'
          | b'!'
          | b'$'
          | b'&'
          | b'*'
          | b'+'
          | b','
          | b';'
          | b'='
          | b'%'
      )
    {
      f |= URL;
    }
    t[c] = f;
    c += 1;
  }
  t
}

static CLASS: [u8; 128] = class_table();

#[inline(always)]
fn class(c: i32) -> u8 {
  if (0..128).contains(&c) {
    CLASS[c as usize]
  } else if c >= 128 {
    WORD | PATH | URL
  } else {
    0
  }
}

#[inline(always)]
fn is_ws(c: i32) -> bool {
  class(c) & WS != 0
}
#[inline(always)]
fn is_digit(c: i32) -> bool {
  (0x30..=0x39).contains(&c)
}
#[inline(always)]
fn is_alpha(c: i32) -> bool {
  class(c) & ALPHA != 0
}
#[inline(always)]
fn is_alnum(c: i32) -> bool {
  class(c) & (DIGIT | ALPHA) != 0
}
#[inline(always)]
fn is_hex(c: i32) -> bool {
  class(c) & HEX != 0
}
#[inline(always)]
fn is_word_char(c: i32) -> bool {
  class(c) & WORD != 0
}
#[inline(always)]
fn is_connector(c: i32) -> bool {
  class(c) & CONNECTOR != 0
}
#[inline(always)]
fn is_path_char(c: i32) -> bool {
  class(c) & PATH != 0
}
#[inline(always)]
fn is_url_char(c: i32) -> bool {
  class(c) & URL != 0
}
#[inline(always)]
fn is_url_trailing_strip(c: i32) -> bool {
  matches!(c, 0x2e | 0x2c | 0x3b | 0x3a | 0x21 | 0x3f)
}

#[inline]
fn boundary(t: &Text, k: usize) -> bool {
  if k >= t.n {
    return true;
  }
  let c = t.at(k);
  if is_word_char(c) {
    return false;
  }
  !(is_connector(c) && is_word_char(t.at(k + 1)))
}

/// Count of consecutive digits from k, at most `max + 1`.
#[inline]
fn digit_run(t: &Text, k: usize, max: usize) -> usize {
  let mut j = k;
  while j - k <= max && is_digit(t.at(j)) {
    j += 1;
  }
  j - k
}

// --- structured matchers: Some(end) or None ---

fn match_uuid(t: &Text, i: usize) -> Option<usize> {
  const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
  let mut j = i;
  for (g, &len) in GROUPS.iter().enumerate() {
    for _ in 0..len {
      if !is_hex(t.at(j)) {
        return None;
      }
      j += 1;
    }
    if g < 4 {
      if t.at(j) != 0x2d {
        return None;
      }
      j += 1;
    }
  }
  if boundary(t, j) {
    Some(j)
  } else {
    None
  }
}

/// Time without the boundary check (shared by Time and DateTime).
fn match_time_core(t: &Text, i: usize) -> Option<usize> {
  let h = digit_run(t, i, 2);
  if !(1..=2).contains(&h) {
    return None;
  }
  let mut j = i + h;
  for _ in 0..2 {
    if t.at(j) != 0x3a {
      return None;
    }
    if digit_run(t, j + 1, 2) != 2 {
      return None;
    }
    j += 3;
  }
  let f = t.at(j);
  if (f == 0x2e || f == 0x2c) && is_digit(t.at(j + 1)) {
    j += 2;
    while is_digit(t.at(j)) {
      j += 1;
    }
  }
  Some(j)
}

fn match_time(t: &Text, i: usize) -> Option<usize> {
  match match_time_core(t, i) {
    Some(j) if boundary(t, j) => Some(j),
    _ => None,
  }
}

/// Date or DateTime: (end, kind).
fn match_date(t: &Text, i: usize) -> Option<(usize, u8)> {
  if digit_run(t, i, 4) != 4 {
    return None;
  }
  let mut j = i + 4;
  if t.at(j) != 0x2d || digit_run(t, j + 1, 2) != 2 {
    return None;
  }
  j += 3;
  if t.at(j) != 0x2d || digit_run(t, j + 1, 2) != 2 {
    return None;
  }
  j += 3;
  if t.at(j) == 0x54 {
    if let Some(tc) = match_time_core(t, j + 1) {
      let mut k = tc;
      let z = t.at(k);
      if z == 0x5a {
        k += 1;
      } else if (z == 0x2b || z == 0x2d) && is_digit(t.at(k + 1)) && is_digit(t.at(k + 2)) {
        // v2: digits checked one by one; a third digit is left to the boundary check
        let mut m = k + 3;
        if t.at(m) == 0x3a {
          m += 1;
        }
        if is_digit(t.at(m)) && is_digit(t.at(m + 1)) {
          k = m + 2;
        }
      }
      if !boundary(t, k) {
        return None;
      }
      return Some((k, kind::DATE_TIME));
    }
  }
  if !boundary(t, j) {
    return None;
  }
  Some((j, kind::DATE))
}

fn match_ipv4(t: &Text, i: usize) -> Option<usize> {
  let mut j = i;
  for octet in 0..4 {
    let len = digit_run(t, j, 3);
    if !(1..=3).contains(&len) {
      return None;
    }
    let mut v = 0i32;
    for k in 0..len {
      v = v * 10 + (t.at(j + k) - 0x30);
    }
    if v > 255 {
      return None;
    }
    j += len;
    if octet < 3 {
      if t.at(j) != 0x2e {
        return None;
      }
      j += 1;
    }
  }
  if t.at(j) == 0x3a {
    let p = digit_run(t, j + 1, 5);
    if (1..=5).contains(&p) && boundary(t, j + 1 + p) {
      return Some(j + 1 + p);
    }
  }
  if boundary(t, j) {
    Some(j)
  } else {
    None
  }
}

/// IPv6 per the TypeScript module comment; `check_boundary` false inside brackets.
fn match_ipv6(t: &Text, i: usize, check_boundary: bool) -> Option<usize> {
  let mut j = i;
  let mut dbl = false;
  let mut groups = 0u32;
  if t.at(j) == 0x3a && t.at(j + 1) == 0x3a {
    dbl = true;
    j += 2;
  }
  loop {
    let mut k = j;
    while k - j <= 4 && is_hex(t.at(k)) {
      k += 1;
    }
    let len = k - j;
    if len == 0 {
      break;
    }
    if len > 4 {
      return None;
    }
    let after = t.at(k);
    if after != 0x3a && is_word_char(after) {
      return None;
    }
    groups += 1;
    // More than 8 groups can never be valid: stop now, or "a:a:a:..." would be rescanned from
    // every token start (quadratic time on a hostile body). Same result as scanning on.
    if groups > 8 {
      return None;
    }
    j = k;
    if after != 0x3a {
      break;
    }
    if t.at(j + 1) == 0x3a {
      if dbl {
        break;
      }
      dbl = true;
      j += 2;
      continue;
    }
    if is_hex(t.at(j + 1)) {
      j += 1;
      continue;
    }
    break;
  }
  if groups < 1 {
    return None;
  }
  if !(if dbl { groups <= 7 } else { groups == 8 }) {
    return None;
  }
  if check_boundary && !boundary(t, j) {
    return None;
  }
  Some(j)
}

fn match_bracket_ipv6(t: &Text, i: usize) -> Option<usize> {
  let e = match_ipv6(t, i + 1, false)?;
  if t.at(e) != 0x5d {
    return None;
  }
  let j = e + 1;
  if t.at(j) == 0x3a {
    let p = digit_run(t, j + 1, 5);
    if (1..=5).contains(&p) && boundary(t, j + 1 + p) {
      return Some(j + 1 + p);
    }
  }
  Some(j)
}

/// Number (optionally signed at i): (end, Integer|Float|Hex).
fn match_number(t: &Text, i: usize) -> Option<(usize, u8)> {
  let mut j = i;
  let c0 = t.at(j);
  if c0 == 0x2d || c0 == 0x2b {
    j += 1;
  }
  if t.at(j) == 0x30 {
    let x = t.at(j + 1);
    if (x == 0x78 || x == 0x58) && is_hex(t.at(j + 2)) {
      let mut k = j + 2;
      while is_hex(t.at(k)) {
        k += 1;
      }
      if !boundary(t, k) {
        return None;
      }
      return Some((k, kind::HEX));
    }
  }
  let mut k = j;
  while is_digit(t.at(k)) {
    k += 1;
  }
  if k == j {
    return None;
  }
  let mut kd = kind::INTEGER;
  if t.at(k) == 0x2e && is_digit(t.at(k + 1)) {
    k += 2;
    while is_digit(t.at(k)) {
      k += 1;
    }
    kd = kind::FLOAT;
  }
  let e = t.at(k);
  if e == 0x65 || e == 0x45 {
    let mut m = k + 1;
    let sg = t.at(m);
    if sg == 0x2b || sg == 0x2d {
      m += 1;
    }
    if is_digit(t.at(m)) {
      while is_digit(t.at(m)) {
        m += 1;
      }
      k = m;
      kd = kind::FLOAT;
    }
  }
  if !boundary(t, k) {
    return None;
  }
  Some((k, kd))
}

fn match_email_domain(t: &Text, j0: usize) -> Option<usize> {
  let mut j = j0;
  let mut labels = 0u32;
  loop {
    let mut k = j;
    while is_alnum(t.at(k)) || t.at(k) == 0x2d {
      k += 1;
    }
    if k == j {
      break;
    }
    labels += 1;
    j = k;
    if t.at(j) == 0x2e && is_alnum(t.at(j + 1)) {
      j += 1;
      continue;
    }
    break;
  }
  if labels < 2 || !boundary(t, j) {
    return None;
  }
  Some(j)
}

/// Equality with a severity word after ASCII-only lower-casing (non-ASCII never matches).
fn is_severity_word(t: &Text, i: usize, e: usize) -> bool {
  let len = e - i;
  if !(3..=9).contains(&len) {
    return false;
  }
  let mut lower = [0u8; 9];
  for k in i..e {
    let mut c = t.at(k);
    if (0x41..=0x5a).contains(&c) {
      c += 0x20;
    } else if !(0x61..=0x7a).contains(&c) {
      return false;
    }
    lower[k - i] = c as u8;
  }
  matches!(
    &lower[..len],
    b"trace"
      | b"debug"
      | b"info"
      | b"notice"
      | b"warn"
      | b"warning"
      | b"error"
      | b"err"
      | b"fatal"
      | b"critical"
      | b"crit"
      | b"alert"
      | b"emerg"
      | b"emergency"
      | b"severe"
      | b"panic"
  )
}

/// One of GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH (case-sensitive).
fn is_http_method_word(t: &Text, i: usize, e: usize) -> bool {
  let len = e - i;
  if !(3..=7).contains(&len) {
    return false;
  }
  let mut word = [0u8; 7];
  for k in i..e {
    let c = t.at(k);
    if !(0x41..=0x5a).contains(&c) {
      return false;
    }
    word[k - i] = c as u8;
  }
  matches!(
    &word[..len],
    b"GET" | b"HEAD" | b"POST" | b"PUT" | b"DELETE" | b"CONNECT" | b"OPTIONS" | b"TRACE" | b"PATCH"
  )
}

fn is_hex_word(t: &Text, i: usize, e: usize) -> bool {
  let mut digit = false;
  let mut letter = false;
  for k in i..e {
    let c = t.at(k);
    if is_digit(c) {
      digit = true;
    } else if is_hex(c) {
      letter = true;
    } else {
      return false;
    }
  }
  digit && letter
}

/// Appends the tokens of one body to `sink` (offsets relative to the body). See the
/// TypeScript module comment for the rules.
pub fn tokenize(body: &[u16], sink: &mut TokenSink) {
  let t = Text { s: body, n: body.len() };
  let n = t.n;
  // Index of this body's first token in the batch-wide sink (HttpStatus looks back 2 tokens
  // of the same body only).
  let base = sink.len();

  // Number token at i (sign allowed) with the HttpStatus rule; None if no number.
  let number = |sink: &mut TokenSink, i: usize| -> Option<usize> {
    let (e, mut kd) = match_number(&t, i)?;
    let count = sink.len() - base;
    if kd == kind::INTEGER
      && e - i == 3
      && (0x31..=0x35).contains(&t.at(i))
      && count >= 2
      && sink.kinds[sink.len() - 1] == kind::WHITESPACE
      && t.at(sink.ends[sink.len() - 2] as usize - 1) == 0x22
    {
      kd = kind::HTTP_STATUS;
    }
    sink.push(kd, i, e);
    Some(e)
  };

  let mut i = 0usize;
  while i < n {
    let c = t.at(i);

    // 1. whitespace
    if is_ws(c) {
      let mut e = i + 1;
      while e < n && is_ws(t.at(e)) {
        e += 1;
      }
      sink.push(kind::WHITESPACE, i, e);
      i = e;
      continue;
    }

    // 2. word-char start
    if is_word_char(c) {
      let digit = is_digit(c);
      let hex = digit || is_hex(c);
      // Cheap pre-checks repeat each matcher's own first test at the call site (as
      // tokenizer.ts does since 34ee7f4), so the common token pays no matcher call; same tokens.
      if hex {
        let c1 = t.at(i + 1);
        let c2 = t.at(i + 2);
        let c3 = t.at(i + 3);
        let c4 = t.at(i + 4);
        if t.at(i + 8) == 0x2d {
          if let Some(e) = match_uuid(&t, i) {
            sink.push(kind::UUID, i, e);
            i = e;
            continue;
          }
        }
        if digit {
          if c4 == 0x2d {
            if let Some((e, kd)) = match_date(&t, i) {
              sink.push(kd, i, e);
              i = e;
              continue;
            }
          }
          // v2: no Time right after ':'
          if (c1 == 0x3a || c2 == 0x3a) && (i == 0 || t.at(i - 1) != 0x3a) {
            if let Some(e) = match_time(&t, i) {
              sink.push(kind::TIME, i, e);
              i = e;
              continue;
            }
          }
          if c1 == 0x2e || c2 == 0x2e || c3 == 0x2e {
            if let Some(e) = match_ipv4(&t, i) {
              sink.push(kind::IPV4, i, e);
              i = e;
              continue;
            }
          }
        }
        if c1 == 0x3a || c2 == 0x3a || c3 == 0x3a || c4 == 0x3a {
          if let Some(e) = match_ipv6(&t, i, true) {
            sink.push(kind::IPV6, i, e);
            i = e;
            continue;
          }
        }
        if digit {
          if let Some(e) = number(sink, i) {
            i = e;
            continue;
          }
        }
      }
      // compound word
      let mut slash = false;
      let mut e = i;
      loop {
        while is_word_char(t.at(e)) {
          e += 1;
        }
        let k = t.at(e);
        if is_connector(k) && is_word_char(t.at(e + 1)) {
          if k == 0x2f {
            slash = true;
          }
          e += 1;
          continue;
        }
        break;
      }
      let next = t.at(e);
      // URL
      if next == 0x3a && t.at(e + 1) == 0x2f && t.at(e + 2) == 0x2f && is_alpha(c) && is_url_char(t.at(e + 3)) {
        let scheme = (i..e).all(|k| {
          let ch = t.at(k);
          is_alnum(ch) || ch == 0x2e || ch == 0x2d
        });
        if scheme {
          let mut u = e + 3;
          while is_url_char(t.at(u)) {
            u += 1;
          }
          while u > e + 3 && is_url_trailing_strip(t.at(u - 1)) {
            u -= 1;
          }
          if u > e + 3 {
            sink.push(kind::URL, i, u);
            i = u;
            continue;
          }
        }
      }
      // Email
      if next == 0x40 && !slash {
        if let Some(d) = match_email_domain(&t, e + 1) {
          sink.push(kind::EMAIL, i, d);
          i = d;
          continue;
        }
      }
      let kd = if slash {
        kind::PATH
      } else if next == 0x3d {
        kind::KEY
      } else if is_http_method_word(&t, i, e) {
        kind::HTTP_METHOD
      } else if is_severity_word(&t, i, e) {
        kind::SEVERITY
      } else if is_hex_word(&t, i, e) {
        kind::HEX
      } else {
        kind::WORD
      };
      sink.push(kd, i, e);
      i = e;
      continue;
    }

    if c == 0x2f {
      // 3. absolute path
      let c1 = t.at(i + 1);
      if is_word_char(c1) || c1 == 0x2e || c1 == 0x7e {
        let mut e = i + 1;
        while is_path_char(t.at(e)) {
          e += 1;
        }
        while e > i + 1 && t.at(e - 1) == 0x2e {
          e -= 1;
        }
        if e > i + 1 {
          sink.push(kind::PATH, i, e);
          i = e;
          continue;
        }
      }
    } else if (c == 0x2d || c == 0x2b) && is_digit(t.at(i + 1)) && (i == 0 || !is_word_char(t.at(i - 1))) {
      // 4. signed number
      if let Some(e) = number(sink, i) {
        i = e;
        continue;
      }
    } else if c == 0x5b {
      // 5. bracketed IPv6
      if let Some(e) = match_bracket_ipv6(&t, i) {
        sink.push(kind::IPV6, i, e);
        i = e;
        continue;
      }
    } else if c == 0x3a && t.at(i + 1) == 0x3a {
      // 6. IPv6 starting with "::"
      if let Some(e) = match_ipv6(&t, i, true) {
        sink.push(kind::IPV6, i, e);
        i = e;
        continue;
      }
    }

    // 7. punctuation run
    let mut e = i + 1;
    while e < n && t.at(e) == c {
      e += 1;
    }
    sink.push(kind::PUNCT, i, e);
    i = e;
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn toks(s: &str) -> Vec<(u8, String)> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut sink = TokenSink::default();
    tokenize(&units, &mut sink);
    (0..sink.len())
      .map(|i| {
        (
          sink.kinds[i],
          String::from_utf16_lossy(&units[sink.starts[i] as usize..sink.ends[i] as usize]),
        )
      })
      .collect()
  }

  #[test]
  fn http_status_after_quote() {
    let t = toks("\"GET /a HTTP/1.1\" 200 512");
    assert!(t.contains(&(kind::HTTP_STATUS, "200".into())));
    assert!(t.contains(&(kind::INTEGER, "512".into())));
    assert_eq!(t[1], (kind::HTTP_METHOD, "GET".into()));
  }

  #[test]
  fn structured_kinds() {
    assert_eq!(
      toks("10.251.90.64:50010"),
      vec![(kind::IPV4, "10.251.90.64:50010".into())]
    );
    assert_eq!(
      toks("2024-01-02T03:04:05.123Z"),
      vec![(kind::DATE_TIME, "2024-01-02T03:04:05.123Z".into())]
    );
    assert_eq!(toks("[fe80::1]:443"), vec![(kind::IPV6, "[fe80::1]:443".into())]);
    assert_eq!(
      toks("user=a"),
      vec![
        (kind::KEY, "user".into()),
        (kind::PUNCT, "=".into()),
        (kind::WORD, "a".into())
      ]
    );
  }

  /// Pure-Rust throughput, no napi and no FlatBuffers:
  /// `TOKENIZER_BENCH_FILE=/tmp/Apache.log cargo test --release -- --ignored --nocapture`
  #[test]
  #[ignore]
  fn throughput() {
    let Ok(path) = std::env::var("TOKENIZER_BENCH_FILE") else {
      return;
    };
    let text = std::fs::read_to_string(path).expect("read");
    let lines: Vec<Vec<u16>> = text.split('\n').map(|l| l.encode_utf16().collect()).collect();
    let chars: usize = lines.iter().map(|l| l.len()).sum();
    let mut sink = TokenSink::default();
    let mut best = f64::MAX;
    let rounds: usize = std::env::var("TOKENIZER_BENCH_ROUNDS")
      .ok()
      .and_then(|r| r.parse().ok())
      .unwrap_or(7);
    for _ in 0..rounds {
      sink.clear();
      let t = std::time::Instant::now();
      for l in &lines {
        tokenize(l, &mut sink);
      }
      best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
      "{} lines, {chars} chars, {} tokens: {:.1} ms, {:.0} Mchar/s",
      lines.len(),
      sink.len(),
      best * 1e3,
      chars as f64 / best / 1e6
    );
  }
}
