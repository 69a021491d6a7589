//! The JSON shape of rule matches and misses (`netpol explain --format json`): the fields they
//! had when their sentences were strings come first, unchanged, with the sentences rendered by
//! [`super::render`]; the data behind the sentences follows in new fields.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::render::{miss_reason, rule_match};
use super::{RuleMatch, RuleMiss};

impl Serialize for RuleMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RuleMatch", 13)?;
        st.serialize_field("policy", &self.policy)?;
        st.serialize_field("rule", &self.rule)?;
        st.serialize_field("rule_span", &self.rule_span)?;
        st.serialize_field("peer", &self.peer.as_ref().map(|p| p.index))?;
        st.serialize_field("peer_span", &self.peer.as_ref().map(|p| p.item.span))?;
        st.serialize_field("port", &self.port.as_ref().map(|p| p.index))?;
        st.serialize_field("port_span", &self.port.as_ref().map(|p| p.item.span))?;
        st.serialize_field("sentence", &rule_match(self))?;
        st.serialize_field("direction", &self.direction)?;
        st.serialize_field("endpoint", &self.endpoint)?;
        st.serialize_field("peer_item", &self.peer.as_ref().map(|p| &p.item))?;
        st.serialize_field("port_item", &self.port.as_ref().map(|p| &p.item))?;
        st.serialize_field("flow_port", &self.flow_port)?;
        st.end()
    }
}

impl Serialize for RuleMiss {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let reasons: Vec<String> = self
            .reasons
            .iter()
            .map(|r| miss_reason(self.direction, r))
            .collect();
        let mut st = s.serialize_struct("RuleMiss", 6)?;
        st.serialize_field("policy", &self.policy)?;
        st.serialize_field("rule", &self.rule)?;
        st.serialize_field("rule_span", &self.rule_span)?;
        st.serialize_field("reasons", &reasons)?;
        st.serialize_field("direction", &self.direction)?;
        st.serialize_field("reason_details", &self.reasons)?;
        st.end()
    }
}
