//! Writing a dataset folder sample by sample, so memory holds one Parquet row group, never the
//! dataset: `samples.jsonl` takes each sample as it comes, `samples.parquet` a row group at a
//! time, and the manifest, with every file's digest, comes last.

use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::parquet::ParquetTwin;
use crate::{
    Context, DatasetError, FileDigest, GeneratorInfo, Manifest, Sample, ScoringSpec, Shard,
    CONTEXTS_JSONL, CONTEXTS_PARQUET, MANIFEST_FILE, SAMPLES_JSONL, SAMPLES_PARQUET,
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
}

/// How the Parquet twins are written. Part of the format, since it decides the bytes: the
/// manifest's version says which, so `verify` rewrites an older folder the way it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParquetLayout {
    pub row_groups: RowGroups,
    /// Min and max statistics on text columns (manifest versions 1 and 2; dropped in 3, see
    /// `ParquetTwin::create`).
    pub min_max: bool,
}

impl ParquetLayout {
    pub fn of_manifest_version(version: u32) -> Self {
        ParquetLayout {
            row_groups: if version <= 1 {
                RowGroups::Whole
            } else {
                RowGroups::Bytes
            },
            min_max: version <= 2,
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
    samples: Table<Sample>,
    /// Created at the first shared context.
    contexts: Option<Table<Context>>,
    context_ids: std::collections::HashSet<String>,
    /// Buffered sample JSON that closes a row group: `None` for [`RowGroups::Whole`]. A field,
    /// not the constant, so tests can cut many groups from a few kilobytes.
    group_byte_limit: Option<usize>,
    min_max: bool,
    /// Files written beside the tables, by name, recorded in the manifest.
    extra: Vec<String>,
}

/// One record type's JSON Lines file and Parquet twin, and the row group being gathered.
struct Table<R: crate::parquet::Rows> {
    jsonl_name: &'static str,
    jsonl: BufWriter<std::fs::File>,
    parquet: ParquetTwin<R>,
    group: Vec<R>,
    group_bytes: usize,
    rows: u64,
}

impl<R: crate::parquet::Rows + serde::Serialize> Table<R> {
    fn create(
        dir: &Path,
        jsonl_name: &'static str,
        parquet_name: &str,
        min_max: bool,
    ) -> Result<Self, DatasetError> {
        let path = dir.join(jsonl_name);
        let jsonl = std::fs::File::create(&path).map_err(|e| DatasetError::io(&path, e))?;
        Ok(Table {
            jsonl_name,
            jsonl: BufWriter::new(jsonl),
            parquet: ParquetTwin::create(&dir.join(parquet_name), min_max)?,
            group: Vec::new(),
            group_bytes: 0,
            rows: 0,
        })
    }

    fn push(&mut self, dir: &Path, row: R, byte_limit: Option<usize>) -> Result<(), DatasetError> {
        let line = serde_json::to_vec(&row).expect("records serialise to JSON");
        self.jsonl
            .write_all(&line)
            .and_then(|()| self.jsonl.write_all(b"\n"))
            .map_err(|e| DatasetError::io(dir.join(self.jsonl_name), e))?;
        self.group_bytes += line.len();
        self.group.push(row);
        self.rows += 1;
        let full = self.group.len() >= RowGroups::MAX_ROWS
            || byte_limit.is_some_and(|limit| self.group_bytes >= limit);
        if full {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> Result<(), DatasetError> {
        if !self.group.is_empty() {
            self.parquet.write_group(std::mem::take(&mut self.group))?;
            self.group_bytes = 0;
        }
        Ok(())
    }

    fn finish(mut self, dir: &Path) -> Result<u64, DatasetError> {
        // An empty table still gets a (schema-only) row group, as the in-memory writer gave.
        if self.rows == 0 {
            self.parquet.write_group(Vec::new())?;
        }
        self.flush_group()?;
        let path = dir.join(self.jsonl_name);
        self.jsonl
            .into_inner()
            .map_err(|e| DatasetError::io(&path, e.into_error()))?
            .sync_all()
            .map_err(|e| DatasetError::io(&path, e))?;
        self.parquet.finish()?;
        Ok(self.rows)
    }
}

impl DatasetWriter {
    pub fn create(dir: &Path, layout: ParquetLayout) -> Result<Self, DatasetError> {
        std::fs::create_dir_all(dir).map_err(|e| DatasetError::io(dir, e))?;
        Ok(DatasetWriter {
            dir: dir.to_path_buf(),
            samples: Table::create(dir, SAMPLES_JSONL, SAMPLES_PARQUET, layout.min_max)?,
            contexts: None,
            context_ids: Default::default(),
            group_byte_limit: match layout.row_groups {
                RowGroups::Whole => None,
                RowGroups::Bytes => Some(RowGroups::MAX_BYTES),
            },
            min_max: layout.min_max,
            extra: Vec::new(),
        })
    }

    /// Appends one sample to both files. A sample naming a shared context must come after
    /// [`DatasetWriter::push_context`] gave it.
    pub fn push(&mut self, sample: Sample) -> Result<(), DatasetError> {
        if let Some(id) = &sample.context_id {
            if !self.context_ids.contains(id) {
                return Err(DatasetError::Invalid {
                    path: self.dir.join(SAMPLES_JSONL),
                    message: format!(
                        "sample `{}` names context `{id}`, which was not written before it",
                        sample.id
                    ),
                });
            }
        }
        self.samples.push(&self.dir, sample, self.group_byte_limit)
    }

    /// Whether the context `id` is already in the folder.
    pub fn has_context(&self, id: &str) -> bool {
        self.context_ids.contains(id)
    }

    /// Appends a shared context, once: a context already written is skipped.
    pub fn push_context(&mut self, context: Context) -> Result<(), DatasetError> {
        if !self.context_ids.insert(context.id.clone()) {
            return Ok(());
        }
        let table = match &mut self.contexts {
            Some(t) => t,
            None => self.contexts.insert(Table::create(
                &self.dir,
                CONTEXTS_JSONL,
                CONTEXTS_PARQUET,
                self.min_max,
            )?),
        };
        table.push(&self.dir, context, self.group_byte_limit)
    }

    /// Writes a file beside the tables (a generation's rejections), recorded in the manifest
    /// with its digest. `name` must be a plain file name, not one of the dataset's own files.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), DatasetError> {
        let reserved = [
            SAMPLES_JSONL,
            SAMPLES_PARQUET,
            CONTEXTS_JSONL,
            CONTEXTS_PARQUET,
            MANIFEST_FILE,
        ];
        if name.is_empty()
            || name.contains(['/', '\\'])
            || name.starts_with('.')
            || reserved.contains(&name)
            || self.extra.iter().any(|n| n == name)
        {
            return Err(DatasetError::Invalid {
                path: self.dir.join(name),
                message: "not a name a file beside the dataset can take".into(),
            });
        }
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| DatasetError::io(&path, e))?;
        self.extra.push(name.to_string());
        Ok(())
    }

    /// Closes the files, writes `manifest.json` and returns it.
    pub fn finish(self, provenance: Provenance) -> Result<Manifest, DatasetError> {
        let mut counts = BTreeMap::new();
        counts.insert("samples".to_string(), self.samples.finish(&self.dir)?);
        let mut names = vec![SAMPLES_JSONL, SAMPLES_PARQUET];
        names.extend(self.extra.iter().map(String::as_str));
        if let Some(contexts) = self.contexts {
            counts.insert("contexts".to_string(), contexts.finish(&self.dir)?);
            names.extend([CONTEXTS_JSONL, CONTEXTS_PARQUET]);
        }
        names.sort();
        let manifest = Manifest {
            manifest_version: provenance.manifest_version,
            generator: provenance.generator,
            params: provenance.params,
            scoring: provenance.scoring,
            shard: provenance.shard,
            seed: provenance.seed,
            tokenizer: provenance.tokenizer,
            counts,
            files: names
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
    let (bytes, sha256) = sha256_file(&dir.join(name))?;
    Ok(FileDigest {
        name: name.to_string(),
        bytes,
        sha256,
    })
}

/// The length in bytes and the SHA-256 (lower-case hex) of a file, read in 64 KiB blocks, so a
/// file of any size is digested in constant memory.
pub fn sha256_file(path: &Path) -> Result<(u64, String), DatasetError> {
    use sha2::{Digest, Sha256};
    let mut file = std::fs::File::open(path).map_err(|e| DatasetError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| DatasetError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((bytes, hex::encode(hasher.finalize())))
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

    fn write(dir: &Path, samples: &[Sample], version: u32) -> Manifest {
        let layout = ParquetLayout::of_manifest_version(version);
        let mut w = DatasetWriter::create(dir, layout).unwrap();
        // Groups of 64 KiB rather than 16 MiB: the same cuts at a thousandth of the disk.
        w.group_byte_limit = w.group_byte_limit.map(|_| 64 << 10);
        for s in samples {
            w.push(s.clone()).unwrap();
        }
        w.finish(provenance()).unwrap()
    }

    #[test]
    fn same_samples_same_bytes_and_the_twin_reads_back() {
        let tmp = tempfile::tempdir().unwrap();
        // Big enough to cut several (test-sized) row groups.
        let big = "长文本".repeat(1 << 12);
        let samples: Vec<Sample> = (0..12).map(|i| sample(i, &big)).collect();
        let a = write(&tmp.path().join("a"), &samples, Manifest::VERSION);
        let b = write(&tmp.path().join("b"), &samples, Manifest::VERSION);
        assert_eq!(a, b);
        assert_eq!(a.counts["samples"], 12);
        let ids = read_sample_ids_parquet(&tmp.path().join("a").join(SAMPLES_PARQUET)).unwrap();
        assert_eq!(
            ids,
            samples.iter().map(|s| s.id.clone()).collect::<Vec<_>>()
        );
        let groups = |dir: &str| {
            let file = std::fs::File::open(tmp.path().join(dir).join(SAMPLES_PARQUET)).unwrap();
            use polars::prelude::SerReader;
            let mut reader = polars::prelude::ParquetReader::new(file);
            reader.get_metadata().unwrap().row_groups.len()
        };
        assert!(groups("a") >= 4, "cut by bytes: {} groups", groups("a"));
        let whole = write(&tmp.path().join("c"), &samples, 1);
        assert_eq!(groups("c"), 1);
        assert_ne!(
            whole.files[1].sha256, a.files[1].sha256,
            "the layout decides the bytes"
        );
        assert_eq!(whole.files[0], a.files[0], "not the JSON Lines");
        let none = write(&tmp.path().join("d"), &[], Manifest::VERSION);
        assert_eq!(none.counts["samples"], 0);
        assert!(
            read_sample_ids_parquet(&tmp.path().join("d").join(SAMPLES_PARQUET))
                .unwrap()
                .is_empty()
        );
    }

    /// The columns a card lists are those written, with their types.
    #[test]
    fn parquet_columns_are_read_from_the_footer() {
        let tmp = tempfile::tempdir().unwrap();
        let mut w =
            DatasetWriter::create(tmp.path(), ParquetLayout::of_manifest_version(3)).unwrap();
        w.push_context(Context {
            id: "c".into(),
            text: "book".into(),
            tokens: 1,
        })
        .unwrap();
        w.push(sample(0, "x")).unwrap();
        w.finish(provenance()).unwrap();
        let columns = |name: &str| -> Vec<(String, String)> {
            crate::parquet_columns(&tmp.path().join(name))
                .unwrap()
                .into_iter()
                .map(|c| (c.name, c.dtype))
                .collect()
        };
        let samples = columns(SAMPLES_PARQUET);
        let names: Vec<&str> = samples.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "id",
                "family",
                "task",
                "lang",
                "context",
                "context_id",
                "question",
                "prompt",
                "reference",
                "meta"
            ]
        );
        assert!(samples.iter().all(|c| c.1 == "string"), "{samples:?}");
        assert_eq!(
            columns(CONTEXTS_PARQUET),
            [
                ("id".to_string(), "string".to_string()),
                ("text".into(), "string".into()),
                ("tokens".into(), "uint64".into())
            ]
        );
    }

    /// Version 3 drops min and max statistics on text columns (a megabyte context was copied
    /// whole three times to make them); version 2 keeps them, so its folders still verify. The
    /// Parquet footer, uncompressed, holds the statistics: the context's first bytes are there
    /// exactly when they are written.
    #[test]
    fn text_columns_carry_min_max_statistics_up_to_version_2_only() {
        let tmp = tempfile::tempdir().unwrap();
        let text = format!("STATISTICS-MARKER {}", "filler ".repeat(2000));
        let samples = vec![sample(0, &text)];
        let footer = |dir: &str| -> Vec<u8> {
            let bytes = std::fs::read(tmp.path().join(dir).join(SAMPLES_PARQUET)).unwrap();
            let end = bytes.len() - 8;
            let len = u32::from_le_bytes(bytes[end..end + 4].try_into().unwrap()) as usize;
            bytes[end - len..end].to_vec()
        };
        let has_marker = |footer: &[u8]| footer.windows(17).any(|w| w == b"STATISTICS-MARKER");
        write(&tmp.path().join("v2"), &samples, 2);
        write(&tmp.path().join("v3"), &samples, 3);
        assert!(has_marker(&footer("v2")));
        assert!(!has_marker(&footer("v3")));
        // Both read back.
        for dir in ["v2", "v3"] {
            let ids = read_sample_ids_parquet(&tmp.path().join(dir).join(SAMPLES_PARQUET));
            assert_eq!(ids.unwrap(), ["t/0"]);
        }
    }
}
