//! Writing a dataset folder sample by sample, so memory holds one Parquet row group, never the
//! dataset: `samples.jsonl` takes each sample as it comes, `samples.parquet` a row group at a
//! time, and the manifest, with every file's digest, comes last.

use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::parquet::SamplesParquet;
use crate::{
    DatasetError, FileDigest, GeneratorInfo, Manifest, Sample, ScoringSpec, Shard, SAMPLES_JSONL,
    SAMPLES_PARQUET,
};

/// How samples are cut into Parquet row groups. Part of the format (the manifest's version
/// says which), since it decides the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowGroups {
    /// Manifest version 1: a row group per 65,536 samples (the whole dataset, in practice).
    Whole,
    /// Manifest version 2: a new row group once 16 MiB of sample JSON is buffered, or 65,536
    /// samples: memory stays bounded at any dataset size.
    Bytes,
}

impl RowGroups {
    const MAX_ROWS: usize = 65_536;
    const MAX_BYTES: usize = 16 << 20;

    pub fn of_manifest_version(version: u32) -> Self {
        if version <= 1 {
            RowGroups::Whole
        } else {
            RowGroups::Bytes
        }
    }
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
    /// Which part of the whole this folder holds, when generated with `--shard`.
    pub shard: Option<Shard>,
    /// The manifest format to write (see [`Manifest::VERSION`]); earlier ones for `verify`.
    pub manifest_version: u32,
}

/// A dataset folder being written into `dir` (normally a [`crate::atomic::StagedDir`]).
pub struct DatasetWriter {
    dir: PathBuf,
    jsonl: BufWriter<std::fs::File>,
    parquet: SamplesParquet,
    layout: RowGroups,
    group: Vec<Sample>,
    group_bytes: usize,
    samples: u64,
}

impl DatasetWriter {
    pub fn create(dir: &Path, layout: RowGroups) -> Result<Self, DatasetError> {
        std::fs::create_dir_all(dir).map_err(|e| DatasetError::io(dir, e))?;
        let jsonl_path = dir.join(SAMPLES_JSONL);
        let jsonl =
            std::fs::File::create(&jsonl_path).map_err(|e| DatasetError::io(&jsonl_path, e))?;
        Ok(DatasetWriter {
            dir: dir.to_path_buf(),
            jsonl: BufWriter::new(jsonl),
            parquet: SamplesParquet::create(&dir.join(SAMPLES_PARQUET))?,
            layout,
            group: Vec::new(),
            group_bytes: 0,
            samples: 0,
        })
    }

