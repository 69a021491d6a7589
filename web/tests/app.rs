//! Component tests: mount the whole app in headless Chromium (`cargo test -p netpol-web --target
//! wasm32-unknown-unknown`, runner configured in .cargo/config.toml) and drive it through the DOM
//! test hooks the end-to-end tests also use.
#![cfg(target_arch = "wasm32")]

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

fn verdict(root: &Element, from: &str, to: &str) -> String {
    let sel = format!(r#"button[data-from="{from}"][data-to="{to}"]"#);
    q(root, &sel)
        .unwrap_or_else(|| panic!("no cell {from} -> {to}"))
        .get_attribute("data-verdict")
        .unwrap()
}

async fn type_into(root: &Element, testid: &str, text: &str) {
    let ta: HtmlTextAreaElement = q(root, &format!(r#"[data-testid="{testid}"]"#))
        .unwrap()
        .dyn_into()
        .unwrap();
    ta.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    ta.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn pick_port(root: &Element, value: &str) {
    let sel: HtmlSelectElement = q(root, r#"[data-testid="port-picker"]"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    sel.set_value(value);
    assert_eq!(sel.value(), value, "option {value} exists");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    sel.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn default_scenario_verdicts() {
    let root = mount().await;
    let picker: HtmlSelectElement = q(&root, r#"[data-testid="port-picker"]"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(picker.value(), "8080/TCP");
    assert_eq!(verdict(&root, "app/frontend", "app/api"), "allow");
    assert_eq!(verdict(&root, "app/db", "app/api"), "deny");
    assert_eq!(verdict(&root, "kube-system/coredns", "app/api"), "deny");
    pick_port(&root, "53/UDP").await;
    assert_eq!(
        verdict(&root, "app/frontend", "kube-system/coredns"),
        "allow"
    );
    assert_eq!(verdict(&root, "app/db", "kube-system/coredns"), "allow");
    let examples: HtmlSelectElement = q(&root, r#"[data-testid="examples"]"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(examples.value(), "default");
    let t = q(&root, r#"[data-testid="eval-time"]"#).unwrap();
    assert!(
        t.get_attribute("data-ms").is_some(),
        "eval time is measured"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn typing_policies_updates_the_cells() {
    let root = mount().await;
    assert_eq!(verdict(&root, "app/db", "app/api"), "deny");
    type_into(&root, "policies-editor", "").await;
    assert_eq!(
        verdict(&root, "app/db", "app/api"),
        "allow",
        "no policy: everything allowed"
    );
    let only_api = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-allow-frontend, namespace: app}\n\
spec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: frontend}}}]\n";
    type_into(&root, "policies-editor", only_api).await;
    assert_eq!(verdict(&root, "app/db", "app/api"), "deny");
    assert_eq!(verdict(&root, "app/frontend", "app/api"), "allow");
    assert_eq!(verdict(&root, "app/api", "app/db"), "allow");
    root.remove();
}

#[wasm_bindgen_test]
async fn bad_yaml_shows_a_diagnostic_and_a_stale_result() {
    let root = mount().await;
    assert!(q(&root, r#"[data-testid="stale"]"#).is_none());
    assert!(q(
        &root,
        r#"[data-testid="diagnostics"] li[data-severity="error"]"#
    )
    .is_none());
    type_into(
        &root,
        "policies-editor",
        "kind: NetworkPolicy\nmetadata: [\n",
    )
    .await;
    let d = q(
        &root,
        r#"[data-testid="diagnostics"] li[data-severity="error"]"#,
    )
    .expect("an error diagnostic");
    let line: u32 = d.get_attribute("data-line").unwrap().parse().unwrap();
    assert!((2..=3).contains(&line), "line {line}");
    assert!(
        q(&root, r#"[data-testid="stale"]"#).is_some(),
        "stale banner"
    );
    // The last good result stays on screen.
    assert_eq!(verdict(&root, "app/frontend", "app/api"), "allow");
    // Clicking the diagnostic moves the cursor there.
    d.query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
    let ta: HtmlTextAreaElement = q(&root, r#"[data-testid="policies-editor"]"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    let pos = ta.selection_start().unwrap().unwrap();
    assert!(pos >= 20, "cursor moved to the error (at {pos})");
    // Fixing it clears the banner.
    type_into(&root, "policies-editor", "").await;
    assert!(q(&root, r#"[data-testid="stale"]"#).is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn clicking_a_cell_explains_it() {
    let root = mount().await;
    let cell: HtmlElement = q(
        &root,
        r#"button[data-from="app/frontend"][data-to="app/api"]"#,
    )
    .unwrap()
    .dyn_into()
    .unwrap();
    cell.click();
    yew::scheduler::flush().await;
    let ex = q(&root, r#"[data-testid="explanation"]"#)
        .unwrap()
        .text_content()
        .unwrap();
    assert!(ex.contains("app/api-allow-frontend"), "{ex}");
    assert!(ex.contains("app/frontend-to-api"), "{ex}");
    assert!(ex.contains("ALLOWED"), "{ex}");
    // A link highlights the responsible YAML lines in the Policies editor.
    let link: HtmlElement = q(&root, r#"[data-testid="explanation"] .link.k-port"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    link.click();
    yew::scheduler::flush().await;
    let bands = root
        .query_selector_all(".editor-policies .cl.hl")
        .unwrap()
        .length();
    assert_eq!(bands, 2, "protocol + port lines highlighted");
    root.remove();
}

#[wasm_bindgen_test]
async fn graph_view_and_examples_menu() {
    let root = mount().await;
    let tab: HtmlElement = q(&root, ".tab:nth-child(2)").unwrap().dyn_into().unwrap();
    tab.click();
    yew::scheduler::flush().await;
    assert!(q(&root, "svg.graph").is_some());
    assert!(q(
        &root,
        r#".edge[data-from="app/frontend"][data-to="app/api"]"#
    )
    .is_some());
    assert!(q(&root, r#".edge[data-from="app/db"][data-to="app/api"]"#).is_none());
    let examples: HtmlSelectElement = q(&root, r#"[data-testid="examples"]"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    examples.set_value("cross-namespace");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    examples
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    assert!(q(
        &root,
        r#".edge[data-from="web/frontend"][data-to="app/api"]"#
    )
    .is_some());
    root.remove();
}
