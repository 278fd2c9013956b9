//! Ties as an outcome of their own (Davidson, 1970): with strengths p = exp(s) and a tie
//! parameter nu >= 0,
//!
//! P(i beats j) = p_i / (p_i + p_j + nu sqrt(p_i p_j)), P(tie) = nu sqrt(p_i p_j) / (same).
//!
//! Dividing through by sqrt(p_i p_j), with d = s_i - s_j and u = ln(nu), the three outcomes have
//! probabilities proportional to e^{d/2}, e^{-d/2} and e^u: a softmax over linear forms, so the
//! log-likelihood is concave in (s, u) and its gradient and Hessian are the first two moments of
//! that softmax. Unlike Rao-Kupper, a tie is most likely between equals and its probability
//! falls off with the square root of the odds, and nu = 0 is the plain model.

use super::fit::{check_connected, Counts, FitError};
use super::newton::maximise;

/// Strengths (centred natural logs) and nu. Without any tie, nu is 0 and the strengths are the
/// plain Bradley-Terry ones. `start` as for [`super::fit_rao_kupper`].
pub fn fit_davidson(
    c: &Counts,
    models: &[String],
    start: Option<(&[f64], f64)>,
) -> Result<(Vec<f64>, f64), FitError> {
    let n = c.n();
    if n < 2 {
        return Ok((vec![0.0; n], 0.0));
    }
    check_connected(c, models)?;
    let pairs = Pairs::new(c);
    let tie_total: f64 = pairs.0.iter().map(|p| p.ties).sum();
    if tie_total == 0.0 {
        return super::fit_strengths(c, models).map(|s| (s, 0.0));
    }
    // x = (s_0 .. s_{n-2}, u); s_{n-1} is held at 0.
    let x = match start {
        Some((s, nu)) if s.len() == n && nu > 0.0 => {
            let mut x: Vec<f64> = s[..n - 1].iter().map(|v| v - s[n - 1]).collect();
            x.push(nu.ln());
            x
        }
        _ => {
            // Equal strengths and the nu that explains the overall share of ties r:
            // P(tie) = nu / (2 + nu) between equals.
            let played: f64 = pairs.0.iter().map(|p| p.total()).sum();
            let r = (tie_total / played).clamp(1e-6, 1.0 - 1e-6);
            let mut x = vec![0.0; n - 1];
            x.push((2.0 * r / (1.0 - r)).ln());
            x
        }
    };
    let x = maximise(x, |x| pairs.log_likelihood(x), |x| pairs.derivatives(x));
    let mut s: Vec<f64> = x[..n - 1].to_vec();
    s.push(0.0);
    let mean = s.iter().sum::<f64>() / n as f64;
    Ok((s.iter().map(|v| v - mean).collect(), x[n - 1].exp()))
}

struct Pair {
    i: usize,
    j: usize,
    /// Decisive wins of i over j and of j over i, and ties.
    wins_i: f64,
    wins_j: f64,
    ties: f64,
}

impl Pair {
    fn total(&self) -> f64 {
        self.wins_i + self.wins_j + self.ties
    }
}

/// The pairs (i < j) that met, with their counts.
struct Pairs(Vec<Pair>, usize);