    /// Appends one sample to both files.
    pub fn push(&mut self, sample: Sample) -> Result<(), DatasetError> {
        let path = self.dir.join(SAMPLES_JSONL);
        let line = serde_json::to_vec(&sample).expect("samples serialise to JSON");
        self.jsonl
            .write_all(&line)
            .and_then(|()| self.jsonl.write_all(b"\n"))
            .map_err(|e| DatasetError::io(&path, e))?;
        self.group_bytes += line.len();
        self.group.push(sample);
        self.samples += 1;
        let full = self.group.len() >= RowGroups::MAX_ROWS
            || (self.layout == RowGroups::Bytes && self.group_bytes >= RowGroups::MAX_BYTES);
        if full {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> Result<(), DatasetError> {
        if !self.group.is_empty() {
            self.parquet.write_group(&self.group)?;
            self.group.clear();
            self.group_bytes = 0;
        }
        Ok(())
    }

    /// Closes the files, writes `manifest.json` and returns it.
    pub fn finish(mut self, provenance: Provenance) -> Result<Manifest, DatasetError> {
        let empty = self.samples == 0;
        // An empty dataset still gets a (schema-only) row group, as the in-memory writer gave.
        if empty {
            self.parquet.write_group(&[])?;
        }
        self.flush_group()?;
        let jsonl_path = self.dir.join(SAMPLES_JSONL);
        self.jsonl
            .into_inner()
            .map_err(|e| DatasetError::io(&jsonl_path, e.into_error()))?
            .sync_all()
            .map_err(|e| DatasetError::io(&jsonl_path, e))?;
        self.parquet.finish()?;
        let mut counts = BTreeMap::new();
        counts.insert("samples".to_string(), self.samples);
        let manifest = Manifest {
            manifest_version: provenance.manifest_version,
            generator: provenance.generator,
            params: provenance.params,
            scoring: provenance.scoring,
            shard: provenance.shard,
            seed: provenance.seed,
            tokenizer: provenance.tokenizer,
            counts,
            files: [SAMPLES_JSONL, SAMPLES_PARQUET]
                .iter()
                .map(|name| digest_file(&self.dir, name))
                .collect::<Result<_, _>>()?,
        };
        manifest.write(&self.dir)?;
        Ok(manifest)
    }
}

/// The digest of `dir/name`, read in blocks.
pub fn digest_file(dir: &Path, name: &str) -> Result<FileDigest, DatasetError> {
    use sha2::{Digest, Sha256};
    let path = dir.join(name);
    let mut file = std::fs::File::open(&path).map_err(|e| DatasetError::io(&path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| DatasetError::io(&path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok(FileDigest {
        name: name.to_string(),
        bytes,
        sha256: hex::encode(hasher.finalize()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_sample_ids_parquet, Reference};
    use serde_json::Map;

    fn sample(i: usize, text: &str) -> Sample {
        Sample {
            id: format!("t/{i}"),
            family: "t".into(),
            task: "t".into(),
            lang: "zh".into(),
            context: Some(text.repeat(1 + i % 3)),
            context_id: None,
            question: "问题".into(),
            prompt: "p".into(),
            reference: Reference::exact("答案"),
            meta: Map::new(),
        }
    }

    fn provenance() -> Provenance {
        Provenance {
            generator: GeneratorInfo {
                name: "t".into(),
                version: "1".into(),
            },
            params: Value::Null,
            scoring: BTreeMap::new(),
            seed: 1,
            tokenizer: "cl100k_base".into(),
            shard: None,
            manifest_version: Manifest::VERSION,
        }
    }

    fn write(dir: &Path, samples: &[Sample], layout: RowGroups) -> Manifest {
        let mut w = DatasetWriter::create(dir, layout).unwrap();
        for s in samples {
            w.push(s.clone()).unwrap();
        }
        w.finish(provenance()).unwrap()
    }

    #[test]
    fn same_samples_same_bytes_and_the_twin_reads_back() {
        let tmp = tempfile::tempdir().unwrap();
        // Big enough to cut several 16 MiB row groups.
        let big = "长文本".repeat(1 << 20);
        let samples: Vec<Sample> = (0..12).map(|i| sample(i, &big)).collect();
        let a = write(&tmp.path().join("a"), &samples, RowGroups::Bytes);
        let b = write(&tmp.path().join("b"), &samples, RowGroups::Bytes);
        assert_eq!(a, b);
        assert_eq!(a.counts["samples"], 12);
        let ids = read_sample_ids_parquet(&tmp.path().join("a").join(SAMPLES_PARQUET)).unwrap();
        assert_eq!(
            ids,
            samples.iter().map(|s| s.id.clone()).collect::<Vec<_>>()
        );
        let whole = write(&tmp.path().join("c"), &samples, RowGroups::Whole);
        assert_ne!(
            whole.files[1].sha256, a.files[1].sha256,
            "the layout decides the bytes"
        );
        assert_eq!(whole.files[0], a.files[0], "not the JSON Lines");
        let none = write(&tmp.path().join("d"), &[], RowGroups::Bytes);
        assert_eq!(none.counts["samples"], 0);
        assert!(
            read_sample_ids_parquet(&tmp.path().join("d").join(SAMPLES_PARQUET))
                .unwrap()
                .is_empty()
        );
    }
}
