//! Reports for people. Dataset cards ([`card`]): the `README.md` and `evidence.svg` written
//! beside every dataset folder. And, from the summary rows `score --summary` writes (see
//! [`longforge_judges::SummaryRow`]): the terminal table, and the Markdown report that
//! `longforge demo` and `longforge score --report` write. Nothing here knows a family: grids
//! are drawn from each sample's `axes`, headers from the figures' names. Templates are minijinja
//! files shipped in the binary, so the layout can be read and changed without touching code.

pub mod card;
pub mod plots;
pub mod site;
mod table;

pub use card::{write_card, Card, CARD_FILE, EVIDENCE_SVG};
pub use table::{axes_text, axis_text, cells, score_table, value_text, Table, UNDEFINED};

use std::collections::BTreeMap;

use longforge_datasets::Manifest;
use longforge_judges::rank::Ranking;
use longforge_judges::SummaryRow;
use serde::Serialize;

const REPORT: &str = include_str!("../templates/report.md.j2");

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The cause is printed by the error chain, once.
    #[error("report template")]
    Template(#[from] minijinja::Error),
    #[error(transparent)]
    Dataset(#[from] longforge_datasets::DatasetError),
    /// Drawing a picture failed (plotters' message).
    #[error("drawing evidence.svg: {0}")]
    Plot(String),
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
            task: m.scoring.keys().cloned().collect::<Vec<_>>().join(", "),
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

/// A task's headline as the leaderboard's column heading explains it.
#[derive(Serialize)]
struct TaskColumn {
    label: String,
    figure: String,
}

/// One task drawn as a grid: rows are a model and every axis but the last, columns the last
/// axis's values, entries the headline figure; the other figures follow as columns over the row.
#[derive(Serialize)]
struct Grid {
    task: String,
    figure: String,
    row_axes: Vec<String>,
    column_axis: String,
    columns: Vec<String>,
    others: Vec<String>,
    rows: Vec<GridRow>,
}

#[derive(Serialize)]
struct GridRow {
    model: String,
    keys: Vec<String>,
    values: Vec<String>,
    others: Vec<String>,
}

/// Renders the Markdown report: the leaderboard (each task's headline figure over the whole
/// task, models ranked by their mean over tasks, best first), the pairwise ranking when given,
/// a grid per task with axes, and every figure of every cell.
pub fn markdown(
    title: &str,
    datasets: &[DatasetLine],
    summary: &[SummaryRow],
    judging: Option<&Judging>,
) -> Result<String, ReportError> {
    let cells = cells(summary);
    // Tasks in first-seen order, keyed by (family, task).
    let mut tasks: Vec<(String, String, String)> = Vec::new();
    for c in &cells {
        let key = (c[0].family.clone(), c[0].task.clone(), c[0].metric.clone());
        if !tasks.iter().any(|t| t.0 == key.0 && t.1 == key.1) {
            tasks.push(key);
        }
    }
    let families: std::collections::BTreeSet<&String> = tasks.iter().map(|t| &t.0).collect();
    let label = |family: &str, task: &str| {
        if families.len() > 1 {
            format!("{family}/{task}")
        } else {
            task.to_string()
        }
    };
    // Per model, per task: the headline over the whole task and the samples missing.
    let mut per_model: BTreeMap<&str, BTreeMap<usize, (Option<f64>, usize)>> = BTreeMap::new();
    for c in cells.iter().filter(|c| c[0].axes.is_empty()) {
        let t = tasks
            .iter()
            .position(|t| t.0 == c[0].family && t.1 == c[0].task)
            .unwrap_or(0);
        per_model
            .entry(&c[0].model)
            .or_default()
            .insert(t, (c[0].value, c[0].missing));
    }
    // The same overall figure as the site's: the mean of the families' figures, each family
    // the mean of its tasks'.
    let overall: BTreeMap<String, Option<f64>> = site::board(summary, None, None)
        .rows
        .into_iter()
        .map(|r| (r.model, r.overall.value))
        .collect();
    let mut leaderboard: Vec<(f64, LeaderRow)> = per_model
        .iter()
        .map(|(model, values)| {
            let mean = overall.get(*model).copied().flatten();
            let cells = (0..tasks.len())
                .map(|t| match values.get(&t) {
                    None => "-".into(),
                    Some((v, 0)) => value_text(*v),
                    Some((v, missing)) => format!("{} ({missing} missing)", value_text(*v)),
                })
                .collect();
            (
                mean.unwrap_or(f64::NEG_INFINITY),
                LeaderRow {
                    model: model.to_string(),
                    cells,
                    mean: value_text(mean),
                },
            )
        })
        .collect();
    leaderboard.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.model.cmp(&b.1.model)));
    let grids: Vec<Grid> = tasks
        .iter()
        .filter_map(|(family, task, _)| grid(&label(family, task), family, task, &cells))
        .collect();
    let columns: Vec<TaskColumn> = tasks
        .iter()
        .map(|(f, t, figure)| TaskColumn {
            label: label(f, t),
            figure: figure.clone(),
        })
        .collect();
    let level = summary.first().map_or(0.95, |r| r.level);
    let mut env = minijinja::Environment::new();
    env.add_template("report", REPORT)?;
    let out = env.get_template("report")?.render(minijinja::context! {
        title, datasets, grids,
        tasks => columns,
        level_percent => (level * 100.0).round() as i64,
        figures => score_table(summary).to_markdown(),
        ranking => judging.map(|j| j.ranking),
        grades => judging.map(|j| &j.mean_grades),
        leaderboard => leaderboard.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
    })?;
    Ok(out)
}

