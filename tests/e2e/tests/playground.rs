//! End-to-end test of the release build (`dist/`) in headless Chromium: the default scenario's
//! verdicts, live edits, diagnostics + stale marking, persistence across a reload, and the Why?
//! panel. One test with several steps, so Chromium starts once.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use netpol_e2e::{
    cell, dist_dir, expect_verdict, js, screenshot, set_viewport, target_dir, wait_js,
    Chromedriver, StaticServer,
};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);
const EDITOR: &str = "[data-testid=policies-editor]";
const CLUSTER_EDITOR: &str = "[data-testid=cluster-editor]";

/// A policy that allows every flow from and to namespace `app`; appended to the default policies
/// it turns `app/db` → `app/api` from deny into allow.
const ALLOW_ALL: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: e2e-allow-all
  namespace: app
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
  - {}
  egress:
  - {}
";

/// Selects `value` (e.g. `8080/TCP`) in the port picker, as a user would.
async fn select_port(c: &Client, value: &str) -> Result<(), String> {
    wait_js(
        c,
        &format!("port picker option {value}"),
        T,
        "return document.querySelector(`[data-testid=port-picker] option[value=\"${arguments[0]}\"]`) !== null;",
        vec![json!(value)],
    )
    .await?;
    let picker = c
        .find(Locator::Css("[data-testid=port-picker]"))
        .await
        .map_err(|e| format!("port picker: {e}"))?;
    picker
        .select_by_value(value)
        .await
        .map_err(|e| format!("select {value}: {e}"))?;
    wait_js(
        c,
        &format!("port picker to show {value}"),
        T,
        "return document.querySelector('[data-testid=port-picker]').value === arguments[0];",
        vec![json!(value)],
    )
    .await?;
    Ok(())
}

async fn policies_text(c: &Client) -> Result<String, String> {
    let v = js(
        c,
        "return document.querySelector(arguments[0]).value;",
        vec![json!(EDITOR)],
    )
    .await?;
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| "policies editor has no value".into())
}

/// Replaces the policies text as typing would (value + `input` event) and returns the time the
/// page reports for that edit, read from `[data-testid=eval-time]`'s `data-ms` (cleared first, so
/// the figure read is this edit's); `None` when the page shows no figure.
async fn set_policies(c: &Client, text: &str) -> Result<Option<f64>, String> {
    set_editor(c, EDITOR, text).await
}

/// Like [`set_policies`], for any editor.
async fn set_editor(c: &Client, editor: &str, text: &str) -> Result<Option<f64>, String> {
    let has_timer = js(
        c,
        "const e = document.querySelector('[data-testid=eval-time]');
         if (e) e.removeAttribute('data-ms');
         const t = document.querySelector(arguments[0]);
         t.focus();
         t.value = arguments[1];
         t.dispatchEvent(new Event('input', { bubbles: true }));
         return e !== null;",
        vec![json!(editor), json!(text)],
    )
    .await?;
    if has_timer != Value::Bool(true) {
        return Ok(None);
    }
    let ms = wait_js(
        c,
        "[data-testid=eval-time] data-ms after an edit",
        Duration::from_secs(5),
        "const e = document.querySelector('[data-testid=eval-time]');
         return e ? e.getAttribute('data-ms') : null;",
        vec![],
    )
    .await?;
    match ms {
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| format!("[data-testid=eval-time] data-ms is not a number: {s:?}")),
        other => Err(format!("unexpected eval-time value {other}")),
    }
}

fn drop_document(text: &str, name: &str) -> String {
    let needle = format!("name: {name}");
    let docs: Vec<&str> = split_docs(text);
    let kept: Vec<&str> = docs
        .into_iter()
        .filter(|d| !d.lines().any(|l| l.trim() == needle))
        .collect();
    kept.join("---\n")
}

/// Splits multi-document YAML at `---` lines, keeping each document's text.
fn split_docs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            out.push(&text[start..offset]);
            start = offset + line.len();
        }
        offset += line.len();
    }
    out.push(&text[start..]);
    out.into_iter().filter(|d| !d.trim().is_empty()).collect()
}

fn fmt_ms(ms: Option<f64>) -> String {
    ms.map_or_else(|| "n/a".into(), |v| format!("{v:.3} ms"))
}

/// Selects a port and returns the page's figure for it (`data-ms`, cleared first).
async fn select_port_timed(c: &Client, value: &str) -> Result<Option<f64>, String> {
    js(
        c,
        "const e = document.querySelector('[data-testid=eval-time]');
         if (e) e.removeAttribute('data-ms');
         return true;",
        vec![],
    )
    .await?;
    select_port(c, value).await?;
    let ms = wait_js(
        c,
        "data-ms after a port change",
        Duration::from_secs(5),
        "const e = document.querySelector('[data-testid=eval-time]');
         return e && e.getAttribute('data-ms');",
        vec![],
    )
    .await
    .ok();
    Ok(ms.and_then(|v| v.as_str().and_then(|s| s.trim().parse().ok())))
}

