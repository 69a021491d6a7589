//! The page's bookkeeping of the core running in the worker (no DOM here, tested natively):
//! events are numbered and queued; one batch is in flight at a time, and while it runs new
//! events wait, consecutive edits of one editor (and hovers) collapsing into the last one. A
//! reply for older text never overwrites what was typed since: the page keeps the edits the
//! worker has not answered yet. A reply leaves out the texts the worker knows the page has.

use std::rc::Rc;

use crate::app::{
    encode, enqueue, restore_baseline, restore_saved, DiagVm, Editor, Event, LintVm, Page, Part,
    Parts, Reply, Startup, Texts, ToWorker,
};

/// The page's side of the protocol.
#[derive(Debug, Default)]
pub struct Remote {
    next_seq: u32,
    queue: Vec<(u32, Event)>,
    /// The last number of the batch in flight (`Some(0)` for the start).
    in_flight: Option<u32>,
    /// The edits not answered yet, with their numbers.
    edits: Vec<(u32, Editor, String)>,
    /// When the timed events not yet shown happened (`performance.now()`), with their numbers.
    unshown: Vec<(f64, u32)>,
    /// The big parts of the last page (a reply leaves out those that did not change).
    parts: Parts,
    /// The editors' texts as the worker last had them (a reply leaves them out when they are
    /// these).
    texts: Texts,
    /// The last lints shown (and their gutter marks), kept on screen while newer ones are
    /// pending.
    shown_lints: Option<ShownLints>,
    /// The baseline of the last `Effect::Save` read (a reply leaves it out when it is this one).
    baseline: Option<String>,
}

/// Lints as the list shows them, and as the editors' gutters mark them.
type ShownLints = (Rc<Vec<LintVm>>, Rc<Vec<DiagVm>>);

