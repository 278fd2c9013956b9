//! The `Family` trait a benchmark family implements, and what it declares: tasks with their
//! scoring specs, parameters with kinds, and the samples it makes on demand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use longforge_datasets::{Context, Prediction, Sample, ScoringSpec, TokenCounter, TokenizerSpec};
use serde_json::Value;

use crate::GenerateError;

/// A parameter a family takes: the CLI builds a `--flag` from it (`plain_chain` becomes
/// `--plain-chain`), `--list` and `generate FAMILY --help` show it, and `--params FILE.json`
/// may give it under `name`.
#[derive(Debug, Clone)]
pub struct ParamInfo {
    /// The key in the parameters JSON (and the manifest), snake_case.
    pub name: &'static str,
    pub kind: ParamKind,
    /// The default as shown to people; the family fills the real one.
    pub default: &'static str,
    pub help: &'static str,
}

impl ParamInfo {
    /// The command-line flag, without its dashes: `plain-chain`.
    pub fn flag(&self) -> String {
        self.name.replace('_', "-")
    }
}

/// How a parameter is written on the command line and in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A switch: `--plain-chain` sets `true`.
    Bool,
    Int,
    Float,
    Text,
    /// Comma-separated lists: `--depths 0,50,100`.
    Ints,
    Floats,
    Texts,
    /// A named input file or folder: read from the path given, recorded in the manifest as
    /// `{"file": NAME, "sha256": ...}` by [`resolve`], never by path (a folder's digest covers
    /// the name and bytes of each file in it).
    File,
}

/// Parameters every family shares; the CLI builds their flags once. A family that does not take
/// one refuses it in [`Family::resolve`].
pub const COMMON_PARAMS: &[ParamInfo] = &[
    ParamInfo {
        name: "task",
        kind: ParamKind::Text,
        default: "(the family's)",
        help: "which task; may be left out where a family says so",
    },
    ParamInfo {
        name: "lengths",
        kind: ParamKind::Texts,
        default: "(the family's)",
        help: "context lengths in tokens: 512, 4k, 128k, 1m",
    },
    ParamInfo {
        name: "count",
        kind: ParamKind::Int,
        default: "1",
        help: "samples per grid cell",
    },
    ParamInfo {
        name: "seed",
        kind: ParamKind::Int,
        default: "42",
        help: "dataset seed; each sample's seed derives from it and the sample id",
    },
];

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

/// Files and tokenizers a generation needs besides its parameters, by parameter name. They are
/// named in the parameters by file name and SHA-256 only ([`InputRef`]), so a manifest never
/// holds a path.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub files: BTreeMap<String, PathBuf>,
    pub tokenizer: Option<TokenizerSpec>,
    /// The model a family that writes with an LLM asks (long-span QA over a real book); the
    /// caller wires it to a server and a request store, so a rerun asks nothing.
    pub asker: Option<AskerRef>,
}

/// A model a generator asks: one prompt in, one reply out. Blocking, so a family needs no async
/// runtime; the caller keeps every request in its store.
pub trait Asker: Send + Sync {
    /// The name recorded in the manifest (the `NAME` of `--generator NAME=URL`).
    fn name(&self) -> &str;
    /// The reply to `prompt`, constrained to JSON matching `schema` where the server can; the
    /// error is the cause, in words.
    fn ask(&self, prompt: &str, schema: &Value) -> Result<String, String>;
}

/// A shared [`Asker`], printable for [`Inputs`]' `Debug`.
#[derive(Clone)]
pub struct AskerRef(pub std::sync::Arc<dyn Asker>);

impl std::fmt::Debug for AskerRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Asker({})", self.0.name())
    }
}

impl Inputs {
    /// The path given for the file parameter `name`.
    pub fn file(&self, name: &str) -> Option<&Path> {
        self.files.get(name).map(PathBuf::as_path)
    }

