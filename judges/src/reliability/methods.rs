//! The two methods as scorers of systems from any subset of the questions, and each one's
//! figures: what [`super::measures`] needs of them, and how each gets its intervals.

use std::collections::{BTreeMap, BTreeSet};

use longforge_datasets::Grade;

use super::measures::{in_parallel, separation, split_half};
use super::{Method, MethodReliability, ReliabilityError, Settings, SystemScore};
use crate::rank::{
    fit_strengths_from, quantile, rank, resample, Battle, Counts, FitError, Outcome, RankSettings,
    Scale, Ties,
};

/// A way of scoring every system from some of the questions: the part both measures share.
pub(super) trait Scorer: Sync {
    /// Questions, indexed in the order of their sorted ids.
    fn questions(&self) -> usize;
    /// Every system's score on the questions `picks` names (with repeats counting again);
    /// `None` when some system has no finite score on them.
    fn score(&self, picks: &[usize]) -> Option<Vec<f64>>;
}

/// Bradley-Terry strengths (ties as half wins, no prior) from the verdicts of some questions.
struct Relative {
    systems: Vec<String>,
    /// Question q's battles as (system a, system b, outcome, weight).
    by_question: Vec<Vec<(usize, usize, Outcome, f64)>>,
    /// The fit on every question, where each part's fit starts (it saves most Newton steps).
    start: Vec<f64>,
}

impl Scorer for Relative {
    fn questions(&self) -> usize {
        self.by_question.len()
    }

    fn score(&self, picks: &[usize]) -> Option<Vec<f64>> {
        let mut counts = Counts::new(self.systems.len());
        for &q in picks {
            for &(a, b, outcome, weight) in &self.by_question[q] {
                counts.add(a, b, outcome, weight);
            }
        }
        fit_strengths_from(&counts, &self.systems, Some(&self.start)).ok()
    }
}

/// Mean grades from the grades of some questions.
struct Absolute {
    systems: Vec<String>,
    questions: usize,
    /// The sum and number of grades of question q for system s, at `q * systems + s`.
    cells: Vec<(f64, f64)>,
}

impl Absolute {
    /// Each system's mean grade over `picks`; `None` for a system with no grade there.
    fn means(&self, picks: &[usize]) -> Vec<Option<f64>> {
        let k = self.systems.len();
        let mut totals = vec![(0.0, 0.0); k];
        for &q in picks {
            for (s, total) in totals.iter_mut().enumerate() {
                let (sum, count) = self.cells[q * k + s];
                total.0 += sum;
                total.1 += count;
            }
        }
        totals
            .into_iter()
            .map(|(sum, count)| (count > 0.0).then(|| sum / count))
            .collect()
    }
}

impl Scorer for Absolute {
    fn questions(&self) -> usize {
        self.questions
    }

    fn score(&self, picks: &[usize]) -> Option<Vec<f64>> {
        self.means(picks).into_iter().collect()
    }
}

/// The relative method's figures; its intervals are those of [`crate::rank::rank`].
pub(super) fn relative(
    battles: &[&Battle],
    invalid: usize,
    settings: Settings,
) -> Result<MethodReliability, ReliabilityError> {
    let systems: Vec<String> = battles
        .iter()
        .flat_map(|b| [b.model_a.clone(), b.model_b.clone()])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let questions: BTreeSet<&str> = battles.iter().map(|b| b.question.as_str()).collect();
    enough(Method::Relative, systems.len(), questions.len())?;
    let ranking = rank(
        &battles.iter().map(|b| (*b).clone()).collect::<Vec<_>>(),
        invalid,
        RankSettings {
            ties: Ties::Half,
            scale: Scale::Logit,
            anchor: None,
            bootstrap: settings.bootstrap,
            seed: settings.seed,
            level: settings.level,
            prior: 0.0,
            strong_win_weight: 1.0,
            control_length: false,
        },
    )
    .map_err(|e| match e {
        FitError::NotConnected { groups } => ReliabilityError::NotConnected { groups },
        other => ReliabilityError::Fit(other),
    })?;
    let system_index = index(&systems);
    let question_index: BTreeMap<&str, usize> =
        questions.iter().enumerate().map(|(i, q)| (*q, i)).collect();
    let mut by_question = vec![Vec::new(); questions.len()];
    for b in battles {
        by_question[question_index[b.question.as_str()]].push((
            system_index[b.model_a.as_str()],
            system_index[b.model_b.as_str()],
            b.outcome,
            b.weight,
        ));
    }
    let mut start = vec![0.0; systems.len()];
    for r in &ranking.ratings {
        start[system_index[r.model.as_str()]] = r.rating;
    }
    let scorer = Relative {
        systems,
        by_question,
        start,
    };
    let scores: Vec<SystemScore> = ranking
        .ratings
        .iter()
        .map(|r| SystemScore {
            system: r.model.clone(),
            score: r.rating,
            ci_low: r.ci_low,
            ci_high: r.ci_high,
        })
        .collect();
    Ok(MethodReliability {
        method: Method::Relative,
        systems: scorer.systems.len(),
        questions: scorer.questions(),
        unreadable: invalid,
        split_half: split_half(&scorer, settings),
        separation: separation(&scores, settings.level, ranking.degenerate_rounds),
        scores,
    })
}

