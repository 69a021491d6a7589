//! Component tests of the AND vs OR and Compare tabs and of the lints in the diagnostics list
//! (issue 4), through the same DOM test hooks as the end-to-end tests.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use netpol_web::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn mount() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            persist: false,
            worker: false,
        },
    )
    .render();
    yew::scheduler::flush().await;
    root
}

fn q(root: &Element, sel: &str) -> Option<Element> {
    root.query_selector(sel).unwrap()
}

fn count(root: &Element, sel: &str) -> u32 {
    root.query_selector_all(sel).unwrap().length()
}

async fn click(root: &Element, sel: &str) {
    q(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
}

fn editor(root: &Element) -> HtmlTextAreaElement {
    q(root, r#"[data-testid="policies-editor"]"#)
        .unwrap()
        .dyn_into()
        .unwrap()
}

async fn fire(el: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn type_policies(root: &Element, text: &str) {
    let ta = editor(root);
    ta.set_value(text);
    fire(&ta, "input").await;
}

/// Waits out the idle delay after typing (lints, variants, compare diff).
async fn idle() {
    yew::platform::time::sleep(Duration::from_millis(400)).await;
    yew::scheduler::flush().await;
}

async fn cross_namespace(root: &Element) {
    let sel: HtmlSelectElement = q(root, r#"[data-testid="examples"]"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    sel.set_value("cross-namespace");
    fire(&sel, "change").await;
    assert!(editor(root).value().contains("api-allow-web-frontend"));
}

#[wasm_bindgen_test]
async fn and_or_tab_apply_and_undo() {
    let root = mount().await;
    cross_namespace(&root).await;
    click(&root, "[data-view=andor]").await;
    assert_eq!(count(&root, "[data-testid=variant]"), 1);
    assert_eq!(count(&root, "[data-testid=andor] [data-diff=gained]"), 1);
    assert_eq!(count(&root, "[data-testid=andor] [data-diff=lost]"), 0);
    let cell = q(&root, "[data-testid=andor] [data-diff=gained]").unwrap();
    assert_eq!(cell.get_attribute("data-from").unwrap(), "web/admin");
    assert_eq!(cell.get_attribute("data-to").unwrap(), "app/api");
    assert_eq!(cell.get_attribute("data-verdict").unwrap(), "deny");
    assert_eq!(
        q(&root, "[data-testid=variant-counts]")
            .unwrap()
            .text_content()
            .unwrap(),
        "1 flow gained / 0 lost on 1 port range"
    );
    assert!(q(&root, "[data-testid=undo]")
        .unwrap()
        .has_attribute("disabled"));
    let before = editor(&root).value();
    click(&root, "[data-testid=apply-variant]").await;
    let after = editor(&root).value();
    assert_ne!(after, before);
    assert!(after.contains("    - podSelector:"), "{after}");
    // The applied OR reading: the merge variant would lose the flow; the OR-bug lint shows.
    assert_eq!(count(&root, "[data-testid=variant][data-kind=merge]"), 1);
    assert_eq!(count(&root, "[data-testid=andor] [data-diff=lost]"), 1);
    assert_eq!(
        count(&root, "[data-testid=diagnostics] li[data-code=or-bug]"),
        1
    );
    click(&root, "[data-testid=undo]").await;
    assert_eq!(editor(&root).value(), before);
    assert_eq!(count(&root, "[data-testid=variant][data-kind=split]"), 1);
    click(&root, "[data-view=matrix]").await;
    let c = q(&root, r#"button[data-from="web/admin"][data-to="app/api"]"#).unwrap();
    assert_eq!(c.get_attribute("data-verdict").unwrap(), "deny");
    root.remove();
}

#[wasm_bindgen_test]
async fn lints_show_after_a_pause_with_code_fix_and_gutter_marker() {
    let root = mount().await;
    cross_namespace(&root).await;
    assert_eq!(count(&root, "[data-testid=diagnostics] li[data-code]"), 0);
    let or_text = editor(&root)
        .value()
        .replace("      podSelector:", "    - podSelector:");
    type_policies(&root, &or_text).await;
    idle().await;
    let li = q(&root, "[data-testid=diagnostics] li[data-code=or-bug]").expect("or-bug lint");
    assert_eq!(li.get_attribute("data-file").unwrap(), "policies");
    let text = li.text_content().unwrap();
    assert!(text.contains("Fix:"), "{text}");
    assert!(text.contains("or-bug"), "{text}");
    let line = li.get_attribute("data-line").unwrap();
    assert!(
        count(&root, ".editor-policies .marker") >= 1,
        "gutter marker"
    );
    // A click puts the cursor on the lint's line.
    click(
        &root,
        "[data-testid=diagnostics] li[data-code=or-bug] button",
    )
    .await;
    let ta = editor(&root);
    let pos = ta.selection_start().unwrap().unwrap() as usize;
    let line_of_cursor = ta.value()[..pos].matches('\n').count() + 1;
    assert_eq!(line_of_cursor.to_string(), line);
    // Errors hide the lints.
    type_policies(&root, &format!("{or_text}\nfoo: [\n")).await;
    idle().await;
    assert_eq!(count(&root, "[data-testid=diagnostics] li[data-code]"), 0);
    root.remove();
}

#[wasm_bindgen_test]
async fn compare_tab_pins_a_baseline_and_shows_changes() {
    let root = mount().await;
    cross_namespace(&root).await;
    click(&root, "[data-view=compare]").await;
    assert_eq!(count(&root, "[data-testid=compare] [data-diff]"), 0);
    click(&root, "[data-testid=pin-baseline]").await;
    assert!(q(&root, "[data-testid=equivalent]").is_some());
    let edited = editor(&root).value().replace(
        "      podSelector:\n        matchLabels:\n          app: frontend\n",
        "",
    );
    type_policies(&root, &edited).await;
    idle().await;
    let cell = q(
        &root,
        "[data-testid=compare] .diff-matrix [data-diff=gained]",
    )
    .expect("diff cell");
    assert_eq!(cell.get_attribute("data-from").unwrap(), "web/admin");
    assert_eq!(cell.get_attribute("data-verdict").unwrap(), "allow");
    assert_eq!(
        count(&root, "[data-testid=compare] .diff-matrix [data-diff]"),
        1
    );
    let flow = q(
        &root,
        "[data-testid=compare] li.changed-flow[data-diff=gained]",
    )
    .unwrap();
    let text = flow.text_content().unwrap();
    assert!(
        text.contains("DENIED") && text.contains("ALLOWED"),
        "{text}"
    );
    click(&root, "[data-testid=clear-baseline]").await;
    assert_eq!(count(&root, "[data-testid=compare] [data-diff]"), 0);
    root.remove();
}

fn ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// Figures (printed): in wasm, what a keystroke costs in the core, and the deferred work.
#[wasm_bindgen_test]
fn workshop_timings_in_wasm() {
    use netpol_web::app::DiffEvent;
    use netpol_web::app::{update, Editor, Event, State, View};
    let (cluster, policies) = netpol_examples::workshop_scenario();
    let mut s = State::new(netpol_examples::all());
    s.diff.lazy = true;
    update(&mut s, Event::Edit(Editor::Cluster, cluster));
    update(&mut s, Event::Edit(Editor::Policies, policies.clone()));
    let (mut edit, mut lints, mut variants) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..8 {
        let t = ms();
        update(
            &mut s,
            Event::Edit(Editor::Policies, format!("{policies}# {i}\n")),
        );
        edit.push(ms() - t);
        let t = ms();
        update(&mut s, Event::Diff(DiffEvent::Idle));
        lints.push(ms() - t);
        assert!(!s.lints().is_empty());
    }
    update(&mut s, Event::SelectView(View::AndOr));
    for i in 0..4 {
        update(
            &mut s,
            Event::Edit(Editor::Policies, format!("{policies}# v{i}\n")),
        );
        let t = ms();
        update(&mut s, Event::Diff(DiffEvent::Idle));
        variants.push(ms() - t);
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    console_log!(
        "wasm, workshop scenario: keystroke update {:.1} ms (lazy); idle work: lints {:.1} ms; lints + AND/OR variants {:.1} ms ({} variants)",
        med(&mut edit),
        med(&mut lints),
        med(&mut variants),
        netpol_web::app::andor_vm(&s).map_or(0, |v| v.variants.len())
    );
}
