//! The playground: examples, ports, errors, the Why? panel, policies, storage.

use netpol_engine::{PortProto, Severity};

use super::{run, state, verdict};
use crate::app::{update, view_model, Editor, Event, LinkVm, Mark, Saved, State, View, POLICIES};

#[test]
fn default_page_shows_the_default_example_on_8080() {
    let s = state();
    assert_eq!(s.example, "default");
    assert!(
        s.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:?}",
        s.diagnostics
    );
    let vm = view_model(&s);
    assert_eq!(vm.port_value, "8080/TCP");
    assert!(vm.ports.iter().any(|p| p.value == "53/UDP"));
    assert_eq!(vm.ports.last().unwrap().value, "all");
    assert!(!vm.stale && vm.has_result && !vm.modified);
    assert_eq!(verdict(&vm, "app/frontend", "app/api"), "allow");
    for other in ["app/db", "kube-system/coredns"] {
        assert_eq!(verdict(&vm, other, "app/api"), "deny", "{other}");
    }
    assert_eq!(verdict(&vm, "app/api", "app/api"), "allow");
}

#[test]
fn dns_is_allowed_on_udp_and_tcp_53() {
    let mut s = state();
    for port in ["53/UDP", "53/TCP"] {
        update(&mut s, Event::SelectPort(port.into()));
        let vm = view_model(&s);
        assert_eq!(vm.port_value, port);
        for pod in ["app/frontend", "app/api", "app/db"] {
            assert_eq!(
                verdict(&vm, pod, "kube-system/coredns"),
                "allow",
                "{pod} on {port}"
            );
        }
        assert_eq!(verdict(&vm, "app/frontend", "app/api"), "deny");
    }
}

#[test]
fn errors_keep_the_last_good_result_marked_stale() {
    let mut s = state();
    let good = s.policies.clone();
    update(
        &mut s,
        Event::Edit(Editor::Policies, format!("{good}\nfoo: [\n")),
    );
    let vm = view_model(&s);
    assert!(vm.stale && vm.has_result);
    assert!(vm.error_count >= 1);
    let d = vm
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .unwrap();
    assert_eq!(d.editor, Editor::Policies);
    assert!(d.line > 70, "{d:?}");
    assert_eq!(verdict(&vm, "app/frontend", "app/api"), "allow");
    update(&mut s, Event::Edit(Editor::Policies, String::new()));
    let vm = view_model(&s);
    assert!(!vm.stale);
    assert_eq!(
        verdict(&vm, "app/db", "app/api"),
        "allow",
        "no policies: everything allowed"
    );
    assert!(vm.modified);
    update(&mut s, Event::ResetExample);
    assert!(!view_model(&s).modified);
    assert_eq!(s.policies, good);
}

#[test]
fn errors_on_a_fresh_state_show_no_result() {
    let saved = Saved {
        policies: "kind: [".into(),
        cluster: String::new(),
        example: "default".into(),
        port: String::new(),
        view: View::Matrix,
        baseline: None,
        group_replicas: false,
    };
    let s = State::restore(netpol_examples::all(), Some(saved));
    let vm = view_model(&s);
    assert!(!vm.has_result && !vm.stale && vm.matrix.is_none());
    assert!(vm.error_count > 0);
}

