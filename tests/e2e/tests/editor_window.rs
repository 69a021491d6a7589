//! End-to-end test of the windowed editor (issue 12) in headless Chromium, one browser session:
//! the 1,000-pod / 300-policy scenario's 7,500-line policies text is held by a textarea that
//! holds only the lines around the view (`data-window-start` / `data-window-end`). Real key
//! events (WebDriver actions) typed at the top, in the middle after scrolling, after 250
//! ArrowDowns across the window's edge, after Ctrl+End and after Ctrl+Home must each give the
//! whole text with that edit, read back from the work the page saves (`localStorage`); Ctrl+A
//! selects the whole text (which the textarea then holds) until a click and a scroll; a
//! script's whole value with a plain `input` event still replaces the whole text; a problem
//! and a policy's YAML link far below the window put the caret / the highlight on their line.
//! Screenshots of the editor scrolled to the middle and at a policy go to
//! `target/e2e-editor-window-*.png`.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::time::Duration;

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::{Client, Locator};
use netpol_e2e::{
    click, dist_dir, js, screenshot, set_viewport, settle, target_dir, wait_js, Chromedriver,
    StaticServer,
};
use serde_json::{json, Value};

#[allow(dead_code)]
#[path = "../../../crates/engine/benches/gen.rs"]
mod gen;

const T: Duration = Duration::from_secs(30);
const EDITOR: &str = "[data-testid=policies-editor]";
const ENTER: char = '\u{E007}';
const SHIFT: char = '\u{E008}';
const CONTROL: char = '\u{E009}';
const END: char = '\u{E010}';
const HOME: char = '\u{E011}';
const ARROW_UP: char = '\u{E013}';
const ARROW_DOWN: char = '\u{E015}';

/// Sets an editor's text as a script does (value + a plain `input` event).
const SET: &str = "const t = document.querySelector(arguments[0]);
    t.value = arguments[1];
    t.dispatchEvent(new Event('input', { bubbles: true }));
    return true;";

/// The policies textarea: [lines, window start, window end, its value's length, focused, the
/// caret's line in the whole text (0-based)].
const STATE: &str = "const t = document.querySelector('[data-testid=policies-editor]');
    const s = t.dataset.windowStart === undefined ? -1 : +t.dataset.windowStart;
    const e = t.dataset.windowEnd === undefined ? -1 : +t.dataset.windowEnd;
    const caret = Math.max(s, 0) + t.value.slice(0, t.selectionStart).split('\\n').length - 1;
    return [+t.dataset.lines, s, e, t.value.length, document.activeElement === t, caret];";

#[derive(Debug)]
struct State {
    lines: u64,
    start: i64,
    end: i64,
    len: u64,
    focused: bool,
    caret: u64,
}

async fn state(c: &Client) -> Result<State, String> {
    let v = js(c, STATE, vec![]).await?;
    let n = |i: usize| v[i].as_i64().unwrap_or(-2);
    Ok(State {
        lines: n(0) as u64,
        start: n(1),
        end: n(2),
        len: n(3) as u64,
        focused: v[4].as_bool() == Some(true),
        caret: n(5) as u64,
    })
}

/// `text` with the line `line` inserted before its line `at` (0-based).
fn insert_line(text: &str, at: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    lines.insert(at, line);
    lines.join("\n")
}

/// Presses the keys of `keys` one after the other; `CONTROL` and `SHIFT` stay down for the key
/// after them.
async fn press(c: &Client, keys: &str) -> Result<(), String> {
    let mut a = KeyActions::new("keyboard".to_string());
    let mut held = None;
    for k in keys.chars() {
        if k == CONTROL || k == SHIFT {
            a = a.then(KeyAction::Down { value: k });
            held = Some(k);
            continue;
        }
        a = a
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        if let Some(m) = held.take() {
            a = a.then(KeyAction::Up { value: m });
        }
    }
    c.perform_actions(a)
        .await
        .map_err(|e| format!("keys {keys:?}: {e}"))
}

