use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use longforge_datasets::atomic::StagedDir;
use longforge_datasets::{jsonl, Judgment, Manifest};
use longforge_judges::absolute::GradeSet;
use longforge_judges::rank::Ranking;
use longforge_judges::SummaryRow;
use longforge_reports::site::{build, JudgmentFile, SiteInput};

use crate::paths::{canonical, refuse_overwriting_inputs};

#[derive(clap::Args)]
pub struct Args {
    /// Summary rows from `score --summary` (several files are joined: one per family, say).
    #[arg(long, num_args = 1.., required = true)]
    summary: Vec<PathBuf>,
    /// Ratings from `rank --out` (JSON).
    #[arg(long)]
    ratings: Option<PathBuf>,
    /// Judgments from `judge --out`; the judging settings written beside each (FILE.judge.json)
    /// are read when present.
    #[arg(long, num_args = 1..)]
    judgments: Vec<PathBuf>,
    /// Grades from `grade --out`.
    #[arg(long, num_args = 1..)]
    grades: Vec<PathBuf>,
    /// Dataset folders the figures were scored on: their manifests give the methodology's
    /// scorers, generators, seeds and tokenizers.
    #[arg(long, num_args = 1..)]
    dataset: Vec<PathBuf>,
    /// The summary rows of the leaderboard this one replaces: rank changes and figures whose
    /// intervals no longer overlap are marked.
    #[arg(long, num_args = 1..)]
    compare: Vec<PathBuf>,
    #[arg(long, default_value = "longforge leaderboard")]
    title: String,
    /// The site's folder (index.html, leaderboard.md, .csv, .json, pages, img/).
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing folder.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<()> {
    let mut inputs: Vec<PathBuf> = Vec::new();
    inputs.extend(args.summary.iter().cloned());
    inputs.extend(args.compare.iter().cloned());
    inputs.extend(args.ratings.iter().cloned());
    inputs.extend(args.judgments.iter().cloned());
    inputs.extend(
        args.judgments
            .iter()
            .map(|j| j.with_extension("judge.json")),
    );
    inputs.extend(args.grades.iter().cloned());
    inputs.extend(args.dataset.iter().cloned());
    refuse_twice(&inputs)?;
    refuse_overwriting_inputs(&args.out, None, &inputs)?;
    // --force replaces a site `report` made, never another folder.
    if args.out.is_file() {
        bail!(
            "--out {} is a file; give a folder for the site",
            args.out.display()
        );
    }
    if args.force
        && args.out.is_dir()
        && !args.out.join("leaderboard.json").is_file()
        && std::fs::read_dir(&args.out)?.next().is_some()
    {
        bail!(
            "--out {} holds files but no site made by `longforge report` (no leaderboard.json); --force replaces only such a folder, so choose another --out",
            args.out.display()
        );
    }
    let summary = read_summaries(&args.summary)?;
    let previous = if args.compare.is_empty() {
        None
    } else {
        Some(read_summaries(&args.compare)?)
    };
    let ranking = match &args.ratings {
        Some(path) => {
            let text = std::fs::read(path).with_context(|| path.display().to_string())?;
            let ranking: Ranking = serde_json::from_slice(&text).with_context(|| {
                format!(
                    "{}: not the ratings `longforge rank --out` writes",
                    path.display()
                )
            })?;
            Some(ranking)
        }
        None => None,
    };
    let mut judgments = Vec::new();
    for path in &args.judgments {
        let rows: Vec<Judgment> = jsonl::read(path)?;
        let settings_path = path.with_extension("judge.json");
        let settings = if settings_path.is_file() {
            let text = std::fs::read(&settings_path)
                .with_context(|| settings_path.display().to_string())?;
            Some(
                serde_json::from_slice(&text)
                    .with_context(|| format!("{}: not JSON", settings_path.display()))?,
            )
        } else {
            None
        };
        judgments.push(JudgmentFile {
            name: file_name(path),
            judgments: rows,
            settings,
        });
    }
    // Read as `reliability` reads them: a grade outside 1 to 10, or an answer graded twice by
    // one grader, is refused with its file and line.
    let mut grade_set = GradeSet::default();
    for path in &args.grades {
        grade_set.read(path)?;
    }
    let grades = grade_set.grades;
    let mut datasets = Vec::new();
    for dir in &args.dataset {
        datasets.push((file_name(dir), Manifest::read(dir)?));
    }
    let input = SiteInput {
        title: args.title.clone(),
        summary,
        ranking,
        judgments,
        grades,
        datasets,
        previous,
    };
    let files = build(&input)?;
    let stage = StagedDir::new(&args.out, args.force)?;
    let mut bytes = 0;
    for f in &files {
        let path = stage.path().join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| parent.display().to_string())?;
        }
        std::fs::write(&path, &f.bytes).with_context(|| path.display().to_string())?;
        bytes += f.bytes.len();
    }
    let out = stage.commit()?;
    eprintln!(
        "wrote {} files ({:.1} MB) to {}; open {}",
        files.len(),
        bytes as f64 / 1e6,
        out.display(),
        out.join("index.html").display()
    );
    Ok(())
}

