//! End-to-end test of the page's layout and hosting in the release build, served under a
//! sub-path (`/netpol/`, as the README's `https://YOUR-HOST/netpol/`): a phone (390×844) stacks
//! the panels and keeps the matrix in view; at 1280×800 the Why? panel, the AND vs OR and the
//! Compare views get their space and show their changed cell; at 1024 the header is one row;
//! every embed panel set at 600×400 has a usable result and a port picker; a second share link
//! opened in the same tab is shown; nothing the page asks for is missing (no favicon 404); a
//! build without its wasm says so. Screenshots of every view at 1280, 1024 and 390 wide, light
//! and dark, go to `target/e2e-layout-*.png`.
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::{Client, Locator};
use netpol_e2e::{
    click, dist_dir, emulate_dark, emulate_viewport, js, screenshot, target_dir, wait_js,
    Chromedriver, StaticServer,
};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);

/// The documented `panels` values of an embed (README "Embedding"), each set with a result,
/// and the default (no `panels`).
const EMBED_PANELS: &[&str] = &[
    "",
    "result",
    "policies,result",
    "cluster,result",
    "editors,result",
    "result,why",
    "policies,result,why",
    "cluster,result,why",
    "editors,result,why",
];

fn temp_dir(name: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("netpol-e2e-{name}-{}-{nanos}", std::process::id()))
}

/// A copy of `from` without the files for which `skip` is true.
fn copy_dir(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()), skip);
        } else if !skip(&p) {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

async fn wait_app(c: &Client) -> Result<(), String> {
    wait_js(
        c,
        "the app",
        T,
        "return document.querySelector('[data-testid=policies-editor]') && document.querySelector('button[data-verdict]') ? true : null;",
        vec![],
    )
    .await
    .map(|_| ())
}

/// A fresh page at `url` with nothing saved.
async fn fresh(c: &Client, url: &str) -> Result<(), String> {
    c.goto(url).await.map_err(|e| format!("goto {url}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.goto("about:blank").await.map_err(|e| e.to_string())?;
    c.goto(url).await.map_err(|e| format!("goto {url}: {e}"))?;
    Ok(())
}

/// Fails with `what` and the measurements when `ok` is false.
fn check(ok: bool, what: &str, measured: &Value) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("{what}: {measured}"))
    }
}

/// True when the element matching `css` lies inside the visible part of its scrolling
/// result panel and of the viewport (JS `visibleIn`, for `wait_js`).
const VISIBLE_JS: &str = "
    const e = document.querySelector(arguments[0]);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    const box = e.closest('.result-body') || document.documentElement;
    const b = box.getBoundingClientRect();
    const inside = r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.left >= b.left - 1 && r.right <= b.right + 1;
    const onScreen = r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
    return inside && onScreen ? true : null;";

