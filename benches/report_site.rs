//! `longforge report` at leaderboard scale: 50 models x 6 families x 1,000 samples each, as
//! summary rows (`score --summary` writes one per figure and cell): per family one task with
//! 20 cells of 50 samples on two axes and two figures, plus ratings for the 50 models. Timed in
//! process (building every file) and as the whole command on files, with the site's size.
//! Target: under 2 s.
//!
//! `cargo bench --bench report_site` (or `just bench`).

use std::time::Instant;

use longforge_judges::rank::Ranking;
use longforge_judges::SummaryRow;
use longforge_reports::site::{build, SiteInput};
use serde_json::{json, Map};

const MODELS: usize = 50;
const ROUNDS: usize = 5;

/// Axes per family: the pictures a family gets depend on them.
const FAMILIES: [(&str, &str, &str, &str, &str); 6] = [
    ("needlebench", "single", "needle_f1", "length", "depth"),
    ("holobench", "queries", "f1", "placement", "relevant"),
    ("longproc", "countdown", "accuracy", "level", "difficulty"),
    ("nocha", "claims", "pair_accuracy", "length", "kind"),
    ("longspan", "questions", "win_rate", "length", "span"),
    ("extra", "task", "exact_match", "length", "lang"),
];

fn row(
    model: &str,
    f: usize,
    metric: &str,
    v: f64,
    n: usize,
    axes: Map<String, serde_json::Value>,
) -> SummaryRow {
    let (family, task, ..) = FAMILIES[f];
    SummaryRow {
        model: model.into(),
        family: family.into(),
        task: task.into(),
        metric: metric.into(),
        value: Some(v),
        n,
        ci_low: Some((v - 0.05).max(0.0)),
        ci_high: Some((v + 0.05).min(1.0)),
        level: 0.95,
        axes,
        missing: 0,
        unanswered: 0,
        truncated: 0,
    }
}

fn summary() -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for m in 0..MODELS {
        let model = format!("model-{m:02}");
        for (f, (_, _, headline, a, b)) in FAMILIES.iter().enumerate() {
            let base = 0.95 - 0.015 * m as f64 - 0.02 * f as f64;
            rows.push(row(&model, f, headline, base, 1000, Map::new()));
            rows.push(row(&model, f, "extraction_rate", 0.99, 1000, Map::new()));
            let extras: &[&str] = match f {
                2 => &["prefix_credit", "resync_credit"],
                3 => &["true_share"],
                _ => &[],
            };
            for metric in extras {
                rows.push(row(&model, f, metric, base * 0.9, 1000, Map::new()));
            }
            for i in 0..4 {
                for j in 0..5 {
                    let mut axes = Map::new();
                    axes.insert(a.to_string(), json!(format!("{}k", 4 << i)));
                    axes.insert(b.to_string(), json!(j * 25));
                    let v = (base - 0.05 * i as f64 + 0.01 * j as f64).clamp(0.0, 1.0);
                    rows.push(row(&model, f, headline, v, 50, axes.clone()));
                    rows.push(row(&model, f, "extraction_rate", 0.99, 50, axes.clone()));
                    if f == 2 {
                        rows.push(row(&model, f, "prefix_credit", v * 0.9, 50, axes.clone()));
                        rows.push(row(&model, f, "resync_credit", v * 0.95, 50, axes.clone()));
                    }
                    if f == 3 {
                        rows.push(row(&model, f, "true_share", 0.5, 50, axes));
                    }
                }
            }
        }
    }
    rows
}

fn ranking() -> Ranking {
    let ratings: Vec<serde_json::Value> = (0..MODELS)
        .map(|m| {
            json!({"model": format!("model-{m:02}"), "rating": 1300.0 - 10.0 * m as f64,
                "ci_low": 1290.0 - 10.0 * m as f64, "ci_high": 1310.0 - 10.0 * m as f64,
                "interval_rounds": 1000, "partial_interval": false, "rank_low": m.max(1),
                "rank_high": (m + 2).min(MODELS), "battles": 4900.0, "win_rate": 0.5})
        })
        .collect();
    serde_json::from_value(json!({
        "settings": {"ties": "half", "scale": "elo", "anchor": null, "bootstrap": 1000,
            "seed": 0, "level": 0.95, "prior": 0.0, "strong_win_weight": 1.0,
            "control_length": false},
        "tie_parameter": null, "invalid": 0, "degenerate_rounds": 0,
        "rounds_without_a_model": 0, "ratings": ratings
    }))
    .expect("ratings")
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let summary = summary();
    let ranking = ranking();
    let mut times = Vec::new();
    let (mut files, mut bytes) = (0, 0);
    for _ in 0..ROUNDS {
        let input = SiteInput {
            title: "bench".into(),
            summary: summary.clone(),
            ranking: Some(ranking.clone()),
            judgments: Vec::new(),
            grades: Vec::new(),
            datasets: Vec::new(),
            previous: None,
        };
        let start = Instant::now();
        let site = build(&input).expect("builds");
        times.push(start.elapsed().as_secs_f64());
        files = site.len();
        bytes = site.iter().map(|f| f.bytes.len()).sum::<usize>();
    }

    // The whole command, on files.
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let summary_path = tmp.path().join("summary.jsonl");
    let ratings_path = tmp.path().join("ratings.json");
    longforge_datasets::jsonl::write(&summary_path, &summary).expect("writes");
    std::fs::write(&ratings_path, serde_json::to_vec(&ranking).expect("json")).expect("writes");
    let binary = env!("CARGO_BIN_EXE_longforge");
    let mut whole = Vec::new();
    for round in 0..ROUNDS {
        let out = tmp.path().join(format!("site-{round}"));
        let start = Instant::now();
        let status = std::process::Command::new(binary)
            .args(["report", "--summary"])
            .arg(&summary_path)
            .arg("--ratings")
            .arg(&ratings_path)
            .arg("--out")
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("runs");
        whole.push(start.elapsed().as_secs_f64());
        assert!(status.success());
    }
    println!(
        "| report: {MODELS} models x 6 families x 1,000 samples ({} summary rows), median of {ROUNDS} | seconds |",
        summary.len()
    );
    println!("|---|---:|");
    println!("| building every file in process | {:.3} |", median(times));
    println!(
        "| `longforge report` as a whole process | {:.3} |",
        median(whole)
    );
    println!(
        "| the site: {files} files, {:.1} MB |  |",
        bytes as f64 / 1e6
    );
}
