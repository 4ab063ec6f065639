//! Compiles `locales/*.toml` into static tables, so that adding a language is adding one
//! file: its name is the language tag, its keys are the copy keys (nested tables are
//! joined with dots), its values the strings.

use std::fmt::Write as _;
use std::path::Path;

fn flatten(prefix: &str, table: &toml::Table, into: &mut Vec<(String, String)>, file: &Path) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => into.push((full, text.clone())),
            toml::Value::Table(inner) => flatten(&full, inner, into, file),
            other => panic!(
                "{}: {full} must be a string, not {}",
                file.display(),
                other.type_str()
            ),
        }
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("core/locales exists")
        .map(|entry| entry.expect("readable locales folder").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .collect();
    files.sort();
    let mut out = String::from("/// `(language tag, [(copy key, text)])`, keys sorted.\n");
    out.push_str("pub static LOCALES: &[(&str, &[(&str, &str)])] = &[\n");
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let tag = file
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("UTF-8 file name");
        assert!(
            !tag.is_empty() && tag.bytes().all(|byte| byte.is_ascii_lowercase()),
            "{}: a locale file is named by its lowercase language tag, e.g. de.toml",
            file.display()
        );
        let text = std::fs::read_to_string(file).expect("readable locale file");
        let table: toml::Table = text
            .parse()
            .unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let mut entries = Vec::new();
        flatten("", &table, &mut entries, file);
        entries.sort();
        let _ = writeln!(out, "    ({tag:?}, &[");
        for (key, value) in entries {
            let _ = writeln!(out, "        ({key:?}, {value:?}),");
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("locales.rs");
    std::fs::write(target, out).expect("writable OUT_DIR");
}
