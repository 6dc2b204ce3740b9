//! One batch call: validate the input, tokenize each body, write the result, and turn a
//! panic anywhere in there into an `Internal` error code.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

use crate::result::ResultWriter;
use crate::tokenizer::{tokenize, TokenSink};

pub use crate::generated::otel_stateful_logs::tokenizer::ErrorCode as Code;

/// Size limits of one call (see `TokenizeOptions` in lib.rs for meaning and defaults).
pub struct Limits {
  pub max_body_units: usize,
  pub max_batch_units: usize,
  /// Test hook: panic while tokenizing this body.
  pub panic_at: Option<usize>,
}

impl Default for Limits {
  fn default() -> Self {
    Limits {
      max_body_units: 1 << 27,
      max_batch_units: 1 << 28,
      panic_at: None,
    }
  }
}

/// Buffers reused from call to call on the JS thread, so the hot path allocates nothing once
/// they have grown to the working size.
pub struct Scratch {
  pub units: Vec<u16>,
  pub ends: Vec<u32>,
  sink: TokenSink,
  offsets: Vec<u32>,
  errors: Vec<u8>,
  writer: ResultWriter,
}

thread_local! {
  static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's scratch buffers (created on first use). A re-entrant call
/// (impossible from JS, but cheap to guard) gets fresh buffers instead of a panic.
pub fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
  SCRATCH.with(|cell| match cell.try_borrow_mut() {
    Ok(mut slot) => f(slot.get_or_insert_with(Scratch::new)),
    Err(_) => f(&mut Scratch::new()),
  })
}

impl Scratch {
  fn new() -> Self {
    Scratch {
      units: Vec::new(),
      ends: Vec::new(),
      sink: TokenSink::default(),
      offsets: Vec::new(),
      errors: Vec::new(),
      writer: ResultWriter::new(),
    }
  }
}

/// Where the batch text and body boundaries come from.
pub enum Input<'a> {
  /// Text in `Scratch::units`, body ends given by the caller.
  Joined { ends: &'a [u32] },
  /// Text and ends both given by the caller.
  Units { units: &'a [u16], ends: &'a [u32] },
  /// Text in `Scratch::units`, ends in `Scratch::ends`.
  OwnEnds,
  /// The input was refused before tokenizing.
  Rejected(Code, &'static str),
}

/// Tokenizes the batch and returns the finished FlatBuffers bytes (valid until the next call).
pub fn run<'s>(scratch: &'s mut Scratch, input: Input<'_>, limits: &Limits) -> &'s [u8] {
  let Scratch {
    units,
    ends,
    sink,
    offsets,
    errors,
    writer,
  } = scratch;
  let (text, body_ends): (&[u16], &[u32]) = match input {
    Input::Joined { ends } => (units.as_slice(), ends),
    Input::Units { units, ends } => (units, ends),
    Input::OwnEnds => (units.as_slice(), ends.as_slice()),
    Input::Rejected(code, why) => return writer.write_error(code, why),
  };
  if text.len() > limits.max_batch_units {
    return writer.write_error(Code::SizeLimit, "batch is larger than maxBatchUnits");
  }
  if let Err(why) = check_ends(body_ends, text.len()) {
    return writer.write_error(Code::InvalidInput, why);
  }
  let outcome = guarded(|| {
    tokenize_bodies(text, body_ends, limits, sink, offsets, errors);
  });
  match outcome {
    Ok(()) => match guarded(|| writer.write_tokens(errors, offsets, sink)) {
      Ok(()) => writer.finished(),
      Err(payload) => {
        writer.recover();
        writer.write_error(Code::Internal, &panic_message(payload))
      }
    },
    Err(payload) => {
      sink.clear();
      writer.write_error(Code::Internal, &panic_message(payload))
    }
  }
}

/// Body ends must not decrease and must stay inside the text.
fn check_ends(ends: &[u32], text_len: usize) -> Result<(), &'static str> {
  let mut prev = 0u32;
  for &e in ends {
    if e < prev {
      return Err("bodyEnds must not decrease");
    }
    prev = e;
  }
  if prev as usize > text_len {
    return Err("bodyEnds point past the end of the text");
  }
  Ok(())
}

fn tokenize_bodies(
  text: &[u16],
  ends: &[u32],
  limits: &Limits,
  sink: &mut TokenSink,
  offsets: &mut Vec<u32>,
  errors: &mut Vec<u8>,
) {
  sink.clear();
  offsets.clear();
  errors.clear();
  offsets.push(0);
  let mut start = 0usize;
  for (i, &end) in ends.iter().enumerate() {
    let end = end as usize;
    let body = &text[start..end];
    if limits.panic_at == Some(i) {
      panic!("fault injected at body {i}");
    }
    if body.len() > limits.max_body_units {
      errors.push(Code::SizeLimit.0);
    } else {
      tokenize(body, sink);
      errors.push(Code::None.0);
    }
    offsets.push(sink.len() as u32);
    start = end;
  }
}

thread_local! {
  /// True while this thread runs inside `guarded`: a panic there becomes an error code, so the
  /// hook keeps quiet and records where it happened instead of printing to stderr.
  static GUARDED: Cell<bool> = const { Cell::new(false) };
  static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Runs `f`, turning a panic into `Err(payload)`. The panic hook this installs (once, for this
/// addon's copy of std) is silent inside `guarded` and defers to the previous hook elsewhere,
/// so an unexpected panic outside the boundary still prints before it aborts.
fn guarded<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
  HOOK.call_once(|| {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
      if GUARDED.with(Cell::get) {
        PANIC_AT.with(|at| *at.borrow_mut() = info.location().map(|l| format!("{}:{}", l.file(), l.line())));
      } else {
        previous(info);
      }
    }));
  });
  GUARDED.with(|g| g.set(true));
  PANIC_AT.with(|at| *at.borrow_mut() = None);
  let result = catch_unwind(AssertUnwindSafe(f));
  GUARDED.with(|g| g.set(false));
  result
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
  let detail = if let Some(s) = payload.downcast_ref::<&str>() {
    (*s).to_string()
  } else if let Some(s) = payload.downcast_ref::<String>() {
    s.clone()
  } else {
    "unknown panic payload".to_string()
  };
  match PANIC_AT.with(|at| at.borrow_mut().take()) {
    Some(at) => format!("native tokenizer panicked: {detail} (at {at})"),
    None => format!("native tokenizer panicked: {detail}"),
  }
}
