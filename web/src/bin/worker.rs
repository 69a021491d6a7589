//! The evaluation Web Worker: parse, compile, matrices and lints off the page's main thread.
//! Trunk builds it as a second wasm entry (`data-type="worker"` in `index.html`); it holds no
//! Yew. It reads `app::Request`s as JSON and answers `app::Reply`s (`app/wire.rs`); the page runs
//! two instances, one evaluating and one linting. Latest wins here too: a request that arrives
//! while another waits replaces it.

#[cfg(target_arch = "wasm32")]
fn main() {
    run::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod run {
    use std::cell::{Cell, RefCell};

    use netpol_web::app::{answer, encode, Reply, Request};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    thread_local! {
        /// The latest request not yet answered.
        static LATEST: RefCell<Option<Request>> = const { RefCell::new(None) };
        static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        JsValue::from(js_sys::global()).unchecked_into()
    }

    fn post(json: String) {
        let _ = scope().post_message(&json.into());
    }

    pub fn start() {
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|m: MessageEvent| {
            let Some(req) = m
                .data()
                .as_string()
                .and_then(|s| serde_json::from_str::<Request>(&s).ok())
            else {
                return;
            };
            LATEST.with(|l| *l.borrow_mut() = Some(req));
            // Answer from a task of its own, so that the requests already queued are read
            // (and replace this one) first.
            if !SCHEDULED.with(|s| s.replace(true)) {
                let cb = Closure::once_into_js(answer_latest);
                let _ = scope()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
            }
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        post(encode(&Reply::Ready));
    }

    fn answer_latest() {
        SCHEDULED.with(|s| s.set(false));
        if let Some(req) = LATEST.with(|l| l.borrow_mut().take()) {
            post(answer(req));
        }
    }
}
