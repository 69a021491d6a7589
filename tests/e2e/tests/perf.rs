//! Performance of the playground in headless Chromium (release build): typing never blocks the
//! page, because evaluation runs in the Web Worker.
//!
//! - Workshop size (50 pods, 30 policies, the bench generator's `WORKSHOP`), typed into the
//!   editor: keystroke → updated matrix (the page's `data-ms`) and the main thread's long tasks
//!   while typing are printed. They are the page's rendering (matrix widget, editors): a build
//!   evaluating on the main thread shows the same, so they are not asserted here.
//! - 1,000 pods × 300 policies (`LARGE`): keystrokes sent to the evaluation worker as the page
//!   sends them; fails unless the worker evaluates them. Keystroke → evaluation back on the main
//!   thread, the reply's size and the main thread's long tasks are printed. Rendering a matrix
//!   of that size waits for the matrix widget's virtualisation, so it is not loaded into the page.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use netpol_e2e::{dist_dir, js, set_viewport, wait_js, Chromedriver, StaticServer};
use serde_json::{json, Value};

#[allow(dead_code)]
#[path = "../../../crates/engine/benches/gen.rs"]
mod gen;

const T: Duration = Duration::from_secs(60);
const KEYSTROKES: usize = 12;

/// Starts a PerformanceObserver collecting the main thread's long tasks (ms) in `__longTasks`.
const OBSERVE_LONG_TASKS: &str = "window.__longTasks = [];
    new PerformanceObserver(l => l.getEntries().forEach(e => window.__longTasks.push(e.duration)))
      .observe({ type: 'longtask' });
    return true;";

/// Sets an editor's text as typing does (value + `input`), clearing the page's figure first.
const TYPE: &str = "const e = document.querySelector('[data-testid=eval-time]');
    e.removeAttribute('data-ms');
    const t = document.querySelector(arguments[0]);
    t.value = arguments[1];
    t.dispatchEvent(new Event('input', { bubbles: true }));
    return true;";

const DATA_MS: &str =
    "return document.querySelector('[data-testid=eval-time]').getAttribute('data-ms');";

