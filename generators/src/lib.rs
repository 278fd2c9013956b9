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
use std::path::{Path, PathBuf};

use longforge_datasets::{
    Context, DatasetError, DatasetWriter, GeneratorInfo, Manifest, Provenance, RowGroups, Sample,
    ScoringSpec, Shard, TokenizerSpec,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    /// A named input file: read from the path given, recorded in the manifest as
    /// `{"file": NAME, "sha256": ...}` by [`resolve`], never by path.
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

/// A named input file as the manifest records it: its name and content digest, never a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputRef {
    pub file: String,
    pub sha256: String,
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

/// Files and tokenizers a generation needs besides its parameters, by parameter name. They are
/// named in the parameters by file name and SHA-256 only ([`InputRef`]), so a manifest never
/// holds a path.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub files: BTreeMap<String, PathBuf>,
    pub tokenizer: Option<TokenizerSpec>,
}

impl Inputs {
    /// The path given for the file parameter `name`.
    pub fn file(&self, name: &str) -> Option<&Path> {
        self.files.get(name).map(PathBuf::as_path)
    }
}

pub trait Family: Sync {
    fn name(&self) -> &'static str;
    /// The generator version: a dataset regenerates byte for byte only under the same version.
    fn version(&self) -> &'static str;
    fn tasks(&self) -> &'static [TaskInfo];
    /// Small parameters for one of its tasks, quick to generate: what `--list` suggests and what
    /// the tests that run over every family generate.
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
    /// Reads `files` with the family's parameters `params` (only those given). Errors name the
    /// file, line and field.
    fn import(&self, files: &[PathBuf], params: &Value) -> Result<Generated, GenerateError>;
}

