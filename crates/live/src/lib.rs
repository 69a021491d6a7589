//! # netpol-live
//!
//! The engine behind a tiny JavaScript API, for "live blocks" in static documentation pages
//! (`live/netpol-live.js`). Every function takes the YAML texts and returns a JSON string; none
//! panics or throws on any input: mistakes come back as `diagnostics` or an `error` field.
//!
//! The inputs are named `cluster.yaml` and `policies.yaml` in diagnostics (`file`).
//!
//! Built for the browser by `live/build.sh` (`wasm-bindgen --target web`); the functions are
//! plain Rust and are tested natively.
#![forbid(unsafe_code)]

use netpol_engine::explain::render::{self, Line};
use netpol_engine::{compile, parse, Cell, Compiled, Diagnostic, Input, MatrixReport, PortProto};
use serde_json::{json, Value};
use wasm_bindgen::prelude::wasm_bindgen;

/// The name of the cluster input in diagnostics.
pub const CLUSTER_FILE: &str = "cluster.yaml";
/// The name of the policies input in diagnostics.
pub const POLICIES_FILE: &str = "policies.yaml";

fn with_index<T>(cluster: &str, policies: &str, f: impl FnOnce(&Compiled, Value) -> T) -> T {
    let (model, diags) = parse(&[
        Input {
            name: CLUSTER_FILE,
            text: cluster,
        },
        Input {
            name: POLICIES_FILE,
            text: policies,
        },
    ]);
    let index = compile(model);
    f(&index, diagnostics_json(&diags))
}

fn diagnostics_json(diags: &[Diagnostic]) -> Value {
    diags
        .iter()
        .map(|d| {
            json!({
                "file": d.file,
                "line": d.line,
                "col": d.col,
                "severity": d.severity.as_str(),
                "code": d.code,
                "message": d.message,
            })
        })
        .collect()
}