/// The absolute method's figures; its intervals are percentile bootstrap intervals of each
/// system's mean grade, as `rank` makes its own.
pub(super) fn absolute(
    grades: &[&Grade],
    unreadable: usize,
    settings: Settings,
) -> Result<MethodReliability, ReliabilityError> {
    let systems: Vec<String> = grades
        .iter()
        .map(|g| g.model.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let questions: BTreeSet<&str> = grades.iter().map(|g| g.question_id.as_str()).collect();
    enough(Method::Absolute, systems.len(), questions.len())?;
    let system_index = index(&systems);
    let question_index: BTreeMap<&str, usize> =
        questions.iter().enumerate().map(|(i, q)| (*q, i)).collect();
    let k = systems.len();
    let mut cells = vec![(0.0, 0.0); questions.len() * k];
    for g in grades {
        if let Some(v) = g.grade {
            let cell = &mut cells
                [question_index[g.question_id.as_str()] * k + system_index[g.model.as_str()]];
            cell.0 += f64::from(v);
            cell.1 += 1.0;
        }
    }
    let scorer = Absolute {
        systems,
        questions: questions.len(),
        cells,
    };
    let everything: Vec<usize> = (0..scorer.questions).collect();
    let point = scorer.means(&everything);
    // One resample of the questions per round, shared by every system (and, drawn through
    // `resample`, the very rounds the relative method's intervals come from).
    let rounds: Vec<Vec<Option<f64>>> = in_parallel(settings.bootstrap, |r| {
        let mut picks = Vec::new();
        resample(settings.seed, r, scorer.questions, &mut picks);
        scorer.means(&picks)
    });
    let incomplete = rounds.iter().filter(|r| r.contains(&None)).count();
    let tail = (1.0 - settings.level) / 2.0;
    let mut scores: Vec<SystemScore> = scorer
        .systems
        .iter()
        .enumerate()
        .map(|(s, system)| {
            // Every system has a grade somewhere, so its point mean exists.
            let mean = point[s].unwrap_or(f64::NAN);
            let mut values: Vec<f64> = rounds.iter().filter_map(|r| r[s]).collect();
            SystemScore {
                system: system.clone(),
                score: mean,
                ci_low: Some(quantile(&mut values, tail).unwrap_or(mean)),
                ci_high: Some(quantile(&mut values, 1.0 - tail).unwrap_or(mean)),
            }
        })
        .collect();
    scores.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.system.cmp(&b.system))
    });
    Ok(MethodReliability {
        method: Method::Absolute,
        systems: k,
        questions: scorer.questions,
        unreadable,
        split_half: split_half(&scorer, settings),
        separation: separation(&scores, settings.level, incomplete),
        scores,
    })
}

fn enough(method: Method, systems: usize, questions: usize) -> Result<(), ReliabilityError> {
    for (what, found) in [("systems", systems), ("questions", questions)] {
        if found < 2 {
            return Err(ReliabilityError::TooFew {
                method,
                what,
                found,
            });
        }
    }
    Ok(())
}

fn index(names: &[String]) -> BTreeMap<&str, usize> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect()
}
