//! The AND vs OR and Compare tabs, the undo stack and the lints.

use crate::app::diff_view::MAX_INLINE_VARIANT_TEXT;
use crate::app::{
    andor_vm, compare_vm, lint_diags, update, view_model, Change, DiffEvent, DiffMatrixVm, Editor,
    Event, Mark, State, View, UNDO_DEPTH,
};

fn cross_ns() -> State {
    let mut s = State::new(netpol_examples::all());
    update(&mut s, Event::LoadExample("cross-namespace".into()));
    s
}

fn diff_cells(m: &DiffMatrixVm, c: Change) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (f, row) in m.cells.iter().enumerate() {
        for (t, cell) in row.iter().enumerate() {
            if cell.change == Some(c) {
                out.push((m.headers[f].name.clone(), m.headers[t].name.clone()));
            }
        }
    }
    out
}

#[test]
fn cross_namespace_variant_gains_web_admin() {
    let mut s = cross_ns();
    update(&mut s, Event::SelectView(View::AndOr));
    let vm = andor_vm(&s).expect("variants");
    assert_eq!(vm.variants.len(), 1);
    let v = &vm.variants[0];
    assert_eq!(v.kind, "split");
    assert_eq!(v.policy_id, "app/api-allow-web-frontend");
    assert!(!v.no_effect);
    assert_eq!(v.counts, "1 flow gained / 0 lost on 1 port range");
    let m = v.matrix.as_ref().unwrap();
    assert_eq!(m.port_label, "8080/TCP");
    assert_eq!(
        diff_cells(m, Change::Gained),
        [("web/admin".to_string(), "app/api".to_string())]
    );
    assert!(diff_cells(m, Change::Lost).is_empty());
    assert!(
        v.current_meaning.starts_with("AND"),
        "{}",
        v.current_meaning
    );
    assert!(v.variant_meaning.starts_with("OR"), "{}", v.variant_meaning);
    // The dash of the split item is highlighted on the variant side.
    assert!(v
        .variant_lines
        .iter()
        .any(|l| l.iter().any(|s| s.changed && s.text == "-")));
    assert!(v.new_text.is_some());
    assert!(vm.undo_text.is_none());
}

#[test]
fn apply_and_undo() {
    let mut s = cross_ns();
    update(&mut s, Event::SelectView(View::AndOr));
    let before = s.policies.clone();
    update(&mut s, Event::Diff(DiffEvent::ApplyVariant(0)));
    assert_ne!(s.policies, before);
    assert_eq!(s.diff.undo, std::slice::from_ref(&before));
    let vm = view_model(&s);
    let m = vm.matrix.as_ref().unwrap();
    let i = |n: &str| m.headers.iter().position(|h| h.name == n).unwrap();
    assert_eq!(m.cell(i("web/admin"), i("app/api")).mark, Mark::Allow);
    // The applied text now has the OR reading: the reverse variant is a merge with a loss.
    let av = andor_vm(&s).unwrap();
    assert_eq!(av.variants.len(), 1);
    assert_eq!(av.variants[0].kind, "merge");
    assert_eq!(
        av.variants[0].counts,
        "0 flows gained / 1 lost on 1 port range"
    );
    assert_eq!(av.undo_text.as_deref(), Some(before.as_str()));
    update(&mut s, Event::Diff(DiffEvent::Undo));
    assert_eq!(s.policies, before);
    assert!(s.diff.undo.is_empty());
    let vm = view_model(&s);
    let m = vm.matrix.as_ref().unwrap();
    assert_eq!(m.cell(i("web/admin"), i("app/api")).mark, Mark::Deny);
    // Undo with an empty stack does nothing.
    update(&mut s, Event::Diff(DiffEvent::Undo));
    assert_eq!(s.policies, before);
    // `Applied` (the browser path) records `before` even when the text is already there.
    let after = s.variant_text(0).unwrap();
    update(&mut s, Event::Edit(Editor::Policies, after.clone()));
    update(
        &mut s,
        Event::Diff(DiffEvent::Applied {
            before: before.clone(),
            after: after.clone(),
        }),
    );
    assert_eq!(s.policies, after);
    assert_eq!(s.diff.undo, [before]);
}

