//! What reading one document adds to the model, as data ([`Effect`]), positioned as if the
//! document were the whole of file 0.
//!
//! Reading a document (YAML to typed objects, validation) depends on its text alone; what
//! depends on the rest of the input (declared twice, the per-file diagnostic cap, the skipped
//! kinds' summary, toy namespace numbering, the controller owners' indices) is decided when an
//! effect is applied to the [`Builder`], at the document's place ([`Base`]). So a document's
//! effects can be applied at once ([`Writer::apply`], what [`crate::parse_with`] does) or kept and
//! applied again wherever the same text sits later ([`Writer::record`], what
//! [`crate::parse_cached`] does): both give the same model and diagnostics.

use crate::addresses::AutoIp;
use crate::builder::{first_at, Builder, Ctx, Toy, MAX_DIAGNOSTICS_PER_FILE, MAX_LISTED_KINDS};
use crate::diag::{Diagnostic, PathDiag, Severity};
use crate::model::{ClusterPolicy, External, Namespace, NetworkPolicy, Node, Pod, Rule, Span};
use crate::replicas::Owned;
use crate::source::clamp;
use crate::tiered;

/// A controller `ownerReference` of a pod or workload: its kind and name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Owner {
    pub kind: String,
    pub name: String,
}

/// One thing reading a document adds, in order. Spans and lines are relative to the document
/// (file 0, its first line is line 1); `name_at` is where an object's `metadata.name` is, where
/// a duplicate is reported.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Effect {
    /// A diagnostic (its `file` is set when applied).
    Diag(Diagnostic),
    /// Diagnostics after the first [`MAX_DIAGNOSTICS_PER_FILE`] + 1 of the document: they can
    /// only be counted into their file's "not listed" summary, so they are not positioned.
    Unplaced {
        count: usize,
        any_error: bool,
    },
    /// A `kind: Namespace`.
    Namespace(Namespace),
    /// A `kind: Pod`.
    Pod {
        pod: Pod,
        owner: Option<Owner>,
    },
    /// The endpoint of a workload.
    Workload {
        pod: Pod,
        name_at: Span,
        owner: Option<Owner>,
    },
    Policy {
        policy: NetworkPolicy,
        name_at: Span,
    },
    ClusterPolicy {
        policy: ClusterPolicy,
        name_at: Span,
    },
    Node {
        node: Node,
        name_at: Span,
    },
    /// A toy cluster starts: what it declares twice is reported after its own diagnostics.
    ToyStart,
    /// A toy namespace; the toy pods that follow are its pods.
    ToyNamespace(Namespace),
    /// A toy pod; `auto_ip` when its address is to be assigned (by `ordinal`).
    ToyPod {
        pod: Pod,
        auto_ip: bool,
        ordinal: usize,
    },
    ToyExternal(External),
    ToyEnd,
    /// An object skipped because of its kind, for the file's summary; `at` is its `kind`.
    Skipped {
        kind: String,
        at: Span,
    },
}

/// Where a document sits: its file and the 0-based line of its first line in that file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Base<'a> {
    pub file: usize,
    pub name: &'a str,
    pub first_line: usize,
}

