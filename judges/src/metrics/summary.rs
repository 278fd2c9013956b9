//! Summaries: the figures of every `(model, family, task, axes)` cell, as `score --summary`
//! writes them and every report reads them.

use std::collections::{BTreeMap, HashMap};

use longforge_datasets::{Sample, Score};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::CellScore;
use crate::scorers::Scoring;
use crate::JudgeError;

/// One figure of one model on one cell of a task (or on the whole task, where `axes` is `{}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryRow {
    pub model: String,
    pub family: String,
    pub task: String,
    /// The figure's name: a scorer value under `mean` (`exact_match`, `extraction_rate`), or a
    /// grouped metric's own (`pair_accuracy`).
    pub metric: String,
    /// In `[0, 1]`; null when the cell has no scored sample.
    pub value: Option<f64>,
    /// Samples (or groups, for grouped metrics) behind `value`.
    pub n: usize,
    /// Interval bounds at `level`; null where undefined (no samples, or a t interval over one).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub level: f64,
    /// The cell's axis values in the family's order; `{}` for the task as a whole.
    pub axes: Map<String, Value>,
    /// Samples of the cell the model has no prediction for: not scored, not in `n`.
    pub missing: usize,
    /// Predictions in the cell that are failed or skipped requests: scored as empty answers.
    #[serde(default)]
    pub unanswered: usize,
    /// Answers in the cell cut off by the token limit (`finish_reason: "length"`).
    #[serde(default)]
    pub truncated: usize,
}

