//! `claim_truth`: a TRUE or FALSE answer about a claim, as NoCha asks (Karpinska et al., 2024).
//!
//! The original publishes no parser, and on its public sample some models' pair accuracy moves
//! from 0 to a third with the way answers are read (replies hold several `<answer>` tags, the
//! format's own placeholder echoed first, mixed case, or no tags at all). longforge reads them
//! by these rules, in order, and records which one fired (`details.rule`):
//! 1. `answer_tag`: the last `<answer>...</answer>` whose content, with surrounding white space
//!    and punctuation removed, is TRUE or FALSE in any case. A tag holding anything else (the
//!    placeholder `TRUE or FALSE`, a sentence) is skipped; tag names match in any case.
//! 2. `first_word`, only when the prompt was the simple one (no answer format): the first whole
//!    word TRUE or FALSE, in any case, anywhere in the reply.
//! 3. Otherwise the answer is unparseable: wrong, and counted (`extraction_rate` 0).
//!
//! The simple prompt is the sample's (`meta.prompt` is `simple`) or the model's: a model whose
//! name ends in `-simple` was asked with it, as the original names its runs.
//!
//! Values: `claim_accuracy` (1 when the answer read is the claim's truth), `extraction_rate`,
//! and `attempted`: 0 for a claim the model never answered, skipped for context (`status`
//! `skipped`), failed, or refused by a guardrail (`finish_reason` `content_filter`), which the
//! `pair_accuracy` metric leaves out with its pair, as the original's leaderboard does. An
//! empty reply is attempted and wrong.

use longforge_datasets::{Prediction, Sample, Status};
use serde_json::{json, Value};

use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

pub struct ClaimTruth;

/// Which parsing rule gave the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    AnswerTag,
    FirstWord,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::AnswerTag => "answer_tag",
            Rule::FirstWord => "first_word",
        }
    }
}

/// The answer read from a reply: the truth value it states and the rule that found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimAnswer {
    pub value: bool,
    pub rule: Rule,
}

/// Reads a reply by the rules above; `simple` allows rule 2.
pub fn read_answer(reply: &str, simple: bool) -> Option<ClaimAnswer> {
    if let Some(value) = last_answer_tag(reply) {
        return Some(ClaimAnswer {
            value,
            rule: Rule::AnswerTag,
        });
    }
    if simple {
        return first_word(reply).map(|value| ClaimAnswer {
            value,
            rule: Rule::FirstWord,
        });
    }
    None
}

/// The content of the last `<answer>` tag that says TRUE or FALSE.
fn last_answer_tag(reply: &str) -> Option<bool> {
    // ASCII lower-casing keeps every byte offset.
    let lower = reply.to_ascii_lowercase();
    let mut found = None;
    let mut from = 0;
    while let Some(open) = lower[from..].find("<answer>") {
        let start = from + open + "<answer>".len();
        let Some(close) = lower[start..].find("</answer>") else {
            break;
        };
        let content = lower[start..start + close]
            .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        match content {
            "true" => found = Some(true),
            "false" => found = Some(false),
            _ => {}
        }
        from = start + close + "</answer>".len();
    }
    found
}

/// The first whole word TRUE or FALSE (letters and digits make words).
fn first_word(reply: &str) -> Option<bool> {
    reply.split(|c: char| !c.is_alphanumeric()).find_map(|w| {
        match w.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    })
}

fn label(value: bool) -> &'static str {
    if value {
        "TRUE"
    } else {
        "FALSE"
    }
}

fn simple_prompt(sample: &Sample) -> bool {
    sample.meta.get("prompt").and_then(Value::as_str) == Some("simple")
}

impl ClaimTruth {
    fn scored(
        &self,
        sample: &Sample,
        output: &str,
        simple: bool,
        not_attempted: Option<&str>,
    ) -> Result<Scored, JudgeError> {
        let truth: bool = reference_value(self, sample)?;
        let answer = match not_attempted {
            None => read_answer(output, simple),
            Some(_) => None,
        };
        let correct = answer.is_some_and(|a| a.value == truth);
        Ok(Scored {
            values: vec![
                ("claim_accuracy", if correct { 1.0 } else { 0.0 }),
                ("extraction_rate", if answer.is_some() { 1.0 } else { 0.0 }),
                ("attempted", if not_attempted.is_none() { 1.0 } else { 0.0 }),
            ],
            answer: answer.map(|a| label(a.value).to_string()),
            details: json!({
                "answer": answer.map(|a| label(a.value)),
                "rule": answer.map(|a| a.rule.name()),
                "truth": truth,
                "correct": correct,
                "simple_prompt": simple,
                "not_attempted": not_attempted,
                "pair_id": sample.meta.get("pair_id"),
            }),
        })
    }
}

