//! The maximum-likelihood Bradley-Terry fit on aggregated counts.

use super::newton::{log_sigmoid, sigmoid};
use super::Outcome;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FitError {
    #[error("no finite maximum-likelihood fit: the battles fall into groups that never beat (or never lose to) each other: {groups}; add battles between them, or pass --prior W for a weak prior of W virtual ties per model")]
    NotConnected { groups: String },
    #[error("no battles to rank")]
    Empty,
    #[error("no battles to rank: {}", crate::pairwise::all_invalid(*invalid))]
    AllInvalid { invalid: usize },
    #[error("anchor model `{0}` has no battles")]
    UnknownAnchor(String),
    #[error("{0}")]
    Unsupported(String),
}

/// `wins[i][j]`: how often i beat j, ties counted as half a win each way, prior included.
#[derive(Debug, Clone)]
pub struct Counts {
    n: usize,
    wins: Vec<f64>,
    /// Decisive wins of i over j, and ties between i and j (stored both ways), prior included:
    /// what the Rao-Kupper fit reads.
    pub(super) decisive: Vec<f64>,
    pub(super) ties: Vec<f64>,
    /// Real battles and wins per model (no prior), for the report.
    played: Vec<f64>,
    won: Vec<f64>,
}

impl Counts {
    pub fn new(n: usize) -> Self {
        Counts {
            n,
            wins: vec![0.0; n * n],
            decisive: vec![0.0; n * n],
            ties: vec![0.0; n * n],
            played: vec![0.0; n],
            won: vec![0.0; n],
        }
    }

    pub fn add(&mut self, a: usize, b: usize, outcome: Outcome, weight: f64) {
        let (wa, wb) = match outcome {
            Outcome::AWins => (1.0, 0.0),
            Outcome::BWins => (0.0, 1.0),
            Outcome::Tie => (0.5, 0.5),
        };
        self.wins[a * self.n + b] += wa * weight;
        self.wins[b * self.n + a] += wb * weight;
        match outcome {
            Outcome::AWins => self.decisive[a * self.n + b] += weight,
            Outcome::BWins => self.decisive[b * self.n + a] += weight,
            Outcome::Tie => {
                self.ties[a * self.n + b] += weight;
                self.ties[b * self.n + a] += weight;
            }
        }
        self.played[a] += weight;
        self.played[b] += weight;
        self.won[a] += wa * weight;
        self.won[b] += wb * weight;
    }

    /// `w` virtual ties per model, spread evenly over the other models.
    pub fn add_prior(&mut self, w: f64) {
        if w <= 0.0 || self.n < 2 {
            return;
        }
        let each = w / (self.n - 1) as f64 / 2.0;
        for i in 0..self.n {
            for j in 0..self.n {
                if i != j {
                    self.wins[i * self.n + j] += each;
                    self.ties[i * self.n + j] += 2.0 * each;
                }
            }
        }
    }

    /// Battles and wins (ties as half) of model `i`, without the prior.
    pub fn record(&self, i: usize) -> (f64, f64) {
        (self.played[i], self.won[i])
    }

    pub(super) fn n(&self) -> usize {
        self.n
    }

    pub(super) fn w(&self, i: usize, j: usize) -> f64 {
        self.wins[i * self.n + j]
    }
}

/// Log-strengths maximising the likelihood, centred at zero.
pub fn fit_strengths(c: &Counts, models: &[String]) -> Result<Vec<f64>, FitError> {
    fit_strengths_from(c, models, None)
}

