//! Reading the view models' `&'static str` fields (kinds, tiers, labels — words the core picks
//! from a fixed set) from the worker's JSON: each distinct word is leaked once and then shared,
//! so memory is bounded by the number of distinct words, not by the number of pages read.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::{Deserialize, Deserializer};

/// A word of a view model (`&'static str`; an alias, so that serde does not borrow it).
pub type Word = &'static str;

thread_local! {
    static WORDS: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
}

/// The one `&'static str` equal to `s`.
pub fn intern(s: &str) -> &'static str {
    WORDS.with(|w| {
        let mut w = w.borrow_mut();
        if let Some(&known) = w.get(s) {
            return known;
        }
        let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
        w.insert(leaked);
        leaked
    })
}

/// `#[serde(deserialize_with = "…::word")]` on a `&'static str` field.
pub fn word<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
    Ok(intern(&s))
}

/// `#[serde(deserialize_with = "…::opt_word")]` on an `Option<&'static str>` field.
pub fn opt_word<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    let s = Option::<std::borrow::Cow<'de, str>>::deserialize(d)?;
    Ok(s.map(|s| intern(&s)))
}

#[cfg(test)]
mod tests {
    use super::intern;

    #[test]
    fn a_word_is_leaked_once() {
        let a = intern(&String::from("Deployment"));
        let b = intern(&String::from("Deployment"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "Deployment");
    }
}