#[test]
fn undo_stack_is_bounded() {
    let mut s = cross_ns();
    let after = s.policies.clone();
    for i in 0..UNDO_DEPTH + 5 {
        update(
            &mut s,
            Event::Diff(DiffEvent::Applied {
                before: format!("# {i}\n"),
                after: after.clone(),
            }),
        );
    }
    assert_eq!(s.diff.undo.len(), UNDO_DEPTH);
    assert_eq!(s.diff.undo[0], "# 5\n");
}

#[test]
fn variants_with_no_effect_are_listed() {
    let mut s = cross_ns();
    // No namespace is labelled team=nobody: both readings select no pod at all.
    let p = s.policies.replace("team: web", "team: nobody");
    update(&mut s, Event::Edit(Editor::Policies, p));
    update(&mut s, Event::SelectView(View::AndOr));
    let vm = andor_vm(&s).unwrap();
    assert_eq!(vm.variants.len(), 1);
    // OR: every pod in no namespace, plus app=frontend pods in namespace app (none).
    assert!(vm.variants[0].no_effect, "{:?}", vm.variants[0].counts);
    assert!(vm.variants[0].matrix.is_none());
}

#[test]
fn compare_against_a_baseline() {
    let mut s = cross_ns();
    update(&mut s, Event::SelectView(View::Compare));
    assert!(!compare_vm(&s).pinned);
    update(&mut s, Event::Diff(DiffEvent::PinBaseline));
    let vm = compare_vm(&s);
    assert!(vm.pinned && vm.equivalent && vm.error.is_none(), "{vm:?}");
    assert!(vm.ranges.is_empty());
    // Remove the podSelector: every pod in team=web namespaces gets in.
    let p = s.policies.replace(
        "      podSelector:\n        matchLabels:\n          app: frontend\n",
        "",
    );
    assert_ne!(p, s.policies);
    update(&mut s, Event::Edit(Editor::Policies, p));
    let vm = compare_vm(&s);
    assert!(!vm.equivalent);
    assert_eq!(vm.counts, "1 flow gained / 0 lost on 1 port range");
    assert_eq!(vm.ranges.len(), 1);
    assert_eq!(vm.ranges[0].label, "8080/TCP");
    let f = &vm.ranges[0].flows[0];
    assert_eq!((f.from.as_str(), f.to.as_str()), ("web/admin", "app/api"));
    assert_eq!(f.change, Change::Gained);
    assert!(
        f.before.iter().any(|s| s.contains("DENIED")),
        "{:?}",
        f.before
    );
    assert!(
        f.after.iter().any(|s| s.contains("ALLOWED")),
        "{:?}",
        f.after
    );
    let m = vm.matrix.unwrap();
    assert_eq!(
        diff_cells(&m, Change::Gained),
        [("web/admin".to_string(), "app/api".to_string())]
    );
    let i = |n: &str| m.headers.iter().position(|h| h.name == n).unwrap();
    assert_eq!(
        m.cells[i("web/admin")][i("app/api")].mark,
        Mark::Allow,
        "current verdict"
    );
    // The baseline survives a reload; clearing it removes it.
    let saved = s.saved();
    assert!(saved.baseline.is_some());
    let r = State::restore(netpol_examples::all(), Some(saved));
    assert_eq!(r.diff.baseline, s.diff.baseline);
    update(&mut s, Event::Diff(DiffEvent::ClearBaseline));
    assert!(!compare_vm(&s).pinned);
    assert!(s.saved().baseline.is_none());
}

#[test]
fn compare_reports_a_baseline_that_no_longer_parses() {
    let mut s = cross_ns();
    s.diff.baseline = Some("kind: [".into());
    update(&mut s, Event::SelectView(View::Compare));
    let vm = compare_vm(&s);
    assert!(vm.error.is_some(), "{vm:?}");
}

