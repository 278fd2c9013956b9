//! A dataset's scoring specs resolved to registered scorers and metrics.

use std::collections::BTreeMap;

use longforge_baselines::AnswerKey;
use longforge_datasets::{Prediction, Sample, Score, ScoringSpec};
use serde_json::{json, Value};

use super::{scorer, Scored, Scorer};
use crate::metrics::{metric, Metric};
use crate::JudgeError;

/// How one task is scored: its scorer and the metrics that aggregate the scorer's values.
#[derive(Clone)]
pub struct TaskScoring {
    pub scorer: &'static dyn Scorer,
    pub metrics: Vec<&'static dyn Metric>,
}

impl std::fmt::Debug for TaskScoring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskScoring")
            .field("scorer", &self.scorer.name())
            .field(
                "metrics",
                &self.metrics.iter().map(|m| m.name()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Scoring for every `(family, task)` of the datasets at hand.
#[derive(Debug, Clone, Default)]
pub struct Scoring {
    by_task: BTreeMap<(String, String), TaskScoring>,
}

impl Scoring {
    /// Adds a family's specs (a manifest's `scoring`). Unknown scorer or metric names are errors
    /// naming them; the same task given two different specs (two datasets of one family made by
    /// different versions) is an error too, since their scores could not be summarised together.
    pub fn add(
        &mut self,
        family: &str,
        specs: &BTreeMap<String, ScoringSpec>,
    ) -> Result<(), JudgeError> {
        for (task, spec) in specs {
            let resolved = TaskScoring {
                scorer: scorer(&spec.scorer)?,
                metrics: spec
                    .metrics
                    .iter()
                    .map(|m| metric(m))
                    .collect::<Result<_, _>>()?,
            };
            let key = (family.to_string(), task.clone());
            if let Some(known) = self.by_task.get(&key) {
                let same = known.scorer.name() == resolved.scorer.name()
                    && known
                        .metrics
                        .iter()
                        .map(|m| m.name())
                        .eq(resolved.metrics.iter().map(|m| m.name()));
                if !same {
                    return Err(JudgeError::Pairing(format!(
                        "{family} task {task} is scored two ways in the datasets given ({known:?} and {resolved:?}); score them separately"
                    )));
                }
            }
            self.by_task.insert(key, resolved);
        }
        Ok(())
    }

    /// A scoring for one family's specs.
    pub fn of(family: &str, specs: &BTreeMap<String, ScoringSpec>) -> Result<Self, JudgeError> {
        let mut s = Scoring::default();
        s.add(family, specs)?;
        Ok(s)
    }

    /// The scoring of `sample`'s task; an error naming the sample when no spec covers it.
    pub fn task(&self, sample: &Sample) -> Result<&TaskScoring, JudgeError> {
        self.by_task
            .get(&(sample.family.clone(), sample.task.clone()))
            .ok_or_else(|| JudgeError::Reference {
                sample_id: sample.id.clone(),
                scorer: "(none)",
                message: format!(
                    "no scoring spec for {} task {}; the manifest names none and the family gives none",
                    sample.family, sample.task
                ),
            })
    }

    /// Scores one prediction with its task's scorer. A prediction with no output (failed or
    /// skipped) is scored as an empty reply, counting as 0 in every figure, unless the scorer
    /// says it was not attempted (see [`Scorer::score_prediction`]).
    pub fn scored(&self, sample: &Sample, prediction: &Prediction) -> Result<Scored, JudgeError> {
        self.task(sample)?
            .scorer
            .score_prediction(sample, prediction)
    }

    /// What the task's scorer asks an evaluator model about this prediction, if it asks one.
    pub fn question_for_model(
        &self,
        sample: &Sample,
        prediction: &Prediction,
    ) -> Result<Option<String>, JudgeError> {
        self.task(sample)?
            .scorer
            .question_for_model(sample, prediction.text())
    }

    /// One [`Score`] row per value of the scorer, headline first; the headline row carries the
    /// details, plus the prediction's status, `finish_reason` and error where they say more.
    pub fn score(
        &self,
        sample: &Sample,
        prediction: &Prediction,
    ) -> Result<Vec<Score>, JudgeError> {
        let scored = self.scored(sample, prediction)?;
        Ok(rows(sample, prediction, scored))
    }

    /// [`Scoring::score`] for a scorer that asked a model, given the model's `reply`.
    pub fn score_reply(
        &self,
        sample: &Sample,
        prediction: &Prediction,
        reply: &str,
    ) -> Result<Vec<Score>, JudgeError> {
        let scored = self
            .task(sample)?
            .scorer
            .score_reply(sample, prediction.text(), reply)?;
        Ok(rows(sample, prediction, scored))
    }
}

fn rows(sample: &Sample, prediction: &Prediction, scored: Scored) -> Vec<Score> {
    let mut details = scored.details;
    if let Value::Object(d) = &mut details {
        d.insert("status".into(), json!(prediction.status));
        if let Some(reason) = &prediction.finish_reason {
            d.insert("finish_reason".into(), json!(reason));
        }
        if let Some(error) = &prediction.error {
            d.insert("error".into(), json!(error));
        }
    }
    scored
        .values
        .iter()
        .enumerate()
        .map(|(i, (name, value))| Score {
            sample_id: sample.id.clone(),
            model: prediction.model.clone(),
            metric: name.to_string(),
            value: *value,
            details: if i == 0 { details.clone() } else { json!({}) },
        })
        .collect()
}

/// The task's scorer writes the baselines' replies: the oracle's perfect answer, and chosen
/// candidates in the format the prompt asks for.
impl AnswerKey for Scoring {
    fn perfect_answer(&self, sample: &Sample) -> Result<String, String> {
        self.task(sample)
            .and_then(|t| t.scorer.perfect_answer(sample))
            .map_err(|e| e.to_string())
    }

    fn render_answer(&self, sample: &Sample, picks: &[String]) -> Result<String, String> {
        self.task(sample)
            .map(|t| t.scorer.render_answer(sample, picks))
            .map_err(|e| e.to_string())
    }
}
