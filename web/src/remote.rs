//! The page's bookkeeping of the core running in the worker (no DOM here, tested natively):
//! events are numbered and queued; one batch is in flight at a time, and while it runs new
//! events wait, consecutive edits of one editor (and hovers) collapsing into the last one. A
//! reply for older text never overwrites what was typed since: the page keeps each editor's text
//! with the number of its last local edit.

use crate::app::{encode, enqueue, Editor, Event, Page, Reply, Startup, ToWorker};

/// The page's side of the protocol.
#[derive(Debug, Default)]
pub struct Remote {
    next_seq: u32,
    queue: Vec<(u32, Event)>,
    /// The last number of the batch in flight (`Some(0)` for the start).
    in_flight: Option<u32>,
    /// Per editor (policies, cluster): the number and text of the last local edit.
    typed: [Option<(u32, String)>; 2],
    /// When the earliest event not yet shown happened (`performance.now()`), and its number.
    t0: Option<(f64, u32)>,
}

/// What a reply means for the page.
#[derive(Debug)]
pub struct Replied {
    pub page: Page,
    pub effects: Vec<crate::app::Effect>,
    /// The batch in flight is done (a reply of the worker's own deferred work is not).
    pub done: bool,
    /// When the first event this page shows happened, for "evaluated in N ms".
    pub t0: Option<f64>,
}

fn slot(e: Editor) -> usize {
    match e {
        Editor::Policies => 0,
        Editor::Cluster => 1,
    }
}

/// Events whose result the status line times (an edit, a new scenario, another port or view).
pub fn timed(ev: &Event) -> bool {
    matches!(
        ev,
        Event::Edit(..)
            | Event::LoadExample(_)
            | Event::ResetExample
            | Event::LoadFiles(..)
            | Event::GroupReplicas(_)
            | Event::SelectPort(_)
            | Event::SelectView(_)
    )
}

impl Remote {
    /// The worker reads messages: the start message to post (its reply is awaited like a batch).
    pub fn start(&mut self, startup: &Startup, now: f64) -> String {
        self.in_flight = Some(0);
        self.t0 = Some((now, 0));
        encode(&ToWorker::Start(startup.clone()))
    }

    /// The number of the last event of the batch in flight.
    pub fn in_flight(&self) -> Option<u32> {
        self.in_flight
    }

    /// Queues an event; returns the batch to post (and its last number) when none is in flight.
    pub fn push(&mut self, ev: Event, now: f64) -> Option<(u32, String)> {
        self.next_seq += 1;
        let seq = self.next_seq;
        if timed(&ev) && self.t0.is_none() {
            self.t0 = Some((now, seq));
        }
        if let Event::Edit(e, text) = &ev {
            self.typed[slot(*e)] = Some((seq, text.clone()));
        }
        enqueue(&mut self.queue, seq, ev);
        self.flush()
    }

    /// The queued events as one batch, unless a batch is in flight or nothing waits.
    pub fn flush(&mut self) -> Option<(u32, String)> {
        if self.in_flight.is_some() || self.queue.is_empty() {
            return None;
        }
        let batch = std::mem::take(&mut self.queue);
        let last = batch.last().map_or(0, |(s, _)| *s);
        self.in_flight = Some(last);
        Some((last, encode(&ToWorker::Events(batch))))
    }

    /// A reply of the worker. The editors keep the text typed after the events it answers.
    pub fn reply(&mut self, r: Reply) -> Replied {
        let Reply {
            seq,
            mut page,
            effects,
        } = r;
        let done = self.in_flight.is_some_and(|f| seq >= f);
        if done {
            self.in_flight = None;
        }
        for (i, typed) in self.typed.iter().enumerate() {
            if let Some((s, text)) = typed {
                if *s > seq {
                    let shown = if i == 0 {
                        &mut page.vm.policies_text
                    } else {
                        &mut page.vm.cluster_text
                    };
                    shown.clone_from(text);
                }
            }
        }
        let t0 = match self.t0 {
            Some((t, s)) if seq >= s => {
                self.t0 = None;
                Some(t)
            }
            _ => None,
        };
        Replied {
            page,
            effects,
            done,
            t0,
        }
    }

    /// Forgets everything in flight and queued (the worker was stopped); the next start's
    /// page replaces the editors' texts.
    pub fn reset(&mut self) {
        let next_seq = self.next_seq;
        *self = Remote::default();
        self.next_seq = next_seq;
    }
}
