//! The teaching lints in the diagnostics list: severity icon + word, position, message, the code
//! as a small tag and the suggested fix. A click moves the cursor there, as for diagnostics.

use yew::prelude::*;

use crate::app::{Editor, LintVm};
use netpol_engine::Severity;

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "●",
        Severity::Warning => "▲",
        Severity::Info => "ℹ",
    }
}

/// The `<li>` items of the lints (rendered inside the diagnostics `<ul>`).
pub fn lint_items(lints: &[LintVm], on_pick: &Callback<(Editor, u32, u32)>) -> Html {
    let items = lints.iter().map(|l| {
        let onclick = {
            let cb = on_pick.clone();
            let (e, li, c) = (l.editor, l.line, l.col);
            Callback::from(move |_: MouseEvent| cb.emit((e, li, c)))
        };
        let sev = l.severity.as_str();
        html! {
            <li data-line={l.line.to_string()} data-col={l.col.to_string()} data-severity={sev} data-file={l.editor.name()}
                data-code={l.code.clone()} class={format!("diag lint d-{sev}")}>
                <button type="button" {onclick} title={format!("Go to {} line {}, column {}", l.editor.name(), l.line, l.col)}>
                    <span class="d-sev"><span aria-hidden="true">{ icon(l.severity) }</span>{ " " }{ sev }</span>
                    <span class="d-pos">{ format!("{} {}:{}", l.editor.name(), l.line, l.col) }</span>
                    <span class="d-msg">
                        { &l.message }{ " " }<code class="lint-code">{ &l.code }</code>
                        <span class="lint-fix"><strong>{ "Fix: " }</strong>{ &l.fix }</span>
                    </span>
                </button>
            </li>
        }
    });
    html! { <>{ for items }</> }
}
