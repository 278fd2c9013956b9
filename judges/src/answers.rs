//! Every model's answer to every question, gathered from prediction files, for the judges that
//! compare or grade answers rather than score them one by one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use longforge_datasets::{jsonl, Prediction, Sample};

use crate::JudgeError;

/// One model's answer as a judge sees it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub prediction: Prediction,
    /// The file and line it came from, for errors.
    pub origin: String,
}

impl Answer {
    /// What the judge is shown. A failed or skipped request is shown as an empty answer: the
    /// model gave nothing, and a leaderboard that dropped such pairs would reward failing.
    pub fn text(&self) -> &str {
        self.prediction.text()
    }
}

/// Answers by question id, then by model, both sorted.
#[derive(Debug, Clone, Default)]
pub struct AnswerSheet {
    pub by_question: BTreeMap<String, BTreeMap<String, Answer>>,
}

impl AnswerSheet {
    /// Reads prediction files; every prediction must name a sample of `samples`, and a model may
    /// answer a sample only once across all files.
    pub fn read(samples: &[Sample], files: &[PathBuf]) -> Result<Self, JudgeError> {
        let mut sheet = AnswerSheet::default();
        for file in files {
            let predictions: Vec<Prediction> = jsonl::read(file)?;
            if predictions.is_empty() {
                return Err(JudgeError::Dataset(
                    longforge_datasets::DatasetError::Invalid {
                        path: file.clone(),
                        message: "holds no predictions; give the file `longforge run --out` wrote"
                            .into(),
                    },
                ));
            }
            sheet.add(samples, predictions, file)?;
        }
        Ok(sheet)
    }

    /// Refuses answers made on another dataset: a prediction that names the SHA-256 of the
    /// `samples.jsonl` it answered must name `dataset`'s (the folder at `dir`). Sample ids alone
    /// cannot tell: every seed of a family uses the same ids. Predictions that name none (files
    /// written before they did, or by other tools) are taken as they are.
    pub fn check_dataset(&self, dir: &Path, dataset: Option<&str>) -> Result<(), JudgeError> {
        let Some(want) = dataset else {
            return Ok(());
        };
        for answer in self.by_question.values().flat_map(BTreeMap::values) {
            if let Some(got) = answer.prediction.dataset.as_deref().filter(|g| *g != want) {
                return Err(JudgeError::OtherDataset {
                    origin: answer.origin.clone(),
                    got: got.chars().take(12).collect(),
                    dir: dir.display().to_string(),
                    want: want.chars().take(12).collect(),
                });
            }
        }
        Ok(())
    }

    /// Adds predictions read from `file` (named in errors), with the same checks as [`Self::read`].
    pub fn add(
        &mut self,
        samples: &[Sample],
        predictions: Vec<Prediction>,
        file: &Path,
    ) -> Result<(), JudgeError> {
        let known: std::collections::HashSet<&str> =
            samples.iter().map(|s| s.id.as_str()).collect();
        for (i, p) in predictions.into_iter().enumerate() {
            if !known.contains(p.sample_id.as_str()) {
                return Err(JudgeError::UnknownSample {
                    file: format!("{}:{}", file.display(), i + 1),
                    sample_id: p.sample_id,
                    model: p.model,
                });
            }
            let origin = format!("{}:{}", file.display(), i + 1);
            let models = self.by_question.entry(p.sample_id.clone()).or_default();
            if let Some(first) = models.get(&p.model) {
                return Err(JudgeError::duplicate(
                    file,
                    i + 1,
                    &first.origin,
                    &p.sample_id,
                    &p.model,
                ));
            }
            models.insert(
                p.model.clone(),
                Answer {
                    prediction: p,
                    origin,
                },
            );
        }
        Ok(())
    }

    /// Every model with at least one answer, sorted.
    pub fn models(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .by_question
            .values()
            .flat_map(|m| m.keys().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// Every answer with its sample, by question then model. (Every answer has one: `add`
    /// refuses predictions for samples it was not given.)
    pub fn with_samples<'a>(&'a self, samples: &'a [Sample]) -> Vec<(&'a Sample, &'a Answer)> {
        let by_id: std::collections::HashMap<&str, &Sample> =
            samples.iter().map(|s| (s.id.as_str(), s)).collect();
        self.by_question
            .iter()
            .filter_map(|(q, models)| by_id.get(q.as_str()).map(|s| (*s, models)))
            .flat_map(|(s, models)| models.values().map(move |a| (s, a)))
            .collect()
    }

    pub fn answer(&self, question: &str, model: &str) -> Option<&Answer> {
        self.by_question.get(question)?.get(model)
    }
}