#[test]
fn explanation_names_both_sides_and_links_to_the_yaml() {
    let mut s = state();
    update(
        &mut s,
        Event::SelectFlow {
            from: "app/frontend".into(),
            to: "app/api".into(),
        },
    );
    let vm = view_model(&s);
    let ex = vm.explanation.expect("an explanation");
    assert_eq!(ex.verdict, Mark::Allow);
    assert_eq!(ex.sides.len(), 2);
    let links: Vec<&LinkVm> = ex
        .sides
        .iter()
        .flat_map(|s| s.lines.iter().chain(&s.detail).flat_map(|l| &l.links))
        .collect();
    assert!(links
        .iter()
        .any(|l| l.kind == "policy" && l.label == "app/api-allow-frontend"));
    assert!(links
        .iter()
        .any(|l| l.kind == "policy" && l.label == "app/frontend-to-api"));
    assert!(links.iter().any(|l| l.kind == "port"));
    assert!(links.iter().all(|l| l.file == POLICIES));
    assert_eq!(vm.matrix.unwrap().selected.map(|(a, b)| a != b), Some(true));

    // Following the port link highlights the YAML block of that port.
    let port = links
        .iter()
        .find(|l| l.kind == "port" && l.line > 60)
        .unwrap();
    update(
        &mut s,
        Event::ShowSpan {
            file: port.file.clone(),
            line: port.line,
            col: port.col,
            whole_document: false,
        },
    );
    let h = s.highlight.unwrap();
    assert_eq!(h.editor, Editor::Policies);
    let lines: Vec<&str> = s.policies.lines().collect();
    let block = &lines[h.start as usize - 1..h.end as usize];
    assert_eq!(block.len(), 2, "{block:?}");
    assert!(
        block[0].contains("protocol: TCP") && block[1].contains("port: 8080"),
        "{block:?}"
    );
}

#[test]
fn denied_flow_lists_the_isolating_policies() {
    let mut s = state();
    update(
        &mut s,
        Event::SelectFlow {
            from: "app/db".into(),
            to: "app/api".into(),
        },
    );
    let ex = view_model(&s).explanation.unwrap();
    assert_eq!(ex.verdict, Mark::Deny);
    assert!(ex.headline.contains("DENIED"), "{}", ex.headline);
    let text: String = ex
        .sides
        .iter()
        .flat_map(|s| s.lines.iter().map(|l| l.text.clone()))
        .collect();
    assert!(text.contains("app/default-deny-all"), "{text}");
}

#[test]
fn all_ports_summary() {
    let mut s = state();
    update(&mut s, Event::SelectPort("all".into()));
    let vm = view_model(&s);
    assert_eq!(vm.port_value, "all");
    let m = vm.matrix.as_ref().unwrap();
    let i = |n: &str| m.headers.iter().position(|h| h.name == n).unwrap();
    let cell = m.cell(i("app/frontend"), i("app/api"));
    assert_eq!(cell.mark, Mark::SomePorts);
    assert!(cell.title.contains("8080/TCP"), "{}", cell.title);
    assert_eq!(m.cell(i("app/db"), i("app/api")).mark, Mark::NoPorts);
    assert_eq!(m.cell(i("app/api"), i("app/api")).mark, Mark::AllPorts);
    // Explaining in all-ports mode lists every port and explains the chosen one.
    run(
        &mut s,
        [
            Event::SelectFlow {
                from: "app/frontend".into(),
                to: "app/api".into(),
            },
            Event::ExplainPort(PortProto::parse("8080/TCP").unwrap()),
        ],
    );
    let ex = view_model(&s).explanation.unwrap();
    assert_eq!(ex.port, "8080/TCP");
    assert_eq!(ex.verdict, Mark::Allow);
    assert!(ex
        .per_port
        .iter()
        .any(|&(p, allowed, cur)| p.port == 8080 && allowed && cur));
}

#[test]
fn every_example_loads_without_errors() {
    let mut s = state();
    for ex in netpol_examples::all() {
        update(&mut s, Event::LoadExample(ex.id.clone()));
        assert_eq!(s.example, ex.id);
        assert!(
            !netpol_engine::has_errors(&s.diagnostics),
            "{}: {:?}",
            ex.id,
            s.diagnostics
        );
        let vm = view_model(&s);
        assert!(vm.has_result && !vm.stale, "{}", ex.id);
        if let Some(p) = &ex.port {
            assert_eq!(&vm.port_value, p, "{}", ex.id);
        }
        update(&mut s, Event::SelectView(View::Graph));
        let g = view_model(&s).graph.unwrap();
        assert_eq!(g.nodes.len(), vm.matrix.as_ref().unwrap().headers.len());
        assert!(g.edges.iter().all(|e| e.from != e.to));
        update(&mut s, Event::SelectView(View::Matrix));
    }
}

