//! Judging model answers: rule-based scorers, the pairwise evaluator, rubric grades,
//! Bradley-Terry ranking and agreement between judges.
//!
//! Scorers grade one prediction against its sample's reference and return a [`Score`]
//! (`scorers`); metrics aggregate scores into the tables people read (`metrics`). The two are
//! kept apart so a log of predictions can be re-scored, and re-aggregated, without asking a model
//! again.

pub mod absolute;
pub mod agreement;
mod answers;
mod error;
pub mod metrics;
pub mod pairwise;
pub mod rank;
pub mod scorers;

pub use agreement::{agree, Agreement};
pub use answers::{reference_text, Answer, AnswerSheet};
pub use error::JudgeError;
pub use metrics::{summarise, CellSummary, Summary};
pub use scorers::{score, score_all};

/// `part / whole`, and 0 for an empty whole (a rate over nothing is reported as 0, beside the
/// count that shows it was nothing).
pub(crate) fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
