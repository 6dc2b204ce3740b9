#![deny(clippy::all)]
//! Native twin of the TypeScript tokenizer (src/encoder/tokenizer.ts).
//!
//! One call tokenizes a whole batch of log bodies and answers with ONE FlatBuffers buffer
//! (schema: native/tokenize_result.fbs). Errors are values: bad input, size limits and caught
//! panics come back as error codes in that buffer, never as a thrown exception and never as a
//! crash of the Node process.

mod batch;
mod deflate_stream;
mod result;
mod tokenizer;

#[allow(warnings, clippy::all)]
#[rustfmt::skip]
mod generated {
  include!("generated/tokenize_result_generated.rs");
}

use napi::bindgen_prelude::{BufferSlice, Uint16ArraySlice, Uint32ArraySlice, Uint8ArraySlice};
use napi::{sys, Env, JsString, JsValue};
use napi_derive::napi;

use batch::{Input, Limits};

/// Limits and test hooks of one batch call. Every field is optional.
#[napi(object)]
#[derive(Default)]
pub struct TokenizeOptions {
  /// Largest body, in UTF-16 code units, that is tokenized; a longer body gets `SizeLimit`
  /// and no tokens (the caller tokenizes it in TypeScript). Range 1..=2^31; default 2^27
  /// (128 Mi units, 256 MiB of text).
  pub max_body_units: Option<u32>,
  /// Largest batch, in UTF-16 code units over all bodies; a larger batch gets a batch-level
  /// `SizeLimit` (the caller splits it). Range 1..=2^31; default 2^28.
  pub max_batch_units: Option<u32>,
  /// TEST ONLY: panic while tokenizing the body with this index, to prove that a panic comes
  /// back as an `Internal` error code instead of taking Node down.
  pub fault_inject_panic_at: Option<u32>,
}

impl TokenizeOptions {
  fn limits(opts: Option<&TokenizeOptions>) -> Limits {
    let d = Limits::default();
    match opts {
      None => d,
      Some(o) => Limits {
        max_body_units: o.max_body_units.map_or(d.max_body_units, |v| v as usize),
        max_batch_units: o.max_batch_units.map_or(d.max_batch_units, |v| v as usize),
        panic_at: o.fault_inject_panic_at.map(|v| v as usize),
      },
    }
  }
}

/// Sender side of `COMPRESSION_DEFLATE_STREAM` with ONE deflate context for the whole stream
/// (src/encoder/compression.ts re-primes node:zlib with the last 32 KiB per batch instead).
/// Each `compress` returns a complete raw-deflate stream for one batch that inflates with the
/// stream's earlier 32 KiB as a preset dictionary, exactly like the TypeScript output.
#[napi(js_name = "DeflateStream")]
pub struct JsDeflateStream {
  inner: deflate_stream::DeflateStream,
}

#[napi]
impl JsDeflateStream {
  /// `level`: zlib level 0-9, default 6.
  #[napi(constructor)]
  pub fn new(level: Option<u32>) -> Self {
    JsDeflateStream {
      inner: deflate_stream::DeflateStream::new(level.unwrap_or(6)),
    }
  }

  /// Compresses the next batch of the stream (call in send order). Throws if deflate
  /// fails; the context is then unusable until `reset()`.
  #[napi]
  pub fn compress<'env>(&mut self, env: &'env Env, input: Uint8ArraySlice<'env>) -> napi::Result<BufferSlice<'env>> {
    let out = self.inner.compress(&input).map_err(napi::Error::from_reason)?;
    BufferSlice::copy_from(env, out)
  }

  /// A new stream starts: forget the context.
  #[napi]
  pub fn reset(&mut self) {
    self.inner.reset();
  }
}

/// FlatBuffers schema version written into every result (`TokenizeResult.version`).
#[napi]
pub const SCHEMA_VERSION: u32 = result::SCHEMA_VERSION as u32;

/// Version of the tokenizer rules (src/encoder/tokenizer.ts `TOKENIZER_RULES_VERSION`) this
/// build implements; the loader refuses an addon whose rules differ from the TypeScript ones.
#[napi]
pub const RULES_VERSION: u32 = tokenizer::RULES_VERSION;

/// Tokenizes every body of a batch given as ONE joined string plus the end offset of each
/// body (`bodyEnds[i]` = UTF-16 offset in `joined` where body i ends; body i starts where
/// body i-1 ends, body 0 at 0). Returns a FlatBuffers `TokenizeResult`.
#[napi(js_name = "tokenizeJoined")]
pub fn tokenize_joined<'env>(
  env: &'env Env,
  joined: JsString<'env>,
  body_ends: Uint32ArraySlice<'env>,
  options: Option<TokenizeOptions>,
) -> napi::Result<BufferSlice<'env>> {
  let limits = TokenizeOptions::limits(options.as_ref());
  batch::with_scratch(|scratch| {
    let input = joined_input(env, &joined, &body_ends, &mut scratch.units, limits.max_batch_units);
    BufferSlice::copy_from(env, batch::run(scratch, input, &limits))
  })
}

