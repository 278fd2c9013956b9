//! `countdown`: LongProc Countdown, a depth-first search trace in a `# Search Procedure`
//! section, then the operations reaching the target in a `<Solution>` block.
//!
//! `accuracy` is whether the solution is right, whichever it is: ANY sequence of operations that
//! uses each given number exactly once and ends on the target counts, not only the one the
//! search finds first. Each solution line is `EXPRESSION = NUMBER`, read by the small parser of
//! `arithmetic.rs` (never run as code); its numbers must be available (given and not used yet,
//! or results of earlier lines), its value must be the number after `=`, and that number
//! becomes available. The solution is right when exactly one number is left, the target. A
//! line that does not parse makes the solution wrong, never the scorer fail.
//!
//! Partial credit is line credit on the trace (`procedure.rs`): the lines between the
//! `Search Procedure` heading and `<Solution>`, against the reference trace, the search the
//! prompt states. A complete trace scores exactly 1 (the original gave (n-1)/n) and never less
//! than 0 (the original could go negative).

use longforge_datasets::Sample;
use serde_json::{json, Value};

use super::arithmetic::evaluate;
use super::procedure::{self, last_block, lines, normalise_line, LineCredit};
use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

const OPEN: &str = "<Solution>";
const CLOSE: &str = "</Solution>";

/// Reads references of kind `countdown`: the reference output as a string, with `meta.numbers`
/// (the given whole numbers) and `meta.target` (a whole number).
///
/// Values, each in [0, 1]:
/// - `accuracy` (headline): 1 when the last `<Solution>` block is a valid solution.
/// - `prefix_credit`, `resync_credit`: line credit on the search trace (see `procedure.rs`).
/// - `extraction_rate`: 1 when the output has a `<Solution>` block.
pub struct Countdown;

impl Scorer for Countdown {
    fn name(&self) -> &'static str {
        "countdown"
    }

    fn summary(&self) -> &'static str {
        "LongProc Countdown: any valid <Solution> reaching the target (accuracy), with line credit on the search trace"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["countdown"]
    }

    fn values(&self) -> &'static [&'static str] {
        procedure::VALUES
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let puzzle = Puzzle::read(self, sample)?;
        let credit = LineCredit::of(&trace(&puzzle.reference), &trace(output));
        let block = last_block(output, OPEN, CLOSE);
        let verdict = block.map(|b| check(b, &puzzle.numbers, puzzle.target));
        let right = matches!(verdict, Some(Ok(())));
        Ok(Scored {
            values: procedure::values(right, &credit, block.is_some()),
            answer: block.map(|b| lines(b).join("\n")),
            details: json!({
                "extracted": block.is_some(),
                "solution_error": verdict.and_then(Result::err),
                "reference_lines": credit.reference_lines,
                "output_lines": credit.output_lines,
                "matched_prefix": credit.matched_prefix,
                "aligned": credit.aligned,
            }),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        Ok(Puzzle::read(self, sample)?.reference)
    }

    /// Each pick is one operation (`meta.baseline.candidates`), written as a `<Solution>`.
    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        format!("{OPEN}\n{}\n{CLOSE}", picks.join("\n"))
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }
}

struct Puzzle {
    reference: String,
    numbers: Vec<i64>,
    target: i64,
}

impl Puzzle {
    fn read(scorer: &Countdown, sample: &Sample) -> Result<Puzzle, JudgeError> {
        let reference: String = reference_value(scorer, sample)?;
        let bad = |message: &str| JudgeError::Reference {
            sample_id: sample.id.clone(),
            scorer: scorer.name(),
            message: message.to_string(),
        };
        let numbers = match sample.meta.get("numbers") {
            Some(Value::Array(items)) => items
                .iter()
                .map(Value::as_i64)
                .collect::<Option<Vec<i64>>>()
                .ok_or_else(|| bad("`meta.numbers` holds a value that is not a whole number"))?,
            _ => return Err(bad("has no `meta.numbers` (the given numbers, an array)")),
        };
        let target = sample
            .meta
            .get("target")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad("has no whole-number `meta.target`"))?;
        Ok(Puzzle {
            reference,
            numbers,
            target,
        })
    }
}

/// The search trace of an answer: its lines before the last `<Solution>`, from after the last
/// `Search Procedure` heading (however marked: `#`, `**`, a colon) when there is one.
fn trace(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let before = &text[..lower
        .rfind(&OPEN.to_ascii_lowercase())
        .unwrap_or(text.len())];
    let all: Vec<&str> = before.lines().collect();
    let start = all.iter().rposition(|l| is_heading(l)).map_or(0, |i| i + 1);
    all[start..]
        .iter()
        .map(|l| normalise_line(l))
        .filter(|l| !l.is_empty())
        .collect()
}

