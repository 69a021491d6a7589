//! Latest-wins evaluation in the Web Worker, as a state machine without I/O. Every change of the
//! texts (or of the parse options) takes a new sequence number; at most one request is with the
//! worker at a time, and while it is busy newer changes coalesce into one request for the latest
//! texts, sent when the worker answers. An answer for anything but the latest number is
//! dropped. When the worker takes longer than [`SLOW_MS`] the page says "evaluating…" over the
//! last good result and offers Stop, which restarts the worker.

use std::rc::Rc;

use netpol_engine::Diagnostic;

use super::diff::LintVm;
use super::evaluation::Evaluation;

/// What the worker (or the shell around it) tells the core, wrapped in `Event::Worker`.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerEvent {
    /// The evaluation of request `seq` (`None` when the input has errors).
    Evaluated {
        seq: u32,
        diagnostics: Vec<Diagnostic>,
        result: Option<Rc<Evaluation>>,
    },
    /// The lints of request `seq`'s evaluation.
    Linted { seq: u32, lints: Vec<LintVm> },
    /// The slow timer of request `seq` fired ([`SLOW_MS`] after it was sent).
    Slow(u32),
    /// The Stop button.
    Stop,
    /// Workers are unavailable (or the worker failed): evaluate on the main thread.
    Unavailable(String),
}

/// After this long without an answer the page shows "evaluating…" and Stop.
pub const SLOW_MS: u64 = 1000;

/// The evaluator's state, held in `State::requests`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requests {
    /// Evaluate in the worker (else on the main thread, at once).
    pub remote: bool,
    /// The number of the latest texts.
    pub seq: u32,
    /// The request the worker is working on.
    pub busy: Option<u32>,
    /// Newer texts wait for the worker to answer.
    pub queued: bool,
    /// The busy request has run longer than [`SLOW_MS`].
    pub slow: bool,
    /// The worker was stopped before it answered for the latest texts.
    pub stopped: bool,
    /// Why evaluation runs on the main thread (said once, in a small note).
    pub note: Option<String>,
    /// A request to send, taken by `update` and turned into an effect.
    pub(super) outbox: Option<u32>,
    /// Lints to ask the lint worker for (the evaluation of this number was just shown).
    pub(super) lint_outbox: Option<u32>,
}

impl Requests {
    /// The texts changed: numbers them and sends a request unless the worker is busy.
    pub fn changed(&mut self) {
        self.seq = self.seq.wrapping_add(1);
        self.stopped = false;
        if self.busy.is_some() {
            self.queued = true;
        } else {
            self.send();
        }
    }

    /// The texts changed and were evaluated on the page: an answer for older texts is dropped.
    pub fn changed_here(&mut self) {
        self.seq = self.seq.wrapping_add(1);
        self.stopped = false;
        self.queued = false;
    }

    fn send(&mut self) {
        self.busy = Some(self.seq);
        self.queued = false;
        self.slow = false;
        self.outbox = Some(self.seq);
    }

    /// The worker answered request `seq`: true when the answer is for the latest texts (else it
    /// is dropped); the queued texts, if any, are sent.
    pub fn answered(&mut self, seq: u32) -> bool {
        if self.busy != Some(seq) {
            return false;
        }
        self.busy = None;
        self.slow = false;
        if self.queued {
            self.send();
            return false;
        }
        seq == self.seq
    }

    /// The slow timer of request `seq` fired.
    pub fn slow_at(&mut self, seq: u32) {
        if self.busy == Some(seq) {
            self.slow = true;
        }
    }

    /// Stop: the worker is restarted and nothing is pending; the last good result stays.
    pub fn stop(&mut self) {
        self.busy = None;
        self.queued = false;
        self.slow = false;
        self.stopped = true;
        self.outbox = None;
    }

    /// True while the shown result is behind the texts.
    pub fn pending(&self) -> bool {
        self.busy.is_some() || self.queued
    }

    /// Workers are unavailable: evaluate on the main thread from now on.
    pub fn go_local(&mut self, reason: &str) {
        self.remote = false;
        self.busy = None;
        self.queued = false;
        self.slow = false;
        self.outbox = None;
        self.note = Some(format!(
            "Evaluating on the page: {reason} Large inputs may make the page slow."
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote() -> Requests {
        Requests {
            remote: true,
            ..Requests::default()
        }
    }

    #[test]
    fn changes_while_busy_coalesce_into_one_request_for_the_latest_texts() {
        let mut r = remote();
        r.changed();
        assert_eq!(r.outbox.take(), Some(1));
        r.changed();
        r.changed();
        assert_eq!(r.outbox, None, "the worker is busy");
        assert!(!r.answered(1), "an answer for older texts is dropped");
        assert_eq!(r.outbox.take(), Some(3), "only the latest texts are sent");
        assert!(r.pending());
        assert!(r.answered(3));
        assert!(!r.pending());
    }

    #[test]
    fn slow_only_for_the_busy_request_and_stop_clears_it() {
        let mut r = remote();
        r.changed();
        r.slow_at(7);
        assert!(!r.slow);
        r.slow_at(1);
        assert!(r.slow);
        r.stop();
        assert!(!r.slow && !r.pending() && r.stopped);
        assert!(!r.answered(1), "the stopped request's answer is dropped");
        r.changed();
        assert_eq!(r.outbox, Some(2));
        assert!(!r.stopped);
    }
}