#[test]
fn examples_show_what_their_descriptions_promise() {
    let mut s = state();
    update(&mut s, Event::LoadExample("default-deny".into()));
    let vm = view_model(&s);
    assert_eq!(vm.port_value, "53/UDP");
    assert_eq!(verdict(&vm, "app/frontend", "kube-system/coredns"), "deny");
    assert_eq!(
        verdict(&vm, "kube-system/coredns", "kube-system/coredns"),
        "allow"
    );

    update(&mut s, Event::LoadExample("cross-namespace".into()));
    let vm = view_model(&s);
    assert_eq!(verdict(&vm, "web/frontend", "app/api"), "allow");
    assert_eq!(verdict(&vm, "web/admin", "app/api"), "deny");
    assert_eq!(verdict(&vm, "shop/frontend", "app/api"), "deny");

    update(&mut s, Event::LoadExample("egress-cidr".into()));
    let vm = view_model(&s);
    assert_eq!(verdict(&vm, "app/backup", "s3"), "allow");
    assert_eq!(verdict(&vm, "app/backup", "s3-excluded"), "deny");
    assert_eq!(verdict(&vm, "app/web", "s3-excluded"), "allow");
    assert_eq!(verdict(&vm, "s3", "google-dns"), "na");

    update(&mut s, Event::LoadExample("upstream-e2e".into()));
    let vm = view_model(&s);
    assert_eq!(vm.matrix.as_ref().unwrap().headers.len(), 9);
    assert_eq!(verdict(&vm, "y/b", "x/a"), "allow");
    assert_eq!(verdict(&vm, "x/b", "x/a"), "deny");
    assert_eq!(verdict(&vm, "y/c", "x/a"), "deny");
    assert_eq!(verdict(&vm, "x/a", "y/c"), "allow");
}

#[test]
fn policy_selection_highlights_its_pods_and_flows() {
    let mut s = state();
    update(&mut s, Event::SelectPolicy("app/api-allow-frontend".into()));
    let vm = view_model(&s);
    let m = vm.matrix.as_ref().unwrap();
    let names: Vec<&str> = vm
        .policy_pods
        .iter()
        .map(|&i| m.headers[i].name.as_str())
        .collect();
    assert_eq!(names, ["app/api"]);
    let flows: Vec<(&str, &str)> = vm
        .policy_flows
        .iter()
        .map(|&(f, t)| (m.headers[f].name.as_str(), m.headers[t].name.as_str()))
        .collect();
    assert_eq!(flows, [("app/frontend", "app/api")]);
    assert!(vm
        .policy_list
        .iter()
        .any(|p| p.selected && p.id == "app/api-allow-frontend" && p.ingress && !p.egress));
    update(&mut s, Event::SelectPolicy("app/api-allow-frontend".into()));
    assert!(
        view_model(&s).policy_pods.is_empty(),
        "a second click deselects"
    );
}

#[test]
fn saved_state_round_trips() {
    let mut s = state();
    run(
        &mut s,
        [
            Event::LoadExample("allow-dns".into()),
            Event::SelectPort("53/TCP".into()),
            Event::SelectView(View::Graph),
            Event::Edit(
                Editor::Cluster,
                "namespaces: {a: {pods: {p: x=y}}}\n".into(),
            ),
        ],
    );
    let saved = s.saved();
    let r = State::restore(netpol_examples::all(), Some(saved.clone()));
    assert_eq!(r.saved(), saved);
    assert_eq!(r.example, "allow-dns");
    assert_eq!(r.view, View::Graph);
    assert_eq!(r.port_choice().value(), "53/TCP");
    // An unknown example id falls back to the default one, texts are kept.
    let mut odd = saved;
    odd.example = "gone".into();
    let r = State::restore(netpol_examples::all(), Some(odd));
    assert_eq!(r.example, "default");
    assert!(r.cluster.contains("x=y"));
}

