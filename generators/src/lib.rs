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

use std::collections::BTreeMap;
use std::path::PathBuf;

use longforge_datasets::{DatasetError, Sample, ScoringSpec, TokenizerSpec};
use serde_json::Value;

/// A parameter a task takes, as `--list` shows it.
#[derive(Debug, Clone)]
pub struct ParamInfo {
    pub flag: &'static str,
    pub default: &'static str,
    pub help: &'static str,
}

/// A task of a family, as `--list` shows it, and how its samples are scored.
#[derive(Debug, Clone)]
pub struct TaskInfo {
    pub name: &'static str,
    pub summary: &'static str,
    /// What one cell of the grid is; `--count` samples are made per cell.
    pub grid: &'static str,
    /// The registered scorer that reads this task's references (see `longforge_judges`).
    pub scorer: &'static str,
    /// The registered metrics that aggregate its scores.
    pub metrics: &'static [&'static str],
}

impl TaskInfo {
    /// The scoring spec the manifest records for this task.
    pub fn scoring(&self) -> ScoringSpec {
        ScoringSpec::new(self.scorer, self.metrics)
    }
}

/// An earlier generator version whose folders this one still regenerates byte for byte: its
/// samples were the current ones without some `meta` keys, and its manifest may not have
/// recorded scoring specs.
#[derive(Debug, Clone, Copy)]
pub struct EarlierVersion {
    pub version: &'static str,
    /// `meta` keys added since, removed (order kept) to regenerate this version's samples.
    pub meta_added_since: &'static [&'static str],
    pub recorded_scoring: bool,
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
    /// Small parameters for one of its tasks, quick to generate: what `--list` suggests and what
    /// the tests that run over every family generate.
    fn example(&self, task: &str) -> Value;
    /// Earlier versions [`Family::generate`] can still reproduce (see [`as_version`]).
    fn earlier_versions(&self) -> &'static [EarlierVersion] {
        &[]
    }
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

/// The scoring specs, by task, of the tasks `samples` belong to, as the manifest records them.
pub fn scoring_of(
    family: &dyn Family,
    samples: &[Sample],
) -> Result<BTreeMap<String, ScoringSpec>, GenerateError> {
    let mut specs = BTreeMap::new();
    for s in samples {
        if specs.contains_key(&s.task) {
            continue;
        }
        let task = family
            .tasks()
            .iter()
            .find(|t| t.name == s.task)
            .ok_or_else(|| {
                GenerateError::param(
                    "task",
                    format!(
                        "sample `{}` is of task `{}`, which {} does not list",
                        s.id,
                        s.task,
                        family.name()
                    ),
                )
            })?;
        specs.insert(s.task.clone(), task.scoring());
    }
    Ok(specs)
}

/// Turns samples made by the current version of `family` into those `version` made, for
/// `verify` of an older folder. Returns whether that version recorded scoring specs, or an
/// error naming the versions this one can still reproduce.
pub fn as_version(
    family: &dyn Family,
    version: &str,
    samples: &mut [Sample],
) -> Result<bool, GenerateError> {
    if version == family.version() {
        return Ok(true);
    }
    let earlier = family
        .earlier_versions()
        .iter()
        .find(|e| e.version == version)
        .ok_or_else(|| GenerateError::Version {
            family: family.name().to_string(),
            asked: version.to_string(),
            reproduces: std::iter::once(family.version())
                .chain(family.earlier_versions().iter().map(|e| e.version))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    for s in samples {
        for key in earlier.meta_added_since {
            s.meta.shift_remove(*key);
        }
    }
    Ok(earlier.recorded_scoring)
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
    #[error("made by {family} generator {asked}; this longforge reproduces {family} generator {reproduces} only: use a longforge with generator {asked} to regenerate it")]
    Version {
        family: String,
        asked: String,
        reproduces: String,
    },
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
