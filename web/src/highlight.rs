//! A tiny YAML tokenizer for syntax highlighting, one line at a time.
//!
//! It only has to look right, not to be a YAML parser: keys, quoted strings, numbers, booleans
//! and null, comments, list dashes, flow punctuation and document markers.

/// The kind of a highlighted piece of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Plain,
    Key,
    Str,
    Num,
    /// `true`, `false`, `null`, `~`.
    Atom,
    Comment,
    /// `-` of a list item, `:`, `{ } [ ] ,`.
    Punct,
    /// `---` and `...`.
    Doc,
}

impl Tok {
    /// The CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Tok::Plain => "t-plain",
            Tok::Key => "t-key",
            Tok::Str => "t-str",
            Tok::Num => "t-num",
            Tok::Atom => "t-atom",
            Tok::Comment => "t-comment",
            Tok::Punct => "t-punct",
            Tok::Doc => "t-doc",
        }
    }
}

/// Splits one line into tokens; concatenating the texts gives the line back.
pub fn tokens(line: &str) -> Vec<(Tok, &str)> {
    let mut out: Vec<(Tok, &str)> = Vec::new();
    let t = line.trim_end();
    if t == "---" || t == "..." || line.starts_with("--- ") {
        out.push((Tok::Doc, &line[..3]));
        if line.len() > 3 {
            out.extend(tokens(&line[3..]));
        }
        return out;
    }
    let b = line.as_bytes();
    let mut i = 0;
    // Where a key may start: at the start of the content, after `- `, after `{` or `,`.
    let mut key_ok = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' => {
                let s = i;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                out.push((Tok::Plain, &line[s..i]));
            }
            b'#' if i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t' => {
                out.push((Tok::Comment, &line[i..]));
                i = b.len();
            }
            b'-' if key_ok && (i + 1 == b.len() || b[i + 1] == b' ') => {
                out.push((Tok::Punct, &line[i..i + 1]));
                i += 1;
            }
            b'{' | b'}' | b'[' | b']' | b',' => {
                out.push((Tok::Punct, &line[i..i + 1]));
                key_ok = c == b'{' || c == b',';
                i += 1;
            }
            b'"' | b'\'' => {
                let s = i;
                i += 1;
                while i < b.len() {
                    if c == b'"' && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == c {
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                let i2 = i.min(b.len());
                i = i2;
                // A quoted key?
                let tok = if key_ok && line[i..].starts_with(':') {
                    Tok::Key
                } else {
                    Tok::Str
                };
                out.push((tok, &line[s..i]));
                key_ok = false;
            }
            b':' => {
                out.push((Tok::Punct, &line[i..i + 1]));
                i += 1;
                key_ok = false;
            }
            _ => {
                // A plain scalar: up to `: `, ` #`, a flow indicator inside flow context, or the end.
                let s = i;
                let in_flow = out
                    .iter()
                    .any(|(t, x)| *t == Tok::Punct && (*x == "{" || *x == "["));
                while i < b.len() {
                    let ch = b[i];
                    if ch == b':' && (i + 1 == b.len() || b[i + 1] == b' ') {
                        break;
                    }
                    if ch == b'#' && i > s && (b[i - 1] == b' ' || b[i - 1] == b'\t') {
                        break;
                    }
                    if in_flow && matches!(ch, b',' | b'}' | b']') {
                        break;
                    }
                    i += 1;
                }
                // Leave trailing spaces before a comment as plain text.
                let mut e = i;
                while e > s && b[e - 1] == b' ' {
                    e -= 1;
                }
                let word = &line[s..e];
                let is_key = key_ok && i < b.len() && b[i] == b':';
                let tok = if is_key { Tok::Key } else { scalar_kind(word) };
                out.push((tok, word));
                if e < i {
                    out.push((Tok::Plain, &line[e..i]));
                }
                key_ok = false;
            }
        }
    }
    out
}

fn scalar_kind(w: &str) -> Tok {
    match w {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~" => {
            return Tok::Atom
        }
        "|" | ">" | "|-" | ">-" | "|+" | ">+" => return Tok::Punct,
        _ => {}
    }
    let digits = w.strip_prefix('-').unwrap_or(w);
    if !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && digits.bytes().any(|c| c.is_ascii_digit())
    {
        return Tok::Num;
    }
    Tok::Plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(Tok, String)> {
        tokens(line)
            .into_iter()
            .map(|(t, s)| (t, s.to_string()))
            .collect()
    }

    #[test]
    fn round_trips() {
        for l in [
            "apiVersion: networking.k8s.io/v1",
            "  - from: # comment",
            "    podSelector: {matchLabels: {app: db}}",
            "ports: [serve-80-tcp:80, \"x\", 'y']",
            "---",
            "  port: 53   # dns",
            "  weird: \"unterminated",
            "x: a#b",
            "",
        ] {
            let joined: String = tokens(l).iter().map(|(_, s)| *s).collect();
            assert_eq!(joined, l);
        }
    }

    #[test]
    fn classifies() {
        let k = kinds("  - port: 53 # dns");
        assert!(k.contains(&(Tok::Punct, "-".into())));
        assert!(k.contains(&(Tok::Key, "port".into())));
        assert!(k.contains(&(Tok::Num, "53".into())));
        assert!(k.contains(&(Tok::Comment, "# dns".into())));
        let k = kinds("metadata: {name: x, namespace: app}");
        assert!(k.contains(&(Tok::Key, "name".into())));
        assert!(k.contains(&(Tok::Key, "namespace".into())));
        assert!(k.contains(&(Tok::Plain, "app".into())));
        assert_eq!(kinds("---")[0].0, Tok::Doc);
        assert!(kinds("a: \"q\"").contains(&(Tok::Str, "\"q\"".into())));
        assert!(kinds("a: true").contains(&(Tok::Atom, "true".into())));
        assert!(
            kinds("      frontend: app=frontend").contains(&(Tok::Plain, "app=frontend".into()))
        );
    }
}
