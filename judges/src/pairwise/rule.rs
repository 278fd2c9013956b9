//! The offline judge: compares two answers by the task's own scorer against the reference.
//! The higher score wins and equal scores tie; it never says "much better", since a scorer's
//! difference says nothing about how much better an answer reads. It is symmetric, so both
//! orders get the same verdict and its position bias is zero by construction.

use longforge_datasets::{Judgment, Order, Sample, Verdict};

use super::Matchup;
use crate::scorers::Scoring;
use crate::{Answer, JudgeError};

/// The judge name rule verdicts carry.
pub const RULE_JUDGE: &str = "rule";

/// How the rule judge judges, as `judge` records it beside its judgments (`FILE.judge.json`)
/// for the leaderboard's methodology.
pub fn settings() -> serde_json::Value {
    serde_json::json!({
        "judge": RULE_JUDGE,
        "method": "the task's own scorer against the reference: the higher headline score wins (A>B), equal scores tie; never A>>B; symmetric, so both orders agree",
        "template": "none: no model is asked",
    })
}

pub fn judge(
    scoring: &Scoring,
    sample: &Sample,
    m: &Matchup,
    order: Order,
    a: &Answer,
    b: &Answer,
) -> Result<Judgment, JudgeError> {
    let sa = scoring.scored(sample, &a.prediction)?.headline();
    let sb = scoring.scored(sample, &b.prediction)?.headline();
    let verdict = match sa.total_cmp(&sb) {
        std::cmp::Ordering::Greater => Verdict::Better,
        std::cmp::Ordering::Less => Verdict::Worse,
        std::cmp::Ordering::Equal => Verdict::Tie,
    };
    let shown = match order {
        Order::Ab => verdict,
        Order::Ba => verdict.swapped(),
    };
    let (first, second) = match order {
        Order::Ab => (sa, sb),
        Order::Ba => (sb, sa),
    };
    Ok(Judgment {
        verdict,
        raw_verdict: Some(shown.label().to_string()),
        raw: Some(format!(
            "score of answer A {first}, of answer B {second}: [[{}]]",
            shown.label()
        )),
        length_a: a.text().chars().count(),
        length_b: b.text().chars().count(),
        ..Judgment::new(&m.question_id, &m.model_a, &m.model_b, RULE_JUDGE, order)
    })
}

/// The rule judge on every matchup, both orders, sorted as judgments are written.
pub fn judge_all(
    scoring: &Scoring,
    samples: &[Sample],
    sheet: &crate::AnswerSheet,
    matchups: &[Matchup],
) -> Result<Vec<Judgment>, JudgeError> {
    let mut out = Vec::new();
    for c in super::contests(samples, sheet, matchups) {
        for (m, order) in c.matchup.orders() {
            out.push(judge(scoring, c.sample, &m, order, c.answer_a, c.answer_b)?);
        }
    }
    super::sort_judgments(&mut out);
    Ok(out)
}
