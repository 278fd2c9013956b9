//! Per-sample scorers, chosen by the kind of the sample's reference.
//!
//! - `exact`: the last `\boxed{}` in the output, cleaned, must equal the cleaned reference
//!   (`exact_match`).
//! - `needles`: the share of expected values named inside the last `\boxed{}`
//!   (`needle_recall`).
//!
//! Both are strict: an answer without a `\boxed{}` is not extracted and scores 0, and the rate of
//! extraction is reported beside every score, so a model that cannot follow the format is told
//! apart from one that cannot find the answer.

mod boxed;
mod exact;
mod needles;

pub use boxed::{clean, extract_boxed};

use std::collections::HashMap;

use longforge_datasets::{Prediction, Reference, Sample, Score};

use crate::JudgeError;

/// Scores one prediction. A failed request (no output) scores 0, not extracted.
pub fn score(sample: &Sample, prediction: &Prediction) -> Score {
    let output = prediction.output.as_deref().unwrap_or("");
    let (metric, value, mut details) = match &sample.reference {
        Reference::Exact(answer) => exact::score(output, answer),
        Reference::Needles(values) => needles::score(output, values, &sample.meta),
    };
    if let Some(error) = &prediction.error {
        details["error"] = serde_json::Value::String(error.clone());
    }
    Score {
        sample_id: sample.id.clone(),
        model: prediction.model.clone(),
        metric: metric.to_string(),
        value,
        details,
    }
}

/// Scores every prediction against the dataset, in the predictions' order. `file` names where
/// the predictions came from, for the error.
pub fn score_all(
    samples: &[Sample],
    predictions: &[Prediction],
    file: &str,
) -> Result<Vec<Score>, JudgeError> {
    let by_id: HashMap<&str, &Sample> = samples.iter().map(|s| (s.id.as_str(), s)).collect();
    predictions
        .iter()
        .map(|p| {
            let sample =
                by_id
                    .get(p.sample_id.as_str())
                    .ok_or_else(|| JudgeError::UnknownSample {
                        file: file.to_string(),
                        sample_id: p.sample_id.clone(),
                        model: p.model.clone(),
                    })?;
            Ok(score(sample, p))
        })
        .collect()
}
