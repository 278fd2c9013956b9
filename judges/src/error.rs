use std::path::Path;

/// What can go wrong judging: inputs that do not fit together, and templates that cannot serve.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error("{file}: prediction for sample `{sample_id}` (model `{model}`) names no sample of the dataset; were the predictions made on another dataset?")]
    UnknownSample {
        file: String,
        sample_id: String,
        model: String,
    },
    #[error("{file}:{line}: model `{model}` answers sample `{sample_id}` a second time (first in {first}); give each model's predictions once")]
    DuplicateAnswer {
        file: String,
        line: usize,
        first: String,
        sample_id: String,
        model: String,
    },
    #[error("{origin}: this prediction answers another dataset (its samples.jsonl has SHA-256 {got}..., {dir}'s has {want}...): were the predictions made on another seed or version? Score them against the dataset they answer")]
    OtherDataset {
        origin: String,
        got: String,
        dir: String,
        want: String,
    },
    #[error("sample `{sample_id}`: scorer `{scorer}`: {message}")]
    Reference {
        sample_id: String,
        scorer: &'static str,
        message: String,
    },
    #[error("unknown {what} `{name}`{suggestion}; known: {known}")]
    Unknown {
        what: &'static str,
        name: String,
        suggestion: String,
        known: String,
    },
    #[error("template {origin}: {message}")]
    Template { origin: String, message: String },
    #[error("{0}")]
    Pairing(String),
    #[error(transparent)]
    Dataset(#[from] longforge_datasets::DatasetError),
    #[error(transparent)]
    Llm(#[from] longforge_llm::LlmError),
    #[error(transparent)]
    Sandbox(#[from] crate::scorers::sandbox::SandboxError),
}

impl JudgeError {
    /// An unknown registry name, with the closest known one suggested when it is close.
    pub(crate) fn unknown(what: &'static str, name: &str, known: &[&str]) -> Self {
        let closest = known
            .iter()
            .map(|k| (strsim::levenshtein(name, k), *k))
            .min()
            .filter(|(d, k)| *d <= k.len() / 3 + 1);
        JudgeError::Unknown {
            what,
            name: name.to_string(),
            suggestion: closest
                .map_or_else(String::new, |(_, k)| format!(" (did you mean `{k}`?)")),
            known: known.join(", "),
        }
    }

    pub(crate) fn duplicate(
        file: &Path,
        line: usize,
        first: &str,
        sample_id: &str,
        model: &str,
    ) -> Self {
        JudgeError::DuplicateAnswer {
            file: file.display().to_string(),
            line,
            first: first.to_string(),
            sample_id: sample_id.to_string(),
            model: model.to_string(),
        }
    }
}
