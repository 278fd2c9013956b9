//! Per-sample scorers: one file per way of scoring, each registered by name in [`scorers`].
//!
//! A family names, per task, which scorer reads its samples (the manifest's scoring spec), so
//! scoring never guesses from the shape of a reference. A scorer gives one or more named values
//! per answer, each in `[0, 1]` with 1 perfect, the headline first (each becomes its own
//! [`Score`] row); the answer it extracted, if any; and typed details. It also writes the answer
//! a perfect model would give, in the format the prompt asks for: the oracle baseline answers
//! with it, and a property test over every family checks that it scores 1.0.
//!
//! Registered scorers:
//! - `boxed_exact` (`exact.rs`): the last `\boxed{}` of the output, cleaned, equals the cleaned
//!   reference (`exact_match`).
//! - `needles` (`needles.rs`): the needle values named inside the last `\boxed{}`: F1 of the
//!   recall over the needles and the precision over the candidates named (`needle_f1`, then
//!   `needle_recall` and `needle_precision`).
//! - `rows` (`rows.rs`): the rows of the last ```` ```json ```` block matched one to one to the
//!   gold SQL result by typed cells, or "no answer" for an empty result (`f1`, then `precision`,
//!   `recall`, and `order_score` for ORDER BY queries).
//! - `row_judge` (`row_judge.rs`): HoloBench's row judge, an evaluator labelling each gold row
//!   exact, partial or none (`judge_score`, `judged`), beside the rule-based `f1` and their
//!   `agreement`; `score --scorer row_judge --judge NAME=URL`.
//! - `route` (`route.rs`): LongProc path traversal, the `<Route>` block's steps equal to the
//!   reference's (`accuracy`), with line credit (`prefix_credit`, `resync_credit`, from
//!   `procedure.rs`).
//! - `countdown` (`countdown.rs`): LongProc Countdown, any valid `<Solution>` reaching the target
//!   (`accuracy`, arithmetic read by `arithmetic.rs`), with line credit on the search trace.
//! - `tsv` (`tsv.rs`): LongProc HTML to TSV, the ```` ```tsv ```` block's rows matched to the gold
//!   table as a multiset after cell normalisation (`f1`, `precision`, `recall`), the header checked
//!   by name (`header_ok`), with line credit over the rows.
//! - `tom` (`tom.rs`): LongProc theory-of-mind tracking, every `- Step N:` belief line and the
//!   final answer equal to the reference's (`accuracy`), with line credit over the step lines.
//! - `travel_plan` (`travel.rs`): LongProc travel planning, the `<Plan>` block's stays equal to
//!   the reference's, no city more or less (`accuracy`), with line credit on the search.
//! - `cpp` (`cpp.rs`): LongProc pseudocode to code, the ```` ```cpp ```` block compiled and run
//!   on the test cases in a sandbox (`sandbox.rs`) (`accuracy`, credit over the cases passed);
//!   `cpp_no_exec` runs nothing and gives line credit on the code.
//! - `claim_truth` (`claim_truth.rs`): NoCha-style claims, TRUE or FALSE read by documented
//!   rules that record which fired (`claim_accuracy`, `extraction_rate`, `attempted`); a claim
//!   skipped for context or refused by a guardrail is not attempted, which `pair_accuracy`
//!   leaves out with its pair.
//! - `key_facts` (`key_facts.rs`): long-span QA's open answers, the share of the reference's
//!   key facts named (`key_recall`), all of them (`all_keys`), and in its details their order
//!   where the question asks for one; recall, not truth, so the evaluator judges the same
//!   answers.
//! - `llm_rubric` (`rubric.rs`): asks an evaluator model to grade the answer against the
//!   reference (`rubric`, `graded`); `score --judge NAME=URL` supplies the model.
//!
//! Both are strict: an answer without a `\boxed{}` is not extracted and scores 0, and the
//! per-answer `extraction_rate` (1 extracted, 0 not) is written beside every score, so a model
//! that cannot follow the format is told apart from one that cannot find the answer.

mod arithmetic;
mod boxed;
mod claim_truth;
mod countdown;
mod cpp;
mod exact;
mod key_facts;
mod latex;
mod needles;
pub mod procedure;
mod route;
mod row_judge;
mod rows;
mod rubric;
pub mod sandbox;
mod scoring;
mod tom;
mod travel;
mod tsv;

pub use boxed::{clean, extract_boxed};
pub use claim_truth::{read_answer, ClaimAnswer, ClaimTruth, Rule as AnswerRule};
pub use countdown::Countdown;
pub use cpp::{Cpp, CppNoExec};
pub use exact::BoxedExact;
pub use key_facts::KeyFacts;
pub use needles::Needles;
pub use route::Route;
pub use row_judge::RowJudge;
pub use rows::Rows;
pub use rubric::LlmRubric;
pub use scoring::{Scoring, TaskScoring};
pub use tom::Tom;
pub use travel::TravelPlan;
pub use tsv::Tsv;

