//! Label selector matching, why a selector does not match (as data), and the kubectl syntax of
//! a selector.

use serde::Serialize;

use crate::model::{LabelSelector, Labels, Operator, Requirement};

/// The first requirement of a selector that some labels fail, and what the labels have instead.
/// [`crate::explain::render`] puts it in words ("requires app=web, has app=db").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SelectorMismatch {
    /// The requirement that is not met.
    pub requirement: UnmetRequirement,
    /// The labels' value for the requirement's key; `None` when they have no such label.
    pub has: Option<String>,
}

/// A requirement of a label selector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnmetRequirement {
    /// A `matchLabels` entry: the label `key` must be `value`.
    MatchLabels {
        /// The label key.
        key: String,
        /// The value the label must have.
        value: String,
    },
    /// A `matchExpressions` entry.
    MatchExpressions {
        /// The requirement.
        requirement: Requirement,
    },
}

impl UnmetRequirement {
    /// The label key the requirement is about.
    pub fn key(&self) -> &str {
        match self {
            UnmetRequirement::MatchLabels { key, .. } => key,
            UnmetRequirement::MatchExpressions { requirement } => &requirement.key,
        }
    }
}

impl Requirement {
    /// Whether `labels` satisfy this requirement. `NotIn` and `DoesNotExist` match objects that
    /// do not have the key at all.
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            Operator::In => value.is_some_and(|v| self.values.contains(v)),
            Operator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }

    /// The requirement in kubectl's label-selector syntax, e.g. `tier in (a, b)` or `!app`.
    pub(crate) fn describe(&self) -> String {
        let vals = self.values.join(", ");
        match self.operator {
            Operator::In => format!("{} in ({vals})", self.key),
            Operator::NotIn => format!("{} notin ({vals})", self.key),
            Operator::Exists => self.key.clone(),
            Operator::DoesNotExist => format!("!{}", self.key),
        }
    }
}

impl LabelSelector {
    /// Whether `labels` satisfy every `matchLabels` entry and every `matchExpressions` entry.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }

    /// True for `{}`, which selects everything.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Why `labels` do not satisfy the selector: the first failing requirement, `matchLabels`
    /// before `matchExpressions`. `None` when the selector matches.
    pub fn mismatch(&self, labels: &Labels) -> Option<SelectorMismatch> {
        let unmet = |requirement: UnmetRequirement| {
            let has = labels.get(requirement.key()).cloned();
            Some(SelectorMismatch { requirement, has })
        };
        for (k, v) in &self.match_labels {
            if labels.get(k) != Some(v) {
                return unmet(UnmetRequirement::MatchLabels {
                    key: k.clone(),
                    value: v.clone(),
                });
            }
        }
        for r in &self.match_expressions {
            if !r.matches(labels) {
                return unmet(UnmetRequirement::MatchExpressions {
                    requirement: r.clone(),
                });
            }
        }
        None
    }
}

/// The selector in kubectl's label-selector syntax, e.g. `app=web,tier in (a, b)`; `{}` for
/// the empty selector.
pub fn describe_selector(sel: &LabelSelector) -> String {
    if sel.is_empty() {
        return "{}".to_string();
    }
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    parts.extend(sel.match_expressions.iter().map(Requirement::describe));
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(s: &str) -> Labels {
        s.split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_string(), v.to_string())
            })
            .collect()
    }

    fn req(key: &str, operator: Operator, values: &[&str]) -> LabelSelector {
        LabelSelector {
            match_labels: Labels::new(),
            match_expressions: vec![Requirement {
                key: key.into(),
                operator,
                values: values.iter().map(|v| v.to_string()).collect(),
            }],
        }
    }

    /// Expected results follow the LabelSelector reference: "NotIn / DoesNotExist match objects
    /// without the key"; an empty selector matches everything.
    #[test]
    fn selector_table() {
        use Operator::*;
        let cases: Vec<(LabelSelector, &str, bool)> = vec![
            (LabelSelector::default(), "", true),
            (LabelSelector::default(), "a=1", true),
            (
                LabelSelector {
                    match_labels: labels("a=1"),
                    ..Default::default()
                },
                "a=1,b=2",
                true,
            ),
            (
                LabelSelector {
                    match_labels: labels("a=1"),
                    ..Default::default()
                },
                "a=2",
                false,
            ),
            (
                LabelSelector {
                    match_labels: labels("a=1"),
                    ..Default::default()
                },
                "",
                false,
            ),
            (req("a", In, &["1", "2"]), "a=2", true),
            (req("a", In, &["1", "2"]), "a=3", false),
            (req("a", In, &["1"]), "", false),
            (req("a", NotIn, &["1"]), "a=1", false),
            (req("a", NotIn, &["1"]), "a=2", true),
            (req("a", NotIn, &["1"]), "", true),
            (req("a", Exists, &[]), "a=", true),
            (req("a", Exists, &[]), "b=1", false),
            (req("a", DoesNotExist, &[]), "b=1", true),
            (req("a", DoesNotExist, &[]), "a=1", false),
        ];
        for (sel, l, want) in cases {
            assert_eq!(
                sel.matches(&labels(l)),
                want,
                "{} on {{{l}}}",
                describe_selector(&sel)
            );
            assert_eq!(sel.mismatch(&labels(l)).is_none(), want);
        }
    }

    #[test]
    fn mismatch_names_the_first_failing_requirement() {
        let sel = LabelSelector {
            match_labels: labels("team=web"),
            match_expressions: req("env", Operator::In, &["prod"]).match_expressions,
        };
        let team = UnmetRequirement::MatchLabels {
            key: "team".into(),
            value: "web".into(),
        };
        let cases = [
            ("x=1", Some((team.clone(), None))),
            ("team=db", Some((team, Some("db")))),
            ("team=web,env=dev", {
                let requirement = sel.match_expressions[0].clone();
                Some((
                    UnmetRequirement::MatchExpressions { requirement },
                    Some("dev"),
                ))
            }),
            ("team=web,env=prod", None),
        ];
        for (l, want) in cases {
            let want = want.map(|(requirement, has)| SelectorMismatch {
                requirement,
                has: has.map(str::to_string),
            });
            assert_eq!(sel.mismatch(&labels(l)), want, "{{{l}}}");
        }
    }
}
