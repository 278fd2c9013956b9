//! `rows`: HoloBench's query results, scored as a multiset of typed rows.
//!
//! HoloBench (Maekawa et al., 2025) asks questions that an SQL query answers over a database
//! written out as long text, and scores each answer with an LLM judge that decides, row by row,
//! whether the gold rows appear in it. longforge scores deterministically instead: the model ends
//! with the result as a JSON array of row objects in a ```` ```json ```` block, and its rows are
//! matched one to one against the gold rows by typed cell comparison, giving precision, recall
//! and F1 over rows, and for ranking queries (ORDER BY) an order score.
//!
//! Why each rule is what it is:
//! - The last JSON block is the answer: models work aloud and revise, and the prompt asks them to
//!   finish with the block. JSON keeps types (a count is a number, a missing value is `null`).
//!   A last plain ```` ``` ```` fence that holds JSON counts too: the format slip is not the
//!   question. A block that does not parse is not an answer (no repair, no guessing).
//! - "no answer" is an answer: an empty result is a legitimate result, and saying so is told
//!   apart from failing to answer (`extraction_rate` stays 1). It scores 1 exactly when the gold
//!   result is empty.
//! - Cells compare by the gold value's type, because the type says what an error is. Integers
//!   (counts, ids, sums of integers) must be equal: an off-by-one count is wrong. Decimals
//!   (averages, ratios) are computed by hand and rounded, so they match within a relative 1e-3
//!   with an absolute floor of 5e-3 (rounding to two places passes, a different value does not).
//!   Text matches ignoring case and spacing, which carry no content here. `null` also matches
//!   the words "null" and "none" and the empty text, how models write a missing value.
//! - Column keys match after normalising (lower case, alphanumerics only): "Avg Price" and
//!   `avg_price` name one column. Rows written as arrays are read by position, since the prompt
//!   gives the column order. Extra keys are ignored (they add nothing false to a gold column);
//!   a missing column does not match.
//! - Rows form a multiset: an SQL result without DISTINCT repeats rows, and each predicted row
//!   can stand for one gold row only, so repeating a right row does not inflate precision. The
//!   pairing is a maximum matching, not greedy: the decimal tolerance is not transitive, so one
//!   predicted row can fit two gold rows, and the score must not depend on the order the rows
//!   were written in.
//! - Precision punishes listing too many rows (hedging), recall missing ones; F1 is the headline.
//! - `order_score`, for ORDER BY queries only (elsewhere the order is arbitrary): the longest
//!   common subsequence of the predicted and gold row sequences over the longer of the two, so
//!   the right rows in the right relative order score 1, and missing or extra rows cost as well.

use std::collections::HashMap;
use std::hash::Hash;

use longforge_datasets::Sample;
use serde_json::{json, Map, Value};

use super::{reference_value, Scored, Scorer};
use crate::{share, JudgeError};

/// How many unmatched gold (and predicted) rows `details` shows.
const SHOWN: usize = 5;
/// Decimal cells match within this share of the gold value ...
const RELATIVE_TOLERANCE: f64 = 1e-3;
/// ... or within this absolute difference, whichever is larger.
const ABSOLUTE_TOLERANCE: f64 = 5e-3;

/// Reads references of kind `rows`: `{"kind": "rows", "value": [{column: value, ...}, ...]}`,
/// the rows of an SQL result keyed by its column names, with `meta.columns` (the column names in
/// order, non-empty and distinct, present even when the result is empty) and `meta.ordered`
/// (`true` when the query has ORDER BY; absent reads as `false`). A reference of another shape,
/// or rows whose keys are not exactly `meta.columns`, is a [`JudgeError::Reference`].
///
/// Values, each in [0, 1]:
/// - `f1` (headline): the harmonic mean of precision and recall; 0 when both are 0.
/// - `precision`: matched rows over predicted rows.
/// - `recall`: matched rows over gold rows.
/// - `order_score` (only when `meta.ordered`): the longest common subsequence of the predicted
///   and gold rows (a row equals another when it matches it) over the longer sequence.
/// - `extraction_rate`: 1 when an answer (rows, or "no answer") was found.
///
/// An empty gold result scores 1 on all but `extraction_rate` for the empty answer ("no answer",
/// `[]` or `null`) and 0 for any row; a non-empty one scores 0 for the empty answer. An output
/// with no answer scores 0 on every value.
pub struct Rows;

