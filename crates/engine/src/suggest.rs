//! "Did you mean …?": edit distances and the closest of a few known words.
//!
//! Validation uses [`closest`] to suggest a field name for an unknown one (`form` → `from`);
//! front ends can use it, or [`edit_distance`] with their own budget, for names a user typed.

/// The candidate closest to `word`, when it is near enough to be a likely typo.
///
/// Near enough means an edit distance of at most 2 that is also smaller than the length of
/// `word` (so `a` never suggests `b`). Letters compare case-insensitively (`podselector` →
/// `podSelector`). Ties go to the earliest candidate. `None` for an empty word or one longer
/// than 64 characters.
///
/// ```
/// use netpol_engine::suggest::closest;
///
/// let fields = ["podSelector", "namespaceSelector", "ipBlock"];
/// assert_eq!(closest("ipblock", fields), Some("ipBlock"));
/// assert_eq!(closest("selector", fields), None);
/// ```
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word: Vec<char> = word.chars().collect();
    if word.is_empty() || word.len() > 64 {
        return None;
    }
    let same = |x: &char, y: &char| x.to_lowercase().eq(y.to_lowercase());
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let d = distance(&word, &candidate.chars().collect::<Vec<_>>(), same);
        if d <= 2 && d < word.len() && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The Levenshtein distance between `a` and `b`, counted in characters (case-sensitive).
///
/// ```
/// use netpol_engine::suggest::edit_distance;
///
/// assert_eq!(edit_distance("kitten", "sitting"), 3);
/// assert_eq!(edit_distance("x/a", "x/b"), 1);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance(&a, &b, |x, y| x == y)
}

/// The Levenshtein distance, with `same` deciding which characters are equal.
fn distance(a: &[char], b: &[char], same: impl Fn(&char, &char) -> bool) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!same(ca, cb));
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: [&str; 4] = ["podSelector", "ingress", "egress", "policyTypes"];

    fn check(word: &str, expect: Option<&str>) {
        assert_eq!(closest(word, SPEC), expect, "{word:?}");
    }

    #[test]
    fn a_typo_suggests_the_field() {
        check("podselector", Some("podSelector"));
        check("ingres", Some("ingress"));
        check("egres", Some("egress"));
        check("policyType", Some("policyTypes"));
        check("PolicyTypez", Some("policyTypes"));
    }

    #[test]
    fn a_distant_word_suggests_nothing() {
        check("", None);
        check("spec", None);
        check("selector", None);
        check(&"a".repeat(65), None);
    }

    #[test]
    fn the_distance_must_be_below_the_word_length() {
        // Replacing every letter of a short word is not a typo.
        assert_eq!(closest("a", ["b"]), None);
        assert_eq!(closest("ab", ["cd"]), None);
        assert_eq!(closest("ab", ["ac"]), Some("ac"));
        assert_eq!(closest("abc", ["ade"]), Some("ade"));
    }

    #[test]
    fn ties_go_to_the_earliest_candidate() {
        assert_eq!(closest("ac", ["ab", "cc"]), Some("ab"));
        assert_eq!(closest("ac", ["cc", "ab"]), Some("cc"));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("Ab", "ab"), 1);
        assert_eq!(edit_distance("é/a", "e/a"), 1);
    }
}
