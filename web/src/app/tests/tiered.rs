//! Tiered policies in the playground: the tier each cell shows, the policies list grouped by
//! tier, the tier walk in the Why? panel, tiered policies as highlights. The expected tiers
//! follow the AdminNetworkPolicy API's precedence (the `admin-guardrail` example's description
//! walks through the same flows): an Admin `Accept`/`Deny` decides before NetworkPolicy, a
//! `Pass` hands the flow to NetworkPolicy.

use netpol_engine::explain::render::LineKind;
use netpol_engine::PolicyType;

use super::{run, state};
use crate::app::{
    tier_mark, tier_value, update, view_model, Event, LearnEvent, State, Tick, ViewModel,
};

fn guardrail() -> State {
    let mut s = state();
    update(&mut s, Event::LoadExample("admin-guardrail".into()));
    assert_eq!(view_model(&s).port_value, "5432/TCP");
    s
}

/// The `data-tier` of a cell and its mark.
fn tier(vm: &ViewModel, from: &str, to: &str) -> (&'static str, Option<&'static str>, String) {
    let m = vm.matrix.as_ref().expect("a matrix");
    let i = |name: &str| m.headers.iter().position(|h| h.name == name).unwrap();
    let cell = m.cell(i(from), i(to));
    let t = cell.tier.as_ref().expect("a cluster flow has a tier");
    (tier_value(t.tier), tier_mark(t.tier), cell.title.clone())
}

#[test]
fn cells_show_the_tier_that_decided_them() {
    let vm = view_model(&guardrail());
    let cases = [
        // Admin `Accept` beats db-from-api, which admits only the api.
        (
            "monitoring/prometheus",
            "app/db",
            "admin",
            Some("A"),
            "allow-monitoring ingress rule 0 (Accept)",
        ),
        // Admin `Deny` before NetworkPolicy is consulted.
        (
            "sandbox/untrusted",
            "app/api",
            "admin",
            Some("A"),
            "isolate-app ingress rule 0 (Deny)",
        ),
        // Admin `Pass`: NetworkPolicy decides, both ways.
        (
            "app/frontend",
            "app/db",
            "networkpolicy",
            None,
            "decided by NetworkPolicy",
        ),
        (
            "app/api",
            "app/db",
            "networkpolicy",
            None,
            "decided by NetworkPolicy",
        ),
        // Nothing selects prometheus for ingress with a matching rule: the default allows.
        (
            "sandbox/untrusted",
            "monitoring/prometheus",
            "default",
            None,
            "allowed by default",
        ),
    ];
    for (from, to, value, mark, words) in cases {
        let (v, m, title) = tier(&vm, from, to);
        assert_eq!((v, m), (value, mark), "{from} → {to}: {title}");
        assert!(title.contains(words), "{from} → {to}: {title}");
    }
    let (_, _, title) = tier(&vm, "sandbox/untrusted", "app/api");
    assert!(
        title.contains("decided by the Admin tier: ClusterNetworkPolicy/isolate-app"),
        "{title}"
    );
}

#[test]
fn cells_without_tiered_policies_keep_their_titles() {
    let vm = view_model(&state());
    let (value, mark, title) = tier(&vm, "app/frontend", "app/api");
    assert_eq!((value, mark), ("networkpolicy", None));
    assert!(!title.contains("decided"), "{title}");
}

#[test]
fn policies_list_groups_by_tier_and_priority() {
    let vm = view_model(&guardrail());
    let rows: Vec<(&str, &str, &str, Option<u32>)> = vm
        .policy_list
        .iter()
        .map(|p| (p.group, p.kind, p.id.as_str(), p.priority))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "Admin tier",
                "ClusterNetworkPolicy",
                "ClusterNetworkPolicy/allow-monitoring",
                Some(10)
            ),
            (
                "Admin tier",
                "ClusterNetworkPolicy",
                "ClusterNetworkPolicy/delegate-app",
                Some(20)
            ),
            (
                "Admin tier",
                "ClusterNetworkPolicy",
                "ClusterNetworkPolicy/isolate-app",
                Some(30)
            ),
            ("NetworkPolicy", "NetworkPolicy", "app/default-deny", None),
            (
                "NetworkPolicy",
                "NetworkPolicy",
                "app/api-from-frontend",
                None
            ),
            ("NetworkPolicy", "NetworkPolicy", "app/db-from-api", None),
        ]
    );
    let delegate = &vm.policy_list[1];
    assert_eq!(delegate.selects, ["app/api", "app/db", "app/frontend"]);
    assert_eq!(delegate.tier, "admin");
}

