use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use longforge_datasets::atomic::StagedDir;
use longforge_datasets::{jsonl, Grade, Judgment, Manifest};
use longforge_judges::rank::Ranking;
use longforge_judges::SummaryRow;
use longforge_reports::site::{build, JudgmentFile, SiteInput};

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
    let mut grades: Vec<Grade> = Vec::new();
    for path in &args.grades {
        grades.extend(jsonl::read::<Grade>(path)?);
    }
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
            if let Some(first) = seen.insert(key.clone(), here.clone()) {
                bail!("{here}: the figure `{key}` is also given at {first}; give each model's summary once");
            }
        }
        rows.extend(file);
    }
    if rows.is_empty() {
        bail!(
            "{} hold no summary rows; make them with `longforge score --summary FILE`",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(rows)
}
