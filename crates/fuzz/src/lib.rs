//! Structured fuzzing of the whole pipeline on stable Rust: a generator writes random but
//! well-shaped inputs (a toy cluster or Kubernetes objects, and NetworkPolicies), hostile
//! mutations break them (edits, alias bombs, deep nesting, control characters, BOMs, CR line
//! endings, huge strings), and [`run_case`] pushes each input through parse → compile →
//! matrix/explain → lints → AND/OR variants and their text edits → diff → share links, checking
//! the invariants that must hold on any input.
//!
//! `netpol-fuzz SECONDS [SEED]` runs for a time budget; `scripts/fuzz.sh` wraps it.
#![forbid(unsafe_code)]

use std::time::{Duration, Instant};

use netpol_engine::{
    and_or_variants, apply_variant_text, compile, diff, lint, parse, parse_cached, EndpointId,
    Input, ParseCache, ParseOptions, PortProto,
};
use netpol_share::{decode, encode, ShareState};

/// A small, fast, deterministic random source (xorshift64*), so every case can be replayed from
/// its seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one seed (any value; 0 is remapped).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &["app", "tier", "team", "pod", "role", "env"];
const VALUES: &[&str] = &[
    "web", "api", "db", "a", "b", "c", "x", "prod", "\"\"", "yes",
];
const NAMESPACES: &[&str] = &["x", "y", "z", "app", "kube-system", "prod"];
const PODS: &[&str] = &["a", "b", "c", "web", "api", "db", "coredns"];
const PORT_NAMES: &[&str] = &["http", "dns", "serve-80-tcp", "metrics"];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];

fn labels_shorthand(rng: &mut Rng) -> String {
    let mut words = Vec::new();
    for _ in 0..rng.below(3) {
        words.push(format!("{}={}", rng.pick(KEYS), rng.pick(&VALUES[..8])));
    }
    if rng.chance(40) {
        let port = rng.pick(&["80", "53/UDP", "8080", "5432", "81/SCTP"]);
        words.push(format!("ports={}:{port}", rng.pick(PORT_NAMES)));
    }
    words.join(" ")
}

/// A toy cluster: a few namespaces with labelled pods, sometimes externals.
pub fn toy_cluster(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(50) {
        s.push_str("ports: [serve-80-tcp:80, serve-81-tcp:81, dns:53/UDP]\n");
    }
    s.push_str("namespaces:\n");
    let n = 1 + rng.below(4);
    for ns in NAMESPACES.iter().take(n) {
        s.push_str(&format!("  {ns}:\n"));
        if rng.chance(40) {
            s.push_str(&format!(
                "    labels: {{{}: {}}}\n",
                rng.pick(KEYS),
                rng.pick(&VALUES[..8])
            ));
        }
        s.push_str("    pods:\n");
        for pod in PODS.iter().take(rng.below(5)) {
            s.push_str(&format!("      {pod}: {}\n", labels_shorthand(rng)));
        }
    }
    if rng.chance(40) {
        s.push_str("externals:\n  internet: 8.8.8.8\n  corp: 10.9.0.5\n");
    }
    s
}

/// The same kind of cluster written as Kubernetes `Namespace` and `Pod` objects.
pub fn object_cluster(rng: &mut Rng) -> String {
    let mut docs = Vec::new();
    for ns in NAMESPACES.iter().take(1 + rng.below(3)) {
        docs.push(format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n  labels: {{{}: {}}}\n",
            rng.pick(KEYS),
            rng.pick(&VALUES[..8])
        ));
        for pod in PODS.iter().take(rng.below(4)) {
            let port = 1 + rng.below(9000);
            docs.push(format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n  namespace: {ns}\n  labels:\n    {}: {}\nspec:\n  containers:\n  - name: c\n    ports:\n    - {{name: {}, containerPort: {port}, protocol: {}}}\nstatus:\n  podIPs: [{{ip: 10.{}.0.{}}}]\n",
                rng.pick(KEYS),
                rng.pick(&VALUES[..8]),
                rng.pick(PORT_NAMES),
                rng.pick(PROTOCOLS),
                rng.below(4),
                2 + rng.below(200)
            ));
        }
    }
    docs.join("---\n")
}

