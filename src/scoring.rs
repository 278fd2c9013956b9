//! Wiring between a dataset folder and the judges' scorers: the specs its manifest records, or,
//! for folders made before manifests recorded them, the ones its family gives for its tasks.

use std::collections::BTreeMap;

use anyhow::Result;
use longforge_datasets::{Dataset, ScoringSpec};
use longforge_generators::{scoring_of, Registry};
use longforge_judges::Scoring;

/// Opens a dataset folder with the scoring of its tasks.
pub fn open(registry: &Registry, dir: &std::path::Path) -> Result<(Dataset, Scoring)> {
    let dataset = Dataset::open(dir)?;
    let scoring = scoring_for(registry, &dataset)?;
    Ok((dataset, scoring))
}

pub fn scoring_for(registry: &Registry, dataset: &Dataset) -> Result<Scoring> {
    let specs = specs_for(registry, dataset)?;
    Ok(Scoring::of(&dataset.manifest.generator.name, &specs)?)
}

fn specs_for(registry: &Registry, dataset: &Dataset) -> Result<BTreeMap<String, ScoringSpec>> {
    let name = &dataset.manifest.generator.name;
    Ok(if dataset.manifest.scoring.is_empty() {
        scoring_of(registry.get(name)?, &dataset.samples)?
    } else {
        dataset.manifest.scoring.clone()
    })
}

/// The dataset's scoring with every task scored by `scorer` instead of its own (a second
/// opinion, such as `row_judge` beside `rows`), metrics kept; refused when the scorer cannot
/// read a task's references. `None` keeps the tasks' own. With `no_exec`, a task scored by a
/// scorer that runs model-written code is scored by its counterpart that runs nothing.
pub fn with_scorer(
    registry: &Registry,
    dataset: &Dataset,
    scorer: Option<&str>,
    no_exec: bool,
) -> Result<Scoring> {
    let mut specs = specs_for(registry, dataset)?;
    if no_exec {
        for spec in specs.values_mut().filter(|s| s.scorer == "cpp") {
            spec.scorer = "cpp_no_exec".to_string();
        }
    }
    if let Some(name) = scorer {
        let chosen = longforge_judges::scorer(name)?;
        if let Some(s) = dataset
            .samples
            .iter()
            .find(|s| !chosen.reads().contains(&s.reference.kind.as_str()))
        {
            anyhow::bail!(
                "--scorer {name} reads references of kind {}, but sample `{}` has one of kind `{}`",
                chosen.reads().join(", "),
                s.id,
                s.reference.kind
            );
        }
        for spec in specs.values_mut() {
            spec.scorer = name.to_string();
        }
    }
    Ok(Scoring::of(&dataset.manifest.generator.name, &specs)?)
}
