//! Benchmark generators: one module per family, each turning parameters and a seed into samples.
//!
//! A family implements [`Family`]: it lists its tasks and parameters (for `longforge generate
//! --list`), parses its parameters from JSON (the same JSON the manifest stores, which is how
//! `longforge verify` regenerates a folder), and generates [`Sample`]s. Every sample's randomness
//! comes from a seed derived from the dataset seed and the sample's id, so any sample can be
//! regenerated alone and the output never depends on thread scheduling.
//!
//! Adding a family is one module and one line in [`families`].

pub mod haystack;
pub mod needlebench;

use std::path::PathBuf;

use longforge_datasets::{DatasetError, Sample, TokenizerSpec};
use serde_json::Value;

/// A parameter a task takes, as `--list` shows it.
#[derive(Debug, Clone)]
pub struct ParamInfo {
    pub flag: &'static str,
    pub default: &'static str,
    pub help: &'static str,
}

/// A task of a family, as `--list` shows it.
#[derive(Debug, Clone)]
pub struct TaskInfo {
    pub name: &'static str,
    pub summary: &'static str,
    /// What one cell of the grid is; `--count` samples are made per cell.
    pub grid: &'static str,
}

/// Files and tokenizers a generation needs besides its parameters. They are named in the
/// parameters by file name and SHA-256 only, so a manifest never holds a path.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub haystack: Option<PathBuf>,
    pub tokenizer: Option<TokenizerSpec>,
}

pub trait Family: Sync {
    fn name(&self) -> &'static str;
    /// The generator version: a dataset regenerates byte for byte only under the same version.
    fn version(&self) -> &'static str;
    fn tasks(&self) -> &'static [TaskInfo];
    fn params(&self) -> &'static [ParamInfo];
    /// Checks `params` and completes them with defaults and input digests, giving the JSON the
    /// manifest will store. Fails on the first bad parameter, naming it.
    fn resolve(&self, params: Value, inputs: &Inputs) -> Result<Value, GenerateError>;
    /// Generates every sample for resolved `params`, calling `progress(done, total)` as it goes.
    fn generate(
        &self,
        params: &Value,
        inputs: &Inputs,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Generated, GenerateError>;
}

/// What a generation produced.
#[derive(Debug, Clone)]
pub struct Generated {
    pub samples: Vec<Sample>,
    pub seed: u64,
    /// The tokenizer's stable name.
    pub tokenizer: String,
}

/// Every family longforge can generate.
pub fn families() -> &'static [&'static dyn Family] {
    &[&needlebench::NeedleBench]
}

pub fn family(name: &str) -> Result<&'static dyn Family, GenerateError> {
    families()
        .iter()
        .copied()
        .find(|f| f.name() == name)
        .ok_or_else(|| GenerateError::UnknownFamily {
            name: name.to_string(),
            known: families()
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("unknown family `{name}`; known families: {known} (see `longforge generate --list`)")]
    UnknownFamily { name: String, known: String },
    #[error("parameter `{param}`: {message}")]
    Param { param: String, message: String },
    #[error("haystack {path}: {message}")]
    Haystack { path: String, message: String },
    #[error("the haystack holds only about {available} usable tokens but {target} were asked for; give a longer --haystack file or shorter --lengths (paragraphs that mention a needle's names or answers are left out)")]
    HaystackTooShort { target: usize, available: usize },
    #[error("a context of {target} tokens cannot hold the needles, which alone take {needed} tokens; ask for a longer length or fewer needles")]
    TooShort { target: usize, needed: usize },
    #[error("could not reach {target} tokens within tolerance (last attempt: {got}); this is a bug, please report it with the parameters")]
    NoConvergence { target: usize, got: usize },
    #[error(transparent)]
    Dataset(#[from] DatasetError),
}

impl GenerateError {
    pub(crate) fn param(param: &str, message: impl Into<String>) -> Self {
        GenerateError::Param {
            param: param.to_string(),
            message: message.into(),
        }
    }
}
