//! Bradley-Terry with answer length as a covariate, as the style-controlled arena fits it: per
//! battle, P(A beats B) = sigmoid(s_A - s_B + beta z), where z is the battle's
//! `(len_a - len_b) / (len_a + len_b)` standardised over all battles. The strengths are then what
//! remains of each model's wins once a judge's taste for longer (or shorter) answers is taken
//! out, and beta says how strong that taste is (logits per standard deviation of z).
//!
//! The covariate is per battle, so counts cannot be aggregated by pair; the fit runs on rows.
//! Each row touches three variables, so a Newton step costs O(rows + models^3).

use super::newton::{add_term, log_sigmoid, maximise, sigmoid};

/// One battle as a row of the regression; a tie is y = 1/2 (half a win each way).
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub a: usize,
    pub b: usize,
    pub z: f64,
    pub y: f64,
    pub weight: f64,
}

/// Strengths (centred natural logs) and beta. `start` is a previous fit's strengths and beta.
pub fn fit_with_length(rows: &[Row], n: usize, start: Option<(&[f64], f64)>) -> (Vec<f64>, f64) {
    if n < 2 {
        return (vec![0.0; n], 0.0);
    }
    // x = (s_0 .. s_{n-2}, beta); s_{n-1} is held at 0.
    let x = match start {
        Some((s, beta)) if s.len() == n => {
            let mut x: Vec<f64> = s[..n - 1].iter().map(|v| v - s[n - 1]).collect();
            x.push(beta);
            x
        }
        _ => vec![0.0; n],
    };
    let strength = |x: &[f64], i: usize| if i < n - 1 { x[i] } else { 0.0 };
    let eta = |x: &[f64], r: &Row| strength(x, r.a) - strength(x, r.b) + x[n - 1] * r.z;
    let x = maximise(
        x,
        |x| {
            rows.iter()
                .map(|r| {
                    let e = eta(x, r);
                    r.weight * (r.y * log_sigmoid(e) + (1.0 - r.y) * log_sigmoid(-e))
                })
                .sum()
        },
        |x| {
            let mut g = vec![0.0; n];
            let mut h = vec![0.0; n * n];
            for r in rows {
                let p = sigmoid(eta(x, r));
                let d1 = r.weight * (r.y - p);
                let d2 = -r.weight * p * (1.0 - p);
                let mut coef = [(0usize, 0.0f64); 3];
                let mut k = 0;
                // The last model's strength is fixed at 0; variable n - 1 is beta.
                for (v, c) in [(r.a, 1.0), (r.b, -1.0)] {
                    if v < n - 1 {
                        coef[k] = (v, c);
                        k += 1;
                    }
                }
                coef[k] = (n - 1, r.z);
                add_term(&mut g, &mut h, &coef[..=k], d1, d2);
            }
            (g, h)
        },
    );
    let mut s: Vec<f64> = x[..n - 1].to_vec();
    s.push(0.0);
    let mean = s.iter().sum::<f64>() / n as f64;
    (s.iter().map(|v| v - mean).collect(), x[n - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::SeededRng;

    #[test]
    fn recovers_a_judges_taste_for_length_and_the_strengths_beneath_it() {
        let truth = [-0.8, 0.0, 0.3, 0.5];
        let beta = 0.6;
        let n = truth.len();
        let mut rng = SeededRng::new(3);
        let unit = |rng: &mut SeededRng| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut rows = Vec::new();
        for _ in 0..60_000 {
            let a = rng.below(n);
            let b = (a + 1 + rng.below(n - 1)) % n;
            let z = unit(&mut rng) * 4.0 - 2.0;
            let p = sigmoid(truth[a] - truth[b] + beta * z);
            let y = if unit(&mut rng) < p { 1.0 } else { 0.0 };
            rows.push(Row {
                a,
                b,
                z,
                y,
                weight: 1.0,
            });
        }
        let (s, fitted) = fit_with_length(&rows, n, None);
        assert!((fitted - beta).abs() < 0.03, "beta {fitted}");
        let mean = truth.iter().sum::<f64>() / n as f64;
        for (got, want) in s.iter().zip(truth) {
            assert!((got - (want - mean)).abs() < 0.04, "{s:?} vs {truth:?}");
        }
        // Without a length effect in the data, beta is near zero.
        for r in rows.iter_mut() {
            let p = sigmoid(truth[r.a] - truth[r.b]);
            r.y = if unit(&mut rng) < p { 1.0 } else { 0.0 };
        }
        let (_, none) = fit_with_length(&rows, n, None);
        assert!(none.abs() < 0.03, "beta {none}");
    }
}