    /// The token counter for a dataset whose parameters name tokenizer `recorded`: the file
    /// given with `--tokenizer` if any, else the built-in encoding of that name. A recorded
    /// tokenizer file must be given again, and a given one must be the recorded one (empty
    /// `recorded`: not yet resolved, anything goes).
    pub fn counter(&self, recorded: &str) -> Result<TokenCounter, GenerateError> {
        let spec = match (&self.tokenizer, recorded) {
            (Some(spec), _) => spec.clone(),
            (None, name @ ("cl100k_base" | "o200k_base")) => TokenizerSpec::parse(name),
            (None, name) => {
                return Err(GenerateError::param(
                    "tokenizer",
                    format!("`{name}` is a tokenizer file; pass its path with --tokenizer"),
                ))
            }
        };
        let counter = TokenCounter::load(&spec)?;
        if !recorded.is_empty() && counter.name() != recorded {
            return Err(GenerateError::param(
                "tokenizer",
                format!(
                    "the dataset was counted with {recorded}, but the given tokenizer is {}",
                    counter.name()
                ),
            ));
        }
        Ok(counter)
    }

    /// Settles the tokenizer a generation records in `recorded` (its parameters' `tokenizer`):
    /// the file given with `--tokenizer`, unless the parameters `named` one (then the two must
    /// agree), else the built-in encoding named; writes the counter's stable name back.
    pub fn settle_tokenizer(
        &self,
        named: bool,
        recorded: &mut String,
    ) -> Result<TokenCounter, GenerateError> {
        if self.tokenizer.is_some() && !named {
            // The file given is the tokenizer; the default name does not apply.
            recorded.clear();
        }
        let counter = self.counter(recorded)?;
        *recorded = counter.name().to_string();
        Ok(counter)
    }
}

pub trait Family: Sync {
    fn name(&self) -> &'static str;
    /// The generator version: a dataset regenerates byte for byte only under the same version.
    fn version(&self) -> &'static str;
    fn tasks(&self) -> &'static [TaskInfo];
    /// What kind of task `task` is, as Hugging Face's `task_categories` name it
    /// (`question-answering`, `table-question-answering`, `text-classification`,
    /// `text-generation`, ...): dataset cards list them so the Hub can file the dataset. By
    /// default `text-generation`, which every task is at least (a model writes its answer).
    fn task_categories(&self, _task: &str) -> &'static [&'static str] {
        &["text-generation"]
    }
    /// Small parameters for one of its tasks, quick to generate: what `--list` suggests and what
    /// the tests that run over every family generate. `Null` for a task that cannot be made
    /// offline (it needs a model to write it); such a task must be tested on its own.
    fn example(&self, task: &str) -> Value;
    /// The family's reader of its original benchmark's published files, if it has one.
    fn importer(&self) -> Option<&dyn Importer> {
        None
    }
    /// Earlier versions [`Family::generate`] can still reproduce (see [`as_version`]).
    fn earlier_versions(&self) -> &'static [EarlierVersion] {
        &[]
    }
    /// The family's own parameters, beside [`COMMON_PARAMS`].
    fn params(&self) -> &'static [ParamInfo];
    /// Checks `params` and completes them with defaults and input digests, giving the JSON the
    /// manifest will store. Fails on the first bad parameter, naming it.
    fn resolve(&self, params: Value, inputs: &Inputs) -> Result<Value, GenerateError>;
    /// Prepares to make the samples of resolved `params` (loads tokenizers and input files
    /// once). Samples are then made one at a time, by index, so a generation streams to disk
    /// and a shard makes only its own.
    fn prepare<'a>(
        &'a self,
        params: &Value,
        inputs: &Inputs,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError>;

    /// [`Family::prepare`] as generator `version` (this one, or one of
    /// [`Family::earlier_versions`]) made them, for `verify` of an older folder; a family whose
    /// earlier versions differ only in `meta` keys needs nothing more than `prepare`.
    fn prepare_as<'a>(
        &'a self,
        params: &Value,
        inputs: &Inputs,
        _version: &str,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError> {
        self.prepare(params, inputs)
    }

    /// Every sample at once, in memory, calling `progress(done, total)` as it goes: for tests and
    /// small datasets; `write_dataset` streams instead.
    fn generate(
        &self,
        params: &Value,
        inputs: &Inputs,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Generated, GenerateError> {
        let source = self.prepare(params, inputs)?;
        let total = source.len();
        let mut samples = Vec::with_capacity(total);
        let mut contexts: Vec<Context> = Vec::new();
        for i in 0..total {
            let sample = source.sample(i)?;
            if let Some(id) = &sample.context_id {
                if !contexts.iter().any(|c| &c.id == id) {
                    contexts.push(source.context(id)?);
                }
            }
            samples.push(sample);
            progress(i + 1, total);
        }
        Ok(Generated {
            samples,
            contexts,
            seed: source.seed(),
            tokenizer: source.tokenizer(),
        })
    }
}

