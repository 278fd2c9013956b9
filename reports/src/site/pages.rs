//! The site's HTML pages, rendered from minijinja templates shipped in the binary
//! (`reports/templates/site/`) with HTML auto-escaping on: every value a template prints is
//! escaped unless it is one of the site's own constants (its style and script, marked safe).

use std::collections::BTreeMap;

use base64::Engine;
use longforge_judges::pairwise::position_bias;
use minijinja::{context, Environment};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::figure::Figure;
use super::leaderboard::Board;
use super::pictures::Picture;
use super::tables::{change_text, figure_text, rating_interval_text, rating_text};
use super::{slug, SiteError, SiteFile, SiteInput};

const LAYOUT: &str = include_str!("../../templates/site/layout.html");
const INDEX: &str = include_str!("../../templates/site/index.html");
const FAMILY: &str = include_str!("../../templates/site/family.html");
const MODEL: &str = include_str!("../../templates/site/model.html");
const METHODOLOGY: &str = include_str!("../../templates/site/methodology.html");
const STYLE: &str = include_str!("../../templates/site/site.css");
const SCRIPT: &str = include_str!("../../templates/site/sort.js");

/// The policy every page carries: its own script and style only (by hash), images from the
/// site's folder, nothing else loaded, no forms, no `<base>`.
fn policy() -> String {
    let hash = |s: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s));
    format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; img-src 'self' file: data:; base-uri 'none'; form-action 'none'",
        hash(SCRIPT),
        hash(STYLE)
    )
}

/// One table cell: what is shown, the interval and `n` in small type, and the value the sorter
/// orders by (empty sorts last).
#[derive(Serialize)]
struct Cell {
    text: String,
    detail: String,
    sort: String,
    href: Option<String>,
}

impl Cell {
    fn figure(f: Option<&Figure>) -> Cell {
        match f {
            Some(Figure {
                value: Some(v),
                ci_low,
                ci_high,
                n,
            }) => Cell {
                text: format!("{v:.3}"),
                detail: match (ci_low, ci_high) {
                    (Some(lo), Some(hi)) => format!("[{lo:.3}, {hi:.3}] n={n}"),
                    _ => format!("n={n}"),
                },
                sort: format!("{v:.6}"),
                href: None,
            },
            Some(f) => Cell::text(format!("undefined n={}", f.n), ""),
            None => Cell::text("–".into(), ""),
        }
    }

    fn text(text: String, sort: &str) -> Cell {
        Cell {
            text,
            detail: String::new(),
            sort: sort.to_string(),
            href: None,
        }
    }
}

#[derive(Serialize)]
struct Column {
    key: String,
    label: String,
    note: String,
}

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct PictureView {
    file: String,
    title: String,
}

fn view(p: &Picture) -> PictureView {
    PictureView {
        file: p.file.clone(),
        title: p.title.clone(),
    }
}

/// Pictures in groups (side by side), groups in first-seen order.
fn grouped<'a>(pictures: impl Iterator<Item = &'a Picture>) -> Vec<Vec<PictureView>> {
    let mut groups: Vec<(String, Vec<PictureView>)> = Vec::new();
    for p in pictures {
        match groups.iter_mut().find(|g| g.0 == p.group) {
            Some(g) => g.1.push(view(p)),
            None => groups.push((p.group.clone(), vec![view(p)])),
        }
    }
    groups.into_iter().map(|g| g.1).collect()
}

