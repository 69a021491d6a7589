//! End-to-end test of the "AND vs OR" and "Compare" tabs in the release build (issue 4).
//!
//! The cross-namespace example has one policy, `app/api-allow-web-frontend`, whose single `from`
//! item holds `namespaceSelector: {team: web}` AND `podSelector: {app: frontend}` on 8080/TCP.
//! Derived by hand from the API semantics (items ORed, selectors in one item ANDed):
//! - now (AND): into app/api on 8080 only pods labelled app=frontend in team=web namespaces, i.e.
//!   web/frontend (web/admin has the wrong pod label, shop/frontend the wrong namespace label);
//! - the OR variant (two items): every pod in team=web namespaces (web/frontend, web/admin) plus
//!   pods labelled app=frontend in the policy's namespace `app` (none).
//!
//! So the one variant gains exactly one flow, web/admin → app/api on 8080/TCP, and loses none.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`).

use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use netpol_e2e::{
    click, dist_dir, expect_verdict, js, screenshot, set_viewport, target_dir, wait_js,
    Chromedriver, StaticServer,
};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);
const EDITOR: &str = "[data-testid=policies-editor]";

async fn count(c: &Client, css: &str) -> Result<u64, String> {
    js(
        c,
        "return document.querySelectorAll(arguments[0]).length;",
        vec![json!(css)],
    )
    .await?
    .as_u64()
    .ok_or_else(|| format!("count {css}"))
}

async fn wait_count(c: &Client, css: &str, n: u64) -> Result<(), String> {
    let r = wait_js(
        c,
        &format!("{n} × {css}"),
        T,
        "return document.querySelectorAll(arguments[0]).length === arguments[1] ? true : null;",
        vec![json!(css), json!(n)],
    )
    .await;
    if r.is_err() {
        return Err(format!(
            "expected {n} × {css}, found {}",
            count(c, css).await?
        ));
    }
    Ok(())
}

async fn policies_text(c: &Client) -> Result<String, String> {
    js(
        c,
        "return document.querySelector(arguments[0]).value;",
        vec![json!(EDITOR)],
    )
    .await?
    .as_str()
    .map(str::to_string)
    .ok_or_else(|| "policies editor has no value".into())
}

async fn wait_text(c: &Client, what: &str, expected: &str) -> Result<(), String> {
    let r = wait_js(
        c,
        what,
        T,
        "return document.querySelector(arguments[0]).value === arguments[1] ? true : null;",
        vec![json!(EDITOR), json!(expected)],
    )
    .await;
    if r.is_err() {
        return Err(format!(
            "{what}: the policies editor holds\n{}",
            policies_text(c).await?
        ));
    }
    Ok(())
}

async fn load_cross_namespace(c: &Client, base: &str) -> Result<(), String> {
    // A fresh start: the browser profile may hold an earlier session's work.
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    set_viewport(c, 1440, 900).await?;
    let sel = c
        .wait()
        .at_most(T)
        .for_element(Locator::Css("[data-testid=examples]"))
        .await
        .map_err(|e| format!("examples picker: {e}"))?;
    sel.select_by_value("cross-namespace")
        .await
        .map_err(|e| format!("select cross-namespace: {e}"))?;
    wait_js(
        c,
        "the cross-namespace policies",
        T,
        "const t = document.querySelector(arguments[0]);
         return t && t.value.includes('api-allow-web-frontend') ? true : null;",
        vec![json!(EDITOR)],
    )
    .await?;
    Ok(())
}

/// Sets an editor's text as typing would.
async fn set_editor(c: &Client, editor: &str, text: &str) -> Result<(), String> {
    js(
        c,
        "const t = document.querySelector(arguments[0]);
         t.focus(); t.value = arguments[1];
         t.dispatchEvent(new Event('input', { bubbles: true })); return true;",
        vec![json!(editor), json!(text)],
    )
    .await
    .map(|_| ())
}

