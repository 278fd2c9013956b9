//! Writing a generation to disk, sample by sample, and reproducing earlier generator versions.

use std::collections::BTreeMap;
use std::path::Path;

use longforge_datasets::{
    DatasetWriter, GeneratorInfo, Manifest, ParquetLayout, Provenance, Sample, ScoringSpec, Shard,
};
use serde_json::Value;

use crate::{Family, GenerateError, Inputs, SampleSource, TaskInfo};

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
    // What a generation sets aside belongs to the whole of it, which no shard holds.
    if let (Some(_), Some((name, _))) = (shard, source.extra_files().first()) {
        return Err(GenerateError::param(
            "shard",
            format!("this generation writes {name} beside its samples, so it is made whole, not in shards"),
        ));
    }
    let range = shard.map_or(0..total, |s| s.first..s.end);
    let mut writer =
        DatasetWriter::create(dir, ParquetLayout::of_manifest_version(manifest_version))?;
    let mut specs = BTreeMap::new();
    // Which version is reproduced is settled once; each sample is then turned into it.
    let recorded_scoring = as_version(family, version, &mut [])?;
    let n = range.len();
    for (done, index) in range.enumerate() {
        let mut sample = [source.sample(index)?];
        as_version(family, version, &mut sample)?;
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
    for (name, bytes) in source.extra_files() {
        writer.add_file(&name, &bytes)?;
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
