//! A per-document parse cache: on a keystroke only the document that changed is read again.
//!
//! Reading a document (YAML to typed objects, validation) depends on its text alone, so its
//! effects ([`crate::effects`]) are kept by text, positioned as if the document were the whole
//! of file 0; they are moved to wherever the same text sits on the next call. What depends on
//! other documents (declared twice, the per-file diagnostic cap, skipped kinds, undeclared
//! namespaces, toy IP numbering, grouping replicas, the endpoint cap) is computed on every call
//! over the whole input, as [`crate::parse_with`] does.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::diag::Diagnostic;
use crate::effects::{Effect, Writer};
use crate::manifest::ParseOptions;
use crate::model::Model;
use crate::parse::{document, read};
use crate::source::Input;

/// Documents longer than this are read on every call and not kept: their effects would hold a
/// second copy of what may be hundreds of thousands of endpoints, most past the endpoint cap
/// (10,000 endpoints are evaluated).
pub const MAX_KEPT_DOCUMENT_BYTES: usize = 2 << 20;

/// What [`parse_cached`] keeps between calls: the effects of every document of the last call,
/// by its text (after line breaks are normalized). Neither the input's name nor the options
/// change what a document reads as, so they are not part of the key. Its size is bounded by the
/// last call's input: documents that are gone are dropped, and documents longer than
/// [`MAX_KEPT_DOCUMENT_BYTES`] are not kept.
///
/// Plain data (`Default`, `Debug`, `Clone`; `Send` and `Sync`), to be held in a front end's
/// state; it has no `PartialEq`, since two caches that differ still give the same results.
#[derive(Clone, Debug, Default)]
pub struct ParseCache {
    documents: HashMap<String, Vec<Effect>, BuildHasherDefault<TextHasher>>,
    reused: usize,
}

/// Hashes document texts a word at a time (FxHash's mixing): every call hashes the whole input,
/// and SipHash, std's default, took an eighth of a cached call at 1,000 × 300. A text that
/// collides on purpose only slows its own lookups.
#[derive(Clone, Copy, Debug, Default)]
struct TextHasher(u64);

impl TextHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut word = [0; 8];
            word.copy_from_slice(w);
            self.add(u64::from_le_bytes(word));
        }
        for &b in words.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

// A front end may keep the cache in its state, or move it to a worker thread.
const _: fn() = || {
    fn plain<T: Default + Clone + std::fmt::Debug + Send + Sync + 'static>() {}
    plain::<ParseCache>();
};

impl ParseCache {
    /// How many documents the last call took from the cache instead of reading them.
    pub fn reused(&self) -> usize {
        self.reused
    }

    /// How many distinct document texts are kept.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

/// [`crate::parse_with`], reading again only the documents whose text is not in `cache`: the
/// same model and the same diagnostics, in the same order, with the same positions.
///
/// ```
/// use netpol_engine::{parse_cached, parse_with, Input, ParseCache, ParseOptions};
///
/// let options = ParseOptions::default();
/// let mut cache = ParseCache::default();
/// let before = "namespaces: {a: {pods: {web: app=web}}}\n---\nkind: Pod\n";
/// let _ = parse_cached(&mut cache, &[Input { name: "in.yaml", text: before }], &options);
/// // A line is added to the first document: the second moves down one line and is not read again.
/// let after = before.replacen("\n", "\nexternals: {dns: 8.8.8.8}\n", 1);
/// let inputs = [Input { name: "in.yaml", text: &after }];
/// let cached = parse_cached(&mut cache, &inputs, &options);
/// assert_eq!(cache.reused(), 1);
/// assert_eq!(cached, parse_with(&inputs, &options));
/// assert_eq!(cached.1[0].line, 4);
/// ```
pub fn parse_cached(
    cache: &mut ParseCache,
    inputs: &[Input<'_>],
    options: &ParseOptions,
) -> (Model, Vec<Diagnostic>) {
    let mut old = std::mem::take(&mut cache.documents);
    let mut reused = 0;
    let documents = &mut cache.documents;
    let result = read(inputs, options, |b, base, text| {
        if text.len() > MAX_KEPT_DOCUMENT_BYTES {
            document(&mut Writer::apply(b, base), text);
            return;
        }
        let effects = match documents.get(text) {
            Some(effects) => {
                reused += 1;
                effects
            }
            None => {
                let (key, effects) = match old.remove_entry(text) {
                    Some(kept) => {
                        reused += 1;
                        kept
                    }
                    None => {
                        let mut effects = Vec::new();
                        document(&mut Writer::record(&mut effects), text);
                        (text.to_string(), effects)
                    }
                };
                documents.entry(key).or_insert(effects)
            }
        };
        for e in effects {
            let mut e = e.clone();
            base.effect(&mut e);
            b.apply(&base, e);
        }
    });
    cache.reused = reused;
    result
}
