//! Hostile input in the release build (`dist/`) in headless Chromium: markup in names, labels and
//! policy names is shown as text and never runs, and a pasted alias bomb or deep nesting is
//! answered with an error naming the limit while the page stays responsive. One browser session.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::time::{Duration, Instant};

use fantoccini::Client;
use netpol_e2e::{dist_dir, js, screenshot, target_dir, wait_js, Chromedriver, StaticServer};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);
const POLICIES: &str = "[data-testid=policies-editor]";
const CLUSTER: &str = "[data-testid=cluster-editor]";

/// Markup that would run if any of it reached the DOM as HTML.
const IMG: &str = "<img src=x onerror=\"window.__pwned=1\">";
const SCRIPT: &str = "<script>window.__pwned=2</script>";

fn hostile_cluster() -> String {
    format!(
        "namespaces:\n  app:\n    labels: {{team: '{IMG}'}}\n    pods:\n      web: app=web\n      '{SCRIPT}': app=x\nexternals:\n  '{IMG}': 8.8.8.8\n"
    )
}

fn hostile_policies() -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: '{SCRIPT}', namespace: app}}\nspec:\n  podSelector: {{matchLabels: {{app: '{IMG}'}}}}\n  ingress:\n  - from: [{{podSelector: {{matchLabels: {{'{IMG}': web}}}}}}]\n"
    )
}

async fn set_editor(c: &Client, editor: &str, text: &str) -> Result<(), String> {
    js(
        c,
        "const t = document.querySelector(arguments[0]);
         t.focus();
         t.value = arguments[1];
         t.dispatchEvent(new Event('input', { bubbles: true }));
         return true;",
        vec![json!(editor), json!(text)],
    )
    .await?;
    Ok(())
}

/// Markup in every name-like place: each is reported as an error quoting it, and none of it runs
/// or becomes an element.
async fn markup_is_inert(c: &Client, base: &str) -> Result<(), String> {
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    wait_js(
        c,
        "the editors",
        T,
        "return document.querySelector(arguments[0]) !== null;",
        vec![json!(POLICIES)],
    )
    .await?;
    set_editor(c, CLUSTER, &hostile_cluster()).await?;
    set_editor(c, POLICIES, &hostile_policies()).await?;
    // The pod name, the external name, the policy name and the label values are all invalid
    // (RFC 1123 names, label syntax): each is an error in the diagnostics list.
    let errors = wait_js(
        c,
        "errors quoting the markup",
        T,
        "const d = [...document.querySelectorAll('[data-testid=diagnostics] [data-severity=error]')];
         return d.length >= 4 ? d.map(e => e.textContent).join('\\n') : null;",
        vec![],
    )
    .await?;
    let errors = errors.as_str().unwrap_or_default().to_string();
    for needle in ["<img src=x", "<script>"] {
        if !errors.contains(needle) {
            return Err(format!(
                "the diagnostics should quote {needle:?} as text:\n{errors}"
            ));
        }
    }
    let state = js(
        c,
        "return {
           pwned: window.__pwned === undefined ? null : window.__pwned,
           imgs: document.querySelectorAll('img[src=x], img[onerror]').length,
           scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length,
         };",
        vec![],
    )
    .await?;
    if state != json!({"pwned": null, "imgs": 0, "scripts": 0}) {
        return Err(format!("markup became live: {state}"));
    }
    screenshot(c, &target_dir().join("e2e-hostile-markup.png")).await?;
    Ok(())
}

/// A paste of an alias bomb (10^8 scalars once expanded), and of `{a: ` nested 100k deep: the page
/// answers each with an error naming the limit (the YAML bounds) and a 10 ms timer still fires.
async fn hostile_links_answer_quickly(c: &Client, base: &str) -> Result<(), String> {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        let refs = vec![format!("*{}", (b'a' + i - 1) as char); 10].join(", ");
        bomb.push_str(&format!(
            "{}: &{} [{refs}]\n",
            (b'a' + i) as char,
            (b'a' + i) as char
        ));
    }
    let deep = format!("x: {}\n", "{a: ".repeat(100_000));
    for (what, policies, limit) in [
        ("alias bomb", bomb, "expands this document beyond"),
        ("deep nesting", deep, "levels deep (the limit)"),
    ] {
        c.goto(base)
            .await
            .map_err(|e| format!("goto {base}: {e}"))?;
        wait_js(
            c,
            "the editors",
            T,
            "return document.querySelector(arguments[0]) !== null;",
            vec![json!(POLICIES)],
        )
        .await?;
        set_editor(c, POLICIES, &policies).await?;
        let started = Instant::now();
        let found = wait_js(
            c,
            &format!("{what}: an error naming the limit"),
            T,
            "const d = [...document.querySelectorAll('[data-testid=diagnostics] [data-severity=error]')]
               .map(e => e.textContent.toLowerCase());
             return d.find(t => t.includes(arguments[0])) || null;",
            vec![json!(limit)],
        )
        .await?;
        let took = started.elapsed();
        // Main-thread responsiveness: a 10 ms timer must fire promptly after the evaluation.
        let beat = js(
            c,
            "const t0 = performance.now();
             return new Promise(r => setTimeout(() => r(performance.now() - t0), 10));",
            vec![],
        )
        .await?;
        println!(
            "hostile e2e: {what}: error after {took:?} ({}), heartbeat {beat} ms",
            found.as_str().unwrap_or_default()
        );
        if beat.as_f64().unwrap_or(f64::MAX) > 1000.0 {
            return Err(format!("{what}: the page stayed blocked ({beat} ms)"));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn hostile_input_end_to_end() {
    let server = StaticServer::start(dist_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let base = server.url();
    let mut result = markup_is_inert(&client, &base).await;
    if result.is_ok() {
        result = hostile_links_answer_quickly(&client, &base).await;
    }
    let failure = match &result {
        Ok(()) => None,
        Err(e) => {
            let shot = target_dir().join("e2e-hostile-failure.png");
            let _ = screenshot(&client, &shot).await;
            let body = js(
                &client,
                "return document.body ? document.body.innerText.slice(0, 2000) : '';",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
            Some(format!(
                "{e}\nscreenshot: {}\n{}",
                shot.display(),
                body.as_str().unwrap_or("")
            ))
        }
    };
    let _ = client.close().await;
    drop(driver);
    drop(server);
    if let Some(msg) = failure {
        panic!("{msg}");
    }
}