fn is_heading(line: &str) -> bool {
    line.trim()
        .trim_matches(|c: char| c == '#' || c == '*' || c == ':' || c.is_whitespace())
        .eq_ignore_ascii_case("search procedure")
}

/// Checks a solution block: `Ok` when its lines take the given numbers to the target, else why
/// not.
fn check(block: &str, numbers: &[i64], target: i64) -> Result<(), String> {
    let mut available = numbers.to_vec();
    let steps = lines(block);
    if steps.is_empty() {
        return Err("the solution is empty".into());
    }
    for (i, step) in steps.iter().enumerate() {
        let at = |message: String| format!("line {}: `{step}`: {message}", i + 1);
        let text = strip_marker(step);
        let Some((left, right)) = text.split_once('=') else {
            return Err(at("no `=`".into()));
        };
        let lhs = evaluate(left).map_err(|e| at(e.to_string()))?;
        let rhs = evaluate(right).map_err(|e| at(e.to_string()))?;
        if rhs.operands.len() != 1 {
            return Err(at("after `=` must come one number".into()));
        }
        if lhs.value != rhs.value {
            return Err(at(format!("the left side is {}", lhs.value)));
        }
        for n in &lhs.operands {
            match available.iter().position(|a| a == n) {
                Some(k) => {
                    available.swap_remove(k);
                }
                None => return Err(at(format!("{n} is not available"))),
            }
        }
        available.push(rhs.value);
    }
    match available.as_slice() {
        [last] if *last == target => Ok(()),
        [last] => Err(format!("ends on {last}, not the target {target}")),
        rest => Err(format!(
            "leaves {} numbers unused or uncombined",
            rest.len()
        )),
    }
}

