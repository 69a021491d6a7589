//! JSON documents (`kubectl get -o json`): reading them with positioned syntax errors, and
//! finding where a field path sits in the text.
//!
//! JSON is read by `serde_json`, whose errors carry a line and column, and then handled as the
//! same value a YAML document gives. Positions of fields come from [`JsonLocator`], a small
//! scanner of flow collections: it follows a path through `{…}` and `[…]` without building
//! anything, and also accepts the flow style of YAML (unquoted or single-quoted keys), so a
//! one-line `{kind: Pod, …}` document is positioned too. Like the YAML locator it never fails:
//! when a path cannot be followed to the end, the deepest position found is returned.

use std::cell::{Ref, RefCell};
use std::collections::HashMap;

use serde_yaml::Value;

use crate::diag::{Diagnostic, Seg, Severity};
use crate::yaml::Locator;

/// True when a document's first character (after blanks and a byte order mark) opens a JSON
/// object or array.
pub fn looks_like_json(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    t.starts_with('{') || t.starts_with('[')
}

/// Reads a JSON document; `None` when the text does not look like JSON (see
/// [`looks_like_json`]). A document that is not JSON but valid flow-style YAML (`{kind: Pod}`)
/// is read as YAML; otherwise the JSON syntax error is returned.
pub(crate) fn read(text: &str) -> Option<Result<Value, serde_json::Error>> {
    if !looks_like_json(text) {
        return None;
    }
    let json = text.trim_start_matches('\u{feff}');
    Some(match serde_json::from_str::<serde_json::Value>(json) {
        Ok(v) => Ok(serde_yaml::to_value(v).unwrap_or(Value::Null)),
        Err(e) => match serde_yaml::from_str::<Value>(text) {
            Ok(v) => Ok(v),
            Err(_) => Err(e),
        },
    })
}

/// A JSON syntax error as a diagnostic in `file`, at serde_json's line and column (in a document
/// whose first line is `first_line`, 0-based, in the file).
pub(crate) fn error(file: &str, first_line: usize, e: &serde_json::Error) -> Diagnostic {
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    Diagnostic {
        file: file.to_string(),
        line: (e.line().max(1) + first_line) as u32,
        col: e.column().max(1) as u32,
        severity: Severity::Error,
        code: "json-syntax",
        message: format!("JSON syntax error: {message}"),
    }
}

/// The locator of a document: JSON (flow style) or block YAML.
pub(crate) enum DocLocator<'a> {
    Json(JsonLocator<'a>),
    Yaml(Locator<'a>),
}

impl<'a> DocLocator<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        if looks_like_json(text) {
            DocLocator::Json(JsonLocator::new(text))
        } else {
            DocLocator::Yaml(Locator::new(text))
        }
    }

    /// The 1-based (line, column) of `path` in the document; see [`crate::yaml::locate`].
    pub(crate) fn locate(&self, path: &[Seg]) -> (u32, u32) {
        match self {
            DocLocator::Json(l) => l.locate(path),
            DocLocator::Yaml(l) => l.locate(path),
        }
    }
}

/// Finds field paths in a JSON (or flow-style YAML) document.
pub struct JsonLocator<'a> {
    text: &'a [u8],
    /// The children of each container looked into, by the container's position.
    scanned: RefCell<HashMap<usize, Vec<Child>>>,
    /// The position where each line starts.
    line_starts: Vec<usize>,
}

/// A member of an object (with its key) or an item of an array.
struct Child {
    key: Option<String>,
    /// Where the member's key, or the item, starts.
    at: usize,
    /// Where the value starts.
    value: usize,
}