impl Scorer for Rows {
    fn name(&self) -> &'static str {
        "rows"
    }

    fn summary(&self) -> &'static str {
        "rows of the last ```json block matched one to one to the gold query result by typed cells: F1 of row precision and recall (order_score for ORDER BY)"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["rows"]
    }

    fn values(&self) -> &'static [&'static str] {
        &[
            "f1",
            "precision",
            "recall",
            "order_score",
            "extraction_rate",
        ]
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let gold = Gold::read(self, sample)?;
        let Some(extracted) = extract(output) else {
            let mut values = vec![("f1", 0.0), ("precision", 0.0), ("recall", 0.0)];
            if gold.ordered {
                values.push(("order_score", 0.0));
            }
            values.push(("extraction_rate", 0.0));
            return Ok(Scored {
                values,
                answer: None,
                details: json!({
                    "extracted": false, "ordered": gold.ordered,
                    "gold": gold.rows.len(), "predicted": 0, "matched": 0
                }),
            });
        };
        let predicted = match &extracted {
            Extracted::NoAnswer => Vec::new(),
            Extracted::Json(value) => answer_rows(value, gold.columns.len()),
        };
        let matching = Matching::new(&gold, &predicted);
        let (n_gold, n_pred) = (gold.rows.len(), predicted.len());
        let (precision, recall, order) = if n_gold == 0 && n_pred == 0 {
            (1.0, 1.0, 1.0)
        } else {
            (
                share(matching.matched, n_pred).unwrap_or(0.0),
                share(matching.matched, n_gold).unwrap_or(0.0),
                if gold.ordered {
                    share(matching.common_order(), n_gold.max(n_pred)).unwrap_or(0.0)
                } else {
                    0.0
                },
            )
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        let mut values = vec![("f1", f1), ("precision", precision), ("recall", recall)];
        if gold.ordered {
            values.push(("order_score", order));
        }
        values.push(("extraction_rate", 1.0));
        let missed: Vec<&Map<String, Value>> = gold
            .rows
            .iter()
            .zip(&matching.gold_matched)
            .filter(|(_, &m)| !m)
            .map(|(row, _)| row)
            .take(SHOWN)
            .collect();
        let extra: Vec<&Value> = predicted
            .iter()
            .zip(&matching.predicted_matched)
            .filter(|(_, &m)| !m)
            .map(|(row, _)| *row)
            .take(SHOWN)
            .collect();
        Ok(Scored {
            values,
            answer: Some(match &extracted {
                Extracted::NoAnswer => "no answer".to_string(),
                Extracted::Json(value) => value.to_string(),
            }),
            details: json!({
                "extracted": true, "ordered": gold.ordered,
                "gold": n_gold, "predicted": n_pred, "matched": matching.matched,
                "missed": missed, "extra": extra
            }),
        })
    }

    /// A sentence, then the gold rows as a pretty ```` ```json ```` block; "no answer" when the
    /// gold result is empty.
    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        let gold = Gold::read(self, sample)?;
        let n = gold.rows.len();
        if n == 0 {
            return Ok("No row satisfies the question, so the answer is: no answer".to_string());
        }
        let rows: Vec<Value> = gold.rows.into_iter().map(Value::Object).collect();
        Ok(format!(
            "The query returns {n} row{}.\n\n{}",
            if n == 1 { "" } else { "s" },
            json_block(&Value::Array(rows))
        ))
    }

    /// Each pick is one row as JSON object text (`meta.baseline.candidates`); picks that do not
    /// parse are skipped. No picks at all is "no answer".
    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        if picks.is_empty() {
            return "no answer".to_string();
        }
        let rows: Vec<Value> = picks
            .iter()
            .filter_map(|p| serde_json::from_str(p).ok())
            .collect();
        json_block(&Value::Array(rows))
    }

    /// The gold rows as compact JSON, or a note that the right answer is "no answer".
    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        let gold = Gold::read(self, sample)?;
        if gold.rows.is_empty() {
            return Ok("no rows: the right answer is \"no answer\"".to_string());
        }
        Ok(Value::Array(gold.rows.into_iter().map(Value::Object).collect()).to_string())
    }
}

/// The gold rows, and per gold row whether an answer holds it (`None`: no answer).
pub(crate) type GoldFound = (Vec<Map<String, Value>>, Option<Vec<bool>>);

/// The gold rows of `sample` and, per gold row, whether the deterministic matching found it in
/// `output` (`None` when `output` holds no answer): what the row judge reports its agreement
/// with.
pub(crate) fn gold_rows_found(sample: &Sample, output: &str) -> Result<GoldFound, JudgeError> {
    let gold = Gold::read(&Rows, sample)?;
    let found = extract(output).map(|extracted| {
        let predicted = match &extracted {
            Extracted::NoAnswer => Vec::new(),
            Extracted::Json(value) => answer_rows(value, gold.columns.len()),
        };
        Matching::new(&gold, &predicted).gold_matched
    });
    Ok((gold.rows, found))
}

/// `value` as a ```` ```json ```` block. Backticks (only ever inside JSON strings) are written
/// as `\u0060`, so a value holding a fence cannot close the block early.
fn json_block(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    format!("```json\n{}\n```", text.replace('`', "\\u0060"))
}

/// A sample's gold result, checked.
struct Gold {
    columns: Vec<Column>,
    rows: Vec<Map<String, Value>>,
    ordered: bool,
}

/// A result column: its name, and the name normalised for matching predicted keys.
struct Column {
    name: String,
    key: String,
}

impl Gold {
    fn read(scorer: &Rows, sample: &Sample) -> Result<Gold, JudgeError> {
        let rows: Vec<Map<String, Value>> = reference_value(scorer, sample)?;
        let bad = |message: String| JudgeError::Reference {
            sample_id: sample.id.clone(),
            scorer: scorer.name(),
            message,
        };
        let names: Vec<String> = match sample.meta.get("columns") {
            None => {
                return Err(bad(
                    "has no `meta.columns` (the result's column names in order)".into(),
                ))
            }
            Some(Value::Array(items)) => items
                .iter()
                .map(|c| c.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| bad("`meta.columns` holds a value that is not text".into()))?,
            Some(other) => {
                return Err(bad(format!(
                    "`meta.columns` is {other}, not an array of column names"
                )))
            }
        };
        if names.is_empty() {
            return Err(bad("`meta.columns` is empty".into()));
        }
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(bad(format!("`meta.columns` names `{name}` twice")));
            }
        }
        for (i, row) in rows.iter().enumerate() {
            if let Some(missing) = names.iter().find(|n| !row.contains_key(n.as_str())) {
                return Err(bad(format!(
                    "reference row {i} has no column `{missing}` of `meta.columns`"
                )));
            }
            if let Some(extra) = row.keys().find(|k| !names.contains(k)) {
                return Err(bad(format!(
                    "reference row {i} has column `{extra}`, which `meta.columns` does not name"
                )));
            }
        }
        let ordered = match sample.meta.get("ordered") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => return Err(bad(format!("`meta.ordered` is {other}, not true/false"))),
        };
        let columns = names
            .into_iter()
            .map(|name| Column {
                key: column_key(&name),
                name,
            })
            .collect();
        Ok(Gold {
            columns,
            rows,
            ordered,
        })
    }

    /// Each row's cells in column order (every column is present: [`Gold::read`] checked).
    fn cells(&self) -> Vec<Vec<GoldCell>> {
        self.rows
            .iter()
            .map(|row| {
                self.columns
                    .iter()
                    .map(|c| GoldCell::new(row.get(&c.name).unwrap_or(&Value::Null)))
                    .collect()
            })
            .collect()
    }
}

