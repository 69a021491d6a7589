//! Component tests of the Learn side (exercises, tutorial, share links): mount the app in headless
//! Chromium (`cargo test -p netpol-web --target wasm32-unknown-unknown`) and drive it through the
//! DOM test hooks.
#![cfg(target_arch = "wasm32")]

use netpol_web::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

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

fn all(root: &Element, sel: &str) -> Vec<Element> {
    let list = root.query_selector_all(sel).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

async fn click(root: &Element, sel: &str) {
    q(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
}

fn editor(root: &Element, testid: &str) -> HtmlTextAreaElement {
    q(root, &format!(r#"[data-testid="{testid}"]"#))
        .unwrap()
        .dyn_into()
        .unwrap()
}

async fn type_into(root: &Element, testid: &str, text: &str) {
    let ta = editor(root, testid);
    ta.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    ta.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

fn met(root: &Element) -> Vec<String> {
    all(root, r#"[data-testid="goal"]"#)
        .iter()
        .map(|g| g.get_attribute("data-met").unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn exercise_goals_hints_and_solution() {
    let root = mount().await;
    click(&root, r#"[data-testid="learn-exercises"]"#).await;
    let items = all(&root, r#"[data-testid="exercise"]"#);
    assert_eq!(items.len(), netpol_examples::exercises().len());
    assert!(q(&root, ".badge.lv-easy").is_some(), "level badges");
    click(&root, r#"[data-testid="exercise"]"#).await;
    let first = netpol_engine::parse_exercise(netpol_examples::exercises()[0].yaml).unwrap();
    assert_eq!(editor(&root, "policies-editor").value(), first.policies);
    assert_eq!(editor(&root, "cluster-editor").value(), first.cluster);
    let before = met(&root);
    assert_eq!(before.len(), first.goals.len());
    assert!(before.iter().any(|m| m == "false"));
    assert!(q(&root, r#"[data-testid="completed"]"#).is_none());

    // Hints one at a time.
    let hint = |root: &Element| {
        q(root, r#"[data-testid="show-hint"]"#).map(|b| b.text_content().unwrap_or_default())
    };
    assert_eq!(
        hint(&root).as_deref(),
        Some(format!("Show a hint ({} left)", first.hints.len()).as_str())
    );
    for _ in 0..first.hints.len() {
        click(&root, r#"[data-testid="show-hint"]"#).await;
    }
    assert_eq!(
        all(&root, r#"[data-testid="hint"]"#).len(),
        first.hints.len()
    );
    assert_eq!(hint(&root), None);

    // The solution is behind a confirmation.
    click(&root, r#"[data-testid="show-solution"]"#).await;
    assert!(q(&root, r#"[data-testid="solution"]"#).is_none());
    assert!(q(&root, r#"[data-testid="solution-confirm"]"#).is_some());
    click(&root, r#"[data-testid="solution-yes"]"#).await;
    assert!(q(&root, r#"[data-testid="solution"]"#).is_some());

    // Typing the solution turns every goal green, live.
    type_into(&root, "policies-editor", &first.solution).await;
    assert!(met(&root).iter().all(|m| m == "true"), "{:?}", met(&root));
    assert!(q(&root, r#"[data-testid="completed"]"#).is_some());
    yew::scheduler::flush().await;
    click(&root, r#"[data-testid="exercise-back"]"#).await;
    let done = q(&root, r#"[data-testid="exercise"]"#).unwrap();
    assert_eq!(
        done.get_attribute("data-completed").as_deref(),
        Some("true")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn tutorial_steps_load_and_highlight() {
    let root = mount().await;
    click(&root, r#"[data-testid="learn-tutorial"]"#).await;
    let steps = netpol_examples::tutorial();
    let title = |root: &Element| {
        q(root, r#"[data-testid="step-title"]"#)
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert!(title(&root).starts_with("1. "));
    let text = q(&root, r#"[data-testid="step-text"]"#).unwrap();
    assert!(text.query_selector("h3, h4").unwrap().is_some());
    assert!(!text.text_content().unwrap().contains("**"));
    click(&root, r#"[data-testid="step-next"]"#).await;
    assert!(title(&root).starts_with("2. "));
    let step2 = netpol_engine::parse_tutorial_step(steps[1].yaml).unwrap();
    assert_eq!(editor(&root, "cluster-editor").value(), step2.cluster);
    // Step 3 highlights a flow: its cell is selected and the Why? panel explains it.
    click(&root, r#"[data-testid="step-next"]"#).await;
    assert!(title(&root).starts_with("3. "));
    assert!(q(&root, r#"[data-testid="explanation"]"#)
        .unwrap()
        .text_content()
        .unwrap()
        .contains("kube-system/coredns"));
    assert!(!all(&root, r#"[data-testid="step-highlight"]"#).is_empty());
    assert_eq!(
        q(&root, r#"[data-testid="tutorial-progress"]"#)
            .unwrap()
            .text_content()
            .unwrap(),
        format!("3 of {} steps", steps.len())
    );
    click(&root, r#"[data-testid="step-prev"]"#).await;
    assert!(title(&root).starts_with("2. "));
    root.remove();
}

#[wasm_bindgen_test]
async fn copy_link_shows_the_url_and_a_broken_link_falls_back() {
    let root = mount().await;
    let default_policies = editor(&root, "policies-editor").value();
    let shared = format!("{default_policies}# shared\n");
    type_into(&root, "policies-editor", &shared).await;
    click(&root, r#"[data-testid="copy-link"]"#).await;
    let url: HtmlInputElement = q(&root, r#"[data-testid="share-url"]"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    let link = url.value();
    assert!(link.contains("#s=v1."), "{link}");
    let fragment = &link[link.find('#').unwrap()..];
    assert_eq!(
        netpol_share::decode(fragment).unwrap().policies,
        editor(&root, "policies-editor").value()
    );
    click(&root, r#"[data-testid="copy-embed"]"#).await;
    let snippet: HtmlTextAreaElement = q(&root, r#"[data-testid="embed-snippet"]"#)
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(snippet.value().starts_with("<iframe src=\""));
    root.remove();

    // A broken fragment: a message, the default scenario.
    let loc = web_sys::window().unwrap().location();
    loc.set_hash("s=v1.AAAA!").unwrap();
    let root = mount().await;
    let err = q(&root, r#"[data-testid="share-error"]"#).expect("share-error shown");
    assert!(err.text_content().unwrap().contains("default scenario"));
    assert_eq!(editor(&root, "policies-editor").value(), default_policies);
    assert!(q(&root, "button[data-verdict]").is_some());
    click(&root, r#"[data-testid="share-error-dismiss"]"#).await;
    assert!(q(&root, r#"[data-testid="share-error"]"#).is_none());
    root.remove();

    // A good fragment restores the state (and takes precedence).
    loc.set_hash(fragment).unwrap();
    let root = mount().await;
    assert!(q(&root, r#"[data-testid="share-error"]"#).is_none());
    assert_eq!(editor(&root, "policies-editor").value(), shared);
    root.remove();
    let _ = loc.set_hash("");
}

#[wasm_bindgen_test]
async fn embed_mode_from_the_query() {
    let w = web_sys::window().unwrap();
    let loc = w.location();
    let original = format!("{}{}", loc.pathname().unwrap(), loc.search().unwrap());
    let history = w.history().unwrap();
    let with_query = format!(
        "{}?embed=1&view=graph&panels=policies,result&readonly=1",
        loc.pathname().unwrap()
    );
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&with_query))
        .unwrap();
    let root = mount().await;
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&original))
        .unwrap();
    assert!(q(&root, r#"[data-testid="embed"]"#).is_some());
    assert!(q(&root, "header.top").is_none(), "no header in embed mode");
    assert!(q(&root, r#"[data-testid="cluster-editor"]"#).is_none());
    assert!(editor(&root, "policies-editor").read_only());
    assert!(q(&root, "svg").is_some(), "the graph view");
    let open = q(&root, r#"[data-testid="open-in-playground"]"#)
        .unwrap()
        .get_attribute("href")
        .unwrap();
    assert!(open.contains("#s=v1."), "{open}");
    let share = netpol_share::decode(&open).unwrap();
    assert_eq!(share.view, "graph");
    root.remove();
}
