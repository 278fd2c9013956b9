//! The leaderboard: one row per model, with its overall figure, one per family and one per task
//! (each with its interval and `n`), and its Bradley-Terry rating beside them.
//!
//! A task's figure is its headline (the first figure `score --summary` writes for the task, the
//! scorer's own headline) over the whole task. A family's figure is the mean of its tasks'
//! figures, and the overall figure the mean of the families' figures, so a family with six
//! tasks weighs no more than one with one; both pool intervals as [`pool`] says. Rows are
//! ordered by the overall figure, best first (ties by name); models known only from the
//! ratings follow, by rating.

use std::collections::{BTreeMap, BTreeSet};

use longforge_judges::rank::Ranking;
use longforge_judges::SummaryRow;
use serde::Serialize;

use super::figure::{pool, Figure};

/// A task's column: its family, its name and the headline figure it shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskColumn {
    pub family: String,
    pub task: String,
    pub metric: String,
}

/// The families in name order, each with its tasks in the order the summary gives them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyColumns {
    pub family: String,
    pub tasks: Vec<TaskColumn>,
}

/// A model's Bradley-Terry rating as the leaderboard shows it (bounds `None` when unbounded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingCell {
    pub rating: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub rank_low: usize,
    pub rank_high: usize,
}

/// A figure whose interval no longer overlaps the one in the previous leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    /// `overall`, a family's name, or `family/task`.
    pub figure: String,
    pub before: Figure,
    pub now: Figure,
    /// `up` or `down`.
    pub direction: &'static str,
}

/// How a row changed since the previous leaderboard (`--compare`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Its rank then; `None` for a model new to the leaderboard.
    pub previous_rank: Option<usize>,
    /// Places gained (positive) or lost (negative); `None` for a new model.
    pub rank_change: Option<i64>,
    pub moved: Vec<Moved>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// 1 for the first row.
    pub rank: usize,
    pub model: String,
    pub overall: Figure,
    /// Tasks with a figure out of all tasks: the overall figure of a model that skipped a
    /// family is not comparable with the others', and the pages say so.
    pub tasks_covered: usize,
    /// Per family, in [`Board::families`] order.
    pub families: Vec<Option<Figure>>,
    /// Per task, in [`Board::tasks`] order.
    pub tasks: Vec<Option<Figure>>,
    pub rating: Option<RatingCell>,
    pub change: Option<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Board {
    /// The intervals' level (from the summary rows; 0.95 when there are none).
    pub level: f64,
    pub families: Vec<FamilyColumns>,
    pub rows: Vec<Row>,
    /// Models of the previous leaderboard no longer on this one (`--compare`).
    pub dropped: Vec<String>,
}

impl Board {
    /// Every task column, in family order.
    pub fn tasks(&self) -> impl Iterator<Item = &TaskColumn> {
        self.families.iter().flat_map(|f| f.tasks.iter())
    }
}

/// Builds the leaderboard from summary rows, ratings and, with `previous`, the summary rows of
/// the leaderboard it replaces.
pub fn board(
    summary: &[SummaryRow],
    ranking: Option<&Ranking>,
    previous: Option<&[SummaryRow]>,
) -> Board {
    let mut board = figures(summary, ranking);
    if let Some(previous) = previous {
        let before = figures(previous, None);
        let old: BTreeMap<&str, &Row> = before.rows.iter().map(|r| (r.model.as_str(), r)).collect();
        let old_tasks: Vec<String> = before
            .tasks()
            .map(|t| format!("{}/{}", t.family, t.task))
            .collect();
        let old_families: Vec<&str> = before.families.iter().map(|f| f.family.as_str()).collect();
        let new_tasks: Vec<String> = board
            .tasks()
            .map(|t| format!("{}/{}", t.family, t.task))
            .collect();
        let new_families: Vec<String> = board.families.iter().map(|f| f.family.clone()).collect();
        for row in &mut board.rows {
            let Some(then) = old.get(row.model.as_str()) else {
                row.change = Some(Change {
                    previous_rank: None,
                    rank_change: None,
                    moved: Vec::new(),
                });
                continue;
            };
            let mut moved = Vec::new();
            let mut check = |figure: String, now: Option<Figure>, before: Option<Figure>| {
                if let (Some(now), Some(before)) = (now, before) {
                    if now.apart_from(&before) {
                        let up = now.value > before.value;
                        moved.push(Moved {
                            figure,
                            before,
                            now,
                            direction: if up { "up" } else { "down" },
                        });
                    }
                }
            };
            check("overall".into(), Some(row.overall), Some(then.overall));
            for (i, family) in new_families.iter().enumerate() {
                let before = old_families
                    .iter()
                    .position(|f| f == family)
                    .and_then(|j| then.families[j]);
                check(family.clone(), row.families[i], before);
            }
            for (i, task) in new_tasks.iter().enumerate() {
                let before = old_tasks
                    .iter()
                    .position(|t| t == task)
                    .and_then(|j| then.tasks[j]);
                check(task.clone(), row.tasks[i], before);
            }
            row.change = Some(Change {
                previous_rank: Some(then.rank),
                rank_change: Some(then.rank as i64 - row.rank as i64),
                moved,
            });
        }
        let now: BTreeSet<&str> = board.rows.iter().map(|r| r.model.as_str()).collect();
        board.dropped = before
            .rows
            .iter()
            .filter(|r| !now.contains(r.model.as_str()))
            .map(|r| r.model.clone())
            .collect();
    }
    board
}