/// A column name as keys are matched: lower case, alphanumerics only ("Avg Price" and
/// `avg_price` are both `avgprice`).
fn column_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Text as compared: lower case, trimmed, runs of white space made one space.
fn clean_text(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What an output answers.
#[derive(Debug, Clone, PartialEq)]
enum Extracted {
    /// "no answer": no row satisfies the question.
    NoAnswer,
    /// The JSON of the answer block (`[]` and `null` read as no rows).
    Json(Value),
}

/// The answer of `output`: the last fenced block tagged `json`, or the last untagged block whose
/// content reads as an answer, whichever comes later; a `json` block that does not parse is no
/// answer (`None`), even when an earlier block parses. Without such a block, the output answers
/// "no answer" when its last non-empty line says so, and nothing otherwise.
fn extract(output: &str) -> Option<Extracted> {
    let last = fences(output).into_iter().rev().find_map(|f| {
        if f.info.eq_ignore_ascii_case("json") {
            Some(read_block(f.body))
        } else if f.info.is_empty() {
            read_block(f.body).map(Some)
        } else {
            None
        }
    });
    match last {
        Some(found) => found,
        None => output
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.to_lowercase().contains("no answer"))
            .then_some(Extracted::NoAnswer),
    }
}

/// A block's content: the JSON it holds, "no answer" (written as a JSON string or bare), or
/// `None` when it is neither.
fn read_block(body: &str) -> Option<Extracted> {
    let is_no_answer = |s: &str| {
        s.trim()
            .trim_end_matches('.')
            .trim_end()
            .eq_ignore_ascii_case("no answer")
    };
    if is_no_answer(body) {
        return Some(Extracted::NoAnswer);
    }
    match serde_json::from_str(body.trim()).ok()? {
        Value::String(s) if is_no_answer(&s) => Some(Extracted::NoAnswer),
        value => Some(Extracted::Json(value)),
    }
}

/// A fenced block: its info string (`json`, or empty) and its content.
struct Fence<'a> {
    info: &'a str,
    body: &'a str,
}

