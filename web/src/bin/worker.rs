//! The playground's core in a Web Worker: the state, `update`, the view models and the engine
//! run here, off the page's main thread. Trunk builds it as a second wasm entry
//! (`data-type="worker"` in `index.html`); it holds no Yew. It reads `app::ToWorker` messages as
//! JSON and answers `app::FromWorker` (`app/protocol.rs`). The timers of deferred work
//! (`Effect::WaitForIdle`) run here: when one runs out, the lints and variants are computed and a
//! new page is sent.

#[cfg(target_arch = "wasm32")]
fn main() {
    run::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod run {
    use std::cell::RefCell;

    use netpol_web::app::{encode, serve_start, FromWorker, Reply, Served, ToWorker, IDLE_MS};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    thread_local! {
        static CORE: RefCell<Option<Served>> = const { RefCell::new(None) };
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        JsValue::from(js_sys::global()).unchecked_into()
    }

    fn post(msg: &FromWorker) {
        let _ = scope().post_message(&encode(msg).into());
    }

    pub fn start() {
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|m: MessageEvent| {
            let t0 = now();
            let Some(msg) = m
                .data()
                .as_string()
                .and_then(|s| serde_json::from_str::<ToWorker>(&s).ok())
            else {
                return;
            };
            let answer = CORE.with(|c| {
                let mut c = c.borrow_mut();
                match msg {
                    ToWorker::Start(startup) => {
                        let (served, reply, timers) = serve_start(*startup);
                        *c = Some(served);
                        Some((reply, timers))
                    }
                    ToWorker::Events(events) => c.as_mut().map(|s| s.serve(events)),
                }
            });
            if let Some((reply, timers)) = answer {
                send(reply, timers, t0);
            }
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        post(&FromWorker::Ready);
    }

    /// `performance.now()` of the worker (ms).
    fn now() -> f64 {
        scope().performance().map_or(0.0, |p| p.now())
    }

    /// Posts a reply to work that started at `t0`, and starts the timers of deferred work.
    fn send(mut reply: Reply, timers: Vec<u32>, t0: f64) {
        let json = {
            reply.worker_ms = now() - t0;
            encode(&FromWorker::Reply(Box::new(reply)))
        };
        let _ = scope().post_message(&json.into());
        // The evaluation the reply replaced is freed now that the page has its answer.
        CORE.with(|c| {
            if let Some(s) = c.borrow_mut().as_mut() {
                s.state.retired = None;
            }
        });
        for t in timers {
            let cb = Closure::once_into_js(move || {
                let t0 = now();
                if let Some((reply, timers)) =
                    CORE.with(|c| c.borrow_mut().as_mut().and_then(|s| s.idle(t)))
                {
                    send(reply, timers, t0);
                }
            });
            let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
                cb.unchecked_ref(),
                IDLE_MS as i32,
            );
        }
    }
}
