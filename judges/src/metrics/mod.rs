//! Aggregates per-sample scores into the grid a long-context benchmark is read by: model x task
//! x length x depth (and links, for kinship puzzles), each cell with its mean score, its size and
//! its extraction rate.

use std::collections::{BTreeMap, HashMap};

use longforge_datasets::{Sample, Score, TokenLength};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CellKey {
    pub model: String,
    pub task: String,
    pub lang: String,
    /// `4k`, `1m`, `none`.
    pub length: String,
    /// `25` for a needle at 25%; `-` where the task spreads its needles.
    pub depth: String,
    /// Kinship links per puzzle; `-` for retrieval.
    pub links: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellSummary {
    #[serde(flatten)]
    pub key: CellKey,
    pub samples: usize,
    /// Mean score in `[0, 1]`.
    pub score: f64,
    /// Share of answers from which an answer could be extracted.
    pub extracted: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub cells: Vec<CellSummary>,
    /// Per model and task, over all cells.
    pub overall: Vec<CellSummary>,
}

/// Groups `scores` by model and by the grid cell of their sample. Scores for unknown samples are
/// left out (`score_all` refuses them earlier).
pub fn summarise(samples: &[Sample], scores: &[Score]) -> Summary {
    let by_id: HashMap<&str, &Sample> = samples.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut cells: BTreeMap<CellKey, (usize, f64, usize)> = BTreeMap::new();
    let mut overall: BTreeMap<CellKey, (usize, f64, usize)> = BTreeMap::new();
    for score in scores {
        let Some(sample) = by_id.get(score.sample_id.as_str()) else {
            continue;
        };
        let key = cell_key(sample, &score.model);
        let extracted = score
            .details
            .get("extracted")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let all = CellKey {
            length: "all".into(),
            depth: "all".into(),
            links: "all".into(),
            ..key.clone()
        };
        for (map, key) in [(&mut cells, key), (&mut overall, all)] {
            let e = map.entry(key).or_insert((0, 0.0, 0));
            e.0 += 1;
            e.1 += score.value;
            e.2 += usize::from(extracted);
        }
    }
    let finish = |m: BTreeMap<CellKey, (usize, f64, usize)>| {
        m.into_iter()
            .map(|(key, (n, sum, ex))| CellSummary {
                key,
                samples: n,
                score: sum / n as f64,
                extracted: ex as f64 / n as f64,
            })
            .collect()
    };
    Summary {
        cells: finish(cells),
        overall: finish(overall),
    }
}

fn cell_key(sample: &Sample, model: &str) -> CellKey {
    let meta = &sample.meta;
    let length = match meta.get("target_tokens").and_then(Value::as_u64) {
        Some(n) => TokenLength::Tokens(n).to_string(),
        None => TokenLength::None.to_string(),
    };
    let first_depth = meta
        .get("depths")
        .and_then(Value::as_array)
        .and_then(|d| d.first())
        .and_then(Value::as_f64);
    let depth = match (sample.task.as_str(), first_depth) {
        ("single" | "multi-reasoning", Some(d)) => format_depth(d),
        _ => "-".into(),
    };
    let links = meta
        .get("chain")
        .and_then(Value::as_array)
        .map_or_else(|| "-".to_string(), |c| c.len().to_string());
    CellKey {
        model: model.to_string(),
        task: sample.task.clone(),
        lang: sample.lang.clone(),
        length,
        depth,
        links,
    }
}

fn format_depth(d: f64) -> String {
    if d.fract() == 0.0 {
        format!("{}", d as i64)
    } else {
        format!("{d}")
    }
}

impl Summary {
    /// A plain-text table for the terminal, sorted like the cells.
    pub fn to_table(&self) -> String {
        let mut rows = vec![[
            "model",
            "task",
            "length",
            "depth",
            "links",
            "n",
            "score",
            "extracted",
        ]
        .map(String::from)
        .to_vec()];
        for c in self.cells.iter().chain(&self.overall) {
            rows.push(vec![
                c.key.model.clone(),
                c.key.task.clone(),
                c.key.lang.clone(),
                c.key.length.clone(),
                c.key.depth.clone(),
                c.key.links.clone(),
                c.samples.to_string(),
                format!("{:.3}", c.score),
                format!("{:.3}", c.extracted),
            ]);
        }
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
            .collect();
        let mut out = String::new();
        for row in rows {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| format!("{cell:<w$}"))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        out
    }
}
