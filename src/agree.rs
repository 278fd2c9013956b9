use std::path::PathBuf;

use anyhow::Result;
use longforge_datasets::{jsonl, Judgment};
use longforge_judges::agree;
use longforge_reports::value_text;

#[derive(clap::Args)]
pub struct Args {
    /// Judgments of one judge (or human labels in the judgment format).
    first: PathBuf,
    /// Judgments of another judge on the same showings.
    second: PathBuf,
    /// Also write the figures as JSON here.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    if let Some(out) = &args.out {
        crate::paths::refuse_clobbering(
            &[("--out", out.as_path())],
            &[args.first.as_path(), args.second.as_path()],
        )?;
    }
    let first: Vec<Judgment> = jsonl::read(&args.first)?;
    let second: Vec<Judgment> = jsonl::read(&args.second)?;
    let r = agree(
        &first,
        &args.first.display().to_string(),
        &second,
        &args.second.display().to_string(),
    )?;
    if r.compared == 0 && r.invalid > 0 {
        anyhow::bail!(
            "nothing to compare: in {} of {} showings matched, one of the verdicts is invalid; {}",
            r.invalid,
            r.matched,
            longforge_judges::pairwise::all_invalid(r.invalid)
        );
    }
    if r.matched == 0 {
        anyhow::bail!(
            "{} and {} share no showing (question, pair of models and order); were they judged on the same predictions?",
            args.first.display(),
            args.second.display()
        );
    }
    println!("| | value |\n|---|---:|");
    println!("| showings matched | {} |", r.matched);
    println!("| only in {} | {} |", args.first.display(), r.only_in_first);
    println!(
        "| only in {} | {} |",
        args.second.display(),
        r.only_in_second
    );
    println!("| invalid in either | {} |", r.invalid);
    println!("| compared | {} |", r.compared);
    println!(
        "| agreement (ties included) | {} |",
        value_text(r.agreement)
    );
    println!(
        "| agreement without ties ({} decisive in both) | {} |",
        r.decisive,
        value_text(r.agreement_without_ties)
    );
    println!(
        "| exact five-point agreement | {} |",
        value_text(r.exact_agreement)
    );
    match r.kappa {
        Some(k) => println!("| Cohen's kappa | {k:.3} |"),
        None => println!("| Cohen's kappa | undefined (chance agreement is certain) |"),
    }
    println!(
        "| flip rate (opposite winners) | {} |",
        value_text(r.flip_rate)
    );
    if let Some(out) = &args.out {
        let mut text = serde_json::to_vec_pretty(&r)?;
        text.push(b'\n');
        longforge_datasets::atomic::write(out, &text)?;
    }
    Ok(())
}
