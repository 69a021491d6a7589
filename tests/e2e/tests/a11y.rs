//! Accessibility of the release build: axe-core (npm `axe-core`, injected into the page) finds
//! no violation of any impact on every view — the playground, the Why? panel, AND vs OR,
//! Compare, the tutorial, an exercise, embed mode, and each of them in dark mode. One browser
//! session.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`) and `node_modules/axe-core` (the
//! root package.json; scripts/lib.sh installs it); fails, never skips, without them.

use std::time::{Duration, Instant};

use fantoccini::Client;
use netpol_e2e::{
    cell, dist_dir, js, repo_root, screenshot, set_viewport, target_dir, wait_js, Chromedriver,
    StaticServer,
};
use serde_json::json;

const T: Duration = Duration::from_secs(20);

/// The axe-core bundle, read once.
fn axe_source() -> String {
    let path = repo_root().join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run `npm ci` at the repository root (scripts/lib.sh does)",
            path.display()
        )
    })
}

/// Runs axe on the page as it is and returns one line per violation (empty when there is none).
async fn axe(c: &Client, axe: &str) -> Result<Vec<String>, String> {
    js(
        c,
        "if (!window.axe) {
           const s = document.createElement('script');
           s.textContent = arguments[0];
           document.head.appendChild(s);
         }
         return !!window.axe;",
        vec![json!(axe)],
    )
    .await?;
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({
                 id: v.id, impact: v.impact,
                 nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' +
                   (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)),
                 count: v.nodes.length,
               }))))
               .catch(e => done([{ id: 'axe-error', impact: 'error', nodes: [String(e)], count: 1 }]));",
            vec![],
        )
        .await
        .map_err(|e| format!("axe.run: {e}"))?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    format!(
                        "{} ({}, {} nodes): {}",
                        x["id"].as_str().unwrap_or("?"),
                        x["impact"].as_str().unwrap_or("?"),
                        x["count"],
                        x["nodes"]
                            .as_array()
                            .map(|n| n
                                .iter()
                                .map(|s| s.as_str().unwrap_or("").to_string())
                                .collect::<Vec<_>>()
                                .join(" | "))
                            .unwrap_or_default()
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Turns the stylesheet's dark-mode rules on (as `prefers-color-scheme: dark` would), in this
/// session, until the next page load.
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

/// Clicks with a script, so that the pointer stays where it is (hovering a matrix header fades
/// the other cells, which is not what a view looks like at rest).
async fn press(c: &Client, css: &str) -> Result<(), String> {
    wait_js(
        c,
        css,
        T,
        "const e = document.querySelector(arguments[0]); if (!e) return null; e.click(); return true;",
        vec![json!(css)],
    )
    .await
    .map(|_| ())
}

async fn wait_for(c: &Client, css: &str) -> Result<(), String> {
    wait_js(
        c,
        css,
        T,
        "return document.querySelector(arguments[0]) !== null;",
        vec![json!(css)],
    )
    .await
    .map(|_| ())
}

/// A toy cluster of 8 namespaces × 30 pods: a matrix large enough to render only a window.
fn large_cluster() -> String {
    let mut s = String::from("namespaces:\n");
    for ns in 0..8 {
        s += &format!("  n{ns}:\n    pods:\n");
        for p in 0..30 {
            s += &format!("      p{p:02}: app=p{p:02}\n");
        }
    }
    s
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

/// Loads `url` with no saved work and waits for the app.
async fn load(c: &Client, url: &str, ready: &str) -> Result<(), String> {
    c.goto(url).await.map_err(|e| format!("goto {url}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    wait_for(c, ready).await
}

/// The views, each checked in light and then dark mode: (name, how to get there from a fresh
/// page).
async fn open_view(c: &Client, base: &str, name: &str) -> Result<(), String> {
    let playground = "[data-testid=policies-editor]";
    match name {
        "playground" => load(c, base, &cell("app/frontend", "app/api")).await,
        "why" => {
            load(c, base, &cell("app/frontend", "app/api")).await?;
            press(c, &cell("app/frontend", "app/api")).await?;
            wait_for(c, "[data-testid=explanation] .verdict").await
        }
        "graph" => {
            load(c, base, playground).await?;
            press(c, "[data-view=graph]").await?;
            wait_for(c, "svg.graph .edge").await
        }
        "large-matrix" => {
            load(c, base, playground).await?;
            set_editor(c, "cluster-editor", &large_cluster()).await?;
            wait_js(
                c,
                "the windowed matrix",
                Duration::from_secs(90),
                "return document.querySelector('[data-windowed=true] button[data-verdict]') !== null;",
                vec![],
            )
            .await
            .map(|_| ())
        }
        "andor" => {
            load(c, base, playground).await?;
            press(c, "[data-view=andor]").await?;
            wait_for(c, "[data-testid=variant], [data-testid=no-variants]").await
        }
        "compare" => {
            load(c, base, playground).await?;
            press(c, "[data-view=compare]").await?;
            press(c, "[data-testid=pin-baseline]").await?;
            wait_for(c, "[data-testid=compare]").await
        }
        "tutorial" => {
            load(c, base, playground).await?;
            press(c, "[data-testid=learn-tutorial]").await?;
            wait_for(c, "[data-testid=learn-panel]").await
        }
        "exercise" => {
            load(c, base, playground).await?;
            press(c, "[data-testid=learn-exercises]").await?;
            press(c, "[data-testid=exercise]").await?;
            wait_for(c, "[data-testid=exercise-open]").await
        }
        "embed" => {
            let url = format!("{base}?embed=1");
            load(c, &url, "[data-testid=embed] button[data-verdict]").await
        }
        "embed-why" => {
            let url = format!("{base}?embed=1&panels=result,why");
            load(c, &url, "[data-testid=embed] button[data-verdict]").await?;
            press(c, "[data-testid=embed] button[data-verdict=allow]").await?;
            wait_for(c, "[data-testid=explanation] .verdict").await
        }
        _ => Err(format!("no view {name}")),
    }
}

const VIEWS: &[&str] = &[
    "playground",
    "why",
    "graph",
    "large-matrix",
    "andor",
    "compare",
    "tutorial",
    "exercise",
    "embed",
    "embed-why",
];

async fn steps(c: &Client, base: &str) -> Result<(), String> {
    let axe_js = axe_source();
    set_viewport(c, 1280, 800).await?;
    let mut found = Vec::new();
    for view in VIEWS {
        for dark in [false, true] {
            open_view(c, base, view).await?;
            if dark {
                force_dark(c).await?;
            }
            // Let transitions (opacity, the stale fade) settle before measuring colours.
            tokio::time::sleep(Duration::from_millis(300)).await;
            let mode = if dark { "dark" } else { "light" };
            let v = axe(c, &axe_js).await?;
            println!("axe, {view} ({mode}): {} violations", v.len());
            if !v.is_empty() {
                let shot = target_dir().join(format!("e2e-a11y-{view}-{mode}.png"));
                screenshot(c, &shot).await?;
            }
            found.extend(v.into_iter().map(|l| format!("{view} ({mode}): {l}")));
        }
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("axe violations:\n{}", found.join("\n")))
    }
}

#[tokio::test(flavor = "current_thread")]
async fn axe_finds_no_violation_on_any_view() {
    let started = Instant::now();
    let server = StaticServer::start(dist_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let result = steps(&client, &server.url()).await;
    let _ = client.close().await;
    drop(driver);
    drop(server);
    println!("a11y e2e total: {:?}", started.elapsed());
    if let Err(e) = result {
        panic!("{e}");
    }
}
