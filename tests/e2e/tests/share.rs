//! End-to-end test of share links and embed mode in the release build: a copied link restores
//! the editors, port and view in a fresh page; a corrupted or truncated link shows a message and
//! the default scenario; the embed test page (`tests/e2e/pages/embed-test.html`, served next to
//! the build) renders the matrix inside its iframe.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::{Client, Locator};
use netpol_e2e::{
    click, dist_dir, js, repo_root, screenshot, set_viewport, settle, target_dir, wait_js,
    Chromedriver, StaticServer,
};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);

/// A copy of the dist dir with the test pages beside it (the server has one root).
fn served_root() -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let root =
        std::env::temp_dir().join(format!("netpol-e2e-share-{}-{nanos}", std::process::id()));
    copy_dir(&dist_dir(), &root);
    let pages = repo_root().join("tests/e2e/pages");
    for e in std::fs::read_dir(&pages).unwrap().flatten() {
        std::fs::copy(e.path(), root.join(e.file_name())).unwrap();
    }
    root
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

async fn wait_app(c: &Client) -> Result<(), String> {
    wait_js(
        c,
        "the app",
        T,
        "return document.querySelector('[data-testid=policies-editor]') ? true : null;",
        vec![],
    )
    .await
    .map(|_| ())
}

/// Opens `url` as a fresh page load (never a same-document fragment navigation).
async fn open(c: &Client, url: &str) -> Result<(), String> {
    c.goto("about:blank").await.map_err(|e| e.to_string())?;
    c.goto(url).await.map_err(|e| format!("goto {url}: {e}"))?;
    wait_app(c).await
}

/// Editors, port and view of the page.
async fn snapshot(c: &Client) -> Result<Value, String> {
    js(
        c,
        "const v = s => document.querySelector(s).value;
         const tab = document.querySelector('[role=tab][aria-selected=true]');
         return {
           policies: v('[data-testid=policies-editor]'),
           cluster: v('[data-testid=cluster-editor]'),
           port: v('[data-testid=port-picker]'),
           view: tab ? tab.textContent : null,
           example: v('[data-testid=examples]'),
           cells: document.querySelectorAll('button[data-verdict]').length,
         };",
        vec![],
    )
    .await
}

async fn share_steps(c: &Client, base: &str) -> Result<(), String> {
    set_viewport(c, 1440, 900).await?;
    c.goto(base).await.map_err(|e| e.to_string())?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    open(c, base).await?;
    let default = snapshot(c).await?;

    // A state worth sharing: edited policies, another port, the graph view.
    js(
        c,
        "const t = document.querySelector('[data-testid=policies-editor]');
         t.focus(); t.value = t.value + '\\n# shared by the e2e test\\n';
         t.dispatchEvent(new Event('input', { bubbles: true }));
         const p = document.querySelector('[data-testid=port-picker]');
         p.value = '53/UDP'; p.dispatchEvent(new Event('change', { bubbles: true }));
         return true;",
        vec![],
    )
    .await?;
    js(
        c,
        "[...document.querySelectorAll('[role=tab]')].find(t => t.textContent === 'Graph').click(); return true;",
        vec![],
    )
    .await?;
    // The core answers in its worker: the view changes when its reply arrives.
    settle(c).await?;
    let wanted = snapshot(c).await?;
    if wanted["port"] != json!("53/UDP") || wanted["view"] != json!("Graph") {
        return Err(format!("could not set up the state to share: {wanted}"));
    }
    click(c, "[data-testid=copy-link]").await?;
    let link = wait_js(
        c,
        "the share link",
        T,
        "const i = document.querySelector('[data-testid=share-url]'); return i && i.value ? i.value : null;",
        vec![],
    )
    .await?;
    let link = link.as_str().unwrap_or("").to_string();
    if !link.contains("#s=v1.") || !link.starts_with(base) {
        return Err(format!("not a share link: {link}"));
    }
    // The embed snippet, too.
    click(c, "[data-testid=copy-embed]").await?;
    let snippet = wait_js(
        c,
        "the embed snippet",
        T,
        "const i = document.querySelector('[data-testid=embed-snippet]'); return i && i.value ? i.value : null;",
        vec![],
    )
    .await?;
    let snippet = snippet.as_str().unwrap_or("");
    if !snippet.starts_with("<iframe src=\"")
        || !snippet.contains("embed=1")
        || !snippet.contains("#s=v1.")
    {
        return Err(format!("embed snippet: {snippet}"));
    }

    // A fresh page (localStorage cleared, so only the link can restore the state).
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    open(c, &link).await?;
    let restored = snapshot(c).await?;
    for k in ["policies", "cluster", "port", "view"] {
        if restored[k] != wanted[k] {
            return Err(format!(
                "{k} not restored from the link: got {}, wanted {}",
                restored[k], wanted[k]
            ));
        }
    }
    let hash = js(c, "return location.hash;", vec![]).await?;
    if hash != json!("") {
        return Err(format!(
            "the fragment should be cleared after restoring: {hash}"
        ));
    }
    // The link also wins over localStorage (which now holds the restored state, then an edit).
    js(
        c,
        "const t = document.querySelector('[data-testid=policies-editor]');
         t.value = '# something else\\n'; t.dispatchEvent(new Event('input', { bubbles: true }));
         return true;",
        vec![],
    )
    .await?;
    open(c, &link).await?;
    if snapshot(c).await?["policies"] != wanted["policies"] {
        return Err("the link did not take precedence over localStorage".into());
    }

    // Corrupted and truncated links: a message and the default scenario, never a blank page.
    let truncated = link[..link.len() - link.len().min(40)].to_string();
    for bad in [
        format!("{base}#s=v1.AAAA!"),
        truncated,
        format!("{base}#s=v9.AAAA"),
    ] {
        js(c, "localStorage.clear(); return true;", vec![]).await?;
        open(c, &bad).await?;
        let msg = wait_js(
            c,
            "the share-error message",
            T,
            "const e = document.querySelector('[data-testid=share-error]'); return e ? e.textContent : null;",
            vec![],
        )
        .await?;
        let now = snapshot(c).await?;
        for k in ["policies", "cluster", "example"] {
            if now[k] != default[k] {
                return Err(format!(
                    "{bad}: {k} is not the default scenario's: {}",
                    now[k]
                ));
            }
        }
        if now["cells"].as_u64().unwrap_or(0) == 0 {
            return Err(format!("{bad}: no matrix shown"));
        }
        if !msg.as_str().unwrap_or("").contains("default scenario") {
            return Err(format!("{bad}: unclear message: {msg}"));
        }
    }
    screenshot(c, &target_dir().join("e2e-share-error.png")).await?;
    click(c, "[data-testid=share-error-dismiss]").await?;
    wait_js(
        c,
        "the message to go away",
        T,
        "return document.querySelector('[data-testid=share-error]') ? null : true;",
        vec![],
    )
    .await?;
    Ok(())
}

