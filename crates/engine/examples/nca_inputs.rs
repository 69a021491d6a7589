//! Writes the 200-pod, 50-policy bench cluster (`gen::NCA_200`) as plain Kubernetes YAML that
//! both `netpol` and network-config-analyzer read, under `target/netpol-bench/nca-200/`:
//! `namespaces.yaml` (labelled `Namespace` objects), `pods.yaml` (`Pod` objects with their
//! labels and named container ports) and `policies.yaml` (the generated `NetworkPolicy`
//! documents, unchanged). `scripts/compare_nca.sh` runs it.
//!
//! Pods get no `status.podIP`: network-config-analyzer never matches pods by `ipBlock` (the API
//! reference asks for cluster-external CIDRs there), while netpol matches the pod IPs it is
//! given, so leaving them out makes both tools evaluate the same flows. The toy cluster's
//! externals have no Kubernetes kind and are left out too.

use std::fmt::Write as _;
use std::path::PathBuf;

use netpol_engine::model::Labels;
use netpol_engine::{has_errors, parse, Input};

#[allow(dead_code)]
#[path = "../benches/gen.rs"]
mod gen;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/netpol-bench/nca-200");
    std::fs::create_dir_all(&dir)?;
    let generated = gen::generate(gen::NCA_200);
    let (model, diagnostics) = parse(&[Input {
        name: "cluster.yaml",
        text: &generated.cluster,
    }]);
    if has_errors(&diagnostics) {
        return Err(std::io::Error::other(format!(
            "the generated cluster does not parse: {diagnostics:?}"
        )));
    }
    let mut namespaces = String::new();
    for ns in &model.namespaces {
        namespaces.push_str("---\napiVersion: v1\nkind: Namespace\nmetadata:\n");
        let _ = writeln!(namespaces, "  name: {}", ns.name);
        write_labels(&mut namespaces, &ns.labels);
    }
    let mut pods = String::new();
    for pod in &model.pods {
        pods.push_str("---\napiVersion: v1\nkind: Pod\nmetadata:\n");
        let _ = writeln!(pods, "  name: {}\n  namespace: {}", pod.name, pod.namespace);
        write_labels(&mut pods, &pod.labels);
        pods.push_str(
            "spec:\n  containers:\n  - name: main\n    image: registry.example.com/app:1\n",
        );
        if !pod.ports.is_empty() {
            pods.push_str("    ports:\n");
        }
        for port in &pod.ports {
            let _ = writeln!(pods, "    - containerPort: {}", port.port);
            if let Some(name) = &port.name {
                let _ = writeln!(pods, "      name: {name}");
            }
            let _ = writeln!(pods, "      protocol: {}", port.protocol.as_str());
        }
        pods.push_str("status:\n  phase: Running\n");
    }
    let files = [
        ("namespaces.yaml", namespaces),
        ("pods.yaml", pods),
        ("policies.yaml", generated.policies),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        println!("{}", path.display());
    }
    Ok(())
}

/// Writes `labels` as the `labels` field of an indented `metadata` mapping.
fn write_labels(out: &mut String, labels: &Labels) {
    if labels.is_empty() {
        return;
    }
    out.push_str("  labels:\n");
    for (key, value) in labels {
        let _ = writeln!(out, "    {key}: \"{value}\"");
    }
}
