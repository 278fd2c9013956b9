//! `boxed_exact`: one exact answer inside `\boxed{}`, as NeedleBench's kinship questions ask.

use longforge_datasets::Sample;
use serde_json::json;

use super::boxed::{boxed, clean, extract_boxed};
use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

/// `exact_match`: 1 when the cleaned boxed answer equals the cleaned reference. Listing several
/// names, or adding words, does not match: the answer must be the answer.
pub struct BoxedExact;

impl Scorer for BoxedExact {
    fn name(&self) -> &'static str {
        "boxed_exact"
    }

    fn summary(&self) -> &'static str {
        "the last \\boxed{} equals the reference after cleaning (exact_match)"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["exact"]
    }

    fn values(&self) -> &'static [&'static str] {
        &["exact_match", "extraction_rate"]
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let answer: String = reference_value(self, sample)?;
        let extracted = extract_boxed(output);
        let correct = extracted.is_some_and(|got| clean(got) == clean(&answer));
        Ok(Scored {
            values: vec![
                ("exact_match", if correct { 1.0 } else { 0.0 }),
                ("extraction_rate", extracted.map_or(0.0, |_| 1.0)),
            ],
            answer: extracted.map(str::to_string),
            details: json!({"extracted": extracted.is_some(), "answer": extracted, "correct": correct}),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        Ok(boxed(&reference_value::<String>(self, sample)?))
    }

    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        boxed(&picks.join("; "))
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Reference;

    fn sample(answer: &str) -> Sample {
        serde_json::from_value(json!({
            "id": "t/0", "family": "t", "task": "t", "lang": "en", "question": "q", "prompt": "p",
            "reference": Reference::exact(answer), "meta": {}
        }))
        .unwrap()
    }

    fn exact(output: &str, answer: &str) -> f64 {
        BoxedExact
            .score(&sample(answer), output)
            .unwrap()
            .headline()
    }

    #[test]
    fn exact_match_is_strict() {
        assert_eq!(exact("It is \\boxed{Ann Vane}.", "Ann Vane"), 1.0);
        assert_eq!(exact("\\boxed{ann vane}", "Ann Vane"), 1.0);
        assert_eq!(exact("Ann Vane", "Ann Vane"), 0.0, "no box, no extraction");
        assert_eq!(
            exact("\\boxed{Ann Vane, Bo Quill}", "Ann Vane"),
            0.0,
            "listing names is not answering"
        );
        assert_eq!(exact("\\boxed{3}", "3"), 1.0);
        // A model that writes each word in LaTeX text (shared/cases/field-1/boxed-latex.jsonl).
        let latex = "The eldest ancestor is \\boxed{\\text{Julian} \\text{Kingsley}}.";
        assert_eq!(exact(latex, "Julian Kingsley"), 1.0);
        assert_eq!(exact("\\boxed{$\\mathbf{3}$}", "3"), 1.0);
        assert_eq!(exact("\\boxed{3 generations}", "3"), 0.0);
        let none = BoxedExact.score(&sample("x"), "none").unwrap();
        assert_eq!(
            none.values,
            vec![("exact_match", 0.0), ("extraction_rate", 0.0)]
        );
        assert_eq!(none.answer, None);
    }

    #[test]
    fn the_perfect_answer_scores_one_and_other_kinds_are_refused() {
        let s = sample("Ann Vane");
        let perfect = BoxedExact.perfect_answer(&s).unwrap();
        assert_eq!(BoxedExact.score(&s, &perfect).unwrap().headline(), 1.0);
        let mut wrong = s.clone();
        wrong.reference = Reference::needles(vec!["a".into()]);
        let err = BoxedExact
            .score(&wrong, "\\boxed{a}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("t/0") && err.contains("`needles`"), "{err}");
    }
}