fn report_ms(label: &str, ms: Option<f64>, all: &mut Vec<f64>) {
    match ms {
        Some(v) => {
            println!("eval time after {label}: {v:.3} ms");
            all.push(v);
        }
        None => println!("eval time after {label}: no [data-testid=eval-time] on the page"),
    }
}

async fn steps(c: &Client, base: &str) -> Result<(), String> {
    let mut t0 = Instant::now();
    let mut lap = |name: &str| {
        println!("step {name}: {:?}", t0.elapsed());
        t0 = Instant::now();
    };
    let mut eval_ms = Vec::new();

    // 1. Load the page and wait for the app to render the default scenario.
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    set_viewport(c, 1280, 800).await?;
    c.wait()
        .at_most(T)
        .for_element(Locator::Css(EDITOR))
        .await
        .map_err(|e| format!("waiting for {EDITOR}: {e}"))?;
    lap("load");

    // 2. The default scenario's verdicts.
    select_port(c, "8080/TCP").await?;
    expect_verdict(c, "app/frontend", "app/api", "allow").await?;
    expect_verdict(c, "app/db", "app/api", "deny").await?;
    screenshot(c, &target_dir().join("e2e-default.png")).await?;
    select_port(c, "53/UDP").await?;
    expect_verdict(c, "app/frontend", "kube-system/coredns", "allow").await?;
    lap("default verdicts");

    let original = policies_text(c).await?;
    if !original
        .lines()
        .any(|l| l.trim() == "name: api-allow-frontend")
    {
        return Err(format!(
            "default policies lack api-allow-frontend:\n{original}"
        ));
    }

    // 3. Live edits change the cells.
    let with_allow_all = format!("{}\n---\n{ALLOW_ALL}", original.trim_end());
    let ms = set_policies(c, &with_allow_all).await?;
    select_port(c, "8080/TCP").await?;
    expect_verdict(c, "app/db", "app/api", "allow").await?;
    report_ms("adding e2e-allow-all", ms, &mut eval_ms);

    let without_api = drop_document(&original, "api-allow-frontend");
    let ms = set_policies(c, &without_api).await?;
    expect_verdict(c, "app/frontend", "app/api", "deny").await?;
    report_ms("removing api-allow-frontend", ms, &mut eval_ms);
    lap("edits");

    // 4. The work in progress survives a reload (localStorage).
    set_policies(c, &with_allow_all).await?;
    wait_js(
        c,
        "the edited policies to reach localStorage",
        T,
        "for (let i = 0; i < localStorage.length; i++) {
           if ((localStorage.getItem(localStorage.key(i)) || '').includes('e2e-allow-all')) return true;
         }
         return null;",
        vec![],
    )
    .await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    wait_js(
        c,
        "the edited policies after a reload",
        T,
        "const t = document.querySelector(arguments[0]); return t && t.value.includes('e2e-allow-all') ? true : null;",
        vec![json!(EDITOR)],
    )
    .await?;
    select_port(c, "8080/TCP").await?;
    expect_verdict(c, "app/db", "app/api", "allow").await?;
    lap("reload");

    // 5. A YAML error: a diagnostic on the right line, the last good result kept and marked stale.
    let ms = set_policies(c, &original).await?;
    report_ms("restoring the default policies", ms, &mut eval_ms);
    select_port(c, "8080/TCP").await?;
    expect_verdict(c, "app/db", "app/api", "deny").await?;
    let (idx, _) = original
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim() == "name: api-allow-frontend")
        .unwrap();
    let bad_line = idx + 1; // 1-based
    let broken: String = original
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if i == idx {
                l.replacen(
                    "name: api-allow-frontend",
                    "name: api-allow-frontend: oops",
                    1,
                )
            } else {
                l.to_string()
            }
        })
        .collect();
    let ms = set_policies(c, &broken).await?;
    report_ms("introducing a YAML error", ms, &mut eval_ms);
    wait_js(
        c,
        &format!("a diagnostic on line {bad_line}"),
        T,
        "return document.querySelector(`[data-testid=diagnostics] [data-line=\"${arguments[0]}\"]`) !== null;",
        vec![json!(bad_line.to_string())],
    )
    .await?;
    wait_js(
        c,
        "the stale banner",
        T,
        "return document.querySelector('[data-testid=stale]') !== null;",
        vec![],
    )
    .await?;
    expect_verdict(c, "app/frontend", "app/api", "allow").await?; // last good result stays
    screenshot(c, &target_dir().join("e2e-error.png")).await?;
    lap("yaml error");

    // 6. Fixing it clears the stale mark; clicking a cell explains it.
    set_policies(c, &original).await?;
    wait_js(
        c,
        "the stale banner to go",
        T,
        "return document.querySelector('[data-testid=stale]') === null;",
        vec![],
    )
    .await?;
    select_port(c, "8080/TCP").await?;
    expect_verdict(c, "app/frontend", "app/api", "allow").await?;
    let target = c
        .find(Locator::Css(&cell("app/frontend", "app/api")))
        .await
        .map_err(|e| format!("frontend -> api cell: {e}"))?;
    target
        .click()
        .await
        .map_err(|e| format!("click frontend -> api: {e}"))?;
    let text = wait_js(
        c,
        "the explanation to name app/api-allow-frontend",
        T,
        "const e = document.querySelector('[data-testid=explanation]');
         return e && e.textContent.includes('app/api-allow-frontend') ? e.textContent : null;",
        vec![],
    )
    .await?;
    let text: String = text
        .as_str()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    println!(
        "explanation: {}",
        text.chars().take(240).collect::<String>()
    );
    screenshot(c, &target_dir().join("e2e-explain.png")).await?;
    lap("explain");

    // 7. The page's own keystroke-to-view figure (report only, not asserted): small edits of the
    // default scenario, then of a workshop-size one (50 pods, 30 policies).
    if !eval_ms.is_empty() {
        let max = eval_ms.iter().cloned().fold(f64::MIN, f64::max);
        println!(
            "eval time over the test's edits: max {max:.3} ms over {} edits",
            eval_ms.len()
        );
    }
    timing_series(c, "default scenario", &original).await?;
    let (cluster, policies) = netpol_examples::workshop_scenario();
    let ms_cluster = set_editor(c, CLUSTER_EDITOR, &cluster).await?;
    let ms_policies = set_policies(c, &policies).await?;
    println!(
        "eval time, loading the workshop scenario: cluster paste {}, policies paste {}",
        fmt_ms(ms_cluster),
        fmt_ms(ms_policies)
    );
    let problems = js(
        c,
        "return [...document.querySelectorAll('[data-testid=diagnostics] [data-severity=error]')]
                  .map(e => e.innerText).join('\\n');",
        vec![],
    )
    .await?;
    if problems.as_str().is_some_and(|p| !p.is_empty()) {
        return Err(format!(
            "the workshop scenario has errors:\n{}",
            problems.as_str().unwrap()
        ));
    }
    // A port change re-renders the whole matrix: time it too (away from 8080/TCP and back).
    let other = js(
        c,
        "return [...document.querySelectorAll('[data-testid=port-picker] option')]
                  .map(o => o.value).find(v => v !== '8080/TCP' && v.includes('/')) || null;",
        vec![],
    )
    .await?;
    if let Some(other) = other.as_str() {
        for port in [other, "8080/TCP"] {
            let ms = select_port_timed(c, port).await?;
            println!(
                "eval time, workshop scenario, port change to {port}: {}",
                fmt_ms(ms)
            );
        }
    }
    select_port(c, "8080/TCP").await?;
    expect_verdict(c, "w1/p0", "w1/p7", "allow").await?;
    expect_verdict(c, "w1/p7", "w1/p0", "deny").await?;
    let cells = js(
        c,
        "return document.querySelectorAll('[data-from][data-to][data-verdict]').length;",
        vec![],
    )
    .await?;
    println!("workshop scenario: 50 pods, 30 policies, {cells} matrix cells");
    screenshot(c, &target_dir().join("e2e-workshop.png")).await?;
    timing_series(c, "workshop scenario (50 pods, 30 policies)", &policies).await?;
    lap("timing series");
    Ok(())
}

