//! A deflate context that lives for a whole stream (`COMPRESSION_DEFLATE_STREAM`).
//!
//! The TypeScript sender (src/encoder/compression.ts) gets the same effect by priming a fresh
//! node:zlib deflate with the stream's last 32 KiB for every batch, because Node has no
//! synchronous streaming zlib; re-hashing those 32 KiB costs more than compressing a typical
//! batch. Here one deflate state is kept: each batch is compressed and sync-flushed (so it
//! ends on a byte boundary and references at most the 32 KiB window before it), then an
//! empty final block is appended. The receiver cannot tell the two apart: both are raw
//! deflate that inflates with the stream's last 32 KiB as a preset dictionary.

use flate2::{Compress, Compression, FlushCompress, Status};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// An empty final block with fixed Huffman codes (BFINAL=1, BTYPE=01, end-of-block): it
/// closes each batch as a complete deflate stream for an inflater that starts fresh.
const EMPTY_FINAL_BLOCK: [u8; 2] = [0x03, 0x00];

pub struct DeflateStream {
  level: u32,
  inner: Compress,
  out: Vec<u8>,
}

impl DeflateStream {
  pub fn new(level: u32) -> Self {
    let level = level.min(9);
    DeflateStream {
      level,
      // raw deflate (no zlib header), 32 KiB window: the receiver's dictionary size
      inner: Compress::new(Compression::new(level), false),
      out: Vec::with_capacity(64 * 1024),
    }
  }

  /// Forgets the context: the next batch is compressed as if it were the stream's first.
  pub fn reset(&mut self) {
    self.inner.reset();
  }

  /// Compresses one batch; the result borrows the internal buffer until the next call.
  /// After an error the context is unusable: `reset()` (a new stream) before the next batch.
  pub fn compress(&mut self, input: &[u8]) -> Result<&[u8], String> {
    let inner = &mut self.inner;
    let out = &mut self.out;
    let run = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
      out.clear();
      let mut consumed = 0usize;
      loop {
        if out.capacity() - out.len() < 1024 {
          out.reserve((input.len() - consumed) / 2 + 4096);
        }
        let before = inner.total_in();
        let status = inner
          .compress_vec(&input[consumed..], out, FlushCompress::Sync)
          .map_err(|e| format!("deflate failed: {e}"))?;
        consumed += (inner.total_in() - before) as usize;
        // zlib's rule: a flush is complete when the call left output space unused.
        if consumed == input.len() && out.len() < out.capacity() {
          break;
        }
        if status == Status::StreamEnd {
          return Err("deflate ended the stream unexpectedly".into());
        }
      }
      out.extend_from_slice(&EMPTY_FINAL_BLOCK);
      Ok(())
    }));
    match run {
      Ok(Ok(())) => Ok(&self.out),
      Ok(Err(e)) => Err(e),
      Err(_) => Err(format!("deflate panicked (level {})", self.level)),
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use flate2::{Decompress, FlushDecompress};

  /// Inflates one batch the way the receiver does: a fresh raw inflater primed with the last
  /// 32 KiB of everything inflated before.
  fn inflate_primed(history: &[u8], data: &[u8]) -> Vec<u8> {
    let mut d = Decompress::new(false);
    let start = history.len().saturating_sub(32 * 1024);
    if history.len() > start {
      d.set_dictionary(&history[start..]).unwrap();
    }
    let mut out = Vec::with_capacity(data.len() * 8 + 64);
    loop {
      let consumed = d.total_in() as usize;
      let st = d.decompress_vec(&data[consumed..], &mut out, FlushDecompress::Finish).unwrap();
      if st == Status::StreamEnd {
        break;
      }
      out.reserve(out.capacity().max(1024));
    }
    assert_eq!(d.total_in() as usize, data.len(), "trailing bytes after the final block");
    out
  }

  #[test]
  fn batches_inflate_with_the_primed_window() {
    let mut c = DeflateStream::new(6);
    let mut history = Vec::new();
    let mut seed = 7u32;
    for batch in 0..40 {
      let mut payload = Vec::new();
      for i in 0..(batch * 97 % 3000) {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        payload.extend_from_slice(format!("GET /item/{} 200 {}\n", i % 17, seed >> 20).as_bytes());
      }
      let z = c.compress(&payload).unwrap().to_vec();
      assert_eq!(inflate_primed(&history, &z), payload, "batch {batch}");
      history.extend_from_slice(&payload);
    }
  }

  #[test]
  fn reset_starts_a_fresh_context() {
    let mut c = DeflateStream::new(6);
    let first = c.compress(b"hello hello hello").unwrap().to_vec();
    c.compress(b"more").unwrap();
    c.reset();
    assert_eq!(c.compress(b"hello hello hello").unwrap(), &first[..]);
  }
}