fn selector(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => "{}".to_string(),
        1 | 2 => format!(
            "{{matchLabels: {{{}: {}}}}}",
            rng.pick(KEYS),
            rng.pick(VALUES)
        ),
        _ => format!(
            "{{matchExpressions: [{{key: {}, operator: {}, values: [{}]}}]}}",
            rng.pick(KEYS),
            rng.pick(&["In", "NotIn", "Exists", "DoesNotExist", "Bogus"]),
            rng.pick(VALUES)
        ),
    }
}

fn peer(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("podSelector: {}", selector(rng)),
        1 => format!("namespaceSelector: {}", selector(rng)),
        2 => format!(
            "namespaceSelector: {}\n        podSelector: {}",
            selector(rng),
            selector(rng)
        ),
        3 => format!(
            "ipBlock: {{cidr: {}, except: [{}]}}",
            rng.pick(&[
                "10.0.0.0/8",
                "0.0.0.0/0",
                "10.1.0.0/16",
                "::/0",
                "10.0.0.1/33"
            ]),
            rng.pick(&["10.1.0.0/24", "10.2.0.0/16", "8.8.8.8/32"])
        ),
        _ => format!(
            "ipBlock: {{cidr: {}}}",
            rng.pick(&["8.8.8.0/24", "10.0.0.0/8"])
        ),
    }
}

fn port(rng: &mut Rng) -> String {
    let proto = rng.pick(PROTOCOLS);
    match rng.below(4) {
        0 => format!("{{port: {}, protocol: {proto}}}", 1 + rng.below(9000)),
        1 => format!("{{port: {}}}", rng.pick(PORT_NAMES)),
        2 => {
            let lo = 1 + rng.below(9000);
            format!("{{port: {lo}, endPort: {}}}", lo + rng.below(50))
        }
        _ => format!("{{protocol: {proto}}}"),
    }
}

fn rules(rng: &mut Rng, dir: &str, peer_key: &str) -> String {
    let mut s = format!("  {dir}:\n");
    for _ in 0..rng.below(3) {
        let mut first = true;
        let mut item = |line: String, s: &mut String| {
            s.push_str(if first { "  - " } else { "    " });
            s.push_str(&line);
            s.push('\n');
            first = false;
        };
        if rng.chance(70) {
            item(format!("{peer_key}:"), &mut s);
            for _ in 0..1 + rng.below(2) {
                s.push_str(&format!("      - {}\n", peer(rng)));
            }
        }
        if rng.chance(50) {
            item(format!("ports: [{}]", port(rng)), &mut s);
        }
        if first {
            s.push_str("  - {}\n");
        }
    }
    if s.ends_with(":\n") {
        s.push_str("  []\n");
    }
    s
}

/// A few NetworkPolicies with random selectors, peers and ports.
pub fn policies(rng: &mut Rng) -> String {
    let mut docs = Vec::new();
    for i in 0..rng.below(4) {
        let mut s = format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p{i}, namespace: {}}}\nspec:\n  podSelector: {}\n",
            rng.pick(&NAMESPACES[..4]),
            selector(rng)
        );
        match rng.below(4) {
            0 => s.push_str("  policyTypes: [Ingress]\n"),
            1 => s.push_str("  policyTypes: [Ingress, Egress]\n"),
            2 => s.push_str("  policyTypes: [Egress]\n"),
            _ => {}
        }
        if rng.chance(70) {
            s.push_str(&rules(rng, "ingress", "from"));
        }
        if rng.chance(50) {
            s.push_str(&rules(rng, "egress", "to"));
        }
        docs.push(s);
    }
    docs.join("---\n")
}