/// Keystroke figures on the workshop-size scenario: the page's `data-ms` (edit → updated view;
/// lints and variants are deferred to a 150 ms pause, timed in web/tests/andor.rs).
async fn timings(c: &Client, label: &str) -> Result<(), String> {
    let (cluster, policies) = netpol_examples::workshop_scenario();
    set_editor(c, "[data-testid=cluster-editor]", &cluster).await?;
    set_editor(c, EDITOR, &policies).await?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let mut edit = Vec::new();
    for i in 0..12 {
        js(
            c,
            "const e = document.querySelector('[data-testid=eval-time]');
             e.removeAttribute('data-ms'); return true;",
            vec![],
        )
        .await?;
        set_editor(c, EDITOR, &format!("{policies}# edit {i}\n")).await?;
        let v = wait_js(
            c,
            "data-ms",
            T,
            "return document.querySelector('[data-testid=eval-time]').getAttribute('data-ms');",
            vec![],
        )
        .await?;
        edit.push(
            v.as_str()
                .and_then(|s| s.parse::<f64>().ok())
                .unwrap_or(f64::NAN),
        );
        // Let the deferred work run before the next edit, as a typing pause would.
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let s = &mut edit;
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "workshop scenario, {label}, keystroke (data-ms): min {:.1} / median {:.1} / max {:.1} ms",
        s[0],
        s[s.len() / 2],
        s[s.len() - 1]
    );
    Ok(())
}

