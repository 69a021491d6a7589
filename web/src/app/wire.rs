//! The messages between the page and the evaluation Web Worker (`src/bin/worker.rs`), as JSON
//! strings: the page sends a [`Request`] (the texts and a sequence number); the worker answers
//! [`Reply::Ready`] once, then for each request [`Reply::Evaluated`] (diagnostics and the
//! evaluation, without the engine's model). Lints can take much longer than the evaluation, so a
//! second instance of the worker computes them ([`Request::lint`], [`Reply::Linted`]) and never
//! holds up the next evaluation.

use std::rc::Rc;

use netpol_engine::Diagnostic;
use serde::{Deserialize, Serialize};

use super::codec;
use super::diff::{compute_lints, LintVm};
use super::evaluation::{evaluate_source, Evaluation, Source};
use super::requests::WorkerEvent;

/// Evaluate these texts (or, for the lint worker, lint them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub seq: u32,
    pub source: Source,
    /// Answer with the lints ([`Reply::Linted`]) rather than the evaluation.
    #[serde(default)]
    pub lint: bool,
}

/// What the worker sends back.
#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    /// The worker is listening (messages sent before would be lost).
    Ready,
    Evaluated {
        seq: u32,
        #[serde(with = "codec::diagnostics")]
        diagnostics: Vec<Diagnostic>,
        result: Option<Box<Evaluation>>,
    },
    Linted {
        seq: u32,
        lints: Vec<LintVm>,
    },
}

/// The worker's answer to a request, as JSON.
pub fn answer(req: Request) -> String {
    let (diagnostics, result) = evaluate_source(req.source);
    if req.lint {
        let lints = result
            .as_ref()
            .map(|ev| compute_lints(ev, &ev.source.policies, &ev.source.cluster))
            .unwrap_or_default();
        return encode(&Reply::Linted {
            seq: req.seq,
            lints,
        });
    }
    encode(&Reply::Evaluated {
        seq: req.seq,
        diagnostics,
        result: result.map(Box::new),
    })
}

/// A message as JSON (serialising plain data cannot fail; an empty object if it did).
pub fn encode<T: Serialize>(msg: &T) -> String {
    serde_json::to_string(msg).unwrap_or_else(|_| "{}".to_string())
}

/// The page's reading of a worker message as an event of the core (`None`: `Ready`, or not a
/// reply). `source` is the texts of the latest request: an evaluation for them gets them.
pub fn decode_reply(json: &str, source: impl FnOnce() -> Source) -> Option<WorkerEvent> {
    match serde_json::from_str::<Reply>(json).ok()? {
        Reply::Ready => None,
        Reply::Evaluated {
            seq,
            diagnostics,
            result,
        } => Some(WorkerEvent::Evaluated {
            seq,
            diagnostics,
            result: result.map(|r| Rc::new(r.with_source(source()))),
        }),
        Reply::Linted { seq, lints } => Some(WorkerEvent::Linted { seq, lints }),
    }
}

/// True for the worker's `Ready` message.
pub fn is_ready(json: &str) -> bool {
    json.trim() == "\"Ready\""
}
