//! A figure as the site shows it (a value, its interval and `n`), and how figures are pooled
//! into a model's family and overall figures, or into one value per length for a picture.

use longforge_judges::SummaryRow;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

/// One figure: a value in `[0, 1]` (for the leaderboard's figures) with its interval at the
/// site's level, and the samples (or pairs) behind it. Bounds are `None` where undefined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub value: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub n: usize,
}

impl Figure {
    pub fn of(row: &SummaryRow) -> Self {
        Figure {
            value: row.value,
            ci_low: row.ci_low,
            ci_high: row.ci_high,
            n: row.n,
        }
    }

    /// Whether this figure's interval and `other`'s share no point: the difference is more
    /// than resampling noise at the level both were computed at. False when either interval
    /// is undefined.
    pub fn apart_from(&self, other: &Figure) -> bool {
        match (self.ci_low, self.ci_high, other.ci_low, other.ci_high) {
            (Some(a_lo), Some(a_hi), Some(b_lo), Some(b_hi)) => a_hi < b_lo || b_hi < a_lo,
            _ => false,
        }
    }
}

/// The weighted mean of `parts` (weight, figure), with an interval from their standard errors.
///
/// Each side of a part's interval is read back as a standard error, the distance from its
/// value to the bound over z (the normal quantile at `level`), so the asymmetric Wilson
/// intervals near 0 and 1 keep their shape; the parts are taken as independent (they are
/// different samples), so each side of the mean's interval is `z * sqrt(sum((w_i / W)^2 *
/// se_i^2))` over that side's errors, cut to `[0, 1]`. One part gives back its own interval.
/// Parts without a value are left out; the interval is undefined if any part kept has none.
/// `n` is the parts' sum. An approximation, stated in the methodology.
pub fn pool(parts: &[(f64, Figure)], level: f64) -> Figure {
    let kept: Vec<&(f64, Figure)> = parts
        .iter()
        .filter(|(w, f)| f.value.is_some() && *w > 0.0)
        .collect();
    let n = kept.iter().map(|(_, f)| f.n).sum();
    let total: f64 = kept.iter().map(|(w, _)| w).sum();
    if kept.is_empty() || total <= 0.0 {
        return Figure {
            value: None,
            ci_low: None,
            ci_high: None,
            n,
        };
    }
    let value: f64 = kept
        .iter()
        .map(|(w, f)| w * f.value.unwrap_or(0.0))
        .sum::<f64>()
        / total;
    let z = z_of(level);
    let (mut below, mut above) = (0.0, 0.0);
    let mut bounded = true;
    for (w, f) in &kept {
        match (f.value, f.ci_low, f.ci_high) {
            (Some(v), Some(lo), Some(hi)) => {
                let share = (w / total).powi(2);
                below += share * ((v - lo).max(0.0) / z).powi(2);
                above += share * ((hi - v).max(0.0) / z).powi(2);
            }
            _ => bounded = false,
        }
    }
    let (ci_low, ci_high) = if bounded {
        (
            Some((value - z * below.sqrt()).clamp(0.0, 1.0)),
            Some((value + z * above.sqrt()).clamp(0.0, 1.0)),
        )
    } else {
        (None, None)
    };
    Figure {
        value: Some(value),
        ci_low,
        ci_high,
        n,
    }
}

/// The two-sided normal quantile for `level` (1.96 at 0.95).
pub fn z_of(level: f64) -> f64 {
    let level = if level > 0.0 && level < 1.0 {
        level
    } else {
        0.95
    };
    Normal::standard().inverse_cdf(0.5 + level / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(value: f64, half: f64, n: usize) -> Figure {
        Figure {
            value: Some(value),
            ci_low: Some(value - half),
            ci_high: Some(value + half),
            n,
        }
    }

    #[test]
    fn pooling_two_equal_figures_shrinks_the_interval_by_root_two() {
        let z = z_of(0.95);
        assert!((z - 1.959_964).abs() < 1e-5);
        let p = pool(&[(1.0, f(0.5, 0.1, 100)), (1.0, f(0.7, 0.1, 50))], 0.95);
        assert!((p.value.unwrap() - 0.6).abs() < 1e-12);
        let half = p.ci_high.unwrap() - 0.6;
        assert!((half - 0.1 / 2f64.sqrt()).abs() < 1e-12, "{half}");
        assert_eq!(p.n, 150);
    }

    #[test]
    fn weights_and_missing_values_and_bounds() {
        let p = pool(&[(3.0, f(1.0, 0.0, 3)), (1.0, f(0.0, 0.0, 1))], 0.95);
        assert_eq!(p.value, Some(0.75));
        let none = Figure {
            value: None,
            ci_low: None,
            ci_high: None,
            n: 0,
        };
        assert_eq!(pool(&[(1.0, none)], 0.95).value, None);
        let open = Figure {
            ci_high: None,
            ..f(0.5, 0.1, 10)
        };
        let p = pool(&[(1.0, open), (1.0, f(0.5, 0.1, 10))], 0.95);
        assert_eq!((p.value, p.ci_low), (Some(0.5), None));
        // One part gives back its own interval, however lopsided.
        let wilson = Figure {
            value: Some(1.0),
            ci_low: Some(0.98),
            ci_high: Some(1.0),
            n: 192,
        };
        assert_eq!(pool(&[(1.0, wilson)], 0.95), wilson);
        // Each side pooled on its own: two parts at 1 with lower bounds 0.98 and 0.96.
        let other = Figure {
            ci_low: Some(0.96),
            ..wilson
        };
        let p = pool(&[(1.0, wilson), (1.0, other)], 0.95);
        let below = (0.02f64.powi(2) + 0.04f64.powi(2)).sqrt() / 2.0;
        assert!((p.ci_low.unwrap() - (1.0 - below)).abs() < 1e-12, "{p:?}");
        assert_eq!(p.ci_high, Some(1.0));
    }

    #[test]
    fn figures_apart_only_when_intervals_share_no_point() {
        assert!(f(0.2, 0.05, 1).apart_from(&f(0.5, 0.05, 1)));
        assert!(!f(0.2, 0.2, 1).apart_from(&f(0.5, 0.2, 1)));
    }
}
