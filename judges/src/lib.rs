//! Judging model answers: rule-based scorers now; the pairwise evaluator and Bradley-Terry
//! ranking join them here.
//!
//! Scorers grade one prediction against its sample's reference and return a [`Score`]
//! (`scorers`); metrics aggregate scores into the tables people read (`metrics`). The two are
//! kept apart so a log of predictions can be re-scored, and re-aggregated, without asking a model
//! again.

pub mod metrics;
pub mod rank;
pub mod scorers;

pub use metrics::{summarise, CellSummary, Summary};
pub use scorers::{score, score_all, JudgeError};
