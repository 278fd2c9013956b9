//! `needles`: NeedleBench's retrieval score, made strict. The original counts a needle found when
//! its value occurs anywhere in the answer, which rewards listing every candidate; here the
//! answer's precision over the candidates the sample offers counts as well.

use longforge_datasets::Sample;
use serde_json::{json, Value};

use super::boxed::{boxed, clean, extract_boxed};
use super::{reference_value, Scored, Scorer};
use crate::{share, JudgeError};

/// Values, each in [0, 1]:
/// - `needle_f1` (headline): the harmonic mean of recall and precision.
/// - `needle_recall`: the share of expected values named in the boxed answer, each matched as
///   whole words after cleaning (the original's measure).
/// - `needle_precision`: of the candidate values named (the needles and the near-miss
///   distractors in `meta.distractors[].value`), the share that are needles; 0 when none is.
/// - `extraction_rate`: 1 when a `\boxed{}` answer was found.
///
/// Naming the needle and two distractors scores recall 1 but precision 1/3 and F1 0.5, so a
/// model cannot hedge its way to a perfect score.
pub struct Needles;

impl Scorer for Needles {
    fn name(&self) -> &'static str {
        "needles"
    }

    fn summary(&self) -> &'static str {
        "needle values named inside the last \\boxed{}: F1 of recall over the needles and precision over the candidates named"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["needles"]
    }

    fn values(&self) -> &'static [&'static str] {
        &[
            "needle_f1",
            "needle_recall",
            "needle_precision",
            "extraction_rate",
        ]
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
        // Nothing expected, or nothing named, scores 0.
        let recall = share(hits, values.len()).unwrap_or(0.0);
        let precision = share(hits, hits + distractors_named).unwrap_or(0.0);
        let f1 = if recall + precision == 0.0 {
            0.0
        } else {
            2.0 * recall * precision / (recall + precision)
        };
        Ok(Scored {
            values: vec![
                ("needle_f1", f1),
                ("needle_recall", recall),
                ("needle_precision", precision),
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
    fn recall_counts_each_needle_once_and_hedging_costs_precision() {
        let s = sample(
            &["Velmir Lantern", "Orzu Key"],
            json!({"distractors": [{"value": "Tesbel Crown"}, {"value": "Amber Gate"}]}),
        );
        let got = |output: &str| Needles.score(&s, output).unwrap();
        let all = got("\\boxed{velmir lantern; Orzu Key}");
        assert_eq!(
            all.values[..3],
            [
                ("needle_f1", 1.0),
                ("needle_recall", 1.0),
                ("needle_precision", 1.0)
            ]
        );
        assert_eq!(all.details["distractors_named"], 0);
        let half = got("\\boxed{Velmir Lantern; Tesbel Crown}");
        assert_eq!(
            half.values[..3],
            [
                ("needle_f1", 0.5),
                ("needle_recall", 0.5),
                ("needle_precision", 0.5)
            ]
        );
        assert_eq!(half.details["distractors_named"], 1);
        // Every candidate named: all needles found, but half of what was named is wrong.
        let hedged = got("\\boxed{Velmir Lantern; Orzu Key; Tesbel Crown; Amber Gate}");
        assert_eq!(
            hedged.values[1..3],
            [("needle_recall", 1.0), ("needle_precision", 0.5)]
        );
        assert!((hedged.headline() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(got("Velmir Lantern; Orzu Key").headline(), 0.0, "no box");
        assert_eq!(
            got("\\boxed{Velmir Lanterns}").headline(),
            0.0,
            "whole words only"
        );
        assert_eq!(
            got("\\boxed{Tesbel Crown}").values[..3],
            [
                ("needle_f1", 0.0),
                ("needle_recall", 0.0),
                ("needle_precision", 0.0)
            ]
        );
        let zh = sample(&["岚璃灯"], json!({}));
        assert_eq!(
            Needles
                .score(&zh, "答案是\\boxed{岚璃灯}")
                .unwrap()
                .headline(),
            1.0
        );
        let perfect = Needles.perfect_answer(&s).unwrap();
        assert_eq!(got(&perfect).headline(), 1.0);
    }
}