async fn phone(c: &Client, base: &str) -> Result<(), String> {
    emulate_viewport(c, 390, 844).await?;
    fresh(c, base).await?;
    wait_app(c).await?;
    let m = js(
        c,
        "const rect = s => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().toJSON() : null; };
         return {
           page: document.documentElement.scrollWidth,
           editor: rect('[data-testid=policies-editor]'),
           result: rect('section.panel.result .result-body'),
           switcher: rect('[data-testid=pane-switch]'),
           wide: [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.result-body, .code-area, .pane-switch'))
             .slice(0, 6).map(e => e.tagName + '.' + e.className),
         };",
        vec![],
    )
    .await?;
    check(
        m["page"].as_f64().unwrap_or(9e9) <= 391.0,
        "the page is wider than the phone",
        &m,
    )?;
    check(
        m["editor"]["width"].as_f64().unwrap_or(0.0) >= 300.0,
        "the editor is not usable",
        &m,
    )?;
    check(
        m["result"]["width"].as_f64().unwrap_or(0.0) >= 300.0,
        "the result is not usable",
        &m,
    )?;
    check(
        m["switcher"]["height"].as_f64().unwrap_or(0.0) > 20.0,
        "no panel switcher",
        &m,
    )?;
    // Every panel is one tap away; the matrix shows a cell in view.
    for (pane, css) in [
        ("result", "section.panel.result"),
        ("why", "section.panel.why"),
        ("policies", "section.panel.policies"),
        ("editors", "main.layout > .left"),
    ] {
        click(c, &format!("[data-pane={pane}]")).await?;
        wait_js(
            c,
            &format!("the {pane} panel at the top"),
            T,
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             const bottom = scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
             return r.top >= 0 && (r.top < 120 || bottom) ? true : null;",
            vec![json!(css)],
        )
        .await?;
    }
    click(c, "[data-pane=result]").await?;
    wait_js(
        c,
        "a matrix cell in view",
        T,
        VISIBLE_JS,
        vec![json!("section.panel.result button[data-verdict]")],
    )
    .await?;
    // Clicking a cell brings its explanation into view.
    click(c, "section.panel.result button[data-verdict]").await?;
    wait_js(
        c,
        "the explanation in view",
        T,
        "const e = document.querySelector('[data-testid=explanation] .verdict');
         if (!e) return null;
         const r = e.getBoundingClientRect();
         return r.top >= 0 && r.bottom <= innerHeight ? true : null;",
        vec![],
    )
    .await?;
    Ok(())
}

/// The rect of `css` as JSON (`null` when missing).
async fn rect(c: &Client, css: &str) -> Result<Value, String> {
    js(
        c,
        "const e = document.querySelector(arguments[0]); return e ? e.getBoundingClientRect().toJSON() : null;",
        vec![json!(css)],
    )
    .await
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

async fn select_example(c: &Client, id: &str) -> Result<(), String> {
    c.find(Locator::Css("[data-testid=examples]"))
        .await
        .map_err(|e| e.to_string())?
        .select_by_value(id)
        .await
        .map_err(|e| format!("select {id}: {e}"))?;
    wait_js(
        c,
        "the example",
        T,
        "return document.querySelector('[data-testid=examples]').value === arguments[0] ? true : null;",
        vec![json!(id)],
    )
    .await
    .map(|_| ())
}

async fn desktop(c: &Client, base: &str) -> Result<(), String> {
    emulate_viewport(c, 1280, 800).await?;
    fresh(c, base).await?;
    wait_app(c).await?;
    // The Why? panel has the height for both sides of a flow.
    click(c, "section.panel.result button[data-verdict=deny]").await?;
    wait_js(
        c,
        "the explanation",
        T,
        "return document.querySelector('[data-testid=explanation] .verdict') ? true : null;",
        vec![],
    )
    .await?;
    let why = rect(c, "[data-testid=explanation]").await?;
    check(
        why["height"].as_f64().unwrap_or(0.0) >= 330.0,
        "the Why? panel is too short at 1280×800",
        &why,
    )?;
    check(
        why["bottom"].as_f64().unwrap_or(9e9) <= 800.0,
        "the Why? panel runs below the fold",
        &why,
    )?;

    // AND vs OR: the gained cell is in view without scrolling.
    select_example(c, "cross-namespace").await?;
    click(c, "[data-view=andor]").await?;
    wait_js(
        c,
        "the AND vs OR changed cell in view",
        T,
        VISIBLE_JS,
        vec![json!("[data-testid=andor] [data-diff]")],
    )
    .await?;
    let body = rect(c, "#result-view").await?;
    check(
        body["height"].as_f64().unwrap_or(0.0) >= 450.0,
        "the AND vs OR view is cramped",
        &body,
    )?;

    // Compare: pin, break a rule, the lost cell is in view.
    click(c, "[data-view=compare]").await?;
    click(c, "[data-testid=pin-baseline]").await?;
    let text = js(
        c,
        "return document.querySelector('[data-testid=policies-editor]').value;",
        vec![],
    )
    .await?;
    let text = text
        .as_str()
        .unwrap_or("")
        .replace("app: frontend", "app: nobody");
    set_policies(c, &text).await?;
    wait_js(
        c,
        "the lost cell in view",
        T,
        VISIBLE_JS,
        vec![json!("[data-testid=compare] [data-diff=lost]")],
    )
    .await?;

    // At 1024 the header is one row and the Example menu shows its whole title.
    for width in [1280, 1024] {
        emulate_viewport(c, width, 768).await?;
        let m = js(
            c,
            "const h = document.querySelector('header.top');
             const s = document.querySelector('[data-testid=examples]');
             const ctx = document.createElement('canvas').getContext('2d');
             ctx.font = getComputedStyle(s).font;
             const text = s.options[s.selectedIndex].text;
             return { header: h.getBoundingClientRect().height, select: s.clientWidth,
                      text: ctx.measureText(text).width, title: text,
                      parts: [...document.querySelectorAll('header.top .brand, header.top .controls > *, header.top .learn-buttons')]
                        .map(e => e.className + ' ' + Math.round(e.getBoundingClientRect().width)) };",
            vec![],
        )
        .await?;
        check(
            m["header"].as_f64().unwrap_or(999.0) <= 60.0,
            &format!("the header wraps at {width}"),
            &m,
        )?;
        check(
            m["select"].as_f64().unwrap_or(0.0) >= m["text"].as_f64().unwrap_or(0.0) + 32.0,
            &format!("the Example menu is cut at {width}"),
            &m,
        )?;
    }

    // Learn open at 1280: the tutorial's code and the matrix's column headers are not clipped.
    emulate_viewport(c, 1280, 800).await?;
    click(c, "[data-view=matrix]").await?;
    click(c, "[data-testid=learn-tutorial]").await?;
    wait_js(
        c,
        "the tutorial",
        T,
        "return document.querySelector('aside.learn .md') ? true : null;",
        vec![],
    )
    .await?;
    let m = js(
        c,
        "const clipped = e => e.scrollWidth > e.clientWidth + 1;
         return {
           code: [...document.querySelectorAll('aside.learn pre.md-code')].filter(clipped).map(e => e.textContent.slice(0, 40)),
           heads: [...document.querySelectorAll('.matrix .ns-col span, .matrix .col-head .vert')]
             .filter(e => e.scrollWidth > e.getBoundingClientRect().width + 1 || e.scrollHeight > e.clientHeight + 1)
             .map(e => e.textContent),
         };",
        vec![],
    )
    .await?;
    check(
        m["code"].as_array().is_some_and(Vec::is_empty)
            && m["heads"].as_array().is_some_and(Vec::is_empty),
        "clipped with Learn open at 1280",
        &m,
    )?;
    // An external endpoint's group ("outside the cluster") is one narrow column.
    select_example(c, "egress-cidr").await?;
    let heads = js(
        c,
        "const box = document.querySelector('#result-view').getBoundingClientRect();
         return [...document.querySelectorAll('.matrix .ns-col span')]
           .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > box.right - 12)
           .map(e => e.textContent);",
        vec![],
    )
    .await?;
    check(
        heads.as_array().is_some_and(Vec::is_empty),
        "clipped group headers",
        &heads,
    )?;
    Ok(())
}

async fn embeds(c: &Client, base: &str) -> Result<(), String> {
    emulate_viewport(c, 600, 400).await?;
    for panels in EMBED_PANELS {
        let url = if panels.is_empty() {
            format!("{base}?embed=1")
        } else {
            format!("{base}?embed=1&panels={panels}")
        };
        c.goto(&url).await.map_err(|e| format!("goto {url}: {e}"))?;
        wait_js(c, "the embed", T, "return document.querySelector('[data-testid=embed] button[data-verdict]') ? true : null;", vec![]).await?;
        let m = js(
            c,
            "const r = document.querySelector('[data-testid=embed-result]').getBoundingClientRect();
             return { result: r.height, width: r.width,
                      ports: document.querySelectorAll('[data-testid=embed] [data-testid=port-picker] option').length,
                      why: !!document.querySelector('[data-testid=explanation]') };",
            vec![],
        )
        .await?;
        let what = format!("embed panels={panels:?} at 600×400");
        check(
            m["result"].as_f64().unwrap_or(0.0) > 150.0,
            &format!("{what}: the result is crushed"),
            &m,
        )?;
        check(
            m["width"].as_f64().unwrap_or(0.0) > 250.0,
            &format!("{what}: the result is narrow"),
            &m,
        )?;
        check(
            m["ports"].as_u64().unwrap_or(0) >= 2,
            &format!("{what}: no port picker"),
            &m,
        )?;
        let wants_why = panels.is_empty() || panels.contains("why");
        check(
            m["why"] == json!(wants_why),
            &format!("{what}: the Why? panel"),
            &m,
        )?;
        if panels.is_empty() {
            // The default embed explains a clicked cell.
            click(c, "[data-testid=embed] button[data-verdict=deny]").await?;
            wait_js(c, "the embed's explanation", T, "return document.querySelector('[data-testid=explanation] .verdict') ? true : null;", vec![]).await?;
        }
    }
    Ok(())
}

/// The share link of the page's current state.
async fn copy_link(c: &Client) -> Result<String, String> {
    click(c, "[data-testid=copy-link]").await?;
    let v = wait_js(
        c,
        "the share link",
        T,
        "const i = document.querySelector('[data-testid=share-url]'); return i && i.value ? i.value : null;",
        vec![],
    )
    .await?;
    Ok(v.as_str().unwrap_or("").to_string())
}

async fn select_port(c: &Client, port: &str) -> Result<(), String> {
    js(
        c,
        "const p = document.querySelector('[data-testid=port-picker]');
         p.value = arguments[0]; p.dispatchEvent(new Event('change', { bubbles: true })); return true;",
        vec![json!(port)],
    )
    .await
    .map(|_| ())
}

async fn second_link(c: &Client, base: &str) -> Result<(), String> {
    emulate_viewport(c, 1280, 800).await?;
    fresh(c, base).await?;
    wait_app(c).await?;
    select_port(c, "53/UDP").await?;
    let first = copy_link(c).await?;
    select_port(c, "all").await?;
    click(c, "[data-view=graph]").await?;
    let second = copy_link(c).await?;
    check(
        first.contains("#s=v1.") && second.contains("#s=v1."),
        "share links",
        &json!([first, second]),
    )?;
    // A fresh page, then each link in the same tab (only the fragment changes).
    fresh(c, base).await?;
    wait_app(c).await?;
    for (link, port, view) in [(&first, "53/UDP", "matrix"), (&second, "all", "graph")] {
        let hash = &link[link.find('#').unwrap_or(0)..];
        js(
            c,
            "location.hash = arguments[0]; return true;",
            vec![json!(hash)],
        )
        .await?;
        wait_js(
            c,
            &format!("the link with {port} and {view}"),
            T,
            "const tab = document.querySelector('[role=tab][aria-selected=true]');
             return document.querySelector('[data-testid=port-picker]').value === arguments[0]
               && tab && tab.getAttribute('data-view') === arguments[1] && location.hash === '' ? true : null;",
            vec![json!(port), json!(view)],
        )
        .await?;
    }
    // A damaged link in the same tab: a learner's message, the work stays.
    js(c, "location.hash = '#s=v1.AAAA!'; return true;", vec![]).await?;
    let msg = wait_js(
        c,
        "the broken-link message",
        T,
        "const e = document.querySelector('[data-testid=share-error]'); return e ? e.textContent : null;",
        vec![],
    )
    .await?;
    let msg = msg.as_str().unwrap_or("");
    check(
        msg.contains("could not be opened") && msg.contains("Your work is unchanged"),
        "the broken-link message",
        &json!(msg),
    )?;
    let view = js(c, "return document.querySelector('[role=tab][aria-selected=true]').getAttribute('data-view');", vec![]).await?;
    check(
        view == json!("graph"),
        "a broken link changed the page",
        &view,
    )?;
    click(c, "[data-testid=share-error-dismiss]").await?;
    Ok(())
}

/// Screenshots of every view at `width`, named `e2e-layout-{mode}-{width}-{view}.png`.
async fn screenshots(c: &Client, base: &str, mode: &str, width: u32) -> Result<(), String> {
    let height = if width < 800 { 844 } else { 800 };
    emulate_viewport(c, width, height).await?;
    fresh(c, base).await?;
    wait_app(c).await?;
    let shot = |view: &str| target_dir().join(format!("e2e-layout-{mode}-{width}-{view}.png"));
    click(c, "section.panel.result button[data-verdict=deny]").await?;
    wait_js(
        c,
        "the explanation",
        T,
        "return document.querySelector('[data-testid=explanation] .verdict') ? true : null;",
        vec![],
    )
    .await?;
    screenshot(c, &shot("matrix")).await?;
    if width < 800 {
        click(c, "[data-pane=why]").await?;
        screenshot(c, &shot("why")).await?;
        js(c, "scrollTo(0, 0); return true;", vec![]).await?;
    }
    click(c, "[data-view=graph]").await?;
    screenshot(c, &shot("graph")).await?;
    select_example(c, "cross-namespace").await?;
    click(c, "[data-view=andor]").await?;
    wait_js(
        c,
        "the AND vs OR changed cell",
        T,
        "return document.querySelector('[data-testid=andor] [data-diff]') ? true : null;",
        vec![],
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(c, &shot("andor")).await?;
    click(c, "[data-view=compare]").await?;
    click(c, "[data-testid=pin-baseline]").await?;
    let text = js(
        c,
        "return document.querySelector('[data-testid=policies-editor]').value;",
        vec![],
    )
    .await?;
    set_policies(
        c,
        &text
            .as_str()
            .unwrap_or("")
            .replace("app: frontend", "app: nobody"),
    )
    .await?;
    wait_js(
        c,
        "the lost cell",
        T,
        "return document.querySelector('[data-testid=compare] [data-diff=lost]') ? true : null;",
        vec![],
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(c, &shot("compare")).await?;
    click(c, "[data-view=matrix]").await?;
    click(c, "[data-testid=learn-tutorial]").await?;
    wait_js(
        c,
        "the tutorial",
        T,
        "return document.querySelector('aside.learn') ? true : null;",
        vec![],
    )
    .await?;
    js(c, "scrollTo(0, 0); return true;", vec![]).await?;
    screenshot(c, &shot("learn")).await?;
    click(c, "[data-testid=learn-exercises]").await?;
    click(c, "[data-testid=exercise]").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    js(c, "scrollTo(0, 0); return true;", vec![]).await?;
    screenshot(c, &shot("exercise")).await?;
    let embed_w = width.min(600);
    emulate_viewport(c, embed_w, 400).await?;
    c.goto(&format!("{base}?embed=1"))
        .await
        .map_err(|e| e.to_string())?;
    wait_js(
        c,
        "the embed",
        T,
        "return document.querySelector('[data-testid=embed] button[data-verdict]') ? true : null;",
        vec![],
    )
    .await?;
    click(c, "[data-testid=embed] button[data-verdict=deny]").await?;
    screenshot(c, &shot("embed")).await?;
    Ok(())
}

async fn light_steps(c: &Client, base: &str, broken: &str) -> Result<(), String> {
    let mut t0 = Instant::now();
    let mut lap = |name: &str| {
        println!("step {name}: {:?}", t0.elapsed());
        t0 = Instant::now();
    };
    phone(c, base).await?;
    lap("phone");
    desktop(c, base).await?;
    lap("desktop");
    embeds(c, base).await?;
    lap("embeds");
    second_link(c, base).await?;
    lap("second link");
    for width in [1280, 1024, 390] {
        screenshots(c, base, "light", width).await?;
    }
    lap("screenshots");
    // A build whose wasm is missing says so instead of loading forever.
    c.goto(broken).await.map_err(|e| e.to_string())?;
    let msg = wait_js(
        c,
        "the load error",
        T,
        "const e = document.querySelector('[data-testid=load-error]'); return e ? e.textContent : null;",
        vec![],
    )
    .await?;
    check(
        msg.as_str().unwrap_or("").contains("could not start"),
        "the load error",
        &msg,
    )?;
    Ok(())
}

async fn failure_report(c: &Client, e: &str) -> String {
    let shot = target_dir().join("e2e-layout-failure.png");
    let _ = screenshot(c, &shot).await;
    let body = js(
        c,
        "return document.body ? document.body.innerText.slice(0, 2000) : '';",
        vec![],
    )
    .await
    .unwrap_or_default();
    format!(
        "{e}\nscreenshot: {}\n{}",
        shot.display(),
        body.as_str().unwrap_or("")
    )
}

#[tokio::test(flavor = "current_thread")]
async fn layout_and_hosting_end_to_end() {
    let started = Instant::now();
    let dist = dist_dir();
    let server = StaticServer::start_under(dist.clone(), "/netpol/");
    let broken_root = temp_dir("nowasm");
    copy_dir(&dist, &broken_root, &|p| {
        p.extension().is_some_and(|x| x == "wasm")
    });
    let broken = StaticServer::start_under(broken_root.clone(), "/netpol/");
    let driver = Chromedriver::start();
    let base = server.url();
    let client = driver.connect().await;
    let mut failure = match light_steps(&client, &base, &broken.url()).await {
        Ok(()) => None,
        Err(e) => Some(failure_report(&client, &e).await),
    };
    if failure.is_none() {
        for width in [1280, 1024, 390] {
            let dark = match emulate_dark(&client, true).await {
                Ok(()) => screenshots(&client, &base, "dark", width).await,
                Err(e) => Err(e),
            };
            if let Err(e) = dark {
                failure = Some(failure_report(&client, &e).await);
                break;
            }
        }
    }
    let _ = client.close().await;
    // Nothing the page asked for was missing: no favicon.ico, no asset outside /netpol/.
    let missing = server.missing();
    drop(driver);
    drop(server);
    drop(broken);
    let _ = std::fs::remove_dir_all(&broken_root);
    println!("layout e2e: {:?}", started.elapsed());
    if let Some(msg) = failure {
        panic!("{msg}");
    }
    assert!(
        missing.is_empty(),
        "requests that found nothing: {missing:?}"
    );
}