/// The fenced blocks of `text`, in order. A fence is a run of three or more backticks, closed by
/// the next run at least as long (an unclosed last fence runs to the end of the text). Fences
/// need not start a line, and a one-line block (```` ```json [1]``` ````) is read too.
fn fences(text: &str) -> Vec<Fence<'_>> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'`' {
                i += 1;
            }
            if i - start >= 3 {
                runs.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    let mut blocks = Vec::new();
    let mut r = 0;
    while let Some(&(start, end)) = runs.get(r) {
        let close = runs[r + 1..]
            .iter()
            .position(|(s, e)| e - s >= end - start)
            .map(|p| r + 1 + p);
        let content = match close {
            Some(c) => &text[end..runs[c].0],
            None => &text[end..],
        };
        blocks.push(split_info(content));
        r = close.map_or(runs.len(), |c| c + 1);
    }
    blocks
}

/// Splits a block's content into its info string and body: a first line that is one word
/// (`json`, `sql`, or nothing), else a leading `json` followed by white space, else no info.
fn split_info(content: &str) -> Fence<'_> {
    if let Some((first, rest)) = content.split_once('\n') {
        let word = first.trim();
        if word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_+".contains(c))
        {
            return Fence {
                info: word,
                body: rest,
            };
        }
    }
    let trimmed = content.trim_start();
    if let (Some(word), Some(rest)) = (trimmed.get(..4), trimmed.get(4..)) {
        if word.eq_ignore_ascii_case("json") && rest.starts_with(char::is_whitespace) {
            return Fence {
                info: word,
                body: rest,
            };
        }
    }
    Fence {
        info: "",
        body: content,
    }
}

/// The rows an answer's JSON gives, each as written: `null` or `[]` gives none; an array gives
/// one row per item, except that an array of scalars against several columns is one row read by
/// position; anything else (an object, a scalar) is one row.
fn answer_rows(value: &Value, columns: usize) -> Vec<&Value> {
    let scalar = |v: &Value| !matches!(v, Value::Array(_) | Value::Object(_));
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) if columns > 1 && !items.is_empty() && items.iter().all(scalar) => {
            vec![value]
        }
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// A predicted row's cells in gold column order, `None` where it gives none: an object's value
/// under the column's name (exactly, else after normalising both), an array's item at the
/// column's position, a scalar as the first column.
fn row_cells<'a>(row: &'a Value, columns: &[Column]) -> Vec<Option<&'a Value>> {
    match row {
        Value::Object(map) => columns
            .iter()
            .map(|c| {
                map.get(&c.name).or_else(|| {
                    (!c.key.is_empty())
                        .then(|| map.iter().find(|(k, _)| column_key(k) == c.key))
                        .flatten()
                        .map(|(_, v)| v)
                })
            })
            .collect(),
        Value::Array(items) => (0..columns.len()).map(|i| items.get(i)).collect(),
        scalar => (0..columns.len())
            .map(|i| (i == 0).then_some(scalar))
            .collect(),
    }
}

/// A gold cell, typed for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum GoldCell {
    Null,
    Integer(i128),
    /// A decimal, as its bits (so cells can be grouped).
    Decimal(u64),
    /// Cleaned text.
    Text(String),
    /// Anything else (true/false, arrays, objects), as cleaned compact JSON.
    Other(String),
}

impl GoldCell {
    fn new(value: &Value) -> Self {
        match value {
            Value::Null => GoldCell::Null,
            Value::Number(n) => match n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)) {
                Some(i) => GoldCell::Integer(i),
                None => GoldCell::Decimal(n.as_f64().unwrap_or(f64::NAN).to_bits()),
            },
            Value::String(s) => GoldCell::Text(clean_text(s)),
            other => GoldCell::Other(clean_text(&other.to_string())),
        }
    }

    /// Whether `cell` (a predicted cell) matches this gold cell, by this cell's type.
    fn matches(&self, cell: &PredictedCell) -> bool {
        match self {
            GoldCell::Null => cell.null_like,
            GoldCell::Integer(g) => match cell.number {
                Some(Number::Integer(p)) => p == *g,
                Some(Number::Decimal(p)) => p.fract() == 0.0 && p.abs() < 1e30 && p as i128 == *g,
                None => false,
            },
            GoldCell::Decimal(bits) => {
                let g = f64::from_bits(*bits);
                cell.number.is_some_and(|p| {
                    (p.as_f64() - g).abs() <= (RELATIVE_TOLERANCE * g.abs()).max(ABSOLUTE_TOLERANCE)
                })
            }
            GoldCell::Text(g) | GoldCell::Other(g) => cell.text.as_ref() == Some(g),
        }
    }
}

/// A number as written in an answer.
#[derive(Debug, Clone, Copy)]
enum Number {
    Integer(i128),
    Decimal(f64),
}

impl Number {
    fn as_f64(self) -> f64 {
        match self {
            Number::Integer(i) => i as f64,
            Number::Decimal(f) => f,
        }
    }

    /// A JSON number, or text that is one: optional sign, digits (commas only as thousands
    /// separators: `1,234,567`), optional fraction and exponent.
    fn read(value: &Value) -> Option<Number> {
        match value {
            Value::Number(n) => Some(
                match n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)) {
                    Some(i) => Number::Integer(i),
                    None => Number::Decimal(n.as_f64()?),
                },
            ),
            Value::String(s) => Number::parse(s.trim()),
            _ => None,
        }
    }

    fn parse(text: &str) -> Option<Number> {
        if text.is_empty()
            || !text
                .chars()
                .all(|c| c.is_ascii_digit() || ",.eE+-".contains(c))
        {
            return None;
        }
        let unsigned = text.trim_start_matches(['+', '-']);
        let integer_part = unsigned.split(['.', 'e', 'E']).next().unwrap_or_default();
        if integer_part.contains(',') {
            let groups: Vec<&str> = integer_part.split(',').collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
                return None;
            }
            if unsigned[integer_part.len()..].contains(',') {
                return None;
            }
        }
        let plain = text.replace(',', "");
        if let Ok(i) = plain.parse::<i128>() {
            return Some(Number::Integer(i));
        }
        plain
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Number::Decimal)
    }
}

/// A predicted cell, read every way a gold cell may compare it.
struct PredictedCell {
    number: Option<Number>,
    /// Cleaned text: a string's, or the JSON text of anything else but `null`.
    text: Option<String>,
    /// `null`, or the text "null", "none" or "".
    null_like: bool,
}

impl PredictedCell {
    fn new(value: &Value) -> Self {
        let text = match value {
            Value::Null => None,
            Value::String(s) => Some(clean_text(s)),
            other => Some(clean_text(&other.to_string())),
        };
        let null_like = match value {
            Value::Null => true,
            Value::String(_) => matches!(text.as_deref(), Some("null" | "none" | "")),
            _ => false,
        };
        PredictedCell {
            number: Number::read(value),
            text,
            null_like,
        }
    }
}

/// The classes of equal keys: each item's class, and each class's first item, in order of
/// first appearance. Rows of one class match the same rows, so matching works on classes.
fn classes<K: Hash + Eq>(keys: Vec<K>) -> (Vec<usize>, Vec<usize>) {
    let mut ids: HashMap<K, usize> = HashMap::new();
    let mut first = Vec::new();
    let class_of = keys
        .into_iter()
        .enumerate()
        .map(|(i, key)| {
            *ids.entry(key).or_insert_with(|| {
                first.push(i);
                first.len() - 1
            })
        })
        .collect();
    (class_of, first)
}

/// The one-to-one pairing of predicted rows with gold rows.
struct Matching {
    /// Rows paired: the size of a maximum matching.
    matched: usize,
    /// Per gold row, whether it is paired (within a class of equal rows, the first ones are).
    gold_matched: Vec<bool>,
    /// Per predicted row, whether it is paired.
    predicted_matched: Vec<bool>,
    gold_class: Vec<usize>,
    predicted_class: Vec<usize>,
    /// Per predicted class, the gold classes it matches, ascending.
    fits: Vec<Vec<usize>>,
}

impl Matching {
    /// Pairs rows by a maximum flow over classes of equal rows (source -> predicted class,
    /// capacity its size -> each gold class it matches -> sink, capacity its size), which is a
    /// maximum bipartite matching of the rows without comparing equal rows twice: thousands of
    /// repeated rows stay cheap.
    fn new(gold: &Gold, predicted: &[&Value]) -> Matching {
        let gold_cells = gold.cells();
        let predicted_cells: Vec<Vec<Option<&Value>>> = predicted
            .iter()
            .map(|row| row_cells(row, &gold.columns))
            .collect();
        let (gold_class, gold_first) = classes(gold_cells.iter().collect());
        let (predicted_class, predicted_first) = classes(
            predicted_cells
                .iter()
                .map(|cells| {
                    cells
                        .iter()
                        .map(|c| c.map(Value::to_string))
                        .collect::<Vec<_>>()
                })
                .collect(),
        );
        let fits: Vec<Vec<usize>> = predicted_first
            .iter()
            .map(|&p| {
                let cells: Vec<Option<PredictedCell>> = predicted_cells[p]
                    .iter()
                    .map(|c| c.map(PredictedCell::new))
                    .collect();
                gold_first
                    .iter()
                    .enumerate()
                    .filter(|(_, &g)| {
                        gold_cells[g]
                            .iter()
                            .zip(&cells)
                            .all(|(gc, pc)| pc.as_ref().is_some_and(|pc| gc.matches(pc)))
                    })
                    .map(|(gc, _)| gc)
                    .collect()
            })
            .collect();

        let (np, ng) = (predicted_first.len(), gold_first.len());
        let (source, sink) = (np + ng, np + ng + 1);
        let mut flow = Flow::new(np + ng + 2);
        let count = |class_of: &[usize], n: usize| {
            let mut sizes = vec![0; n];
            for &c in class_of {
                sizes[c] += 1;
            }
            sizes
        };
        let predicted_edges: Vec<usize> = count(&predicted_class, np)
            .into_iter()
            .enumerate()
            .map(|(p, size)| flow.add_edge(source, p, size))
            .collect();
        let gold_edges: Vec<usize> = count(&gold_class, ng)
            .into_iter()
            .enumerate()
            .map(|(g, size)| flow.add_edge(np + g, sink, size))
            .collect();
        for (p, gs) in fits.iter().enumerate() {
            for &g in gs {
                flow.add_edge(p, np + g, usize::MAX);
            }
        }
        let matched = flow.max_flow(source, sink);
        let spread = |class_of: &[usize], edges: &[usize]| {
            let mut left: Vec<usize> = edges.iter().map(|&e| flow.used(e)).collect();
            class_of
                .iter()
                .map(|&c| {
                    let paired = left[c] > 0;
                    if paired {
                        left[c] -= 1;
                    }
                    paired
                })
                .collect()
        };
        Matching {
            matched,
            gold_matched: spread(&gold_class, &gold_edges),
            predicted_matched: spread(&predicted_class, &predicted_edges),
            gold_class,
            predicted_class,
            fits,
        }
    }

    /// The length of the longest common subsequence of the predicted and gold rows, a pair
    /// being common when the predicted row matches the gold one.
    fn common_order(&self) -> usize {
        let mut previous = vec![0usize; self.gold_class.len() + 1];
        let mut current = previous.clone();
        for &p in &self.predicted_class {
            for (j, &g) in self.gold_class.iter().enumerate() {
                current[j + 1] = if self.fits[p].binary_search(&g).is_ok() {
                    previous[j] + 1
                } else {
                    previous[j + 1].max(current[j])
                };
            }
            std::mem::swap(&mut previous, &mut current);
        }
        previous.last().copied().unwrap_or(0)
    }
}

/// A flow network for Dinic's maximum flow. Edge `e`'s reverse is `e ^ 1`.
struct Flow {
    out: Vec<Vec<usize>>,
    to: Vec<usize>,
    capacity: Vec<usize>,
    initial: Vec<usize>,
}

impl Flow {
    fn new(nodes: usize) -> Self {
        Flow {
            out: vec![Vec::new(); nodes],
            to: Vec::new(),
            capacity: Vec::new(),
            initial: Vec::new(),
        }
    }

    /// Adds an edge and returns its index.
    fn add_edge(&mut self, from: usize, to: usize, capacity: usize) -> usize {
        let e = self.to.len();
        self.out[from].push(e);
        self.to.push(to);
        self.capacity.push(capacity);
        self.initial.push(capacity);
        self.out[to].push(e + 1);
        self.to.push(from);
        self.capacity.push(0);
        self.initial.push(0);
        e
    }

    /// The flow through edge `e`.
    fn used(&self, e: usize) -> usize {
        self.initial[e] - self.capacity[e]
    }

    fn max_flow(&mut self, source: usize, sink: usize) -> usize {
        let n = self.out.len();
        let mut total = 0;
        loop {
            // Levels by breadth-first search over edges with capacity left.
            let mut level = vec![usize::MAX; n];
            level[source] = 0;
            let mut queue = std::collections::VecDeque::from([source]);
            while let Some(u) = queue.pop_front() {
                for &e in &self.out[u] {
                    let v = self.to[e];
                    if self.capacity[e] > 0 && level[v] == usize::MAX {
                        level[v] = level[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            if level[sink] == usize::MAX {
                return total;
            }
            // Blocking flow: walk down levels (iteratively), pushing along each path found.
            let mut next = vec![0usize; n];
            let mut path: Vec<usize> = Vec::new();
            let mut u = source;
            loop {
                if u == sink {
                    let pushed = path.iter().map(|&e| self.capacity[e]).min().unwrap_or(0);
                    for &e in &path {
                        self.capacity[e] -= pushed;
                        self.capacity[e ^ 1] += pushed;
                    }
                    total += pushed;
                    path.clear();
                    u = source;
                    continue;
                }
                let step = self.out[u][next[u]..].iter().position(|&e| {
                    self.capacity[e] > 0 && level[self.to[e]] == level[u].wrapping_add(1)
                });
                match step {
                    Some(offset) => {
                        next[u] += offset;
                        let e = self.out[u][next[u]];
                        path.push(e);
                        u = self.to[e];
                    }
                    None => {
                        next[u] = self.out[u].len();
                        // A dead end: step back and skip the edge that led here.
                        match path.pop() {
                            Some(e) => {
                                u = self.to[e ^ 1];
                                next[u] += 1;
                            }
                            None => break,
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Reference;

    fn sample(columns: &[&str], rows: Value, ordered: bool) -> Sample {
        serde_json::from_value(json!({
            "id": "holobench/0", "family": "holobench", "task": "t", "lang": "en",
            "question": "q", "prompt": "p",
            "reference": {"kind": "rows", "value": rows},
            "meta": {"columns": columns, "ordered": ordered}
        }))
        .unwrap()
    }

    fn block(value: Value) -> String {
        format!("Working it out...\n\n```json\n{value}\n```\n")
    }

    fn value(scored: &Scored, name: &str) -> Option<f64> {
        scored.values.iter().find(|v| v.0 == name).map(|v| v.1)
    }

    /// Whether one predicted cell matches one gold cell, as a one-column, one-row result.
    fn cell_matches(gold: Value, predicted: Value) -> bool {
        let s = sample(&["v"], json!([{ "v": gold }]), false);
        let scored = Rows.score(&s, &block(json!([{ "v": predicted }]))).unwrap();
        scored.headline() == 1.0
    }

    #[test]
    fn the_perfect_answer_scores_one_on_every_value() {
        let cases = [
            (
                "ordered rows",
                sample(
                    &["name", "total"],
                    json!([{"name": "Ann", "total": 12}, {"name": "Bo", "total": 7}, {"name": "Cy", "total": 7}]),
                    true,
                ),
            ),
            (
                "unordered rows",
                sample(
                    &["city", "avg_price"],
                    json!([{"city": "Oslo", "avg_price": 45.333333}, {"city": "Rome", "avg_price": 12.5}]),
                    false,
                ),
            ),
            (
                "scalar integer",
                sample(&["COUNT(*)"], json!([{"COUNT(*)": 42}]), false),
            ),
            (
                "scalar decimal",
                sample(&["avg"], json!([{"avg": 0.1234567}]), false),
            ),
            ("empty", sample(&["name"], json!([]), true)),
            (
                "nulls",
                sample(
                    &["name", "dept"],
                    json!([{"name": "Ann", "dept": null}, {"name": null, "dept": "x"}]),
                    false,
                ),
            ),
            (
                "dates",
                sample(
                    &["day", "n"],
                    json!([{"day": "2024-01-05", "n": 3}, {"day": "2023-12-31", "n": 1}]),
                    true,
                ),
            ),
            (
                "backticks in text",
                sample(&["note"], json!([{"note": "a ``` b"}]), false),
            ),
        ];
        for (what, s) in cases {
            let perfect = Rows.perfect_answer(&s).unwrap();
            let scored = Rows.score(&s, &perfect).unwrap();
            let names: Vec<&str> = scored.values.iter().map(|v| v.0).collect();
            let ordered = s.meta["ordered"] == json!(true);
            let expected: Vec<&str> = Rows
                .values()
                .iter()
                .copied()
                .filter(|n| ordered || *n != "order_score")
                .collect();
            assert_eq!(names, expected, "{what}");
            assert!(
                scored.values.iter().all(|v| v.1 == 1.0),
                "{what}: {perfect}\n{scored:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn a_missing_row_costs_recall_only(k in 1usize..20, drop in 0usize..20, ordered: bool) {
            let drop = drop % k;
            let rows: Vec<Value> = (0..k)
                .map(|i| json!({"id": i, "name": format!("item {i}"), "share": i as f64 + 0.25}))
                .collect();
            let s = sample(&["id", "name", "share"], Value::Array(rows.clone()), ordered);
            let mut answer = rows;
            answer.remove(drop);
            let scored = Rows.score(&s, &block(Value::Array(answer))).unwrap();
            let recall = (k - 1) as f64 / k as f64;
            proptest::prop_assert_eq!(value(&scored, "recall"), Some(recall));
            proptest::prop_assert_eq!(value(&scored, "extraction_rate"), Some(1.0));
            if k == 1 {
                // Nothing left: the empty answer against a non-empty result scores 0 throughout.
                proptest::prop_assert_eq!(value(&scored, "precision"), Some(0.0));
                proptest::prop_assert_eq!(scored.headline(), 0.0);
            } else {
                proptest::prop_assert_eq!(value(&scored, "precision"), Some(1.0));
                proptest::prop_assert!((scored.headline() - 2.0 * recall / (1.0 + recall)).abs() < 1e-12);
                if ordered {
                    proptest::prop_assert_eq!(value(&scored, "order_score"), Some(recall));
                }
            }
            proptest::prop_assert_eq!(&scored.details["missed"][0], &json!({"id": drop, "name": format!("item {drop}"), "share": drop as f64 + 0.25}));
        }
    }

    #[test]
    fn repeating_a_right_row_costs_precision() {
        let s = sample(
            &["name", "n"],
            json!([{"name": "Ann", "n": 1}, {"name": "Bo", "n": 2}, {"name": "Cy", "n": 3}]),
            false,
        );
        for k in 1..12usize {
            let answer = vec![json!({"name": "Bo", "n": 2}); k];
            let scored = Rows.score(&s, &block(Value::Array(answer))).unwrap();
            assert_eq!(value(&scored, "precision"), Some(1.0 / k as f64), "k = {k}");
            assert_eq!(value(&scored, "recall"), Some(1.0 / 3.0), "k = {k}");
            assert_eq!(scored.details["matched"], 1);
        }
        // Duplicates in the gold result are matched one for one.
        let twice = sample(&["n"], json!([{"n": 5}, {"n": 5}]), false);
        let one = Rows.score(&twice, &block(json!([5]))).unwrap();
        assert_eq!(value(&one, "recall"), Some(0.5));
        assert_eq!(
            Rows.score(&twice, &block(json!([5, 5])))
                .unwrap()
                .headline(),
            1.0
        );
    }

    #[test]
    fn rows_may_be_arrays_and_keys_match_loosely() {
        let s = sample(
            &["city", "avg_price"],
            json!([{"city": "Oslo", "avg_price": 45.5}, {"city": "Rome", "avg_price": 12.25}]),
            false,
        );
        let f1 = |answer: Value| Rows.score(&s, &block(answer)).unwrap().headline();
        assert_eq!(f1(json!([["Oslo", 45.5], ["Rome", 12.25]])), 1.0);
        assert_eq!(
            f1(json!([{"City": "oslo", "Avg Price": 45.5}, {"CITY": "Rome", "avgPrice": "12.25"}])),
            1.0
        );
        assert_eq!(
            f1(json!([["Oslo", 45.5], ["Rome"]])),
            0.5,
            "a short array misses a cell"
        );
        assert_eq!(
            f1(
                json!([{"city": "Oslo", "avg_price": 45.5, "note": "cheap"}, {"city": "Rome", "avg_price": 12.25}])
            ),
            1.0,
            "extra keys are ignored"
        );
        assert_eq!(
            f1(json!([{"city": "Oslo"}, {"city": "Rome", "price": 12.25}])),
            0.0,
            "a missing column does not match"
        );
        assert!(
            (f1(json!(["Oslo", 45.5])) - 2.0 / 3.0).abs() < 1e-12,
            "one row by position"
        );
        // A scalar result, written every way the prompt allows.
        let count = sample(&["COUNT(*)"], json!([{"COUNT(*)": 1234}]), false);
        for answer in [
            json!(1234),
            json!([1234]),
            json!({"count": 1234}),
            json!([[1234]]),
            json!("1,234"),
        ] {
            let scored = Rows.score(&count, &block(answer.clone())).unwrap();
            assert_eq!(scored.headline(), 1.0, "{answer}");
        }
        assert!(
            (Rows
                .score(&count, &block(json!([1234, 1234])))
                .unwrap()
                .headline()
                - 2.0 / 3.0)
                .abs()
                < 1e-12
        );
    }

    #[test]
    fn cells_compare_by_the_gold_type() {
        // Decimals: relative 1e-3 with an absolute floor of 5e-3.
        assert!(cell_matches(json!(45.333333), json!(45.33)));
        assert!(cell_matches(json!(45.333333), json!("45.333")));
        assert!(!cell_matches(json!(45.333333), json!(45.4)));
        assert!(cell_matches(json!(0.5), json!(0.504)));
        assert!(!cell_matches(json!(0.5), json!(0.506)));
        assert!(cell_matches(json!(12000.5), json!(12010)));
        assert!(!cell_matches(json!(12000.5), json!(12013)));
        assert!(!cell_matches(json!(0.5), json!("half")));
        // Integers: exactly, as a number or numeric text.
        for same in [
            json!(12),
            json!("12"),
            json!(12.0),
            json!(" 12 "),
            json!("12.0"),
        ] {
            assert!(cell_matches(json!(12), same.clone()), "{same}");
        }
        for other in [
            json!(13),
            json!(12.5),
            json!("12 apples"),
            json!(null),
            json!([12]),
        ] {
            assert!(!cell_matches(json!(12), other.clone()), "{other}");
        }
        assert!(cell_matches(json!(1234567), json!("1,234,567")));
        assert!(!cell_matches(json!(1234567), json!("12,34,567")));
        assert!(cell_matches(json!(-3), json!("-3")));
        // Text: case and spacing do not count, anything else does.
        assert!(cell_matches(json!("New  York"), json!("  new york ")));
        assert!(!cell_matches(json!("New York"), json!("NewYork")));
        assert!(
            cell_matches(json!("2021"), json!(2021)),
            "a number against text: its JSON text"
        );
        assert!(cell_matches(json!("2024-01-05"), json!("2024-01-05")));
        assert!(!cell_matches(json!("2024-01-05"), json!("2024-1-5")));
        // Null: null, or the words for it.
        for missing in [json!(null), json!("None"), json!("NULL"), json!("")] {
            assert!(cell_matches(json!(null), missing.clone()), "{missing}");
        }
        assert!(!cell_matches(json!(null), json!(0)));
        assert!(!cell_matches(json!("none"), json!(null)));
    }

    #[test]
    fn no_answer_is_right_exactly_when_the_result_is_empty() {
        let empty = sample(&["name"], json!([]), false);
        let full = sample(&["name"], json!([{"name": "Ann"}]), false);
        let answers = [
            "I checked every row.\n\nNo answer",
            "Nothing fits.\n```json\n[]\n```",
            "```json\nnull\n```",
            "```json\n\"no answer\"\n```",
            "```json\nno answer\n```",
        ];
        for answer in answers {
            let right = Rows.score(&empty, answer).unwrap();
            assert!(
                right.values.iter().all(|v| v.1 == 1.0),
                "{answer}: {right:?}"
            );
            let wrong = Rows.score(&full, answer).unwrap();
            assert_eq!(
                wrong.values,
                vec![
                    ("f1", 0.0),
                    ("precision", 0.0),
                    ("recall", 0.0),
                    ("extraction_rate", 1.0)
                ],
                "{answer}"
            );
        }
        assert_eq!(
            Rows.score(&empty, "no answer").unwrap().answer.as_deref(),
            Some("no answer")
        );
        let rows = Rows
            .score(&empty, &block(json!([{"name": "Ann"}])))
            .unwrap();
        assert_eq!(rows.headline(), 0.0);
        assert_eq!(value(&rows, "extraction_rate"), Some(1.0));
    }

    #[test]
    fn extraction_needs_a_readable_last_block() {
        let s = sample(&["name"], json!([{"name": "Ann"}, {"name": "Bo"}]), false);
        let scored = |output: &str| Rows.score(&s, output).unwrap();
        let none = scored("The answer is Ann and Bo.");
        assert_eq!(
            none.values,
            vec![
                ("f1", 0.0),
                ("precision", 0.0),
                ("recall", 0.0),
                ("extraction_rate", 0.0)
            ]
        );
        assert_eq!(none.answer, None);
        assert_eq!(
            value(
                &scored("```json\n[{\"name\": \"Ann\"},\n```"),
                "extraction_rate"
            ),
            Some(0.0),
            "invalid JSON"
        );
        // The last block wins, even over an earlier right one.
        let right = "```json\n[\"Ann\"]\n```";
        let wrong = "```json\n[\"Cy\"]\n```";
        let both = "```json\n[\"Ann\", \"Bo\"]\n```";
        assert_eq!(
            scored(&format!("{wrong}\nActually:\n{both}")).headline(),
            1.0
        );
        assert_eq!(
            scored(&format!("{both}\nActually:\n{wrong}")).headline(),
            0.0
        );
        assert_eq!(
            value(
                &scored(&format!("{both}\nActually:\n```json\n[oops\n```")),
                "extraction_rate"
            ),
            Some(0.0),
            "an unreadable last json block is no answer"
        );
        assert!(
            (scored(&format!("{both}\n```\n[\"Ann\"]\n```")).headline() - 2.0 / 3.0).abs() < 1e-12,
            "a later plain fence holding JSON"
        );
        assert_eq!(
            scored(&format!("{both}\n```sql\nSELECT name FROM t\n```")).headline(),
            1.0,
            "other fences are not answers"
        );
        assert_eq!(
            scored(&format!("x\n{}", right.replace('\n', " "))).values[2],
            ("recall", 0.5),
            "a one-line block"
        );
        assert_eq!(
            scored("```json\n[{\"name\": \"Ann\"}, {\"name\": \"Bo\"}]").headline(),
            1.0,
            "an unclosed last block"
        );
        let answer = scored(&block(json!([{"name": "Ann"}, {"name": "Bo"}]))).answer;
        assert_eq!(answer.as_deref(), Some(r#"[{"name":"Ann"},{"name":"Bo"}]"#));
    }

    #[test]
    fn order_scores_only_ordered_results() {
        let rows = json!([{"n": "a"}, {"n": "b"}, {"n": "c"}]);
        let ordered = sample(&["n"], rows.clone(), true);
        let reversed = block(json!(["c", "b", "a"]));
        let scored = Rows.score(&ordered, &reversed).unwrap();
        assert_eq!(value(&scored, "order_score"), Some(1.0 / 3.0));
        assert_eq!(scored.headline(), 1.0, "the right rows, in the wrong order");
        let swapped = Rows
            .score(&ordered, &block(json!(["a", "c", "b"])))
            .unwrap();
        assert_eq!(value(&swapped, "order_score"), Some(2.0 / 3.0));
        let extra = Rows
            .score(&ordered, &block(json!(["a", "b", "c", "d"])))
            .unwrap();
        assert_eq!(value(&extra, "order_score"), Some(3.0 / 4.0));
        let unordered = Rows.score(&sample(&["n"], rows, false), &reversed).unwrap();
        assert_eq!(value(&unordered, "order_score"), None);
        assert_eq!(unordered.values.len(), 4);
    }

    #[test]
    fn the_maximum_matching_beats_greedy_first_fit() {
        // 1.003 fits both gold values (within 5e-3), 1.0 only the first. First-fit would pair
        // 1.003 with 1.0 and leave 1.0 unpaired; the maximum matching pairs both.
        let s = sample(&["x"], json!([{"x": 1.0}, {"x": 1.006}]), false);
        let scored = Rows.score(&s, &block(json!([1.003, 1.0]))).unwrap();
        assert_eq!(scored.details["matched"], 2);
        assert_eq!(scored.headline(), 1.0);
        assert_eq!(scored.details["missed"], json!([]));
        // Many repeated rows, matched over classes.
        let many: Vec<Value> = (0..3000).map(|i| json!({"x": i % 3})).collect();
        let s = sample(&["x"], Value::Array(many), false);
        let answer: Vec<Value> = (0..4000).map(|i| json!(i % 4)).collect();
        let scored = Rows.score(&s, &block(Value::Array(answer))).unwrap();
        assert_eq!(scored.details["matched"], 3000);
        assert_eq!(value(&scored, "precision"), Some(0.75));
    }

    #[test]
    fn baselines_render_rows_and_bad_references_name_the_sample() {
        let s = sample(
            &["name", "n"],
            json!([{"name": "Ann", "n": 1}, {"name": "Bo", "n": 2}]),
            true,
        );
        let picks = [
            r#"{"name":"Ann","n":1}"#.to_string(),
            "not json".to_string(),
        ];
        let rendered = Rows.render_answer(&s, &picks);
        let scored = Rows.score(&s, &rendered).unwrap();
        assert_eq!(value(&scored, "precision"), Some(1.0));
        assert_eq!(value(&scored, "recall"), Some(0.5));
        assert_eq!(Rows.render_answer(&s, &[]), "no answer");
        assert_eq!(
            Rows.reference_text(&s).unwrap(),
            r#"[{"name":"Ann","n":1},{"name":"Bo","n":2}]"#
        );
        assert!(Rows
            .reference_text(&sample(&["n"], json!([]), false))
            .unwrap()
            .contains("\"no answer\""));

        let mut bad = s.clone();
        bad.reference = Reference {
            kind: "rows".into(),
            value: json!(["Ann", "Bo"]),
        };
        let mut no_columns = s.clone();
        no_columns.meta.remove("columns");
        let mut wrong_columns = s.clone();
        wrong_columns.meta.insert("columns".into(), json!(["name"]));
        let mut wrong_kind = s.clone();
        wrong_kind.reference = Reference::exact("Ann");
        for (what, sample) in [
            ("not objects", bad),
            ("no columns", no_columns),
            ("columns unlike the rows", wrong_columns),
            ("another kind", wrong_kind),
        ] {
            let err = Rows.score(&sample, "no answer").unwrap_err();
            assert!(matches!(err, JudgeError::Reference { .. }), "{what}: {err}");
            assert!(err.to_string().contains("holobench/0"), "{what}: {err}");
            assert!(Rows.perfect_answer(&sample).is_err(), "{what}");
        }
    }
}
