//! Performance of the playground in headless Chromium (release build, one browser session):
//! typing never blocks the page, because the core runs in its Web Worker (issue 12).
//!
//! - The default example (workshop size): keystrokes typed into the policies editor ~100 ms
//!   apart; keystroke → updated matrix (the page's `data-ms`: event → rendered page) median
//!   ≤ 16 ms.
//! - 1,000 pods × 300 policies (the bench generator's `LARGE`), loaded into the editors, then the
//!   same typing: no main-thread long task over 50 ms while typing (a `longtask`
//!   PerformanceObserver, installed before the keystrokes), and keystroke → updated matrix
//!   median ≤ `LARGE_MEDIAN_MS`.
//!
//! Every figure is printed. Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never
//! skips, without it.

use std::time::Duration;

use fantoccini::{Client, Locator};
use netpol_e2e::{dist_dir, js, set_viewport, wait_js, Chromedriver, StaticServer};
use serde_json::{json, Value};

#[allow(dead_code)]
#[path = "../../../crates/engine/benches/gen.rs"]
mod gen;

/// Long enough for the large scenario's first evaluation.
const T: Duration = Duration::from_secs(120);
const KEYSTROKES: usize = 10;
/// Issue 12's targets.
const WORKSHOP_MEDIAN_MS: f64 = 16.0;
const LARGE_MEDIAN_MS: f64 = 150.0;
const LONG_TASK_MS: f64 = 50.0;

/// Sets an editor's text as a paste does (value + `input`).
const SET: &str = "const t = document.querySelector(arguments[0]);
    t.value = arguments[1];
    t.dispatchEvent(new Event('input', { bubbles: true }));
    return true;";

/// Types `n` keystrokes at the end of the policies editor, `gap` ms apart, after installing a
/// long-task observer; records every `data-ms` the status line shows until the page has
/// answered the last keystroke, and the long tasks that started while typing.
const TYPE: &str = "const [n, gap] = arguments;
    window.__perf = null;
    const long = [];
    new PerformanceObserver(l => l.getEntries().forEach(e => long.push([e.startTime, e.duration])))
      .observe({ type: 'longtask', buffered: true });
    const status = document.querySelector('[data-testid=eval-time]');
    const ms = [];
    const seen = new MutationObserver(() => {
      const v = parseFloat(status.getAttribute('data-ms'));
      if (!Number.isNaN(v)) ms.push(v);
    });
    seen.observe(status, { attributes: true, attributeFilter: ['data-ms'] });
    const t = document.querySelector('[data-testid=policies-editor]');
    const start = performance.now();
    let k = 0;
    const key = () => {
      t.value = t.value + 'x';
      t.dispatchEvent(new Event('input', { bubbles: true }));
      k += 1;
      if (k < n) { setTimeout(key, gap); return; }
      const done = () => {
        if (document.documentElement.getAttribute('data-busy') === 'true') { setTimeout(done, 5); return; }
        // One more frame, so that the last page is rendered and its figure recorded.
        requestAnimationFrame(() => setTimeout(() => {
          seen.disconnect();
          window.__perf = { ms, long: long.filter(([s]) => s >= start).map(([, d]) => d) };
        }, 0));
      };
      done();
    };
    t.value = t.value + '\\n# ';
    t.dispatchEvent(new Event('input', { bubbles: true }));
    setTimeout(key, gap);
    return true;";

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// The figures of one typing run.
struct Typed {
    ms: Vec<f64>,
    long: Vec<f64>,
}

async fn type_keys(c: &Client) -> Result<Typed, String> {
    js(c, TYPE, vec![json!(KEYSTROKES), json!(100)]).await?;
    let r = wait_js(
        c,
        "the answers to the keystrokes",
        T,
        "return window.__perf;",
        vec![],
    )
    .await?;
    Ok(Typed {
        ms: numbers(&r["ms"]),
        long: numbers(&r["long"]),
    })
}

