//! Confidence intervals for means of scores in `[0, 1]`, from `statrs` quantiles.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The Wilson score interval for `successes` out of `n` at confidence `level` (Wilson, 1927;
/// the interval Brown, Cai and DasGupta 2001 recommend over the normal approximation, which
/// collapses to a point at 0 or n successes). `None` when `n` is 0.
pub fn wilson(successes: usize, n: usize, level: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let low_is_zero = successes == 0;
    wilson_at(successes as f64 / n as f64, n, level)
        .map(|(lo, hi)| (if low_is_zero { 0.0 } else { lo }, hi))
}

/// The Wilson interval for a proportion `p` observed over `n`, `p` in [0, 1].
pub fn wilson_at(p: f64, n: usize, level: f64) -> Option<(f64, f64)> {
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let z = Normal::standard().inverse_cdf(0.5 + level / 2.0);
    let n = n as f64;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 or n successes the bound is exactly 0 or 1; the formula leaves rounding dust.
    let low = if p == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if p == 1.0 {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((low, high))
}

/// The Student t interval for the mean of `values` at confidence `level`, clamped to `[0, 1]`.
/// `None` with fewer than two values (no spread to estimate).
pub fn t_interval(values: &[f64], level: f64) -> Option<(f64, f64)> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .ok()?
        .inverse_cdf(0.5 + level / 2.0);
    let half = t * (var / n as f64).sqrt();
    Some(((mean - half).max(0.0), (mean + half).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_worked_values() {
        // 7 of 10 at 95%: 0.3968 to 0.8922 (Newcombe 1998, table I, method 3).
        let (lo, hi) = wilson(7, 10, 0.95).unwrap();
        assert!(
            (lo - 0.3968).abs() < 5e-5 && (hi - 0.8922).abs() < 5e-5,
            "{lo} {hi}"
        );
        // 0 of 10 keeps a non-empty interval: 0 to 0.2775.
        let (lo, hi) = wilson(0, 10, 0.95).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 5e-5, "{hi}");
        assert_eq!(wilson(0, 0, 0.95), None);
    }

    #[test]
    fn t_interval_matches_a_hand_computation() {
        // Mean 0.5, sd 0.1 (values 0.4, 0.5, 0.6), t(2, 0.975) = 4.302653: half 0.248414.
        let (lo, hi) = t_interval(&[0.4, 0.5, 0.6], 0.95).unwrap();
        assert!(
            (lo - 0.251586).abs() < 1e-5 && (hi - 0.748414).abs() < 1e-5,
            "{lo} {hi}"
        );
        assert_eq!(t_interval(&[0.5], 0.95), None);
        let (lo, hi) = t_interval(&[0.0, 1.0, 0.5], 0.95).unwrap();
        assert_eq!((lo, hi), (0.0, 1.0), "clamped to [0, 1]");
    }
}
