//! Which pictures the site draws, decided from the data, never from a family's name: a task
//! with a `length` axis gets its headline by length; axes `length` and `depth` a heatmap per
//! model (NeedleBench's picture), `placement` and `relevant` likewise (HoloBench's); a task
//! scored with `prefix_credit` and `resync_credit` gets them beside its headline by `level`
//! (LongProc's); a task with a `kind` axis and a `true_share` figure gets its headline by kind
//! and each model's share of TRUE answers (NoCha's). Ratings get a forest plot, judgments a
//! win-rate matrix and the judge's position bias. A task without the data draws nothing.

use std::collections::BTreeMap;

use longforge_datasets::Judgment;
use longforge_judges::pairwise::position_bias;
use longforge_judges::rank::Ranking;
use longforge_judges::SummaryRow;
use serde_json::{Map, Value};

use super::figure::{pool, Figure};
use super::{slug, SiteError};
use crate::plots::{self, ForestRow, Heatmap, Point, Series};
use crate::table::axis_text;

/// One picture: where it goes in the site, what it shows, and its SVG.
#[derive(Debug, Clone)]
pub struct Picture {
    /// Relative to the site's root, under `img/`.
    pub file: String,
    /// Also the image's `alt` text.
    pub title: String,
    /// The family page it belongs to, if any.
    pub family: Option<String>,
    /// The task (`family/task`) it draws, if one: shown after the task's table.
    pub task: Option<String>,
    /// The model page it belongs to, if any (a per-model heatmap is on both pages).
    pub model: Option<String>,
    /// Pictures with the same group are shown side by side.
    pub group: String,
    pub svg: String,
}

/// Heatmaps drawn per model where a task has both axes: (columns, rows).
const GRIDS: [(&str, &str); 2] = [("length", "depth"), ("placement", "relevant")];

/// A task's rows, in summary order.
struct TaskRows<'a> {
    family: &'a str,
    task: &'a str,
    headline: String,
    rows: Vec<&'a SummaryRow>,
    /// The axes of the task's full grid (the longest axes of any row).
    grid: Vec<String>,
}

impl<'a> TaskRows<'a> {
    fn has_axis(&self, name: &str) -> bool {
        self.grid.iter().any(|a| a == name)
    }

    fn has_metric(&self, metric: &str) -> bool {
        self.rows.iter().any(|r| r.metric == metric)
    }

    fn models(&self) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !out.contains(&r.model.as_str()) {
                out.push(&r.model);
            }
        }
        out
    }

    /// The values `axis` takes, in the order the summary first gives them.
    fn values(&self, axis: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.rows {
            if let Some(v) = r.axes.get(axis) {
                let v = axis_text(v);
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }

    /// `metric` of `model` per value of `keys`: the summary's own rows by exactly those axes
    /// where it wrote them (a grouped metric's are computed over its groups), else the full
    /// grid's cells pooled, each weighted by its `n`.
    fn by(
        &self,
        model: &str,
        metric: &str,
        keys: &[&str],
        level: f64,
    ) -> BTreeMap<Vec<String>, Figure> {
        let mine = |r: &&&SummaryRow| r.model == model && r.metric == metric;
        let same_keys = |axes: &Map<String, Value>, keys: &[&str]| {
            axes.len() == keys.len() && keys.iter().all(|k| axes.contains_key(*k))
        };
        let values = |axes: &Map<String, Value>| -> Vec<String> {
            keys.iter()
                .map(|k| axes.get(*k).map_or_else(String::new, axis_text))
                .collect()
        };
        let exact: BTreeMap<Vec<String>, Figure> = self
            .rows
            .iter()
            .filter(mine)
            .filter(|r| same_keys(&r.axes, keys))
            .map(|r| (values(&r.axes), Figure::of(r)))
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let grid: Vec<&str> = self.grid.iter().map(String::as_str).collect();
        let mut parts: BTreeMap<Vec<String>, Vec<(f64, Figure)>> = BTreeMap::new();
        for r in self
            .rows
            .iter()
            .filter(mine)
            .filter(|r| same_keys(&r.axes, &grid))
        {
            parts
                .entry(values(&r.axes))
                .or_default()
                .push((r.n as f64, Figure::of(r)));
        }
        parts
            .into_iter()
            .map(|(k, p)| (k, pool(&p, level)))
            .collect()
    }
}

fn tasks(summary: &[SummaryRow]) -> Vec<TaskRows<'_>> {
    let mut out: Vec<TaskRows> = Vec::new();
    for r in summary {
        let at = match out
            .iter()
            .position(|t| t.family == r.family && t.task == r.task)
        {
            Some(at) => at,
            None => {
                out.push(TaskRows {
                    family: &r.family,
                    task: &r.task,
                    headline: String::new(),
                    rows: Vec::new(),
                    grid: Vec::new(),
                });
                out.len() - 1
            }
        };
        let t = &mut out[at];
        if t.headline.is_empty() && r.axes.is_empty() {
            t.headline = r.metric.clone();
        }
        if r.axes.len() > t.grid.len() {
            t.grid = r.axes.keys().cloned().collect();
        }
        t.rows.push(r);
    }
    out.retain(|t| !t.headline.is_empty());
    out
}