#[test]
fn hover_is_resolved_to_an_endpoint_index() {
    let mut s = state();
    update(&mut s, Event::Hover(Some("app/db".into())));
    let vm = view_model(&s);
    assert_eq!(
        vm.matrix.as_ref().unwrap().headers[vm.hover.unwrap()].name,
        "app/db"
    );
    update(&mut s, Event::Hover(Some("nope".into())));
    assert_eq!(view_model(&s).hover, None);
}

#[test]
fn show_span_of_a_policy_highlights_its_document() {
    let mut s = state();
    let policy = s
        .result
        .as_ref()
        .unwrap()
        .policies
        .iter()
        .find(|p| p.id == "app/allow-dns")
        .unwrap()
        .span;
    update(
        &mut s,
        Event::ShowSpan {
            file: POLICIES.into(),
            line: policy.line,
            col: policy.col,
            whole_document: true,
        },
    );
    let h = s.highlight.unwrap();
    let lines: Vec<&str> = s.policies.lines().collect();
    assert!(lines[h.start as usize - 1].starts_with("apiVersion"));
    assert!(lines[h.end as usize - 1].contains("port: 53"));
    assert_eq!(lines[h.end as usize], "---");
}

/// The state reads its texts through the engine's per-document parse cache; after every kind of
/// edit its diagnostics and evaluation must be exactly those of a fresh, uncached read.
#[test]
fn edits_through_the_parse_cache_evaluate_like_a_fresh_read() {
    use crate::app::evaluation::evaluate_with;
    use netpol_engine::ParseOptions;

    for example in netpol_examples::all() {
        let mut s = state();
        update(&mut s, Event::LoadExample(example.id.clone()));
        let policies = s.policies.clone();
        let cluster = s.cluster.clone();
        let edits: Vec<(Editor, String)> = vec![
            // A character typed at the end of the first line (a name or a key changes).
            (Editor::Policies, policies.replacen('\n', "x\n", 1)),
            // The first document removed (every later document moves up).
            (
                Editor::Policies,
                policies
                    .split_once("\n---\n")
                    .map(|(_, rest)| rest.to_string())
                    .unwrap_or_default(),
            ),
            // Back to the start, then a blank line inserted before everything.
            (Editor::Policies, policies.clone()),
            (Editor::Policies, format!("\n{policies}")),
            (Editor::Cluster, format!("{cluster}\n")),
            (Editor::Cluster, cluster.clone()),
        ];
        for (editor, text) in edits {
            update(&mut s, Event::Edit(editor, text));
            let options = ParseOptions {
                group_replicas: s.group_replicas,
            };
            let (diagnostics, fresh) = evaluate_with(&s.policies, &s.cluster, &options);
            assert_eq!(s.diagnostics, diagnostics, "{}", example.id);
            if let Some(fresh) = fresh {
                assert!(!s.stale, "{}", example.id);
                assert_eq!(s.result.as_deref(), Some(&fresh), "{}", example.id);
            }
        }
    }
}

/// A keystroke that reads into the same model (a comment typed at the end) keeps the evaluation
/// (its matrices are not built again); one that changes the model makes a new one.
#[test]
fn a_comment_typed_keeps_the_evaluation() {
    let mut s = state();
    let policies = s.policies.clone();
    let before = s.result.clone().expect("the default example evaluates");
    for (text, kept) in [
        (format!("{policies}\n# a comment"), true),
        (format!("{policies}\n# a comment, longer"), true),
        (policies.replacen("name: ", "name: x", 1), false),
    ] {
        let last = s.result.clone().expect("an evaluation");
        update(&mut s, Event::Edit(Editor::Policies, text));
        let now = s.result.clone().expect("an evaluation");
        assert_eq!(std::rc::Rc::ptr_eq(&last, &now), kept);
    }
    assert!(!std::rc::Rc::ptr_eq(&before, s.result.as_ref().unwrap()));
}
