//! Ranking models from battles with a Bradley-Terry model.
//!
//! P(i beats j) = 1 / (1 + exp(s_j - s_i)). Strengths are the maximum-likelihood fit on
//! aggregated counts (ties count as half a win each way, as FastChat and Arena-Hard count them,
//! or as an outcome of their own under Rao-Kupper, see [`fit_rao_kupper`]),
//! found by Newton's method to a change in log-likelihood below 1e-10. Intervals come from
//! resampling questions (all battles of a question stay together), with a fixed seed.
//!
//! A finite maximum exists only when the battles, as a directed graph of who beat whom, are
//! strongly connected; otherwise the fit says which groups of models are cut off, and a prior
//! of `W` virtual ties per model (spread evenly over the other models) makes it finite.

mod battles;
mod fit;
mod rao_kupper;

pub use battles::{read_arena_battles, Battle, Outcome};
pub use fit::{fit_strengths, Counts, FitError};
pub use rao_kupper::fit_rao_kupper;

use std::collections::BTreeMap;

use longforge_datasets::{derive_seed, SeededRng};
use serde::Serialize;

/// How the fitted strengths are reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Natural-log strengths, centred at zero.
    Logit,
    /// `400 * log10(odds) + 1000`, or shifted so the anchor model has its given rating.
    Elo,
}