impl Pairs {
    fn new(c: &Counts) -> Self {
        let n = c.n();
        let mut out = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                let p = Pair {
                    i,
                    j,
                    wins_i: c.decisive[i * n + j],
                    wins_j: c.decisive[j * n + i],
                    ties: c.ties[i * n + j],
                };
                if p.total() > 0.0 {
                    out.push(p);
                }
            }
        }
        Pairs(out, n)
    }

    fn strength(&self, x: &[f64], i: usize) -> f64 {
        if i < self.1 - 1 {
            x[i]
        } else {
            0.0
        }
    }

    /// (d/2, -d/2, u) for a pair, and the softmax over them.
    fn softmax(&self, x: &[f64], p: &Pair) -> ([f64; 3], [f64; 3]) {
        let d = self.strength(x, p.i) - self.strength(x, p.j);
        let u = x[self.1 - 1];
        let z = [d / 2.0, -d / 2.0, u];
        let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let e = z.map(|v| (v - top).exp());
        let sum: f64 = e.iter().sum();
        (z, e.map(|v| v / sum))
    }

    fn log_likelihood(&self, x: &[f64]) -> f64 {
        let mut ll = 0.0;
        for p in &self.0 {
            let (z, prob) = self.softmax(x, p);
            // log P(outcome) = z_k - logsumexp(z) = ln(prob_k).
            let _ = z;
            ll += p.wins_i * prob[0].ln() + p.wins_j * prob[1].ln() + p.ties * prob[2].ln();
        }
        if ll.is_nan() {
            f64::NEG_INFINITY
        } else {
            ll
        }
    }

    fn derivatives(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let m = x.len();
        let u = m - 1;
        let mut g = vec![0.0; m];
        let mut h = vec![0.0; m * m];
        for p in &self.0 {
            let (_, [pi, pj, pt]) = self.softmax(x, p);
            let total = p.total();
            // Score in d and u: observed minus expected statistic, with statistics (1/2, -1/2, 0)
            // for d and (0, 0, 1) for u; the Hessian is minus the total times their covariance.
            let gd = (p.wins_i - p.wins_j) / 2.0 - total * (pi - pj) / 2.0;
            let gu = p.ties - total * pt;
            let mean_d = (pi - pj) / 2.0;
            let var_d = (pi + pj) / 4.0 - mean_d * mean_d;
            let var_u = pt - pt * pt;
            let cov = -mean_d * pt;
            let mut vars = [(0usize, 0.0f64); 2];
            let mut k = 0;
            for (v, sign) in [(p.i, 1.0), (p.j, -1.0)] {
                if v < u {
                    vars[k] = (v, sign);
                    k += 1;
                }
            }
            let vars = &vars[..k];
            g[u] += gu;
            h[u * m + u] -= total * var_u;
            for &(a, ca) in vars {
                g[a] += ca * gd;
                h[a * m + u] -= total * ca * cov;
                h[u * m + a] -= total * ca * cov;
                for &(b, cb) in vars {
                    h[a * m + b] -= total * ca * cb * var_d;
                }
            }
        }
        (g, h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::{drawn, Outcome};

    #[test]
    fn recovers_nu_and_strengths_from_battles_drawn_from_the_model() {
        let truth = [-1.2, -0.3, 0.0, 0.4, 1.1];
        let nu = 0.7;
        let n = truth.len();
        let c = drawn::battles(&truth, 80_000, 11, |pi, pj, u| {
            let tie = nu * (pi * pj).sqrt();
            let r = u * (pi + pj + tie);
            if r < pi {
                Outcome::AWins
            } else if r < pi + pj {
                Outcome::BWins
            } else {
                Outcome::Tie
            }
        });
        let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
        let (s, fitted) = fit_davidson(&c, &names, None).unwrap();
        assert!((fitted - nu).abs() < 0.03, "nu {fitted}");
        drawn::assert_recovered(&s, &truth, 0.04);
        // Started from the answer, the fit stays there.
        let (again, nu_again) = fit_davidson(&c, &names, Some((&s, fitted))).unwrap();
        assert!((nu_again - fitted).abs() < 1e-9);
        assert!(again.iter().zip(&s).all(|(a, b)| (a - b).abs() < 1e-9));
    }

    #[test]
    fn the_gradient_vanishes_at_the_fit_on_a_hand_example() {
        // Two models: 6 wins, 2 losses, 4 ties. At the optimum the expected counts equal the
        // observed ones: P(win) = 6/12, P(loss) = 2/12, P(tie) = 4/12, so
        // e^{d} = 3 and nu = P(tie) / sqrt(P(win) P(loss)) = (1/3) / sqrt(1/12).
        let mut c = Counts::new(2);
        for (o, k) in [(Outcome::AWins, 6), (Outcome::BWins, 2), (Outcome::Tie, 4)] {
            for _ in 0..k {
                c.add(0, 1, o, 1.0);
            }
        }
        let (s, nu) = fit_davidson(&c, &["a".into(), "b".into()], None).unwrap();
        assert!((s[0] - s[1] - 3f64.ln()).abs() < 1e-9, "{s:?}");
        assert!(
            (nu - (1.0 / 3.0) / (1.0f64 / 12.0).sqrt()).abs() < 1e-9,
            "{nu}"
        );
    }
}

#[cfg(test)]
mod derivative_checks {
    use super::*;
    use crate::rank::Outcome;

    #[test]
    fn gradient_and_hessian_match_finite_differences() {
        let mut c = Counts::new(3);
        let plan = [
            (0, 1, Outcome::AWins, 5),
            (0, 1, Outcome::Tie, 3),
            (1, 0, Outcome::AWins, 2),
            (1, 2, Outcome::AWins, 4),
            (2, 1, Outcome::Tie, 2),
            (2, 0, Outcome::AWins, 3),
            (0, 2, Outcome::AWins, 1),
        ];
        for (a, b, o, k) in plan {
            for _ in 0..k {
                c.add(a, b, o, 1.0);
            }
        }
        let pairs = Pairs::new(&c);
        let x = [0.3, -0.2, -0.4];
        let (g, h) = pairs.derivatives(&x);
        let e = 1e-6;
        for k in 0..3 {
            let mut up = x;
            let mut down = x;
            up[k] += e;
            down[k] -= e;
            let fd = (pairs.log_likelihood(&up) - pairs.log_likelihood(&down)) / (2.0 * e);
            assert!((fd - g[k]).abs() < 1e-5, "g[{k}] {} vs {fd}", g[k]);
            let (gu, _) = pairs.derivatives(&up);
            let (gd, _) = pairs.derivatives(&down);
            for l in 0..3 {
                let fd = (gu[l] - gd[l]) / (2.0 * e);
                assert!(
                    (fd - h[l * 3 + k]).abs() < 1e-4,
                    "h[{l},{k}] {} vs {fd}",
                    h[l * 3 + k]
                );
            }
        }
    }
}
