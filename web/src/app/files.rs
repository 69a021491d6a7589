//! Files dropped or picked onto an editor: which ones are read, and how they become one text.
//! The files are read in the browser (never uploaded); this module only joins their texts.

/// True for the file names an editor loads: `.yaml`, `.yml`, `.json` (any case).
pub fn is_manifest_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The texts of `files` (name, text) as one YAML stream: each file after a `# Source: <name>`
/// comment line, `---` between files. Line endings become `\n` (what a textarea holds) and a
/// leading byte order mark is dropped.
pub fn join_files(files: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, text)) in files.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        out.push_str(&format!("# Source: {}\n", name.replace(['\n', '\r'], " ")));
        out.push_str(&text);
        if !text.is_empty() && !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_names() {
        for (name, ok) in [
            ("web.yaml", true),
            ("WEB.YML", true),
            ("list.json", true),
            ("notes.txt", false),
            ("yaml", false),
        ] {
            assert_eq!(is_manifest_name(name), ok, "{name}");
        }
    }

    #[test]
    fn joins_with_source_comments() {
        let files = vec![
            (
                "a.yaml".to_string(),
                "\u{feff}kind: Pod\r\nx: 1".to_string(),
            ),
            ("b.json".to_string(), "{}\n".to_string()),
        ];
        assert_eq!(
            join_files(&files),
            "# Source: a.yaml\nkind: Pod\nx: 1\n---\n# Source: b.json\n{}\n"
        );
        assert_eq!(join_files(&[]), "");
    }
}
