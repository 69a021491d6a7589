//! The page's side of the core's Web Worker (`src/bin/worker.rs`, built by Trunk as
//! `netpol-worker_loader.js`): starting it, posting JSON strings, and handing its messages (or
//! its failure) to a callback. What to send and when is `remote.rs`.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};
use yew::prelude::*;

/// The worker's loader script (Trunk's `data-loader-shim`), relative to the page.
pub const WORKER_URL: &str = "./netpol-worker_loader.js";

/// What the worker says.
pub enum WorkerMsg {
    /// A message (JSON of `app::FromWorker`).
    Message(String),
    /// It failed, or never started (the sentence says which).
    Failed(String),
}

/// A running worker and its handlers; dropping it terminates the worker.
pub struct WorkerClient {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl WorkerClient {
    /// Starts the worker; `Err` says why it cannot be (e.g. a page opened from `file://`).
    pub fn spawn(on_msg: Callback<WorkerMsg>) -> Result<WorkerClient, String> {
        let worker = Worker::new(WORKER_URL).map_err(|e| {
            let detail = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default();
            format!("this browser did not let the page start its Web Worker ({detail})")
        })?;
        let on_message = {
            let on_msg = on_msg.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |m: MessageEvent| {
                if let Some(json) = m.data().as_string() {
                    on_msg.emit(WorkerMsg::Message(json));
                }
            })
        };
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            on_msg.emit(WorkerMsg::Failed(
                "its Web Worker failed or could not load its files".to_string(),
            ));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerClient {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    pub fn post(&self, json: String) {
        let _ = self.worker.post_message(&json.into());
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// The page without its worker: what happened and what to do, instead of a blank page.
pub fn worker_error(detail: &str) -> Html {
    html! {
        <p class="loading load-error" role="alert" data-testid="worker-error">
            { format!("The playground cannot evaluate anything: {detail}. ") }
            { "It needs to be served over http(s) (a page opened from a file:// address cannot start \
               Web Workers): run scripts/serve.sh, or host every file of the build next to index.html, \
               then reload the page." }
        </p>
    }
}
