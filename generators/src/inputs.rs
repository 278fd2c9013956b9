//! Named input files (a haystack, the original benchmark's files): recorded in the manifest by
//! file name and SHA-256, never by path, and checked against the recorded digest on regeneration.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Companion, Family, GenerateError, Inputs, ParamInfo, ParamKind};

/// A named input file as the manifest records it: its name and content digest, never a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputRef {
    pub file: String,
    pub sha256: String,
}

/// The parameters an import records: what was given, plus each file given by name and digest
/// under `imported` (never a path), and, when the importer read files beside them, each of those
/// by the name the importer gives it under `companions`. Files are digested in blocks.
pub fn import_params(
    files: &[PathBuf],
    companions: &[Companion],
    given: &Value,
) -> Result<Value, GenerateError> {
    // A folder (NoCha's books as one text file each) is digested as `digest_input` does.
    let digest = |name: String, path: &Path| -> Result<InputRef, GenerateError> {
        Ok(InputRef {
            file: name,
            sha256: digest_input(path)?,
        })
    };
    let refs = files
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            digest(name, path)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut params = match given {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    params.insert(
        "imported".into(),
        serde_json::to_value(refs).expect("refs serialise"),
    );
    if !companions.is_empty() {
        let refs = companions
            .iter()
            .map(|c| digest(c.name.clone(), &c.path))
            .collect::<Result<Vec<_>, _>>()?;
        params.insert(
            "companions".into(),
            serde_json::to_value(refs).expect("refs serialise"),
        );
    }
    Ok(Value::Object(params))
}

/// The most samples (or books) per grid cell: beyond it a generation's plan alone would not fit
/// in memory.
pub const MAX_COUNT: u64 = 1_000_000;

/// Resolves parameters as the manifest will record them: first every file parameter through one
/// resolver (a path given becomes `{"file", "sha256"}`; on regeneration the file given must have
/// the recorded digest, and a recorded file must be given), then the family's own checks.
pub fn resolve(
    family: &dyn Family,
    params: Value,
    inputs: &Inputs,
) -> Result<Value, GenerateError> {
    let Value::Object(mut params) = params else {
        return Err(GenerateError::param(
            "(all)",
            "parameters must be a JSON object",
        ));
    };
    if let Some(count) = params.get("count").and_then(Value::as_u64) {
        if count > MAX_COUNT {
            return Err(GenerateError::param(
                "count",
                format!("{count} is more than any grid cell needs; give at most {MAX_COUNT}"),
            ));
        }
    }
    for p in family.params().iter().filter(|p| p.kind == ParamKind::File) {
        resolve_file(p, &mut params, inputs)?;
    }
    for name in inputs.files.keys() {
        if !family
            .params()
            .iter()
            .any(|p| p.kind == ParamKind::File && p.name == name)
        {
            return Err(GenerateError::param(
                name,
                format!("{} takes no such file", family.name()),
            ));
        }
    }
    family.resolve(Value::Object(params), inputs)
}

fn resolve_file(
    p: &ParamInfo,
    params: &mut Map<String, Value>,
    inputs: &Inputs,
) -> Result<(), GenerateError> {
    let recorded: Option<InputRef> = match params.get(p.name) {
        None | Some(Value::Null) => None,
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| {
            GenerateError::param(p.name, format!("a recorded input file is {{\"file\", \"sha256\"}} ({e}); give a path with --{}", p.flag()))
        })?),
    };
    let Some(path) = inputs.file(p.name) else {
        return match recorded {
            Some(r) => Err(GenerateError::param(
                p.name,
                format!(
                    "this dataset was made from the file {}; pass it with --{}",
                    r.file,
                    p.flag()
                ),
            )),
            None => Ok(()),
        };
    };
    let found = InputRef {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: digest_input(path)?,
    };
    if let Some(r) = recorded {
        if r.sha256 != found.sha256 {
            return Err(GenerateError::param(
                p.name,
                format!(
                    "{} is not the file this dataset was made from (its SHA-256 differs from {})",
                    path.display(),
                    r.sha256
                ),
            ));
        }
    }
    params.insert(
        p.name.to_string(),
        serde_json::to_value(found).expect("refs serialise"),
    );
    Ok(())
}

/// The SHA-256 of a file's bytes; for a folder (a database given as one file per table), of
/// one line `NAME SHA256` per regular file in it, sorted by name, so that renaming, adding,
/// removing or changing a table changes the digest and nothing else does.
fn digest_input(path: &std::path::Path) -> Result<String, GenerateError> {
    let unreadable = |e: std::io::Error| GenerateError::Input {
        path: path.display().to_string(),
        message: format!("cannot read it ({e})"),
    };
    if !path.is_dir() {
        // In blocks: a haystack corpus may be far larger than memory.
        return Ok(longforge_datasets::sha256_file(path)?.1);
    }
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(path).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        if !entry.file_type().map_err(unreadable)?.is_file() {
            continue;
        }
        lines.push(format!(
            "{} {}\n",
            entry.file_name().to_string_lossy(),
            longforge_datasets::sha256_file(&entry.path())?.1
        ));
    }
    lines.sort();
    Ok(longforge_datasets::sha256_hex(lines.concat().as_bytes()))
}
