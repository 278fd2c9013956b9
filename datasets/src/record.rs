//! The records that flow between stages, exactly as they are written to JSON Lines.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// File name of a dataset's samples inside its folder.
pub const SAMPLES_JSONL: &str = "samples.jsonl";

/// One benchmark item: everything a model is shown and everything needed to grade its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// Stable across runs: derived from family, task, parameters and index, never from a clock.
    pub id: String,
    pub family: String,
    pub task: String,
    pub lang: String,
    /// The long input, inline. Absent when `context_id` names a shared text in `contexts.jsonl`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    pub question: String,
    /// The full rendered prompt a model receives: context, instructions and question.
    pub prompt: String,
    pub reference: Reference,
    /// Family-specific facts from which the reference can be re-derived (see each family's docs),
    /// plus the common keys `target_tokens`, `context_tokens`, `tokenizer`, `seed`, `evidence`.
    pub meta: Map<String, Value>,
}

/// The graded answer, always written as `{"kind": ..., "value": ...}` so that a reader can
/// dispatch on `kind` without knowing the family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Reference {
    /// One exact answer string, compared after cleaning.
    Exact(String),
    /// Every listed key must be found in the answer; the score is the share found.
    Needles(Vec<String>),
}

/// Where one piece of needed information sits in a context, in Unicode scalar values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub char_start: usize,
    pub char_end: usize,
}

/// One model's answer to one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    pub sample_id: String,
    pub model: String,
    /// Null when the request failed; `error` then says why.
    pub output: Option<String>,
    #[serde(default)]
    pub usage: Option<Value>,
    #[serde(default)]
    pub latency_ms: Option<f64>,
    #[serde(default)]
    pub error: Option<String>,
    /// Hash of the exact request, for caching and resume; null for offline baselines.
    #[serde(default)]
    pub fingerprint: Option<String>,
}

/// One metric for one prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub sample_id: String,
    pub model: String,
    pub metric: String,
    /// In `[0, 1]`.
    pub value: f64,
    pub details: Value,
}

/// Length of `text` in Unicode scalar values, the unit of every offset in the contracts.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}
