//! Wiring between a dataset folder and the judges' scorers: the specs its manifest records, or,
//! for folders made before manifests recorded them, the ones its family gives for its tasks.

use anyhow::Result;
use longforge_datasets::Dataset;
use longforge_generators::{scoring_of, Registry};
use longforge_judges::Scoring;

/// Opens a dataset folder with the scoring of its tasks.
pub fn open(registry: &Registry, dir: &std::path::Path) -> Result<(Dataset, Scoring)> {
    let dataset = Dataset::open(dir)?;
    let scoring = scoring_for(registry, &dataset)?;
    Ok((dataset, scoring))
}

pub fn scoring_for(registry: &Registry, dataset: &Dataset) -> Result<Scoring> {
    let name = &dataset.manifest.generator.name;
    let specs = if dataset.manifest.scoring.is_empty() {
        scoring_of(registry.get(name)?, &dataset.samples)?
    } else {
        dataset.manifest.scoring.clone()
    };
    Ok(Scoring::of(name, &specs)?)
}
