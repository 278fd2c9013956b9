//! Ties as an outcome of their own (Rao and Kupper, 1967): with strengths p = exp(s) and a tie
//! parameter theta >= 1,
//!
//! P(i beats j) = p_i / (p_i + theta p_j), P(tie) = (theta^2 - 1) p_i p_j / ((p_i + theta p_j)(p_j + theta p_i)).
//!
//! With t = ln(theta), log P(i beats j) = log sigmoid(s_i - s_j - t) and log P(tie) =
//! ln(e^{2t} - 1) + log sigmoid(s_i - s_j - t) + log sigmoid(s_j - s_i - t), so the
//! log-likelihood is a sum of log-sigmoids of linear forms plus a term in t alone, and Newton's
//! method on (s, t) applies as for the plain model.

use super::fit::{check_connected, Counts, FitError};
use super::newton::{add_term, log_sigmoid, maximise, sigmoid};

/// Strengths (centred natural logs) and theta. Without any tie, theta is 1 and the strengths are
/// the plain Bradley-Terry ones. `start` (strengths and theta, e.g. the fit on all battles when
/// fitting a bootstrap resample) saves most of the Newton steps.
pub fn fit_rao_kupper(
    c: &Counts,
    models: &[String],
    start: Option<(&[f64], f64)>,
) -> Result<(Vec<f64>, f64), FitError> {
    let n = c.n();
    if n < 2 {
        return Ok((vec![0.0; n], 1.0));
    }
    check_connected(c, models)?;
    let tie_total: f64 = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .map(|(i, j)| c.ties[i * n + j])
        .sum();
    if tie_total == 0.0 {
        return super::fit_strengths(c, models).map(|s| (s, 1.0));
    }
    // x = (s_0 .. s_{n-2}, t); s_{n-1} is held at 0.
    let x = match start {
        Some((s, theta)) if s.len() == n && theta > 1.0 => {
            let mut x: Vec<f64> = s[..n - 1].iter().map(|v| v - s[n - 1]).collect();
            x.push(theta.ln());
            x
        }
        _ => {
            // Equal strengths and the theta that explains the overall share of ties r:
            // P(tie) = (theta - 1) / (theta + 1) between equals.
            let played: f64 = (0..n * n).map(|k| c.decisive[k]).sum::<f64>() + tie_total;
            let r = (tie_total / played).clamp(1e-6, 1.0 - 1e-6);
            let mut x = vec![0.0; n - 1];
            x.push(((1.0 + r) / (1.0 - r)).ln());
            x
        }
    };
    let x = maximise(
        x,
        |x| {
            if x[n - 1] > 0.0 {
                log_likelihood(c, x, tie_total)
            } else {
                f64::NEG_INFINITY
            }
        },
        |x| derivatives(c, x, tie_total),
    );
    let mut s: Vec<f64> = x[..n - 1].to_vec();
    s.push(0.0);
    let mean = s.iter().sum::<f64>() / n as f64;
    Ok((s.iter().map(|v| v - mean).collect(), x[n - 1].exp()))
}

/// s_i from the variables: the last model's strength is fixed at 0.
fn strength(x: &[f64], i: usize) -> f64 {
    if i < x.len() - 1 {
        x[i]
    } else {
        0.0
    }
}

/// Calls `term(weight, i, j)` for every log-sigmoid term `weight * log sigmoid(s_i - s_j - t)`.
fn terms(c: &Counts, mut term: impl FnMut(f64, usize, usize)) {
    let n = c.n();
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            // A decisive win of i over j; a tie contributes this term for both orders.
            let w = c.decisive[i * n + j] + c.ties[i * n + j];
            if w > 0.0 {
                term(w, i, j);
            }
        }
    }
}

fn log_likelihood(c: &Counts, x: &[f64], tie_total: f64) -> f64 {
    let t = x[x.len() - 1];
    let mut ll = tie_total * (2.0 * t + (-(-2.0 * t).exp()).ln_1p());
    terms(c, |w, i, j| {
        ll += w * log_sigmoid(strength(x, i) - strength(x, j) - t)
    });
    ll
}

fn derivatives(c: &Counts, x: &[f64], tie_total: f64) -> (Vec<f64>, Vec<f64>) {
    let m = x.len();
    let t = x[m - 1];
    let mut g = vec![0.0; m];
    let mut h = vec![0.0; m * m];
    let e = (-2.0 * t).exp();
    g[m - 1] += tie_total * 2.0 / (1.0 - e);
    h[(m - 1) * m + m - 1] += tie_total * -4.0 * e / ((1.0 - e) * (1.0 - e));
    terms(c, |w, i, j| {
        let u = strength(x, i) - strength(x, j) - t;
        let d1 = w * sigmoid(-u);
        let d2 = -w * sigmoid(u) * sigmoid(-u);
        // The form's coefficients: +1 on s_i, -1 on s_j, -1 on t. The last model's strength is
        // fixed at 0 and is not a variable (index m - 1 is t).
        let mut coef = [(0usize, 0.0f64); 3];
        let mut k = 0;
        if i < m - 1 {
            coef[k] = (i, 1.0);
            k += 1;
        }
        if j < m - 1 {
            coef[k] = (j, -1.0);
            k += 1;
        }
        coef[k] = (m - 1, -1.0);
        add_term(&mut g, &mut h, &coef[..=k], d1, d2);
    });
    (g, h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::{drawn, Outcome};

    #[test]
    fn recovers_theta_and_strengths_from_battles_drawn_from_the_model() {
        let truth = [-1.0, -0.4, 0.0, 0.5, 0.9];
        let theta = 1.8;
        let n = truth.len();
        let c = drawn::battles(&truth, 80_000, 5, |pi, pj, u| {
            let win_i = pi / (pi + theta * pj);
            let win_j = pj / (pj + theta * pi);
            if u < win_i {
                Outcome::AWins
            } else if u < win_i + win_j {
                Outcome::BWins
            } else {
                Outcome::Tie
            }
        });
        let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
        let (s, fitted_theta) = fit_rao_kupper(&c, &names, None).unwrap();
        assert!((fitted_theta - theta).abs() < 0.03, "theta {fitted_theta}");
        drawn::assert_recovered(&s, &truth, 0.04);
    }

    #[test]
    fn without_ties_theta_is_one_and_strengths_are_plain() {
        let mut c = Counts::new(2);
        for _ in 0..3 {
            c.add(0, 1, Outcome::AWins, 1.0);
        }
        c.add(0, 1, Outcome::BWins, 1.0);
        let (s, theta) = fit_rao_kupper(&c, &["a".into(), "b".into()], None).unwrap();
        assert_eq!(theta, 1.0);
        assert!((s[0] - s[1] - 3f64.ln()).abs() < 1e-9);
    }
}