/// Reads an original benchmark's published files into samples (and shared contexts), so that
/// its data, and models' answers to it, can be scored with longforge's checkers. An import is
/// deterministic: the same files and parameters give the same samples, which is how `verify`
/// checks an imported folder (given the files again).
pub trait Importer: Sync {
    /// The files it reads, for `import --help`.
    fn formats(&self) -> &'static str;
    /// The flags `import FAMILY` takes beside its files, `--out` and `--force`: the parameters
    /// this importer reads, each with help saying what it does to an import. The family's
    /// generation dials make new instances and change nothing in published ones, so they are
    /// not offered (nor listed by `import FAMILY --help`). None by default. A file parameter
    /// (`ParamKind::File`) names one of the files to read by flag (`--claims FILE`): those
    /// given follow the files given by position, in the order declared here, and the manifest
    /// records them in that order, as `verify --from` takes them again.
    fn params(&self) -> &'static [ParamInfo] {
        &[]
    }
    /// Reads `files` with the family's parameters `params` (only those given). Errors name the
    /// file, line and field. An import that keeps no record is an error, not an empty folder.
    fn import(&self, files: &[PathBuf], params: &Value) -> Result<Imported, GenerateError>;
}

/// What an import made, and what else it read or passed over.
pub struct Imported {
    pub generated: Generated,
    /// Files read beside those given (templates, pages, worked examples): their bytes shape the
    /// prompts, so the manifest records their digests too. Each is named as the original's
    /// data names it (`html_to_tsv/prompts.yaml`, a record's `html_path`), a name read once.
    pub companions: Vec<Companion>,
    /// Records read and deliberately not made into samples, each with why (a level the
    /// original does not use, a task or level not asked for), for the import's summary.
    pub left_out: Vec<String>,
    /// Models' answers the original's files hold (NoCha's `response-MODEL` fields), one per
    /// model and sample, written by `import --predictions-out FILE` for `score`. Empty for an
    /// importer whose files hold none.
    pub predictions: Vec<Prediction>,
}

/// A file an importer read beside those given: the name the manifest records, and its path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Companion {
    pub name: String,
    pub path: PathBuf,
}

/// The samples of one generation, made on demand. Sample `i` depends only on the parameters and
/// `i` (its seed derives from the dataset seed and its id), never on which others were made.
pub trait SampleSource {
    /// How many samples the whole generation holds.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Sample `index`, `0 <= index < len()`, in file order.
    fn sample(&self, index: usize) -> Result<Sample, GenerateError>;
    /// The shared context a sample names by `context_id` (a book many samples read); stored
    /// once in `contexts.jsonl`, before the first sample that names it.
    fn context(&self, id: &str) -> Result<Context, GenerateError> {
        Err(GenerateError::param(
            "(all)",
            format!("a sample names context `{id}`, but its family shares no contexts"),
        ))
    }
    fn seed(&self) -> u64;
    /// The tokenizer's stable name.
    fn tokenizer(&self) -> String;
    /// Files written beside the samples (`name`, bytes), recorded in the manifest with their
    /// digests: what a generation decided not to keep, and why (long-span QA's rejected
    /// questions). None by default.
    fn extra_files(&self) -> Vec<(String, Vec<u8>)> {
        Vec::new()
    }
}

/// Samples made in advance serve as a source too (a family that builds all at once).
impl SampleSource for Generated {
    fn len(&self) -> usize {
        self.samples.len()
    }
    fn sample(&self, index: usize) -> Result<Sample, GenerateError> {
        self.samples
            .get(index)
            .cloned()
            .ok_or_else(|| GenerateError::param("(all)", format!("no sample {index}")))
    }
    fn context(&self, id: &str) -> Result<Context, GenerateError> {
        self.contexts
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or_else(|| GenerateError::param("(all)", format!("no context `{id}`")))
    }
    fn seed(&self) -> u64 {
        self.seed
    }
    fn tokenizer(&self) -> String {
        self.tokenizer.clone()
    }
}

/// What a generation produced.
#[derive(Debug, Clone)]
pub struct Generated {
    pub samples: Vec<Sample>,
    /// Shared contexts the samples name, in order of first use.
    pub contexts: Vec<Context>,
    pub seed: u64,
    /// The tokenizer's stable name.
    pub tokenizer: String,
}