pub fn render(
    input: &SiteInput,
    board: &Board,
    pictures: &[Picture],
) -> Result<Vec<SiteFile>, SiteError> {
    let mut env = Environment::new();
    env.add_template("layout.html", LAYOUT)?;
    env.add_template("index.html", INDEX)?;
    env.add_template("family.html", FAMILY)?;
    env.add_template("model.html", MODEL)?;
    env.add_template("methodology.html", METHODOLOGY)?;
    let families: Vec<Link> = board
        .families
        .iter()
        .map(|f| Link {
            name: f.family.clone(),
            href: format!("family-{}.html", slug(&f.family)),
        })
        .collect();
    let models: Vec<Link> = board
        .rows
        .iter()
        .map(|r| Link {
            name: r.model.clone(),
            href: format!("model-{}.html", slug(&r.model)),
        })
        .collect();
    let common = context! {
        site_title => &input.title,
        csp => policy(),
        style => minijinja::Value::from_safe_string(STYLE.to_string()),
        script => minijinja::Value::from_safe_string(SCRIPT.to_string()),
        families => &families,
        level_percent => (board.level * 100.0).round() as i64,
    };
    let mut files = Vec::new();
    let mut page = |path: String, template: &str, ctx: minijinja::Value| -> Result<(), SiteError> {
        let html = env
            .get_template(template)?
            .render(context! { ..common.clone(), ..ctx })?;
        files.push(SiteFile {
            path,
            bytes: html.into_bytes(),
        });
        Ok(())
    };

    // The leaderboard.
    let rated = board.rows.iter().any(|r| r.rating.is_some());
    let compared = board.rows.iter().any(|r| r.change.is_some());
    let total = board.tasks().count();
    let mut columns = vec![
        Column {
            key: "rank".into(),
            label: "#".into(),
            note: "rank by the overall figure".into(),
        },
        Column {
            key: "model".into(),
            label: "model".into(),
            note: String::new(),
        },
        Column {
            key: "overall".into(),
            label: "overall".into(),
            note: "mean of the families' figures".into(),
        },
    ];
    for f in &board.families {
        columns.push(Column {
            key: format!("family-{}", slug(&f.family)),
            label: f.family.clone(),
            note: "mean of the family's tasks' figures".into(),
        });
    }
    for t in board.tasks() {
        columns.push(Column {
            key: format!("task-{}-{}", slug(&t.family), slug(&t.task)),
            label: format!("{}/{}", t.family, t.task),
            note: t.metric.clone(),
        });
    }
    if rated {
        columns.push(Column {
            key: "rating".into(),
            label: "rating".into(),
            note: "Bradley-Terry rating with its interval".into(),
        });
        columns.push(Column {
            key: "rank-range".into(),
            label: "rank range".into(),
            note: "ranks the model took in the bootstrap rounds".into(),
        });
    }
    if compared {
        columns.push(Column {
            key: "change".into(),
            label: "change".into(),
            note: "rank change, and figures whose intervals no longer overlap".into(),
        });
    }
    let rows: Vec<Vec<Cell>> = board
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                Cell::text(r.rank.to_string(), &r.rank.to_string()),
                Cell {
                    text: r.model.clone(),
                    detail: String::new(),
                    sort: r.model.clone(),
                    href: Some(format!("model-{}.html", slug(&r.model))),
                },
            ];
            let mut overall = Cell::figure(Some(&r.overall));
            if r.tasks_covered < total && r.overall.value.is_some() {
                overall.detail =
                    format!("{} ({} of {total} tasks)", overall.detail, r.tasks_covered);
            }
            cells.push(overall);
            cells.extend(r.families.iter().map(|f| Cell::figure(f.as_ref())));
            cells.extend(r.tasks.iter().map(|f| Cell::figure(f.as_ref())));
            if rated {
                match &r.rating {
                    Some(x) => {
                        let mut c =
                            Cell::text(format!("{:.1}", x.rating), &format!("{:.6}", x.rating));
                        c.detail = rating_interval_text(x);
                        cells.push(c);
                        cells.push(Cell::text(
                            format!("{}-{}", x.rank_low, x.rank_high),
                            &x.rank_low.to_string(),
                        ));
                    }
                    None => {
                        cells.push(Cell::text("–".into(), ""));
                        cells.push(Cell::text("–".into(), ""));
                    }
                }
            }
            if compared {
                let (text, sort) = match &r.change {
                    Some(c) => (
                        change_text(c),
                        c.rank_change.map_or_else(String::new, |d| d.to_string()),
                    ),
                    None => (String::new(), String::new()),
                };
                cells.push(Cell::text(text, &sort));
            }
            cells
        })
        .collect();
    let front: Vec<Vec<PictureView>> = grouped(
        pictures
            .iter()
            .filter(|p| p.family.is_none() && p.group != "position bias"),
    );
    page(
        "index.html".into(),
        "index.html",
        context! {
            columns, rows, models => &models, pictures => front, compared,
            dropped => &board.dropped,
        },
    )?;

    // One page per family.
    for f in &board.families {
        #[derive(Serialize)]
        struct TaskView {
            name: String,
            metric: String,
            metrics: Vec<String>,
            rows: Vec<(Link, Vec<Cell>)>,
            groups: Vec<Vec<PictureView>>,
        }
        let tasks: Vec<TaskView> = f
            .tasks
            .iter()
            .map(|t| {
                let rows: Vec<&longforge_judges::SummaryRow> = input
                    .summary
                    .iter()
                    .filter(|r| r.family == f.family && r.task == t.task && r.axes.is_empty())
                    .collect();
                let mut metrics: Vec<String> = Vec::new();
                for r in &rows {
                    if !metrics.contains(&r.metric) {
                        metrics.push(r.metric.clone());
                    }
                }
                let by_model: Vec<(Link, Vec<Cell>)> = board
                    .rows
                    .iter()
                    .filter(|m| rows.iter().any(|r| r.model == m.model))
                    .map(|m| {
                        let cells = metrics
                            .iter()
                            .map(|metric| {
                                Cell::figure(
                                    rows.iter()
                                        .find(|r| r.model == m.model && &r.metric == metric)
                                        .map(|r| Figure::of(r))
                                        .as_ref(),
                                )
                            })
                            .collect();
                        (
                            Link {
                                name: m.model.clone(),
                                href: format!("model-{}.html", slug(&m.model)),
                            },
                            cells,
                        )
                    })
                    .collect();
                let name = format!("{}/{}", t.family, t.task);
                TaskView {
                    groups: grouped(
                        pictures
                            .iter()
                            .filter(|p| p.task.as_deref() == Some(name.as_str())),
                    ),
                    name: t.task.clone(),
                    metric: t.metric.clone(),
                    metrics,
                    rows: by_model,
                }
            })
            .collect();
        page(
            format!("family-{}.html", slug(&f.family)),
            "family.html",
            context! { family => &f.family, tasks },
        )?;
    }

    // One page per model.
    let mut grades: BTreeMap<&str, (f64, usize, usize)> = BTreeMap::new();
    for g in &input.grades {
        let e = grades.entry(g.model.as_str()).or_default();
        match g.grade {
            Some(v) => {
                e.0 += f64::from(v);
                e.1 += 1;
            }
            None => e.2 += 1,
        }
    }
    for r in &board.rows {
        #[derive(Serialize)]
        struct TaskFigures {
            name: String,
            figures: Vec<(String, String)>,
        }
        let tasks: Vec<TaskFigures> = board
            .tasks()
            .filter_map(|t| {
                let figures: Vec<(String, String)> = input
                    .summary
                    .iter()
                    .filter(|s| {
                        s.model == r.model
                            && s.family == t.family
                            && s.task == t.task
                            && s.axes.is_empty()
                    })
                    .map(|s| (s.metric.clone(), figure_text(Some(&Figure::of(s)))))
                    .collect();
                (!figures.is_empty()).then(|| TaskFigures {
                    name: format!("{}/{}", t.family, t.task),
                    figures,
                })
            })
            .collect();
        let grade = grades.get(r.model.as_str()).map(|(sum, n, unread)| {
            if *n == 0 {
                format!("no readable grade ({unread} unreadable)")
            } else {
                format!(
                    "{:.2} over {n} answers ({unread} unreadable)",
                    sum / *n as f64
                )
            }
        });
        let mine = grouped(
            pictures
                .iter()
                .filter(|p| p.model.as_deref() == Some(r.model.as_str())),
        );
        page(
            format!("model-{}.html", slug(&r.model)),
            "model.html",
            context! {
                model => &r.model,
                rank => r.rank,
                overall => figure_text(Some(&r.overall)),
                tasks_covered => r.tasks_covered,
                total,
                rating => r.rating.as_ref().map(rating_text),
                rank_range => r.rating.as_ref().map(|x| format!("{}-{}", x.rank_low, x.rank_high)),
                change => r.change.as_ref().map(change_text),
                tasks, grade, groups => mine,
            },
        )?;
    }

    // The methodology, from the files.
    page(
        "methodology.html".into(),
        "methodology.html",
        methodology(input, board, pictures),
    )?;
    Ok(files)
}