/// Edits the policies 12 times (a comment line each) and prints the page's figures.
async fn timing_series(c: &Client, label: &str, base_text: &str) -> Result<(), String> {
    let mut series = Vec::new();
    for i in 0..12 {
        let edited = format!("{}\n# e2e edit {i}\n", base_text.trim_end());
        if let Some(ms) = set_policies(c, &edited).await? {
            series.push(ms);
        }
    }
    set_policies(c, base_text).await?;
    if !series.is_empty() {
        series.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "eval time, {label} (page's data-ms, edit -> updated view) over {} edits: min {:.3} / median {:.3} / max {:.3} ms",
            series.len(),
            series[0],
            series[series.len() / 2],
            series[series.len() - 1]
        );
    }
    Ok(())
}

/// On failure: a screenshot and the page's text, so the message says what went wrong.
async fn failure_report(c: &Client, err: &str) -> String {
    let shot = target_dir().join("e2e-failure.png");
    let _ = screenshot(c, &shot).await;
    let body = js(
        c,
        "const d = document.querySelector('[data-testid=diagnostics]');
         return 'diagnostics: ' + (d ? d.innerText : '(none)') + '\\n--- page text ---\\n' +
                (document.body ? document.body.innerText.slice(0, 3000) : '(no body)');",
        vec![],
    )
    .await
    .unwrap_or_else(Value::String);
    format!(
        "{err}\nscreenshot: {}\n{}",
        shot.display(),
        body.as_str().unwrap_or("")
    )
}

#[tokio::test(flavor = "current_thread")]
async fn playground_end_to_end() {
    let started = Instant::now();
    let dist = dist_dir();
    let server = StaticServer::start(dist);
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    println!("browser up in {:?}", started.elapsed());

    let result = steps(&client, &server.url()).await;
    let failure = match &result {
        Ok(()) => None,
        Err(e) => Some(failure_report(&client, e).await),
    };
    let _ = client.close().await;
    drop(driver);
    drop(server);
    println!("e2e total: {:?}", started.elapsed());
    if let Some(msg) = failure {
        panic!("{msg}");
    }
}