impl<'a> JsonLocator<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let newlines = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n');
        let line_starts = std::iter::once(0)
            .chain(newlines.map(|(i, _)| i + 1))
            .collect();
        JsonLocator {
            text: bytes,
            scanned: RefCell::new(HashMap::new()),
            line_starts,
        }
    }

    /// The 1-based (line, column) of `path`: for a key, its value when the value starts on the
    /// key's line (where an "Invalid value" sits), else the key; for an index, the item. Columns
    /// count bytes, as the YAML locator's do.
    pub fn locate(&self, path: &[Seg]) -> (u32, u32) {
        let bom = if self.text.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        let mut node = self.skip_blank(bom);
        let mut found = node;
        for (i, seg) in path.iter().enumerate() {
            let next = match seg {
                Seg::Key(k) => self.find_key(node, k),
                Seg::Index(n) => self.find_item(node, *n).map(|at| (at, at)),
            };
            let Some((at, value)) = next else { break };
            let last = i + 1 == path.len();
            found = if last && self.same_line(at, value) {
                value
            } else {
                at
            };
            node = value;
        }
        self.line_col(found)
    }

    fn byte(&self, pos: usize) -> Option<u8> {
        self.text.get(pos).copied()
    }

    fn skip_blank(&self, mut pos: usize) -> usize {
        while let Some(b) = self.byte(pos) {
            if !b.is_ascii_whitespace() {
                break;
            }
            pos += 1;
        }
        pos
    }

    /// In the object at `node`, the position of `key` and of its value.
    fn find_key(&self, node: usize, key: &str) -> Option<(usize, usize)> {
        let children = self.children(node)?;
        children
            .iter()
            .find(|c| c.key.as_deref() == Some(key))
            .map(|c| (c.at, c.value))
    }

    /// In the array at `node`, the position of item `index`.
    fn find_item(&self, node: usize, index: usize) -> Option<usize> {
        let children = self.children(node)?;
        children
            .get(index)
            .filter(|c| c.key.is_none())
            .map(|c| c.value)
    }

    /// The members of the object or the items of the array at `node`, scanned once and kept:
    /// locating every object of a long List stays linear in the text.
    fn children(&self, node: usize) -> Option<Ref<'_, Vec<Child>>> {
        if !self.scanned.borrow().contains_key(&node) {
            let list = self.scan(node)?;
            self.scanned.borrow_mut().insert(node, list);
        }
        Some(Ref::map(self.scanned.borrow(), |s| &s[&node]))
    }

    /// Reads the children of the container at `node`, up to the end or the first malformed one.
    fn scan(&self, node: usize) -> Option<Vec<Child>> {
        let object = match self.byte(node)? {
            b'{' => true,
            b'[' => false,
            _ => return None,
        };
        let mut out = Vec::new();
        let mut pos = node + 1;
        loop {
            pos = self.skip_blank(pos);
            match self.byte(pos) {
                None | Some(b'}' | b']') => return Some(out),
                Some(b',') => {
                    pos += 1;
                    continue;
                }
                Some(_) => {}
            }
            let at = pos;
            let key = if object {
                let Some((name, after)) = self.read_key(pos) else {
                    return Some(out);
                };
                pos = self.skip_blank(after);
                if self.byte(pos) != Some(b':') {
                    return Some(out);
                }
                pos = self.skip_blank(pos + 1);
                Some(name)
            } else {
                None
            };
            out.push(Child {
                key,
                at,
                value: pos,
            });
            match self.skip_value(pos) {
                Some(next) if next > pos => pos = next,
                _ => return Some(out),
            }
        }
    }

    /// A key (double-quoted with escapes, single-quoted, or plain) and the position after it.
    fn read_key(&self, pos: usize) -> Option<(String, usize)> {
        match self.byte(pos)? {
            b'"' => {
                let end = self.skip_string(pos)?;
                let raw = std::str::from_utf8(&self.text[pos..end]).ok()?;
                let name = serde_json::from_str::<String>(raw)
                    .unwrap_or_else(|_| raw.trim_matches('"').to_string());
                Some((name, end))
            }
            b'\'' => {
                let end = self.skip_string(pos)?;
                let raw = std::str::from_utf8(&self.text[pos + 1..end - 1]).ok()?;
                Some((raw.replace("''", "'"), end))
            }
            _ => {
                let mut end = pos;
                while let Some(b) = self.byte(end) {
                    if b == b':' || b == b',' || b == b'}' || b == b'\n' {
                        break;
                    }
                    end += 1;
                }
                let raw = std::str::from_utf8(&self.text[pos..end]).ok()?;
                Some((raw.trim_end().to_string(), end))
            }
        }
    }

    /// The position after the string starting at `pos` (its closing quote included).
    fn skip_string(&self, pos: usize) -> Option<usize> {
        let quote = self.byte(pos)?;
        let mut i = pos + 1;
        loop {
            let b = self.byte(i)?;
            if quote == b'"' && b == b'\\' {
                i += 2;
                continue;
            }
            if b == quote {
                // A doubled single quote is an escaped quote in YAML.
                if quote == b'\'' && self.byte(i + 1) == Some(b'\'') {
                    i += 2;
                    continue;
                }
                return Some(i + 1);
            }
            i += 1;
        }
    }

    /// The position after the value starting at `pos`.
    fn skip_value(&self, pos: usize) -> Option<usize> {
        match self.byte(pos)? {
            b'"' | b'\'' => self.skip_string(pos),
            b'{' | b'[' => {
                let mut depth = 0usize;
                let mut i = pos;
                loop {
                    match self.byte(i)? {
                        b'"' | b'\'' => {
                            i = self.skip_string(i)?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                return Some(i + 1);
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            _ => {
                let mut i = pos;
                while let Some(b) = self.byte(i) {
                    if matches!(b, b',' | b'}' | b']') {
                        break;
                    }
                    i += 1;
                }
                Some(i)
            }
        }
    }

    fn same_line(&self, a: usize, b: usize) -> bool {
        let (lo, hi) = (a.min(b), a.max(b).min(self.text.len()));
        !self.text[lo..hi].contains(&b'\n')
    }

    /// The 1-based line and byte column of `pos`.
    fn line_col(&self, pos: usize) -> (u32, u32) {
        let pos = pos.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= pos) - 1;
        (line as u32 + 1, (pos - self.line_starts[line]) as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Vec<Seg> {
        s.split('.')
            .flat_map(|p| {
                let mut out = Vec::new();
                let mut parts = p.split('[');
                let k = parts.next().unwrap_or("");
                if !k.is_empty() {
                    out.push(Seg::Key(k.to_string()));
                }
                for idx in parts {
                    out.push(Seg::Index(idx.trim_end_matches(']').parse().unwrap()));
                }
                out
            })
            .collect()
    }

    const KUBECTL_JSON: &str = r#"{
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {
                "name": "web",
                "na\"me": "odd",
                "namespace": "shop"
            },
            "spec": {
                "ingress": [
                    {
                        "from": [
                            {"ipBlock": {"cidr": "10.0.0.0/33"}},
                            {"podSelector": {"matchLabels": {"app": "a,b]}"}}}
                        ],
                        "ports": [{"port": 80}]
                    }
                ],
                "podSelector": {}
            }
        }
    ],
    "kind": "List"
}
"#;

    #[test]
    fn locates_kubectl_json_paths() {
        // Keys with a value on their line point at the value; others at the key.
        let cases = [
            ("kind", (26, 13)),
            ("items[0]", (4, 9)),
            ("items[0].kind", (6, 21)),
            ("items[0].metadata", (7, 25)),
            ("items[0].metadata.namespace", (10, 30)),
            ("items[0].spec.ingress[0].from[0].ipBlock.cidr", (16, 50)),
            (
                "items[0].spec.ingress[0].from[1].podSelector.matchLabels.app",
                (17, 69),
            ),
            ("items[0].spec.ingress[0].ports[0].port", (19, 44)),
            ("items[0].spec.podSelector", (22, 32)),
            // Missing fields fall back to the deepest position found.
            ("items[0].spec.egress", (12, 13)),
            ("items[3].kind", (3, 5)),
            ("", (1, 1)),
        ];
        for (p, want) in cases {
            assert_eq!(JsonLocator::new(KUBECTL_JSON).locate(&path(p)), want, "{p}");
        }
    }

    #[test]
    fn locates_flow_style_yaml() {
        let text = "{kind: Pod, 'metadata': {name: web, labels: {app: 'it''s'}}}\n";
        let l = JsonLocator::new(text);
        assert_eq!(l.locate(&path("kind")), (1, 8));
        assert_eq!(l.locate(&path("metadata.labels.app")), (1, 51));
    }

    #[test]
    fn garbage_never_panics() {
        let paths = [
            path("kind"),
            path("items[0].metadata.name"),
            path("a[1].b"),
            path("spec.template.metadata.labels.app"),
        ];
        for text in [
            "{",
            "[",
            "{\"",
            "{'",
            "{\"a\":",
            "{\"a\": [}",
            "[[[[[[",
            "]]]}}}",
            "{\"a\" \"b\"}",
            "{a: [1, {b: 'x''}]",
            "{\"items\": [1,,2], \"kind\": \"List\"}",
            "{\"kind\": \"List\", \"items\": [{\"kind\"",
            "\u{feff}{\"kind\": \"Pod\"}",
            "{\"a\": \"\\",
            "[\"\u{e9}\", {\"\u{e9}\": 1}]",
        ] {
            let l = JsonLocator::new(text);
            for p in &paths {
                let _ = l.locate(p);
            }
        }
    }

    #[test]
    fn reads_json_and_falls_back_to_flow_yaml() {
        assert!(read("kind: Pod\n").is_none());
        let v = read("{\"kind\": \"Pod\"}").unwrap().unwrap();
        assert_eq!(v.get("kind").and_then(Value::as_str), Some("Pod"));
        let v = read("{kind: Pod}").unwrap().unwrap();
        assert_eq!(v.get("kind").and_then(Value::as_str), Some("Pod"));
        let e = read("{\n  \"kind\": \"Pod\",\n  \"x\": [1,,]\n}")
            .unwrap()
            .unwrap_err();
        assert_eq!((e.line(), e.column()), (3, 11));
    }
}
