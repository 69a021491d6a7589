//! End-to-end test of the live blocks for static docs (`live/`): the demo page turns its marked
//! `<pre>` blocks live, shows the matrix, and updates it on edit.
//!
//! Needs `live/build.sh` first (live/pkg/); fails, never skips, without it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use netpol_e2e::{js, repo_root, screenshot, target_dir, wait_js, Chromedriver, StaticServer};
use serde_json::json;

const T: Duration = Duration::from_secs(20);

fn live_dir() -> PathBuf {
    let dir = repo_root().join("live");
    if !dir.join("pkg/netpol_live_bg.wasm").is_file() {
        panic!(
            "no live bundle at {}/pkg: run live/build.sh first (scripts/test.sh does)",
            dir.display()
        );
    }
    dir
}

/// Waits until the cell `from` → `to` of group `#group` shows `verdict`.
async fn expect_verdict(
    c: &Client,
    group: &str,
    from: &str,
    to: &str,
    verdict: &str,
) -> Result<(), String> {
    let sel = format!(r#"#{group} button[data-from="{from}"][data-to="{to}"]"#);
    let script = "const e = document.querySelector(arguments[0]);
                  return e && e.getAttribute('data-verdict') === arguments[1] ? true : null;";
    if wait_js(c, "a verdict", T, script, vec![json!(sel), json!(verdict)])
        .await
        .is_err()
    {
        let actual = js(
            c,
            "const e = document.querySelector(arguments[0]); return e ? e.getAttribute('data-verdict') : 'no such cell';",
            vec![json!(sel)],
        )
        .await?;
        return Err(format!(
            "#{group} {from} -> {to}: expected {verdict}, got {actual}"
        ));
    }
    Ok(())
}

/// Replaces the text of a live block as typing would (text + `input` event).
async fn set_block(c: &Client, group: &str, which: &str, f: &str) -> Result<(), String> {
    js(
        c,
        &format!(
            "const p = document.querySelector(`#{group} pre[data-netpol={which}]`);
             p.focus();
             p.textContent = ({f})(p.textContent);
             p.dispatchEvent(new InputEvent('input', {{ bubbles: true }}));
             return true;"
        ),
        vec![],
    )
    .await
    .map(|_| ())
}

async fn steps(c: &Client, base: &str) -> Result<(), String> {
    let url = format!("{base}demo.html");
    c.goto(&url).await.map_err(|e| format!("goto {url}: {e}"))?;
    wait_js(
        c,
        "both groups to be live",
        T,
        "const g = [...document.querySelectorAll('[data-netpol-group]')];
         return g.length === 2 && g.every(x => x.getAttribute('data-netpol-state') === 'ready') ? true : null;",
        vec![],
    )
    .await?;
    // The blocks are editable and the matrix is there.
    let editable = js(
        c,
        "return [...document.querySelectorAll('pre[data-netpol]')].every(p => p.isContentEditable);",
        vec![],
    )
    .await?;
    if editable != json!(true) {
        return Err("the marked <pre> blocks are not editable".into());
    }
    // 1. Default deny (53/UDP): app/api cannot reach CoreDNS.
    expect_verdict(c, "deny", "app/api", "kube-system/coredns", "deny").await?;
    expect_verdict(c, "deny", "app/api", "app/api", "allow").await?;
    // Editing the policies (dropping Egress from policyTypes) re-opens egress.
    set_block(c, "deny", "policies", "t => t.replace('  - Egress\\n', '')").await?;
    expect_verdict(c, "deny", "app/api", "kube-system/coredns", "allow").await?;
    expect_verdict(c, "deny", "app/frontend", "app/api", "deny").await?;
    // Real typing: Ctrl+End, Enter, and the line back: denied again.
    let pre = c
        .find(Locator::Css("#deny pre[data-netpol=policies]"))
        .await
        .map_err(|e| format!("policies block: {e}"))?;
    pre.click()
        .await
        .map_err(|e| format!("click the block: {e}"))?;
    pre.send_keys("\u{E009}\u{E010}\u{E009}\u{E007}  - Egress")
        .await
        .map_err(|e| format!("type: {e}"))?;
    expect_verdict(c, "deny", "app/api", "kube-system/coredns", "deny").await?;
    // A click explains.
    c.find(Locator::Css(
        r#"#deny button[data-from="app/frontend"][data-to="app/api"]"#,
    ))
    .await
    .map_err(|e| format!("cell: {e}"))?
    .click()
    .await
    .map_err(|e| format!("click: {e}"))?;
    wait_js(
        c,
        "the explanation",
        T,
        "const e = document.querySelector('#deny .nl-explain');
         return e && e.textContent.includes('app/frontend → app/api on 53/UDP is DENIED') ? true : null;",
        vec![],
    )
    .await?;
    // 2. Allow DNS: allowed on 53/UDP, denied on 8080/TCP (port picker).
    expect_verdict(c, "dns", "app/api", "kube-system/coredns", "allow").await?;
    c.find(Locator::Css("#dns select"))
        .await
        .map_err(|e| format!("port picker: {e}"))?
        .select_by_value("8080/TCP")
        .await
        .map_err(|e| format!("select 8080/TCP: {e}"))?;
    expect_verdict(c, "dns", "app/api", "kube-system/coredns", "deny").await?;
    // A broken policy: a positioned diagnostic, and the rest still evaluated.
    set_block(
        c,
        "dns",
        "policies",
        "t => t.replace('policyTypes: [Egress]', 'policyTypes: [Egres]')",
    )
    .await?;
    wait_js(
        c,
        "a diagnostic",
        T,
        "const e = document.querySelector('#dns .nl-diags li[data-severity=error]');
         return e && e.textContent.includes('line 17') ? true : null;",
        vec![],
    )
    .await?;
    // The "Open in playground" link carries the state.
    let href = js(
        c,
        "return document.querySelector('#deny .nl-open').href;",
        vec![],
    )
    .await?;
    if !href.as_str().is_some_and(|h| h.contains("#s=v1.")) {
        return Err(format!("Open in playground link: {href}"));
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn live_blocks_demo_page() {
    let started = Instant::now();
    let server = StaticServer::start(live_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let result = steps(&client, &server.url()).await;
    if result.is_err() {
        let _ = screenshot(&client, &target_dir().join("e2e-live-failure.png")).await;
    }
    let _ = client.close().await;
    drop(driver);
    drop(server);
    println!("live blocks e2e: {:?}", started.elapsed());
    if let Err(e) = result {
        panic!("{e} (screenshot: target/e2e-live-failure.png)");
    }
}
