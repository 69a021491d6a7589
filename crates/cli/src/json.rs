//! JSON text of the serializable reports, in the layouts the CLI's contracts promise.

use serde::Serialize;

/// serde_json's pretty layout (two-space indent, one value per line), and a final newline.
pub(crate) fn pretty(value: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("reports serialize");
    s.push('\n');
    s
}

/// One value in serde_json's compact text, e.g. a string with its quotes and escapes.
pub(crate) fn compact(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("reports serialize")
}

/// A compact layout for tables: arrays and objects at most `inline_height` levels deep (an
/// array of scalars is one level deep) are written on one line as `[a, b]` and `{"k": v}`;
/// deeper ones put each item on its own line, indented by two spaces. Ends with a newline.
///
/// With height 1 a matrix report has one row per line; with height 3 each flow of a
/// connectivity list is one line.
pub(crate) fn layout(value: &impl Serialize, inline_height: usize) -> String {
    let compact = serde_json::to_string(value).expect("reports serialize");
    let mut pos = 0;
    let node = read_node(&compact, &mut pos);
    debug_assert_eq!(pos, compact.len(), "one JSON value");
    let mut out = String::with_capacity(compact.len() * 2);
    write_node(&node, 0, inline_height, &mut out);
    out.push('\n');
    out
}

/// A JSON value as a tree of slices of serde_json's compact text.
enum Node<'a> {
    /// A string (with its quotes and escapes), number, boolean or null.
    Scalar(&'a str),
    Array(Vec<Node<'a>>),
    /// Keys with their quotes and escapes.
    Object(Vec<(&'a str, Node<'a>)>),
}

/// Reads the value at `pos` of serde_json's compact output (no whitespace between tokens).
fn read_node<'a>(text: &'a str, pos: &mut usize) -> Node<'a> {
    let bytes = text.as_bytes();
    match bytes[*pos] {
        b'[' => {
            *pos += 1;
            let mut items = Vec::new();
            while bytes[*pos] != b']' {
                items.push(read_node(text, pos));
                if bytes[*pos] == b',' {
                    *pos += 1;
                }
            }
            *pos += 1;
            Node::Array(items)
        }
        b'{' => {
            *pos += 1;
            let mut members = Vec::new();
            while bytes[*pos] != b'}' {
                let key = read_string(text, pos);
                debug_assert_eq!(bytes[*pos], b':');
                *pos += 1;
                members.push((key, read_node(text, pos)));
                if bytes[*pos] == b',' {
                    *pos += 1;
                }
            }
            *pos += 1;
            Node::Object(members)
        }
        b'"' => Node::Scalar(read_string(text, pos)),
        _ => {
            let start = *pos;
            while *pos < bytes.len() && !matches!(bytes[*pos], b',' | b']' | b'}') {
                *pos += 1;
            }
            Node::Scalar(&text[start..*pos])
        }
    }
}

/// Reads a string token at `pos`, quotes included.
fn read_string<'a>(text: &'a str, pos: &mut usize) -> &'a str {
    let bytes = text.as_bytes();
    let start = *pos;
    *pos += 1;
    while bytes[*pos] != b'"' {
        *pos += if bytes[*pos] == b'\\' { 2 } else { 1 };
    }
    *pos += 1;
    &text[start..*pos]
}

/// How many containers deep a value is: 0 for a scalar, 1 for an array of scalars (or empty).
fn height(node: &Node<'_>) -> usize {
    match node {
        Node::Scalar(_) => 0,
        Node::Array(items) => 1 + items.iter().map(height).max().unwrap_or(0),
        Node::Object(members) => 1 + members.iter().map(|(_, v)| height(v)).max().unwrap_or(0),
    }
}

fn write_node(node: &Node<'_>, indent: usize, inline_height: usize, out: &mut String) {
    let (open, close, len) = match node {
        Node::Scalar(s) => {
            out.push_str(s);
            return;
        }
        Node::Array(items) => ('[', ']', items.len()),
        Node::Object(members) => ('{', '}', members.len()),
    };
    let inline = len == 0 || height(node) <= inline_height;
    out.push(open);
    for i in 0..len {
        if inline {
            if i > 0 {
                out.push_str(", ");
            }
        } else {
            out.push_str(if i > 0 { ",\n" } else { "\n" });
            out.extend(std::iter::repeat_n(' ', indent + 2));
        }
        let value = match node {
            Node::Array(items) => &items[i],
            Node::Object(members) => {
                out.push_str(members[i].0);
                out.push_str(": ");
                &members[i].1
            }
            Node::Scalar(_) => unreachable!("scalars returned above"),
        };
        write_node(value, indent + 2, inline_height, out);
    }
    if !inline {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent));
    }
    out.push(close);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layouts() {
        let table = json!({"name": "a\"],{b", "rows": [[true, false], [false, true]], "empty": []});
        for (height, expected) in [
            (
                1,
                "{\n  \"empty\": [],\n  \"name\": \"a\\\"],{b\",\n  \"rows\": [\n    [true, false],\n    [false, true]\n  ]\n}\n",
            ),
            (
                2,
                "{\n  \"empty\": [],\n  \"name\": \"a\\\"],{b\",\n  \"rows\": [[true, false], [false, true]]\n}\n",
            ),
            (
                3,
                "{\"empty\": [], \"name\": \"a\\\"],{b\", \"rows\": [[true, false], [false, true]]}\n",
            ),
        ] {
            let text = layout(&table, height);
            assert_eq!(text, expected, "height {height}");
            assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), table);
        }
        assert_eq!(layout(&json!([]), 1), "[]\n");
        assert_eq!(
            layout(&json!([{"a": [1, -2.5e3]}, null]), 1),
            "[\n  {\n    \"a\": [1, -2500.0]\n  },\n  null\n]\n"
        );
    }
}
