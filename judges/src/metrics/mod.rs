//! Metrics: how per-sample scores become the figures a leaderboard shows. One file per metric,
//! each registered by name in [`metrics`]; a task's scoring spec names the ones that apply.
//!
//! - `mean` (`mean.rs`): the mean of each value the scorer gives (the headline, the extraction
//!   rate, ...), with a Wilson interval when every value is 0 or 1 and a Student t interval
//!   otherwise, clamped to `[0, 1]`.
//! - `pair_accuracy` (`pair_accuracy.rs`): NoCha's grouped metric: samples sharing
//!   `meta.pair_id` form a pair, and a pair counts as right only when every one of its samples
//!   has a perfect headline; only attempted pairs count, with claim accuracy, the share of TRUE
//!   answers and the share of pairs attempted beside.
//!
//! [`summarise`] groups scores by `(model, family, task, axes)` and applies the task's metrics
//! to every cell and to the task as a whole; a grouped metric also gets each axis alone and
//! the groups every model attempted.

mod interval;
mod mean;
mod pair_accuracy;
mod summary;

pub use interval::{t_interval, wilson, wilson_at};
pub use mean::Mean;
pub use pair_accuracy::PairAccuracy;
pub use summary::{summarise, SummaryRow};

use std::collections::BTreeSet;

use longforge_datasets::Sample;

use crate::JudgeError;

/// One sample's values as its scorer gave them, headline first.
#[derive(Debug, Clone, Copy)]
pub struct CellScore<'a> {
    pub sample: &'a Sample,
    pub values: &'a [(String, f64)],
}

/// One figure of a cell: a value with its sample size and interval. `value` is `None` when
/// there is nothing to aggregate (every sample missing); a bound is `None` when undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub metric: String,
    pub value: Option<f64>,
    pub n: usize,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// A way of aggregating the scores of one cell into figures.
pub trait Metric: Sync {
    /// The registered name, as scoring specs write it.
    fn name(&self) -> &'static str;
    /// One line for listings.
    fn summary(&self) -> &'static str;
    /// Figures for the scores of one cell. `values` are the scorer's value names, headline
    /// first; an empty `cell` gives figures with `n` 0 and no value. `level` is the interval's
    /// confidence level, in `(0, 1)`.
    fn aggregate(&self, cell: &[CellScore], values: &[&str], level: f64) -> Vec<Figure>;
    /// For a metric over groups of samples that leaves unattempted groups out (NoCha's
    /// pairs): the groups of `cell` it counts. A summary restricts every model to the groups
    /// all of them attempted and gives the figures again under `axes` `{"pairs": "common"}`.
    /// `None`, the default, for per-sample metrics.
    fn attempted_groups(&self, _cell: &[CellScore]) -> Option<BTreeSet<String>> {
        None
    }
    /// The group `sample` belongs to, for [`Metric::attempted_groups`].
    fn group_of(&self, _sample: &Sample) -> Option<String> {
        None
    }
    /// Whether a summary also gives this metric's figures by each axis alone (by length, by
    /// kind) beside the cells of the whole grid, for a task with two axes or more. A grouped
    /// metric's cells are small (a few pairs), so its margins are where it says something.
    fn by_each_axis(&self) -> bool {
        false
    }
}

/// Every registered metric.
pub fn metrics() -> &'static [&'static dyn Metric] {
    &[&Mean, &PairAccuracy]
}

/// The metric registered as `name`, or an error listing the known ones.
pub fn metric(name: &str) -> Result<&'static dyn Metric, JudgeError> {
    let known: Vec<&str> = metrics().iter().map(|m| m.name()).collect();
    metrics()
        .iter()
        .copied()
        .find(|m| m.name() == name)
        .ok_or_else(|| JudgeError::unknown("metric", name, &known))
}
