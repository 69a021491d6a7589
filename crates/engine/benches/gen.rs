//! A deterministic generator of benchmark clusters: a toy cluster plus NetworkPolicies, as YAML.
//!
//! No `rand`: a 64-bit LCG with a fixed seed, so every run (and every machine) benchmarks the same
//! input. The policies mix every feature the evaluator has to handle: podSelector,
//! namespaceSelector, both in one peer (AND), matchExpressions, ipBlocks with `except`, named
//! ports, port ranges, UDP, and egress rules.

use std::fmt::Write as _;

/// The size of a generated cluster.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub namespaces: usize,
    pub pods: usize,
    pub policies: usize,
    pub seed: u64,
}

/// 50 pods in 5 namespaces, 30 policies.
pub const WORKSHOP: Size = Size {
    namespaces: 5,
    pods: 50,
    policies: 30,
    seed: 1,
};

/// 1,000 pods in 20 namespaces, 300 policies.
pub const LARGE: Size = Size {
    namespaces: 20,
    pods: 1000,
    policies: 300,
    seed: 2,
};

/// 200 pods in 8 namespaces, 50 policies (timed side by side with network-config-analyzer:
/// `scripts/compare_nca.sh`).
pub const NCA_200: Size = Size {
    namespaces: 8,
    pods: 200,
    policies: 50,
    seed: 5,
};

/// The five ports the generated pods serve, as `PORT/PROTO` (the matrix benchmarks use them).
pub const PORTS: [&str; 5] = ["80/TCP", "443/TCP", "8080/TCP", "5432/TCP", "53/UDP"];

/// Named container ports, as the toy format writes them; each pod gets a few of these.
const NAMED_PORTS: [&str; 5] = [
    "http:80",
    "https:443",
    "alt-http:8080",
    "postgres:5432",
    "dns:53/UDP",
];

const APPS: usize = 12;
const TIERS: [&str; 4] = ["web", "api", "db", "cache"];
const TEAMS: usize = 5;
const ENVS: [&str; 3] = ["prod", "staging", "dev"];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A generated benchmark input: the toy cluster and the policies, as two YAML files.
pub struct Generated {
    pub cluster: String,
    pub policies: String,
}

impl Generated {
    /// Both files as one multi-document YAML text.
    pub fn combined(&self) -> String {
        format!("{}---\n{}", self.cluster, self.policies)
    }
}

pub fn generate(size: Size) -> Generated {
    let mut r = Lcg(size.seed.wrapping_mul(0x9E3779B97F4A7C15) ^ 0x5DEECE66D);
    Generated {
        cluster: cluster(&mut r, size),
        policies: policies(&mut r, size),
    }
}

fn ns_name(i: usize) -> String {
    format!("ns-{i}")
}

fn cluster(r: &mut Lcg, size: Size) -> String {
    let mut s = String::new();
    s.push_str("namespaces:\n");
    let per_ns = size.pods.div_ceil(size.namespaces);
    let mut left = size.pods;
    for n in 0..size.namespaces {
        let team = r.below(TEAMS);
        let env = r.pick(&ENVS);
        let _ = writeln!(s, "  {}:", ns_name(n));
        let _ = writeln!(s, "    labels: {{team: t{team}, env: {env}}}");
        s.push_str("    pods:\n");
        for k in 0..per_ns.min(left) {
            let app = r.below(APPS);
            let tier = r.pick(&TIERS);
            let version = if r.chance(70) { "v1" } else { "v2" };
            let mut ports: Vec<&str> = Vec::new();
            for p in NAMED_PORTS {
                if r.chance(45) {
                    ports.push(p);
                }
            }
            if ports.is_empty() {
                ports.push(NAMED_PORTS[r.below(NAMED_PORTS.len())]);
            }
            let _ = writeln!(
                s,
                "      p-{n}-{k}: app=app{app} tier={tier} version={version} ports={}",
                ports.join(",")
            );
        }
        left -= per_ns.min(left);
    }
    s.push_str("externals:\n  google-dns: 8.8.8.8\n  s3: 52.216.0.10\n  corp-vpn: 192.168.10.5\n  ipv6-api: 2001:db8::10\n");
    s
}