async fn embed_steps(c: &Client, base: &str) -> Result<(), String> {
    set_viewport(c, 1100, 900).await?;
    let url = format!("{base}embed-test.html");
    c.goto(&url).await.map_err(|e| format!("goto {url}: {e}"))?;
    let frame = c
        .wait()
        .at_most(T)
        .for_element(Locator::Css("#embed"))
        .await
        .map_err(|e| format!("no iframe: {e}"))?;
    frame
        .enter_frame()
        .await
        .map_err(|e| format!("enter the frame: {e}"))?;
    let sel = r#"button[data-from="app/db"][data-to="app/api"]"#;
    wait_js(
        c,
        "the matrix inside the iframe",
        T,
        "const e = document.querySelector(arguments[0]);
         return e && e.getAttribute('data-verdict') === 'deny' ? true : null;",
        vec![json!(sel)],
    )
    .await?;
    let inside = js(
        c,
        "return {
           header: !!document.querySelector('header.top'),
           embed: !!document.querySelector('[data-testid=embed]'),
           editor: !!document.querySelector('[data-testid=policies-editor]'),
           open: (document.querySelector('[data-testid=open-in-playground]') || {}).href || '',
           allow: (document.querySelector('button[data-from=\"app/frontend\"][data-to=\"app/api\"]') || {}).dataset?.verdict,
         };",
        vec![],
    )
    .await?;
    if inside["header"] != json!(false)
        || inside["embed"] != json!(true)
        || inside["editor"] != json!(true)
        || !inside["open"].as_str().unwrap_or("").contains("#s=v1.")
        || inside["allow"] != json!("allow")
    {
        return Err(format!("embed layout: {inside}"));
    }
    c.enter_parent_frame().await.map_err(|e| e.to_string())?;
    // The read-only frame: matrix only, no editor.
    let ro = c
        .find(Locator::Css("#embed-ro"))
        .await
        .map_err(|e| e.to_string())?;
    ro.enter_frame().await.map_err(|e| e.to_string())?;
    wait_js(
        c,
        "the matrix in the read-only frame",
        T,
        "return document.querySelector('button[data-verdict]') && !document.querySelector('[data-testid=policies-editor]') ? true : null;",
        vec![],
    )
    .await?;
    c.enter_parent_frame().await.map_err(|e| e.to_string())?;
    screenshot(c, &target_dir().join("e2e-embed.png")).await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn share_and_embed_end_to_end() {
    let started = Instant::now();
    let root = served_root();
    let server = StaticServer::start(root.clone());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let base = server.url();
    let mut result = share_steps(&client, &base).await;
    if result.is_ok() {
        result = embed_steps(&client, &base).await;
    }
    let failure = match &result {
        Ok(()) => None,
        Err(e) => {
            let _ = client.enter_parent_frame().await;
            let shot = target_dir().join("e2e-share-failure.png");
            let _ = screenshot(&client, &shot).await;
            let body = js(
                &client,
                "return document.body ? document.body.innerText.slice(0, 2000) : '';",
                vec![],
            )
            .await
            .unwrap_or_default();
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
    let _ = std::fs::remove_dir_all(&root);
    println!("share e2e: {:?}", started.elapsed());
    if let Some(msg) = failure {
        panic!("{msg}");
    }
}