fn point(f: &Figure) -> Option<Point> {
    f.value.map(|value| Point {
        value,
        low: f.ci_low,
        high: f.ci_high,
    })
}

/// Every picture of the summary rows, ratings and judgments, in page order.
pub fn pictures(
    summary: &[SummaryRow],
    ranking: Option<&Ranking>,
    judgments: &[Judgment],
) -> Result<Vec<Picture>, SiteError> {
    let level = summary.first().map_or(0.95, |r| r.level);
    let mut out = Vec::new();
    for t in tasks(summary) {
        let name = format!("{}/{}", t.family, t.task);
        let base = format!("img/{}-{}", slug(t.family), slug(t.task));
        let models = t.models();
        // Every picture of this task sits on its family's page, after the task's table.
        let task_picture =
            |file: String, svg: String, title: String, model: Option<String>, group: String| {
                Picture {
                    file,
                    svg,
                    title,
                    family: Some(t.family.to_string()),
                    task: Some(name.clone()),
                    model,
                    group,
                }
            };
        let series_by = |metric: &str, axis: &str, values: &[String]| -> Vec<Series> {
            models
                .iter()
                .map(|m| {
                    let by = t.by(m, metric, &[axis], level);
                    Series {
                        name: m.to_string(),
                        points: values
                            .iter()
                            .map(|v| by.get(&vec![v.clone()]).and_then(point))
                            .collect(),
                    }
                })
                .filter(|s| s.points.iter().any(Option::is_some))
                .collect()
        };
        if t.has_axis("length") {
            let lengths = t.values("length");
            // A task asked in several languages (NeedleBench's English and Chinese) gets a line
            // per model and language: pooling them would hide the gap between them.
            let langs = t.values("lang");
            let series = if t.has_axis("lang") && langs.len() > 1 {
                models
                    .iter()
                    .flat_map(|m| {
                        let by = t.by(m, &t.headline, &["lang", "length"], level);
                        langs
                            .iter()
                            .map(|lang| Series {
                                name: format!("{m} ({lang})"),
                                points: lengths
                                    .iter()
                                    .map(|l| by.get(&vec![lang.clone(), l.clone()]).and_then(point))
                                    .collect(),
                            })
                            .collect::<Vec<_>>()
                    })
                    .filter(|s| s.points.iter().any(Option::is_some))
                    .collect()
            } else {
                series_by(&t.headline, "length", &lengths)
            };
            if !series.is_empty() {
                let title = format!("{name}: {} by length", t.headline);
                out.push(task_picture(
                    format!("{base}-by-length.svg"),
                    plots::dots(
                        &title,
                        "length",
                        &t.headline,
                        &lengths,
                        &series,
                        (0.0, 1.0),
                        true,
                        None,
                    )?,
                    title,
                    None,
                    format!("{name} by length"),
                ));
            }
        }
        for (columns, rows) in GRIDS {
            if !(t.has_axis(columns) && t.has_axis(rows)) {
                continue;
            }
            let (xs, ys) = (t.values(columns), t.values(rows));
            for m in &models {
                let by = t.by(m, &t.headline, &[rows, columns], level);
                if by.values().all(|f| f.value.is_none()) {
                    continue;
                }
                let values: Vec<Vec<Option<f64>>> = ys
                    .iter()
                    .map(|y| {
                        xs.iter()
                            .map(|x| by.get(&vec![y.clone(), x.clone()]).and_then(|f| f.value))
                            .collect()
                    })
                    .collect();
                let title = format!("{name}: {} of {m} by {columns} and {rows}", t.headline);
                out.push(task_picture(
                    format!("{base}-{}-{}-{}.svg", slug(columns), slug(rows), slug(m)),
                    plots::heatmap(&Heatmap {
                        title: &title,
                        column_axis: columns,
                        row_axis: rows,
                        columns: xs.clone(),
                        rows: ys.clone(),
                        values,
                    })?,
                    title,
                    Some(m.to_string()),
                    format!("{name} {columns} x {rows}"),
                ));
            }
        }
        if t.has_axis("level") && t.has_metric("prefix_credit") && t.has_metric("resync_credit") {
            let levels = t.values("level");
            for metric in [t.headline.as_str(), "prefix_credit", "resync_credit"] {
                let series = series_by(metric, "level", &levels);
                if series.is_empty() {
                    continue;
                }
                let title = format!("{name}: {metric} by level");
                out.push(task_picture(
                    format!("{base}-{}-by-level.svg", slug(metric)),
                    plots::dots(
                        &title,
                        "level",
                        metric,
                        &levels,
                        &series,
                        (0.0, 1.0),
                        true,
                        None,
                    )?,
                    title,
                    None,
                    format!("{name} by level"),
                ));
            }
        }
        if t.has_axis("kind") && t.has_metric("true_share") {
            let kinds = t.values("kind");
            let series = series_by(&t.headline, "kind", &kinds);
            if !series.is_empty() {
                let title = format!("{name}: {} by kind", t.headline);
                out.push(task_picture(
                    format!("{base}-by-kind.svg"),
                    plots::dots(
                        &title,
                        "kind",
                        &t.headline,
                        &kinds,
                        &series,
                        (0.0, 1.0),
                        false,
                        None,
                    )?,
                    title,
                    None,
                    format!("{name} by kind"),
                ));
            }
            let rows: Vec<ForestRow> = models
                .iter()
                .filter_map(|m| {
                    let r = t
                        .rows
                        .iter()
                        .find(|r| r.model == *m && r.metric == "true_share" && r.axes.is_empty())?;
                    Some(ForestRow {
                        label: m.to_string(),
                        value: r.value?,
                        low: r.ci_low,
                        high: r.ci_high,
                    })
                })
                .collect();
            if !rows.is_empty() {
                let title = format!("{name}: share of TRUE answers (0.5 unbiased)");
                out.push(task_picture(
                    format!("{base}-true-share.svg"),
                    plots::forest(&title, "true_share", &rows, (0.0, 1.0), Some(0.5))?,
                    title,
                    None,
                    format!("{name} by kind"),
                ));
            }
        }
    }
    if let Some(ranking) = ranking.filter(|r| !r.ratings.is_empty()) {
        out.push(ratings_picture(ranking)?);
    }
    if !judgments.is_empty() {
        let order: Vec<String> = match ranking {
            Some(r) => r.ratings.iter().map(|r| r.model.clone()).collect(),
            None => Vec::new(),
        };
        if let Some(p) = win_rates(judgments, &order)? {
            out.push(p);
        }
        out.push(bias_picture(judgments)?);
    }
    Ok(out)
}

