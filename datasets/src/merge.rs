//! Joining the shards of one generation (`generate --shard I/N`) into the folder a single run
//! would have written, byte for byte.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::{
    jsonl, Context, DatasetError, DatasetWriter, Manifest, ParquetLayout, Provenance, Sample,
    CONTEXTS_JSONL, SAMPLES_JSONL,
};

/// Checks that `shards` are every shard of one generation exactly once (same generator,
/// parameters, seed, tokenizer and format; indices 1 to N; files matching their digests), then
/// streams their samples, in shard order, into `out` (normally a staging folder).
pub fn merge(shards: &[PathBuf], out: &Path) -> Result<Manifest, DatasetError> {
    let invalid = |path: &Path, message: String| DatasetError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let mut parts: Vec<(Manifest, &PathBuf)> = Vec::with_capacity(shards.len());
    for dir in shards {
        let m = Manifest::read(dir)?;
        if m.shard.is_none() {
            return Err(invalid(dir, "is not a shard (its manifest records none); give the folders `generate --shard I/N` wrote".into()));
        }
        m.check_files(dir)?;
        parts.push((m, dir));
    }
    let Some((first, first_dir)) = parts.first().cloned() else {
        return Err(invalid(out, "no shards given".into()));
    };
    let whole = first.shard.expect("checked above");
    for (m, dir) in &parts {
        let s = m.shard.expect("checked above");
        // Scoring specs are recorded for the tasks a folder holds, so shards (an empty one, or
        // one whose samples are all of one task) may record fewer; they must not disagree.
        let scoring_agrees = m.scoring.iter().all(|(task, spec)| {
            parts
                .iter()
                .all(|(o, _)| o.scoring.get(task).is_none_or(|s| s == spec))
        });
        let same = m.generator == first.generator
            && m.params == first.params
            && m.seed == first.seed
            && m.tokenizer == first.tokenizer
            && scoring_agrees
            && m.manifest_version == first.manifest_version
            && s.count == whole.count
            && s.total == whole.total;
        if !same {
            return Err(invalid(dir, format!(
                "is a shard of another generation than {} (generator, parameters, seed, tokenizer or shard count differ)",
                first_dir.display()
            )));
        }
    }
    parts.sort_by_key(|(m, _)| m.shard.map(|s| s.index));
    for want in 1..=whole.count {
        let have: Vec<&PathBuf> = parts
            .iter()
            .filter(|(m, _)| m.shard.map(|s| s.index) == Some(want))
            .map(|(_, d)| *d)
            .collect();
        match have.as_slice() {
            [_] => {}
            [] => {
                return Err(invalid(
                    first_dir,
                    format!(
                        "shard {want}/{} of this generation is not among the folders given",
                        whole.count
                    ),
                ))
            }
            [a, b, ..] => {
                return Err(invalid(
                    b,
                    format!(
                        "shard {want}/{} is given twice (also {})",
                        whole.count,
                        a.display()
                    ),
                ))
            }
        }
    }
    let mut writer = DatasetWriter::create(
        out,
        ParquetLayout::of_manifest_version(first.manifest_version),
    )?;
    for (_, dir) in &parts {
        // A shard's contexts are those its samples name, in order of first use; the writer
        // keeps the first of each, which is the single run's order.
        let contexts = dir.join(CONTEXTS_JSONL);
        if contexts.exists() {
            for c in jsonl::read::<Context>(&contexts)? {
                writer.push_context(c)?;
            }
        }
        let path = dir.join(SAMPLES_JSONL);
        let file = std::fs::File::open(&path).map_err(|e| DatasetError::io(&path, e))?;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| DatasetError::io(&path, e))?;
            let sample: Sample = jsonl::parse_line(&path, i + 1, &line)?;
            writer.push(sample)?;
        }
    }
    let scoring = parts.iter().flat_map(|(m, _)| m.scoring.clone()).collect();
    writer.finish(Provenance {
        generator: first.generator,
        params: first.params,
        scoring,
        seed: first.seed,
        tokenizer: first.tokenizer,
        shard: None,
        manifest_version: first.manifest_version,
    })
}