impl Base<'_> {
    fn span(&self, span: &mut Span) {
        span.file = self.file;
        span.line = span.line.saturating_add(clamp(self.first_line));
    }

    pub(crate) fn diagnostic(&self, d: &mut Diagnostic) {
        d.file = self.name.to_string();
        d.line = d.line.saturating_add(clamp(self.first_line));
    }

    fn rule(&self, r: &mut Rule) {
        self.span(&mut r.span);
        r.peers.iter_mut().for_each(|p| self.span(&mut p.span));
        r.ports.iter_mut().for_each(|p| self.span(&mut p.span));
    }

    /// Moves every span of an effect to this place.
    pub(crate) fn effect(&self, e: &mut Effect) {
        match e {
            Effect::Diag(d) => self.diagnostic(d),
            Effect::Unplaced { .. } | Effect::ToyStart | Effect::ToyEnd => {}
            Effect::Namespace(ns) | Effect::ToyNamespace(ns) => {
                if let Some(s) = &mut ns.span {
                    self.span(s);
                }
            }
            Effect::Pod { pod, .. } | Effect::ToyPod { pod, .. } => self.span(&mut pod.span),
            Effect::Workload { pod, name_at, .. } => {
                self.span(&mut pod.span);
                self.span(name_at);
            }
            Effect::Policy { policy, name_at } => {
                self.span(&mut policy.span);
                self.span(name_at);
                policy.ingress.iter_mut().for_each(|r| self.rule(r));
                policy.egress.iter_mut().for_each(|r| self.rule(r));
            }
            Effect::ClusterPolicy { policy, name_at } => {
                self.span(&mut policy.span);
                self.span(name_at);
                for r in policy.ingress.iter_mut().chain(policy.egress.iter_mut()) {
                    self.span(&mut r.span);
                    r.peers.iter_mut().for_each(|p| self.span(&mut p.span));
                    r.ports
                        .iter_mut()
                        .flatten()
                        .for_each(|p| self.span(&mut p.span));
                }
            }
            Effect::Node { node, name_at } => {
                self.span(&mut node.span);
                self.span(name_at);
            }
            Effect::ToyExternal(e) => self.span(&mut e.span),
            Effect::Skipped { at, .. } => self.span(at),
        }
    }
}

enum Target<'w> {
    Apply(&'w mut Builder, Base<'w>),
    Record(&'w mut Vec<Effect>),
}

/// Where the readers of one document put what they read: straight into the model being built,
/// or into a list of effects.
pub(crate) struct Writer<'w> {
    target: Target<'w>,
    /// How many diagnostics the document has given so far.
    diags: usize,
}

impl<'w> Writer<'w> {
    /// A writer that applies each effect to `builder` at `base`.
    pub(crate) fn apply(builder: &'w mut Builder, base: Base<'w>) -> Self {
        Writer {
            target: Target::Apply(builder, base),
            diags: 0,
        }
    }

    /// A writer that keeps the effects, to be applied later.
    pub(crate) fn record(effects: &'w mut Vec<Effect>) -> Self {
        Writer {
            target: Target::Record(effects),
            diags: 0,
        }
    }

    /// A problem at a field path of the document.
    pub(crate) fn push(&mut self, ctx: &Ctx<'_>, d: PathDiag) {
        // A document's diagnostic k is at least the file's diagnostic k, so past the cap + 1
        // none is listed or the first one not listed: only the count matters.
        if self.diags > MAX_DIAGNOSTICS_PER_FILE {
            self.diags += 1;
            let any_error = d.severity == Severity::Error;
            self.add(Effect::Unplaced {
                count: 1,
                any_error,
            });
        } else {
            self.emit(ctx.diag(d));
        }
    }

    pub(crate) fn push_all(&mut self, ctx: &Ctx<'_>, diags: Vec<PathDiag>) {
        for d in diags {
            self.push(ctx, d);
        }
    }

    /// A positioned diagnostic.
    pub(crate) fn emit(&mut self, d: Diagnostic) {
        self.diags += 1;
        self.add(Effect::Diag(d));
    }

    /// Anything else the document adds.
    pub(crate) fn add(&mut self, mut e: Effect) {
        match &mut self.target {
            Target::Apply(b, base) => {
                base.effect(&mut e);
                b.apply(base, e);
            }
            Target::Record(effects) => {
                if let (
                    Some(Effect::Unplaced { count, any_error }),
                    Effect::Unplaced {
                        count: more,
                        any_error: error,
                    },
                ) = (effects.last_mut(), &e)
                {
                    *count += more;
                    *any_error |= error;
                    return;
                }
                effects.push(e);
            }
        }
    }
}

