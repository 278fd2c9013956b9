//! `route`: LongProc path traversal, the route from A to B, one step per line in a `<Route>`
//! block ("From X, take a train to Y.").
//!
//! The route is unique (every city has one way out), so the answer is right only when its
//! steps are the reference's, in order, with nothing missing or added (`accuracy`). Partial
//! credit is line credit over the steps (`procedure.rs`): `prefix_credit`, the steps right
//! before the first wrong one, and `resync_credit`, the steps aligned with the reference. Unlike
//! the original checker, the first wrong step is never credited and a right route followed by
//! extra steps is not complete.

use longforge_datasets::Sample;
use serde_json::json;

use super::procedure::{self, last_block, lines, LineCredit};
use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

const OPEN: &str = "<Route>";
const CLOSE: &str = "</Route>";

/// Reads references of kind `route`: the reference output as a string, a `<Route>` block of
/// one step per line.
///
/// Values, each in [0, 1]:
/// - `accuracy` (headline): 1 when the last `<Route>` block's steps equal the reference's.
/// - `prefix_credit`, `resync_credit`: line credit over the steps (see `procedure.rs`).
/// - `extraction_rate`: 1 when the output has a `<Route>` block (an unclosed one, cut off by a
///   length limit, is read to the end).
///
/// Steps compare after trimming and collapsing white space; case and punctuation count, since
/// the prompt gives the exact form.
pub struct Route;

