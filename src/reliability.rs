use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use longforge_datasets::atomic;
use longforge_judges::reliability::{
    read_grades, read_judgments, reliability, Method, MethodReliability, Reliability, Settings,
};

#[derive(clap::Args)]
pub struct Args {
    /// Judgment files from `longforge judge` (or Chatbot Arena-format battles): the relative
    /// method, Bradley-Terry on side-by-side verdicts.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    judgments: Vec<PathBuf>,
    /// Grade files from `longforge grade`: the absolute method, mean rubric grades.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    grades: Vec<PathBuf>,
    /// Random splits of the questions into two halves.
    #[arg(long, default_value_t = 200)]
    splits: usize,
    /// Bootstrap rounds over questions behind the intervals separation compares.
    #[arg(long, default_value_t = 200)]
    bootstrap: usize,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Level of the intervals separation compares.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// Also write the figures as JSON here.
    #[arg(long, value_name = "FILE.json")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    if args.judgments.is_empty() && args.grades.is_empty() {
        bail!("nothing to measure: give --judgments FILE... (from `longforge judge`), --grades FILE... (from `longforge grade`), or both");
    }
    if let Some(out) = &args.out {
        let inputs: Vec<&Path> = args
            .judgments
            .iter()
            .chain(&args.grades)
            .map(PathBuf::as_path)
            .collect();
        crate::paths::refuse_clobbering(&[("--out", out.as_path())], &inputs)?;
        atomic::check_writable(out)?;
    }
    let settings = Settings {
        splits: args.splits,
        bootstrap: args.bootstrap,
        seed: args.seed,
        level: args.level,
    };
    settings.check()?;
    let judgments = (!args.judgments.is_empty())
        .then(|| read_judgments(&args.judgments))
        .transpose()?;
    let grades = (!args.grades.is_empty())
        .then(|| read_grades(&args.grades))
        .transpose()?;
    let r = reliability(judgments.as_ref(), grades.as_ref(), settings)?;
    print!("{}", table(&r));
    notes(&r);
    if let Some(out) = &args.out {
        let mut text = serde_json::to_vec_pretty(&r)?;
        text.push(b'\n');
        atomic::write(out, &text)?;
    }
    Ok(())
}

/// The figures of both methods as a Markdown table, with a note on how to read them.
pub(crate) fn table(r: &Reliability) -> String {
    let mut out = String::from(
        "| method | systems | questions | split-half rho, mean [2.5%, 97.5%] | tau-b, mean | Spearman-Brown (all questions) | separated pairs |\n|---|---:|---:|---|---:|---:|---|\n",
    );
    let figure = |v: Option<f64>| v.map_or_else(|| "undefined".into(), |v| format!("{v:.3}"));
    for m in &r.methods {
        let h = &m.split_half;
        let s = &m.separation;
        out.push_str(&format!(
            "| {} | {} | {} | {} [{}, {}] | {} | {} | {}/{} ({}) |\n",
            name(m),
            m.systems,
            m.questions,
            figure(h.rho.mean),
            figure(h.rho.p2_5),
            figure(h.rho.p97_5),
            figure(h.tau_b.mean),
            figure(h.spearman_brown),
            s.separated,
            s.pairs,
            figure(s.share)
        ));
    }
    out.push_str(&format!(
        "\nrho and tau-b rank-correlate the systems' scores on two random halves of the questions, over {} splits (a few splits far below the rest can pull the mean under the 2.5th percentile); Spearman-Brown projects the mean rho to all the questions (2r / (1 + r)). Separated pairs: pairs of systems whose {:.0}% intervals ({} bootstrap rounds over questions) do not overlap.\n",
        r.settings.splits,
        r.settings.level * 100.0,
        r.settings.bootstrap
    ));
    out
}

fn name(m: &MethodReliability) -> &'static str {
    match m.method {
        Method::Relative => "relative (Bradley-Terry)",
        Method::Absolute => "absolute (mean grade)",
    }
}

/// What was left out, on stderr.
fn notes(r: &Reliability) {
    if let Some(s) = r
        .shared
        .as_ref()
        .filter(|s| s.verdicts_dropped + s.grades_dropped > 0)
    {
        let names = |v: &[String]| {
            if v.is_empty() {
                String::new()
            } else {
                format!(" ({})", v.join(", "))
            }
        };
        eprintln!(
            "scored on the {} systems and {} questions both inputs share: left out from the judgments {} systems{}, {} questions and {} verdicts; from the grades {} systems{}, {} questions and {} grades",
            s.systems,
            s.questions,
            s.systems_dropped_from_judgments.len(),
            names(&s.systems_dropped_from_judgments),
            s.questions_dropped_from_judgments,
            s.verdicts_dropped,
            s.systems_dropped_from_grades.len(),
            names(&s.systems_dropped_from_grades),
            s.questions_dropped_from_grades,
            s.grades_dropped
        );
    }
    for m in &r.methods {
        let h = &m.split_half;
        if h.without_fit + h.tied > 0 {
            eprintln!(
                "{}: {} of {} splits left out: {} where a half gave some system no finite score, {} where a half scored every system alike",
                m.method,
                h.without_fit + h.tied,
                h.splits,
                h.without_fit,
                h.tied
            );
        }
        if m.unreadable > 0 {
            let what = match m.method {
                Method::Relative => "invalid verdicts",
                Method::Absolute => "null grades",
            };
            eprintln!("{}: {} {what} left out", m.method, m.unreadable);
        }
        if m.separation.incomplete_rounds > 0 {
            eprintln!(
                "{}: {} of {} bootstrap rounds left some system without a finite score",
                m.method, m.separation.incomplete_rounds, r.settings.bootstrap
            );
        }
    }
}
