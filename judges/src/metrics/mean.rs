//! `mean`: the mean of each of the scorer's values over a cell.

use super::{t_interval, wilson, wilson_at, CellScore, Figure, Metric};

/// One figure per scorer value, named after the value (`exact_match`, `extraction_rate` ...).
/// Values that are all 0 or 1 get a Wilson interval; others a Student t interval, except where
/// the values all agree (a t interval would shrink to a point, as four samples that each found
/// 2 of 3 needles would give): there the Wilson interval at the mean, which is conservative for
/// values in [0, 1] since their variance is at most p (1 - p). Intervals are clamped to [0, 1].
pub struct Mean;

impl Metric for Mean {
    fn name(&self) -> &'static str {
        "mean"
    }

    fn summary(&self) -> &'static str {
        "mean of each scorer value, Wilson (0/1 values) or t interval"
    }

    fn aggregate(&self, cell: &[CellScore], values: &[&str], level: f64) -> Vec<Figure> {
        values
            .iter()
            .map(|name| {
                let xs: Vec<f64> = cell
                    .iter()
                    .filter_map(|c| c.values.iter().find(|(n, _)| n == name).map(|v| v.1))
                    .collect();
                let n = xs.len();
                let mean = (n > 0).then(|| xs.iter().sum::<f64>() / n as f64);
                let binary = xs.iter().all(|&x| x == 0.0 || x == 1.0);
                let agree = xs.windows(2).all(|w| w[0] == w[1]);
                let ci = if binary {
                    wilson(xs.iter().filter(|&&x| x == 1.0).count(), n, level)
                } else if agree {
                    mean.and_then(|m| wilson_at(m, n, level))
                } else {
                    t_interval(&xs, level)
                };
                Figure {
                    metric: name.to_string(),
                    value: mean,
                    n,
                    ci_low: ci.map(|c| c.0),
                    ci_high: ci.map(|c| c.1),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Sample;

    #[test]
    fn agreeing_fractions_get_an_interval_not_a_point() {
        let s: Sample = serde_json::from_value(serde_json::json!({
            "id": "t/0", "family": "t", "task": "t", "lang": "en", "question": "q", "prompt": "p",
            "reference": {"kind": "needles", "value": ["a"]}, "meta": {}
        }))
        .unwrap();
        let two_of_three = vec![("recall".to_string(), 2.0 / 3.0)];
        let cell: Vec<CellScore> = (0..4)
            .map(|_| CellScore {
                sample: &s,
                values: &two_of_three,
            })
            .collect();
        let f = &Mean.aggregate(&cell, &["recall"], 0.95)[0];
        let (lo, hi) = (f.ci_low.unwrap(), f.ci_high.unwrap());
        assert!(
            lo < 2.0 / 3.0 - 0.1 && hi > 2.0 / 3.0 + 0.1 && hi <= 1.0,
            "{lo} {hi}"
        );
        assert_eq!((lo, hi), wilson_at(2.0 / 3.0, 4, 0.95).unwrap());
        // Values that differ keep the t interval.
        let spread = [
            vec![("recall".to_string(), 0.4)],
            vec![("recall".to_string(), 0.6)],
        ];
        let cell: Vec<CellScore> = spread
            .iter()
            .map(|v| CellScore {
                sample: &s,
                values: v,
            })
            .collect();
        let f = &Mean.aggregate(&cell, &["recall"], 0.95)[0];
        assert_eq!(
            (f.ci_low, f.ci_high).0.map(|x| (x * 1e6).round()),
            t_interval(&[0.4, 0.6], 0.95).map(|c| (c.0 * 1e6).round())
        );
    }
}
