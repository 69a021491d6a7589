//! # netpol-engine
//!
//! The single source of truth of the netpol playground: it reads Kubernetes objects
//! (`NetworkPolicy`, `Pod`, `Namespace`, workloads such as `Deployment`, lists; YAML or JSON) and
//! a concise toy cluster format, validates them the way kube-apiserver does, and computes which
//! flows the policies allow — with an explanation for every verdict.
//!
//! The API is plain data and never fails: [`parse`] returns a model plus diagnostics, and
//! [`compile`] turns the model into an index that answers matrices, explanations and connectivity.
//!
//! ```
//! use netpol_engine::{compile, parse, Input, PortProto};
//!
//! let cluster = "namespaces:\n  app:\n    pods: {web: app=web, db: app=db, batch: app=batch}\n";
//! let policies = "\
//! apiVersion: networking.k8s.io/v1
//! kind: NetworkPolicy
//! metadata: {name: db-from-web, namespace: app}
//! spec:
//!   podSelector: {matchLabels: {app: db}}
//!   ingress:
//!   - from: [{podSelector: {matchLabels: {app: web}}}]
//! ";
//! let (model, diagnostics) = parse(&[
//!     Input { name: "cluster.yaml", text: cluster },
//!     Input { name: "policies.yaml", text: policies },
//! ]);
//! assert!(diagnostics.is_empty());
//! let index = compile(model);
//! let web = index.endpoint("app/web").unwrap();
//! let db = index.endpoint("app/db").unwrap();
//! let batch = index.endpoint("app/batch").unwrap();
//! let port = PortProto::parse("5432/TCP").unwrap();
//! let matrix = index.matrix(port);
//! assert!(matrix.allowed(web, db));
//! assert!(!matrix.allowed(batch, db));
//! let why = index.explain(batch, db, port);
//! assert_eq!(why.sentences()[0], "app/batch → app/db on 5432/TCP is DENIED by the destination's ingress.");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod addresses;
mod andor;
mod builder;
mod cache;
mod diag;
pub mod diff;
mod effects;
mod eval;
pub mod exercise;
pub mod explain;
mod ids;
mod json_locate;
mod limits;
pub mod lint;
mod manifest;
mod meta;
pub mod model;
mod objects;
mod parse;
mod replicas;
mod report;
mod selector;
mod source;
pub mod suggest;
pub mod tiered;
mod toy;
mod validate;
mod wire;
mod workload;
mod yaml;

pub use andor::{
    and_or_variants, apply_variant_text, variant_applies, AndOr, PortChanges, Variant,
    VariantFlows, VariantKind, VariantSite, VariantText,
};
pub use cache::{parse_cached, ParseCache, MAX_KEPT_DOCUMENT_BYTES};
pub use diag::{has_errors, Diagnostic, Severity};
pub use diff::{diff, diff_models, diff_models_unexplained, with_policies, Diff, DiffError};
pub use eval::{compile, Cell, Compiled, Connection, Endpoint, EndpointKind, Matrix};
pub use exercise::{
    check as check_exercise, parse_exercise, parse_tutorial_step, Exercise, ExerciseError,
    GoalResult, TutorialStep,
};
pub use explain::{Explanation, Verdict};
pub use ids::{ClusterPolicyId, EndpointId, PolicyId};
pub use lint::{lint, Lint};
pub use manifest::ParseOptions;
pub use model::{Model, PolicyType, PortProto, PortProtoError, Protocol, WorkloadKind};
pub use parse::{parse, parse_with};
pub use report::{endpoint_kind, MatrixReport};
pub use selector::describe_selector;
pub use source::{decode, Input};