async fn steps(c: &Client, base: &str) -> Result<(), String> {
    let mut t0 = Instant::now();
    let mut lap = |name: &str| {
        println!("step {name}: {:?}", t0.elapsed());
        t0 = Instant::now();
    };
    load_cross_namespace(c, base).await?;
    lap("load");

    // The AND vs OR tab: one variant, one gained cell (web/admin → app/api, denied now), no lost.
    click(c, "[data-view=andor]").await?;
    wait_count(c, "[data-testid=variant]", 1).await?;
    wait_count(c, "[data-testid=andor] [data-diff=gained]", 1).await?;
    wait_count(c, "[data-testid=andor] [data-diff=lost]", 0).await?;
    wait_count(
        c,
        r#"[data-diff=gained][data-from="web/admin"][data-to="app/api"][data-verdict=deny]"#,
        1,
    )
    .await?;
    let counts = js(
        c,
        "return document.querySelector('[data-testid=variant-counts]').textContent;",
        vec![],
    )
    .await?;
    if counts != json!("1 flow gained / 0 lost on 1 port range") {
        return Err(format!("variant counts: {counts}"));
    }
    // The highlighted difference in the fragments: the dash of the second item.
    let marks = js(
        c,
        "return [...document.querySelectorAll('.frag-side.alt mark.chg')].map(m => m.textContent).join('|');",
        vec![],
    )
    .await?;
    if marks != json!("-") {
        return Err(format!("highlighted variant characters: {marks}"));
    }
    js(
        c,
        "document.querySelector('[data-testid=andor] [data-diff=gained]').scrollIntoView({block: 'center'}); return true;",
        vec![],
    )
    .await?;
    screenshot(c, &target_dir().join("e2e-andor.png")).await?;
    lap("and-or view");

    // Apply: the text changes (two items), the main matrix now allows web/admin → app/api.
    let before = policies_text(c).await?;
    click(c, "[data-testid=apply-variant]").await?;
    wait_js(
        c,
        "the policies text to change",
        T,
        "return document.querySelector(arguments[0]).value !== arguments[1] ? true : null;",
        vec![json!(EDITOR), json!(before)],
    )
    .await?;
    let after = policies_text(c).await?;
    if !after.contains("    - namespaceSelector:") || !after.contains("    - podSelector:") {
        return Err(format!("applied text:\n{after}"));
    }
    // The reverse variant (merge) now loses that flow; the OR-bug lint appears in the list.
    wait_count(c, "[data-testid=variant][data-kind=merge]", 1).await?;
    wait_count(c, "[data-testid=andor] [data-diff=lost]", 1).await?;
    wait_count(c, "[data-testid=diagnostics] [data-code=or-bug]", 1).await?;
    screenshot(c, &target_dir().join("e2e-andor-applied.png")).await?;
    click(c, "[data-view=matrix]").await?;
    expect_verdict(c, "web/admin", "app/api", "allow").await?;
    expect_verdict(c, "web/frontend", "app/api", "allow").await?;
    expect_verdict(c, "shop/frontend", "app/api", "deny").await?;
    lap("apply");

    // Undo (the button) restores the text and the verdicts.
    click(c, "[data-view=andor]").await?;
    click(c, "[data-testid=undo]").await?;
    wait_text(c, "Undo to restore the text", &before).await?;
    click(c, "[data-view=matrix]").await?;
    expect_verdict(c, "web/admin", "app/api", "deny").await?;
    lap("undo button");

    // The edit is in the browser's own undo history too: Ctrl+Z in the editor.
    click(c, "[data-view=andor]").await?;
    click(c, "[data-testid=apply-variant]").await?;
    wait_text(c, "Apply again", &after).await?;
    let ta = c
        .find(Locator::Css(EDITOR))
        .await
        .map_err(|e| format!("editor: {e}"))?;
    ta.send_keys("\u{E009}z\u{E009}")
        .await
        .map_err(|e| format!("ctrl+z: {e}"))?;
    wait_text(c, "Ctrl+Z in the editor to restore the text", &before).await?;
    click(c, "[data-view=matrix]").await?;
    expect_verdict(c, "web/admin", "app/api", "deny").await?;
    lap("native undo");

    // Compare: pin, edit (drop the podSelector: every pod of team=web gets in), see the diff.
    click(c, "[data-view=compare]").await?;
    click(c, "[data-testid=pin-baseline]").await?;
    wait_count(c, "[data-testid=equivalent]", 1).await?;
    let edited = before.replace(
        "      podSelector:\n        matchLabels:\n          app: frontend\n",
        "",
    );
    if edited == before {
        return Err("the example's podSelector lines moved".into());
    }
    js(
        c,
        "const t = document.querySelector(arguments[0]);
         t.focus(); t.value = arguments[1];
         t.dispatchEvent(new Event('input', { bubbles: true })); return true;",
        vec![json!(EDITOR), json!(edited)],
    )
    .await?;
    wait_count(
        c,
        r#"[data-testid=compare] [data-diff=gained][data-from="web/admin"][data-to="app/api"][data-verdict=allow]"#,
        1,
    )
    .await?;
    wait_count(c, "[data-testid=compare] .diff-matrix [data-diff]", 1).await?;
    wait_count(
        c,
        "[data-testid=compare] li.changed-flow[data-diff=gained]",
        1,
    )
    .await?;
    click(c, "[data-testid=compare] li.changed-flow summary").await?;
    screenshot(c, &target_dir().join("e2e-compare.png")).await?;
    // The baseline survives a reload.
    c.refresh().await.map_err(|e| format!("reload: {e}"))?;
    wait_count(
        c,
        "[data-testid=compare] li.changed-flow[data-diff=gained]",
        1,
    )
    .await?;
    click(c, "[data-testid=clear-baseline]").await?;
    wait_count(c, "[data-testid=compare] [data-diff]", 0).await?;
    lap("compare");

    // Figures: the workshop-size scenario in the Matrix tab (lints deferred) and the AND vs OR tab.
    click(c, "[data-view=matrix]").await?;
    timings(c, "Matrix tab").await?;
    click(c, "[data-view=andor]").await?;
    timings(c, "AND vs OR tab").await?;
    lap("timings");
    Ok(())
}

/// A dark-mode screenshot of the AND vs OR tab (for looking at).
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
        load_cross_namespace(&c, base).await?;
        click(&c, "[data-view=andor]").await?;
        wait_count(&c, "[data-testid=andor] [data-diff=gained]", 1).await?;
        screenshot(&c, &target_dir().join("e2e-andor-dark.png")).await
    }
    .await;
    let _ = c.close().await;
    r
}

async fn failure_report(c: &Client, err: &str) -> String {
    let shot = target_dir().join("e2e-andor-failure.png");
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

#[tokio::test(flavor = "current_thread")]
async fn and_or_view_end_to_end() {
    let started = Instant::now();
    let server = StaticServer::start(dist_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let result = steps(&client, &server.url()).await;
    let failure = match &result {
        Ok(()) => None,
        Err(e) => Some(failure_report(&client, e).await),
    };
    let _ = client.close().await;
    let dark = if failure.is_none() {
        dark_screenshot(&driver, &server.url()).await
    } else {
        Ok(())
    };
    drop(driver);
    drop(server);
    println!("e2e (AND vs OR) total: {:?}", started.elapsed());
    if let Some(msg) = failure {
        panic!("{msg}");
    }
    dark.unwrap();
}
