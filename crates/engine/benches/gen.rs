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