fn label_selector(r: &mut Lcg, indent: &str) -> String {
    match r.below(10) {
        0..=4 => format!("{indent}matchLabels: {{app: app{}}}\n", r.below(APPS)),
        5 | 6 => format!("{indent}matchLabels: {{tier: {}}}\n", r.pick(&TIERS)),
        7 => format!(
            "{indent}matchExpressions:\n{indent}- {{key: tier, operator: In, values: [{}, {}]}}\n",
            r.pick(&TIERS),
            r.pick(&TIERS)
        ),
        8 => format!("{indent}matchExpressions:\n{indent}- {{key: version, operator: NotIn, values: [v2]}}\n"),
        _ => format!(
            "{indent}matchLabels: {{app: app{}}}\n{indent}matchExpressions:\n{indent}- {{key: canary, operator: DoesNotExist}}\n",
            r.below(APPS)
        ),
    }
}

fn namespace_selector(r: &mut Lcg, indent: &str, size: Size) -> String {
    match r.below(10) {
        0..=3 => format!("{indent}matchLabels: {{team: t{}}}\n", r.below(TEAMS)),
        4 | 5 => format!("{indent}matchLabels: {{env: {}}}\n", r.pick(&ENVS)),
        6 | 7 => format!(
            "{indent}matchLabels: {{kubernetes.io/metadata.name: {}}}\n",
            ns_name(r.below(size.namespaces))
        ),
        _ => format!(
            "{indent}matchExpressions:\n{indent}- {{key: env, operator: In, values: [{}, {}]}}\n",
            r.pick(&ENVS),
            r.pick(&ENVS)
        ),
    }
}

fn ip_block(r: &mut Lcg, size: Size, egress: bool) -> String {
    let ns = 1 + r.below(size.namespaces);
    match r.below(if egress { 6 } else { 4 }) {
        0 => format!("cidr: 10.{ns}.0.0/16"),
        1 => format!("cidr: 10.0.0.0/8, except: [10.{ns}.0.0/16]"),
        2 => format!("cidr: 10.{ns}.0.0/24, except: [10.{ns}.0.0/28]"),
        3 => "cidr: 0.0.0.0/0, except: [10.0.0.0/8, 192.168.0.0/16]".to_string(),
        4 => "cidr: 8.8.8.8/32".to_string(),
        _ => "cidr: \"2001:db8::/64\"".to_string(),
    }
}

/// One peer (`from`/`to` item), as YAML lines at `indent` (the `- ` is added here).
fn peer(r: &mut Lcg, indent: &str, size: Size, egress: bool) -> String {
    let inner = format!("{indent}  ");
    let (pod, ns) = (format!("{inner}  "), format!("{inner}  "));
    match r.below(20) {
        0..=6 => format!("{indent}- podSelector:\n{}", label_selector(r, &pod)),
        7..=10 => format!(
            "{indent}- namespaceSelector:\n{}",
            namespace_selector(r, &ns, size)
        ),
        11..=14 => format!(
            "{indent}- namespaceSelector:\n{}{inner}podSelector:\n{}",
            namespace_selector(r, &ns, size),
            label_selector(r, &pod)
        ),
        15..=17 => format!("{indent}- ipBlock: {{{}}}\n", ip_block(r, size, egress)),
        18 => format!("{indent}- namespaceSelector: {{}}\n"),
        _ => format!("{indent}- podSelector: {{}}\n"),
    }
}

