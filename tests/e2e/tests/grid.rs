//! The flow matrix as a keyboard grid, in the release build: the skip link lands on the matrix,
//! the matrix is one tab stop, the arrow keys, Home/End and Ctrl+End move the focus, Enter
//! explains the focused flow; a 350-pod matrix renders only the cells in view (a bounded number
//! of DOM nodes) and scrolling or the keyboard bring any cell in, with the usual test hooks.
//! Screenshots of the matrix at 1280 (light and dark) and 390 px wide. One browser session.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::Client;
use netpol_e2e::{
    cell, dist_dir, expect_verdict, js, screenshot, set_viewport, target_dir, wait_js,
    Chromedriver, StaticServer,
};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);
/// Evaluating and rendering the large matrix takes a while on a busy machine.
const SLOW: Duration = Duration::from_secs(90);

/// Namespaces and pods of the large cluster: `n0`…`n9`, `p00`…`p34` (names that sort the same
/// naturally and as plain strings).
const NAMESPACES: usize = 10;
const PODS: usize = 35;

/// A toy cluster of `NAMESPACES` × `PODS` pods.
fn large_cluster() -> String {
    let mut s = String::from("namespaces:\n");
    for ns in 0..NAMESPACES {
        s += &format!("  n{ns}:\n    pods:\n");
        for p in 0..PODS {
            s += &format!("      p{p:02}: app=p{p:02}\n");
        }
    }
    s
}

/// Every pod of `n0` isolated for ingress, with no rule allowing any: only a pod's flow to
/// itself reaches an `n0` pod.
const DENY_N0: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-ingress
  namespace: n0
spec:
  podSelector: {}
  policyTypes: [Ingress]
";

async fn press_keys(c: &Client, keys: &[Key], ctrl: bool) -> Result<(), String> {
    let mut a = KeyActions::new("keyboard".to_string());
    if ctrl {
        a = a.then(KeyAction::Down {
            value: Key::Control.into(),
        });
    }
    for &k in keys {
        a = a
            .then(KeyAction::Down { value: k.into() })
            .then(KeyAction::Up { value: k.into() });
    }
    if ctrl {
        a = a.then(KeyAction::Up {
            value: Key::Control.into(),
        });
    }
    c.perform_actions(a)
        .await
        .map_err(|e| format!("keys {keys:?}: {e}"))?;
    // A key that moves the focus also hovers an endpoint, which the core answers.
    netpol_e2e::settle(c).await
}

/// The focused matrix cell: `[from, to]`, or `null` when the focus is elsewhere.
async fn focused(c: &Client) -> Result<Value, String> {
    js(
        c,
        "const e = document.activeElement;
         return e && e.matches('button[data-from][data-verdict]') ? [e.dataset.from, e.dataset.to] : null;",
        vec![],
    )
    .await
}

/// Waits until the focus is on the cell `from` → `to`.
async fn expect_focus(c: &Client, from: &str, to: &str) -> Result<(), String> {
    let got = wait_js(
        c,
        &format!("the focus on {from} -> {to}"),
        T,
        "const e = document.activeElement;
         return e && e.dataset.from === arguments[0] && e.dataset.to === arguments[1];",
        vec![json!(from), json!(to)],
    )
    .await;
    if got.is_err() {
        return Err(format!(
            "expected the focus on {from} -> {to}, it is on {}",
            focused(c).await?
        ));
    }
    Ok(())
}

/// Sets an editor's text as typing would.
async fn set_editor(c: &Client, testid: &str, text: &str) -> Result<(), String> {
    js(
        c,
        "const t = document.querySelector(`[data-testid=${arguments[0]}]`);
         t.focus(); t.value = arguments[1];
         t.dispatchEvent(new Event('input', { bubbles: true })); return true;",
        vec![json!(testid), json!(text)],
    )
    .await
    .map(|_| ())
}

/// The endpoint names in matrix order (the column headers' `data-ep`), read from the VM's
/// rendering of the default scenario: the first few columns.
async fn columns(c: &Client) -> Result<Vec<String>, String> {
    let v = js(
        c,
        "return [...document.querySelectorAll('.matrix th.col-head')].map(h => h.dataset.ep);",
        vec![],
    )
    .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default())
}

/// The cell is inside the matrix's scrolling box and not under its sticky headers.
async fn expect_in_view(c: &Client, from: &str, to: &str) -> Result<(), String> {
    let v = js(
        c,
        "const b = document.querySelector(arguments[0]);
         if (!b) return 'not rendered';
         const r = b.getBoundingClientRect();
         const w = document.querySelector('.matrix-wrap').getBoundingClientRect();
         const h = document.querySelector('.matrix thead').getBoundingClientRect();
         const rh = b.closest('tr').querySelector('th').getBoundingClientRect();
         if (r.top < h.bottom - 1 || r.left < rh.right - 1) return 'under the headers';
         if (r.bottom > w.bottom + 1 || r.right > w.right + 1 || r.top < w.top || r.left < w.left) return 'outside the box';
         return 'ok';",
        vec![json!(cell(from, to))],
    )
    .await?;
    match v.as_str() {
        Some("ok") => Ok(()),
        other => Err(format!("cell {from} -> {to}: {other:?}")),
    }
}

