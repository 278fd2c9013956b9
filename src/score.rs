use std::path::PathBuf;

use anyhow::Result;
use longforge_datasets::{atomic, jsonl, read_samples, Manifest, Prediction};
use longforge_judges::{score_all, summarise};
use longforge_reports::{markdown, DatasetLine};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset folder.
    #[arg(long)]
    dataset: PathBuf,
    /// Prediction files (JSON Lines), one or more.
    #[arg(long, num_args = 1.., required = true)]
    predictions: Vec<PathBuf>,
    /// Scores, one JSON object per line, sorted by model then sample id.
    #[arg(long)]
    out: PathBuf,
    /// Also write a Markdown report here.
    #[arg(long)]
    report: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let samples = read_samples(&args.dataset)?;
    let mut scores = Vec::new();
    for file in &args.predictions {
        let predictions: Vec<Prediction> = jsonl::read(file)?;
        scores.extend(score_all(
            &samples,
            &predictions,
            &file.display().to_string(),
        )?);
    }
    scores.sort_by(|a, b| (&a.model, &a.sample_id).cmp(&(&b.model, &b.sample_id)));
    jsonl::write(&args.out, &scores)?;
    let summary = summarise(&samples, &scores);
    print!("{}", summary.to_table());
    if let Some(path) = &args.report {
        let manifest = Manifest::read(&args.dataset)?;
        let name = args
            .dataset
            .file_name()
            .map_or("dataset".into(), |n| n.to_string_lossy().into_owned());
        let report = markdown(
            "longforge scores",
            &[DatasetLine::from_manifest(&name, &manifest)],
            &summary,
            None,
        )?;
        atomic::write(path, report.as_bytes())?;
        eprintln!("report -> {}", path.display());
    }
    Ok(())
}
