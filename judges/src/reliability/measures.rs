//! The two measures, over any scorer: split-half reliability, and separation of intervals.

use longforge_datasets::{derive_seed, SeededRng};

use super::methods::Scorer;
use super::{kendall_tau_b, spearman_brown, spearman_rho};
use super::{Separation, Settings, SplitHalf, Spread, SystemScore};
use crate::rank::quantile;

/// One split's outcome.
enum Split {
    Correlated { rho: f64, tau_b: f64 },
    WithoutFit,
    Tied,
}

/// Split `s` shuffles the question indices with its own seed (`split/{s}` under the run's
/// seed) and takes the first `n / 2` as one half and the rest as the other (one question more
/// when `n` is odd), so two methods on the same questions see the same halves.
pub(super) fn split_half(scorer: &impl Scorer, settings: Settings) -> SplitHalf {
    let n = scorer.questions();
    let splits = in_parallel(settings.splits, |s| {
        let mut order: Vec<usize> = (0..n).collect();
        SeededRng::new(derive_seed(settings.seed, &format!("split/{s}"))).shuffle(&mut order);
        let (first, second) = order.split_at(n / 2);
        match (scorer.score(first), scorer.score(second)) {
            (Some(a), Some(b)) => match (spearman_rho(&a, &b), kendall_tau_b(&a, &b)) {
                (Some(rho), Some(tau_b)) => Split::Correlated { rho, tau_b },
                _ => Split::Tied,
            },
            _ => Split::WithoutFit,
        }
    });
    let (mut rhos, mut taus) = (Vec::new(), Vec::new());
    let (mut without_fit, mut tied) = (0, 0);
    for split in splits {
        match split {
            Split::Correlated { rho, tau_b } => {
                rhos.push(rho);
                taus.push(tau_b);
            }
            Split::WithoutFit => without_fit += 1,
            Split::Tied => tied += 1,
        }
    }
    let rho = spread(&mut rhos);
    SplitHalf {
        splits: settings.splits,
        used: rhos.len(),
        without_fit,
        tied,
        spearman_brown: rho.mean.and_then(spearman_brown),
        rho,
        tau_b: spread(&mut taus),
    }
}

fn spread(values: &mut [f64]) -> Spread {
    // Summed in split order, before `quantile` sorts: the mean is the same bits on every run.
    let mean = (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
    Spread {
        mean,
        p2_5: quantile(values, 0.025),
        p97_5: quantile(values, 0.975),
    }
}

/// Counts the pairs whose intervals do not overlap; an unbounded side (`None`) reaches every
/// value, so it never separates.
pub(super) fn separation(
    scores: &[SystemScore],
    level: f64,
    incomplete_rounds: usize,
) -> Separation {
    let bounds: Vec<(f64, f64)> = scores
        .iter()
        .map(|s| {
            (
                s.ci_low.unwrap_or(f64::NEG_INFINITY),
                s.ci_high.unwrap_or(f64::INFINITY),
            )
        })
        .collect();
    let mut pairs = 0;
    let mut separated = 0;
    for (i, a) in bounds.iter().enumerate() {
        for b in &bounds[i + 1..] {
            pairs += 1;
            if a.1 < b.0 || b.1 < a.0 {
                separated += 1;
            }
        }
    }
    Separation {
        level,
        systems: scores.len(),
        pairs,
        separated,
        share: crate::share(separated, pairs),
        incomplete_rounds,
    }
}

/// `job(0..count)` on the available cores, results in index order. Each job draws from its own
/// seed, so the result does not depend on the threads.
pub(super) fn in_parallel<T: Send>(count: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, count.max(1));
    let per_thread: Vec<Vec<T>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let job = &job;
                scope.spawn(move || (t..count).step_by(threads).map(job).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    // Job i ran on thread i % threads, as its (i / threads)th.
    let mut iters: Vec<_> = per_thread.into_iter().map(Vec::into_iter).collect();
    (0..count)
        .filter_map(|i| iters[i % threads].next())
        .collect()
}
