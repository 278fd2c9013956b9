//! `mean`: the mean of each of the scorer's values over a cell.

use super::{t_interval, wilson, CellScore, Figure, Metric};

/// One figure per scorer value, named after the value (`exact_match`, `extraction_rate` ...).
/// Values that are all 0 or 1 get a Wilson interval; others a Student t interval. Either is
/// clamped to `[0, 1]`.
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
                let ci = if binary {
                    wilson(xs.iter().filter(|&&x| x == 1.0).count(), n, level)
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