fn ports(r: &mut Lcg, indent: &str) -> String {
    let mut s = format!("{indent}ports:\n");
    for _ in 0..1 + r.below(2) {
        let line = match r.below(10) {
            0..=3 => format!("port: {}", r.pick(&["80", "443", "8080", "5432"])),
            4 | 5 => format!("port: {}", r.pick(&["http", "https", "postgres"])),
            6 => "protocol: UDP, port: dns".to_string(),
            7 => "protocol: UDP, port: 53".to_string(),
            8 => "port: 8000, endPort: 8100".to_string(),
            _ => "port: 1024, endPort: 65535".to_string(),
        };
        let _ = writeln!(s, "{indent}- {{{line}}}");
    }
    s
}

fn rules(r: &mut Lcg, size: Size, egress: bool) -> String {
    let (list, peers_key) = if egress {
        ("egress", "to")
    } else {
        ("ingress", "from")
    };
    let mut s = format!("  {list}:\n");
    for _ in 0..1 + r.below(3) {
        let mut rule = String::new();
        if !r.chance(10) {
            let _ = writeln!(rule, "    {peers_key}:");
            for _ in 0..1 + r.below(3) {
                rule.push_str(&peer(r, "    ", size, egress));
            }
        }
        if r.chance(60) {
            rule.push_str(&ports(r, "    "));
        }
        if rule.is_empty() {
            s.push_str("  - {}\n");
        } else {
            // Turn the first line's indentation into the list item's `- `.
            s.push_str("  - ");
            s.push_str(&rule[4..]);
        }
    }
    s
}

fn policies(r: &mut Lcg, size: Size) -> String {
    let mut s = String::new();
    for i in 0..size.policies {
        if i > 0 {
            s.push_str("---\n");
        }
        let ns = ns_name(r.below(size.namespaces));
        s.push_str("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n");
        let _ = writeln!(s, "metadata: {{name: policy-{i}, namespace: {ns}}}");
        s.push_str("spec:\n");
        if r.chance(10) {
            s.push_str("  podSelector: {}\n");
        } else {
            s.push_str("  podSelector:\n");
            s.push_str(&label_selector(r, "    "));
        }
        let (ingress, egress) = match r.below(10) {
            0..=6 => (true, false),
            7 | 8 => (true, true),
            _ => (false, true),
        };
        match (ingress, egress) {
            (true, false) => {}
            (true, true) => s.push_str("  policyTypes: [Ingress, Egress]\n"),
            _ => s.push_str("  policyTypes: [Egress]\n"),
        }
        // A few policies only isolate (default deny in that direction).
        if ingress && !r.chance(8) {
            s.push_str(&rules(r, size, false));
        }
        if egress && !r.chance(8) {
            s.push_str(&rules(r, size, true));
        }
    }
    s
}

/// 1,000 pods in 20 namespaces, 400 policies (the lints' and `and-or`'s first target).
pub const LINTS_1K: Size = Size {
    namespaces: 20,
    pods: 1000,
    policies: 400,
    seed: 3,
};

/// 5,000 pods in 100 namespaces, 2,000 policies (the second target).
pub const LINTS_5K: Size = Size {
    namespaces: 100,
    pods: 5000,
    policies: 2000,
    seed: 4,
};

/// A toy cluster of `pods` pods in 20 namespaces and no policies.
pub fn toy_pods(pods: usize) -> String {
    let mut r = Lcg(pods as u64);
    cluster(
        &mut r,
        Size {
            namespaces: 20,
            pods,
            policies: 0,
            seed: 0,
        },
    )
}

/// A toy cluster of `namespaces` labelled namespaces without pods.
pub fn toy_namespaces(namespaces: usize) -> String {
    let mut s = String::from("namespaces:\n");
    for i in 0..namespaces {
        let _ = writeln!(s, "  n{i}: {{}}");
    }
    s
}