fn report(what: &str, t: &Typed) -> String {
    format!(
        "{what}: keystroke → updated matrix median {:.1} ms, max {:.1} ms over {} updates ({KEYSTROKES} keystrokes, 100 ms apart): {:?}; main-thread long tasks while typing: {} (longest {:.1} ms)",
        median(&t.ms),
        t.ms.iter().copied().fold(0.0, f64::max),
        t.ms.len(),
        t.ms.iter().map(|m| (m * 10.0).round() / 10.0).collect::<Vec<_>>(),
        t.long.len(),
        t.long.iter().copied().fold(0.0, f64::max),
    )
}

async fn loaded(c: &Client, what: &str, endpoints: usize) -> Result<(), String> {
    wait_js(
        c,
        what,
        T,
        "const s = document.querySelector('footer.status');
         return document.documentElement.getAttribute('data-busy') !== 'true'
           && s && s.textContent.includes(' ' + arguments[0] + ' pods') || null;",
        vec![json!(endpoints.to_string())],
    )
    .await
    .map(|_| ())
}

async fn steps(c: &Client, base: &str) -> Result<Vec<String>, String> {
    let mut failures = Vec::new();
    c.goto(base).await.map_err(|e| format!("goto: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    set_viewport(c, 1280, 800).await?;
    c.wait()
        .at_most(T)
        .for_element(Locator::Css("[data-testid=eval-time][data-ms]"))
        .await
        .map_err(|e| format!("the page did not render: {e}"))?;

    let small = type_keys(c).await?;
    println!("{}", report("default example (4 pods, 4 policies)", &small));
    if median(&small.ms) > WORKSHOP_MEDIAN_MS {
        failures.push(format!(
            "default example: median {:.1} ms > {WORKSHOP_MEDIAN_MS} ms",
            median(&small.ms)
        ));
    }

    let g = gen::generate(gen::WORKSHOP);
    js(
        c,
        SET,
        vec![json!("[data-testid=cluster-editor]"), json!(g.cluster)],
    )
    .await?;
    js(
        c,
        SET,
        vec![json!("[data-testid=policies-editor]"), json!(g.policies)],
    )
    .await?;
    loaded(c, "the workshop scenario", gen::WORKSHOP.pods).await?;
    let workshop = type_keys(c).await?;
    println!("{}", report("workshop (50 pods, 30 policies)", &workshop));

    let g = gen::generate(gen::LARGE);
    let t = std::time::Instant::now();
    js(
        c,
        SET,
        vec![json!("[data-testid=cluster-editor]"), json!(g.cluster)],
    )
    .await?;
    js(
        c,
        SET,
        vec![json!("[data-testid=policies-editor]"), json!(g.policies)],
    )
    .await?;
    loaded(c, "the large scenario", gen::LARGE.pods).await?;
    println!(
        "large (1,000 pods, 300 policies): loaded in {:?}",
        t.elapsed()
    );
    let large = type_keys(c).await?;
    println!("{}", report("large (1,000 pods, 300 policies)", &large));
    if median(&large.ms) > LARGE_MEDIAN_MS {
        failures.push(format!(
            "large: median {:.1} ms > {LARGE_MEDIAN_MS} ms",
            median(&large.ms)
        ));
    }
    for (what, t) in [("default example", &small), ("large", &large)] {
        let worst = t.long.iter().copied().fold(0.0, f64::max);
        if worst > LONG_TASK_MS {
            failures.push(format!(
                "{what}: a main-thread task of {worst:.1} ms while typing (> {LONG_TASK_MS} ms)"
            ));
        }
        if t.ms.is_empty() {
            failures.push(format!("{what}: no figure was shown while typing"));
        }
    }
    Ok(failures)
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
    match result {
        Ok(failures) if failures.is_empty() => {}
        Ok(failures) => panic!("{}", failures.join("\n")),
        Err(e) => panic!("{e}"),
    }
}
