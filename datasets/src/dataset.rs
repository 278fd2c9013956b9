//! Reading a dataset folder back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::borrow::Cow;

use crate::{
    jsonl, Context, DatasetError, Manifest, Sample, CONTEXTS_JSONL, CONTEXT_SLOT, MANIFEST_FILE,
    SAMPLES_JSONL,
};

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
    /// Shared contexts by id (`contexts.jsonl`), read once.
    pub contexts: HashMap<String, Context>,
    index: HashMap<String, usize>,
}

impl Dataset {
    /// Reads `manifest.json` and `samples.jsonl` of `dir`, after checking every file against the
    /// manifest's digests (a dataset edited by hand is refused, not scored). Two samples with
    /// one id are an error naming the line of the second.
    pub fn open(dir: &Path) -> Result<Self, DatasetError> {
        let manifest = Manifest::read(dir)?;
        manifest.check_files(dir)?;
        let samples = read_samples(dir)?;
        let mut dataset = Self::new(dir, manifest, samples)?;
        let path = dir.join(CONTEXTS_JSONL);
        if path.exists() {
            for c in jsonl::read::<Context>(&path)? {
                dataset.contexts.insert(c.id.clone(), c);
            }
        }
        for (i, s) in dataset.samples.iter().enumerate() {
            if let Some(id) = &s.context_id {
                if !dataset.contexts.contains_key(id) {
                    return Err(DatasetError::Invalid {
                        path: dir.join(SAMPLES_JSONL),
                        message: format!(
                            "line {}: sample `{}` names context `{id}`, which {CONTEXTS_JSONL} does not hold",
                            i + 1,
                            s.id
                        ),
                    });
                }
            }
        }
        Ok(dataset)
    }

    /// The prompt a model receives for `sample`: its stored prompt, with the shared context put
    /// in [`CONTEXT_SLOT`] when it names one.
    pub fn prompt<'a>(&self, sample: &'a Sample) -> Result<Cow<'a, str>, DatasetError> {
        let Some(id) = &sample.context_id else {
            return Ok(Cow::Borrowed(&sample.prompt));
        };
        let context = self.contexts.get(id).ok_or_else(|| DatasetError::Invalid {
            path: self.dir.join(CONTEXTS_JSONL),
            message: format!("holds no context `{id}` (named by sample `{}`)", sample.id),
        })?;
        Ok(Cow::Owned(sample.prompt.replacen(
            CONTEXT_SLOT,
            &context.text,
            1,
        )))
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
            contexts: HashMap::new(),
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