#[test]
fn lints_follow_the_evaluation() {
    let mut s = cross_ns();
    // Split the AND item into two items: the OR bug lint should fire.
    update(&mut s, Event::SelectView(View::AndOr));
    update(&mut s, Event::Diff(DiffEvent::ApplyVariant(0)));
    let l = s.lints();
    assert!(l.iter().any(|l| l.code == "or-bug"), "{l:?}");
    assert!(l.iter().all(|l| l.line > 0 && !l.fix.is_empty()));
    assert!(!lint_diags(&s, Editor::Policies).is_empty());
    // Errors hide them.
    let bad = format!("{}\nfoo: [\n", s.policies);
    update(&mut s, Event::Edit(Editor::Policies, bad));
    assert!(s.lints().is_empty());
    // Lazy: keystrokes wait for Idle; other events (a click on Apply) do not.
    let mut s = cross_ns();
    s.diff.lazy = true;
    update(&mut s, Event::SelectView(View::AndOr));
    update(&mut s, Event::Diff(DiffEvent::ApplyVariant(0)));
    assert!(!s.lints_due() && !s.variants_due());
    let p = s.policies.replace("team: web", "team: webs");
    update(&mut s, Event::Edit(Editor::Policies, p));
    assert!(s.lints_due() && s.variants_due());
    assert!(
        andor_vm(&s).unwrap().variants[0].new_text.is_none(),
        "stale variants"
    );
    update(&mut s, Event::Diff(DiffEvent::Idle));
    assert!(!s.lints_due() && !s.variants_due());
    assert!(!s.lints().is_empty());
}

/// A cluster of `pods` pods in namespace `app` (labelled `env: prod`) and `policies` policies,
/// each allowing `app: web` pods traffic from `app: client` pods of `env: prod` namespaces
/// (AND): its OR variant also lets every pod of `app` in.
fn many(pods: usize, policies: usize) -> State {
    let mut cluster = String::from("namespaces:\n  app:\n    labels: {env: prod}\n    pods:\n");
    for i in 0..pods {
        let app = ["web", "client", "db"][i % 3];
        cluster.push_str(&format!("      p-{i}: app={app}\n"));
    }
    let mut text = String::new();
    for i in 0..policies {
        text.push_str(&format!(
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p{i}\n  namespace: app\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              env: prod\n          podSelector:\n            matchLabels:\n              app: client\n"
        ));
    }
    let mut s = State::new(netpol_examples::all());
    update(&mut s, Event::Edit(Editor::Cluster, cluster));
    update(&mut s, Event::Edit(Editor::Policies, text));
    update(&mut s, Event::SelectView(View::AndOr));
    s
}

/// Diff matrices are drawn up to 150 endpoints, for the first variants while their cells add up
/// to `MAX_DIFF_CELLS` (the first always), and the tab lists up to 50 variants: past them it
/// says so (issue 12: a 1,000 × 300 cluster's 385 variants took minutes, and 50 workshop-size
/// diff matrices were 3.65 MB per keystroke). Texts over `MAX_INLINE_VARIANT_TEXT` leave their
/// new texts in the worker.
#[test]
fn the_and_or_tab_is_bounded() {
    // (pods, policies) → (matrices drawn, variants shown, more).
    for (pods, policies, drawn, shown, more) in [
        // 149 pods: one matrix is over half the budget, so only the first is drawn.
        (149, 2, 1, 2, 0),
        (151, 2, 0, 2, 0),
        // 30 pods: under 1,000 cells a matrix, so 13 of them fit in 12,500.
        (30, 52, 13, 50, 2),
        (10, 3, 3, 3, 0),
    ] {
        let s = many(pods, policies);
        let vm = andor_vm(&s).expect("variants");
        let n = s.result.as_ref().expect("evaluated").n();
        let v = &vm.variants[0];
        assert!(!v.no_effect, "{pods} pods: the OR variant lets db pods in");
        let with_matrix = vm.variants.iter().filter(|v| v.matrix.is_some()).count();
        assert_eq!(with_matrix, drawn, "{pods} pods, {n} endpoints");
        // Every variant that changes flows has a matrix or says why not.
        for v in &vm.variants {
            assert!(v.no_effect || v.matrix.is_some() != v.matrix_note.is_some());
        }
        assert_eq!((vm.variants.len(), vm.more), (shown, more), "{policies}");
        assert!(v.applicable);
        let inline = s.policies.len() <= MAX_INLINE_VARIANT_TEXT;
        assert_eq!(v.new_text.is_some(), inline, "{} bytes", s.policies.len());
    }
}