impl Scorer for Route {
    fn name(&self) -> &'static str {
        "route"
    }

    fn summary(&self) -> &'static str {
        "LongProc path traversal: the <Route> block's steps equal the reference's (accuracy), with prefix and resynchronising line credit"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["route"]
    }

    fn values(&self) -> &'static [&'static str] {
        procedure::VALUES
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let gold = steps(self, sample)?;
        let Some(block) = last_block(output, OPEN, CLOSE) else {
            return Ok(Scored {
                values: procedure::nothing_extracted(),
                answer: None,
                details: json!({"extracted": false, "reference_lines": gold.len()}),
            });
        };
        let answer = lines(block);
        let credit = LineCredit::of(&gold, &answer);
        let exact = credit.exact();
        let first_wrong = credit.first_wrong().map(|n| {
            json!({
                "line": n,
                "expected": gold.get(n - 1),
                "got": answer.get(n - 1),
            })
        });
        Ok(Scored {
            values: procedure::values(exact, &credit, true),
            answer: Some(answer.join("\n")),
            details: json!({
                "extracted": true,
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

    /// Each pick is one step line (`meta.baseline.candidates`), written in a `<Route>` block.
    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        format!("{OPEN}\n{}\n{CLOSE}", picks.join("\n"))
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }
}

/// The reference's steps; a reference without a `<Route>` block is an error naming the sample.
fn steps(scorer: &Route, sample: &Sample) -> Result<Vec<String>, JudgeError> {
    let text: String = reference_value(scorer, sample)?;
    let block = last_block(&text, OPEN, CLOSE).ok_or_else(|| JudgeError::Reference {
        sample_id: sample.id.clone(),
        scorer: scorer.name(),
        message: "the reference has no <Route> block".into(),
    })?;
    Ok(lines(block))
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Reference;
    use serde_json::Value;

    const GOLD: &str = "<Route>\nFrom Port Essing, take a train to Valmora.\nFrom Valmora, take a ferry to Lake Dunmere.\nFrom Lake Dunmere, take a night train to Orvik.\n</Route>";

    fn sample(reference: &str) -> Sample {
        serde_json::from_value(json!({
            "id": "lp/0", "family": "longproc", "task": "path-traversal", "lang": "en",
            "question": "q", "prompt": "p",
            "reference": Reference { kind: "route".into(), value: Value::String(reference.into()) },
            "meta": {}
        }))
        .unwrap()
    }

    fn values(output: &str) -> Vec<f64> {
        Route
            .score(&sample(GOLD), output)
            .unwrap()
            .values
            .iter()
            .map(|v| v.1)
            .collect()
    }

    fn route(steps: &[&str]) -> String {
        format!(
            "Here is the route.\n<Route>\n{}\n</Route>",
            steps.join("\n")
        )
    }

    const S1: &str = "From Port Essing, take a train to Valmora.";
    const S2: &str = "From Valmora, take a ferry to Lake Dunmere.";
    const S3: &str = "From Lake Dunmere, take a night train to Orvik.";

    #[test]
    fn the_exact_route_scores_one_everywhere_and_indentation_is_fine() {
        assert_eq!(values(GOLD), [1.0, 1.0, 1.0, 1.0]);
        assert_eq!(
            values(&format!("<Route>\n  {S1}\n\t{S2}\n    {S3}\n</Route>")),
            [1.0, 1.0, 1.0, 1.0]
        );
        let perfect = Route.perfect_answer(&sample(GOLD)).unwrap();
        assert_eq!(values(&perfect), [1.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn the_originals_defects_are_scored_right() {
        // Wrong first line: no prefix credit at all.
        let v = values(&route(&[
            "From Port Essing, take a bus to Valmora.",
            S2,
            S3,
        ]));
        assert_eq!(v[..3], [0.0, 0.0, 2.0 / 3.0]);
        // A right route with an extra step: not accurate, and not full partial credit.
        let v = values(&route(&[S1, S2, S3, "From Orvik, take a boat to Ravenby."]));
        assert_eq!(v[..3], [0.0, 0.75, 0.75]);
        // A slip in the middle: the prefix stops there, the alignment resumes after it.
        let v = values(&route(&[S1, "From Valmora, take a ferry to Orvik.", S3]));
        assert_eq!(v[..3], [0.0, 1.0 / 3.0, 2.0 / 3.0]);
        // A short route.
        let v = values(&route(&[S1]));
        assert_eq!(v[..3], [0.0, 1.0 / 3.0, 1.0 / 3.0]);
        assert!(v.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn no_block_is_not_extracted_and_a_cut_off_block_is_read() {
        assert_eq!(values(&format!("{S1}\n{S2}\n{S3}")), [0.0, 0.0, 0.0, 0.0]);
        assert_eq!(values(""), [0.0, 0.0, 0.0, 0.0]);
        assert_eq!(
            values(&format!("<Route>\n{S1}\n{S2}")),
            [0.0, 2.0 / 3.0, 2.0 / 3.0, 1.0]
        );
        // A draft then the final block: the last block is the answer.
        let both = format!("<Route>\n{S1}\n</Route>\nLet me redo it.\n{GOLD}");
        assert_eq!(values(&both)[0], 1.0);
    }

    #[test]
    fn picks_render_as_a_block_and_other_kinds_are_refused() {
        let random = Route.render_answer(&sample(GOLD), &[S2.into(), S1.into()]);
        let scored = Route.score(&sample(GOLD), &random).unwrap();
        assert!(scored.answer.is_some());
        assert_eq!(scored.values[0].1, 0.0);
        let mut wrong = sample(GOLD);
        wrong.reference = Reference::exact("x");
        let err = Route.score(&wrong, GOLD).unwrap_err().to_string();
        assert!(err.contains("lp/0") && err.contains("`exact`"), "{err}");
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
            fn generated_references_score_one_and_fit_their_level(seed in 0u64..1_000_000, dial in prop::sample::select(vec![0.0f64, 1.0, 3.0])) {
                let longproc = family("longproc").unwrap();
                let params = json!({"task": "path-traversal", "levels": ["0.5k", "2k", "8k"], "distractors": [dial], "seed": seed});
                let resolved = longproc.resolve(params, &Inputs::default()).unwrap();
                let samples = longproc.generate(&resolved, &Inputs::default(), &mut |_, _| {}).unwrap().samples;
                prop_assert_eq!(samples.len(), 3);
                let counter = TokenCounter::load(&TokenizerSpec::parse("cl100k_base")).unwrap();
                for s in &samples {
                    let perfect = Route.perfect_answer(s).unwrap();
                    let scored = Route.score(s, &perfect).unwrap();
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
