//! The records that flow between stages, exactly as they are written to JSON Lines.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// File name of a dataset's samples inside its folder.
pub const SAMPLES_JSONL: &str = "samples.jsonl";
/// File name of the long texts many samples share, when there are any.
pub const CONTEXTS_JSONL: &str = "contexts.jsonl";
/// Where a shared context goes in the stored prompt of a sample that names one.
pub const CONTEXT_SLOT: &str = "{{context}}";

/// A long text many samples read (a book), stored once in `contexts.jsonl` and named by each
/// sample's `context_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    pub id: String,
    pub text: String,
    /// Its length in tokens of the dataset's tokenizer.
    pub tokens: u64,
}

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
    /// The full rendered prompt a model receives: context, instructions and question. When the
    /// sample names a shared context (`context_id`), the prompt holds [`CONTEXT_SLOT`] once
    /// where the context goes, and readers put the text there ([`crate::Dataset::prompt`]).
    pub prompt: String,
    pub reference: Reference,
    /// Family-specific facts from which the reference can be re-derived (see each family's docs),
    /// plus the common keys `target_tokens`, `context_tokens`, `tokenizer`, `seed`, `evidence`.
    pub meta: Map<String, Value>,
}

/// The graded answer, always written as `{"kind": ..., "value": ...}`.
///
/// The set of kinds is open: a family writes whatever its task's scorer reads (`exact`: one
/// string; `needles`: a list of strings; a list of rows; a claim's truth; program tests ...).
/// Which scorer reads it is not guessed from `kind`: the manifest's scoring spec names it per
/// task, and the scorer checks that the kind is one it reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub kind: String,
    pub value: Value,
}

impl Reference {
    /// One exact answer string, compared after cleaning.
    pub fn exact(answer: impl Into<String>) -> Self {
        Reference {
            kind: "exact".into(),
            value: Value::String(answer.into()),
        }
    }

    /// Every listed value must be found in the answer.
    pub fn needles(values: Vec<String>) -> Self {
        Reference {
            kind: "needles".into(),
            value: values.into(),
        }
    }
}

impl Sample {
    /// The sample's cell in its dataset's grid: `meta.axes`, an ordered map of axis name to
    /// value (NeedleBench: `lang`, `length`, then `depth` or `links`). Summaries group by it and
    /// reports draw from it without knowing the family. Empty when the sample has none.
    pub fn axes(&self) -> Map<String, Value> {
        match self.meta.get("axes") {
            Some(Value::Object(axes)) => axes.clone(),
            _ => Map::new(),
        }
    }
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
#[serde(from = "PredictionOnDisk")]
pub struct Prediction {
    pub sample_id: String,
    pub model: String,
    /// Whether the model answered. Files written before this field existed read as: `skipped`
    /// when `error` starts with "skipped", `failed` when there is no output, else `answered`.
    pub status: Status,
    /// Null when the request failed or was skipped; `error` then says why. An answered reply
    /// may be empty (a reasoning model cut off before it wrote its answer).
    pub output: Option<String>,
    /// The server's `finish_reason` (`stop`, `length`, ...): `length` tells an answer cut off by
    /// `max_tokens` from one that missed the format. Null for baselines and older files.
    #[serde(default)]
    pub finish_reason: Option<String>,
    /// A reasoning server's thinking, kept apart from `output` and never scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    #[serde(default)]
    pub usage: Option<Value>,
    #[serde(default)]
    pub latency_ms: Option<f64>,
    /// Why there is no output; or, beside an output, what went wrong after it came (not stored).
    #[serde(default)]
    pub error: Option<String>,
    /// Hash of the exact request, for caching and resume; null for offline baselines.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// The SHA-256 of the `samples.jsonl` answered (from its dataset's manifest): every seed of
    /// a family uses the same sample ids, so without it predictions made on one dataset would
    /// score against another. Absent in files written before it existed, which are not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
}

/// What became of a request for one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The model replied; `output` holds its text (possibly empty).
    Answered,
    /// The request failed after its retries; `error` says why. A rerun asks it again.
    Failed,
    /// Never sent (the prompt does not fit the model's context); `error` says why.
    Skipped,
}