/// As [`fit_strengths`], starting from `start` (e.g. the fit on all battles when fitting a
/// bootstrap resample, which saves most Newton steps).
pub fn fit_strengths_from(
    c: &Counts,
    models: &[String],
    start: Option<&[f64]>,
) -> Result<Vec<f64>, FitError> {
    let n = c.n;
    if n == 0 {
        return Err(FitError::Empty);
    }
    if n == 1 {
        return Ok(vec![0.0]);
    }
    check_connected(c, models)?;
    // The last strength is held at 0 (see below), so a start is shifted to match.
    let mut s = match start {
        Some(x) if x.len() == n => x.iter().map(|v| v - x[n - 1]).collect(),
        _ => vec![0.0; n],
    };
    let mut ll = log_likelihood(c, &s);
    for _ in 0..200 {
        // Gradient and Hessian of the log-likelihood; the last strength is held at 0 to fix the
        // scale's origin (the Hessian is singular along the all-ones direction).
        let mut g = vec![0.0; n];
        let mut h = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let total = c.w(i, j) + c.w(j, i);
                if total == 0.0 {
                    continue;
                }
                let p = sigmoid(s[i] - s[j]);
                g[i] += c.w(i, j) - total * p;
                let curv = total * p * (1.0 - p);
                h[i * n + i] += curv;
                h[i * n + j] -= curv;
            }
        }
        let m = n - 1;
        let mut a: Vec<f64> = (0..m)
            .flat_map(|i| (0..m).map(move |j| (i, j)))
            .map(|(i, j)| h[i * n + j])
            .collect();
        let mut step = g[..m].to_vec();
        solve(&mut a, &mut step, m);
        // The Newton decrement g'H^-1 g is twice the log-likelihood gain the step predicts, and is
        // computed without the cancellation that makes differences of large log-likelihoods
        // noisy: stop when the predicted gain is below 1e-10.
        let decrement: f64 = g[..m].iter().zip(&step).map(|(g, d)| g * d).sum();
        if decrement / 2.0 < 1e-10 {
            for (x, d) in s.iter_mut().zip(&step) {
                *x += d;
            }
            break;
        }
        // Backtracking: Newton steps are taken whole near the optimum, halved far from it.
        let mut t = 1.0;
        loop {
            let mut next = s.clone();
            for (x, d) in next.iter_mut().zip(&step) {
                *x += t * d;
            }
            let nll = log_likelihood(c, &next);
            if nll >= ll - super::newton::rounding(ll) || t < 1e-8 {
                s = next;
                ll = nll;
                break;
            }
            t /= 2.0;
        }
    }
    let mean = s.iter().sum::<f64>() / n as f64;
    Ok(s.iter().map(|x| x - mean).collect())
}

fn log_likelihood(c: &Counts, s: &[f64]) -> f64 {
    let mut ll = 0.0;
    for i in 0..c.n {
        for j in 0..c.n {
            let w = c.w(i, j);
            if i != j && w > 0.0 {
                ll += w * log_sigmoid(s[i] - s[j]);
            }
        }
    }
    ll
}

/// Solves `a x = b` in place (Gaussian elimination with partial pivoting); `b` becomes `x`.
pub(super) fn solve(a: &mut [f64], b: &mut [f64], m: usize) {
    for col in 0..m {
        let pivot = (col..m)
            .max_by(|&x, &y| a[x * m + col].abs().total_cmp(&a[y * m + col].abs()))
            .unwrap_or(col);
        if pivot != col {
            for k in 0..m {
                a.swap(col * m + k, pivot * m + k);
            }
            b.swap(col, pivot);
        }
        let d = a[col * m + col];
        if d.abs() < 1e-300 {
            continue;
        }
        for row in col + 1..m {
            let f = a[row * m + col] / d;
            if f != 0.0 {
                for k in col..m {
                    a[row * m + k] -= f * a[col * m + k];
                }
                b[row] -= f * b[col];
            }
        }
    }
    for col in (0..m).rev() {
        let mut x = b[col];
        for k in col + 1..m {
            x -= a[col * m + k] * b[k];
        }
        let d = a[col * m + col];
        b[col] = if d.abs() < 1e-300 { 0.0 } else { x / d };
    }
}

