//! The browser APIs the shell performs the core's effects with: localStorage, the clipboard,
//! the address bar, the clock, local files.

use gloo::storage::{LocalStorage, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::app::is_manifest_name;

/// Milliseconds since the page loaded (`performance.now()`).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    LocalStorage::get(key).ok()
}

pub fn store<T: Serialize>(key: &str, value: &T) {
    let _ = LocalStorage::set(key, value);
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// `location.search` (with its `?`), empty when there is none.
pub fn search() -> String {
    location().and_then(|l| l.search().ok()).unwrap_or_default()
}

/// `location.hash` (with its `#`), empty when there is none.
pub fn hash() -> String {
    location().and_then(|l| l.hash().ok()).unwrap_or_default()
}

/// The playground's URL without query or fragment.
pub fn page_url() -> String {
    location()
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

/// Removes the fragment from the address bar (without a navigation).
pub fn clear_fragment() {
    if let (Some(w), Some(l)) = (web_sys::window(), location()) {
        let url = format!(
            "{}{}",
            l.pathname().unwrap_or_default(),
            l.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

pub fn copy_to_clipboard(text: &str) {
    // The Clipboard API needs a secure context (https or localhost); the text field is the
    // fallback everywhere.
    if let Some(w) = web_sys::window() {
        if w.is_secure_context() {
            let nav = w.navigator();
            if has(nav.as_ref(), "clipboard") {
                let _ = nav.clipboard().write_text(text);
            }
        }
    }
}

fn has(obj: &JsValue, key: &str) -> bool {
    js_sys::Reflect::has(obj, &JsValue::from_str(key)).unwrap_or(false)
        && js_sys::Reflect::get(obj, &JsValue::from_str(key))
            .is_ok_and(|v| !v.is_undefined() && !v.is_null())
}

/// Reads the `.yaml`, `.yml` and `.json` files of `list` as text, in the browser (nothing is
/// uploaded), then calls `done` with their names and texts in list order. Files that cannot be
/// read are left out; nothing is called when no file qualifies.
pub fn read_files(list: &web_sys::FileList, done: impl FnOnce(Vec<(String, String)>) + 'static) {
    let files: Vec<web_sys::File> = (0..list.length())
        .filter_map(|i| list.get(i))
        .filter(|f| is_manifest_name(&f.name()))
        .collect();
    if files.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut out = Vec::new();
        for f in files {
            if let Ok(text) = JsFuture::from(f.text()).await {
                if let Some(text) = text.as_string() {
                    out.push((f.name(), text));
                }
            }
        }
        done(out);
    });
}

/// Calls `f` with the new `location.hash` whenever it changes, for the page's lifetime (a
/// second share link opened in the same tab only changes the fragment).
pub fn on_hash_change(f: impl Fn(String) + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    if let Some(w) = web_sys::window() {
        let cb = Closure::<dyn Fn()>::new(move || f(hash()));
        let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        cb.forget();
    }
}

/// Marks the page busy while the core has events to answer (`data-busy` on `<html>`), so that
/// tests can wait for the page to settle after an action.
pub fn set_busy(busy: bool) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("data-busy", if busy { "true" } else { "false" });
    }
}
