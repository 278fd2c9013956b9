//! Which pairs of models are compared on each question.

use longforge_datasets::{derive_seed, Order, SeededRng};

use longforge_datasets::Sample;

use crate::{Answer, AnswerSheet, JudgeError};

#[derive(Debug, Clone, PartialEq)]
pub enum Pairing {
    /// Every pair of models that both answered the question.
    All,
    /// Each model against this one (stated as `model_a` = the model, `model_b` = the baseline,
    /// so every verdict reads "the model against the baseline").
    Baseline(String),
    /// `per_question` pairs drawn without replacement from all pairs, per question, with a seed.
    Sample { per_question: usize, seed: u64 },
}

/// One comparison: `model_a` against `model_b` on one question, asked in both orders.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Matchup {
    pub question_id: String,
    pub model_a: String,
    pub model_b: String,
}

impl Matchup {
    /// The two showings, `ab` first.
    pub fn orders(&self) -> [(Matchup, Order); 2] {
        [(self.clone(), Order::Ab), (self.clone(), Order::Ba)]
    }
}

/// The matchups to judge, sorted by question then models.
pub fn matchups(sheet: &AnswerSheet, pairing: &Pairing) -> Result<Vec<Matchup>, JudgeError> {
    if let Pairing::Baseline(base) = pairing {
        if !sheet.models().contains(base) {
            return Err(JudgeError::Pairing(format!(
                "--baseline {base}: no prediction file has answers from `{base}` (models: {})",
                sheet.models().join(", ")
            )));
        }
    }
    let mut out = Vec::new();
    for (question, answers) in &sheet.by_question {
        let models: Vec<&String> = answers.keys().collect();
        let mut all = Vec::new();
        for (i, a) in models.iter().enumerate() {
            for b in &models[i + 1..] {
                all.push(((*a).clone(), (*b).clone()));
            }
        }
        let chosen: Vec<(String, String)> = match pairing {
            Pairing::All => all,
            Pairing::Baseline(base) => models
                .iter()
                .filter(|m| *m != &base && answers.contains_key(base))
                .map(|m| ((*m).clone(), base.clone()))
                .collect(),
            Pairing::Sample { per_question, seed } => {
                let mut rng = SeededRng::new(derive_seed(*seed, &format!("pairs/{question}")));
                rng.shuffle(&mut all);
                all.truncate(*per_question);
                all.sort();
                all
            }
        };
        out.extend(chosen.into_iter().map(|(model_a, model_b)| Matchup {
            question_id: question.clone(),
            model_a,
            model_b,
        }));
    }
    if out.is_empty() {
        return Err(JudgeError::Pairing(
            "nothing to compare: no question has answers from two models (give prediction files of at least two models on the same dataset)".into(),
        ));
    }
    Ok(out)
}

/// One matchup with what it compares: the sample and both models' answers.
pub struct Contest<'a> {
    pub matchup: &'a Matchup,
    pub sample: &'a Sample,
    pub answer_a: &'a Answer,
    pub answer_b: &'a Answer,
}

/// Each matchup joined with its sample and answers, in the matchups' order.
pub fn contests<'a>(
    samples: &'a [Sample],
    sheet: &'a AnswerSheet,
    matchups: &'a [Matchup],
) -> Vec<Contest<'a>> {
    let by_id: std::collections::HashMap<&str, &Sample> =
        samples.iter().map(|s| (s.id.as_str(), s)).collect();
    matchups
        .iter()
        .filter_map(|m| {
            Some(Contest {
                matchup: m,
                sample: by_id.get(m.question_id.as_str())?,
                answer_a: sheet.answer(&m.question_id, &m.model_a)?,
                answer_b: sheet.answer(&m.question_id, &m.model_b)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Prediction;

    fn sheet(models: &[&str], questions: usize) -> AnswerSheet {
        let mut s = AnswerSheet::default();
        for q in 0..questions {
            for m in models {
                s.by_question.entry(format!("q{q}")).or_default().insert(
                    m.to_string(),
                    Answer {
                        prediction: Prediction::answered(&format!("q{q}"), m, "x"),
                        origin: String::new(),
                    },
                );
            }
        }
        s
    }

    #[test]
    fn all_pairs_baseline_and_samples() {
        let s = sheet(&["a", "b", "c", "d"], 3);
        assert_eq!(matchups(&s, &Pairing::All).unwrap().len(), 3 * 6);
        let base = matchups(&s, &Pairing::Baseline("b".into())).unwrap();
        assert_eq!(base.len(), 3 * 3);
        assert!(base.iter().all(|m| m.model_b == "b" && m.model_a != "b"));
        let sampled = Pairing::Sample {
            per_question: 2,
            seed: 7,
        };
        let one = matchups(&s, &sampled).unwrap();
        assert_eq!(one.len(), 3 * 2);
        assert_eq!(one, matchups(&s, &sampled).unwrap());
        assert!(one.iter().all(|m| m.model_a < m.model_b));
        let many: Vec<_> = (0..20)
            .map(|seed| {
                matchups(
                    &s,
                    &Pairing::Sample {
                        per_question: 2,
                        seed,
                    },
                )
                .unwrap()
            })
            .collect();
        assert!(many.iter().any(|m| *m != one), "seeds must matter");
        assert!(matchups(&s, &Pairing::Baseline("zz".into()))
            .unwrap_err()
            .to_string()
            .contains("zz"));
        assert!(matchups(&sheet(&["a"], 2), &Pairing::All).is_err());
    }
}
