use super::check::*;
use super::format::*;
use super::read::*;
use crate::diag::has_errors;

const EX: &str = r#"
title: Lock down the database
level: easy
story: |
  Only the web may reach the database.
cluster: |
  namespaces:
    app: {pods: {web: app=web, db: app=db ports=5432, batch: app=batch}}
  externals:
    internet: 1.2.3.4
policies: ""
goals:
  - {from: app/web, to: app/db, port: 5432/TCP, allowed: true}
  - {from: app/batch, to: app/db, port: 5432/TCP, allowed: false}
matrix:
  port: 5432/TCP
  flows: ["* -> *: allow", "* -> app/db: deny", "app/web -> app/db: allow", "app/db -> app/db: allow"]
hints: ["Select the database pod.", "Allow ingress from app=web."]
solution: |
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: db, namespace: app}
  spec:
    podSelector: {matchLabels: {app: db}}
    ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
traps: [selects-nothing]
"#;

#[test]
fn parses_and_checks() {
    let ex = parse_exercise(EX).unwrap();
    assert_eq!(ex.level, Level::Easy);
    assert_eq!(ex.hints.len(), 2);
    let (start, diags) = check(&ex, &ex.policies);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(start.len(), 3);
    assert!(start[0].met);
    assert!(!start[1].met);
    assert_eq!(
        start[1].description,
        "app/batch → app/db on 5432/TCP is denied"
    );
    assert!(
        start[1].detail.starts_with("Expected denied, but"),
        "{}",
        start[1].detail
    );
    assert!(start[1].explanation.is_some());
    assert!(!start[2].met);
    assert!(
        start[2]
            .detail
            .contains("app/batch → app/db should be denied but is allowed"),
        "{}",
        start[2].detail
    );
    assert!(
        start[2].detail.contains("internet → app/db"),
        "{}",
        start[2].detail
    );
    let (done, diags) = check(&ex, &ex.solution);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(done.iter().all(|g| g.met), "{done:#?}");
}

#[test]
fn unmet_allowed_goal_says_who_denies() {
    let ex = parse_exercise(EX).unwrap();
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: app}\nspec: {podSelector: {}}\n";
    let (r, _) = check(&ex, deny);
    assert!(!r[0].met);
    assert!(r[0].detail.contains("is DENIED"), "{}", r[0].detail);
    assert!(r[0].detail.contains("app/deny"), "{}", r[0].detail);
}

#[test]
fn unknown_endpoint_is_an_unmet_goal() {
    let mut ex = parse_exercise(EX).unwrap();
    ex.goals[0].to = "app/nope".to_string();
    ex.goals[1].from = "nowhere".to_string();
    let (r, _) = check(&ex, &ex.solution);
    assert!(!r[0].met && !r[1].met);
    assert!(
        r[0].detail.contains("no endpoint named `app/nope`"),
        "{}",
        r[0].detail
    );
    assert!(r[1].detail.contains("`nowhere`"), "{}", r[1].detail);
    assert!(r[0].explanation.is_none());
}

#[test]
fn input_errors_make_every_goal_unmet() {
    let ex = parse_exercise(EX).unwrap();
    let bad = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: app}\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: nonsense}}]\n";
    let (r, diags) = check(&ex, bad);
    assert!(has_errors(&diags));
    assert!(r.iter().all(|g| !g.met));
    assert!(r[0].detail.contains("error"), "{}", r[0].detail);
    let (r, diags) = check(&ex, "{{{{ not yaml");
    assert!(has_errors(&diags));
    assert!(r.iter().all(|g| !g.met));
}

#[test]
fn matrix_must_cover_every_cell() {
    let mut ex = parse_exercise(EX).unwrap();
    ex.matrix.as_mut().unwrap().flows = vec!["app/web -> app/db: allow".to_string()];
    let (r, _) = check(&ex, &ex.solution);
    assert!(!r[2].met);
    assert!(
        r[2].detail.contains("says nothing about"),
        "{}",
        r[2].detail
    );
    ex.matrix.as_mut().unwrap().flows = vec!["x/* -> *: allow".to_string()];
    let (r, _) = check(&ex, &ex.solution);
    assert!(r[2].detail.contains("names no endpoint"), "{}", r[2].detail);
}

#[test]
fn external_to_external_is_never_met() {
    let mut ex = parse_exercise(EX).unwrap();
    ex.goals[0].from = "internet".to_string();
    ex.goals[0].to = "internet".to_string();
    let (r, _) = check(&ex, "");
    assert!(!r[0].met);
    assert!(r[0].detail.contains("does not apply"), "{}", r[0].detail);
}

#[test]
fn errors_are_positioned() {
    let e = parse_exercise("title: x\nlevel: trivial\n")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("line 2, column 8:"), "{e}");
    let e = parse_exercise(&EX.replace("traps: [selects-nothing]", "traps: [nope]"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("traps[0]") && e.contains("not a lint code"),
        "{e}"
    );
    assert!(e.starts_with("line 26,"), "{e}");
    let e = parse_exercise(&EX.replace(
        "port: 5432/TCP, allowed: false",
        "port: 5432/TCPX, allowed: false",
    ))
    .unwrap_err()
    .to_string();
    assert!(e.contains("goals[1].port"), "{e}");
    let e = parse_exercise(&format!("{EX}extra: 1\n"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown field `extra`"), "{e}");
    let e = parse_exercise(&EX.replace("* -> app/db: deny", "* -> app/db: maybe"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("matrix.flows[1]"), "{e}");
}

#[test]
fn round_trips_through_serde() {
    let ex = parse_exercise(EX).unwrap();
    let text = serde_yaml::to_string(&ex).unwrap();
    assert_eq!(parse_exercise(&text).unwrap(), ex);
}

const STEP: &str = r#"
title: Default deny
cluster: |
  namespaces:
    app: {pods: {web: app=web, api: app=api ports=http:8080}}
policies: |
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny, namespace: app}
  spec: {podSelector: {}}
port: 8080/TCP
highlight:
  - {flow: "app/web -> app/api", port: 8080/TCP}
  - {policy: app/deny}
  - {pod: app/api}
expect:
  - {from: app/web, to: app/api, port: 8080/TCP, allowed: false}
"#;

#[test]
fn tutorial_step_parses_and_checks() {
    let step = parse_tutorial_step(STEP).unwrap();
    assert_eq!(
        step.highlight,
        vec![
            Highlight::Flow {
                from: "app/web".into(),
                to: "app/api".into(),
                port: "8080/TCP".into()
            },
            Highlight::Policy("app/deny".into()),
            Highlight::Pod("app/api".into()),
        ]
    );
    let (r, d) = check_step(&step);
    assert!(d.is_empty() && r.iter().all(|g| g.met), "{r:?} {d:?}");
    let text = serde_yaml::to_string(&step).unwrap();
    assert_eq!(parse_tutorial_step(&text).unwrap(), step);
}

#[test]
fn bad_highlights_are_rejected() {
    let e = parse_tutorial_step(&STEP.replace("{pod: app/api}", "{pod: app/api, policy: x}"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("a highlight is one of"), "{e}");
    let e = parse_tutorial_step(&STEP.replace(", port: 8080/TCP}", "}"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("needs a `port`"), "{e}");
    let e =
        parse_tutorial_step(&STEP.replace("port: 8080/TCP\nhighlight", "port: http\nhighlight"))
            .unwrap_err()
            .to_string();
    assert!(e.contains("port:"), "{e}");
}