/// A summary row the leaderboard can show: a named model, a value in [0, 1] (or none, with no
/// samples behind it), an interval around it within [0, 1], at the level of the first row.
fn check_row(r: &SummaryRow, here: &str, first: Option<&SummaryRow>) -> Result<()> {
    let unit = |v: f64| (0.0..=1.0).contains(&v);
    if r.model.trim().is_empty() {
        bail!("{here}: `model` is empty");
    }
    match r.value {
        Some(v) if !unit(v) => bail!("{here}: `value` {v} is outside [0, 1]"),
        None if r.n > 0 => bail!(
            "{here}: `value` is null but `n` is {}; a figure without a value has no samples behind it",
            r.n
        ),
        _ => {}
    }
    for (field, bound) in [("ci_low", r.ci_low), ("ci_high", r.ci_high)] {
        if let Some(b) = bound.filter(|b| !unit(*b)) {
            bail!("{here}: `{field}` {b} is outside [0, 1]");
        }
    }
    if let (Some(v), Some(lo), Some(hi)) = (r.value, r.ci_low, r.ci_high) {
        if !(lo <= v + 1e-9 && v <= hi + 1e-9) {
            bail!("{here}: the interval [{lo}, {hi}] does not hold `value` {v}");
        }
    }
    if let Some(first) = first {
        if (first.level - r.level).abs() > 1e-12 {
            bail!(
                "{here}: `level` {} differs from the first row's {}; score every model at one level",
                r.level,
                first.level
            );
        }
    }
    Ok(())
}

/// Refuses a file given twice (under any spelling), which would count its rows twice.
fn refuse_twice(inputs: &[PathBuf]) -> Result<()> {
    let mut seen: BTreeMap<PathBuf, &PathBuf> = BTreeMap::new();
    for p in inputs.iter().filter(|p| p.exists()) {
        if let Some(first) = seen.insert(canonical(p), p) {
            bail!(
                "{} is given twice (also as {}); give each file once",
                p.display(),
                first.display()
            );
        }
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The rows of every file, refusing a figure given twice (the same model, family, task,
/// metric and cell in two files, or twice in one) since the leaderboard would show one of two
/// different numbers.
fn read_summaries(paths: &[PathBuf]) -> Result<Vec<SummaryRow>> {
    let mut rows: Vec<SummaryRow> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for path in paths {
        let file: Vec<SummaryRow> = jsonl::read(path)?;
        for (i, r) in file.iter().enumerate() {
            let key = format!(
                "{} {}/{} {} {}",
                r.model,
                r.family,
                r.task,
                r.metric,
                serde_json::Value::Object(r.axes.clone())
            );
            let here = format!("{} line {}", path.display(), i + 1);
            check_row(r, &here, rows.first().or(file.first()))?;
            if let Some(first) = seen.insert(key.clone(), here.clone()) {
                bail!("{here}: the figure `{key}` is also given at {first}; give each model's summary once");
            }
        }
        rows.extend(file);
    }
    if rows.is_empty() {
        bail!(
            "no summary rows in {}; make them with `longforge score --summary FILE`",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(rows)
}
