//! Pairwise judging: two models' answers to one question, shown to a judge in both orders, and a
//! verdict on the five-point scale `A>>B A>B A=B B>A B>>A` stated for `model_a` against
//! `model_b` whatever the order of showing.
//!
//! - [`pairs`]: which pairs are compared (all, each against a baseline, or K sampled per
//!   question).
//! - [`prompt`]: minijinja templates, with answers fenced as untrusted text.
//! - [`verdict`]: reading the reply strictly; unreadable replies are `invalid`, never guessed.
//! - [`evaluator`]: the LLM judge through the request store; [`rule`]: the offline judge.
//! - [`bias`]: position bias per judge.

pub mod bias;
pub mod evaluator;
pub mod pairs;
pub mod prompt;
pub mod rule;
pub mod verdict;

pub use bias::{position_bias, PositionBias};
pub use evaluator::{judge_all, sort_judgments, Evaluator, PairTexts, Showing};
pub use pairs::{contests, matchups, Contest, Matchup, Pairing};
pub use prompt::{Purpose, Template, VerdictMode};
pub use rule::RULE_JUDGE;
pub use verdict::all_invalid;
