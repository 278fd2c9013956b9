//! The score table: one row per `(model, family, task, axes)` cell, one column per figure.
//! The terminal table and the Markdown report's cell table are this one table, so they cannot
//! disagree about which value sits under which header.

use longforge_judges::SummaryRow;
use serde_json::{Map, Value};

/// A table of strings whose every row has one entry per header.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Shown for a figure with no value (no scored sample) or an undefined interval bound.
pub const UNDEFINED: &str = "undefined";

/// The summary as a table: `model family task <axes...> n missing unanswered truncated
/// <figures...> headline_ci`.
/// Axis columns are the union of the tasks' axes in first-seen order (`-` where a task has no
/// such axis, `all` on whole-task rows); `n` is the headline figure's; `interval` is the
/// headline's interval at the summary's level.
pub fn score_table(rows: &[SummaryRow]) -> Table {
    let mut axis_names: Vec<String> = Vec::new();
    let mut figures: Vec<String> = Vec::new();
    for r in rows {
        for k in r.axes.keys() {
            if !axis_names.contains(k) {
                axis_names.push(k.clone());
            }
        }
        if !figures.contains(&r.metric) {
            figures.push(r.metric.clone());
        }
    }
    let mut header: Vec<String> = ["model", "family", "task"].map(String::from).to_vec();
    header.extend(axis_names.iter().cloned());
    header.extend(["n", "missing", "unanswered", "truncated"].map(String::from));
    header.extend(figures.iter().cloned());
    header.push("headline_ci".into());
    let mut out: Vec<Vec<String>> = Vec::new();
    for cell in cells(rows) {
        let first = cell[0];
        let mut line = vec![
            first.model.clone(),
            first.family.clone(),
            first.task.clone(),
        ];
        for name in &axis_names {
            line.push(match first.axes.get(name) {
                Some(v) => axis_text(v),
                None if first.axes.is_empty() => "all".into(),
                None => "-".into(),
            });
        }
        line.push(first.n.to_string());
        line.push(first.missing.to_string());
        line.push(first.unanswered.to_string());
        line.push(first.truncated.to_string());
        for f in &figures {
            line.push(
                cell.iter()
                    .find(|r| &r.metric == f)
                    .map_or_else(|| "-".into(), |r| value_text(r.value)),
            );
        }
        line.push(interval_text(first));
        out.push(line);
    }
    Table { header, rows: out }
}

/// Rows of one cell (same model, family, task and axes), in the order the summary gives them.
pub fn cells(rows: &[SummaryRow]) -> Vec<Vec<&SummaryRow>> {
    let mut out: Vec<Vec<&SummaryRow>> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(cell) if same_cell(cell[0], r) => cell.push(r),
            _ => out.push(vec![r]),
        }
    }
    out
}

fn same_cell(a: &SummaryRow, b: &SummaryRow) -> bool {
    a.model == b.model && a.family == b.family && a.task == b.task && a.axes == b.axes
}

/// A figure to three decimals, or "undefined".
pub fn value_text(value: Option<f64>) -> String {
    value.map_or_else(|| UNDEFINED.into(), |v| format!("{v:.3}"))
}

fn interval_text(r: &SummaryRow) -> String {
    match (r.ci_low, r.ci_high) {
        (Some(lo), Some(hi)) => format!("{lo:.3}-{hi:.3}"),
        _ => UNDEFINED.into(),
    }
}

/// An axis value as text: strings bare, anything else as JSON.
pub fn axis_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The axes of a cell as `length 4k, depth 50`.
pub fn axes_text(axes: &Map<String, Value>) -> String {
    axes.iter()
        .map(|(k, v)| format!("{k} {}", axis_text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Table {
    /// Plain text for the terminal: columns padded to their widest entry, two spaces apart.
    pub fn to_text(&self) -> String {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|i| {
                std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|r| r[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
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

    /// A GitHub-flavoured Markdown table; `|` inside an entry is escaped.
    pub fn to_markdown(&self) -> String {
        let esc = |s: &String| s.replace('|', "\\|");
        let mut out = format!(
            "| {} |\n|{}|\n",
            self.header.iter().map(esc).collect::<Vec<_>>().join(" | "),
            self.header
                .iter()
                .map(|_| "---")
                .collect::<Vec<_>>()
                .join("|")
        );
        for row in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                row.iter().map(esc).collect::<Vec<_>>().join(" | ")
            ));
        }
        out
    }
}
