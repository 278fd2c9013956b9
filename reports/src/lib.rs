//! Reports for people: the Markdown report `longforge demo` and `longforge score --report`
//! write, from the summary the judges produced. Templates are minijinja files shipped in the
//! binary, so the layout can be read and changed without touching the code.

use std::collections::{BTreeMap, BTreeSet};

use longforge_datasets::Manifest;
use longforge_judges::rank::Ranking;
use longforge_judges::Summary;
use serde::Serialize;

const REPORT: &str = include_str!("../templates/report.md.j2");

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("report template: {0}")]
    Template(#[from] minijinja::Error),
}

/// The pairwise section of a report: the ranking, and each model's mean rubric grade on the same
/// answers, so the relative and absolute methods can be read side by side.
pub struct Judging<'a> {
    pub ranking: &'a Ranking,
    pub mean_grades: BTreeMap<String, f64>,
}

/// A dataset as the report describes it.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetLine {
    pub name: String,
    pub family: String,
    pub task: String,
    pub samples: u64,
    pub generator: String,
    pub seed: u64,
    pub tokenizer: String,
}

impl DatasetLine {
    pub fn from_manifest(name: &str, m: &Manifest) -> Self {
        DatasetLine {
            name: name.to_string(),
            family: m.generator.name.clone(),
            task: m
                .params
                .get("task")
                .and_then(|t| t.as_str())
                .unwrap_or("-")
                .to_string(),
            samples: m.counts.get("samples").copied().unwrap_or(0),
            generator: m.generator.version.clone(),
            seed: m.seed,
            tokenizer: m.tokenizer.clone(),
        }
    }
}

#[derive(Serialize)]
struct LeaderRow {
    model: String,
    cells: Vec<String>,
    mean: String,
}

#[derive(Serialize)]
struct Grid {
    task: String,
    column_name: &'static str,
    columns: Vec<String>,
    rows: Vec<GridRow>,
}

/// Per row (model, length order, length): per column (score sum, samples), extracted sum, samples.
type RowSums = BTreeMap<(String, u64, String), (BTreeMap<String, (f64, usize)>, f64, usize)>;

#[derive(Serialize)]
struct GridRow {
    model: String,
    length: String,
    values: Vec<String>,
    extracted: String,
}

/// Renders the Markdown report. Models are ranked by their mean over tasks, best first.
pub fn markdown(
    title: &str,
    datasets: &[DatasetLine],
    summary: &Summary,
    judging: Option<&Judging>,
) -> Result<String, ReportError> {
    let tasks: Vec<String> = summary
        .overall
        .iter()
        .map(|c| task_label(&c.key))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut per_model: BTreeMap<&str, BTreeMap<String, f64>> = BTreeMap::new();
    for c in &summary.overall {
        per_model
            .entry(&c.key.model)
            .or_default()
            .insert(task_label(&c.key), c.score);
    }
    let mut leaderboard: Vec<(f64, LeaderRow)> = per_model
        .iter()
        .map(|(model, scores)| {
            let mean = scores.values().sum::<f64>() / scores.len().max(1) as f64;
            let cells = tasks
                .iter()
                .map(|t| scores.get(t).map_or("-".into(), |v| format!("{v:.3}")))
                .collect();
            (
                mean,
                LeaderRow {
                    model: model.to_string(),
                    cells,
                    mean: format!("{mean:.3}"),
                },
            )
        })
        .collect();
    leaderboard.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.model.cmp(&b.1.model)));

    let grids = tasks
        .iter()
        .map(|task| grid(task, summary))
        .collect::<Vec<_>>();
    let mut env = minijinja::Environment::new();
    env.add_template("report", REPORT)?;
    let out = env.get_template("report")?.render(minijinja::context! {
        title, datasets, tasks, grids,
        ranking => judging.map(|j| j.ranking),
        grades => judging.map(|j| &j.mean_grades),
        leaderboard => leaderboard.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
    })?;
    Ok(out)
}

fn grid(task: &str, summary: &Summary) -> Grid {
    let cells: Vec<_> = summary
        .cells
        .iter()
        .filter(|c| task_label(&c.key) == task)
        .collect();
    let by_links =
        cells.iter().any(|c| c.key.links != "-") && cells.iter().all(|c| c.key.depth == "-");
    let column = |c: &&longforge_judges::CellSummary| {
        if by_links {
            c.key.links.clone()
        } else {
            c.key.depth.clone()
        }
    };
    let mut columns: Vec<String> = cells
        .iter()
        .map(column)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    columns.sort_by_key(|c| (c.parse::<f64>().unwrap_or(f64::MAX) * 1000.0) as i64);
    let mut rows: RowSums = BTreeMap::new();
    for c in &cells {
        let length_order = length_order(&c.key.length);
        let row = rows
            .entry((c.key.model.clone(), length_order, c.key.length.clone()))
            .or_default();
        let e = row.0.entry(column(c)).or_insert((0.0, 0));
        e.0 += c.score * c.samples as f64;
        e.1 += c.samples;
        row.1 += c.extracted * c.samples as f64;
        row.2 += c.samples;
    }
    Grid {
        task: task.to_string(),
        column_name: if by_links { "links" } else { "depth" },
        rows: rows
            .into_iter()
            .map(|((model, _, length), (values, ex, n))| GridRow {
                model,
                length,
                values: columns
                    .iter()
                    .map(|c| {
                        values
                            .get(c)
                            .map_or("-".into(), |(s, n)| format!("{:.2}", s / *n as f64))
                    })
                    .collect(),
                extracted: format!("{:.2}", ex / n.max(1) as f64),
            })
            .collect(),
        columns,
    }
}

/// `atc` for English, `atc (zh)` for another language.
fn task_label(key: &longforge_judges::metrics::CellKey) -> String {
    if key.lang == "en" {
        key.task.clone()
    } else {
        format!("{} ({})", key.task, key.lang)
    }
}

/// Sorts `4k` before `32k` before `1m`, and `none` first.
fn length_order(label: &str) -> u64 {
    let (digits, scale) = match label.chars().last() {
        Some('k') => (&label[..label.len() - 1], 1_000),
        Some('m') => (&label[..label.len() - 1], 1_000_000),
        _ => (label, 1),
    };
    digits.parse::<u64>().map_or(0, |n| n * scale)
}
