//! Rank correlations between two scorings of the same systems, and the Spearman-Brown projection
//! from half the questions to all of them.
//!
//! Only the order of the scores matters: Bradley-Terry strengths (logits, any origin) and mean
//! grades (1 to 10) are compared on the same footing. Ties are expected (a mean grade of 7.0 for
//! two systems is common on few questions) and handled by each measure's own tie correction.

use std::cmp::Ordering;

use statrs::statistics::{Data, OrderStatistics, RankTieBreaker};

/// Spearman's rho: Pearson's correlation between the two scorings' ranks, tied scores sharing
/// the mean of the ranks they span (Spearman 1904; the usual tie correction). In [-1, 1].
///
/// `None` when there is nothing to correlate: fewer than two systems, lengths that differ, a
/// NaN, or a scoring that gives every system the same score.
pub fn spearman_rho(x: &[f64], y: &[f64]) -> Option<f64> {
    if !comparable(x, y) {
        return None;
    }
    let rx = Data::new(x.to_vec()).ranks(RankTieBreaker::Average);
    let ry = Data::new(y.to_vec()).ranks(RankTieBreaker::Average);
    // Ranks are multiples of 1/2 and their mean is (n + 1) / 2, so every sum below is exact
    // (for fewer than about 2^25 systems) and identical orders give exactly 1, not 1 - 1e-16.
    let mean = (x.len() as f64 + 1.0) / 2.0;
    let (mut xy, mut xx, mut yy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        xy += (a - mean) * (b - mean);
        xx += (a - mean) * (a - mean);
        yy += (b - mean) * (b - mean);
    }
    Some((xy / (xx * yy).sqrt()).clamp(-1.0, 1.0))
}

/// Kendall's tau-b (Kendall 1945, "The treatment of ties in ranking problems"):
/// `(C - D) / sqrt((n0 - n1) (n0 - n2))` over the `n0 = n (n - 1) / 2` pairs of systems, with C
/// pairs ordered alike by both scorings, D ordered oppositely, and n1 (n2) pairs tied in `x`
/// (`y`). In [-1, 1], and 1 only when the two orders agree, ties included. Quadratic in the
/// number of systems, which is small.
///
/// `None` under the same conditions as [`spearman_rho`].
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    if !comparable(x, y) {
        return None;
    }
    let n = x.len();
    let (mut concordant, mut discordant) = (0i64, 0i64);
    let (mut tied_x, mut tied_y) = (0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let (dx, dy) = (x[i].total_cmp(&x[j]), y[i].total_cmp(&y[j]));
            if dx == Ordering::Equal {
                tied_x += 1;
            }
            if dy == Ordering::Equal {
                tied_y += 1;
            }
            if dx != Ordering::Equal && dy != Ordering::Equal {
                if dx == dy {
                    concordant += 1;
                } else {
                    discordant += 1;
                }
            }
        }
    }
    let pairs = (n * (n - 1) / 2) as i64;
    let denominator = (((pairs - tied_x) * (pairs - tied_y)) as f64).sqrt();
    Some(((concordant - discordant) as f64 / denominator).clamp(-1.0, 1.0))
}

/// The Spearman-Brown prophecy formula (Spearman 1910; Brown 1910) for a test twice as long:
/// `2 r / (1 + r)`, the reliability of a score on all the questions projected from the
/// correlation `r` between two halves of them. It assumes the halves are parallel (equally
/// reliable, measuring the same thing), which random halves of one question set are in
/// expectation; on a rank correlation it is the customary approximation, not an identity.
///
/// `None` for `r` at or below -1 (or NaN), where the formula has no value.
pub fn spearman_brown(r: f64) -> Option<f64> {
    (r > -1.0).then(|| 2.0 * r / (1.0 + r))
}

/// Two scorings of the same two or more systems, without NaN, each with at least two different
/// scores.
fn comparable(x: &[f64], y: &[f64]) -> bool {
    let varies = |v: &[f64]| v.iter().any(|s| *s != v[0]);
    x.len() == y.len()
        && x.len() >= 2
        && x.iter().chain(y).all(|s| !s.is_nan())
        && varies(x)
        && varies(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: Option<f64>, want: f64) {
        let got = got.expect("defined");
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }

    #[test]
    fn perfect_agreement_and_reversal() {
        let x = [0.3, 1.0, 2.5, 7.0];
        assert_eq!(
            spearman_rho(&x, &[1.0, 2.0, 3.0, 4.0]),
            Some(1.0),
            "exactly"
        );
        close(kendall_tau_b(&x, &[1.0, 2.0, 3.0, 4.0]), 1.0);
        assert_eq!(
            spearman_rho(&x, &[4.0, 3.0, 2.0, 1.0]),
            Some(-1.0),
            "exactly"
        );
        close(kendall_tau_b(&x, &[4.0, 3.0, 2.0, 1.0]), -1.0);
        // Only the order counts: logits against grades.
        close(spearman_rho(&[-2.0, 0.1, 1.9], &[3.0, 5.5, 9.0]), 1.0);
    }

    #[test]
    fn a_tied_example_worked_by_hand() {
        // x = [1, 2, 2, 3, 4], y = [2, 1, 3, 3, 4]; the ten pairs (i, j):
        //   (0,1) x up, y down: discordant    (1,2) x tied: counted in n1 only
        //   (0,2) (0,3) (0,4) concordant      (1,3) (1,4) concordant
        //   (2,3) y tied: counted in n2 only  (2,4) (3,4) concordant
        // C = 7, D = 1, n0 = 10, n1 = 1, n2 = 1:
        // tau-b = (7 - 1) / sqrt((10 - 1) (10 - 1)) = 6 / 9 = 2/3 (tau-a would be 6/10).
        let x = [1.0, 2.0, 2.0, 3.0, 4.0];
        let y = [2.0, 1.0, 3.0, 3.0, 4.0];
        close(kendall_tau_b(&x, &y), 2.0 / 3.0);
        // Mid-ranks: x -> [1, 2.5, 2.5, 4, 5], y -> [2, 1, 3.5, 3.5, 5], both with mean 3.
        // Deviations: x [-2, -0.5, -0.5, 1, 2], y [-1, -2, 0.5, 0.5, 2].
        // Sum of products 2 + 1 - 0.25 + 0.5 + 4 = 7.25; sums of squares 9.5 and 9.5.
        // rho = 7.25 / 9.5 = 29/38.
        close(spearman_rho(&x, &y), 29.0 / 38.0);
        // Symmetric in its arguments.
        close(kendall_tau_b(&y, &x), 2.0 / 3.0);
        close(spearman_rho(&y, &x), 29.0 / 38.0);
    }

    #[test]
    fn nothing_to_correlate_is_none() {
        assert_eq!(spearman_rho(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
        assert_eq!(spearman_rho(&[1.0], &[1.0]), None);
        assert_eq!(kendall_tau_b(&[1.0, 2.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(spearman_rho(&[1.0, f64::NAN], &[1.0, 2.0]), None);
    }

    #[test]
    fn spearman_brown_projects_a_half_to_the_whole() {
        close(spearman_brown(0.5), 2.0 / 3.0);
        close(spearman_brown(1.0), 1.0);
        close(spearman_brown(0.0), 0.0);
        assert_eq!(spearman_brown(-1.0), None);
        assert_eq!(spearman_brown(f64::NAN), None);
    }
}
