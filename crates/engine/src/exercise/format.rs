//! The exercise and tutorial-step formats (plain data read with serde), and the sentence each
//! goal reads as.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::explain::Explanation;
use crate::model::PortProto;

/// How hard an exercise is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The easiest level.
    Easy,
    /// The middle level.
    Medium,
    /// The hardest level.
    Hard,
}

impl Level {
    /// The level as a lowercase word, as written in exercise files.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Easy => "easy",
            Level::Medium => "medium",
            Level::Hard => "hard",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A flow that must be allowed or denied: `{from: app/web, to: app/db, port: 5432/TCP, allowed: true}`.
/// Endpoints are `namespace/pod` or an external's name.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlowGoal {
    /// The source endpoint: `namespace/pod` or an external's name.
    pub from: String,
    /// The destination endpoint: `namespace/pod` or an external's name.
    pub to: String,
    /// `5432/TCP`, `53/UDP`, `80` (TCP).
    pub port: String,
    /// Whether the flow must be allowed (`true`) or denied (`false`).
    pub allowed: bool,
}

/// "Exactly this matrix" for one port: flow patterns `SRC -> DST: allow|deny`, applied in order
/// (later lines override earlier ones), the syntax of `tests/conformance/README.md`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixGoal {
    /// The port and protocol of the matrix, such as `80/TCP`.
    pub port: String,
    /// The flows that must be allowed, one pattern per line; every other flow must be denied.
    pub flows: Vec<String>,
}

/// One exercise file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// The exercise's title.
    pub title: String,
    /// How hard the exercise is.
    pub level: Level,
    /// Markdown: the situation and the task.
    pub story: String,
    /// The cluster, in the toy format or as Kubernetes objects.
    pub cluster: String,
    /// The starting policies, what the learner edits (may be empty).
    #[serde(default)]
    pub policies: String,
    #[serde(default)]
    /// The flows that must be allowed or denied.
    pub goals: Vec<FlowGoal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Optionally, exactly this matrix for one port.
    pub matrix: Option<MatrixGoal>,
    /// Revealed one at a time.
    #[serde(default)]
    pub hints: Vec<String>,
    /// The reference policies.
    pub solution: String,
    /// Lint codes this exercise teaches (see [`crate::lint::CODES`]).
    #[serde(default)]
    pub traps: Vec<String>,
}

/// The state of one goal for some policies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoalResult {
    /// E.g. "app/web → app/db on 5432/TCP is allowed".
    pub description: String,
    /// Whether the goal holds.
    pub met: bool,
    /// For flow goals whose endpoints exist (for a matrix goal: the first wrong cell).
    pub explanation: Option<Explanation>,
    /// Why the goal is not met, in a sentence (when met: the verdict sentence, or empty).
    pub detail: String,
}

/// A highlight of a tutorial step.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "RawHighlight", into = "RawHighlight")]
pub enum Highlight {
    /// A flow on a port: `{flow: "app/frontend -> app/api", port: 8080/TCP}`.
    Flow {
        /// The source endpoint.
        from: String,
        /// The destination endpoint.
        to: String,
        /// The port and protocol.
        port: String,
    },
    /// A policy by `namespace/name` (`{policy: app/default-deny-all}`), or a tiered policy by
    /// `Kind/name` (`{policy: ClusterNetworkPolicy/sandbox-isolation}`).
    Policy(String),
    /// A pod by `namespace/name`: `{pod: app/api}`.
    Pod(String),
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHighlight {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pod: Option<String>,
}

impl TryFrom<RawHighlight> for Highlight {
    type Error = String;

    fn try_from(r: RawHighlight) -> Result<Self, String> {
        match (r.flow, r.port, r.policy, r.pod) {
            (Some(flow), Some(port), None, None) => {
                let (from, to) = flow.split_once("->").ok_or_else(|| {
                    format!("highlight flow `{flow}`: expected `SRC -> DST`")
                })?;
                PortProto::parse(&port).map_err(|e| format!("highlight port {e}"))?;
                Ok(Highlight::Flow {
                    from: from.trim().to_string(),
                    to: to.trim().to_string(),
                    port,
                })
            }
            (Some(_), None, None, None) => {
                Err("a flow highlight needs a `port` (e.g. `port: 8080/TCP`)".to_string())
            }
            (None, None, Some(policy), None) => Ok(Highlight::Policy(policy)),
            (None, None, None, Some(pod)) => Ok(Highlight::Pod(pod)),
            _ => Err(
                "a highlight is one of `{flow: \"A -> B\", port: P}`, `{policy: ns/name}`, `{pod: ns/name}`"
                    .to_string(),
            ),
        }
    }
}

impl From<Highlight> for RawHighlight {
    fn from(h: Highlight) -> Self {
        let mut r = RawHighlight {
            flow: None,
            port: None,
            policy: None,
            pod: None,
        };
        match h {
            Highlight::Flow { from, to, port } => {
                r.flow = Some(format!("{from} -> {to}"));
                r.port = Some(port);
            }
            Highlight::Policy(p) => r.policy = Some(p),
            Highlight::Pod(p) => r.pod = Some(p),
        }
        r
    }
}

/// One tutorial step's scenario (`tutorial/NN-slug.yaml`); the lesson text is the `.md` beside it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TutorialStep {
    /// The step's title.
    pub title: String,
    /// The cluster, in the toy format or as Kubernetes objects.
    pub cluster: String,
    #[serde(default)]
    /// The policies of the step.
    pub policies: String,
    /// The port the playground selects for this step.
    pub port: String,
    #[serde(default)]
    /// What to highlight in the views.
    pub highlight: Vec<Highlight>,
    /// Verdicts the lesson text claims.
    #[serde(default)]
    pub expect: Vec<FlowGoal>,
}

pub(super) fn verdict_word(allowed: bool) -> &'static str {
    if allowed {
        "allowed"
    } else {
        "denied"
    }
}

pub(super) fn flow_description(g: &FlowGoal) -> String {
    let port = PortProto::parse(&g.port)
        .map(|p| p.to_string())
        .unwrap_or_else(|_| g.port.clone());
    format!(
        "{} → {} on {port} is {}",
        g.from,
        g.to,
        verdict_word(g.allowed)
    )
}

pub(super) fn matrix_description(m: &MatrixGoal) -> String {
    let port = PortProto::parse(&m.port)
        .map(|p| p.to_string())
        .unwrap_or_else(|_| m.port.clone());
    format!("the {port} matrix is exactly as specified")
}