/// `kubectl get pods -A -o yaml` of `pods` running pods in 50 namespaces: a `List` with the
/// status, managed fields and container specs a real dump carries (about 2.7 KB a pod).
pub fn kubectl_pods(pods: usize) -> String {
    let mut r = Lcg(0xC0FFEE);
    let mut s = String::from("apiVersion: v1\nitems:\n");
    for i in 0..pods {
        let ns = i % 50;
        let app = r.below(APPS);
        let tier = r.pick(&TIERS);
        let hash = r.next() % 100_000;
        let _ = write!(
            s,
            r#"- apiVersion: v1
  kind: Pod
  metadata:
    annotations:
      kubectl.kubernetes.io/restartedAt: "2024-05-01T10:00:00Z"
    creationTimestamp: "2024-05-01T10:00:00Z"
    generateName: app{app}-{hash}-
    labels:
      app: app{app}
      pod-template-hash: "{hash}"
      tier: {tier}
    managedFields:
    - apiVersion: v1
      fieldsType: FieldsV1
      fieldsV1:
        f:metadata:
          f:generateName: {{}}
          f:labels:
            .: {{}}
            f:app: {{}}
            f:pod-template-hash: {{}}
        f:spec:
          f:containers:
            k:{{"name":"main"}}:
              .: {{}}
              f:image: {{}}
              f:name: {{}}
      manager: kube-controller-manager
      operation: Update
      time: "2024-05-01T10:00:00Z"
    name: app{app}-{hash}-p{i}
    namespace: ns-{ns}
    ownerReferences:
    - apiVersion: apps/v1
      blockOwnerDeletion: true
      controller: true
      kind: ReplicaSet
      name: app{app}-{hash}
      uid: 6f1c2a3b-0000-4000-8000-{i:012}
    resourceVersion: "{i}"
    uid: 0a1b2c3d-0000-4000-8000-{i:012}
  spec:
    containers:
    - image: registry.example.com/app{app}:1.2.3
      imagePullPolicy: IfNotPresent
      name: main
      ports:
      - containerPort: 8080
        name: http
        protocol: TCP
      - containerPort: 9090
        name: metrics
        protocol: TCP
      resources:
        limits:
          cpu: 500m
          memory: 256Mi
        requests:
          cpu: 100m
          memory: 128Mi
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: File
      volumeMounts:
      - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
        name: kube-api-access
        readOnly: true
    dnsPolicy: ClusterFirst
    enableServiceLinks: true
    nodeName: node-{node}
    preemptionPolicy: PreemptLowerPriority
    priority: 0
    restartPolicy: Always
    schedulerName: default-scheduler
    securityContext: {{}}
    serviceAccount: default
    serviceAccountName: default
    terminationGracePeriodSeconds: 30
    tolerations:
    - effect: NoExecute
      key: node.kubernetes.io/not-ready
      operator: Exists
      tolerationSeconds: 300
  status:
    conditions:
    - lastProbeTime: null
      lastTransitionTime: "2024-05-01T10:00:00Z"
      status: "True"
      type: Ready
    containerStatuses:
    - containerID: containerd://{hash:064}
      image: registry.example.com/app{app}:1.2.3
      name: main
      ready: true
      restartCount: 0
      started: true
      state:
        running:
          startedAt: "2024-05-01T10:00:01Z"
    hostIP: 192.168.0.{host}
    phase: Running
    podIP: 10.{a}.{b}.{c}
    podIPs:
    - ip: 10.{a}.{b}.{c}
    qosClass: Burstable
    startTime: "2024-05-01T10:00:00Z"
"#,
            node = i % 20,
            host = 10 + i % 20,
            a = 100 + i / 65_536,
            b = i / 256 % 256,
            c = i % 256,
        );
    }
    s.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    s
}

/// Five default-deny policies (ingress and egress) in the first five namespaces of a toy
/// cluster from [`toy_pods`].
pub fn default_deny() -> String {
    let mut s = String::new();
    for i in 0..5 {
        if i > 0 {
            s.push_str("---\n");
        }
        let _ = write!(
            s,
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: deny, namespace: {}}}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress, Egress]\n",
            ns_name(i)
        );
    }
    s
}
