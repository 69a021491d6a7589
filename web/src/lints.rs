//! The teaching lints in the diagnostics list: severity icon + word, position, message, the code
//! as a small tag and the suggested fix. A click moves the cursor there, as for diagnostics.
//!
//! A large input can have hundreds of lints (324 at 1,000 pods and 300 policies): the list
//! shows the first [`LINTS_SHOWN`] and a button that shows the others, so that the page does
//! not rebuild thousands of elements each time the lints come back after a pause in typing.
//! The editors' gutters still mark every lint.

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

/// How many lints the list shows until "Show all" is pressed.
pub const LINTS_SHOWN: usize = 50;

/// How many of `total` lints the list shows: all when `expanded` or when hiding would save
/// little (a button in place of a handful of lints), else the first [`LINTS_SHOWN`].
pub fn lints_shown(total: usize, expanded: bool) -> usize {
    if expanded || total <= LINTS_SHOWN + LINTS_SHOWN / 5 {
        total
    } else {
        LINTS_SHOWN
    }
}

/// The `<li>` items of the lints (rendered inside the diagnostics `<ul>`): the first
/// [`lints_shown`], then a button that shows all of them (or fewer again).
pub fn lint_items(
    lints: &[LintVm],
    on_pick: &Callback<(Editor, u32, u32)>,
    expanded: bool,
    on_expand: &Callback<bool>,
) -> Html {
    let shown = lints_shown(lints.len(), expanded);
    let more = (lints_shown(lints.len(), false) < lints.len()).then(|| {
        let onclick = {
            let cb = on_expand.clone();
            Callback::from(move |_: MouseEvent| cb.emit(!expanded))
        };
        let label = if expanded {
            format!("Show the first {LINTS_SHOWN} findings only")
        } else {
            format!("Show all {} findings ({} more)", lints.len(), lints.len() - shown)
        };
        html! {
            <li class="lints-more">
                <button type="button" class="btn btn-small" data-testid="lints-more" aria-expanded={if expanded { "true" } else { "false" }} {onclick}>{ label }</button>
            </li>
        }
    });
    let items = lints[..shown].iter().map(|l| {
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
    html! { <>{ for items }{ for more }</> }
}

#[cfg(test)]
mod tests {
    use super::{lints_shown, LINTS_SHOWN};

    #[test]
    fn a_long_list_shows_its_first_lints_until_expanded() {
        let cases = [
            // (total, expanded, shown)
            (0, false, 0),
            (3, false, 3),
            (LINTS_SHOWN, false, LINTS_SHOWN),
            (LINTS_SHOWN + 10, false, LINTS_SHOWN + 10),
            (LINTS_SHOWN + 11, false, LINTS_SHOWN),
            (324, false, LINTS_SHOWN),
            (324, true, 324),
            (3, true, 3),
        ];
        for (total, expanded, shown) in cases {
            assert_eq!(
                lints_shown(total, expanded),
                shown,
                "{total} lints, expanded: {expanded}"
            );
        }
    }
}