/// Same as `tokenizeJoined`, but writes the result into the caller's reusable `out` buffer
/// (from offset 0) instead of allocating a new one per call: a fresh multi-hundred-KiB
/// buffer per batch costs page faults and zeroing. Returns the result's length in bytes, or,
/// when `out` is too small, minus the length it needs (nothing is written; grow and call again).
#[napi(js_name = "tokenizeJoinedInto")]
pub fn tokenize_joined_into(
  env: &Env,
  joined: JsString,
  body_ends: Uint32ArraySlice,
  mut out: Uint8ArraySlice,
  options: Option<TokenizeOptions>,
) -> i64 {
  let limits = TokenizeOptions::limits(options.as_ref());
  batch::with_scratch(|scratch| {
    let input = joined_input(env, &joined, &body_ends, &mut scratch.units, limits.max_batch_units);
    let bytes = batch::run(scratch, input, &limits);
    // SAFETY: `out` is a live Uint8Array argument of this synchronous call; nothing else
    // reads or writes it until we return.
    let dst = unsafe { out.as_mut() };
    if bytes.len() <= dst.len() {
      dst[..bytes.len()].copy_from_slice(bytes);
      bytes.len() as i64
    } else {
      -(bytes.len() as i64)
    }
  })
}

/// Same as `tokenizeJoined`, with the text already encoded as UTF-16 code units (e.g. a
/// reusable buffer the caller writes with `buf.write(body, offset, 'utf16le')`).
#[napi(js_name = "tokenizeUtf16")]
pub fn tokenize_utf16<'env>(
  env: &'env Env,
  units: Uint16ArraySlice<'env>,
  body_ends: Uint32ArraySlice<'env>,
  options: Option<TokenizeOptions>,
) -> napi::Result<BufferSlice<'env>> {
  let limits = TokenizeOptions::limits(options.as_ref());
  batch::with_scratch(|scratch| {
    BufferSlice::copy_from(
      env,
      batch::run(
        scratch,
        Input::Units {
          units: &units,
          ends: &body_ends,
        },
        &limits,
      ),
    )
  })
}

/// Same as `tokenizeJoined`, with the batch as an array of strings (one napi string read per
/// body; kept to measure the input designs against each other).
#[napi(js_name = "tokenizeArray")]
pub fn tokenize_array<'env>(
  env: &'env Env,
  bodies: Vec<JsString<'env>>,
  options: Option<TokenizeOptions>,
) -> napi::Result<BufferSlice<'env>> {
  let limits = TokenizeOptions::limits(options.as_ref());
  batch::with_scratch(|scratch| {
    scratch.units.clear();
    scratch.ends.clear();
    let mut rejected = None;
    for b in &bodies {
      if let Err(err) = append_utf16(env.raw(), b.raw(), &mut scratch.units, limits.max_batch_units) {
        rejected = Some(err);
        break;
      }
      scratch.ends.push(scratch.units.len() as u32);
    }
    let input = match rejected {
      Some((code, why)) => Input::Rejected(code, why),
      None => Input::OwnEnds,
    };
    BufferSlice::copy_from(env, batch::run(scratch, input, &limits))
  })
}

/// Why an input string was refused: the code for the result and its message.
type InputError = (batch::Code, &'static str);

/// Reads a JS string's UTF-16 code units into `out` (cleared first), lone surrogates kept.
/// Reads a joined batch string into `units`: the batch input, or its rejection as a value.
fn joined_input<'a>(env: &Env, joined: &JsString, ends: &'a [u32], units: &mut Vec<u16>, max_units: usize) -> Input<'a> {
  match read_utf16(env.raw(), joined.raw(), units, max_units) {
    Ok(()) => Input::Joined { ends },
    Err((code, why)) => Input::Rejected(code, why),
  }
}

fn read_utf16(env: sys::napi_env, s: sys::napi_value, out: &mut Vec<u16>, max_units: usize) -> Result<(), InputError> {
  out.clear();
  append_utf16(env, s, out, max_units)
}

/// Appends a JS string's UTF-16 code units to `out` without an intermediate allocation.
fn append_utf16(
  env: sys::napi_env,
  s: sys::napi_value,
  out: &mut Vec<u16>,
  max_units: usize,
) -> Result<(), InputError> {
  let mut len = 0usize;
  // SAFETY: a null buffer asks napi for the length only.
  let status = unsafe { sys::napi_get_value_string_utf16(env, s, std::ptr::null_mut(), 0, &mut len) };
  if status != sys::Status::napi_ok {
    return Err((batch::Code::InvalidInput, "a body is not a string"));
  }
  if out.len() + len > max_units {
    return Err((batch::Code::SizeLimit, "batch is larger than maxBatchUnits"));
  }
  let at = out.len();
  // napi writes a NUL terminator after the text, so it needs one unit more.
  out.resize(at + len + 1, 0);
  let mut written = 0usize;
  // SAFETY: `out[at..]` has `len + 1` writable units.
  let status = unsafe { sys::napi_get_value_string_utf16(env, s, out.as_mut_ptr().add(at), len + 1, &mut written) };
  out.truncate(at + written);
  if status != sys::Status::napi_ok || written != len {
    return Err((batch::Code::Internal, "napi could not copy a string"));
  }
  Ok(())
}
