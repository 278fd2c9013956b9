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
mod control;
mod davidson;
mod fit;
mod newton;
mod rao_kupper;

pub use battles::{read_arena_battles, read_battles, Battle, BattleSet, Outcome};
pub use control::{fit_with_length, Row};
pub use fit::{fit_strengths, fit_strengths_from, Counts, FitError};

pub use davidson::fit_davidson;
use fit::check_connected;
pub use rao_kupper::fit_rao_kupper;

use std::collections::BTreeMap;

use longforge_datasets::derive_seed;
use serde::{Deserialize, Serialize};

/// How the fitted strengths are reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Natural-log strengths, centred at zero.
    Logit,
    /// `400 * log10(odds) + 1000`, or shifted so the anchor model has its given rating.
    Elo,
}

/// How ties enter the likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ties {
    /// Half a win each way (FastChat, Arena-Hard).
    Half,
    /// An outcome of its own, with a fitted tie parameter theta >= 1 (Rao and Kupper).
    RaoKupper,
    /// An outcome of its own, most likely between equals, with a fitted nu >= 0 (Davidson).
    Davidson,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RankSettings {
    pub ties: Ties,
    pub scale: Scale,
    pub anchor: Option<(String, f64)>,
    pub bootstrap: usize,
    pub seed: u64,
    pub level: f64,
    pub prior: f64,
    /// How many battles a strong win (`A>>B`) counted as when the battles were read.
    pub strong_win_weight: f64,
    /// Fit with the standardised length difference as a covariate.
    pub control_length: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rating {
    pub model: String,
    pub rating: f64,
    /// Interval bounds; `None` (null) where the bound is unbounded: in enough bootstrap rounds
    /// the model won (or lost) every battle it had, so its rating had no finite maximum there.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Bootstrap rounds behind the interval: those with a finite fit, and those without one in
    /// which this model won or lost everything (its rating there is unbounded, not unknown).
    pub interval_rounds: usize,
    /// Set when `interval_rounds` is fewer than the rounds asked: the interval rests on a subset.
    pub partial_interval: bool,
    pub rank_low: usize,
    pub rank_high: usize,
    pub battles: f64,
    pub win_rate: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ranking {
    pub settings: RankSettings,
    /// Rao-Kupper's theta or Davidson's nu; none when ties count as half wins.
    pub tie_parameter: Option<f64>,
    /// Under `--control length`: logits per standard deviation of the length covariate (positive
    /// when the judge favours the longer answer), with its bootstrap interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_coefficient: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_coefficient_ci: Option<[f64; 2]>,
    pub invalid: usize,
    /// Bootstrap rounds whose resample had no finite maximum. In them a model that won (or lost)
    /// every battle counts as unbounded above (below); the others' ratings are undetermined and
    /// left out of their intervals (see [`Rating::interval_rounds`]). Rank ranges come from the
    /// rounds with a finite fit only.
    pub degenerate_rounds: usize,
    /// Bootstrap rounds whose resample left some model without a battle (its rating then rests
    /// on the prior alone, or the round had no finite fit).
    pub rounds_without_a_model: usize,
    pub ratings: Vec<Rating>,
}

/// One fit: strengths, the tie parameter, and the length coefficient.
type Fitted = (Vec<f64>, Option<f64>, Option<f64>);

/// Fits all battles, then `settings.bootstrap` resamples of questions; ratings sorted best first.
pub fn rank(
    battles: &[Battle],
    invalid: usize,
    settings: RankSettings,
) -> Result<Ranking, FitError> {
    if battles.is_empty() && invalid > 0 {
        return Err(FitError::AllInvalid { invalid });
    }
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
    if settings.control_length && settings.ties != Ties::Half {
        return Err(FitError::Unsupported(
            "--control length fits ties as half wins; drop --ties or use --ties half".into(),
        ));
    }
    let covariate = if settings.control_length {
        Some(length_covariate(battles)?)
    } else {
        None
    };
    let by_question = group_by_question(battles, &index, covariate.as_deref());
    let n = models.len();
    let counts = |picks: &[usize]| {
        let mut c = Counts::new(n);
        for &q in picks {
            for b in by_question.get(q) {
                c.add(b.a, b.b, b.outcome, b.weight);
            }
        }
        c.add_prior(settings.prior);
        c
    };
    let fit = |picks: &[usize], start: Option<&Fitted>| -> Result<(Counts, Fitted), FitError> {
        let c = counts(picks);
        let warm = start.and_then(|f| f.1.map(|t| (f.0.as_slice(), t)));
        let fitted = match settings.ties {
            Ties::Half if settings.control_length => {
                check_connected(&c, &models)?;
                let rows = control_rows(&by_question, picks, n, settings.prior);
                let (s, beta) = fit_with_length(
                    &rows,
                    n,
                    start.map(|f| (f.0.as_slice(), f.2.unwrap_or(0.0))),
                );
                (s, None, Some(beta))
            }
            Ties::Half => (
                fit_strengths_from(&c, &models, start.map(|f| f.0.as_slice()))?,
                None,
                None,
            ),
            Ties::RaoKupper => {
                let (s, theta) = fit_rao_kupper(&c, &models, warm)?;
                (s, Some(theta), None)
            }
            Ties::Davidson => {
                let (s, nu) = fit_davidson(&c, &models, warm)?;
                (s, Some(nu), None)
            }
        };
        Ok((c, fitted))
    };
    let everything: Vec<usize> = (0..by_question.len()).collect();
    let (all, point_fit) = fit(&everything, None)?;
    let point = report(&point_fit.0, settings.scale, anchor);

    // Each round draws from its own seed, so rounds can run on any thread in any order and the
    // result is the same; each starts from the point fit, which saves most Newton steps.
    // `picks` is a buffer each thread reuses: a fresh 800 KB vector per round costs page faults.
    let round = |r: usize, picks: &mut Vec<usize>| {
        resample(settings.seed, r, by_question.len(), picks);
        let absent = |c: &Counts| (0..n).any(|i| c.record(i).0 == 0.0);
        match fit(picks, Some(&point_fit)) {
            Ok((c, f)) => (
                absent(&c),
                Some((report(&f.0, settings.scale, anchor), f.2)),
                None,
            ),
            Err(_) => {
                let c = counts(picks);
                // No finite maximum: a model that won every battle it had diverges upwards, one
                // that lost every battle downwards; any other is undetermined (NaN).
                let direction = (0..n)
                    .map(|i| match c.record(i) {
                        (played, won) if played > 0.0 && won == played => f64::INFINITY,
                        (played, won) if played > 0.0 && won == 0.0 => f64::NEG_INFINITY,
                        _ => f64::NAN,
                    })
                    .collect();
                (absent(&c), None, Some(direction))
            }
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, settings.bootstrap.max(1));
    /// Whether some model had no battle in the round, the round's fit if it had one, and else
    /// the direction each model's rating diverged in.
    type RoundResult = (bool, Option<(Vec<f64>, Option<f64>)>, Option<Vec<f64>>);
    let per_thread: Vec<Vec<RoundResult>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let round = &round;
                scope.spawn(move || {
                    let mut picks = Vec::new();
                    (t..settings.bootstrap)
                        .step_by(threads)
                        .map(|r| round(r, &mut picks))
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
    let mut fitted: Vec<RoundResult> = vec![(false, None, None); settings.bootstrap];
    for (t, results) in per_thread.into_iter().enumerate() {
        for (k, result) in results.into_iter().enumerate() {
            fitted[t + k * threads] = result;
        }
    }
    let degenerate = fitted.iter().filter(|r| r.1.is_none()).count();
    let without_a_model = fitted.iter().filter(|r| r.0).count();
    let diverged: Vec<Vec<f64>> = fitted.iter().filter_map(|r| r.2.clone()).collect();
    let rounds: Vec<(Vec<f64>, Option<f64>)> = fitted.into_iter().filter_map(|r| r.1).collect();
    let tail = (1.0 - settings.level) / 2.0;
    let length_coefficient_ci = point_fit.2.map(|beta| {
        let mut betas: Vec<f64> = rounds.iter().filter_map(|r| r.1).collect();
        [
            quantile(&mut betas, tail).unwrap_or(beta),
            quantile(&mut betas, 1.0 - tail).unwrap_or(beta),
        ]
    });
    let mut ratings: Vec<Rating> = models
        .iter()
        .enumerate()
        .map(|(i, model)| {
            let mut values: Vec<f64> = rounds
                .iter()
                .map(|r| r.0[i])
                .chain(diverged.iter().map(|d| d[i]).filter(|v| !v.is_nan()))
                .collect();
            let interval_rounds = values.len();
            let mut ranks: Vec<f64> = rounds.iter().map(|r| rank_of(&r.0, i) as f64).collect();
            let (battles, wins) = all.record(i);
            let bound = |q: f64, values: &mut Vec<f64>| {
                Some(quantile(values, q).unwrap_or(point[i])).filter(|v| v.is_finite())
            };
            Rating {
                model: model.clone(),
                rating: point[i],
                ci_low: bound(tail, &mut values),
                ci_high: bound(1.0 - tail, &mut values),
                interval_rounds,
                partial_interval: interval_rounds < settings.bootstrap,
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
        tie_parameter: point_fit.1,
        length_coefficient: point_fit.2,
        length_coefficient_ci,
        invalid,
        degenerate_rounds: degenerate,
        rounds_without_a_model: without_a_model,
        ratings,
    })
}

/// The standardised `(len_a - len_b) / (len_a + len_b)` of every battle, in input order.
fn length_covariate(battles: &[Battle]) -> Result<Vec<f64>, FitError> {
    let raw: Vec<f64> = battles
        .iter()
        .map(|b| match b.lengths {
            Some((0, 0)) => Ok(0.0),
            Some((a, b)) => Ok((a as f64 - b as f64) / (a + b) as f64),
            None => Err(FitError::Unsupported(format!(
                "--control length needs answer lengths, and the battle of `{}` against `{}` on question `{}` has none (Arena battles carry no lengths; judge with `longforge judge` to get them)",
                b.model_a, b.model_b, b.question
            ))),
        })
        .collect::<Result<_, _>>()?;
    let mean = raw.iter().sum::<f64>() / raw.len().max(1) as f64;
    let sd = (raw.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / raw.len().max(1) as f64).sqrt();
    if sd.is_nan() || sd <= 1e-12 {
        return Err(FitError::Unsupported(
            "--control length: every battle has the same length difference, so its effect cannot be told from the models'".into(),
        ));
    }
    Ok(raw.iter().map(|x| (x - mean) / sd).collect())
}

/// The regression rows of the picked questions, and the prior as virtual ties between every
/// pair of models at z = 0.
fn control_rows(by_question: &Questions, picks: &[usize], n: usize, prior: f64) -> Vec<Row> {
    let mut rows = Vec::new();
    for &q in picks {
        for b in by_question.get(q) {
            let y = match b.outcome {
                Outcome::AWins => 1.0,
                Outcome::BWins => 0.0,
                Outcome::Tie => 0.5,
            };
            rows.push(Row {
                a: b.a,
                b: b.b,
                z: b.z,
                y,
                weight: b.weight,
            });
        }
    }
    if prior > 0.0 && n > 1 {
        for a in 0..n {
            for b in a + 1..n {
                rows.push(Row {
                    a,
                    b,
                    z: 0.0,
                    y: 0.5,
                    weight: prior / (n - 1) as f64,
                });
            }
        }
    }
    rows
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
pub(crate) fn quantile(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = q.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    let (a, b) = (values[lo], values[hi]);
    if a == b || at == lo as f64 {
        return Some(a);
    }
    // Between an unbounded and any other value the interpolation is unbounded on that side.
    if a == f64::NEG_INFINITY {
        return Some(a);
    }
    if b == f64::INFINITY {
        return Some(b);
    }
    Some(a + (b - a) * (at - lo as f64))
}

/// A battle by model numbers.
#[derive(Debug, Clone, Copy)]
struct IndexedBattle {
    a: usize,
    b: usize,
    outcome: Outcome,
    weight: f64,
    /// The standardised length covariate (0 when not controlling for length).
    z: f64,
}

/// Battles grouped by question, in a fixed (sorted) order so resampling is reproducible, and
/// stored contiguously: a round visits every question in random order, and one allocation per
/// question made each visit a cache miss.
struct Questions {
    battles: Vec<IndexedBattle>,
    /// Question q's battles are `battles[starts[q]..starts[q + 1]]`.
    starts: Vec<usize>,
}

impl Questions {
    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn get(&self, q: usize) -> &[IndexedBattle] {
        &self.battles[self.starts[q]..self.starts[q + 1]]
    }
}

fn group_by_question(
    battles: &[Battle],
    index: &BTreeMap<&str, usize>,
    covariate: Option<&[f64]>,
) -> Questions {
    let mut groups: BTreeMap<&str, Vec<IndexedBattle>> = BTreeMap::new();
    for (k, b) in battles.iter().enumerate() {
        groups
            .entry(b.question.as_str())
            .or_default()
            .push(IndexedBattle {
                a: index[b.model_a.as_str()],
                b: index[b.model_b.as_str()],
                outcome: b.outcome,
                weight: b.weight,
                z: covariate.map_or(0.0, |z| z[k]),
            });
    }
    let mut out = Questions {
        battles: Vec::with_capacity(battles.len()),
        starts: vec![0],
    };
    for group in groups.into_values() {
        out.battles.extend(group);
        out.starts.push(out.battles.len());
    }
    out
}

/// Fills `picks` with the questions bootstrap round `round` draws: `questions` indices into the
/// questions sorted by id, with repeats. Every resampling over questions draws through here, so
/// two methods scored on the same questions with the same seed resample the very same questions.
pub(crate) fn resample(seed: u64, round: usize, questions: usize, picks: &mut Vec<usize>) {
    let mut draw = Draw::new(derive_seed(seed, &format!("bootstrap/{round}")));
    picks.clear();
    picks.extend((0..questions).map(|_| draw.below(questions)));
}

/// The bootstrap's question draws: SplitMix64 with Lemire's multiply-shift reduction. A round
/// draws as many indices as there are questions (100,000 in the bench), and two integer
/// divisions per draw, as a general-purpose bounded draw makes, were most of a round's time.
struct Draw(u64);

impl Draw {
    fn new(seed: u64) -> Self {
        Draw(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` without bias: the high half of a 128-bit product, rejecting the few
    /// low halves that would over-represent some values.
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as usize
    }
}

/// Battles drawn from a known model, for the recovery tests of the fits.
#[cfg(test)]
pub(crate) mod drawn {
    use super::{Counts, Outcome};
    use longforge_datasets::SeededRng;

    /// `battles` battles between random pairs of models with log-strengths `truth`; `outcome`
    /// maps (p_i, p_j, a uniform draw) to the result for i against j.
    pub(crate) fn battles(
        truth: &[f64],
        battles: usize,
        seed: u64,
        outcome: impl Fn(f64, f64, f64) -> Outcome,
    ) -> Counts {
        let n = truth.len();
        let mut rng = SeededRng::new(seed);
        let mut c = Counts::new(n);
        for _ in 0..battles {
            let i = rng.below(n);
            let j = (i + 1 + rng.below(n - 1)) % n;
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            c.add(i, j, outcome(truth[i].exp(), truth[j].exp(), u), 1.0);
        }
        c
    }

    /// The recovered strengths match `truth` (centred) within `tolerance`.
    pub(crate) fn assert_recovered(strengths: &[f64], truth: &[f64], tolerance: f64) {
        let mean = truth.iter().sum::<f64>() / truth.len() as f64;
        for (got, want) in strengths.iter().zip(truth) {
            assert!(
                (got - (want - mean)).abs() < tolerance,
                "{strengths:?} vs {truth:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_that_lose_a_model_are_counted() {
        let battle = |q: usize, a: &str, b: &str, outcome| Battle {
            question: format!("q{q}"),
            model_a: a.into(),
            model_b: b.into(),
            outcome,
            weight: 1.0,
            lengths: None,
        };
        let mut battles: Vec<Battle> = (0..50)
            .map(|q| {
                let o = if q % 3 == 0 {
                    Outcome::BWins
                } else {
                    Outcome::AWins
                };
                battle(q, "a", "b", o)
            })
            .collect();
        // `rare` plays on one question of 51 only.
        battles.push(battle(50, "rare", "a", Outcome::Tie));
        battles.push(battle(50, "rare", "b", Outcome::Tie));
        let settings = |prior| RankSettings {
            ties: Ties::Half,
            scale: Scale::Logit,
            anchor: None,
            bootstrap: 300,
            seed: 4,
            level: 0.95,
            prior,
            strong_win_weight: 1.0,
            control_length: false,
        };
        // A question is left out of a resample with probability (50/51)^51, about 0.364.
        let with_prior = rank(&battles, 0, settings(1.0)).unwrap();
        assert!(
            (80..140).contains(&with_prior.rounds_without_a_model),
            "{}",
            with_prior.rounds_without_a_model
        );
        assert_eq!(with_prior.degenerate_rounds, 0);
        let without = rank(&battles, 0, settings(0.0)).unwrap();
        assert_eq!(without.degenerate_rounds, without.rounds_without_a_model);
        assert_eq!(
            without.rounds_without_a_model,
            with_prior.rounds_without_a_model
        );
    }

    #[test]
    fn bootstrap_draws_are_uniform() {
        let mut d = Draw::new(9);
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            counts[d.below(7)] += 1;
        }
        // Each expected 10,000, sd about 93: within 5 sd.
        assert!(
            counts.iter().all(|&c| c.abs_diff(10_000) < 470),
            "{counts:?}"
        );
    }
}