/// Clicks at the start of line `line` (0-based, in view) of the policies editor.
async fn click_line(c: &Client, line: u64) -> Result<(), String> {
    let at = js(
        c,
        "const t = document.querySelector('[data-testid=policies-editor]');
         const area = t.parentElement;
         const scroller = t.dataset.windowStart === undefined ? t : area;
         const r = area.getBoundingClientRect();
         return [Math.round(r.left + 13), Math.round(r.top + 8 + arguments[0] * 20 - scroller.scrollTop + 10)];",
        vec![json!(line)],
    )
    .await?;
    let (x, y) = (at[0].as_f64().unwrap_or(0.0), at[1].as_f64().unwrap_or(0.0));
    let m = MouseActions::new("mouse".to_string())
        .then(PointerAction::MoveTo {
            duration: None,
            x,
            y,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    c.perform_actions(m)
        .await
        .map_err(|e| format!("click at line {line} ({x}, {y}): {e}"))
}

/// Waits until the saved policies text is `want`; says where it differs otherwise.
async fn expect_saved(c: &Client, what: &str, want: &str) -> Result<(), String> {
    let read = "const s = localStorage.getItem('netpol-playground-v1');
        return s ? JSON.parse(s).policies : '';";
    let ok = wait_js(
        c,
        what,
        T,
        "const s = localStorage.getItem('netpol-playground-v1');
         return s && JSON.parse(s).policies === arguments[0] ? true : null;",
        vec![json!(want)],
    )
    .await;
    if ok.is_err() {
        let got = js(c, read, vec![]).await?;
        let got = got.as_str().unwrap_or_default();
        let at = got
            .bytes()
            .zip(want.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(got.len().min(want.len()));
        let line = want[..at].matches('\n').count();
        return Err(format!(
            "{what}: the saved text ({} bytes) differs from the expected ({} bytes) at byte {at} (line {}): got {:?}, want {:?}",
            got.len(),
            want.len(),
            line + 1,
            &got[at.saturating_sub(20)..(at + 40).min(got.len())],
            &want[at.saturating_sub(20)..(at + 40).min(want.len())],
        ));
    }
    settle(c).await
}

/// Scrolls the windowed editor's code area so that line `line` (0-based) is at the top, and
/// waits for the window to hold it.
async fn scroll_to(c: &Client, line: u64) -> Result<State, String> {
    js(
        c,
        "document.querySelector('[data-testid=policies-editor]').parentElement.scrollTop = arguments[0] * 20; return true;",
        vec![json!(line)],
    )
    .await?;
    wait_js(
        c,
        &format!("the window to hold line {line}"),
        T,
        "const t = document.querySelector('[data-testid=policies-editor]');
         return +t.dataset.windowStart <= arguments[0] && arguments[0] < +t.dataset.windowEnd || null;",
        vec![json!(line)],
    )
    .await?;
    state(c).await
}

fn check(failures: &mut Vec<String>, ok: bool, what: String) {
    if !ok {
        failures.push(what);
    }
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
    let small = state(c).await?;
    check(
        &mut failures,
        small.start == -1 && small.end == -1 && small.lines > 10,
        format!("the default example is held whole, with its lines: {small:?}"),
    );

    let g = gen::generate(gen::LARGE);
    for (editor, text) in [("cluster", &g.cluster), ("policies", &g.policies)] {
        js(
            c,
            SET,
            vec![json!(format!("[data-testid={editor}-editor]")), json!(text)],
        )
        .await?;
    }
    let mut want = g.policies.clone();
    expect_saved(c, "the pasted text", &want).await?;
    let lines = want.split('\n').count() as u64;
    let s = state(c).await?;
    check(
        &mut failures,
        s.lines == lines
            && s.start == 0
            && (150..400).contains(&s.end)
            && s.len * 5 < want.len() as u64,
        format!("a {lines}-line text is windowed at its top: {s:?}"),
    );

    // Typing at the top.
    click_line(c, 10).await?;
    press(c, &format!("# top{ENTER}")).await?;
    want = insert_line(&want, 10, "# top");
    expect_saved(c, "typing at line 11", &want).await?;

    // Typing in the middle.
    let mid = lines / 2;
    let s = scroll_to(c, mid).await?;
    check(
        &mut failures,
        s.start > 0 && s.end - s.start < 500,
        format!("the window follows the scroll to line {mid}: {s:?}"),
    );
    click_line(c, mid + 5).await?;
    press(c, &format!("# middle{ENTER}")).await?;
    want = insert_line(&want, (mid + 5) as usize, "# middle");
    expect_saved(c, "typing in the middle", &want).await?;
    // The typed line selected: the selection must cover its highlighted text.
    press(c, &format!("{ARROW_UP}{SHIFT}{END}")).await?;
    let shot = target_dir().join("e2e-editor-window-middle.png");
    screenshot(c, &shot).await?;
    println!("screenshot: {}", shot.display());

    // The caret crosses the window's edge: 250 lines down from a line in view.
    click_line(c, mid + 10).await?;
    let before = state(c).await?;
    press(c, &ARROW_DOWN.to_string().repeat(250)).await?;
    press(c, &format!("# down{ENTER}")).await?;
    want = insert_line(&want, (mid + 260) as usize, "# down");
    expect_saved(c, "typing 250 lines down", &want).await?;
    let after = state(c).await?;
    check(
        &mut failures,
        after.start > before.start && after.caret == mid + 261,
        format!("the window followed the caret down: before {before:?}, after {after:?}"),
    );

    // The text's ends.
    press(c, &format!("{CONTROL}{END}{ENTER}# end")).await?;
    want.push_str("\n# end");
    expect_saved(c, "typing after Ctrl+End", &want).await?;
    let s = state(c).await?;
    check(
        &mut failures,
        s.end as u64 == s.lines && s.caret + 1 == s.lines,
        format!("Ctrl+End reaches the last line: {s:?}"),
    );
    press(c, &format!("{CONTROL}{HOME}# home{ENTER}")).await?;
    want = insert_line(&want, 0, "# home");
    expect_saved(c, "typing after Ctrl+Home", &want).await?;
    let s = state(c).await?;
    check(
        &mut failures,
        s.start == 0 && s.caret == 1,
        format!("Ctrl+Home reaches the first line: {s:?}"),
    );

    // Select-all puts the whole text into the textarea and selects it; a click and a scroll
    // bring back a window.
    press(c, &format!("{CONTROL}a")).await?;
    let all = js(
        c,
        "const t = document.querySelector('[data-testid=policies-editor]');
         return [t.selectionStart, t.selectionEnd, t.value.length, t.dataset.windowStart, t.dataset.windowEnd];",
        vec![],
    )
    .await?;
    let whole = want.encode_utf16().count() as u64;
    let lines = want.split('\n').count();
    check(
        &mut failures,
        all == json!([0, whole, whole, "0", lines.to_string()]),
        format!("Ctrl+A selects the whole text ({whole} UTF-16 units, {lines} lines): {all}"),
    );
    click_line(c, 3).await?;
    let s = scroll_to(c, 2_000).await?;
    check(
        &mut failures,
        s.start > 0 && s.end - s.start < 500,
        format!("a window again after a click and a scroll: {s:?}"),
    );

    // A script's whole value (a plain `input` event) replaces the whole text, with a problem
    // near its end.
    want.push_str(
        "\n---\nkind: NetworkPolicy\nmetadata: {name: broken, namespace: ns-0}\nspec: [\n",
    );
    js(c, SET, vec![json!(EDITOR), json!(want)]).await?;
    expect_saved(c, "a script's whole value", &want).await?;
    let s = state(c).await?;
    let lines = want.split('\n').count() as u64;
    check(
        &mut failures,
        s.lines == lines && s.start <= 2_000 && 2_000 < s.end && s.len * 5 < want.len() as u64,
        format!("a script's whole value is windowed again, at the view: {s:?}"),
    );

    // A problem far below the window puts the caret on its line.
    let line = wait_js(
        c,
        "a problem in the policies",
        T,
        "const d = document.querySelector('[data-testid=diagnostics] li[data-file=policies]');
         return d ? +d.getAttribute('data-line') : null;",
        vec![],
    )
    .await?
    .as_u64()
    .unwrap_or(0);
    check(
        &mut failures,
        line > lines - 10,
        format!("the problem is near the end: line {line} of {lines}"),
    );
    click(c, "[data-testid=diagnostics] li[data-file=policies] button").await?;
    let s = state(c).await?;
    check(
        &mut failures,
        s.focused
            && s.caret + 1 == line.min(lines)
            && s.start as u64 <= s.caret
            && s.caret < s.end as u64,
        format!("clicking the problem puts the caret on line {line}: {s:?}"),
    );

    // A policy's YAML link far below highlights its lines in view.
    scroll_to(c, 0).await?;
    let link = "li.policy:last-of-type .yaml-link";
    let title: Value = js(
        c,
        "return document.querySelector(arguments[0]).getAttribute('title');",
        vec![json!(link)],
    )
    .await?;
    let line: u64 = title
        .as_str()
        .and_then(|t| t.rsplit("line ").next())
        .and_then(|t| t.trim_end_matches(')').parse().ok())
        .unwrap_or(0);
    click(c, link).await?;
    let shown = wait_js(
        c,
        &format!("line {line} highlighted in view"),
        T,
        "const t = document.querySelector('[data-testid=policies-editor]');
         const area = t.parentElement;
         const n = arguments[0];
         const gl = [...document.querySelectorAll('.editor-policies .gl.hl .num')].map(e => +e.textContent);
         const inView = (n - 1) * 20 >= area.scrollTop && n * 20 <= area.scrollTop + area.clientHeight;
         return gl.includes(n) && inView && +t.dataset.windowStart < n && n <= +t.dataset.windowEnd
           && document.querySelectorAll('.editor-policies .cl.hl').length > 0 || null;",
        vec![json!(line)],
    )
    .await;
    check(
        &mut failures,
        line > lines / 2 && shown.is_ok(),
        format!("the last policy's YAML link (line {line}) shows its lines: {shown:?}"),
    );
    let shot = target_dir().join("e2e-editor-window-policy.png");
    screenshot(c, &shot).await?;
    println!("screenshot: {}", shot.display());
    Ok(failures)
}

#[tokio::test(flavor = "current_thread")]
async fn a_long_text_is_windowed_and_edited_whole() {
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