/// What a reply means for the page.
#[derive(Debug)]
pub struct Replied {
    pub page: Page,
    pub effects: Vec<crate::app::Effect>,
    /// The batch in flight is done (a reply of the worker's own deferred work is not).
    pub done: bool,
    /// When the first event this page shows happened, for "evaluated in N ms".
    pub t0: Option<f64>,
    /// The worker's time on the reply (ms).
    pub worker_ms: f64,
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
        self.unshown.push((now, 0));
        encode(&ToWorker::Start(Box::new(startup.clone())))
    }

    /// The number of the last event of the batch in flight.
    pub fn in_flight(&self) -> Option<u32> {
        self.in_flight
    }

    /// Queues an event; returns the batch to post (and its last number) when none is in flight.
    pub fn push(&mut self, ev: Event, now: f64) -> Option<(u32, String)> {
        self.next_seq += 1;
        let seq = self.next_seq;
        if timed(&ev) {
            self.unshown.push((now, seq));
        }
        if let Event::Edit(e, text) = &ev {
            self.edits.push((seq, *e, text.clone()));
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
            mut effects,
            same,
            worker_ms,
        } = r;
        // The worker's texts: the last edit it read, or the last text it sent.
        for (_, e, text) in self.edits.iter().filter(|(s, ..)| *s <= seq) {
            self.texts.typed(*e, text);
        }
        self.edits.retain(|(s, ..)| *s > seq);
        self.parts.restore(&mut page, &same, &self.texts);
        self.texts.typed(Editor::Policies, &page.vm.policies_text);
        self.texts.typed(Editor::Cluster, &page.vm.cluster_text);
        if same.contains(&Part::SavedTexts) {
            restore_saved(&mut effects, &page);
        }
        restore_baseline(
            &mut effects,
            same.contains(&Part::SavedBaseline),
            &mut self.baseline,
        );
        self.keep_lints(&mut page);
        let done = self.in_flight.is_some_and(|f| seq >= f);
        if done {
            self.in_flight = None;
        }
        // The editors keep what was typed since.
        for (_, e, text) in &self.edits {
            match e {
                Editor::Policies => page.vm.policies_text.clone_from(text),
                Editor::Cluster => page.vm.cluster_text.clone_from(text),
            }
        }
        let shown = self.unshown.iter().take_while(|(_, s)| *s <= seq).count();
        let t0 = self.unshown.drain(..shown).next().map(|(t, _)| t);
        Replied {
            page,
            effects,
            done,
            t0,
            worker_ms,
        }
    }

    /// While the worker recomputes the lints (`Page::lints_pending`), the page shows the last
    /// ones it had instead of none.
    fn keep_lints(&mut self, page: &mut Page) {
        match &self.shown_lints {
            Some((lints, diags)) if page.lints_pending && page.lints.is_empty() => {
                page.lints = Rc::clone(lints);
                page.lint_diags = Rc::clone(diags);
            }
            _ => self.shown_lints = Some((Rc::clone(&page.lints), Rc::clone(&page.lint_diags))),
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

#[cfg(test)]
mod tests {
    use super::Remote;
    use crate::app::{serve_start, Editor, Effect, Event, FromWorker, Part, Startup, ToWorker};

    fn sent(json: &str) -> Vec<(u32, Event)> {
        match serde_json::from_str(json) {
            Ok(ToWorker::Events(b)) => b,
            other => panic!("not a batch: {other:?}"),
        }
    }

    fn edit(text: &str) -> Event {
        Event::Edit(Editor::Policies, text.to_string())
    }

    /// The page and the core in one: what the worker answers, through JSON both ways.
    #[test]
    fn typing_while_a_batch_runs_keeps_the_newest_text() {
        let mut remote = Remote::default();
        let start = remote.start(&Startup::default(), 0.0);
        let Ok(ToWorker::Start(startup)) = serde_json::from_str(&start) else {
            panic!("not a start: {start}");
        };
        let (mut core, first, _) = serve_start(*startup);
        let first = remote.reply(first);
        assert!(first.done);
        assert_eq!(first.t0, Some(0.0));
        let base = first.page.vm.policies_text.clone();

        // The first keystroke goes at once; the next ones wait, and collapse into the last.
        let (seq, json) = remote.push(edit(&format!("{base}#a")), 1.0).expect("sent");
        assert_eq!(remote.push(edit(&format!("{base}#ab")), 2.0), None);
        assert_eq!(remote.push(Event::Hover(Some("app/api".into())), 3.0), None);
        assert_eq!(remote.push(edit(&format!("{base}#abc")), 4.0), None);
        assert_eq!(remote.in_flight(), Some(seq));

        // The answer to the first keystroke keeps the text typed since, and is timed from it.
        let (reply, timers) = core.serve(sent(&json));
        assert!(!timers.is_empty(), "a keystroke defers the lints");
        // A comment changes no flow: the matrix and the policy list are not sent again, nor the
        // text the page typed (also not in the work to save), and the page keeps them.
        for part in [
            Part::Matrix,
            Part::PolicyList,
            Part::PoliciesText,
            Part::ClusterText,
            Part::SavedTexts,
        ] {
            assert!(reply.same.contains(&part), "{part:?} sent again");
        }
        assert!(reply.page.vm.matrix.is_none() && reply.page.vm.policy_list.is_empty());
        assert!(reply.page.vm.policies_text.is_empty());
        let json = serde_json::to_string(&FromWorker::Reply(Box::new(reply))).unwrap();
        let Ok(FromWorker::Reply(reply)) = serde_json::from_str(&json) else {
            panic!("not a reply");
        };
        let r = remote.reply(*reply);
        assert!(r.done);
        assert_eq!(r.t0, Some(1.0));
        assert_eq!(r.page.vm.policies_text, format!("{base}#abc"));
        assert_eq!(r.page.vm.matrix, first.page.vm.matrix);
        assert_eq!(r.page.vm.policy_list, first.page.vm.policy_list);
        assert_eq!(r.page.vm.cluster_text, first.page.vm.cluster_text);
        let saved = r.effects.iter().find_map(|e| match e {
            Effect::Save(s) => Some(s),
            _ => None,
        });
        assert_eq!(
            saved.map(|s| s.policies.as_str()),
            Some(&*format!("{base}#a"))
        );
        assert_eq!(saved.map(|s| &s.cluster), Some(&first.page.vm.cluster_text));

        // The queued events go as one batch: the edit, the hover, the last edit.
        let (_, json) = remote.flush().expect("the queued events");
        let batch = sent(&json);
        assert_eq!(
            batch.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>(),
            vec![
                edit(&format!("{base}#ab")),
                Event::Hover(Some("app/api".into())),
                edit(&format!("{base}#abc")),
            ]
        );
        let (reply, timers) = core.serve(batch);
        let r = remote.reply(reply);
        assert!(r.done && remote.in_flight().is_none());
        assert_eq!(r.page.vm.policies_text, format!("{base}#abc"));
        assert_eq!(r.t0, Some(2.0));

        // A timer of an earlier keystroke does nothing; the last one computes the lints.
        let last = *timers.last().expect("a timer");
        assert!(core.idle(last.wrapping_sub(1)).is_none());
        let (idle, more) = core.idle(last).expect("the deferred work");
        assert!(more.is_empty());
        let r = remote.reply(idle);
        assert!(!r.done, "the worker's own reply finishes no batch");
        let lints = r.page.lints.clone();

        // A comment typed after the lints were computed keeps them, and does not send them again.
        let (_, json) = remote
            .push(edit(&format!("{base}#abcd")), 5.0)
            .expect("sent");
        let (reply, _) = core.serve(sent(&json));
        assert!(reply.same.contains(&Part::Lints) && reply.page.lints.is_empty());
        assert_eq!(remote.reply(reply).page.lints, lints);
    }

    /// The lints a reply carries (by line) and whether newer ones are pending, and the lints
    /// the page then shows: the last ones while pending, so the list does not flicker.
    #[test]
    fn pending_lints_keep_the_last_ones_on_screen() {
        use crate::app::LintVm;
        use netpol_engine::Severity;
        use std::rc::Rc;

        let lint = |line: u32| LintVm {
            editor: Editor::Policies,
            line,
            col: 1,
            severity: Severity::Warning,
            code: "or-bug".into(),
            message: String::new(),
            fix: String::new(),
        };
        let cases: [(&[u32], bool, &[u32]); 6] = [
            (&[], true, &[]),
            (&[3, 7], false, &[3, 7]),
            (&[], true, &[3, 7]),
            (&[], true, &[3, 7]),
            (&[4], false, &[4]),
            // Not pending (the input has errors, or an exercise hides them): none.
            (&[], false, &[]),
        ];
        let mut remote = Remote::default();
        remote.start(&Startup::default(), 0.0);
        let (_, first, _) = serve_start(Startup::default());
        for (i, (given, pending, shown)) in cases.into_iter().enumerate() {
            let mut reply = first.clone();
            reply.page.lints = Rc::new(given.iter().map(|&l| lint(l)).collect());
            reply.page.lints_pending = pending;
            let page = remote.reply(reply).page;
            let lines: Vec<u32> = page.lints.iter().map(|l| l.line).collect();
            assert_eq!(lines, shown, "reply {i}: {given:?}, pending: {pending}");
        }
    }

    #[test]
    fn a_stop_forgets_the_queue_and_the_texts_typed() {
        let mut remote = Remote::default();
        remote.start(&Startup::default(), 0.0);
        assert_eq!(remote.push(edit("a"), 1.0), None);
        remote.reset();
        assert_eq!(remote.in_flight(), None);
        let (seq, _) = remote.push(edit("b"), 2.0).expect("sent at once");
        assert!(seq > 1, "numbers keep increasing across workers");
    }

    /// The saved work of a reply through JSON: the worker leaves out a pinned baseline it sent
    /// already, and the page puts it back; a cleared one is saved as none.
    #[test]
    fn a_pinned_baseline_is_sent_once() {
        use crate::app::DiffEvent;
        let mut remote = Remote::default();
        let start = remote.start(&Startup::default(), 0.0);
        let Ok(ToWorker::Start(startup)) = serde_json::from_str(&start) else {
            panic!("not a start: {start}");
        };
        let (mut core, first, _) = serve_start(*startup);
        let base = remote.reply(first).page.vm.policies_text;
        let mut round = |ev: Event, now: f64| {
            let (_, json) = remote.push(ev, now).expect("sent");
            let (reply, _) = core.serve(sent(&json));
            let json = serde_json::to_string(&FromWorker::Reply(Box::new(reply))).unwrap();
            let Ok(FromWorker::Reply(reply)) = serde_json::from_str(&json) else {
                panic!("not a reply");
            };
            let stripped = reply.same.contains(&Part::SavedBaseline);
            let saved = |effects: &[Effect]| {
                effects.iter().find_map(|e| match e {
                    Effect::Save(s) => Some(s.baseline.clone()),
                    _ => None,
                })
            };
            let sent_baseline = saved(&reply.effects);
            let read = saved(&remote.reply(*reply).effects);
            (stripped, sent_baseline, read)
        };
        // (event) → (left out, the baseline sent, the baseline the page saves).
        let pinned = Some(Some(base.clone()));
        let cases = [
            (
                Event::Diff(DiffEvent::PinBaseline),
                false,
                pinned.clone(),
                pinned.clone(),
            ),
            (edit(&format!("{base}#a")), true, Some(None), pinned.clone()),
            (edit(&format!("{base}#ab")), true, Some(None), pinned),
            (
                Event::Diff(DiffEvent::ClearBaseline),
                false,
                Some(None),
                Some(None),
            ),
            (edit(&format!("{base}#abc")), false, Some(None), Some(None)),
        ];
        for (i, (ev, stripped, sent_baseline, read)) in cases.into_iter().enumerate() {
            let got = round(ev, i as f64 + 1.0);
            assert_eq!(got, (stripped, sent_baseline, read), "step {i}");
        }
    }
}