fn ratings_picture(ranking: &Ranking) -> Result<Picture, SiteError> {
    let rows: Vec<ForestRow> = ranking
        .ratings
        .iter()
        .map(|r| ForestRow {
            label: format!(
                "{} (rank {}-{})",
                crate::plots::clip(&r.model, 24),
                r.rank_low,
                r.rank_high
            ),
            value: r.rating,
            low: r.ci_low,
            high: r.ci_high,
        })
        .collect();
    let bounds = rows
        .iter()
        .flat_map(|r| [Some(r.value), r.low, r.high])
        .flatten();
    let (lo, hi) = bounds.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let pad = ((hi - lo) * 0.08).max(1.0);
    let scale = match ranking.settings.scale {
        longforge_judges::rank::Scale::Elo => "Elo scale",
        longforge_judges::rank::Scale::Logit => "logit scale",
    };
    let title = format!(
        "Bradley-Terry ratings, {}% intervals ({} bootstrap rounds)",
        (ranking.settings.level * 100.0).round(),
        ranking.settings.bootstrap
    );
    Ok(Picture {
        file: "img/ratings.svg".into(),
        svg: plots::forest(
            &title,
            &format!("rating ({scale})"),
            &rows,
            (lo - pad, hi + pad),
            None,
        )?,
        title,
        family: None,
        task: None,
        model: None,
        group: "ratings".into(),
    })
}

