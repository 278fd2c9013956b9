//! A dataset folder as bytes: rendering, writing and reading it back.
//!
//! Rendering is separate from writing so that `verify` can regenerate a folder in memory and
//! compare it with the files on disk byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::{
    atomic, jsonl, samples_parquet_bytes, DatasetError, FileDigest, GeneratorInfo, Manifest,
    Sample, MANIFEST_FILE, SAMPLES_JSONL, SAMPLES_PARQUET,
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
