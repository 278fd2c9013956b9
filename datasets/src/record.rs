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

/// A pairwise verdict on the five-point scale, or `invalid` when the judge's reply could not be
/// read. Written as the label itself (`"A>>B"`), so files stay readable by eye and by jq.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "A>>B")]
    MuchBetter,
    #[serde(rename = "A>B")]
    Better,
    #[serde(rename = "A=B")]
    Tie,
    #[serde(rename = "B>A")]
    Worse,
    #[serde(rename = "B>>A")]
    MuchWorse,
    #[serde(rename = "invalid")]
    Invalid,
}

impl Verdict {
    /// The five valid verdicts, from A's strongest win to B's.
    pub const SCALE: [Verdict; 5] = [
        Verdict::MuchBetter,
        Verdict::Better,
        Verdict::Tie,
        Verdict::Worse,
        Verdict::MuchWorse,
    ];

    /// The label as written between double brackets.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::MuchBetter => "A>>B",
            Verdict::Better => "A>B",
            Verdict::Tie => "A=B",
            Verdict::Worse => "B>A",
            Verdict::MuchWorse => "B>>A",
            Verdict::Invalid => "invalid",
        }
    }

    /// The same judgment stated for the other answer: what the judge said of the answer shown
    /// second becomes a statement about the answer shown first.
    pub fn swapped(self) -> Verdict {
        match self {
            Verdict::MuchBetter => Verdict::MuchWorse,
            Verdict::Better => Verdict::Worse,
            Verdict::Tie => Verdict::Tie,
            Verdict::Worse => Verdict::Better,
            Verdict::MuchWorse => Verdict::MuchBetter,
            Verdict::Invalid => Verdict::Invalid,
        }
    }

    /// A's share of the win on `[0, 1]`: 1, 0.75, 0.5, 0.25, 0; none when invalid.
    pub fn score(self) -> Option<f64> {
        match self {
            Verdict::MuchBetter => Some(1.0),
            Verdict::Better => Some(0.75),
            Verdict::Tie => Some(0.5),
            Verdict::Worse => Some(0.25),
            Verdict::MuchWorse => Some(0.0),
            Verdict::Invalid => None,
        }
    }

    /// Who won, ignoring strength: `Some(Ordering::Greater)` when A won.
    pub fn winner(self) -> Option<std::cmp::Ordering> {
        self.score().map(|s| s.total_cmp(&0.5))
    }
}

/// Which answer the judge saw first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// `model_a`'s answer shown as "Assistant A".
    Ab,
    /// `model_b`'s answer shown as "Assistant A".
    Ba,
}

/// One verdict of one judge on one question, for one order of showing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judgment {
    pub question_id: String,
    pub model_a: String,
    pub model_b: String,
    pub judge: String,
    pub order: Order,
    /// Always stated for `model_a` against `model_b`, whatever the order of showing.
    pub verdict: Verdict,
    /// The label as the judge wrote it, for the order shown; null when none could be read.
    pub raw_verdict: Option<String>,
    /// The judge's whole reply (or, for a failed request, nothing; `error` says why).
    pub raw: Option<String>,
    /// Under `--verdict-mode logprob`: the renormalised probability of each verdict, stated for
    /// `model_a` like `verdict`, keyed by label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probabilities: Option<Map<String, Value>>,
    /// The expected score of `model_a` under `probabilities` (see [`Verdict::score`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_score: Option<f64>,
    /// Verdict codes absent from the returned top log-probabilities (given probability 0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_codes: Vec<String>,
    /// Answer lengths in Unicode scalar values, for `rank --control length`.
    pub length_a: usize,
    pub length_b: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Judgment {
    /// A judgment of `model_a` against `model_b` shown in `order`, before any verdict is read:
    /// `invalid`, with nothing recorded yet.
    pub fn new(
        question_id: impl Into<String>,
        model_a: impl Into<String>,
        model_b: impl Into<String>,
        judge: impl Into<String>,
        order: Order,
    ) -> Self {
        Judgment {
            question_id: question_id.into(),
            model_a: model_a.into(),
            model_b: model_b.into(),
            judge: judge.into(),
            order,
            verdict: Verdict::Invalid,
            raw_verdict: None,
            raw: None,
            probabilities: None,
            expected_score: None,
            missing_codes: Vec::new(),
            length_a: 0,
            length_b: 0,
            fingerprint: None,
            error: None,
        }
    }
}

/// One rubric grade of one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub question_id: String,
    pub model: String,
    pub judge: String,
    /// 1 to 10; null when the reply held no readable rating.
    pub grade: Option<u8>,
    pub raw: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
