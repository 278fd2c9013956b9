//! The command lines that remake a dataset and check it, rebuilt from its manifest's parameters
//! and the family's declared flags, so the card says exactly how to get the same bytes again.

use longforge_datasets::Manifest;
use longforge_generators::{Family, ParamInfo, ParamKind, COMMON_PARAMS};
use serde_json::Value;

/// Where the card's commands write and read the folder.
pub(crate) const DIR: &str = "DIR";

/// How to remake a folder and how to check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commands {
    /// `longforge generate ...` or `longforge import ...`.
    pub make: String,
    /// `longforge verify DIR ...`.
    pub verify: String,
    /// Parameters of the manifest with no flag of their own (none for the built-in families):
    /// named so the card can say to give them with `--params FILE.json`.
    pub without_flag: Vec<String>,
}

/// The files an imported folder was read from, by name, in the order `verify --from` takes them
/// (`params.imported`); `None` for a generated folder.
pub(crate) fn imported_files(manifest: &Manifest) -> Option<Vec<String>> {
    let files = manifest.params.get("imported")?.as_array()?;
    Some(files.iter().map(input_name).collect())
}

pub(crate) fn commands(manifest: &Manifest, family: &dyn Family) -> Commands {
    let mut without_flag = Vec::new();
    let params = manifest.params.as_object().cloned().unwrap_or_default();
    if let Some(files) = imported_files(manifest) {
        let declared = family.importer().map_or(&[][..], |i| i.params());
        let mut make = vec!["longforge".into(), "import".into(), family.name().into()];
        make.extend(files.iter().cloned());
        for (name, value) in &params {
            if name == "imported" || name == "companions" {
                continue;
            }
            match declared.iter().find(|p| p.name == name) {
                Some(p) => make.extend(flag_args(p, value)),
                None => without_flag.push(name.clone()),
            }
        }
        make.extend(["--out".into(), DIR.into()]);
        let mut verify = vec![
            "longforge".into(),
            "verify".into(),
            DIR.into(),
            "--from".into(),
        ];
        verify.extend(files);
        return Commands {
            make: shell_line(&make),
            verify: shell_line(&verify),
            without_flag,
        };
    }
    let mut make = vec!["longforge".into(), "generate".into(), family.name().into()];
    let mut verify = vec!["longforge".into(), "verify".into(), DIR.into()];
    for (name, value) in &params {
        if name == "tokenizer" {
            if let Some(t) = value.as_str() {
                let file = tokenizer_file(t);
                make.extend(["--tokenizer".into(), file.unwrap_or(t).into()]);
                if let Some(file) = file {
                    verify.extend(["--tokenizer".into(), file.into()]);
                }
            }
            continue;
        }
        // A dataset a model wrote: the generator's replies are in a store, which both
        // commands read (`verify` asks nothing), and its address is the user's own.
        if name == "generator" {
            if let Some(g) = value.as_str() {
                let args = [
                    "--generator".to_string(),
                    format!("{g}=URL"),
                    "--store".into(),
                    "STORE".into(),
                ];
                make.extend(args.iter().cloned());
                verify.extend(args);
            }
            continue;
        }
        let declared = COMMON_PARAMS
            .iter()
            .chain(family.params())
            .find(|p| p.name == name);
        match declared {
            Some(p) => {
                let args = flag_args(p, value);
                if p.kind == ParamKind::File {
                    verify.extend(args.iter().cloned());
                }
                make.extend(args);
            }
            None => without_flag.push(name.clone()),
        }
    }
    if let Some(shard) = manifest.shard {
        make.extend(["--shard".into(), format!("{}/{}", shard.index, shard.count)]);
    }
    make.extend(["--out".into(), DIR.into()]);
    Commands {
        make: shell_line(&make),
        verify: shell_line(&verify),
        without_flag,
    }
}

/// The flag and value(s) that give `value` to parameter `p`: none for a switch left off or a
/// null, lists joined by commas, files by the name the manifest records.
fn flag_args(p: &ParamInfo, value: &Value) -> Vec<String> {
    let flag = format!("--{}", p.flag());
    let text = match (p.kind, value) {
        (_, Value::Null) | (ParamKind::Bool, Value::Bool(false)) => return Vec::new(),
        // An empty list is what the family fills in when the flag is not given.
        (_, Value::Array(items)) if items.is_empty() => return Vec::new(),
        (ParamKind::Bool, Value::Bool(true)) => return vec![flag],
        (ParamKind::File, v) => input_name(v),
        (_, Value::Array(items)) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        (_, v) => scalar(v),
    };
    vec![flag, text]
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An input as the manifest names it (`{"file": NAME, "sha256": ...}`): its name.
fn input_name(v: &Value) -> String {
    v.get("file")
        .and_then(Value::as_str)
        .map_or_else(|| scalar(v), str::to_string)
}

/// `hf:tokenizer.json#0123abcd...` (a tokenizer file's stable name) as the file's name.
fn tokenizer_file(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("hf:")?;
    Some(rest.rsplit_once('#').map_or(rest, |(file, _)| file))
}

/// Words joined by spaces, each quoted for a POSIX shell where it needs it.
fn shell_line(words: &[String]) -> String {
    words
        .iter()
        .map(|w| shell_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_where_a_shell_needs_it() {
        assert_eq!(shell_word("4k,32k"), "4k,32k");
        assert_eq!(shell_word("my file.txt"), "'my file.txt'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn a_dataset_a_model_wrote_names_its_generator_and_store_and_no_empty_list() {
        let manifest: Manifest = serde_json::from_value(serde_json::json!({
            "manifest_version": 4,
            "generator": {"name": "longspan", "version": "0.1.0"},
            "params": {
                "task": "book", "lengths": [], "count": 1, "questions": 5, "min_spread": 0.2,
                "book": {"file": "novel.txt", "sha256": "00"}, "generator": "gen",
                "entities": 8, "passage_tokens": 2500, "seed": 42, "tokenizer": "cl100k_base"
            },
            "seed": 42, "tokenizer": "cl100k_base", "counts": {}, "files": []
        }))
        .unwrap();
        let family = longforge_generators::family("longspan").unwrap();
        let c = commands(&manifest, family);
        assert!(c.without_flag.is_empty(), "{:?}", c.without_flag);
        assert!(!c.make.contains("--lengths"), "{}", c.make);
        assert!(
            c.make
                .contains("--book novel.txt --generator gen=URL --store STORE"),
            "{}",
            c.make
        );
        assert_eq!(
            c.verify,
            "longforge verify DIR --book novel.txt --generator gen=URL --store STORE"
        );
    }

    #[test]
    fn tokenizer_files_are_named_by_file() {
        assert_eq!(
            tokenizer_file("hf:tokenizer.json#0123456789abcdef"),
            Some("tokenizer.json")
        );
        assert_eq!(tokenizer_file("cl100k_base"), None);
    }
}