/// Elements inside the matrix, and on the whole page.
async fn node_counts(c: &Client) -> Result<(u64, u64), String> {
    let v = js(
        c,
        "return [document.querySelectorAll('.matrix *').length, document.getElementsByTagName('*').length];",
        vec![],
    )
    .await?;
    Ok((v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0)))
}

async fn force_dark(c: &Client) -> Result<(), String> {
    js(
        c,
        "for (const sheet of document.styleSheets) {
           let rules;
           try { rules = sheet.cssRules; } catch (e) { continue; }
           for (const r of rules) {
             if (r.media && r.media.mediaText.includes('prefers-color-scheme: dark')) r.media.mediaText = 'all';
           }
         }
         document.documentElement.style.colorScheme = 'dark';
         return true;",
        vec![],
    )
    .await
    .map(|_| ())
}

async fn keyboard_steps(c: &Client, base: &str) -> Result<(), String> {
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    set_viewport(c, 1280, 800).await?;
    expect_verdict(c, "app/frontend", "app/api", "allow").await?;
    let cols = columns(c).await?;
    if cols.len() < 3 {
        return Err(format!("expected at least 3 columns, got {cols:?}"));
    }

    // The skip link is the first tab stop; it lands on the matrix's one tab stop.
    press_keys(c, &[Key::Tab], false).await?;
    let first = js(
        c,
        "const e = document.activeElement; return e && e.dataset.testid;",
        vec![],
    )
    .await?;
    if first != json!("skip-to-result") {
        return Err(format!("the first tab stop is {first}, not the skip link"));
    }
    press_keys(c, &[Key::Enter], false).await?;
    expect_focus(c, &cols[0], &cols[0]).await?;
    let stops = js(
        c,
        "return document.querySelectorAll('.matrix button:not([tabindex=\"-1\"]), .matrix [tabindex=\"0\"]').length;",
        vec![],
    )
    .await?;
    if stops != json!(1) {
        return Err(format!("the matrix has {stops} tab stops, not 1"));
    }

    // Arrows, Home/End, Ctrl+End and back; the tab stop follows the focus.
    press_keys(c, &[Key::Right], false).await?;
    expect_focus(c, &cols[0], &cols[1]).await?;
    press_keys(c, &[Key::Down, Key::Down], false).await?;
    expect_focus(c, &cols[2], &cols[1]).await?;
    press_keys(c, &[Key::Up], false).await?;
    expect_focus(c, &cols[1], &cols[1]).await?;
    press_keys(c, &[Key::Left, Key::Left], false).await?;
    expect_focus(c, &cols[1], &cols[0]).await?;
    let last = cols.last().unwrap();
    press_keys(c, &[Key::End], false).await?;
    expect_focus(c, &cols[1], last).await?;
    press_keys(c, &[Key::Home], false).await?;
    expect_focus(c, &cols[1], &cols[0]).await?;
    press_keys(c, &[Key::End], true).await?;
    expect_focus(c, last, last).await?;
    press_keys(c, &[Key::Home], true).await?;
    expect_focus(c, &cols[0], &cols[0]).await?;
    let tab_stop = js(
        c,
        "return document.activeElement.getAttribute('tabindex');",
        vec![],
    )
    .await?;
    if tab_stop != json!("0") {
        return Err(format!("the focused cell has tabindex {tab_stop}"));
    }

    // Enter explains the focused flow.
    press_keys(c, &[Key::Right], false).await?;
    expect_focus(c, &cols[0], &cols[1]).await?;
    press_keys(c, &[Key::Enter], false).await?;
    wait_js(
        c,
        "the Why? panel for the focused flow",
        T,
        "const b = document.activeElement;
         const x = document.querySelector('[data-testid=explanation] .verdict');
         return b && b.getAttribute('aria-pressed') === 'true' && x ? x.textContent : null;",
        vec![],
    )
    .await?;
    screenshot(c, &target_dir().join("e2e-grid-1280.png")).await?;
    force_dark(c).await?;
    screenshot(c, &target_dir().join("e2e-grid-1280-dark.png")).await?;
    Ok(())
}