/// How ties enter the likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ties {
    /// Half a win each way (FastChat, Arena-Hard).
    Half,
    /// An outcome of its own, with a fitted tie parameter theta >= 1 (Rao and Kupper).
    RaoKupper,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankSettings {
    pub ties: Ties,
    pub scale: Scale,
    pub anchor: Option<(String, f64)>,
    pub bootstrap: usize,
    pub seed: u64,
    pub level: f64,
    pub prior: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rating {
    pub model: String,
    pub rating: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub rank_low: usize,
    pub rank_high: usize,
    pub battles: f64,
    pub win_rate: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ranking {
    pub settings: RankSettings,
    /// Rao-Kupper's theta; none when ties count as half wins.
    pub tie_parameter: Option<f64>,
    pub invalid: usize,
    /// Bootstrap rounds whose resample had no finite maximum, left out of the intervals.
    pub degenerate_rounds: usize,
    pub ratings: Vec<Rating>,
}

/// Fits all battles, then `settings.bootstrap` resamples of questions; ratings sorted best first.
pub fn rank(
    battles: &[Battle],
    invalid: usize,
    settings: RankSettings,
) -> Result<Ranking, FitError> {
    let models: Vec<String> = battles
        .iter()
        .flat_map(|b| [b.model_a.clone(), b.model_b.clone()])
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let index: BTreeMap<&str, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let anchor = match &settings.anchor {
        Some((m, r)) => Some((
            *index
                .get(m.as_str())
                .ok_or_else(|| FitError::UnknownAnchor(m.clone()))?,
            *r,
        )),
        None => None,
    };
    let by_question = group_by_question(battles, &index);
    let counts = |picks: &mut dyn Iterator<Item = usize>| {
        let mut c = Counts::new(models.len());
        for q in picks {
            for &(a, b, outcome, weight) in &by_question[q] {
                c.add(a, b, outcome, weight);
            }
        }
        c.add_prior(settings.prior);
        c
    };
    let all = counts(&mut (0..by_question.len()));
    let fit = |c: &Counts| match settings.ties {
        Ties::Half => fit_strengths(c, &models).map(|s| (s, None)),
        Ties::RaoKupper => fit_rao_kupper(c, &models).map(|(s, theta)| (s, Some(theta))),
    };
    let (strengths, tie_parameter) = fit(&all)?;
    let point = report(&strengths, settings.scale, anchor);

    // Each round draws from its own seed, so rounds can run on any thread in any order and the
    // result is the same.
    let round = |r: usize| {
        let mut rng = SeededRng::new(derive_seed(settings.seed, &format!("bootstrap/{r}")));
        let n = by_question.len();
        let resample = counts(&mut (0..n).map(|_| rng.below(n)));
        fit(&resample)
            .ok()
            .map(|(s, _)| report(&s, settings.scale, anchor))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, settings.bootstrap.max(1));
    let per_thread: Vec<Vec<Option<Vec<f64>>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let round = &round;
                scope.spawn(move || {
                    (t..settings.bootstrap)
                        .step_by(threads)
                        .map(round)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    // Back into round order: round r ran on thread r % threads.
    let mut fitted: Vec<Option<Vec<f64>>> = vec![None; settings.bootstrap];
    for (t, results) in per_thread.into_iter().enumerate() {
        for (k, result) in results.into_iter().enumerate() {
            fitted[t + k * threads] = result;
        }
    }
    let degenerate = fitted.iter().filter(|r| r.is_none()).count();
    let rounds: Vec<Vec<f64>> = fitted.into_iter().flatten().collect();
    let tail = (1.0 - settings.level) / 2.0;
    let mut ratings: Vec<Rating> = models
        .iter()
        .enumerate()
        .map(|(i, model)| {
            let mut values: Vec<f64> = rounds.iter().map(|r| r[i]).collect();
            let mut ranks: Vec<f64> = rounds.iter().map(|r| rank_of(r, i) as f64).collect();
            let (battles, wins) = all.record(i);
            Rating {
                model: model.clone(),
                rating: point[i],
                ci_low: quantile(&mut values, tail).unwrap_or(point[i]),
                ci_high: quantile(&mut values, 1.0 - tail).unwrap_or(point[i]),
                rank_low: quantile(&mut ranks, tail).map_or(rank_of(&point, i), |r| r as usize),
                rank_high: quantile(&mut ranks, 1.0 - tail)
                    .map_or(rank_of(&point, i), |r| r as usize),
                battles,
                win_rate: if battles > 0.0 { wins / battles } else { 0.0 },
            }
        })
        .collect();
    ratings.sort_by(|a, b| {
        b.rating
            .total_cmp(&a.rating)
            .then_with(|| a.model.cmp(&b.model))
    });
    Ok(Ranking {
        settings,
        tie_parameter,
        invalid,
        degenerate_rounds: degenerate,
        ratings,
    })
}

/// Strengths on the chosen scale: centred natural logs, or Elo points shifted to the anchor.
fn report(strengths: &[f64], scale: Scale, anchor: Option<(usize, f64)>) -> Vec<f64> {
    let mean = strengths.iter().sum::<f64>() / strengths.len().max(1) as f64;
    let centred: Vec<f64> = strengths.iter().map(|s| s - mean).collect();
    match scale {
        Scale::Logit => match anchor {
            Some((a, r)) => centred.iter().map(|s| s - centred[a] + r).collect(),
            None => centred,
        },
        Scale::Elo => {
            let elo: Vec<f64> = centred
                .iter()
                .map(|s| 400.0 * s / std::f64::consts::LN_10 + 1000.0)
                .collect();
            match anchor {
                Some((a, r)) => elo.iter().map(|e| e - elo[a] + r).collect(),
                None => elo,
            }
        }
    }
}

/// 1 + the number of models rated strictly higher.
fn rank_of(ratings: &[f64], i: usize) -> usize {
    1 + ratings.iter().filter(|&&r| r > ratings[i]).count()
}

/// The `q` quantile by linear interpolation between order statistics (numpy's default).
fn quantile(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = q.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    Some(values[lo] + (values[hi] - values[lo]) * (at - lo as f64))
}

/// A battle by model numbers: (model a, model b, outcome, weight).
type IndexedBattle = (usize, usize, Outcome, f64);

/// Battles grouped by question, in a fixed (sorted) order so resampling is reproducible.
fn group_by_question(battles: &[Battle], index: &BTreeMap<&str, usize>) -> Vec<Vec<IndexedBattle>> {
    let mut groups: BTreeMap<&str, Vec<IndexedBattle>> = BTreeMap::new();
    for b in battles {
        groups.entry(b.question.as_str()).or_default().push((
            index[b.model_a.as_str()],
            index[b.model_b.as_str()],
            b.outcome,
            b.weight,
        ));
    }
    groups.into_values().collect()
}
