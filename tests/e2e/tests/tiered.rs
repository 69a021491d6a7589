//! End-to-end test of tiered policies in the release build: the `admin-guardrail` example's
//! cells carry the tier that decided them (`data-tier`, an "A" mark, the legend), the Why?
//! panel walks the tiers, and a tiered exercise is completed by typing its solution.
//! Screenshots of the matrix with the Why? panel in light and dark mode.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use netpol_e2e::{
    cell, click, dist_dir, expect_verdict, js, repo_root, screenshot, set_viewport, target_dir,
    wait_js, Chromedriver, StaticServer,
};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);
const EXERCISE: &str = "17-the-admin-deny-wins";

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

/// Loads the `admin-guardrail` example through the examples menu.
async fn load_guardrail(c: &Client) -> Result<(), String> {
    // The page renders once its worker has answered.
    wait_js(
        c,
        "the examples menu",
        Duration::from_secs(20),
        "return document.querySelector('[data-testid=examples]') !== null;",
        vec![],
    )
    .await?;
    js(
        c,
        "const s = document.querySelector('[data-testid=examples]');
         s.value = 'admin-guardrail';
         s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
        vec![],
    )
    .await?;
    wait_js(
        c,
        "the admin-guardrail matrix",
        T,
        "return document.querySelector(arguments[0]) ? true : null;",
        vec![json!(cell("monitoring/prometheus", "app/db"))],
    )
    .await?;
    Ok(())
}

/// The `data-tier`, the tier mark and the title of a cell.
async fn tier_of(c: &Client, from: &str, to: &str) -> Result<Value, String> {
    js(
        c,
        "const e = document.querySelector(arguments[0]);
         if (!e) return null;
         const m = e.querySelector('.tier-mark');
         return [e.getAttribute('data-tier'), m ? m.textContent : '', e.getAttribute('title')];",
        vec![json!(cell(from, to))],
    )
    .await
}

async fn tier_marks(c: &Client, base: &str) -> Result<(), String> {
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    set_viewport(c, 1440, 900).await?;
    load_guardrail(c).await?;
    // From the example's description: an Admin Accept, an Admin Deny, a Pass to NetworkPolicy.
    expect_verdict(c, "monitoring/prometheus", "app/db", "allow").await?;
    expect_verdict(c, "sandbox/untrusted", "app/api", "deny").await?;
    expect_verdict(c, "app/frontend", "app/db", "deny").await?;
    let cases = [
        ("monitoring/prometheus", "app/db", "admin", "A"),
        ("sandbox/untrusted", "app/api", "admin", "A"),
        ("app/frontend", "app/db", "networkpolicy", ""),
    ];
    for (from, to, tier, mark) in cases {
        let got = tier_of(c, from, to).await?;
        if got[0] != json!(tier) || got[1] != json!(mark) {
            return Err(format!(
                "{from} -> {to}: expected {tier}/{mark:?}, got {got}"
            ));
        }
    }
    let title = tier_of(c, "sandbox/untrusted", "app/api").await?[2].clone();
    if !title
        .as_str()
        .unwrap_or("")
        .contains("decided by the Admin tier: ClusterNetworkPolicy/isolate-app")
    {
        return Err(format!(
            "the cell's title does not name the Admin rule: {title}"
        ));
    }
    let legend = js(
        c,
        "const l = document.querySelector('[data-testid=tier-legend]'); return l ? l.textContent : null;",
        vec![],
    )
    .await?;
    if !legend.as_str().unwrap_or("").contains("Admin tier") {
        return Err(format!("tier legend: {legend}"));
    }
    let groups = js(
        c,
        "return [...document.querySelectorAll('[data-testid=policy-group]')].map(g => g.textContent);",
        vec![],
    )
    .await?;
    if groups != json!(["Admin tier", "NetworkPolicy"]) {
        return Err(format!("policy groups: {groups}"));
    }
    // Why? walks the tiers: the Admin Deny decides.
    click(c, &cell("sandbox/untrusted", "app/api")).await?;
    wait_js(
        c,
        "the tier walk in Why?",
        T,
        "const l = document.querySelector('[data-testid=explanation] .why-line.tier-line[data-line=tier-rule][data-deciding=true]');
         return l && l.textContent.includes('isolate-app') ? true : null;",
        vec![],
    )
    .await?;
    click(c, &cell("app/frontend", "app/db")).await?;
    wait_js(
        c,
        "the Pass line in Why?",
        T,
        "return document.querySelector('[data-testid=explanation] .why-line[data-line=tier-pass]') ? true : null;",
        vec![],
    )
    .await?;
    click(c, &cell("sandbox/untrusted", "app/api")).await?;
    screenshot(c, &target_dir().join("e2e-tiered.png")).await?;
    Ok(())
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

async fn tiered_exercise(c: &Client) -> Result<(), String> {
    click(c, "[data-testid=learn-exercises]").await?;
    click(c, &format!("[data-testid=exercise][data-id='{EXERCISE}']")).await?;
    wait_js(
        c,
        "the goals",
        T,
        "return document.querySelectorAll('[data-testid=goal]').length > 0 ? true : null;",
        vec![],
    )
    .await?;
    let before = goals(c).await?;
    if !before.iter().any(|m| m == "false") {
        return Err(format!("the starting state should fail a goal: {before:?}"));
    }
    let yaml = std::fs::read_to_string(repo_root().join(format!("exercises/{EXERCISE}.yaml")))
        .map_err(|e| e.to_string())?;
    let solution = block_scalar(&yaml, "solution");
    js(
        c,
        "const t = document.querySelector('[data-testid=policies-editor]');
         t.focus(); t.value = arguments[0];
         t.dispatchEvent(new Event('input', { bubbles: true })); return true;",
        vec![json!(solution)],
    )
    .await?;
    wait_js(
        c,
        "every goal of the tiered exercise to be met",
        T,
        "const g = [...document.querySelectorAll('[data-testid=goal]')];
         return g.length > 0 && g.every(x => x.getAttribute('data-met') === 'true')
                && document.querySelector('[data-testid=completed]') ? true : null;",
        vec![],
    )
    .await?;
    Ok(())
}

async fn report(c: &Client, err: &str) -> String {
    let shot = target_dir().join("e2e-tiered-failure.png");
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

/// A dark-mode screenshot of the tiered matrix with the Why? panel (for looking at).
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
        load_guardrail(&c).await?;
        click(&c, &cell("sandbox/untrusted", "app/api")).await?;
        screenshot(&c, &target_dir().join("e2e-tiered-dark.png")).await
    }
    .await;
    let _ = c.close().await;
    r
}

#[tokio::test(flavor = "current_thread")]
async fn tiered_end_to_end() {
    let started = Instant::now();
    let server = StaticServer::start(dist_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let mut result = tier_marks(&client, &server.url()).await;
    if result.is_ok() {
        result = tiered_exercise(&client).await;
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
    println!("tiered e2e: {:?}", started.elapsed());
    if let Some(msg) = failure {
        panic!("{msg}");
    }
    dark.unwrap();
}
