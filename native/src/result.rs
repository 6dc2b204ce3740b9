//! Writes a `TokenizeResult` FlatBuffer (native/tokenize_result.fbs) with the flatc-generated
//! Rust code. Token vectors are copied in with `create_vector_direct` (one memcpy each).

use flatbuffers::FlatBufferBuilder;

use crate::batch::Code;
use crate::generated::otel_stateful_logs::tokenizer::{
  finish_tokenize_result_buffer, TokenizeResult, TokenizeResultArgs,
};
use crate::tokenizer::TokenSink;

/// Written into every result; bump it with any incompatible schema change.
pub const SCHEMA_VERSION: u16 = 1;

/// A FlatBufferBuilder reused from call to call (its buffer keeps its grown size).
pub struct ResultWriter {
  fbb: FlatBufferBuilder<'static>,
}

impl ResultWriter {
  pub fn new() -> Self {
    ResultWriter {
      fbb: FlatBufferBuilder::with_capacity(64 * 1024),
    }
  }

  /// Writes a successful batch (per-body codes may still be errors).
  pub fn write_tokens(&mut self, errors: &[u8], offsets: &[u32], sink: &TokenSink) {
    let fbb = &mut self.fbb;
    fbb.reset();
    // Largest vectors first so the small ones pad less.
    let ends = fbb.create_vector_direct(&sink.ends);
    let starts = fbb.create_vector_direct(&sink.starts);
    let kinds = fbb.create_vector_direct(&sink.kinds);
    let token_offsets = fbb.create_vector_direct(offsets);
    // ErrorCode is a repr(transparent) u8; write the raw bytes.
    let body_errors = fbb.create_vector_direct(errors);
    let root = TokenizeResult::create(
      fbb,
      &TokenizeResultArgs {
        version: SCHEMA_VERSION,
        error: Code::None,
        message: None,
        body_errors: Some(flatbuffers::WIPOffset::new(body_errors.value())),
        token_offsets: Some(token_offsets),
        kinds: Some(kinds),
        starts: Some(starts),
        ends: Some(ends),
      },
    );
    finish_tokenize_result_buffer(fbb, root);
  }

  /// Writes a whole-batch error with no per-body data.
  pub fn write_error(&mut self, code: Code, message: &str) -> &[u8] {
    let fbb = &mut self.fbb;
    fbb.reset();
    let message = fbb.create_string(message);
    let root = TokenizeResult::create(
      fbb,
      &TokenizeResultArgs {
        version: SCHEMA_VERSION,
        error: code,
        message: Some(message),
        ..Default::default()
      },
    );
    finish_tokenize_result_buffer(fbb, root);
    fbb.finished_data()
  }

  pub fn finished(&self) -> &[u8] {
    self.fbb.finished_data()
  }

  /// After a panic inside the builder its state is unknown: start over with a fresh one.
  pub fn recover(&mut self) {
    self.fbb = FlatBufferBuilder::with_capacity(1024);
  }
}
