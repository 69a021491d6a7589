//! Label selector matching, and sentences describing selectors and why they fail.

use crate::model::{LabelSelector, Labels, Operator, Requirement};

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

    fn describe(&self) -> String {
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

    /// Why `labels` do not satisfy the selector: the first failing requirement, in words, e.g.
    /// "requires app=web, has app=db". `None` when the selector matches.
    pub fn mismatch(&self, labels: &Labels) -> Option<String> {
        for (k, v) in &self.match_labels {
            match labels.get(k) {
                Some(have) if have == v => {}
                Some(have) => return Some(format!("requires {k}={v}, has {k}={have}")),
                None => return Some(format!("requires {k}={v}, has no label {k}")),
            }
        }
        for r in &self.match_expressions {
            if !r.matches(labels) {
                let have = match labels.get(&r.key) {
                    Some(v) => format!("has {}={v}", r.key),
                    None => format!("has no label {}", r.key),
                };
                return Some(format!("requires {}, {have}", r.describe()));
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
    fn mismatch_sentences() {
        let sel = LabelSelector {
            match_labels: labels("team=web"),
            ..Default::default()
        };
        assert_eq!(
            sel.mismatch(&labels("x=1")).unwrap(),
            "requires team=web, has no label team"
        );
        assert_eq!(
            sel.mismatch(&labels("team=db")).unwrap(),
            "requires team=web, has team=db"
        );
        let sel = req("env", Operator::In, &["prod", "dev"]);
        assert_eq!(
            sel.mismatch(&labels("")).unwrap(),
            "requires env in (prod, dev), has no label env"
        );
    }
}
