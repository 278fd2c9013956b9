use std::path::PathBuf;

use anyhow::{bail, Result};
use longforge_datasets::{atomic, jsonl};
use longforge_judges::{summarise, AnswerSheet};
use longforge_reports::{markdown, score_table, DatasetLine};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset folder.
    #[arg(long)]
    dataset: PathBuf,
    /// Prediction files (JSON Lines), one or more; each model may answer a sample once.
    #[arg(long, num_args = 1.., required = true)]
    predictions: Vec<PathBuf>,
    /// Scores, one JSON object per line and per value of the task's scorer (headline first),
    /// sorted by model then sample id.
    #[arg(long)]
    out: PathBuf,
    /// Also write every figure here, one JSON object per line: model, family, task, metric,
    /// value, n, ci_low, ci_high, level, axes ({} for the whole task), missing.
    #[arg(long)]
    summary: Option<PathBuf>,
    /// Also write a Markdown report here.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Confidence level of the intervals, between 0 and 1.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
}

pub fn run(registry: &crate::Registry, args: Args) -> Result<()> {
    if !(args.level > 0.0 && args.level < 1.0) {
        bail!("--level {} must lie strictly between 0 and 1", args.level);
    }
    let (dataset, scoring) = crate::scoring::open(registry, &args.dataset)?;
    let sheet = AnswerSheet::read(&dataset.samples, &args.predictions)?;
    let mut scores = Vec::new();
    for (sample, answer) in sheet.with_samples(&dataset.samples) {
        scores.extend(scoring.score(sample, &answer.prediction)?);
    }
    // Stable: a sample's values keep the scorer's order, headline first.
    scores.sort_by(|a, b| (&a.model, &a.sample_id).cmp(&(&b.model, &b.sample_id)));
    jsonl::write(&args.out, &scores)?;
    let rows = summarise(&dataset.samples, &scores, &scoring, args.level)?;
    print!("{}", score_table(&rows).to_text());
    if let Some(path) = &args.summary {
        jsonl::write(path, &rows)?;
        eprintln!("summary -> {}", path.display());
    }
    if let Some(path) = &args.report {
        let report = markdown(
            "longforge scores",
            &[DatasetLine::from_manifest(
                &dataset.name(),
                &dataset.manifest,
            )],
            &rows,
            None,
        )?;
        atomic::write(path, report.as_bytes())?;
        eprintln!("report -> {}", path.display());
    }
    Ok(())
}
