//! `tom`: LongProc theory-of-mind tracking, one agent's belief about one object after every
//! step of a story, one `- Step N: LOCATION (REASON)` line each, then `Final Answer: LOCATION`.
//!
//! The step lines are the bulleted lines (`- `, `* ` or `• ` before `Step N:`) anywhere in the
//! output, INDENTED OR NOT (the original dropped indented lines, so a right answer written
//! indented scored 0); story lines echoed without a bullet are not answer lines. Lines compare
//! after trimming, collapsing white space, lower-casing, and dropping bold markers (`**`) and a
//! final period: the prompt fixes the words, not their case. The final answer is the text after
//! the last `Final Answer:`, compared the same way, a leading "the" optional.
//!
//! `accuracy` is 1 when every step line equals the reference's, in order, none missing or
//! added, and the final answer equals the reference's (LongProc's "all steps equal"). Partial
//! credit is line credit over the step lines (`procedure.rs`).

use longforge_datasets::Sample;
use serde_json::json;

use super::procedure::{self, LineCredit};
use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

const FINAL: &str = "final answer:";

/// Reads references of kind `tom`: the reference output as a string, step lines then a
/// `Final Answer:` line.
///
/// Values, each in [0, 1]:
/// - `accuracy` (headline): 1 when the step lines and the final answer equal the reference's.
/// - `prefix_credit`, `resync_credit`: line credit over the step lines (see `procedure.rs`).
/// - `extraction_rate`: 1 when the output has a `Final Answer:` line.
///
/// Details say whether the final answer alone is right (`final_correct`) and where the steps
/// first go wrong.
pub struct Tom;

