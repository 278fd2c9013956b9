//! `needle_recall`: NeedleBench's retrieval score, the share of needle values found.

use longforge_datasets::Sample;
use serde_json::{json, Value};

use super::boxed::{boxed, clean, extract_boxed};
use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

/// The share of expected values named in the boxed answer, each matched as whole words after
/// cleaning. Distractor values named (`meta.distractors[].value`) are reported in
/// `details.distractors_named`, so hedging by listing every candidate is visible.
pub struct NeedleRecall;

impl Scorer for NeedleRecall {
    fn name(&self) -> &'static str {
        "needle_recall"
    }

    fn summary(&self) -> &'static str {
        "share of the needle values named inside the last \\boxed{} (needle_recall)"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["needles"]
    }

    fn values(&self) -> &'static [&'static str] {
        &["needle_recall", "extraction_rate"]
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let values: Vec<String> = reference_value(self, sample)?;
        let extracted = extract_boxed(output);
        let answer = extracted.map(clean).unwrap_or_default();
        let named = |v: &str| extracted.is_some() && contains_words(&answer, &clean(v));
        let found: Vec<bool> = values.iter().map(|v| named(v)).collect();
        let distractors_named = sample
            .meta
            .get("distractors")
            .and_then(Value::as_array)
            .map(|ds| {
                ds.iter()
                    .filter_map(|d| d.get("value").and_then(Value::as_str))
                    .filter(|v| named(v))
                    .count()
            })
            .unwrap_or(0);
        let hits = found.iter().filter(|&&f| f).count();
        let recall = if values.is_empty() {
            0.0
        } else {
            hits as f64 / values.len() as f64
        };
        Ok(Scored {
            values: vec![
                ("needle_recall", recall),
                ("extraction_rate", extracted.map_or(0.0, |_| 1.0)),
            ],
            answer: extracted.map(str::to_string),
            details: json!({"extracted": extracted.is_some(), "answer": extracted, "found": found, "distractors_named": distractors_named}),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        let values: Vec<String> = reference_value(self, sample)?;
        Ok(boxed(&values.join("; ")))
    }

    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        boxed(&picks.join("; "))
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        Ok(reference_value::<Vec<String>>(self, sample)?.join("; "))
    }
}

/// `needle` occurs in `haystack` not as part of a longer word (CJK text has no word breaks, so
/// there any occurrence counts).
fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        !latin(before) && !latin(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Reference;

    fn sample(values: &[&str], meta: Value) -> Sample {
        serde_json::from_value(json!({
            "id": "t/0", "family": "t", "task": "t", "lang": "en", "question": "q", "prompt": "p",
            "reference": Reference::needles(values.iter().map(|v| v.to_string()).collect()),
            "meta": meta
        }))
        .unwrap()
    }

    #[test]
    fn recall_counts_each_needle_once() {
        let s = sample(
            &["Velmir Lantern", "Orzu Key"],
            json!({"distractors": [{"value": "Tesbel Crown"}]}),
        );
        let got = |output: &str| NeedleRecall.score(&s, output).unwrap();
        let all = got("\\boxed{velmir lantern; Orzu Key}");
        assert_eq!(all.headline(), 1.0);
        assert_eq!(all.details["distractors_named"], 0);
        let half = got("\\boxed{Velmir Lantern; Tesbel Crown}");
        assert_eq!(half.headline(), 0.5);
        assert_eq!(half.details["distractors_named"], 1);
        assert_eq!(got("Velmir Lantern; Orzu Key").headline(), 0.0, "no box");
        assert_eq!(
            got("\\boxed{Velmir Lanterns}").headline(),
            0.0,
            "whole words only"
        );
        let zh = sample(&["岚璃灯"], json!({}));
        assert_eq!(
            NeedleRecall
                .score(&zh, "答案是\\boxed{岚璃灯}")
                .unwrap()
                .headline(),
            1.0
        );
        let perfect = NeedleRecall.perfect_answer(&s).unwrap();
        assert_eq!(got(&perfect).headline(), 1.0);
    }
}