#[test]
fn a_tiered_policy_highlights_its_pods_and_the_flows_it_accepts() {
    let mut s = guardrail();
    update(
        &mut s,
        Event::SelectPolicy("ClusterNetworkPolicy/allow-monitoring".into()),
    );
    let vm = view_model(&s);
    assert!(vm.policy_list[0].selected);
    assert_eq!(vm.policy_pods.len(), 5, "its subject is every namespace");
    let m = vm.matrix.as_ref().unwrap();
    let i = |name: &str| m.headers.iter().position(|h| h.name == name).unwrap();
    assert!(vm
        .policy_flows
        .contains(&(i("monitoring/prometheus"), i("app/db"))));
    assert!(!vm.policy_flows.contains(&(i("app/api"), i("app/db"))));
}

/// The Why? lines of one side of a flow: kind, tick, deciding.
fn walk(
    s: &mut State,
    from: &str,
    to: &str,
    dir: PolicyType,
) -> Vec<(LineKind, Option<Tick>, bool)> {
    run(
        s,
        [Event::SelectFlow {
            from: from.into(),
            to: to.into(),
        }],
    );
    let ex = view_model(s).explanation.expect("an explanation");
    let side = ex
        .sides
        .iter()
        .find(|x| x.direction == dir)
        .expect("the side");
    side.lines
        .iter()
        .map(|l| (l.kind, l.tick, l.deciding))
        .collect()
}

#[test]
fn why_shows_the_tier_walk() {
    let mut s = guardrail();
    let ingress = PolicyType::Ingress;
    let deny = walk(&mut s, "sandbox/untrusted", "app/api", ingress);
    assert!(
        deny.contains(&(LineKind::TierRule, Some(Tick::Misses), true)),
        "{deny:?}"
    );
    let accept = walk(&mut s, "monitoring/prometheus", "app/db", ingress);
    assert!(
        accept.contains(&(LineKind::TierRule, Some(Tick::Allows), true)),
        "{accept:?}"
    );
    let pass = walk(&mut s, "app/frontend", "app/db", ingress);
    assert!(
        pass.contains(&(LineKind::TierPass, Some(Tick::Passes), false)),
        "{pass:?}"
    );
    assert!(pass.iter().all(|l| l.0 != LineKind::TierRule), "{pass:?}");
}

#[test]
fn tutorial_highlights_resolve_tiered_policies() {
    let mut s = state();
    let i = s
        .learn
        .data
        .steps
        .iter()
        .position(|st| st.id.contains("pass-and-delegation"))
        .expect("tutorial step 10");
    run(&mut s, [Event::Learn(LearnEvent::OpenStep(i))]);
    let vm = view_model(&s);
    let selected: Vec<&str> = vm
        .policy_list
        .iter()
        .filter(|p| p.selected)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(selected, ["AdminNetworkPolicy/delegate-within-team-a"]);
    assert!(!vm.policy_pods.is_empty());
}

/// Past `MAX_TIER_MARK_ENDPOINTS` endpoints the cells carry no tier (each mark needs an
/// explanation of its flow), while the verdicts stay.
#[test]
fn large_clusters_show_no_tier_marks() {
    let mut s = guardrail();
    let pods: String = (0..crate::app::MAX_TIER_MARK_ENDPOINTS)
        .map(|i| format!("      p{i}: app=filler\n"))
        .collect();
    let cluster = format!(
        "{}\n  filler:\n    pods:\n{pods}",
        s.cluster.trim_end_matches('\n')
    );
    update(&mut s, Event::Edit(crate::app::Editor::Cluster, cluster));
    let vm = view_model(&s);
    let m = vm.matrix.as_ref().expect("a matrix");
    assert!(m.headers.len() > crate::app::MAX_TIER_MARK_ENDPOINTS);
    let n = m.n();
    assert!((0..n * n).all(|k| m.cell(k / n, k % n).tier.is_none()));
}