impl Scorer for Tom {
    fn name(&self) -> &'static str {
        "tom"
    }

    fn summary(&self) -> &'static str {
        "LongProc theory-of-mind tracking: every `- Step N:` belief line and the final answer equal the reference's (accuracy), with line credit over the steps"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["tom"]
    }

    fn values(&self) -> &'static [&'static str] {
        procedure::VALUES
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let gold = Answer::read_reference(self, sample)?;
        let answer = Answer::of(output);
        let credit = LineCredit::of(&gold.steps, &answer.steps);
        let final_correct = answer.last.as_ref() == gold.last.as_ref();
        let right = credit.exact() && final_correct;
        let first_wrong = credit.first_wrong().map(|n| {
            json!({
                "line": n,
                "expected": gold.steps.get(n - 1),
                "got": answer.steps.get(n - 1),
            })
        });
        Ok(Scored {
            values: procedure::values(right, &credit, answer.last.is_some()),
            answer: answer.last.clone(),
            details: json!({
                "extracted": answer.last.is_some(),
                "final_correct": final_correct,
                "expected_final": gold.last,
                "reference_lines": credit.reference_lines,
                "output_lines": credit.output_lines,
                "matched_prefix": credit.matched_prefix,
                "aligned": credit.aligned,
                "first_wrong": first_wrong,
            }),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }

    /// The first pick (a container, `meta.baseline.candidates`) held as the belief at every
    /// step of the reference, each with the reason "no change", and as the final answer.
    fn render_answer(&self, sample: &Sample, picks: &[String]) -> String {
        let reference: String = reference_value(self, sample).unwrap_or_default();
        let steps = Answer::of(&reference).steps.len().max(1);
        let location = picks.first().map_or("", String::as_str);
        let mut out: Vec<String> = (0..steps)
            .map(|n| format!("- Step {n}: {location} (no change)"))
            .collect();
        out.push(format!("Final Answer: {location}"));
        out.join("\n")
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }
}

/// Step lines and the final answer, normalised.
struct Answer {
    steps: Vec<String>,
    last: Option<String>,
}

impl Answer {
    fn of(text: &str) -> Answer {
        let mut steps = Vec::new();
        let mut last = None;
        for line in text.lines() {
            let flat = normalise(line);
            if let Some(step) = step_line(&flat) {
                steps.push(step.to_string());
            }
            if let Some(at) = flat.rfind(FINAL) {
                let value = flat[at + FINAL.len()..].trim();
                let value = value.strip_prefix("the ").unwrap_or(value);
                last = Some(value.to_string());
            }
        }
        Answer { steps, last }
    }

    /// A reference without step lines or a final answer is an error naming the sample.
    fn read_reference(scorer: &Tom, sample: &Sample) -> Result<Answer, JudgeError> {
        let text: String = reference_value(scorer, sample)?;
        let answer = Answer::of(&text);
        if answer.steps.is_empty() || answer.last.is_none() {
            return Err(JudgeError::Reference {
                sample_id: sample.id.clone(),
                scorer: scorer.name(),
                message: "the reference has no `- Step N:` lines or no `Final Answer:` line".into(),
            });
        }
        Ok(answer)
    }
}

/// A line as compared: trimmed, white space collapsed, lower-case, without `**` or a final
/// period.
fn normalise(line: &str) -> String {
    let flat = line
        .replace("**", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    flat.strip_suffix('.')
        .unwrap_or(&flat)
        .trim_end()
        .to_string()
}

/// The `step N: ...` part of a bulleted step line.
fn step_line(flat: &str) -> Option<&str> {
    let rest = ["- ", "* ", "• "]
        .iter()
        .find_map(|b| flat.strip_prefix(b))?
        .trim_start();
    let after = rest.strip_prefix("step ")?;
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && after[digits..].starts_with(':')).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Reference;
    use serde_json::Value;

    const GOLD: &str = "- Step 0: the red box (start)\n- Step 1: the red box (no change)\n- Step 2: the red box (did not see it)\n- Step 3: the blue crate (was told)\nFinal Answer: the blue crate";

    fn sample(reference: &str) -> Sample {
        serde_json::from_value(json!({
            "id": "tom/0", "family": "longproc", "task": "tom-tracking", "lang": "en",
            "question": "q", "prompt": "p",
            "reference": Reference { kind: "tom".into(), value: Value::String(reference.into()) },
            "meta": {}
        }))
        .unwrap()
    }

    fn values(output: &str) -> Vec<f64> {
        Tom.score(&sample(GOLD), output)
            .unwrap()
            .values
            .iter()
            .map(|v| v.1)
            .collect()
    }

    #[test]
    fn the_reference_scores_one_indented_or_not() {
        assert_eq!(values(GOLD), [1.0; 4]);
        let perfect = Tom.perfect_answer(&sample(GOLD)).unwrap();
        assert_eq!(values(&perfect), [1.0; 4]);
        // Indented lines, a preamble, bold, case and final periods: the same answer.
        let indented: String = GOLD
            .lines()
            .map(|l| format!("    {}.", l.replace("Step", "**STEP").replace(':', ":**")))
            .collect::<Vec<_>>()
            .join("\n");
        let out = format!("Let me track the belief.\n\n{indented}");
        assert_eq!(values(&out), [1.0; 4], "{out}");
        // "Final Answer: blue crate" without the article.
        let bare = GOLD.replace("Final Answer: the blue crate", "Final Answer: Blue crate");
        assert_eq!(values(&bare), [1.0; 4]);
    }

    #[test]
    fn echoed_story_lines_are_not_answer_lines() {
        let out = format!("Step 1: Alice goes from the kitchen to the garden.\n{GOLD}");
        assert_eq!(values(&out), [1.0; 4]);
    }

    #[test]
    fn a_wrong_step_or_final_answer_is_wrong_with_partial_credit() {
        let slip = GOLD.replace(
            "- Step 1: the red box (no change)",
            "- Step 1: the red box (saw it)",
        );
        assert_eq!(values(&slip), [0.0, 0.25, 0.75, 1.0]);
        let wrong_final = GOLD.replace("Final Answer: the blue crate", "Final Answer: the red box");
        assert_eq!(values(&wrong_final), [0.0, 1.0, 1.0, 1.0]);
        let scored = Tom.score(&sample(GOLD), &wrong_final).unwrap();
        assert_eq!(scored.details["final_correct"], false);
        // A step line missing: not accurate, the right final answer notwithstanding.
        let missing = GOLD.replace("- Step 2: the red box (did not see it)\n", "");
        assert_eq!(values(&missing), [0.0, 0.5, 0.75, 1.0]);
        // Extra lines cost credit.
        let extra = GOLD.replace("Final", "- Step 4: the blue crate (no change)\nFinal");
        assert_eq!(values(&extra), [0.0, 0.8, 0.8, 1.0]);
    }

    #[test]
    fn no_final_answer_is_not_extracted_and_nothing_fails() {
        let cut = GOLD.replace("Final Answer: the blue crate", "");
        assert_eq!(values(&cut), [0.0, 1.0, 1.0, 0.0]);
        assert_eq!(values(""), [0.0, 0.0, 0.0, 0.0]);
        assert_eq!(values("- Step x: ???\n- \n* Step 9"), [0.0, 0.0, 0.0, 0.0]);
        let err = Tom
            .score(&sample("no steps"), GOLD)
            .unwrap_err()
            .to_string();
        assert!(err.contains("tom/0"), "{err}");
    }

    #[test]
    fn random_holds_one_location_throughout() {
        let out = Tom.render_answer(&sample(GOLD), &["the red box".into()]);
        assert_eq!(out.lines().count(), 5);
        let v = values(&out);
        assert_eq!(v[0], 0.0);
        assert_eq!(v[1], 0.0, "step 0's reason is start");
        assert_eq!(v[3], 1.0);
    }

    mod generated {
        use super::*;
        use longforge_datasets::{TokenCounter, TokenizerSpec};
        use longforge_generators::{family, Inputs};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

            /// Every generated reference scores 1.0 under this checker, and is within 25% of
            /// its level in tokens.
            #[test]
            fn generated_references_score_one_and_fit_their_level(seed in 0u64..1_000_000, dial in prop::sample::select(vec![2u64, 3, 6])) {
                let longproc = family("longproc").unwrap();
                let params = json!({"task": "tom-tracking", "levels": ["0.5k", "2k", "8k"], "agents": [dial], "seed": seed});
                let resolved = longproc.resolve(params, &Inputs::default()).unwrap();
                let samples = longproc.generate(&resolved, &Inputs::default(), &mut |_, _| {}).unwrap().samples;
                prop_assert_eq!(samples.len(), 3);
                let counter = TokenCounter::load(&TokenizerSpec::parse("cl100k_base")).unwrap();
                for s in &samples {
                    let perfect = Tom.perfect_answer(s).unwrap();
                    let scored = Tom.score(s, &perfect).unwrap();
                    prop_assert!(scored.values.iter().all(|v| v.1 == 1.0), "{}: {:?}", s.id, scored.values);
                    let level = s.meta["target_tokens"].as_f64().unwrap();
                    let got = counter.count(&perfect).unwrap() as f64;
                    prop_assert_eq!(s.meta["output_tokens"].as_f64(), Some(got));
                    prop_assert!((got - level).abs() <= 0.25 * level, "{}: {} tokens", s.id, got);
                }
            }
        }
    }
}