async fn type_text(c: &Client, editor: &str, text: &str) -> Result<f64, String> {
    js(c, TYPE, vec![json!(editor), json!(text)]).await?;
    let v = wait_js(c, "data-ms after typing", T, DATA_MS, vec![]).await?;
    v.as_str()
        .and_then(|s| s.parse::<f64>().ok())
        .ok_or_else(|| format!("data-ms is not a number: {v}"))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The text after `k` keystrokes typed into a comment at its end.
fn typed(text: &str, k: usize) -> String {
    format!("{text}\n# {}", "x".repeat(k))
}

async fn workshop(c: &Client) -> Result<(), String> {
    let g = gen::generate(gen::WORKSHOP);
    type_text(c, "[data-testid=cluster-editor]", &g.cluster).await?;
    type_text(c, "[data-testid=policies-editor]", &g.policies).await?;
    wait_js(
        c,
        "the workshop matrix",
        T,
        "return document.querySelectorAll('button[data-from][data-verdict]').length >= 2500 || null;",
        vec![],
    )
    .await
    .ok();
    js(c, OBSERVE_LONG_TASKS, vec![]).await?;
    let mut ms = Vec::new();
    for k in 1..=KEYSTROKES {
        ms.push(type_text(c, "[data-testid=policies-editor]", &typed(&g.policies, k)).await?);
    }
    let long = js(c, "return window.__longTasks;", vec![]).await?;
    let long: Vec<f64> = long
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    let worst = long.iter().copied().fold(0.0, f64::max);
    let med = median(&mut ms);
    println!(
        "workshop (50 pods, 30 policies): keystroke → updated matrix median {med:.1} ms, max {:.1} ms over {KEYSTROKES} keystrokes; {} long tasks, longest {worst:.1} ms",
        ms.last().copied().unwrap_or(0.0),
        long.len()
    );
    // Printed, not asserted: at this size the figures are the page's rendering (the matrix widget
    // and the editors), not evaluation; a build evaluating on the main thread shows the same.
    Ok(())
}

/// Sends `KEYSTROKES` requests for `LARGE` to a worker of the page, one after the other as the
/// page does, and records keystroke → reply parsed on the main thread, and the long tasks.
const LARGE_RUN: &str = "const [policies, cluster, n] = arguments;
    window.__large = null;
    window.__longTasks = [];
    new PerformanceObserver(l => l.getEntries().forEach(e => window.__longTasks.push(e.duration)))
      .observe({ type: 'longtask' });
    const w = new Worker('./netpol-worker_loader.js');
    const times = [], parse = [];
    let bytes = 0, k = 0, t0 = 0;
    const send = () => {
      t0 = performance.now();
      const text = policies + '\\n# ' + 'x'.repeat(k);
      w.postMessage(JSON.stringify({ seq: k, source: { policies: text, cluster, group_replicas: false }, lint: false }));
    };
    w.onmessage = m => {
      if (m.data === '\"Ready\"') { send(); return; }
      const p0 = performance.now();
      const r = JSON.parse(m.data);
      parse.push(performance.now() - p0);
      times.push(performance.now() - t0);
      bytes = m.data.length;
      const ok = r.Evaluated && r.Evaluated.result !== null;
      if (!ok) { window.__large = { error: m.data.slice(0, 300) }; return; }
      k += 1;
      if (k < n) send(); else { w.terminate(); window.__large = { times, parse, bytes, endpoints: r.Evaluated.result.endpoints.length }; }
    };
    return true;";

async fn large(c: &Client) -> Result<(), String> {
    let g = gen::generate(gen::LARGE);
    let t = Instant::now();
    js(
        c,
        LARGE_RUN,
        vec![json!(g.policies), json!(g.cluster), json!(KEYSTROKES)],
    )
    .await?;
    let r = wait_js(
        c,
        "the worker's answers at 1,000 × 300",
        Duration::from_secs(300),
        "return window.__large;",
        vec![],
    )
    .await?;
    if let Some(e) = r.get("error") {
        return Err(format!(
            "the worker did not evaluate the large scenario: {e}"
        ));
    }
    let nums = |k: &str| -> Vec<f64> {
        r[k].as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    let mut times = nums("times");
    let first = times.first().copied().unwrap_or(0.0);
    let mut parse = nums("parse");
    let long = js(c, "return window.__longTasks;", vec![]).await?;
    let long: Vec<f64> = long
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    println!(
        "large ({} endpoints, 300 policies), in the worker: keystroke → evaluation on the main thread median {:.1} ms (first {first:.1} ms); JSON.parse of the reply median {:.1} ms; reply {} KB; main-thread long tasks {} (longest {:.1} ms); {:?} in all",
        r["endpoints"],
        median(&mut times),
        median(&mut parse),
        r["bytes"].as_f64().unwrap_or(0.0) / 1024.0,
        long.len(),
        long.iter().copied().fold(0.0, f64::max),
        t.elapsed()
    );
    Ok(())
}

async fn steps(c: &Client, base: &str) -> Result<(), String> {
    c.goto(base).await.map_err(|e| format!("goto: {e}"))?;
    set_viewport(c, 1280, 800).await?;
    c.wait()
        .at_most(T)
        .for_element(Locator::Css("[data-testid=eval-time][data-ms]"))
        .await
        .map_err(|e| format!("the page did not render: {e}"))?;
    workshop(c).await?;
    large(c).await
}

#[tokio::test(flavor = "current_thread")]
async fn typing_never_blocks_the_page() {
    let server = StaticServer::start(dist_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let result = steps(&client, &server.url()).await;
    let _ = client.close().await;
    drop(driver);
    drop(server);
    if let Err(e) = result {
        panic!("{e}");
    }
}