async fn large_steps(c: &Client, base: &str) -> Result<(), String> {
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    set_viewport(c, 1280, 800).await?;
    expect_verdict(c, "app/frontend", "app/api", "allow").await?;
    set_editor(c, "policies-editor", DENY_N0).await?;
    let t0 = Instant::now();
    set_editor(c, "cluster-editor", &large_cluster()).await?;
    wait_js(
        c,
        "the windowed matrix",
        SLOW,
        "return document.querySelector('[data-testid=matrix][data-windowed=true] button[data-verdict]') !== null;",
        vec![],
    )
    .await?;
    println!(
        "{} pods: windowed matrix after {:?}",
        NAMESPACES * PODS,
        t0.elapsed()
    );
    let last_ns = NAMESPACES - 1;
    let last = format!("n{last_ns}/p{:02}", PODS - 1);
    expect_verdict(c, "n0/p00", "n0/p00", "allow").await?;
    expect_verdict(c, "n0/p01", "n0/p00", "deny").await?;
    let (matrix, page) = node_counts(c).await?;
    let cells = js(
        c,
        "return document.querySelectorAll('[data-from][data-to][data-verdict]').length;",
        vec![],
    )
    .await?;
    println!(
        "{} pods ({} cells): {cells} cells rendered, {matrix} elements in the matrix, {page} on the page",
        NAMESPACES * PODS,
        (NAMESPACES * PODS).pow(2)
    );
    if matrix > 6_000 {
        return Err(format!("the matrix has {matrix} elements"));
    }
    let far = js(
        c,
        "return document.querySelector(arguments[0]) !== null;",
        vec![json!(cell(&last, &last))],
    )
    .await?;
    if far != json!(false) {
        return Err(format!(
            "{last} -> {last} is rendered before scrolling to it"
        ));
    }

    // Scrolling to the far corner renders its cells, with the hooks.
    js(
        c,
        "const w = document.querySelector('.matrix-wrap');
         w.scrollTop = w.scrollHeight; w.scrollLeft = w.scrollWidth; return true;",
        vec![],
    )
    .await?;
    expect_verdict(c, &last, &last, "allow").await?;
    expect_verdict(c, &last, &format!("n{last_ns}/p{:02}", PODS - 3), "allow").await?;
    let (matrix, _) = node_counts(c).await?;
    if matrix > 6_000 {
        return Err(format!("the matrix has {matrix} elements after scrolling"));
    }
    screenshot(c, &target_dir().join("e2e-grid-large-corner.png")).await?;

    // Back to the top; the keyboard crosses the window: Ctrl+End, then Home, then PageUp.
    js(
        c,
        "const w = document.querySelector('.matrix-wrap'); w.scrollTop = 0; w.scrollLeft = 0; return true;",
        vec![],
    )
    .await?;
    wait_js(
        c,
        "the first cell after scrolling back",
        T,
        "const b = document.querySelector(arguments[0]); if (!b) return null; b.focus(); return true;",
        vec![json!(cell("n0/p00", "n0/p00"))],
    )
    .await?;
    press_keys(c, &[Key::End], true).await?;
    expect_focus(c, &last, &last).await?;
    expect_in_view(c, &last, &last).await?;
    press_keys(c, &[Key::Home], false).await?;
    expect_focus(c, &last, "n0/p00").await?;
    expect_in_view(c, &last, "n0/p00").await?;
    expect_verdict(c, &last, "n0/p00", "deny").await?;
    press_keys(c, &[Key::PageUp], false).await?;
    let after_page = focused(c).await?;
    if after_page[0] == json!(last) || after_page[1] != json!("n0/p00") {
        return Err(format!("PageUp moved the focus to {after_page}"));
    }
    for _ in 0..3 {
        press_keys(c, &[Key::Up, Key::Right], false).await?;
    }
    let now = focused(c).await?;
    let (from, to) = (
        now[0].as_str().unwrap_or("").to_string(),
        now[1].as_str().unwrap_or("").to_string(),
    );
    if to != "n0/p03" {
        return Err(format!("three steps right of n0/p00 is {to}, not n0/p03"));
    }
    expect_in_view(c, &from, &to).await?;
    let (matrix, _) = node_counts(c).await?;
    if matrix > 6_000 {
        return Err(format!(
            "the matrix has {matrix} elements after moving the focus"
        ));
    }
    screenshot(c, &target_dir().join("e2e-grid-large.png")).await?;

    // A phone-wide window still shows (part of) the matrix.
    set_viewport(c, 390, 844).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(c, &target_dir().join("e2e-grid-390.png")).await?;
    set_viewport(c, 1280, 800).await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn matrix_grid_keyboard_and_large_matrices() {
    let started = Instant::now();
    let server = StaticServer::start(dist_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let mut result = keyboard_steps(&client, &server.url()).await;
    if result.is_ok() {
        result = large_steps(&client, &server.url()).await;
    }
    if result.is_err() {
        let _ = screenshot(&client, &target_dir().join("e2e-grid-failure.png")).await;
    }
    let _ = client.close().await;
    drop(driver);
    drop(server);
    println!("grid e2e total: {:?}", started.elapsed());
    if let Err(e) = result {
        panic!("{e}");
    }
}
