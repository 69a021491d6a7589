//! Share links and embed mode, the pure part: [`State`] ⇄ [`ShareState`] (`netpol-share` encodes
//! it into the URL fragment `#s=v1.…`), the `?embed=1&…` query, and the iframe snippet.

use netpol_examples::Example;
use netpol_share::ShareState;

use super::evaluation::{Editor, PortChoice};
use super::state::{EmbedParams, Panel, State, View};

/// Every view, for [`parse_view`].
const VIEWS: &[View] = &[View::Matrix, View::Graph, View::AndOr, View::Compare];

/// The view's name in links: `matrix`, `graph`, `andor`, `compare`.
pub fn view_name(v: View) -> String {
    v.value().to_string()
}

/// The view called `name` in a link (case-insensitive), if this build has it.
pub fn parse_view(name: &str) -> Option<View> {
    let lower = name.trim().to_ascii_lowercase().replace('-', "");
    VIEWS.iter().copied().find(|v| v.value() == lower)
}

/// The state to put in a link. `exercise` / `step`: what the Learn panel has open.
pub fn to_share(state: &State, exercise: Option<&str>, step: Option<u32>) -> ShareState {
    ShareState {
        policies: state.policies.clone(),
        cluster: state.cluster.clone(),
        view: view_name(state.view),
        port: state.port.map(PortChoice::value).unwrap_or_default(),
        example: (!state.example.is_empty()).then(|| state.example.clone()),
        exercise: exercise.map(str::to_string),
        tutorial_step: step,
        baseline: state.diff.baseline.clone(),
        selected: state.flow.as_ref().map(|f| (f.from.clone(), f.to.clone())),
    }
}

/// A fresh state showing exactly what `s` describes (unknown views and ports are ignored).
pub fn restore(examples: Vec<Example>, s: &ShareState) -> State {
    restore_into(State::new(examples), s)
}

/// [`restore`] onto a fresh state.
pub fn restore_into(mut st: State, s: &ShareState) -> State {
    if let Some(id) = &s.example {
        st.load_example(id);
    }
    // One text at a time, as typed: with errors, the last valid evaluation stays (stale).
    st.edit(Editor::Policies, s.policies.clone());
    st.edit(Editor::Cluster, s.cluster.clone());
    st.diff.baseline = s.baseline.clone();
    if let Some(v) = parse_view(&s.view) {
        st.view = v;
    }
    if !s.port.is_empty() {
        st.select_port(&s.port);
    }
    if let Some((from, to)) = &s.selected {
        st.select_flow(from.clone(), to.clone());
    }
    st
}

/// The default panels: the policies editor and the result.
pub const DEFAULT_PANELS: &[Panel] = &[Panel::Policies, Panel::Result];