/// The parameters an import records: what was given, plus each file by name and digest under
/// `imported` (never a path).
pub fn import_params(files: &[PathBuf], given: &Value) -> Result<Value, GenerateError> {
    let mut refs = Vec::with_capacity(files.len());
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| GenerateError::Input {
            path: path.display().to_string(),
            message: format!("cannot read it ({e})"),
        })?;
        refs.push(InputRef {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: longforge_datasets::sha256_hex(&bytes),
        });
    }
    let mut params = match given {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    params.insert(
        "imported".into(),
        serde_json::to_value(refs).expect("refs serialise"),
    );
    Ok(Value::Object(params))
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

/// Generates resolved `params` into `dir` (normally a staging folder), streaming each sample to
/// disk as it is made; with `shard`, only that shard's samples. Returns the manifest written.
/// `manifest_version` is [`Manifest::VERSION`] except when `verify` reproduces an older folder;
/// `version` is the generator version to reproduce (see [`as_version`]).
pub fn write_dataset(
    family: &dyn Family,
    params: &Value,
    inputs: &Inputs,
    dir: &Path,
    shard: Option<(usize, usize)>,
    reproduce: Option<(&str, u32)>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Manifest, GenerateError> {
    let version = reproduce.map_or(family.version(), |r| r.0);
    let source = family.prepare_as(params, inputs, version)?;
    write_source(
        family,
        source.as_ref(),
        params,
        dir,
        shard,
        reproduce,
        progress,
    )
}

/// [`write_dataset`] for samples already prepared: a generation, or an import of the original
/// benchmark's files (`params` then records the files by name and digest).
pub fn write_source(
    family: &dyn Family,
    source: &dyn SampleSource,
    params: &Value,
    dir: &Path,
    shard: Option<(usize, usize)>,
    reproduce: Option<(&str, u32)>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Manifest, GenerateError> {
    let (version, manifest_version) = reproduce.unwrap_or((family.version(), Manifest::VERSION));
    let total = source.len();
    let shard = match shard {
        Some((index, count)) => {
            if count == 0 || index == 0 || index > count {
                return Err(GenerateError::param(
                    "shard",
                    format!("{index}/{count}: give I/N with 1 <= I <= N"),
                ));
            }
            Some(Shard::of(index, count, total))
        }
        None => None,
    };
    let range = shard.map_or(0..total, |s| s.first..s.end);
    let mut writer = DatasetWriter::create(dir, RowGroups::of_manifest_version(manifest_version))?;
    let mut specs = BTreeMap::new();
    let mut recorded_scoring = true;
    let n = range.len();
    for (done, index) in range.enumerate() {
        let mut sample = [source.sample(index)?];
        recorded_scoring = as_version(family, version, &mut sample)?;
        let [sample] = sample;
        if let Some(id) = &sample.context_id {
            if !writer.has_context(id) {
                writer.push_context(source.context(id)?)?;
            }
        }
        if !specs.contains_key(&sample.task) {
            specs.insert(sample.task.clone(), task_scoring(family, &sample)?);
        }
        writer.push(sample)?;
        progress(done + 1, n);
    }
    Ok(writer.finish(Provenance {
        generator: GeneratorInfo {
            name: family.name().into(),
            version: version.into(),
        },
        params: params.clone(),
        scoring: if recorded_scoring {
            specs
        } else {
            BTreeMap::new()
        },
        seed: source.seed(),
        tokenizer: source.tokenizer(),
        shard,
        manifest_version,
    })?)
}

fn task_scoring(family: &dyn Family, sample: &Sample) -> Result<ScoringSpec, GenerateError> {
    family
        .tasks()
        .iter()
        .find(|t| t.name == sample.task)
        .map(TaskInfo::scoring)
        .ok_or_else(|| {
            GenerateError::param(
                "task",
                format!(
                    "sample `{}` is of task `{}`, which {} does not list",
                    sample.id,
                    sample.task,
                    family.name()
                ),
            )
        })
}

/// The scoring specs, by task, of the tasks `samples` belong to, as the manifest records them.
pub fn scoring_of(
    family: &dyn Family,
    samples: &[Sample],
) -> Result<BTreeMap<String, ScoringSpec>, GenerateError> {
    let mut specs = BTreeMap::new();
    for s in samples {
        if !specs.contains_key(&s.task) {
            specs.insert(s.task.clone(), task_scoring(family, s)?);
        }
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
    /// Shared contexts the samples name, in order of first use.
    pub contexts: Vec<Context>,
    pub seed: u64,
    /// The tokenizer's stable name.
    pub tokenizer: String,
}

/// Every family longforge can generate. Adding one is a module and a line here.
pub fn families() -> &'static [&'static dyn Family] {
    &[&needlebench::NeedleBench]
}

pub fn family(name: &str) -> Result<&'static dyn Family, GenerateError> {
    Registry::builtin().get(name)
}

/// The families a run of longforge knows: the built-in ones, plus any a caller adds (a test's
/// own family, or a program that embeds longforge).
#[derive(Clone)]
pub struct Registry {
    families: Vec<&'static dyn Family>,
}

impl Registry {
    pub fn builtin() -> Self {
        Registry {
            families: families().to_vec(),
        }
    }

    /// Adds `family`; a family of the same name is replaced.
    pub fn with(mut self, family: &'static dyn Family) -> Self {
        self.families.retain(|f| f.name() != family.name());
        self.families.push(family);
        self
    }

    pub fn all(&self) -> &[&'static dyn Family] {
        &self.families
    }

    pub fn get(&self, name: &str) -> Result<&'static dyn Family, GenerateError> {
        self.families
            .iter()
            .copied()
            .find(|f| f.name() == name)
            .ok_or_else(|| GenerateError::UnknownFamily {
                name: name.to_string(),
                known: self
                    .families
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

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
    let bytes = std::fs::read(path).map_err(|e| GenerateError::Input {
        path: path.display().to_string(),
        message: format!("cannot read it ({e})"),
    })?;
    let found = InputRef {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: longforge_datasets::sha256_hex(&bytes),
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
    #[error("the haystack holds only about {available} usable tokens but {target} were asked for; give a longer --haystack file or shorter --lengths (paragraphs that mention a needle's names or answers are left out)")]
    HaystackTooShort { target: usize, available: usize },
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