fn methodology(input: &SiteInput, board: &Board, pictures: &[Picture]) -> minijinja::Value {
    #[derive(Serialize)]
    struct Scoring {
        dataset: String,
        family: String,
        generator: String,
        seed: u64,
        tokenizer: String,
        samples: u64,
        task: String,
        scorer: String,
        rules: String,
        metrics: String,
    }
    let mut scoring = Vec::new();
    for (name, m) in &input.datasets {
        for (task, spec) in &m.scoring {
            scoring.push(Scoring {
                dataset: name.clone(),
                family: m.generator.name.clone(),
                generator: m.generator.version.clone(),
                seed: m.seed,
                tokenizer: m.tokenizer.clone(),
                samples: m.counts.get("samples").copied().unwrap_or(0),
                task: task.clone(),
                scorer: spec.scorer.clone(),
                rules: longforge_judges::scorer(&spec.scorer)
                    .map(|s| s.summary().to_string())
                    .unwrap_or_else(|_| "a scorer this longforge does not know".into()),
                metrics: spec.metrics.join(", "),
            });
        }
    }
    #[derive(Serialize)]
    struct Judging {
        file: String,
        judges: String,
        judgments: usize,
        invalid: usize,
        settings: Vec<(String, String)>,
        bias: Vec<(String, String, String, String)>,
    }
    let judging: Vec<Judging> = input
        .judgments
        .iter()
        .map(|f| {
            let mut judges: Vec<&str> = f.judgments.iter().map(|j| j.judge.as_str()).collect();
            judges.sort_unstable();
            judges.dedup();
            let settings = match &f.settings {
                Some(Value::Object(m)) => m
                    .iter()
                    .map(|(k, v)| {
                        let text = match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (k.clone(), text)
                    })
                    .collect(),
                _ => vec![(
                    "settings".into(),
                    "not recorded beside this file (no .judge.json)".into(),
                )],
            };
            let share =
                |v: Option<f64>| v.map_or_else(|| "undefined".into(), |v| format!("{v:.3}"));
            Judging {
                file: f.name.clone(),
                judges: judges.join(", "),
                judgments: f.judgments.len(),
                invalid: f
                    .judgments
                    .iter()
                    .filter(|j| j.verdict == longforge_datasets::Verdict::Invalid)
                    .count(),
                settings,
                bias: position_bias(&f.judgments)
                    .into_iter()
                    .map(|b| {
                        (
                            b.judge,
                            b.pairs.to_string(),
                            share(b.flip_rate),
                            share(b.first_shown_win_rate),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let mut grade_judges: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for g in &input.grades {
        let e = grade_judges.entry(g.judge.as_str()).or_default();
        e.0 += 1;
        if g.grade.is_none() {
            e.1 += 1;
        }
    }
    let bias_pictures: Vec<PictureView> = pictures
        .iter()
        .filter(|p| p.group == "position bias")
        .map(view)
        .collect();
    context! {
        scoring,
        judging,
        ranking => input.ranking.as_ref().map(|r| context! {
            ties => format!("{:?}", r.settings.ties),
            tie_parameter => r.tie_parameter.map(|t| format!("{t:.4}")),
            scale => format!("{:?}", r.settings.scale),
            anchor => r.settings.anchor.as_ref().map(|(m, v)| format!("{m} at {v}")),
            bootstrap => r.settings.bootstrap,
            seed => r.settings.seed,
            level_percent => (r.settings.level * 100.0).round() as i64,
            prior => r.settings.prior,
            strong_win_weight => r.settings.strong_win_weight,
            control_length => r.settings.control_length,
            length_coefficient => r.length_coefficient.map(|c| format!("{c:.4}")),
            invalid => r.invalid,
            degenerate_rounds => r.degenerate_rounds,
            rounds_without_a_model => r.rounds_without_a_model,
        }),
        grades => grade_judges.into_iter().map(|(j, (n, unread))| (j.to_string(), n, unread)).collect::<Vec<_>>(),
        bias_pictures,
        tasks => board.tasks().map(|t| format!("{}/{}: {}", t.family, t.task, t.metric)).collect::<Vec<_>>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_shipped_script_and_style_by_hash() {
        let p = policy();
        assert!(p.starts_with("default-src 'none'; script-src 'sha256-"));
        assert!(!p.contains("unsafe"));
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT));
        assert!(p.contains(&hash));
    }
}
