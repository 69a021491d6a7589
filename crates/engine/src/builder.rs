//! The model being built while inputs are read: where a document sits ([`Ctx`]), the
//! diagnostics with their per-file cap, the declarations seen (to report what is declared
//! twice), and what the manifest readers keep until the end of a file ([`Pending`]). What the
//! readers of a document ([`crate::parse`], [`crate::manifest`], [`crate::workload`],
//! [`crate::toy`]) find is added to it as effects ([`crate::effects`]).

use std::collections::{BTreeMap, HashMap};

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::addresses::{self, AutoIp};
use crate::diag::{cut_quoted, Diagnostic, FieldPath, PathDiag, Seg, Severity};
use crate::json_locate::DocLocator;
use crate::model::{Labels, Model, Namespace, NetworkPolicy, Pod, Span, NAMESPACE_NAME_LABEL};
use crate::replicas::Owned;
use crate::source;
use crate::tiered;
use crate::yaml::Document;

/// Where a document sits, to turn field paths and offsets into positions.
pub(crate) struct Ctx<'a> {
    pub file: usize,
    pub name: &'a str,
    pub doc: &'a Document<'a>,
    pub locator: DocLocator<'a>,
}

impl Ctx<'_> {
    pub(crate) fn span(&self, path: &FieldPath) -> Span {
        let (line, col) = self.locator.locate(&path.0);
        Span {
            file: self.file,
            line: line.saturating_add(source::clamp(self.doc.first_line)),
            col,
        }
    }

    pub(crate) fn diag(&self, d: PathDiag) -> Diagnostic {
        let span = self.span(&d.path);
        Diagnostic {
            file: self.name.to_string(),
            line: span.line,
            col: span.col,
            severity: d.severity,
            code: d.code,
            message: cut_quoted(&d.message).into_owned(),
        }
    }

    /// A diagnostic at byte `offset` of the document.
    pub(crate) fn at_offset(
        &self,
        offset: usize,
        severity: Severity,
        code: &'static str,
        message: String,
    ) -> Diagnostic {
        let (line, col) = source::position(self.doc.text, offset);
        Diagnostic {
            file: self.name.to_string(),
            line: line.saturating_add(source::clamp(self.doc.first_line)),
            col,
            severity,
            code,
            message,
        }
    }
}

/// At most this many diagnostics are listed per input file; one more says how many were not.
/// (A 10 MB file can hold millions of invalid entries; no reader needs more than the first.)
pub(crate) const MAX_DIAGNOSTICS_PER_FILE: usize = 1000;

/// At most this many endpoints (pods and workloads, external endpoints, nodes) are evaluated: a
/// matrix holds one bit per pair, so time and memory grow with the square of this number.
pub const MAX_ENDPOINTS: usize = 10_000;

/// The diagnostics of a file beyond [`MAX_DIAGNOSTICS_PER_FILE`].
#[derive(Default)]
pub(crate) struct Unlisted {
    count: usize,
    /// The first one, whose position the summary takes.
    first: Option<Diagnostic>,
    any_error: bool,
}

/// The model being built, with indexes to find what is declared twice.
#[derive(Default)]
pub(crate) struct Builder {
    pub model: Model,
    pub diags: Vec<Diagnostic>,
    /// How many diagnostics each file has, and those not listed.
    listed: HashMap<String, usize>,
    unlisted: Vec<(String, Unlisted)>,
    /// Pods whose IP is to be assigned.
    pub auto_ip: Vec<AutoIp>,
    /// How many toy namespaces were declared, for IP assignment.
    pub(crate) toy_namespaces: usize,
    pub(crate) namespaces: HashMap<String, usize>,
    pub(crate) pods: HashMap<(String, String), usize>,
    pub(crate) externals: HashMap<String, usize>,
    pub(crate) policies: HashMap<(String, String), usize>,
    /// What the manifest readers keep until the end of a file or of the parse.
    pub manifest: Pending,
    /// [`crate::ParseOptions::group_replicas`].
    pub(crate) group_replicas: bool,
    /// How many endpoints without a controller owner were added.
    unowned: usize,
    /// The toy cluster being read.
    pub(crate) toy: Option<Toy>,
}

/// The toy cluster document being read.
#[derive(Default)]
pub(crate) struct Toy {
    /// The toy namespace of the pods that follow, numbered for IP assignment; `None` when it
    /// was declared twice.
    pub namespace: Option<usize>,
    /// What it declares twice, reported after its own diagnostics.
    pub duplicates: Vec<Diagnostic>,
}

