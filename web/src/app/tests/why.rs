//! The Why? panel: its lines are the engine renderer's, the same words as the CLI's `explain`
//! text and the exercise goal reasons; short lines per side, the rest behind "Full detail".

use netpol_engine::explain::render::LineKind;
use netpol_engine::PortProto;

use super::run;
use crate::app::{
    update, view_model, Editor, Event, ExplanationVm, LearnEvent, LineVm, State, Tick,
};

/// The policies of exercise 1 (`shop`: web, db, batch) with two ingress rules for the database
/// that both miss web → db on 5432/TCP: rule 0 for the wrong pod and port, rule 1 only for the
/// wrong port.
const TWO_MISSES: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: batch}}}]
    ports: [{port: 5433}]
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5433}]
";

/// Exercise 1 opened, its policies replaced by `policies`, and the flow `from` → `to` on `port`
/// selected in the Why? panel.
fn exercise_flow(policies: &str, from: &str, to: &str, port: &str) -> (State, ExplanationVm) {
    let mut s = super::state();
    run(
        &mut s,
        [
            Event::Learn(LearnEvent::OpenExercise(0)),
            Event::Edit(Editor::Policies, policies.into()),
            Event::SelectPort(port.into()),
            Event::SelectFlow {
                from: from.into(),
                to: to.into(),
            },
        ],
    );
    let ex = view_model(&s).explanation.expect("an explanation");
    (s, ex)
}

fn all_lines(ex: &ExplanationVm) -> Vec<&LineVm> {
    ex.sides
        .iter()
        .flat_map(|s| s.lines.iter().chain(&s.detail))
        .collect()
}

#[test]
fn the_cli_the_why_panel_and_exercise_goals_use_the_same_words() {
    let (s, ex) = exercise_flow(TWO_MISSES, "shop/web", "shop/db", "5432/TCP");

    // The CLI's `netpol explain` text for the same flow.
    let ev = s.result.as_deref().unwrap();
    let c = &ev.compiled;
    let (from, to) = (
        c.endpoint("shop/web").unwrap(),
        c.endpoint("shop/db").unwrap(),
    );
    let cli = c
        .explain(from, to, PortProto::parse("5432/TCP").unwrap())
        .sentences();

    // The exercise's reason for its first goal (web → db on 5432/TCP must be allowed).
    let goals = s.learn.goals().expect("the exercise's goals");
    let goal = &goals[0];
    assert!(
        goal.description.contains("shop/web"),
        "{}",
        goal.description
    );
    assert!(!goal.met);
    let reason = &goal.detail;

    // The verdict: the panel's headline, the CLI's first line, the start of the goal's reason.
    assert_eq!(ex.headline, cli[0]);
    assert!(ex.headline.contains("is DENIED"), "{}", ex.headline);
    assert!(reason.contains(&ex.headline), "{reason}");
    assert_eq!(ex.sentences, cli[1..]);

    // Every line of the panel is a line of the CLI text (the side's name aside, which the
    // panel's heading says).
    let lines = all_lines(&ex);
    assert_eq!(lines.len(), cli.len() - 1);
    for l in &lines {
        assert!(
            cli.iter().any(|c| c.ends_with(&l.text)),
            "{:?} is not in the CLI text {cli:#?}",
            l.text
        );
    }

    // The goal's reason quotes the panel's lines: who isolates the pod, the rule that came
    // closest (rule 1, whose only reason is the port) and the conclusion; the panel marks that
    // rule as the deciding line.
    let line = |kind| lines.iter().find(|l| l.kind == kind).unwrap();
    let closest = line(LineKind::Miss(1));
    assert!(closest.deciding && closest.tick == Some(Tick::Misses));
    assert!(closest.text.contains("ingress[1] does not match"));
    for l in [
        line(LineKind::Isolated),
        closest,
        line(LineKind::NoRuleAllows),
    ] {
        assert!(reason.contains(&l.text), "{:?} not in {reason}", l.text);
    }
    assert!(!reason.contains(&line(LineKind::Miss(0)).text), "{reason}");
    assert_eq!(
        lines.iter().filter(|l| l.deciding).count(),
        2,
        "one per side"
    );
}

#[test]
fn an_allowed_flow_marks_the_rule_that_allows_it() {
    let policies = TWO_MISSES.replace("5433}]\n", "5432}]\n");
    let (_, ex) = exercise_flow(&policies, "shop/web", "shop/db", "5432/TCP");
    assert!(ex.headline.contains("is ALLOWED"), "{}", ex.headline);
    let titles: Vec<&str> = ex.sides.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Egress of shop/web: allowed", "Ingress of shop/db: allowed"]
    );
    let ingress = &ex.sides[1];
    let deciding: Vec<&LineVm> = ingress.lines.iter().filter(|l| l.deciding).collect();
    assert_eq!(deciding.len(), 1);
    assert_eq!(deciding[0].kind, LineKind::Allows(0));
    assert_eq!(deciding[0].tick, Some(Tick::Allows));
    assert!(deciding[0].text.contains("ingress[1] allows it"));
    let labels: Vec<&str> = deciding[0].links.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        ["shop/db-allow-web", "ingress[1]", "from[0]", "ports[0]"]
    );
    // The egress side is not isolated: its one line decides it, without a rule mark.
    let egress = &ex.sides[0];
    assert_eq!(egress.lines.len(), 1);
    assert!(egress.lines[0].deciding && egress.lines[0].tick.is_none());
    assert!(!egress.lines[0].text.starts_with("Egress:"));
}