/// The figures of every model on every task and cell. `samples` are the datasets' samples (in
/// file order, which orders the cells), `scores` the rows `score` wrote. A model gets rows for a
/// task once it has a score on any of its samples; cells it has no prediction for get rows with
/// `n` 0 and a `missing` count. Rows are sorted by model, family and task; within a task the
/// whole-task figures come first, then cells in the order their first sample appears. For a
/// metric that asks for them ([`super::Metric::by_each_axis`]), each axis alone follows (for
/// tasks of two axes or more: `{"length": "32k"}`, then `{"kind": "local"}` ...), and for a
/// metric over attempted groups, the figures on the groups every model scored on the task
/// attempted, under `{"pairs": "common"}`.
pub fn summarise(
    samples: &[Sample],
    scores: &[Score],
    scoring: &Scoring,
    level: f64,
) -> Result<Vec<SummaryRow>, JudgeError> {
    let index: HashMap<&str, &Sample> = samples.iter().map(|s| (s.id.as_str(), s)).collect();
    // Per (model, sample): the values in the order the scores were written, and whether the
    // answer was unanswered or cut off (from the headline row's details).
    let mut values: BTreeMap<(&str, &str), Vec<(String, f64)>> = BTreeMap::new();
    let mut unanswered: std::collections::HashSet<(&str, &str)> = Default::default();
    let mut truncated: std::collections::HashSet<(&str, &str)> = Default::default();
    for s in scores {
        if !index.contains_key(s.sample_id.as_str()) {
            return Err(JudgeError::UnknownSample {
                file: "scores".into(),
                sample_id: s.sample_id.clone(),
                model: s.model.clone(),
            });
        }
        let key = (s.model.as_str(), s.sample_id.as_str());
        if s.details
            .get("status")
            .and_then(Value::as_str)
            .is_some_and(|st| st != "answered")
        {
            unanswered.insert(key);
        }
        if s.details.get("finish_reason").and_then(Value::as_str) == Some("length") {
            truncated.insert(key);
        }
        values
            .entry(key)
            .or_default()
            .push((s.metric.clone(), s.value));
    }
    // Cells of each task, in sample order: (family, task) -> [(axes, samples)].
    type Cells<'a> = Vec<(Map<String, Value>, Vec<&'a Sample>)>;
    let mut tasks: BTreeMap<(&str, &str), Cells> = BTreeMap::new();
    for s in samples {
        let cells = tasks.entry((&s.family, &s.task)).or_default();
        let axes = s.axes();
        match cells.iter_mut().find(|(a, _)| *a == axes) {
            Some((_, members)) => members.push(s),
            None => cells.push((axes, vec![s])),
        }
    }
    let models: Vec<&str> = {
        let mut m: Vec<&str> = values.keys().map(|(m, _)| *m).collect();
        m.dedup();
        m
    };
    // Per task and grouped metric: the groups every model scored on the task attempted.
    let mut common: BTreeMap<(&str, &str, usize), std::collections::BTreeSet<String>> =
        BTreeMap::new();
    for ((family, task), cells) in &tasks {
        let all: Vec<&Sample> = cells.iter().flat_map(|(_, m)| m.iter().copied()).collect();
        let spec = scoring.task(all[0])?;
        for (m, metric) in spec.metrics.iter().enumerate() {
            for model in &models {
                let cell = scored_cell(&values, model, &all);
                if cell.is_empty() {
                    continue;
                }
                let Some(groups) = metric.attempted_groups(&cell) else {
                    break;
                };
                let key = (*family, *task, m);
                let kept = match common.remove(&key) {
                    Some(known) => known.intersection(&groups).cloned().collect(),
                    None => groups,
                };
                common.insert(key, kept);
            }
        }
    }
    let mut rows = Vec::new();
    for model in models {
        for ((family, task), cells) in &tasks {
            let all: Vec<&Sample> = cells.iter().flat_map(|(_, m)| m.iter().copied()).collect();
            if !all
                .iter()
                .any(|s| values.contains_key(&(model, s.id.as_str())))
            {
                continue;
            }
            let spec = scoring.task(all[0])?;
            let names = spec.scorer.values();
            // Per axis alone, its values in first-seen order, for tasks of two axes or more.
            let mut margins: Vec<(Map<String, Value>, Vec<&Sample>)> = Vec::new();
            let axis_names: Vec<String> = cells
                .first()
                .map(|(axes, _)| axes.keys().cloned().collect())
                .unwrap_or_default();
            if axis_names.len() >= 2 {
                for name in &axis_names {
                    for &s in &all {
                        let Some(v) = s.axes().get(name).cloned() else {
                            continue;
                        };
                        let mut axes = Map::new();
                        axes.insert(name.clone(), v);
                        match margins.iter_mut().find(|(a, _)| *a == axes) {
                            Some((_, members)) => members.push(s),
                            None => margins.push((axes, vec![s])),
                        }
                    }
                }
            }
            let mut commons: Vec<(usize, Map<String, Value>, Vec<&Sample>)> = Vec::new();
            for (m, metric) in spec.metrics.iter().enumerate() {
                if let Some(groups) = common.get(&(*family, *task, m)) {
                    let members: Vec<&Sample> = all
                        .iter()
                        .copied()
                        .filter(|s| metric.group_of(s).is_some_and(|g| groups.contains(&g)))
                        .collect();
                    let mut axes = Map::new();
                    axes.insert("pairs".into(), Value::String("common".into()));
                    commons.push((m, axes, members));
                }
            }
            let whole = (Map::new(), all);
            // A cell without axes is the whole task again; it is not repeated.
            let cells = cells.iter().filter(|(axes, _)| !axes.is_empty());
            let everyone = cells
                .map(|(axes, members)| (None, axes, members))
                .chain(
                    margins
                        .iter()
                        .map(|(axes, members)| (Some(None), axes, members)),
                )
                .chain(
                    commons
                        .iter()
                        .map(|(m, axes, members)| (Some(Some(*m)), axes, members)),
                );
            // `None`: every metric; `Some(None)`: metrics asking for margins; `Some(Some(m))`:
            // metric `m` alone.
            let whole_task = std::iter::once((None, &whole.0, &whole.1));
            for (only, axes, members) in whole_task.chain(everyone) {
                let cell: Vec<CellScore> = scored_cell(&values, model, members);
                let missing = members.len() - cell.len();
                let count = |set: &std::collections::HashSet<(&str, &str)>| {
                    members
                        .iter()
                        .filter(|s| set.contains(&(model, s.id.as_str())))
                        .count()
                };
                let (cell_unanswered, cell_truncated) = (count(&unanswered), count(&truncated));
                for (m, metric) in spec.metrics.iter().enumerate() {
                    let applies = match only {
                        None => true,
                        Some(None) => metric.by_each_axis(),
                        Some(Some(only)) => only == m,
                    };
                    if !applies {
                        continue;
                    }
                    for f in metric.aggregate(&cell, names, level) {
                        rows.push(SummaryRow {
                            model: model.to_string(),
                            family: family.to_string(),
                            task: task.to_string(),
                            metric: f.metric,
                            value: f.value,
                            n: f.n,
                            ci_low: f.ci_low,
                            ci_high: f.ci_high,
                            level,
                            axes: axes.clone(),
                            missing,
                            unanswered: cell_unanswered,
                            truncated: cell_truncated,
                        });
                    }
                }
            }
        }
    }
    Ok(rows)
}

/// The scores `model` has on `members`, in their order.
fn scored_cell<'a>(
    values: &'a BTreeMap<(&'a str, &'a str), Vec<(String, f64)>>,
    model: &'a str,
    members: &[&'a Sample],
) -> Vec<CellScore<'a>> {
    members
        .iter()
        .filter_map(|s| {
            values.get(&(model, s.id.as_str())).map(|v| CellScore {
                sample: s,
                values: v,
            })
        })
        .collect()
}