pub(crate) fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<T, (FieldPath, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = FieldPath::root();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => path.0.push(Seg::Index(*index)),
                serde_path_to_error::Segment::Map { key } => path.0.push(Seg::Key(key.clone())),
                serde_path_to_error::Segment::Enum { variant } => {
                    path.0.push(Seg::Key(variant.clone()))
                }
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        (path, e.inner().to_string())
    })
}

/// Where the first declaration of something is, as `file:line:col`.
pub(crate) fn first_at(model: &Model, at: Span) -> String {
    let file = model.files.get(at.file).map_or("", String::as_str);
    format!("{file}:{}:{}", at.line, at.col)
}

impl Builder {
    /// Lists a diagnostic, or counts it when its file has [`MAX_DIAGNOSTICS_PER_FILE`].
    pub(crate) fn emit(&mut self, d: Diagnostic) {
        let listed = self.listed.entry(d.file.clone()).or_default();
        if *listed < MAX_DIAGNOSTICS_PER_FILE {
            *listed += 1;
            self.diags.push(d);
            return;
        }
        let unlisted = self.unlisted_of(&d.file);
        unlisted.count += 1;
        unlisted.any_error |= d.severity == Severity::Error;
        unlisted.first.get_or_insert(d);
    }

    /// Counts diagnostics of `file` that are neither listed nor the first one not listed.
    pub(crate) fn count_unlisted(&mut self, file: &str, count: usize, any_error: bool) {
        let unlisted = self.unlisted_of(file);
        unlisted.count += count;
        unlisted.any_error |= any_error;
    }

    fn unlisted_of(&mut self, file: &str) -> &mut Unlisted {
        let i = match self.unlisted.iter().position(|(f, _)| f == file) {
            Some(i) => i,
            None => {
                self.unlisted.push((file.to_string(), Unlisted::default()));
                self.unlisted.len() - 1
            }
        };
        &mut self.unlisted[i].1
    }

    /// Reports something declared twice, at `at` in `file`: at once, or after the diagnostics
    /// of the toy cluster being read.
    pub(crate) fn duplicate(&mut self, file: &str, at: Span, severity: Severity, message: String) {
        let d = Diagnostic {
            file: file.to_string(),
            line: at.line,
            col: at.col,
            severity,
            code: "duplicate",
            message: cut_quoted(&message).into_owned(),
        };
        match &mut self.toy {
            Some(toy) => toy.duplicates.push(d),
            None => self.emit(d),
        }
    }

    /// Adds a declared namespace; a second declaration of the same name is an error.
    pub(crate) fn add_namespace(&mut self, file: &str, ns: Namespace) -> bool {
        if let Some(&prev) = self.namespaces.get(&ns.name) {
            let first = first_at(
                &self.model,
                self.model.namespaces[prev].span.unwrap_or_default(),
            );
            let msg = format!(
                "namespace {} is declared twice (first at {first}); this declaration is ignored",
                ns.name
            );
            self.duplicate(file, ns.span.unwrap_or_default(), Severity::Error, msg);
            return false;
        }
        self.namespaces
            .insert(ns.name.clone(), self.model.namespaces.len());
        self.model.namespaces.push(ns);
        true
    }

    /// Adds a pod; a second pod with the same namespace and name is an error.
    pub(crate) fn add_pod(&mut self, file: &str, pod: Pod, owned: bool) -> bool {
        let key = (pod.namespace.clone(), pod.name.clone());
        if let Some(&prev) = self.pods.get(&key) {
            let first = first_at(&self.model, self.model.pods[prev].span);
            let msg = format!(
                "pod {} is defined twice (first at {first}); this one is ignored",
                pod.id()
            );
            self.duplicate(file, pod.span, Severity::Error, msg);
            return false;
        }
        self.pods.insert(key, self.model.pods.len());
        self.push_pod(pod, owned);
        true
    }

    /// Adds an endpoint to `Model::pods`. One that [`Builder::cap_endpoints`] will surely leave
    /// out keeps only what duplicates and the cap report (names, kind, span), so that a 10 MB
    /// toy cluster does not hold the labels of 373,000 pods.
    pub(crate) fn push_pod(&mut self, mut pod: Pod, owned: bool) {
        // Grouping replicas removes owned endpoints only, so an endpoint after as many unowned
        // ones as the cap stays after the cap.
        let left_out = if self.group_replicas {
            !owned && self.unowned >= MAX_ENDPOINTS
        } else {
            self.model.pods.len() >= MAX_ENDPOINTS
        };
        if !owned {
            self.unowned += 1;
        }
        if left_out {
            pod.labels = Labels::new();
            pod.ips = Vec::new();
            pod.ports = Vec::new();
        }
        self.model.pods.push(pod);
    }