fn port_names(index: &Compiled) -> Vec<String> {
    index
        .ports_that_matter()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Parses a port, or the first port that matters when `port` is blank.
fn pick_port(index: &Compiled, port: &str) -> Result<PortProto, String> {
    if port.trim().is_empty() {
        return Ok(index
            .ports_that_matter()
            .first()
            .copied()
            .unwrap_or_else(|| PortProto::parse("80/TCP").expect("a valid port")));
    }
    PortProto::parse(port).map_err(|e| format!("invalid port: {e}; write it like 80/TCP or 53/UDP"))
}

/// The matrix of allowed flows on one port, as JSON: the CLI's `netpol matrix --format json`
/// shape plus the diagnostics and a few extras for rendering:
///
/// ```json
/// {"port": 80, "protocol": "TCP", "sources": ["app/db", ...], "destinations": [...],
///  "allowed": [[true, false, ...], ...],        // allowed[i][j]: sources[i] -> destinations[j]
///  "kinds": ["pod", "external", ...],            // per endpoint; external -> external is n/a
///  "ports": ["80/TCP", "53/UDP", ...],           // the ports that matter, for a port picker
///  "diagnostics": [{"file", "line", "col", "severity", "code", "message"}, ...]}
/// ```
///
/// `port` is `80`, `80/TCP`, `53/UDP`…; blank picks the first port that matters. A bad port
/// gives `{"error": "...", "ports": [...], "diagnostics": [...]}`.
#[wasm_bindgen]
pub fn evaluate(cluster_yaml: &str, policies_yaml: &str, port: &str) -> String {
    with_index(cluster_yaml, policies_yaml, |index, diagnostics| {
        let ports = port_names(index);
        let pp = match pick_port(index, port) {
            Ok(pp) => pp,
            Err(error) => {
                return json!({"error": error, "ports": ports, "diagnostics": diagnostics})
                    .to_string()
            }
        };
        let kinds: Vec<&str> = index
            .endpoints()
            .iter()
            .map(|e| if e.is_pod() { "pod" } else { "external" })
            .collect();
        let mut report =
            serde_json::to_value(MatrixReport::new(index, pp)).expect("a matrix report serializes");
        report["kinds"] = json!(kinds);
        report["ports"] = json!(ports);
        report["diagnostics"] = diagnostics;
        report.to_string()
    })
}

/// Why one flow is allowed or denied, as JSON:
/// `{"allowed": bool, "verdict": "allow"|"deny"|"na", "sentences": ["...", ...]}`, or
/// `{"error": "..."}` for an unknown endpoint or a bad port. Endpoints are `namespace/pod` or
/// an external endpoint's name.
#[wasm_bindgen]
pub fn explain(
    cluster_yaml: &str,
    policies_yaml: &str,
    from: &str,
    to: &str,
    port: &str,
) -> String {
    with_index(cluster_yaml, policies_yaml, |index, _| {
        let pp = match pick_port(index, port) {
            Ok(pp) => pp,
            Err(error) => return json!({ "error": error }).to_string(),
        };
        let find = |name: &str| {
            index.endpoint(name.trim()).ok_or_else(|| {
                format!(
                    "unknown endpoint `{}`: pods are namespace/pod, externals by name",
                    name.trim()
                )
            })
        };
        let (a, b) = match (find(from), find(to)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => return json!({ "error": e }).to_string(),
        };
        let ex = index.explain(a, b, pp);
        let verdict = match index.matrix(pp).cell(a, b) {
            Cell::Allowed => "allow",
            Cell::Denied => "deny",
            Cell::NotApplicable => "na",
        };
        json!({
            "allowed": ex.allowed(),
            "verdict": verdict,
            "sentences": render::lines(&ex).iter().map(Line::plain).collect::<Vec<_>>(),
        })
        .to_string()
    })
}

/// The ports worth looking at (`ports_that_matter`), as a JSON list: `["53/UDP", "80/TCP"]`.
#[wasm_bindgen]
pub fn ports(cluster_yaml: &str, policies_yaml: &str) -> String {
    with_index(cluster_yaml, policies_yaml, |index, _| {
        Value::from(port_names(index)).to_string()
    })
}

/// The playground's share fragment for these texts (`#s=v1.…`, see `netpol-share`), for an
/// "Open in playground" link: the matrix view on `port` (blank: the playground's default).
/// Only with the `share-links` feature (on by default).
#[cfg(feature = "share-links")]
#[wasm_bindgen]
pub fn share_fragment(cluster_yaml: &str, policies_yaml: &str, port: &str) -> String {
    netpol_share::to_fragment(&netpol_share::ShareState {
        policies: policies_yaml.to_string(),
        cluster: cluster_yaml.to_string(),
        view: "matrix".to_string(),
        port: port.trim().to_string(),
        ..netpol_share::ShareState::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTER: &str =
        "namespaces:\n  app:\n    pods: {web: app=web, db: app=db, batch: app=batch}\n";
    const POLICIES: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-web, namespace: app}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5432}]
";

    fn parse_json(s: &str) -> Value {
        serde_json::from_str(s).expect("valid JSON")
    }

    fn verdict(v: &Value, from: &str, to: &str) -> bool {
        let idx = |key: &str, name: &str| {
            v[key]
                .as_array()
                .unwrap()
                .iter()
                .position(|n| n == name)
                .unwrap()
        };
        v["allowed"][idx("sources", from)][idx("destinations", to)]
            .as_bool()
            .unwrap()
    }

    #[test]
    fn evaluate_gives_the_cli_matrix_shape_plus_diagnostics() {
        let v = parse_json(&evaluate(CLUSTER, POLICIES, "5432/TCP"));
        assert_eq!(v["port"], 5432);
        assert_eq!(v["protocol"], "TCP");
        assert_eq!(v["sources"], json!(["app/batch", "app/db", "app/web"]));
        assert_eq!(v["destinations"], v["sources"]);
        assert!(verdict(&v, "app/web", "app/db"));
        assert!(!verdict(&v, "app/batch", "app/db"));
        assert!(verdict(&v, "app/db", "app/web"));
        assert_eq!(v["kinds"], json!(["pod", "pod", "pod"]));
        assert_eq!(v["ports"], json!(["5432/TCP"]));
        assert_eq!(v["diagnostics"], json!([]));
    }

    #[test]
    fn evaluate_blank_port_picks_the_first_port_that_matters() {
        let v = parse_json(&evaluate(CLUSTER, POLICIES, " "));
        assert_eq!(v["port"], 5432);
        let v = parse_json(&evaluate(CLUSTER, "", ""));
        assert_eq!(
            (v["port"].clone(), v["protocol"].clone()),
            (json!(80), json!("TCP"))
        );
    }

    #[test]
    fn evaluate_bad_port_is_an_error_field() {
        for bad in ["http", "0", "70000", "80/ICMP", "80/"] {
            let v = parse_json(&evaluate(CLUSTER, POLICIES, bad));
            let e = v["error"].as_str().unwrap();
            assert!(e.starts_with("invalid port"), "{bad}: {e}");
            assert_eq!(v["ports"], json!(["5432/TCP"]));
        }
    }

    #[test]
    fn evaluate_reports_positioned_diagnostics() {
        let broken = POLICIES.replace("podSelector: {matchLabels: {app: db}}", "podSelector: 7");
        let v = parse_json(&evaluate(CLUSTER, &broken, "5432/TCP"));
        let d = &v["diagnostics"][0];
        assert_eq!(d["file"], POLICIES_FILE);
        assert_eq!(d["severity"], "error");
        assert!(d["line"].as_u64().unwrap() >= 1 && d["col"].as_u64().unwrap() >= 1);
        assert!(!d["message"].as_str().unwrap().is_empty());
        // The broken policy is left out: everything is allowed.
        assert!(verdict(&v, "app/batch", "app/db"));
        let v = parse_json(&evaluate("namespaces: [", "", "80"));
        assert_eq!(v["diagnostics"][0]["file"], CLUSTER_FILE);
    }

    #[test]
    fn explain_gives_sentences() {
        let v = parse_json(&explain(
            CLUSTER,
            POLICIES,
            "app/batch",
            "app/db",
            "5432/TCP",
        ));
        assert_eq!(v["allowed"], false);
        assert_eq!(v["verdict"], "deny");
        assert_eq!(
            v["sentences"][0],
            "app/batch → app/db on 5432/TCP is DENIED by the destination's ingress."
        );
        let v = parse_json(&explain(CLUSTER, POLICIES, "app/web", "app/db", "5432"));
        assert_eq!(
            (v["allowed"].clone(), v["verdict"].clone()),
            (json!(true), json!("allow"))
        );
    }

    #[test]
    fn explain_errors() {
        let v = parse_json(&explain(CLUSTER, POLICIES, "app/nope", "app/db", "80"));
        assert!(v["error"]
            .as_str()
            .unwrap()
            .contains("unknown endpoint `app/nope`"));
        let v = parse_json(&explain(CLUSTER, POLICIES, "app/web", "app/db", "x"));
        assert!(v["error"].as_str().unwrap().starts_with("invalid port"));
    }

    #[test]
    fn ports_lists_the_ports_that_matter() {
        assert_eq!(parse_json(&ports(CLUSTER, POLICIES)), json!(["5432/TCP"]));
        assert_eq!(parse_json(&ports("", "")), json!(["80/TCP"]));
    }

    #[cfg(feature = "share-links")]
    #[test]
    fn share_fragment_decodes_to_the_texts() {
        let frag = share_fragment(CLUSTER, POLICIES, "5432/TCP");
        assert!(frag.starts_with("#s=v1."));
        let s = netpol_share::decode(&frag).unwrap();
        assert_eq!(
            (s.cluster.as_str(), s.policies.as_str()),
            (CLUSTER, POLICIES)
        );
        assert_eq!((s.view.as_str(), s.port.as_str()), ("matrix", "5432/TCP"));
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "\0",
            "- - -\n\t:",
            "{{{{",
            "kind: NetworkPolicy\nspec: [",
            "💥",
        ] {
            for port in ["", "80", "💥", "65535/SCTP"] {
                parse_json(&evaluate(text, text, port));
                parse_json(&explain(text, text, text, text, port));
                parse_json(&ports(text, text));
            }
        }
    }
}