use longforge_datasets::{Prediction, Reference, Sample};
use serde_json::Value;

use crate::JudgeError;

/// What a scorer makes of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// `(name, value)`, headline first, in the order of [`Scorer::values`]; each in `[0, 1]`.
    pub values: Vec<(&'static str, f64)>,
    /// The answer as extracted from the output; `None` when the output holds none.
    pub answer: Option<String>,
    /// Scorer-specific facts about the answer (needles found, distractors named ...).
    pub details: Value,
}

impl Scored {
    /// The headline value.
    pub fn headline(&self) -> f64 {
        self.values.first().map_or(0.0, |v| v.1)
    }
}

/// A way of scoring one answer against one sample. Implementations are stateless and
/// deterministic: the same sample and output always give the same [`Scored`].
pub trait Scorer: Sync {
    /// The registered name, as scoring specs write it.
    fn name(&self) -> &'static str;
    /// One line for listings.
    fn summary(&self) -> &'static str;
    /// The reference kinds it reads; any other is an error naming the sample.
    fn reads(&self) -> &'static [&'static str];
    /// The names of the values [`Scorer::score`] gives, headline first.
    fn values(&self) -> &'static [&'static str];
    /// Scores `output` (the model's whole reply; empty when it gave none) against `sample`.
    /// A scorer that asks a model fails here, naming what to pass.
    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError>;
    /// Scores a whole prediction: by default [`Scorer::score`] of its text, so a failed or
    /// skipped request counts as an empty reply. A scorer whose figures leave unattempted
    /// answers out (NoCha's, where a claim skipped for context or refused by a guardrail
    /// removes its pair) reads the prediction's status and model here.
    fn score_prediction(
        &self,
        sample: &Sample,
        prediction: &Prediction,
    ) -> Result<Scored, JudgeError> {
        self.score(sample, prediction.text())
    }
    /// For a scorer that asks a model: the prompt to send about this answer (one user turn;
    /// the caller adds the evaluator's sampling and asks through the request store). `None`, the
    /// default, for rule-based scorers.
    fn question_for_model(
        &self,
        _sample: &Sample,
        _output: &str,
    ) -> Result<Option<String>, JudgeError> {
        Ok(None)
    }
    /// Scores `output` with the evaluator's `reply` to [`Scorer::question_for_model`].
    fn score_reply(
        &self,
        sample: &Sample,
        output: &str,
        _reply: &str,
    ) -> Result<Scored, JudgeError> {
        self.score(sample, output)
    }
    /// The reply a perfect model would write, in the format the prompt asks for.
    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError>;
    /// Writes chosen candidate answers (`meta.baseline` values) as a reply in the asked format.
    fn render_answer(&self, sample: &Sample, picks: &[String]) -> String;
    /// The reference as a judge reads it beside two answers.
    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError>;
}

/// Every registered scorer.
pub fn scorers() -> &'static [&'static dyn Scorer] {
    &[
        &BoxedExact,
        &Needles,
        &Rows,
        &RowJudge,
        &LlmRubric,
        &Route,
        &Countdown,
        &Tsv,
        &Tom,
        &TravelPlan,
        &Cpp::DEFAULT,
        &CppNoExec,
        &ClaimTruth,
        &KeyFacts,
    ]
}

/// The scorer registered as `name`; an unknown name is an error that lists the known ones and
/// suggests the closest.
pub fn scorer(name: &str) -> Result<&'static dyn Scorer, JudgeError> {
    let known: Vec<&str> = scorers().iter().map(|s| s.name()).collect();
    scorers()
        .iter()
        .copied()
        .find(|s| s.name() == name)
        .ok_or_else(|| JudgeError::unknown("scorer", name, &known))
}

/// The reference's value as `T`, checking its kind first.
pub(crate) fn reference_value<T: serde::de::DeserializeOwned>(
    scorer: &dyn Scorer,
    sample: &Sample,
) -> Result<T, JudgeError> {
    let Reference { kind, value } = &sample.reference;
    let bad = |message: String| JudgeError::Reference {
        sample_id: sample.id.clone(),
        scorer: scorer.name(),
        message,
    };
    if !scorer.reads().contains(&kind.as_str()) {
        return Err(bad(format!(
            "its reference is of kind `{kind}`, the scorer reads {}",
            scorer.reads().join(", ")
        )));
    }
    serde_json::from_value(value.clone())
        .map_err(|e| bad(format!("reference of kind `{kind}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_unknown_names_get_a_suggestion() {
        let mut names: Vec<&str> = scorers().iter().map(|s| s.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), scorers().len());
        let err = scorer("boxed_exakt").err().unwrap().to_string();
        assert!(err.contains("did you mean `boxed_exact`"), "{err}");
        assert!(err.contains("needles"), "{err}");
    }
}
