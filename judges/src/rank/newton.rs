//! Newton's method for the concave log-likelihoods of the fits, and the logistic functions they
//! share.

use super::fit::solve;

/// Maximises a concave `f` from `x` by Newton steps with backtracking; `derivatives` gives the
/// gradient and the Hessian (row-major). `f` is minus infinity where `x` is infeasible, and
/// backtracking keeps the iterate feasible. Stops when the gain the step predicts (half the
/// Newton decrement, computed without the cancellation that makes differences of large
/// log-likelihoods noisy) is below 1e-10.
pub(super) fn maximise(
    mut x: Vec<f64>,
    f: impl Fn(&[f64]) -> f64,
    derivatives: impl Fn(&[f64]) -> (Vec<f64>, Vec<f64>),
) -> Vec<f64> {
    let m = x.len();
    let mut value = f(&x);
    for _ in 0..200 {
        let (g, h) = derivatives(&x);
        let mut a: Vec<f64> = h.iter().map(|v| -v).collect();
        let mut step = g.clone();
        solve(&mut a, &mut step, m);
        let decrement: f64 = g.iter().zip(&step).map(|(g, d)| g * d).sum();
        if decrement.is_nan() || decrement / 2.0 < 1e-10 {
            // Converged: the full step is safe, and a line search here would only compare
            // log-likelihoods that differ by less than their rounding noise.
            let next: Vec<f64> = x.iter().zip(&step).map(|(x, d)| x + d).collect();
            if f(&next).is_finite() {
                x = next;
            }
            break;
        }
        let mut t = 1.0;
        loop {
            let next: Vec<f64> = x.iter().zip(&step).map(|(x, d)| x + t * d).collect();
            let candidate = f(&next);
            if candidate >= value - rounding(value) || t < 1e-10 {
                if candidate.is_finite() {
                    x = next;
                    value = candidate;
                }
                break;
            }
            t /= 2.0;
        }
    }
    x
}

/// The logistic function, without overflow for large arguments of either sign.
pub(super) fn sigmoid(u: f64) -> f64 {
    if u >= 0.0 {
        1.0 / (1.0 + (-u).exp())
    } else {
        let e = u.exp();
        e / (1.0 + e)
    }
}

/// ln(sigmoid(u)), without overflow or cancellation.
pub(super) fn log_sigmoid(u: f64) -> f64 {
    if u >= 0.0 {
        -(-u).exp().ln_1p()
    } else {
        u - u.exp().ln_1p()
    }
}

/// How far apart two evaluations of the same log-likelihood can be from rounding alone: a sum
/// of thousands of terms near -6e4 is exact to about 1e-8, not to its last bit. Without this
/// slack a step that really gains (by less than the noise) is refused and halved to nothing,
/// which cost 70 wasted evaluations per fit and 3x the time of a bootstrap.
pub(super) fn rounding(value: f64) -> f64 {
    1e-12 * value.abs().max(1.0)
}

/// Adds `d1 * c_a` to the gradient and `d2 * c_a * c_b` to the Hessian for a term whose
/// argument is the linear form with coefficients `coef` (variable, coefficient).
pub(super) fn add_term(g: &mut [f64], h: &mut [f64], coef: &[(usize, f64)], d1: f64, d2: f64) {
    let m = g.len();
    for &(a, ca) in coef {
        g[a] += d1 * ca;
        for &(b, cb) in coef {
            h[a * m + b] += d2 * ca * cb;
        }
    }
}