/// One hostile change to a text: the kinds of input an attacker (or a bad paste) brings.
pub fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    match rng.below(12) {
        0 => {
            let end = (at + rng.below(8)).min(chars.len());
            chars.drain(at..end);
        }
        1 => {
            let junk = rng.pick(&[
                "- ",
                "\n",
                "  ",
                ": ",
                "{",
                "[",
                "é☃",
                "0/",
                "&a ",
                "*a",
                "!!str ",
                "---\n",
                "\t",
                "\u{1b}[31m",
                "\r",
                "\0",
                "\u{202e}",
                "<script>",
                "\"",
            ]);
            chars.splice(at..at, junk.chars());
        }
        2 => {
            // An alias bomb: one anchored list aliased many times, nested a few levels.
            let width = 2 + rng.below(20);
            let mut bomb = String::from("bomb0: &b0 [x, x, x, x, x, x, x, x]\n");
            for level in 1..1 + rng.below(8) {
                let refs = vec![format!("*b{}", level - 1); width].join(", ");
                bomb.push_str(&format!("bomb{level}: &b{level} [{refs}]\n"));
            }
            return format!("{bomb}{text}");
        }
        3 => {
            let depth = 10 + rng.below(3000);
            let open = rng.pick(&["{a: ", "[", "- "]);
            return format!("{text}\n---\nx: {}\n", open.repeat(depth));
        }
        4 => return format!("\u{feff}{text}"),
        5 => return text.replace('\n', "\r"),
        6 => return text.replace('\n', "\r\n"),
        7 => {
            let huge = "v".repeat(1 + rng.below(200_000));
            chars.splice(at..at, huge.chars());
        }
        8 => {
            // A control character or a slash inside a name.
            let bad = rng.pick(&["a/b", "a\u{1b}b", "A", "a b", "-a", "a\nb"]);
            let replaced = text.replacen("name: ", &format!("name: \"{bad}\" #"), 1);
            return replaced;
        }
        9 => {
            let n = rng.below(chars.len() + 1);
            chars.truncate(n);
        }
        10 => {
            // A duplicated line: repeated keys and repeated items.
            let lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = rng.below(lines.len());
                let mut out = lines.clone();
                out.insert(i, lines[i]);
                return out.join("\n");
            }
        }
        _ => {
            let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
            chars.insert(at, c);
        }
    }
    chars.into_iter().collect()
}

/// One generated case: a cluster and a policies text, both maybe mutated.
#[derive(Clone, Debug)]
pub struct Case {
    pub cluster: String,
    pub policies: String,
}

/// The case for one seed.
pub fn case(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let mut cluster = if rng.chance(70) {
        toy_cluster(&mut rng)
    } else {
        object_cluster(&mut rng)
    };
    let mut policies = policies(&mut rng);
    for _ in 0..rng.below(4) {
        if rng.chance(50) {
            policies = mutate(&mut rng, &policies);
        } else {
            cluster = mutate(&mut rng, &cluster);
        }
    }
    Case { cluster, policies }
}