/// Row model's share of its battles against the column model, over both orders (a tie counts
/// half; invalid verdicts are left out). `order` puts models first (the ratings' order).
fn win_rates(judgments: &[Judgment], order: &[String]) -> Result<Option<Picture>, SiteError> {
    let mut score: BTreeMap<(&str, &str), (f64, f64)> = BTreeMap::new();
    for j in judgments {
        let Some(s) = j.verdict.winner() else {
            continue;
        };
        let a_share = match s {
            std::cmp::Ordering::Greater => 1.0,
            std::cmp::Ordering::Equal => 0.5,
            std::cmp::Ordering::Less => 0.0,
        };
        let e = score.entry((&j.model_a, &j.model_b)).or_default();
        e.0 += a_share;
        e.1 += 1.0;
        let e = score.entry((&j.model_b, &j.model_a)).or_default();
        e.0 += 1.0 - a_share;
        e.1 += 1.0;
    }
    let mut models: Vec<String> = order.to_vec();
    for (a, _) in score.keys() {
        if !models.iter().any(|m| m == a) {
            models.push(a.to_string());
        }
    }
    if models.len() < 2 {
        return Ok(None);
    }
    let values: Vec<Vec<Option<f64>>> = models
        .iter()
        .map(|a| {
            models
                .iter()
                .map(|b| {
                    score
                        .get(&(a.as_str(), b.as_str()))
                        .filter(|(_, n)| *n > 0.0)
                        .map(|(w, n)| w / n)
                })
                .collect()
        })
        .collect();
    let title = "Win rate of the row's model against the column's (ties half, both orders)";
    Ok(Some(Picture {
        file: "img/win-rates.svg".into(),
        svg: plots::heatmap(&Heatmap {
            title,
            column_axis: "against",
            row_axis: "model",
            columns: models.clone(),
            rows: models,
            values,
        })?,
        title: title.into(),
        family: None,
        task: None,
        model: None,
        group: "win rates".into(),
    }))
}

fn bias_picture(judgments: &[Judgment]) -> Result<Picture, SiteError> {
    let bias = position_bias(judgments);
    let judges: Vec<String> = bias.iter().map(|b| b.judge.clone()).collect();
    let series = vec![
        Series {
            name: "first-shown win rate".into(),
            points: bias
                .iter()
                .map(|b| {
                    b.first_shown_win_rate.map(|value| Point {
                        value,
                        low: None,
                        high: None,
                    })
                })
                .collect(),
        },
        Series {
            name: "flip rate".into(),
            points: bias
                .iter()
                .map(|b| {
                    b.flip_rate.map(|value| Point {
                        value,
                        low: None,
                        high: None,
                    })
                })
                .collect(),
        },
    ];
    let title = "Position bias per judge (dashed: 0.5, a first-shown win rate without bias)";
    Ok(Picture {
        file: "img/position-bias.svg".into(),
        svg: plots::dots(
            title,
            "judge",
            "share",
            &judges,
            &series,
            (0.0, 1.0),
            false,
            Some(0.5),
        )?,
        title: title.into(),
        family: None,
        task: None,
        model: None,
        group: "position bias".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(lang: &str, length: &str, v: f64) -> SummaryRow {
        let mut axes = Map::new();
        axes.insert("lang".into(), Value::from(lang));
        axes.insert("length".into(), Value::from(length));
        SummaryRow {
            model: "m".into(),
            family: "needlebench".into(),
            task: "atc".into(),
            metric: "exact_match".into(),
            value: Some(v),
            n: 10,
            ci_low: Some(v),
            ci_high: Some(v),
            level: 0.95,
            axes,
            missing: 0,
            unanswered: 0,
            truncated: 0,
        }
    }

    #[test]
    fn languages_get_lines_of_their_own_and_only_tasks_with_the_axes_get_pictures() {
        let mut whole = row("en", "4k", 0.5);
        whole.axes = Map::new();
        let summary = vec![
            whole,
            row("en", "4k", 0.9),
            row("zh", "4k", 0.1),
            row("en", "8k", 0.8),
            row("zh", "8k", 0.2),
        ];
        let pictures = pictures(&summary, None, &[]).unwrap();
        assert_eq!(
            pictures.len(),
            1,
            "no depth, placement, level or kind: one picture"
        );
        let svg = &pictures[0].svg;
        assert!(svg.contains("m (en)") && svg.contains("m (zh)"), "{svg}");
        assert_eq!(pictures[0].file, "img/needlebench-atc-by-length.svg");
    }
}
