use serde_json::{json, Value};

use super::boxed::{clean, extract_boxed};

/// `exact_match`: 1 when the cleaned boxed answer equals the cleaned reference. Listing several
/// names, or adding words, does not match: the answer must be the answer.
pub fn score(output: &str, answer: &str) -> (&'static str, f64, Value) {
    let extracted = extract_boxed(output);
    let correct = extracted.is_some_and(|got| clean(got) == clean(answer));
    (
        "exact_match",
        if correct { 1.0 } else { 0.0 },
        json!({"extracted": extracted.is_some(), "answer": extracted, "correct": correct}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_match_is_strict() {
        assert_eq!(score("It is \\boxed{Ann Vane}.", "Ann Vane").1, 1.0);
        assert_eq!(score("\\boxed{ann vane}", "Ann Vane").1, 1.0);
        assert_eq!(
            score("Ann Vane", "Ann Vane").1,
            0.0,
            "no box, no extraction"
        );
        assert_eq!(
            score("\\boxed{Ann Vane, Bo Quill}", "Ann Vane").1,
            0.0,
            "listing names is not answering"
        );
        assert_eq!(score("\\boxed{3}", "3").1, 1.0);
        assert_eq!(score("\\boxed{3 generations}", "3").1, 0.0);
        let (_, _, d) = score("none", "x");
        assert_eq!(d["extracted"], false);
    }
}