impl Builder {
    /// Applies one effect, already moved to its document's place.
    pub(crate) fn apply(&mut self, base: &Base<'_>, e: Effect) {
        let file = base.name;
        match e {
            Effect::Diag(d) => self.emit(d),
            Effect::Unplaced { count, any_error } => self.count_unlisted(file, count, any_error),
            Effect::Namespace(ns) => {
                self.add_namespace(file, ns);
            }
            Effect::Pod { pod, owner } => {
                let index = self.model.pods.len();
                if self.add_pod(file, pod, owner.is_some()) {
                    self.owned(index, owner);
                }
            }
            Effect::Workload {
                pod,
                name_at,
                owner,
            } => self.add_workload(file, pod, name_at, owner),
            Effect::Policy { policy, name_at } => self.add_policy(file, policy, name_at),
            Effect::ClusterPolicy { policy, name_at } => {
                if let Err(msg) = tiered::input::add_cluster_policy(&mut self.model, policy) {
                    self.duplicate(file, name_at, Severity::Error, msg);
                }
            }
            Effect::Node { node, name_at } => {
                if let Err(msg) = tiered::input::add_node(&mut self.model, node) {
                    self.duplicate(file, name_at, Severity::Error, msg);
                }
            }
            Effect::ToyStart => self.toy = Some(Toy::default()),
            Effect::ToyNamespace(ns) => {
                let namespace = self.add_namespace(file, ns).then(|| {
                    self.toy_namespaces += 1;
                    self.toy_namespaces - 1
                });
                if let Some(toy) = &mut self.toy {
                    toy.namespace = namespace;
                }
            }
            Effect::ToyPod {
                pod,
                auto_ip,
                ordinal,
            } => {
                let Some(namespace) = self.toy.as_ref().and_then(|t| t.namespace) else {
                    return;
                };
                if self.add_pod(file, pod, false) && auto_ip {
                    self.auto_ip.push(AutoIp {
                        pod: self.model.pods.len() - 1,
                        namespace,
                        ordinal,
                    });
                }
            }
            Effect::ToyExternal(e) => self.add_external(file, e),
            Effect::ToyEnd => {
                for d in self.toy.take().map(|t| t.duplicates).unwrap_or_default() {
                    self.emit(d);
                }
            }
            Effect::Skipped { kind, at } => {
                let pending = &mut self.manifest;
                pending.first_skipped.get_or_insert(at);
                let full = pending.skipped.len() >= MAX_LISTED_KINDS;
                match pending.skipped.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    // Past this many kinds the rest are only counted (a hostile file can hold
                    // thousands).
                    None if full => pending.other_kinds += 1,
                    None => pending.skipped.push((kind, 1)),
                }
            }
        }
    }

    /// Notes the endpoint just added at `index` when its object has a controller owner.
    fn owned(&mut self, index: usize, owner: Option<Owner>) {
        if let Some(o) = owner {
            self.manifest.owned.push(Owned {
                pod: index,
                kind: o.kind,
                name: o.name,
            });
        }
    }

    /// Adds a workload's endpoint, unless an endpoint of that name exists: a second object of
    /// the same kind and name is an error (the API server would refuse it), an object of another
    /// kind with the same name is left out with a warning.
    fn add_workload(&mut self, file: &str, pod: Pod, name_at: Span, owner: Option<Owner>) {
        let prev = self
            .model
            .pods
            .iter()
            .find(|p| p.namespace == pod.namespace && p.name == pod.name);
        if let Some(prev) = prev {
            let at = format!("{}:{}", self.model.files[prev.span.file], prev.span.line);
            let (severity, msg) = if prev.kind == pod.kind {
                let msg = format!(
                    "{} {} is defined twice (first at {at}); this one is ignored",
                    pod.kind,
                    pod.id()
                );
                (Severity::Error, msg)
            } else {
                let msg = format!(
                    "{} {} is left out: the endpoint {} is already {} {} (at {at}), and endpoints are named namespace/name",
                    pod.kind,
                    pod.name,
                    pod.id(),
                    prev.kind,
                    prev.name
                );
                (Severity::Warning, msg)
            };
            self.duplicate(file, name_at, severity, msg);
            return;
        }
        let index = self.model.pods.len();
        self.push_pod(pod, owner.is_some());
        self.owned(index, owner);
    }

    /// Adds a toy external endpoint; a second one of the same name is an error.
    fn add_external(&mut self, file: &str, e: External) {
        if let Some(&prev) = self.externals.get(&e.name) {
            let first = first_at(&self.model, self.model.externals[prev].span);
            let msg = format!(
                "external {} is declared twice (first at {first}); this one is ignored",
                e.name
            );
            self.duplicate(file, e.span, Severity::Error, msg);
            return;
        }
        self.externals
            .insert(e.name.clone(), self.model.externals.len());
        self.model.externals.push(e);
    }
}
