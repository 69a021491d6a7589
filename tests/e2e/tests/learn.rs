//! End-to-end test of the Learn side of the release build: complete an exercise by typing its
//! reference solution (every goal turns green, "Completed!", remembered across a reload), walk
//! the tutorial with Next/Previous; inside an exercise the lints wait for "Check my work", Reset
//! restores its start (undoably), the Example menu shows it and picking an example leaves it;
//! the Why? panel's short lines; and screenshots at 1280 in light and dark mode.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use netpol_e2e::{
    cell, click, dist_dir, js, repo_root, screenshot, set_viewport, target_dir, wait_js,
    Chromedriver, StaticServer,
};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);
const EXERCISE: &str = "01-lock-down-the-database";

/// The block scalar `key: |` of a top-level key in a simple YAML file (two-space indentation).
fn block_scalar(yaml: &str, key: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in yaml.lines() {
        if inside {
            if let Some(rest) = line.strip_prefix("  ") {
                out.push_str(rest);
                out.push('\n');
                continue;
            }
            if line.trim().is_empty() {
                out.push('\n');
                continue;
            }
            break;
        }
        if line.trim_end() == format!("{key}: |") {
            inside = true;
        }
    }
    out.trim_end().to_string() + "\n"
}

async fn set_policies(c: &Client, text: &str) -> Result<(), String> {
    js(
        c,
        "const t = document.querySelector('[data-testid=policies-editor]');
         t.focus(); t.value = arguments[0];
         t.dispatchEvent(new Event('input', { bubbles: true })); return true;",
        vec![json!(text)],
    )
    .await
    .map(|_| ())
}

