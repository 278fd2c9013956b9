use std::path::PathBuf;

use anyhow::Result;
use longforge_baselines::{answer_all, Baseline};
use longforge_datasets::{jsonl, read_samples};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset folder.
    #[arg(long)]
    dataset: PathBuf,
    /// A built-in responder: oracle, random, shortcut or noisy-oracle.
    #[arg(long)]
    baseline: String,
    /// For noisy-oracle: the probability of a random answer (default 0.3).
    #[arg(long)]
    error_rate: Option<f64>,
    /// Predictions, one JSON object per line, sorted by sample id.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let baseline = Baseline::parse(&args.baseline, args.error_rate)?;
    let samples = read_samples(&args.dataset)?;
    let predictions = answer_all(baseline, &samples);
    jsonl::write(&args.out, &predictions)?;
    eprintln!(
        "{}: answered {} samples -> {}",
        baseline.model_name(),
        predictions.len(),
        args.out.display()
    );
    Ok(())
}
