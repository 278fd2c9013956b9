//! A dataset folder as bytes: rendering, writing and reading it back.
//!
//! Rendering is separate from writing so that `verify` can regenerate a folder in memory and
//! compare it with the files on disk byte for byte.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{
    atomic, jsonl, samples_parquet_bytes, DatasetError, FileDigest, GeneratorInfo, Manifest,
    Sample, ScoringSpec, MANIFEST_FILE, SAMPLES_JSONL, SAMPLES_PARQUET,
};

/// Every file of a dataset folder, in memory, with the manifest that describes them.
#[derive(Debug, Clone)]
pub struct RenderedDataset {
    pub manifest: Manifest,
    /// `(file name, bytes)`, sorted by name; the manifest is not among them.
    pub files: Vec<(String, Vec<u8>)>,
}

/// What a generator says about the samples it made.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub generator: GeneratorInfo,
    pub params: Value,
    /// By task; empty for generator versions that did not record it.
    pub scoring: BTreeMap<String, ScoringSpec>,
    pub seed: u64,
    pub tokenizer: String,
}

pub fn render(samples: &[Sample], provenance: Provenance) -> Result<RenderedDataset, DatasetError> {
    let mut files = vec![
        (SAMPLES_JSONL.to_string(), jsonl::to_bytes(samples)),
        (
            SAMPLES_PARQUET.to_string(),
            samples_parquet_bytes(samples, Path::new(SAMPLES_PARQUET))?,
        ),
    ];
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut counts = BTreeMap::new();
    counts.insert("samples".to_string(), samples.len() as u64);
    let manifest = Manifest {
        manifest_version: Manifest::VERSION,
        generator: provenance.generator,
        params: provenance.params,
        scoring: provenance.scoring,
        seed: provenance.seed,
        tokenizer: provenance.tokenizer,
        counts,
        files: files
            .iter()
            .map(|(name, bytes)| FileDigest::of(name, bytes))
            .collect(),
    };
    Ok(RenderedDataset { manifest, files })
}

impl RenderedDataset {
    /// Writes every file, the manifest last, into `dir` (normally a [`atomic::StagedDir`]).
    pub fn write(&self, dir: &Path) -> Result<(), DatasetError> {
        for (name, bytes) in &self.files {
            atomic::write(&dir.join(name), bytes)?;
        }
        self.manifest.write(dir)
    }
}

/// Reads the samples of a dataset folder.
pub fn read_samples(dir: &Path) -> Result<Vec<Sample>, DatasetError> {
    let path = dir.join(SAMPLES_JSONL);
    if !path.exists() {
        return Err(DatasetError::Invalid {
            path,
            message: format!(
                "no samples here; pass the folder `longforge generate --out` wrote (it holds {SAMPLES_JSONL} and {MANIFEST_FILE})"
            ),
        });
    }
    jsonl::read(&path)
}

/// A dataset folder read for scoring and judging: its manifest and samples, indexed by id once
/// (so every stage looks samples up the same way), in file order.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub samples: Vec<Sample>,
    index: HashMap<String, usize>,
}

impl Dataset {
    /// Reads `manifest.json` and `samples.jsonl` of `dir`. Two samples with one id are an error
    /// naming the line of the second.
    pub fn open(dir: &Path) -> Result<Self, DatasetError> {
        let samples = read_samples(dir)?;
        let manifest = Manifest::read(dir)?;
        Self::new(dir, manifest, samples)
    }

    /// A dataset from parts already in memory (tests, the demo).
    pub fn new(dir: &Path, manifest: Manifest, samples: Vec<Sample>) -> Result<Self, DatasetError> {
        let mut index = HashMap::with_capacity(samples.len());
        for (i, s) in samples.iter().enumerate() {
            if index.insert(s.id.clone(), i).is_some() {
                return Err(DatasetError::Invalid {
                    path: dir.join(SAMPLES_JSONL),
                    message: format!("line {}: sample id `{}` is used twice", i + 1, s.id),
                });
            }
        }
        Ok(Dataset {
            dir: dir.to_path_buf(),
            manifest,
            samples,
            index,
        })
    }

    pub fn sample(&self, id: &str) -> Option<&Sample> {
        self.index.get(id).map(|&i| &self.samples[i])
    }

    /// The folder's name, for reports.
    pub fn name(&self) -> String {
        self.dir
            .file_name()
            .map_or_else(|| "dataset".into(), |n| n.to_string_lossy().into_owned())
    }
}