/// A prediction as read from disk, where `status` may be missing (files from before it existed).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PredictionOnDisk {
    sample_id: String,
    model: String,
    #[serde(default)]
    status: Option<Status>,
    output: Option<String>,
    #[serde(default)]
    finish_reason: Option<String>,
    #[serde(default)]
    reasoning: Option<String>,
    #[serde(default)]
    usage: Option<Value>,
    #[serde(default)]
    latency_ms: Option<f64>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    dataset: Option<String>,
}

impl From<PredictionOnDisk> for Prediction {
    fn from(p: PredictionOnDisk) -> Self {
        let status = p.status.unwrap_or(match (&p.output, p.error.as_deref()) {
            (_, Some(e)) if e.starts_with("skipped") => Status::Skipped,
            (None, _) => Status::Failed,
            (Some(_), _) => Status::Answered,
        });
        Prediction {
            sample_id: p.sample_id,
            model: p.model,
            status,
            output: p.output,
            finish_reason: p.finish_reason,
            reasoning: p.reasoning,
            usage: p.usage,
            latency_ms: p.latency_ms,
            error: p.error,
            fingerprint: p.fingerprint,
            dataset: p.dataset,
        }
    }
}

impl Prediction {
    /// An answered prediction with nothing else recorded (baselines, tests).
    pub fn answered(sample_id: &str, model: &str, output: impl Into<String>) -> Self {
        Prediction {
            sample_id: sample_id.to_string(),
            model: model.to_string(),
            status: Status::Answered,
            output: Some(output.into()),
            finish_reason: None,
            reasoning: None,
            usage: None,
            latency_ms: None,
            error: None,
            fingerprint: None,
            dataset: None,
        }
    }

    /// The text to score or show a judge: the output, or empty when there is none.
    pub fn text(&self) -> &str {
        self.output.as_deref().unwrap_or("")
    }

    /// Cut off by the server's token limit.
    pub fn truncated(&self) -> bool {
        self.finish_reason.as_deref() == Some("length")
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictions_without_status_read_as_before() {
        let read = |line: &str| serde_json::from_str::<Prediction>(line).unwrap();
        let old = read(
            r#"{"sample_id":"s","model":"m","output":"x","usage":null,"latency_ms":1.0,"error":null,"fingerprint":null}"#,
        );
        assert_eq!(old.status, Status::Answered);
        assert_eq!(old.finish_reason, None);
        let failed = read(r#"{"sample_id":"s","model":"m","output":null,"error":"HTTP 500"}"#);
        assert_eq!(failed.status, Status::Failed);
        let skipped = read(
            r#"{"sample_id":"s","model":"m","output":null,"error":"skipped for context: 9 > 8"}"#,
        );
        assert_eq!(skipped.status, Status::Skipped);
        let new = read(
            r#"{"sample_id":"s","model":"m","status":"answered","output":"","finish_reason":"length"}"#,
        );
        assert_eq!(new.status, Status::Answered);
        assert!(new.truncated());
        assert!(serde_json::from_str::<Prediction>(
            r#"{"sample_id":"s","model":"m","output":"x","colour":1}"#
        )
        .is_err());
        assert!(serde_json::from_str::<Prediction>(
            r#"{"sample_id":"s","model":"m","status":"lost","output":"x"}"#
        )
        .is_err());
    }

    #[test]
    fn references_keep_their_on_disk_shape() {
        let r = Reference::exact("Ann");
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"kind":"exact","value":"Ann"}"#
        );
        let n = Reference::needles(vec!["a".into(), "b".into()]);
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            r#"{"kind":"needles","value":["a","b"]}"#
        );
        let open: Reference = serde_json::from_str(r#"{"kind":"rows","value":[[1,"x"]]}"#).unwrap();
        assert_eq!(open.kind, "rows");
    }
}