    /// Adds a policy; a second policy with the same namespace and name is an error.
    pub(crate) fn add_policy(&mut self, file: &str, policy: NetworkPolicy, name_at: Span) {
        let key = (policy.namespace.clone(), policy.name.clone());
        if let Some(&prev) = self.policies.get(&key) {
            let first = first_at(&self.model, self.model.policies[prev].span);
            let msg = format!(
                "NetworkPolicy {} is defined twice (first at {first}); this one is ignored",
                policy.id()
            );
            self.duplicate(file, name_at, Severity::Error, msg);
            return;
        }
        self.policies.insert(key, self.model.policies.len());
        self.model.policies.push(policy);
    }

    /// Keeps the first [`MAX_ENDPOINTS`] endpoints (pods first, then externals, then nodes) and
    /// reports the first one left out, with how many are.
    fn cap_endpoints(&mut self) {
        let m = &mut self.model;
        let total = m.pods.len() + m.externals.len() + m.nodes.len();
        if total <= MAX_ENDPOINTS {
            return;
        }
        let pods = m.pods.len().min(MAX_ENDPOINTS);
        let externals = m.externals.len().min(MAX_ENDPOINTS - pods);
        let nodes = m.nodes.len().min(MAX_ENDPOINTS - pods - externals);
        let first = if pods < m.pods.len() {
            m.pods[pods].span
        } else if externals < m.externals.len() {
            m.externals[externals].span
        } else {
            m.nodes[nodes].span
        };
        m.pods.truncate(pods);
        m.externals.truncate(externals);
        m.nodes.truncate(nodes);
        self.auto_ip.retain(|a| a.pod < pods);
        let file = self
            .model
            .files
            .get(first.file)
            .cloned()
            .unwrap_or_default();
        self.emit(Diagnostic {
            file,
            line: first.line.max(1),
            col: first.col.max(1),
            severity: Severity::Error,
            code: "too-many-endpoints",
            message: format!(
                "the input declares {total} endpoints (pods, workloads, external endpoints and nodes); at most {MAX_ENDPOINTS} are evaluated, so this one and the {} after it are left out",
                total - MAX_ENDPOINTS - 1
            ),
        });
    }

    pub(crate) fn finish(mut self) -> (Model, Vec<Diagnostic>) {
        self.cap_endpoints();
        // Namespaces referenced but not declared exist with only their name label.
        let referenced: Vec<String> = self
            .model
            .pods
            .iter()
            .map(|p| p.namespace.clone())
            .chain(self.model.policies.iter().map(|p| p.namespace.clone()))
            .collect();
        for name in referenced {
            if self.namespaces.contains_key(&name) {
                continue;
            }
            self.namespaces
                .insert(name.clone(), self.model.namespaces.len());
            let labels = BTreeMap::from([(NAMESPACE_NAME_LABEL.to_string(), name.clone())]);
            self.model.namespaces.push(Namespace {
                name,
                labels,
                span: None,
            });
        }
        for d in addresses::shared_ip_warnings(&self.model) {
            self.emit(d);
        }
        addresses::assign(&mut self.model, &self.auto_ip);
        for (_, unlisted) in std::mem::take(&mut self.unlisted) {
            let Some(first) = unlisted.first else {
                continue;
            };
            self.diags.push(Diagnostic {
                severity: if unlisted.any_error {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                code: "too-many-diagnostics",
                message: format!(
                    "{} more problems in this file are not listed (the first {MAX_DIAGNOSTICS_PER_FILE} are); this is the first of them: {}",
                    unlisted.count, first.message
                ),
                ..first
            });
        }
        let tiered = tiered::input::finish(&mut self.model);
        self.diags.extend(tiered);
        (self.model, self.diags)
    }
}

/// At most this many skipped kinds are named in a file's summary.
pub(crate) const MAX_LISTED_KINDS: usize = 12;

/// What the manifest readers keep until the end of a file or of the parse.
#[derive(Default)]
pub(crate) struct Pending {
    /// The objects of the current file skipped because of their kind: each kind with its count,
    /// in order of first appearance, and where the first one is.
    pub(crate) skipped: Vec<(String, usize)>,
    /// Skipped objects of kinds beyond those the summary names.
    pub(crate) other_kinds: usize,
    pub(crate) first_skipped: Option<Span>,
    /// Pods (and workloads) read with a controller `ownerReference`.
    pub owned: Vec<Owned>,
}
