//! PLACEHOLDER until src/encoder/tokenizer.ts lands: splits on ASCII spaces.

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
  #[inline]
  fn push(&mut self, kind: u8, start: usize, end: usize) {
    self.kinds.push(kind);
    self.starts.push(start as u32);
    self.ends.push(end as u32);
  }
}

pub fn tokenize(body: &[u16], sink: &mut TokenSink) {
  let mut i = 0;
  while i < body.len() {
    let s = i;
    if body[i] == 32 {
      while i < body.len() && body[i] == 32 { i += 1; }
      sink.push(1, s, i);
    } else {
      while i < body.len() && body[i] != 32 { i += 1; }
      sink.push(0, s, i);
    }
  }
}