impl Scorer for ClaimTruth {
    fn name(&self) -> &'static str {
        "claim_truth"
    }

    fn summary(&self) -> &'static str {
        "TRUE or FALSE about a claim, read from the last <answer> tag (or, for the simple prompt, the first TRUE or FALSE)"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["claim"]
    }

    fn values(&self) -> &'static [&'static str] {
        &["claim_accuracy", "extraction_rate", "attempted"]
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        self.scored(sample, output, simple_prompt(sample), None)
    }

    fn score_prediction(
        &self,
        sample: &Sample,
        prediction: &Prediction,
    ) -> Result<Scored, JudgeError> {
        let simple = simple_prompt(sample) || prediction.model.ends_with("-simple");
        let not_attempted = match prediction.status {
            Status::Skipped => Some("skipped"),
            Status::Failed => Some("failed"),
            Status::Answered if prediction.finish_reason.as_deref() == Some("content_filter") => {
                Some("refused")
            }
            Status::Answered => None,
        };
        self.scored(sample, prediction.text(), simple, not_attempted)
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        let truth: bool = reference_value(self, sample)?;
        let facts: Vec<&str> = sample
            .meta
            .get("facts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| f.get("text").and_then(Value::as_str))
            .collect();
        let why = if facts.is_empty() {
            "The book settles it.".to_string()
        } else {
            format!("The book says: {}.", facts.join("; "))
        };
        Ok(format!(
            "<explanation>{why}</explanation>\n<answer>{}</answer>",
            label(truth)
        ))
    }

    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        let pick = picks.first().map_or("", String::as_str);
        format!("<explanation>A guess.</explanation>\n<answer>{pick}</answer>")
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        let truth: bool = reference_value(self, sample)?;
        Ok(format!(
            "{} (the claim: {})",
            label(truth),
            sample.question.trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Prediction;

    fn sample(truth: bool, prompt: &str) -> Sample {
        serde_json::from_value(json!({
            "id": "nocha/t/p0/a", "family": "nocha", "task": "claims", "lang": "en",
            "question": "Ann met Bo at Dunmere.", "prompt": "p",
            "reference": {"kind": "claim", "value": truth},
            "meta": {"prompt": prompt, "pair_id": "p0"}
        }))
        .unwrap()
    }

    fn read(reply: &str, simple: bool) -> Option<(bool, &'static str)> {
        read_answer(reply, simple).map(|a| (a.value, a.rule.name()))
    }

    #[test]
    fn the_last_tag_saying_true_or_false_decides() {
        // The format's placeholder echoed first, then the real answer.
        let echoed = "<answer>TRUE or FALSE</answer>\nI think...\n<answer>false</answer>";
        assert_eq!(read(echoed, false), Some((false, "answer_tag")));
        assert_eq!(
            read(
                "<answer>TRUE</answer> on reflection <answer>FALSE</answer>",
                false
            ),
            Some((false, "answer_tag"))
        );
        assert_eq!(
            read("<ANSWER> **True**. </Answer>", false),
            Some((true, "answer_tag"))
        );
        // A later tag holding something else does not undo an earlier answer.
        assert_eq!(
            read("<answer>FALSE</answer> <answer>not sure</answer>", false),
            Some((false, "answer_tag"))
        );
        assert_eq!(read("<answer>TRUE or FALSE</answer>", false), None);
        assert_eq!(read("<answer>TRUE", false), None, "an unclosed tag");
        assert_eq!(read("The statement is TRUE.", false), None, "tagged prompt");
    }

    #[test]
    fn the_simple_prompt_falls_back_to_the_first_whole_word() {
        assert_eq!(
            read("False. The book says otherwise, so it is not true.", true),
            Some((false, "first_word"))
        );
        assert_eq!(
            read("It is untrue; FALSE.", true),
            Some((false, "first_word"))
        );
        assert_eq!(read("True-ish", true), Some((true, "first_word")));
        assert_eq!(read("I cannot tell.", true), None);
        // The tag still comes first.
        assert_eq!(
            read("True at first sight, but <answer>FALSE</answer>", true),
            Some((false, "answer_tag"))
        );
    }

    #[test]
    fn attempts_refusals_and_empty_replies() {
        let s = sample(true, "tagged");
        let score = |p: Prediction| ClaimTruth.score_prediction(&s, &p).unwrap();
        let right = score(Prediction::answered(&s.id, "m", "<answer>TRUE</answer>"));
        assert_eq!(
            right.values.iter().map(|v| v.1).collect::<Vec<_>>(),
            [1.0, 1.0, 1.0]
        );
        let empty = score(Prediction::answered(&s.id, "m", ""));
        assert_eq!(
            empty.values.iter().map(|v| v.1).collect::<Vec<_>>(),
            [0.0, 0.0, 1.0]
        );
        let mut refused = Prediction::answered(&s.id, "m", "");
        refused.finish_reason = Some("content_filter".into());
        let refused = score(refused);
        assert_eq!(refused.values[2].1, 0.0);
        assert_eq!(refused.details["not_attempted"], "refused");
        let mut skipped = Prediction::answered(&s.id, "m", "");
        skipped.status = Status::Skipped;
        skipped.output = None;
        assert_eq!(score(skipped).values[2].1, 0.0);
        // A `-simple` model is read by the simple rules on a tagged sample.
        let plain = score(Prediction::answered(&s.id, "llama-simple", "True."));
        assert_eq!(
            (plain.values[0].1, plain.details["rule"].clone()),
            (1.0, json!("first_word"))
        );
        let plain = score(Prediction::answered(&s.id, "llama", "True."));
        assert_eq!(plain.values[1].1, 0.0);
    }

    #[test]
    fn the_perfect_answer_scores_one_under_both_prompts() {
        for (truth, prompt) in [(true, "tagged"), (false, "simple")] {
            let s = sample(truth, prompt);
            let perfect = ClaimTruth.perfect_answer(&s).unwrap();
            let scored = ClaimTruth.score(&s, &perfect).unwrap();
            assert!(scored.values.iter().all(|v| v.1 == 1.0), "{perfect}");
            let guess = ClaimTruth.render_answer(&s, &["TRUE".into()]);
            assert_eq!(
                ClaimTruth.score(&s, &guess).unwrap().answer.as_deref(),
                Some("TRUE")
            );
        }
    }
}
