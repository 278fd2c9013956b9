//! What can go wrong generating, each error naming the flag, file or size at fault and a fix.

use longforge_datasets::DatasetError;

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("made by {family} generator {asked}; this longforge reproduces {family} generator {reproduces} only: use a longforge with generator {asked} to regenerate it")]
    Version {
        family: String,
        asked: String,
        reproduces: String,
    },
    #[error("unknown family `{name}`; known families: {known} (see `longforge generate --list`)")]
    UnknownFamily { name: String, known: String },
    #[error("{}: {message}", flag_of(param))]
    Param { param: String, message: String },
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error("haystack {path}: {message}")]
    Haystack { path: String, message: String },
    /// Names the file and both counts, so the user knows which file to lengthen and by about
    /// how much.
    #[error("haystack {path} holds only about {held} usable {tokenizer} tokens of filler, but a context of {target} tokens needs about {needed} beside its needles; give a longer --haystack file or shorter --lengths (paragraphs that mention a needle's names or answers, or repeat an earlier one, are left out)")]
    HaystackTooShort {
        path: String,
        tokenizer: String,
        held: usize,
        target: usize,
        needed: usize,
    },
    #[error("a context of {target} tokens cannot hold the needles, which alone take {needed} tokens; ask for a longer length or fewer needles")]
    TooShort { target: usize, needed: usize },
    #[error("could not reach {target} tokens within tolerance (last attempt: {got}); this is a bug, please report it with the parameters")]
    NoConvergence { target: usize, got: usize },
    #[error(transparent)]
    Dataset(#[from] DatasetError),
}

/// `--plain-chain` for `plain_chain`; pseudo-parameters such as `(all)` as they are.
fn flag_of(param: &str) -> String {
    if param.starts_with('(') {
        format!("parameters {param}")
    } else {
        format!("--{}", param.replace('_', "-"))
    }
}

impl GenerateError {
    pub(crate) fn param(param: &str, message: impl Into<String>) -> Self {
        GenerateError::Param {
            param: param.to_string(),
            message: message.into(),
        }
    }
}

/// Parameters filled with their defaults (`full`) read as a family's `T`; a value of the wrong
/// shape is named by its flag (`--depths`, never `--depths[2]`).
pub(crate) fn read_params<T: serde::de::DeserializeOwned>(
    full: serde_json::Map<String, serde_json::Value>,
) -> Result<T, GenerateError> {
    serde_path_to_error::deserialize(serde_json::Value::Object(full)).map_err(|e| {
        let path = e.path().to_string();
        let field = path.split(['[', '.']).next().unwrap_or("(all)");
        GenerateError::param(
            if field.is_empty() || field == "?" {
                "(all)"
            } else {
                field
            },
            e.into_inner().to_string(),
        )
    })
}

/// Refuses a list parameter that names an item twice (a grid cell made twice would repeat its
/// samples under one id).
pub(crate) fn unique(
    param: &str,
    items: impl Iterator<Item = String>,
) -> Result<(), GenerateError> {
    let mut seen = std::collections::HashSet::new();
    for item in items {
        if !seen.insert(item.clone()) {
            return Err(GenerateError::param(
                param,
                format!("`{item}` is listed twice"),
            ));
        }
    }
    Ok(())
}