/// A solution line without a list marker ("- ", "* ", "1. ", "2) ", "Step 3:") or a final
/// period, which models add around the operation.
fn strip_marker(line: &str) -> &str {
    let mut text = line.trim();
    if let Some(rest) = text.strip_prefix("- ").or_else(|| text.strip_prefix("* ")) {
        text = rest.trim_start();
    }
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("step") {
        if let Some(colon) = text.find(':') {
            text = text[colon + 1..].trim_start();
        }
    } else {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(text.as_bytes().get(digits), Some(b'.' | b')')) {
            let rest = &text[digits + 1..];
            // "12. " is a marker; "12.5" is not (and fails to parse later, as it should).
            if rest.starts_with(' ') {
                text = rest.trim_start();
            }
        }
    }
    text.strip_suffix('.').unwrap_or(text).trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Reference;

    const REFERENCE: &str = "\
# Search Procedure
Numbers [9, 4, 2], target 18.
  Pick 9 and 4, leaving [2].
    9 + 4 = 13, now [13, 2].
      Pick 13 and 2, leaving [].
        13 + 2 = 15, not the target.
        13 - 2 = 11, not the target.
        13 * 2 = 26, not the target.
        13 / 2 is not a whole number, cut.
    9 - 4 = 5, now [5, 2].
      Pick 5 and 2, leaving [].
        5 + 2 = 7, not the target.
        5 - 2 = 3, not the target.
        5 * 2 = 10, not the target.
        5 / 2 is not a whole number, cut.
    9 * 4 = 36, now [36, 2].
      Pick 36 and 2, leaving [].
        36 + 2 = 38, not the target.
        36 - 2 = 34, not the target.
        36 * 2 = 72, not the target.
        36 / 2 = 18, target reached.
<Solution>
9 * 4 = 36
36 / 2 = 18
</Solution>";

    fn sample() -> Sample {
        serde_json::from_value(json!({
            "id": "cd/0", "family": "longproc", "task": "countdown", "lang": "en",
            "question": "q", "prompt": "p",
            "reference": Reference { kind: "countdown".into(), value: Value::String(REFERENCE.into()) },
            "meta": {"numbers": [9, 4, 2], "target": 18}
        }))
        .unwrap()
    }

    fn values(output: &str) -> Vec<f64> {
        Countdown
            .score(&sample(), output)
            .unwrap()
            .values
            .iter()
            .map(|v| v.1)
            .collect()
    }

    fn with_solution(solution: &str) -> String {
        let trace = REFERENCE.split("<Solution>").next().unwrap();
        format!("{trace}<Solution>\n{solution}\n</Solution>")
    }

    #[test]
    fn the_complete_reference_scores_exactly_one() {
        assert_eq!(values(REFERENCE), [1.0, 1.0, 1.0, 1.0]);
        let perfect = Countdown.perfect_answer(&sample()).unwrap();
        assert_eq!(values(&perfect), [1.0, 1.0, 1.0, 1.0]);
        // Without indentation, with a bold heading and a preamble: the same trace.
        let flat: String = REFERENCE
            .lines()
            .map(|l| {
                l.trim()
                    .replace("# Search Procedure", "**Search Procedure:**")
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            values(&format!("Let me search.\n\n{flat}")),
            [1.0, 1.0, 1.0, 1.0]
        );
    }

    #[test]
    fn any_valid_solution_counts() {
        // 9 * 2 = 18 reaches the target but leaves 4 unused.
        assert_eq!(values(&with_solution("9 * 2 = 18"))[0], 0.0);
        // 4 / 2 = 2, 9 * 2 = 18: every number used once.
        assert_eq!(values(&with_solution("4 / 2 = 2\n9 * 2 = 18"))[0], 1.0);
        // One expression, in other signs, with list markers.
        assert_eq!(values(&with_solution("1. 9 × (4 ÷ 2) = 18."))[0], 1.0);
        assert_eq!(
            values(&with_solution("- 9 * 4 = 36\n- 36 / 2 = 18"))[0],
            1.0
        );
        assert_eq!(
            values(&with_solution("Step 1: 9 * 4 = 36\nStep 2: 36 / 2 = 18"))[0],
            1.0
        );
    }

    #[test]
    fn wrong_or_unparseable_solutions_score_zero_and_never_fail() {
        for bad in [
            "9 * 4 = 35\n35 / 2 = 18",              // false arithmetic
            "9 * 4 = 36\n36 / 3 = 12",              // a number not given
            "9 * 4 = 36\n36 / 2 = 18\n18 = 18 + 0", // 0 is not available
            "9 * 9 = 81",                           // 9 used twice
            "9 * 4 = 36",                           // 2 unused
            "9 * 4 * 2 / 4 = 18",                   // 4 used twice
            "9 * (4 + = 18",                        // syntax error
            "import os; os.system('rm -rf /')",     // code, not arithmetic
            "nine times four",
            "9 / 4 = 2\n2 * 2 = 4", // not whole
            "",
        ] {
            let v = values(&with_solution(bad));
            assert_eq!(v[0], 0.0, "{bad}");
            assert_eq!(v[3], 1.0, "{bad}: a block is an extracted answer");
            assert_eq!(v[1], 1.0, "{bad}: the trace is still complete");
        }
    }

    #[test]
    fn trace_credit_is_never_negative_and_the_first_wrong_line_is_not_credited() {
        let wrong_first = REFERENCE.replacen(
            "Numbers [9, 4, 2], target 18.",
            "Numbers [9, 4], target 18.",
            1,
        );
        let v = values(&wrong_first);
        assert_eq!(v[0], 1.0, "the solution is still right");
        assert_eq!(v[1], 0.0);
        assert_eq!(v[2], 19.0 / 20.0);
        // A trace with a thousand extra lines: small credit, not negative.
        let padded = with_solution("9 * 4 = 36\n36 / 2 = 18").replacen(
            "<Solution>",
            &format!("{}<Solution>", "  nothing to see.\n".repeat(1000)),
            1,
        );
        let v = values(&padded);
        assert!(v[1] > 0.0 && v[1] < 0.03 && v[2] == v[1], "{v:?}");
        // No trace at all, only the solution.
        assert_eq!(
            values("<Solution>\n9 * 4 = 36\n36 / 2 = 18\n</Solution>"),
            [1.0, 0.0, 0.0, 1.0]
        );
        // Nothing.
        assert_eq!(values(""), [0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn a_sample_without_numbers_is_an_error_naming_it() {
        let mut s = sample();
        s.meta.remove("numbers");
        let err = Countdown.score(&s, REFERENCE).unwrap_err().to_string();
        assert!(
            err.contains("cd/0") && err.contains("meta.numbers"),
            "{err}"
        );
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
            fn generated_references_score_one_and_fit_their_level(seed in 0u64..1_000_000, dial in prop::sample::select(vec![4u64, 5])) {
                let longproc = family("longproc").unwrap();
                let params = json!({"task": "countdown", "levels": ["0.5k", "2k", "8k"], "numbers": [dial], "seed": seed});
                let resolved = longproc.resolve(params, &Inputs::default()).unwrap();
                let samples = longproc.generate(&resolved, &Inputs::default(), &mut |_, _| {}).unwrap().samples;
                prop_assert_eq!(samples.len(), 3);
                let counter = TokenCounter::load(&TokenizerSpec::parse("cl100k_base")).unwrap();
                for s in &samples {
                    let perfect = Countdown.perfect_answer(s).unwrap();
                    let scored = Countdown.score(s, &perfect).unwrap();
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