/// A finite maximum exists iff every model can reach every other along "beat" edges.
pub(super) fn check_connected(c: &Counts, models: &[String]) -> Result<(), FitError> {
    let n = c.n;
    if reachable(c, 0, true).iter().all(|&x| x) && reachable(c, 0, false).iter().all(|&x| x) {
        return Ok(());
    }
    // Name the groups: models that reach each other both ways belong together.
    let mut group = vec![usize::MAX; n];
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for i in 0..n {
        if group[i] != usize::MAX {
            continue;
        }
        let (fwd, back) = (reachable(c, i, true), reachable(c, i, false));
        let mut members = Vec::new();
        for (j, slot) in group.iter_mut().enumerate() {
            if *slot == usize::MAX && fwd[j] && back[j] {
                *slot = groups.len();
                members.push(models[j].as_str());
            }
        }
        groups.push(members);
    }
    Err(FitError::NotConnected {
        groups: groups
            .iter()
            .map(|g| format!("[{}]", g.join(", ")))
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// Which models `from` reaches along "beat" edges (`forward`) or against them.
fn reachable(c: &Counts, from: usize, forward: bool) -> Vec<bool> {
    let mut seen = vec![false; c.n];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(i) = stack.pop() {
        for (j, s) in seen.iter_mut().enumerate() {
            let edge = if forward { c.w(i, j) } else { c.w(j, i) };
            if !*s && edge > 0.0 {
                *s = true;
                stack.push(j);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("m{i}")).collect()
    }

    #[test]
    fn two_models_have_the_closed_form_answer() {
        // A beats B 3 times, B beats A once: s_A - s_B = ln 3.
        let mut c = Counts::new(2);
        for _ in 0..3 {
            c.add(0, 1, Outcome::AWins, 1.0);
        }
        c.add(0, 1, Outcome::BWins, 1.0);
        let s = fit_strengths(&c, &names(2)).unwrap();
        assert!((s[0] - s[1] - 3f64.ln()).abs() < 1e-9, "{s:?}");
        assert!(s.iter().sum::<f64>().abs() < 1e-12, "centred");
    }

    #[test]
    fn ties_count_half_and_the_gradient_vanishes() {
        let mut c = Counts::new(3);
        let plays = [
            (0, 1, Outcome::AWins),
            (0, 1, Outcome::Tie),
            (1, 2, Outcome::AWins),
            (2, 0, Outcome::AWins),
            (1, 2, Outcome::BWins),
            (0, 2, Outcome::Tie),
            (0, 1, Outcome::BWins),
        ];
        for &(a, b, o) in &plays {
            c.add(a, b, o, 1.0);
        }
        let s = fit_strengths(&c, &names(3)).unwrap();
        // At the maximum, each model's expected wins equal its observed wins.
        for i in 0..3 {
            let expected: f64 = (0..3)
                .filter(|&j| j != i)
                .map(|j| (c.w(i, j) + c.w(j, i)) * sigmoid(s[i] - s[j]))
                .sum();
            let observed: f64 = (0..3).filter(|&j| j != i).map(|j| c.w(i, j)).sum();
            assert!(
                (expected - observed).abs() < 1e-9,
                "model {i}: {expected} vs {observed}"
            );
        }
    }

    #[test]
    fn an_unbeaten_model_has_no_finite_fit_until_a_prior_is_added() {
        let mut c = Counts::new(3);
        c.add(0, 1, Outcome::AWins, 1.0);
        c.add(0, 2, Outcome::AWins, 1.0);
        c.add(1, 2, Outcome::AWins, 1.0);
        c.add(2, 1, Outcome::AWins, 1.0);
        let err = fit_strengths(&c, &names(3)).unwrap_err().to_string();
        assert!(
            err.contains("[m0]") && err.contains("[m1, m2]") && err.contains("--prior"),
            "{err}"
        );
        c.add_prior(1.0);
        let s = fit_strengths(&c, &names(3)).unwrap();
        assert!(s[0] > s[1] && s.iter().all(|x| x.is_finite()), "{s:?}");
    }
}
