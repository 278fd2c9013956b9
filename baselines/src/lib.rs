//! Built-in baseline responders: models that need no server, so the whole flow (generate, answer,
//! score, rank) runs offline, and so every benchmark comes with floors and ceilings to read its
//! numbers against.
//!
//! - `oracle` answers with the answer a perfect model would write, as the task's scorer writes
//!   it: the ceiling, and a check that the scorer accepts its own reference in the format the
//!   prompt asks for.
//! - `random` answers with `picks` candidates drawn from the sample's `meta.baseline.candidates`
//!   (any person of the puzzle, any needle or distractor value ...): the floor.
//! - `shortcut` answers with the family's `meta.baseline.shortcut`: what a model that does not
//!   read the question could answer (on the original NeedleBench, the person never named as
//!   anyone's child, which solves the Ancestral Trace Challenge; distractors defeat it).
//! - `noisy-oracle` is the oracle that answers like `random` with a given probability: a model of
//!   known accuracy, for checking metrics and rankings.
//!
//! Baselines know no family: candidates come from the sample, and the reply's format from an
//! [`AnswerKey`] (the task's scorer, wired in by the caller). Their randomness comes from the
//! sample's seed, so their answers are reproducible.

use longforge_datasets::{derive_seed, Prediction, Sample, SeededRng};
use serde::Deserialize;
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

/// What a baseline needs from the task's scorer: the answer a perfect model would write, and
/// chosen candidates written in the format the prompt asks for.
pub trait AnswerKey {
    fn perfect_answer(&self, sample: &Sample) -> Result<String, String>;
    fn render_answer(&self, sample: &Sample, picks: &[String]) -> Result<String, String>;
}

/// `meta.baseline`, written by the family for every sample.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidates {
    /// Plausible answers found in the sample, in the order they appear in the context.
    pub candidates: Vec<String>,
    /// How many candidates make one answer (needles asked at once).
    pub picks: usize,
    /// The answer of a model that skips the question.
    pub shortcut: Vec<String>,
}

impl Candidates {
    pub fn of(sample: &Sample) -> Result<Self, BaselineError> {
        let bad = |message: String| BaselineError::Sample {
            sample_id: sample.id.clone(),
            message,
        };
        let value = sample.meta.get("baseline").ok_or_else(|| {
            bad("has no `meta.baseline`: its family (or an older generator version) wrote no candidates for the random and shortcut baselines, and imported data carries none; regenerate it, or use oracle".into())
        })?;
        serde_json::from_value(value.clone()).map_err(|e| bad(format!("`meta.baseline`: {e}")))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("unknown baseline `{0}`; use oracle, random, shortcut or noisy-oracle")]
    Unknown(String),
    #[error("--error-rate {0} is outside 0-1")]
    ErrorRate(f64),
    #[error("sample `{sample_id}`: {message}")]
    Sample { sample_id: String, message: String },
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

    /// The baseline's answer to `sample`, written in its task's format by `key`.
    pub fn answer(
        &self,
        sample: &Sample,
        key: &dyn AnswerKey,
    ) -> Result<Prediction, BaselineError> {
        let by_key = |r: Result<String, String>| {
            r.map_err(|message| BaselineError::Sample {
                sample_id: sample.id.clone(),
                message,
            })
        };
        let random = |rng: &mut SeededRng| -> Result<String, BaselineError> {
            let c = Candidates::of(sample)?;
            let mut pool = c.candidates;
            rng.shuffle(&mut pool);
            pool.truncate(c.picks.max(1));
            by_key(key.render_answer(sample, &pool))
        };
        let output = match self {
            Baseline::Oracle => by_key(key.perfect_answer(sample))?,
            Baseline::Random => random(&mut rng_for(sample, "random"))?,
            Baseline::Shortcut => {
                by_key(key.render_answer(sample, &Candidates::of(sample)?.shortcut))?
            }
            Baseline::NoisyOracle { error_rate } => {
                let mut rng = rng_for(sample, "noisy-oracle");
                if rng.chance(*error_rate) {
                    random(&mut rng)?
                } else {
                    by_key(key.perfect_answer(sample))?
                }
            }
        };
        Ok(Prediction {
            latency_ms: Some(0.0),
            ..Prediction::answered(&sample.id, &self.model_name(), output)
        })
    }
}

/// Answers every sample; sorted by sample id, as `run` writes them.
pub fn answer_all(
    baseline: Baseline,
    samples: &[Sample],
    key: &dyn AnswerKey,
) -> Result<Vec<Prediction>, BaselineError> {
    let mut out = samples
        .iter()
        .map(|s| baseline.answer(s, key))
        .collect::<Result<Vec<_>, _>>()?;
    out.sort_by(|a, b| a.sample_id.cmp(&b.sample_id));
    Ok(out)
}

fn rng_for(sample: &Sample, label: &str) -> SeededRng {
    let seed = sample
        .meta
        .get("seed")
        .and_then(Value::as_u64)
        .unwrap_or_else(|| derive_seed(0, &sample.id));
    SeededRng::new(derive_seed(seed, label))
}
