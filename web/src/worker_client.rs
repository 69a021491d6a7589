//! The page's side of the evaluation Web Worker (`src/bin/worker.rs`, built by Trunk as
//! `netpol-worker_loader.js`): starting it, sending the core's requests as JSON, and turning its
//! replies into `Event::Worker`. Messages sent before the worker says `Ready` would be lost, so
//! the latest one waits here until then. The core decides what to send and when (latest-wins is
//! `app::Requests`); this file only talks to `Worker`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

use crate::app::{decode_reply, encode, is_ready, Event, Request, Source, WorkerEvent};

/// The worker's loader script (Trunk's `data-loader-shim`), relative to the page.
pub const WORKER_URL: &str = "./netpol-worker_loader.js";

/// A running worker and its message handlers.
pub struct WorkerClient {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    /// The request waiting for `Ready`.
    outbox: Rc<RefCell<Option<String>>>,
    /// The texts of the request in flight: an evaluation for them gets them.
    in_flight: Rc<RefCell<Source>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl WorkerClient {
    /// Starts the worker; `Err` says why it could not be (e.g. pages opened from `file://`).
    /// Its replies, and its failure to start, become events sent to `on_event`.
    pub fn spawn(on_event: Callback<Event>) -> Result<WorkerClient, String> {
        let worker = Worker::new(WORKER_URL)
            .map_err(|_| "this page cannot start a Web Worker.".to_string())?;
        let ready = Rc::new(Cell::new(false));
        let outbox: Rc<RefCell<Option<String>>> = Rc::new(RefCell::new(None));
        let in_flight = Rc::new(RefCell::new(Source::default()));
        let on_message = {
            let (worker, ready, outbox, in_flight) = (
                worker.clone(),
                Rc::clone(&ready),
                Rc::clone(&outbox),
                Rc::clone(&in_flight),
            );
            let on_event = on_event.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |m: MessageEvent| {
                let Some(json) = m.data().as_string() else {
                    return;
                };
                if is_ready(&json) {
                    ready.set(true);
                    if let Some(msg) = outbox.borrow_mut().take() {
                        let _ = worker.post_message(&msg.into());
                    }
                    return;
                }
                if let Some(ev) = decode_reply(&json, || in_flight.borrow().clone()) {
                    on_event.emit(Event::Worker(ev));
                }
            })
        };
        let on_error = {
            let ready = Rc::clone(&ready);
            Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                e.prevent_default();
                let reason = if ready.get() {
                    "the evaluation worker failed."
                } else {
                    "the evaluation worker did not start."
                };
                on_event.emit(Event::Worker(WorkerEvent::Unavailable(reason.to_string())));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerClient {
            worker,
            ready,
            outbox,
            in_flight,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends a request (or keeps it until the worker is ready; a newer one replaces it).
    pub fn send(&self, req: &Request) {
        *self.in_flight.borrow_mut() = req.source.clone();
        let msg = encode(req);
        if self.ready.get() {
            let _ = self.worker.post_message(&msg.into());
        } else {
            *self.outbox.borrow_mut() = Some(msg);
        }
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