fn figures(summary: &[SummaryRow], ranking: Option<&Ranking>) -> Board {
    let level = summary.first().map_or(0.95, |r| r.level);
    // Each task's headline over the whole task: the first row of each (model, family, task)
    // with no axes, which `score --summary` writes headline first.
    let mut families: BTreeMap<String, Vec<TaskColumn>> = BTreeMap::new();
    let mut headline: BTreeMap<(&str, &str, &str), Figure> = BTreeMap::new();
    let mut seen: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
    for r in summary.iter().filter(|r| r.axes.is_empty()) {
        let key = (r.model.as_str(), r.family.as_str(), r.task.as_str());
        if !seen.insert(key) {
            continue;
        }
        let tasks = families.entry(r.family.clone()).or_default();
        if !tasks.iter().any(|t| t.task == r.task) {
            tasks.push(TaskColumn {
                family: r.family.clone(),
                task: r.task.clone(),
                metric: r.metric.clone(),
            });
        }
        headline.insert(key, Figure::of(r));
    }
    let families: Vec<FamilyColumns> = families
        .into_iter()
        .map(|(family, tasks)| FamilyColumns { family, tasks })
        .collect();
    let all_tasks = families.iter().map(|f| f.tasks.len()).sum::<usize>();
    let models: BTreeSet<&str> = headline.keys().map(|k| k.0).collect();
    let mut rows: Vec<Row> = models
        .into_iter()
        .map(|model| {
            let mut by_family = Vec::with_capacity(families.len());
            let mut by_task = Vec::with_capacity(all_tasks);
            for f in &families {
                let tasks: Vec<Option<Figure>> = f
                    .tasks
                    .iter()
                    .map(|t| headline.get(&(model, &f.family, &t.task)).copied())
                    .collect();
                let parts: Vec<(f64, Figure)> = tasks.iter().flatten().map(|t| (1.0, *t)).collect();
                by_family.push((!parts.is_empty()).then(|| pool(&parts, level)));
                by_task.extend(tasks);
            }
            let parts: Vec<(f64, Figure)> = by_family.iter().flatten().map(|f| (1.0, *f)).collect();
            Row {
                rank: 0,
                model: model.to_string(),
                overall: pool(&parts, level),
                tasks_covered: by_task.iter().filter(|t| t.is_some()).count(),
                families: by_family,
                tasks: by_task,
                rating: None,
                change: None,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let v = |r: &Row| r.overall.value.unwrap_or(f64::NEG_INFINITY);
        v(b).total_cmp(&v(a)).then_with(|| a.model.cmp(&b.model))
    });
    if let Some(ranking) = ranking {
        for r in &ranking.ratings {
            let cell = RatingCell {
                rating: r.rating,
                ci_low: r.ci_low,
                ci_high: r.ci_high,
                rank_low: r.rank_low,
                rank_high: r.rank_high,
            };
            match rows.iter_mut().find(|row| row.model == r.model) {
                Some(row) => row.rating = Some(cell),
                None => rows.push(Row {
                    rank: 0,
                    model: r.model.clone(),
                    overall: Figure {
                        value: None,
                        ci_low: None,
                        ci_high: None,
                        n: 0,
                    },
                    tasks_covered: 0,
                    families: vec![None; families.len()],
                    tasks: vec![None; all_tasks],
                    rating: Some(cell),
                    change: None,
                }),
            }
        }
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    Board {
        level,
        families,
        rows,
        dropped: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};

    pub(crate) fn row(model: &str, family: &str, task: &str, metric: &str, v: f64) -> SummaryRow {
        SummaryRow {
            model: model.into(),
            family: family.into(),
            task: task.into(),
            metric: metric.into(),
            value: Some(v),
            n: 100,
            ci_low: Some((v - 0.05).max(0.0)),
            ci_high: Some((v + 0.05).min(1.0)),
            level: 0.95,
            axes: Map::new(),
            missing: 0,
            unanswered: 0,
            truncated: 0,
        }
    }

    #[test]
    fn families_weigh_alike_and_rows_sort_best_first() {
        let rows = vec![
            row("a", "lp", "t1", "accuracy", 0.2),
            row("a", "lp", "t1", "extraction_rate", 1.0),
            row("a", "lp", "t2", "accuracy", 0.4),
            row("a", "nc", "claims", "pair_accuracy", 0.9),
            row("b", "lp", "t1", "accuracy", 0.9),
            row("b", "nc", "claims", "pair_accuracy", 0.1),
        ];
        let b = board(&rows, None, None);
        assert_eq!(b.families.len(), 2);
        assert_eq!(b.tasks().count(), 3);
        // a: lp = (0.2 + 0.4) / 2 = 0.3, overall (0.3 + 0.9) / 2 = 0.6; b: (0.9 + 0.1) / 2.
        assert_eq!(b.rows[0].model, "a");
        assert!((b.rows[0].overall.value.unwrap() - 0.6).abs() < 1e-12);
        assert!((b.rows[1].overall.value.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(b.rows[1].tasks_covered, 2);
        assert_eq!(b.rows[1].tasks[1], None);
        assert_eq!(b.families[0].tasks[0].metric, "accuracy");
    }

    #[test]
    fn a_comparison_marks_rank_changes_and_figures_apart() {
        let before = vec![
            row("a", "f", "t", "m", 0.9),
            row("b", "f", "t", "m", 0.5),
            row("gone", "f", "t", "m", 0.1),
        ];
        let now = vec![
            row("a", "f", "t", "m", 0.45),
            row("b", "f", "t", "m", 0.52),
            row("new", "f", "t", "m", 0.3),
        ];
        let b = board(&now, None, Some(&before));
        let find = |m: &str| b.rows.iter().find(|r| r.model == m).unwrap();
        let a = find("a").change.clone().unwrap();
        assert_eq!((a.previous_rank, a.rank_change), (Some(1), Some(-1)));
        assert!(a
            .moved
            .iter()
            .any(|m| m.figure == "overall" && m.direction == "down"));
        assert!(a.moved.iter().any(|m| m.figure == "f/t"));
        let bb = find("b").change.clone().unwrap();
        assert_eq!(bb.rank_change, Some(1));
        assert!(bb.moved.is_empty(), "0.50 and 0.52 overlap");
        assert_eq!(find("new").change.clone().unwrap().previous_rank, None);
        assert_eq!(b.dropped, vec!["gone".to_string()]);
    }

    #[test]
    fn models_only_rated_follow_the_scored_ones() {
        let ranking: Ranking = serde_json::from_value(json!({
            "settings": {"ties": "half", "scale": "elo", "anchor": null, "bootstrap": 10,
                "seed": 1, "level": 0.95, "prior": 0.0, "strong_win_weight": 1.0,
                "control_length": false},
            "tie_parameter": null, "invalid": 0, "degenerate_rounds": 0,
            "rounds_without_a_model": 0,
            "ratings": [
                {"model": "judged-only", "rating": 1100.0, "ci_low": null, "ci_high": 1200.0,
                 "interval_rounds": 10, "partial_interval": false, "rank_low": 1,
                 "rank_high": 1, "battles": 4.0, "win_rate": 1.0},
                {"model": "a", "rating": 900.0, "ci_low": 850.0, "ci_high": 950.0,
                 "interval_rounds": 10, "partial_interval": false, "rank_low": 2,
                 "rank_high": 2, "battles": 4.0, "win_rate": 0.0}
            ]
        }))
        .unwrap();
        let b = board(&[row("a", "f", "t", "m", 0.5)], Some(&ranking), None);
        assert_eq!(b.rows[0].model, "a");
        assert_eq!(b.rows[0].rating.as_ref().unwrap().rank_low, 2);
        assert_eq!(b.rows[1].model, "judged-only");
        assert_eq!(b.rows[1].rank, 2);
        assert_eq!(b.rows[1].overall.value, None);
        let _: Value = serde_json::to_value(&b).unwrap();
    }
}