#[test]
fn rule_lines_past_the_first_few_go_behind_full_detail() {
    // Five rules that miss: the two first and the closest (rule 3, the right pod) are shown.
    let rule = |app: &str| {
        format!("  - from: [{{podSelector: {{matchLabels: {{app: {app}}}}}}}]\n    ports: [{{port: 1}}]\n")
    };
    let mut policies = TWO_MISSES[..TWO_MISSES.find("  - from").unwrap()].to_string();
    for app in ["a", "b", "c", "web", "e"] {
        policies.push_str(&rule(app));
    }
    let (_, ex) = exercise_flow(&policies, "shop/web", "shop/db", "5432/TCP");
    let ingress = &ex.sides[1];
    let kinds: Vec<LineKind> = ingress.lines.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            LineKind::Isolated,
            LineKind::Miss(0),
            LineKind::Miss(1),
            LineKind::Miss(3),
            LineKind::NoRuleAllows
        ]
    );
    let detail: Vec<LineKind> = ingress.detail.iter().map(|l| l.kind).collect();
    assert_eq!(detail, [LineKind::Miss(2), LineKind::Miss(4)]);
    assert!(ingress.detail.iter().all(|l| l.tick == Some(Tick::Misses)));
}

#[test]
fn the_all_ports_summary_says_which_ports_it_checked() {
    let mut s = super::state();
    update(&mut s, Event::SelectPort("all".into()));
    let vm = view_model(&s);
    let ports: Vec<String> = vm
        .ports
        .iter()
        .filter(|p| p.value != "all")
        .map(|p| p.value.clone())
        .collect();
    assert!(ports.len() > 1, "{ports:?}");
    let checked = ports.join(", ");
    let m = vm.matrix.as_ref().unwrap();
    let i = |n: &str| m.headers.iter().position(|h| h.name == n).unwrap();
    let title = |from: &str, to: &str| m.cell(i(from), i(to)).title;
    assert_eq!(
        title("app/api", "app/api"),
        format!("app/api → app/api: allowed on every port checked ({checked})")
    );
    assert_eq!(
        title("app/db", "app/api"),
        format!("app/db → app/api: denied on every port checked ({checked})")
    );
    let some = title("app/frontend", "app/api");
    assert!(
        some.starts_with("app/frontend → app/api: allowed on some ports checked — allowed: "),
        "{some}"
    );
    assert!(!some.contains("every port"), "{some}");
    if ports.len() <= 6 {
        assert_eq!(m.port_label, format!("the ports checked ({checked})"));
    }
}

/// The short form of each line, with its key part in `[brackets]`.
fn short_text(l: &LineVm) -> String {
    l.short
        .iter()
        .map(|p| {
            if p.key {
                format!("[{}]", p.text)
            } else {
                p.text.clone()
            }
        })
        .collect()
}

#[test]
fn each_side_reads_as_short_lines_with_the_key_part_marked() {
    let (_, ex) = exercise_flow(TWO_MISSES, "shop/web", "shop/db", "5432/TCP");
    let ingress = ex
        .sides
        .iter()
        .find(|s| s.direction == netpol_engine::PolicyType::Ingress)
        .expect("an ingress side");
    let short: Vec<String> = ingress.lines.iter().map(short_text).collect();
    // Rule 0 selects app=batch (web has app=web) and port 5433; rule 1 only misses the port.
    assert_eq!(
        short,
        [
            "isolated by [shop/db-allow-web]",
            "shop/db-allow-web ingress[0] missed because [from[0] requires app=batch, has app=web] (+1 more)",
            "shop/db-allow-web ingress[1] missed because [ports[0]: TCP 5433 does not include 5432]",
            "[no ingress rule allows it]",
        ]
    );
    // An allowed flow: the rule that matched, with the peer and port that matched it.
    let (_, ex) = exercise_flow(
        &TWO_MISSES.replace("5433}]\n", "5432}]\n"),
        "shop/web",
        "shop/db",
        "5432/TCP",
    );
    let lines: Vec<String> = all_lines(&ex).into_iter().map(short_text).collect();
    assert!(
        lines.contains(
            &"shop/db-allow-web ingress[1] matched: [from[0] podSelector app=web], [ports[0] TCP 5432]"
                .to_string()
        ),
        "{lines:#?}"
    );
}
