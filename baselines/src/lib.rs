//! Built-in baseline responders: models that need no server, so the whole flow (generate, answer,
//! score, rank) runs offline, and so every benchmark comes with floors and ceilings to read its
//! numbers against.
//!
//! - `oracle` answers with the reference: the ceiling, and a check that the scorer accepts the
//!   reference in the format the prompt asks for.
//! - `random` answers with a random candidate from the sample (any person of the puzzle, any
//!   needle or distractor value): the floor.
//! - `shortcut` answers the way a model that does not read the question could: the person never
//!   named as anyone's child, or the first candidate value in the text. On the original
//!   NeedleBench this scores perfectly on the Ancestral Trace Challenge; distractors defeat it.
//! - `noisy-oracle` is the oracle that answers like `random` with a given probability: a model of
//!   known accuracy, for checking metrics and rankings.
//!
//! Baselines read only the sample's `meta` and `reference`, never a family's code, and draw their
//! randomness from the sample's seed, so their answers are reproducible.

use longforge_datasets::{derive_seed, Prediction, Reference, Sample, SeededRng};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Baseline {
    Oracle,
    Random,
    Shortcut,
    /// Answers like `Random` with this probability, like `Oracle` otherwise.
    NoisyOracle {
        error_rate: f64,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("unknown baseline `{0}`; use oracle, random, shortcut or noisy-oracle")]
    Unknown(String),
    #[error("--error-rate {0} is outside 0-1")]
    ErrorRate(f64),
}

impl Baseline {
    pub fn parse(name: &str, error_rate: Option<f64>) -> Result<Self, BaselineError> {
        let rate = error_rate.unwrap_or(0.3);
        if !(0.0..=1.0).contains(&rate) {
            return Err(BaselineError::ErrorRate(rate));
        }
        match name {
            "oracle" => Ok(Baseline::Oracle),
            "random" => Ok(Baseline::Random),
            "shortcut" => Ok(Baseline::Shortcut),
            "noisy-oracle" => Ok(Baseline::NoisyOracle { error_rate: rate }),
            other => Err(BaselineError::Unknown(other.to_string())),
        }
    }

    /// The model name written in predictions; a noisy oracle's carries its error rate, so two
    /// of them can be ranked side by side.
    pub fn model_name(&self) -> String {
        match self {
            Baseline::Oracle => "oracle".into(),
            Baseline::Random => "random".into(),
            Baseline::Shortcut => "shortcut".into(),
            Baseline::NoisyOracle { error_rate } => format!("noisy-oracle-{error_rate}"),
        }
    }

    pub fn answer(&self, sample: &Sample) -> Prediction {
        let output = match self {
            Baseline::Oracle => oracle(sample),
            Baseline::Random => random(sample, &mut rng_for(sample, "random")),
            Baseline::Shortcut => shortcut(sample),
            Baseline::NoisyOracle { error_rate } => {
                let mut rng = rng_for(sample, "noisy-oracle");
                if rng.chance(*error_rate) {
                    random(sample, &mut rng)
                } else {
                    oracle(sample)
                }
            }
        };
        Prediction {
            sample_id: sample.id.clone(),
            model: self.model_name(),
            output: Some(output),
            usage: None,
            latency_ms: Some(0.0),
            error: None,
            fingerprint: None,
        }
    }
}

/// Answers every sample; sorted by sample id, as `run` writes them.
pub fn answer_all(baseline: Baseline, samples: &[Sample]) -> Vec<Prediction> {
    let mut out: Vec<Prediction> = samples.iter().map(|s| baseline.answer(s)).collect();
    out.sort_by(|a, b| a.sample_id.cmp(&b.sample_id));
    out
}

fn rng_for(sample: &Sample, label: &str) -> SeededRng {
    let seed = sample
        .meta
        .get("seed")
        .and_then(Value::as_u64)
        .unwrap_or_else(|| derive_seed(0, &sample.id));
    SeededRng::new(derive_seed(seed, label))
}

fn boxed(answer: &str) -> String {
    format!("\\boxed{{{answer}}}")
}

fn oracle(sample: &Sample) -> String {
    match &sample.reference {
        Reference::Exact(a) => boxed(a),
        Reference::Needles(values) => boxed(&values.join("; ")),
    }
}

/// Values or people the sample offers as candidates, in the order they appear in the context.
fn candidates(sample: &Sample) -> Vec<String> {
    let meta = &sample.meta;
    if let Some(chain) = meta.get("chain").and_then(Value::as_array) {
        let mut people = Vec::new();
        for link in chain {
            for role in ["elder", "younger"] {
                if let Some(name) = link.get(role).and_then(Value::as_str) {
                    if !people.iter().any(|p| p == name) {
                        people.push(name.to_string());
                    }
                }
            }
        }
        return people;
    }
    // Needles and distractors, ordered by where they sit in the context.
    let mut spans: Vec<(u64, String)> = Vec::new();
    let needles = meta
        .get("needles")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let evidence = meta
        .get("evidence")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (n, e) in needles.iter().zip(&evidence) {
        if let (Some(v), Some(at)) = (
            n.get("value").and_then(Value::as_str),
            e.get("char_start").and_then(Value::as_u64),
        ) {
            spans.push((at, v.to_string()));
        }
    }
    for d in meta
        .get("distractors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(v), Some(at)) = (
            d.get("value").and_then(Value::as_str),
            d.get("char_start").and_then(Value::as_u64),
        ) {
            spans.push((at, v.to_string()));
        }
    }
    spans.sort();
    spans.into_iter().map(|(_, v)| v).collect()
}

fn asked(sample: &Sample) -> usize {
    match &sample.reference {
        Reference::Needles(v) => v.len().max(1),
        Reference::Exact(_) => 1,
    }
}

fn random(sample: &Sample, rng: &mut SeededRng) -> String {
    if sample.meta.get("question_type").and_then(Value::as_str) == Some("generations_apart") {
        let most: u64 = sample
            .meta
            .get("chain")
            .and_then(Value::as_array)
            .map(|c| {
                c.iter()
                    .filter_map(|l| l.get("generations").and_then(Value::as_u64))
                    .sum()
            })
            .unwrap_or(1);
        return boxed(&(1 + rng.below(most.max(1) as usize)).to_string());
    }
    let mut pool = candidates(sample);
    if pool.is_empty() {
        return boxed("");
    }
    rng.shuffle(&mut pool);
    pool.truncate(asked(sample));
    boxed(&pool.join("; "))
}

fn shortcut(sample: &Sample) -> String {
    if let Some(chain) = sample.meta.get("chain").and_then(Value::as_array) {
        // The first elder, in the order of the text, who is nobody's younger.
        let youngers: Vec<&str> = chain
            .iter()
            .filter_map(|l| l.get("younger").and_then(Value::as_str))
            .collect();
        let root = chain
            .iter()
            .filter_map(|l| l.get("elder").and_then(Value::as_str))
            .find(|e| !youngers.contains(e))
            .unwrap_or("");
        return boxed(root);
    }
    let mut first = candidates(sample);
    first.truncate(asked(sample));
    boxed(&first.join("; "))
}