/// Reads `location.search` (with or without `?`); `None` unless `embed=1` (or `true`).
pub fn parse_embed(query: &str) -> Option<EmbedParams> {
    let mut embed = false;
    let mut p = EmbedParams {
        view: None,
        panels: Vec::new(),
        readonly: false,
        height: None,
    };
    let yes = |v: &str| matches!(v, "1" | "true" | "yes" | "");
    for pair in query.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = v.replace("%2C", ",").replace("%2c", ",");
        match k {
            "embed" => embed = yes(&v),
            "view" => p.view = parse_view(&v),
            "readonly" => p.readonly = yes(&v),
            "height" => p.height = v.parse().ok().filter(|h| *h >= 100),
            "panels" => {
                for name in v.split([',', '+', ' ']) {
                    let add: &[Panel] = match name.trim() {
                        "editors" => &[Panel::Policies, Panel::Cluster],
                        "policies" => &[Panel::Policies],
                        "cluster" => &[Panel::Cluster],
                        "result" | "matrix" | "graph" => &[Panel::Result],
                        "why" | "explanation" => &[Panel::Why],
                        _ => &[],
                    };
                    for x in add {
                        if !p.panels.contains(x) {
                            p.panels.push(*x);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if p.panels.is_empty() {
        p.panels = DEFAULT_PANELS.to_vec();
    }
    embed.then_some(p)
}

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The `<iframe>` HTML that embeds `page` (the playground's URL without query or fragment)
/// showing `fragment` (`#s=v1.…`) in `view`.
pub fn embed_snippet(page: &str, fragment: &str, view: &str) -> String {
    let src = format!("{page}?embed=1&view={view}&panels=policies,result{fragment}");
    format!(
        "<iframe src=\"{}\" title=\"netpol playground\" width=\"100%\" height=\"460\" \
         style=\"border:1px solid #ccc;border-radius:8px\" loading=\"lazy\"></iframe>",
        attr_escape(&src)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_share::{decode, encode};

    #[test]
    fn views_round_trip_by_name() {
        for v in [View::Matrix, View::Graph, View::AndOr, View::Compare] {
            assert_eq!(parse_view(&view_name(v)), Some(v));
        }
        assert_eq!(view_name(View::Matrix), "matrix");
        assert_eq!(parse_view("GRAPH"), Some(View::Graph));
        assert_eq!(parse_view("nonsense"), None);
    }

    #[test]
    fn state_share_state_round_trip() {
        let mut s = State::new(netpol_examples::all());
        s.load_example("default-deny");
        let edited = format!("{}\n# edited\n", s.policies);
        s.edit(Editor::Policies, edited);
        s.view = View::Graph;
        s.select_port("53/UDP");
        s.diff.baseline = Some("# the baseline\n".into());
        let (from, to) = {
            let r = s.result.as_ref().unwrap();
            (r.endpoints[0].name.clone(), r.endpoints[1].name.clone())
        };
        s.select_flow(from.clone(), to.clone());
        let share = to_share(&s, Some("01-lock-down-the-database"), None);
        assert_eq!(share.view, "graph");
        assert_eq!(share.port, "53/UDP");
        let decoded = decode(&encode(&share)).unwrap();
        assert_eq!(decoded, share);
        let r = restore(netpol_examples::all(), &decoded);
        assert_eq!(r.policies, s.policies);
        assert_eq!(r.cluster, s.cluster);
        assert_eq!(r.example, "default-deny");
        assert_eq!(r.view, View::Graph);
        assert_eq!(r.diff.baseline.as_deref(), Some("# the baseline\n"));
        assert_eq!(r.port, s.port);
        assert_eq!(
            r.flow.as_ref().map(|f| (f.from.clone(), f.to.clone())),
            Some((from, to))
        );
        assert_eq!(to_share(&r, Some("01-lock-down-the-database"), None), share);
    }

    #[test]
    fn default_port_stays_default() {
        let s = State::new(netpol_examples::all());
        let share = to_share(&s, None, Some(3));
        assert_eq!(share.port, "");
        let r = restore(netpol_examples::all(), &share);
        assert_eq!(r.port, None);
        assert_eq!(to_share(&r, None, Some(3)), share);
    }

    #[test]
    fn embed_query() {
        assert_eq!(parse_embed(""), None);
        assert_eq!(parse_embed("?view=graph"), None);
        let p = parse_embed("?embed=1").unwrap();
        assert_eq!(p.panels, DEFAULT_PANELS);
        assert!(!p.readonly);
        let p =
            parse_embed("?embed=1&view=graph&panels=editors%2Cwhy&readonly=1&height=300").unwrap();
        assert_eq!(p.view, Some(View::Graph));
        assert_eq!(p.panels, vec![Panel::Policies, Panel::Cluster, Panel::Why]);
        assert!(p.readonly);
        assert_eq!(p.height, Some(300));
    }

    #[test]
    fn snippet_is_escaped() {
        let s = embed_snippet("https://x.test/np/", "#s=v1.AB-_", "matrix");
        assert!(s.starts_with("<iframe src=\"https://x.test/np/?embed=1&amp;view=matrix&amp;panels=policies,result#s=v1.AB-_\""));
        assert!(s.ends_with("</iframe>"));
    }
}
