//! Judging model answers: rule-based scorers, the pairwise evaluator, rubric grades,
//! Bradley-Terry ranking, agreement between judges, and the reliability of the relative and
//! absolute methods.
//!
//! Scorers grade one prediction against its sample's reference and give one
//! [`longforge_datasets::Score`] row per value (`scorers`); metrics aggregate scores into the
//! figures people read (`metrics`). Both are plug-ins registered by name, and a dataset's
//! manifest says which apply to each task ([`Scoring`]). The two are kept apart so a log of
//! predictions can be re-scored, and re-aggregated, without asking a model again.

pub mod absolute;
pub mod agreement;
mod answers;
mod error;
pub mod metrics;
pub mod pairwise;
pub mod rank;
pub mod reliability;
pub mod scorers;

pub use agreement::{agree, Agreement};
pub use answers::{Answer, AnswerSheet};
pub use error::JudgeError;
pub use metrics::{metric, metrics, summarise, Metric, SummaryRow};
pub use scorers::{scorer, scorers, Scorer, Scoring};

/// `part / whole`; `None` for an empty whole: a rate over nothing is undefined (null in JSON,
/// "undefined" in text), never 0.
pub(crate) fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}