fn grid(label: &str, family: &str, task: &str, cells: &[Vec<&SummaryRow>]) -> Option<Grid> {
    let cells: Vec<&Vec<&SummaryRow>> = cells
        .iter()
        .filter(|c| c[0].family == family && c[0].task == task && !c[0].axes.is_empty())
        .collect();
    let axis_names: Vec<String> = cells.first()?[0].axes.keys().cloned().collect();
    // The grid's own cells only: a figure by one axis alone, or over the pairs every model
    // attempted, is in the table of every figure.
    let cells: Vec<&Vec<&SummaryRow>> = cells
        .into_iter()
        .filter(|c| c[0].axes.keys().eq(axis_names.iter()))
        .collect();
    let (column_axis, row_axes) = axis_names.split_last()?;
    let figure = cells[0][0].metric.clone();
    let others: Vec<String> = cells[0].iter().skip(1).map(|r| r.metric.clone()).collect();
    let value_of = |c: &Vec<&SummaryRow>, name: &str| -> String {
        c[0].axes.get(name).map_or_else(|| "-".into(), axis_text)
    };
    let mut columns: Vec<String> = Vec::new();
    // Rows keyed by model and row-axis values, in first-seen order: per column the headline,
    // and per other figure its (n-weighted sum, n) over the row.
    type Row = (
        String,
        Vec<String>,
        BTreeMap<String, String>,
        Vec<(f64, usize)>,
    );
    let mut rows: Vec<Row> = Vec::new();
    for c in &cells {
        let column = value_of(c, column_axis);
        if !columns.contains(&column) {
            columns.push(column.clone());
        }
        let keys: Vec<String> = row_axes.iter().map(|a| value_of(c, a)).collect();
        let at = match rows.iter().position(|r| r.0 == c[0].model && r.1 == keys) {
            Some(at) => at,
            None => {
                rows.push((
                    c[0].model.clone(),
                    keys,
                    BTreeMap::new(),
                    vec![(0.0, 0); others.len()],
                ));
                rows.len() - 1
            }
        };
        let row = &mut rows[at];
        let headline = c[0]
            .value
            .map_or_else(|| UNDEFINED.into(), |v| format!("{v:.2}"));
        row.2.insert(column, headline);
        for (i, name) in others.iter().enumerate() {
            if let Some(r) = c.iter().find(|r| &r.metric == name) {
                if let Some(v) = r.value {
                    row.3[i].0 += v * r.n as f64;
                    row.3[i].1 += r.n;
                }
            }
        }
    }
    Some(Grid {
        task: label.to_string(),
        figure,
        row_axes: row_axes.to_vec(),
        column_axis: column_axis.clone(),
        rows: rows
            .into_iter()
            .map(|(model, keys, values, sums)| GridRow {
                model,
                keys,
                values: columns
                    .iter()
                    .map(|c| values.get(c).cloned().unwrap_or_else(|| "-".into()))
                    .collect(),
                others: sums
                    .iter()
                    .map(|(s, n)| {
                        if *n == 0 {
                            UNDEFINED.into()
                        } else {
                            format!("{:.2}", s / *n as f64)
                        }
                    })
                    .collect(),
            })
            .collect(),
        columns,
        others,
    })
}