/// The `data-met` of every goal.
async fn goals(c: &Client) -> Result<Vec<String>, String> {
    let v = js(
        c,
        "return [...document.querySelectorAll('[data-testid=goal]')].map(g => g.getAttribute('data-met'));",
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

async fn exercise_steps(c: &Client, base: &str) -> Result<(), String> {
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    set_viewport(c, 1440, 900).await?;
    click(c, "[data-testid=learn-exercises]").await?;
    let n = js(
        c,
        "return document.querySelectorAll('[data-testid=exercise]').length;",
        vec![],
    )
    .await?;
    if n.as_u64().unwrap_or(0) < 12 {
        return Err(format!(
            "expected at least 12 exercises in the list, got {n}"
        ));
    }
    click(c, &format!("[data-testid=exercise][data-id='{EXERCISE}']")).await?;
    wait_js(
        c,
        "the goals",
        T,
        "return document.querySelectorAll('[data-testid=goal]').length > 0 ? true : null;",
        vec![],
    )
    .await?;
    let yaml = std::fs::read_to_string(repo_root().join(format!("exercises/{EXERCISE}.yaml")))
        .map_err(|e| e.to_string())?;
    let start = block_scalar(&yaml, "policies");
    let solution = block_scalar(&yaml, "solution");
    let editor = js(
        c,
        "return document.querySelector('[data-testid=policies-editor]').value;",
        vec![],
    )
    .await?;
    if editor.as_str().map(str::trim_end) != Some(start.trim_end()) {
        return Err(format!(
            "the exercise's starting policies are not in the editor: {editor}"
        ));
    }
    let before = goals(c).await?;
    if !before.iter().any(|m| m == "false") {
        return Err(format!("the starting state should fail a goal: {before:?}"));
    }
    // Hints one at a time.
    click(c, "[data-testid=show-hint]").await?;
    let label = js(
        c,
        "const b = document.querySelector('[data-testid=show-hint]'); return b ? b.textContent : '';",
        vec![],
    )
    .await?;
    if label != json!("Show a hint (1 left)") {
        return Err(format!("hint button after one hint: {label}"));
    }
    // Type the solution: every goal turns green.
    set_policies(c, &solution).await?;
    wait_js(
        c,
        "every goal to be met",
        T,
        "const g = [...document.querySelectorAll('[data-testid=goal]')];
         return g.length > 0 && g.every(x => x.getAttribute('data-met') === 'true')
                && document.querySelector('[data-testid=completed]') ? true : null;",
        vec![],
    )
    .await?;
    let after = goals(c).await?;
    if after.len() != before.len() || after.iter().any(|m| m != "true") {
        return Err(format!("goals after the solution: {after:?}"));
    }
    screenshot(c, &target_dir().join("e2e-exercise.png")).await?;
    // Completion is remembered: ✓ in the list, also after a reload.
    click(c, "[data-testid=exercise-back]").await?;
    let sel = format!("[data-testid=exercise][data-id='{EXERCISE}'][data-completed=true]");
    wait_js(
        c,
        "the exercise marked completed",
        T,
        "return document.querySelector(arguments[0]) ? true : null;",
        vec![json!(sel)],
    )
    .await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    click(c, "[data-testid=learn-exercises]").await?;
    wait_js(
        c,
        "the exercise still completed after a reload",
        T,
        "return document.querySelector(arguments[0]) ? true : null;",
        vec![json!(sel)],
    )
    .await?;
    Ok(())
}

async fn tutorial_steps(c: &Client) -> Result<(), String> {
    click(c, "[data-testid=learn-tutorial]").await?;
    let title = |n: u32| {
        format!(
            "const t = document.querySelector('[data-testid=step-title]');
             return t && t.textContent.startsWith('{n}. ') ? t.textContent : null;"
        )
    };
    wait_js(c, "tutorial step 1", T, &title(1), vec![]).await?;
    click(c, "[data-testid=step-next]").await?;
    wait_js(c, "tutorial step 2", T, &title(2), vec![]).await?;
    let step2 = std::fs::read_to_string(repo_root().join("tutorial/02-two-directions.yaml"))
        .map_err(|e| e.to_string())?;
    let cluster = js(
        c,
        "return document.querySelector('[data-testid=cluster-editor]').value;",
        vec![],
    )
    .await?;
    if cluster.as_str().map(str::trim_end) != Some(block_scalar(&step2, "cluster").trim_end()) {
        return Err(format!("step 2's cluster is not in the editor: {cluster}"));
    }
    let progress = js(
        c,
        "return document.querySelector('[data-testid=tutorial-progress]').textContent;",
        vec![],
    )
    .await?;
    if !progress.as_str().unwrap_or("").starts_with("2 of ") {
        return Err(format!("tutorial progress: {progress}"));
    }
    // The step's text is rendered Markdown (a heading, a list), not raw text.
    let md = js(
        c,
        "const t = document.querySelector('[data-testid=step-text]');
         return [t.querySelectorAll('h3,h4').length, t.querySelectorAll('li').length, t.textContent.includes('**')];",
        vec![],
    )
    .await?;
    if md[0].as_u64().unwrap_or(0) == 0 || md[2] != Value::Bool(false) {
        return Err(format!("step text not rendered as Markdown: {md}"));
    }
    click(c, "[data-testid=step-next]").await?;
    wait_js(c, "tutorial step 3", T, &title(3), vec![]).await?;
    screenshot(c, &target_dir().join("e2e-tutorial.png")).await?;
    click(c, "[data-testid=step-prev]").await?;
    wait_js(c, "back at step 2", T, &title(2), vec![]).await?;
    click(c, "[data-testid=step-prev]").await?;
    wait_js(c, "back at step 1", T, &title(1), vec![]).await?;
    Ok(())
}

const DNS_EXERCISE: &str = "05-default-deny-broke-dns";

async fn editor_text(c: &Client) -> Result<String, String> {
    let v = js(
        c,
        "return document.querySelector('[data-testid=policies-editor]').value;",
        vec![],
    )
    .await?;
    Ok(v.as_str().unwrap_or("").to_string())
}

async fn lint_count(c: &Client) -> Result<u64, String> {
    let v = js(
        c,
        "return document.querySelectorAll('[data-testid=diagnostics] .lint').length;",
        vec![],
    )
    .await?;
    Ok(v.as_u64().unwrap_or(0))
}

/// Opens exercise `id` from a fresh page.
async fn open_exercise(c: &Client, base: &str, id: &str) -> Result<(), String> {
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    click(c, "[data-testid=learn-exercises]").await?;
    click(c, &format!("[data-testid=exercise][data-id='{id}']")).await?;
    wait_js(
        c,
        "the goals",
        T,
        "return document.querySelector('[data-testid=goal]') ? true : null;",
        vec![],
    )
    .await
    .map(|_| ())
}

/// Inside an exercise: lints wait for "Check my work", Reset restores the start and can be
/// undone, the Example menu shows the exercise, and picking an example leaves it.
async fn exercise_controls(c: &Client, base: &str) -> Result<(), String> {
    open_exercise(c, base, DNS_EXERCISE).await?;
    set_viewport(c, 1280, 800).await?;
    // The starting default deny breaks DNS: the linter says so, but only when asked.
    wait_js(
        c,
        "the linter's findings, hidden",
        T,
        "const b = document.querySelector('[data-testid=check-work]');
         return b && Number(b.getAttribute('data-hidden-lints')) > 0 ? true : null;",
        vec![],
    )
    .await?;
    if lint_count(c).await? != 0 {
        return Err("lints shown as the exercise opens".into());
    }
    click(c, "[data-testid=check-work]").await?;
    wait_js(
        c,
        "the lints after Check my work",
        T,
        "return document.querySelectorAll('[data-testid=diagnostics] .lint').length > 0 ? true : null;",
        vec![],
    )
    .await?;
    click(c, "[data-testid=hide-lints]").await?;
    wait_js(
        c,
        "the lints hidden again",
        T,
        "return document.querySelectorAll('[data-testid=diagnostics] .lint').length === 0 ? true : null;",
        vec![],
    )
    .await?;
    let menu = js(
        c,
        "return document.querySelector('[data-testid=examples]').value;",
        vec![],
    )
    .await?;
    if menu != json!(format!("exercise:{DNS_EXERCISE}")) {
        return Err(format!("the Example menu during the exercise shows {menu}"));
    }
    // Reset restores the exercise's start; Undo reset puts the edit back.
    let start = editor_text(c).await?;
    let edited = format!("{start}# my attempt\n");
    set_policies(c, &edited).await?;
    click(c, "[data-testid=reset]:not([disabled])").await?;
    wait_js(
        c,
        "the exercise's starting policies after Reset",
        T,
        "return document.querySelector('[data-testid=policies-editor]').value === arguments[0]
                && document.querySelector('[data-testid=exercise-open]') ? true : null;",
        vec![json!(start)],
    )
    .await?;
    click(c, "[data-testid=undo-reset]").await?;
    wait_js(
        c,
        "the edit back after Undo reset",
        T,
        "return document.querySelector('[data-testid=policies-editor]').value === arguments[0] ? true : null;",
        vec![json!(edited)],
    )
    .await?;
    // Picking an example in the menu leaves the exercise, for the list.
    js(
        c,
        "const s = document.querySelector('[data-testid=examples]');
         s.value = 'default'; s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
        vec![],
    )
    .await?;
    wait_js(
        c,
        "the exercise left for the list",
        T,
        "return !document.querySelector('[data-testid=exercise-open]')
                && document.querySelector('[data-testid=exercise]') ? true : null;",
        vec![],
    )
    .await?;
    // The Leave exercise button does the same.
    click(
        c,
        &format!("[data-testid=exercise][data-id='{DNS_EXERCISE}']"),
    )
    .await?;
    click(c, "[data-testid=leave-exercise]").await?;
    wait_js(
        c,
        "the exercise left with its button",
        T,
        "return !document.querySelector('[data-testid=exercise-open]') ? true : null;",
        vec![],
    )
    .await
    .map(|_| ())
}

/// The Why? panel reads as short lines with the key part marked, the full sentences behind
/// "Full detail".
async fn why_short_lines(c: &Client, base: &str) -> Result<(), String> {
    open_exercise(c, base, DNS_EXERCISE).await?;
    click(c, &cell("shop/web", "kube-system/coredns")).await?;
    let lines = wait_js(
        c,
        "short lines in Why?",
        T,
        "const e = document.querySelector('[data-testid=explanation] .side[data-side=egress]');
         if (!e || !e.querySelector('.why-line mark.why-key')) return null;
         return [...e.querySelectorAll('.why-lines:not(.why-full) > .why-line')].map(l => l.textContent);",
        vec![],
    )
    .await?;
    let text = lines.to_string();
    if !text.contains("isolated by shop/default-deny-all") || !text.contains("has no egress rules")
    {
        return Err(format!("egress short lines: {text}"));
    }
    let full = js(
        c,
        "const d = document.querySelector('[data-testid=explanation] .side[data-side=egress] [data-testid=why-full-detail]');
         return d ? [d.open, d.textContent] : null;",
        vec![],
    )
    .await?;
    if full[0] != json!(false)
        || !full[1]
            .as_str()
            .unwrap_or("")
            .contains("shop/web is isolated for Egress by policy (shop/default-deny-all).")
    {
        return Err(format!("the full sentences behind Full detail: {full}"));
    }
    Ok(())
}

/// Screenshots at 1280×800 (for looking at): the tutorial, an exercise, the Why? panel.
async fn screenshots(c: &Client, base: &str, mode: &str) -> Result<(), String> {
    open_exercise(c, base, DNS_EXERCISE).await?;
    set_viewport(c, 1280, 800).await?;
    click(c, "[data-testid=show-hint]").await?;
    screenshot(
        c,
        &target_dir().join(format!("e2e-exercise-1280-{mode}.png")),
    )
    .await?;
    click(c, &cell("shop/web", "kube-system/coredns")).await?;
    wait_js(
        c,
        "the Why? panel",
        T,
        "return document.querySelector('[data-testid=explanation] .why-line') ? true : null;",
        vec![],
    )
    .await?;
    screenshot(c, &target_dir().join(format!("e2e-why-1280-{mode}.png"))).await?;
    // The whole panel, with one side's Full detail open, on a taller window.
    set_viewport(c, 1280, 1500).await?;
    js(
        c,
        "document.querySelector('[data-testid=explanation] [data-testid=why-full-detail]').open = true; return true;",
        vec![],
    )
    .await?;
    screenshot(
        c,
        &target_dir().join(format!("e2e-why-1280-tall-{mode}.png")),
    )
    .await?;
    set_viewport(c, 1280, 800).await?;
    click(c, "[data-testid=learn-tutorial]").await?;
    wait_js(
        c,
        "the tutorial",
        T,
        "return document.querySelector('[data-testid=step-title]') ? true : null;",
        vec![],
    )
    .await?;
    screenshot(c, &target_dir().join(format!("e2e-learn-1280-{mode}.png"))).await
}

async fn report(c: &Client, err: &str) -> String {
    let shot = target_dir().join("e2e-learn-failure.png");
    let _ = screenshot(c, &shot).await;
    let body = js(
        c,
        "return document.body ? document.body.innerText.slice(0, 3000) : '(no body)';",
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

/// A dark-mode screenshot of an exercise (for looking at).
async fn dark_screenshot(driver: &Chromedriver, base: &str) -> Result<(), String> {
    let mut caps = driver.capabilities();
    if let Some(args) = caps
        .get_mut("goog:chromeOptions")
        .and_then(|o| o.get_mut("args"))
        .and_then(|a| a.as_array_mut())
    {
        args.push(json!("--force-dark-mode"));
        args.push(json!("--blink-settings=preferredColorScheme=0"));
    }
    let c = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url())
        .await
        .map_err(|e| format!("dark session: {e}"))?;
    let r = async {
        c.goto(base).await.map_err(|e| e.to_string())?;
        set_viewport(&c, 1440, 900).await?;
        click(&c, "[data-testid=learn-exercises]").await?;
        click(
            &c,
            "[data-testid=exercise][data-id='05-default-deny-broke-dns']",
        )
        .await?;
        click(&c, "[data-testid=show-hint]").await?;
        wait_js(
            &c,
            "goals",
            T,
            "return document.querySelector('[data-testid=goal]') ? true : null;",
            vec![],
        )
        .await?;
        screenshot(&c, &target_dir().join("e2e-exercise-dark.png")).await?;
        screenshots(&c, base, "dark").await
    }
    .await;
    let _ = c.close().await;
    r
}

#[tokio::test(flavor = "current_thread")]
async fn learn_end_to_end() {
    let started = Instant::now();
    let server = StaticServer::start(dist_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let mut result = exercise_steps(&client, &server.url()).await;
    if result.is_ok() {
        result = tutorial_steps(&client).await;
    }
    if result.is_ok() {
        result = exercise_controls(&client, &server.url()).await;
    }
    if result.is_ok() {
        result = why_short_lines(&client, &server.url()).await;
    }
    if result.is_ok() {
        result = screenshots(&client, &server.url(), "light").await;
    }
    let failure = match &result {
        Ok(()) => None,
        Err(e) => Some(report(&client, e).await),
    };
    let _ = client.close().await;
    let dark = if failure.is_none() {
        dark_screenshot(&driver, &server.url()).await
    } else {
        Ok(())
    };
    drop(driver);
    drop(server);
    println!("learn e2e: {:?}", started.elapsed());
    if let Some(msg) = failure {
        panic!("{msg}");
    }
    dark.unwrap();
}