/// What one case found: nothing, or the invariant it broke (a panic is caught by the caller).
pub fn run_case(case: &Case) -> Result<(), String> {
    let inputs = [
        Input {
            name: "cluster.yaml",
            text: &case.cluster,
        },
        Input {
            name: "policies.yaml",
            text: &case.policies,
        },
    ];
    let (model, diags) = parse(&inputs);
    // The per-document parse cache must read exactly the same: warm it on the texts with a
    // line inserted before the policies (every document there moves one line down), then read
    // the case itself through it.
    let mut cache = ParseCache::default();
    let shifted = format!("\n{}", case.policies);
    let _ = parse_cached(
        &mut cache,
        &[
            Input {
                name: "cluster.yaml",
                text: &case.cluster,
            },
            Input {
                name: "policies.yaml",
                text: &shifted,
            },
        ],
        &ParseOptions::default(),
    );
    let (cached_model, cached_diags) = parse_cached(&mut cache, &inputs, &ParseOptions::default());
    if cached_diags != diags {
        return Err(format!(
            "parse_cached reports other diagnostics than parse: {cached_diags:?} vs {diags:?}"
        ));
    }
    if cached_model != model {
        return Err("parse_cached reads another model than parse".to_string());
    }
    for d in &diags {
        let text = match d.file.as_str() {
            "cluster.yaml" => &case.cluster,
            "policies.yaml" => &case.policies,
            other => return Err(format!("diagnostic names an unknown file {other:?}")),
        };
        let lines = text.split(['\n', '\r']).count().max(1) as u32;
        if d.line < 1 || d.col < 1 || d.line > lines + 1 {
            return Err(format!(
                "diagnostic out of the file: {}:{}:{} ({lines} lines): {}",
                d.file, d.line, d.col, d.message
            ));
        }
        if d.message.len() > 4096 {
            return Err(format!(
                "diagnostic message of {} bytes echoes too much input",
                d.message.len()
            ));
        }
    }
    let index = compile(model.clone());
    let n = index.endpoints().len();
    let mut ports = index.ports_that_matter();
    ports.truncate(3);
    ports.push(PortProto::parse("53/UDP").expect("a valid port"));
    let mut rng = Rng::new(case.policies.len() as u64 ^ ((n as u64) << 32));
    for pp in ports {
        let m = index.matrix(pp);
        for _ in 0..6.min(n * n) {
            let (a, b) = (EndpointId(rng.below(n)), EndpointId(rng.below(n)));
            let why = index.explain(a, b, pp);
            if why.allowed() != m.allowed(a, b) {
                return Err(format!(
                    "explain and matrix disagree on {} -> {} on {pp}",
                    index.endpoints()[a.index()].name,
                    index.endpoints()[b.index()].name
                ));
            }
            let _ = why.to_text();
        }
    }
    let _ = lint(&index, &[&case.cluster, &case.policies]);
    for v in and_or_variants(&model).iter().take(4) {
        if let Some(edited) = apply_variant_text(&case.policies, v) {
            let _ = parse(&[Input {
                name: "policies.yaml",
                text: &edited,
            }]);
        }
    }
    let (cluster_model, _) = parse(&inputs[..1]);
    let (before, _) = parse(&inputs[1..]);
    let (after, _) = parse(&[Input {
        name: "policies.yaml",
        text: &mutate(&mut rng, &case.policies),
    }]);
    let _ = diff(&cluster_model, &before, &after);
    let state = ShareState {
        policies: case.policies.clone(),
        cluster: case.cluster.clone(),
        view: "matrix".to_string(),
        port: "80/TCP".to_string(),
        ..ShareState::default()
    };
    let link = encode(&state);
    match decode(&link) {
        Ok(back) if back == state => {}
        Ok(_) => return Err("a share link decodes to another state".to_string()),
        // Texts beyond the link's bounded size are refused, not an invariant broken.
        Err(_) if case.policies.len() + case.cluster.len() > 512 * 1024 => {}
        Err(e) => return Err(format!("a share link does not decode: {e}")),
    }
    let broken = mutate(&mut rng, &link);
    let _ = decode(&broken);
    Ok(())
}

/// The outcome of a fuzzing run.
#[derive(Debug, Default)]
pub struct Report {
    pub cases: u64,
    /// Seeds that broke an invariant, with what broke.
    pub failures: Vec<(u64, String)>,
    /// The slowest case: its seed and time.
    pub slowest: (u64, Duration),
}

/// Runs cases from `first_seed` on until `budget` is spent or `max_cases` ran; panics are caught
/// and reported as failures of their seed.
pub fn run(first_seed: u64, budget: Duration, max_cases: u64) -> Report {
    let start = Instant::now();
    let mut report = Report::default();
    let mut seed = first_seed;
    while report.cases < max_cases && start.elapsed() < budget {
        let c = case(seed);
        let t = Instant::now();
        let outcome = std::panic::catch_unwind(|| run_case(&c));
        let took = t.elapsed();
        if took > report.slowest.1 {
            report.slowest = (seed, took);
        }
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => report.failures.push((seed, e)),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".to_string());
                report.failures.push((seed, format!("panic: {msg}")));
            }
        }
        report.cases += 1;
        seed = seed.wrapping_add(1);
    }
    report
}
