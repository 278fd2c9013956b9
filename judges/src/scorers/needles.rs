use serde_json::{json, Map, Value};

use super::boxed::{clean, extract_boxed};

/// `needle_recall`: the share of expected values named in the boxed answer, each matched as whole
/// words after cleaning. Distractor values named are reported in `details.distractors_named`,
/// so hedging by listing every candidate is visible.
pub fn score(
    output: &str,
    values: &[String],
    meta: &Map<String, Value>,
) -> (&'static str, f64, Value) {
    let extracted = extract_boxed(output);
    let answer = extracted.map(clean).unwrap_or_default();
    let found: Vec<bool> = values
        .iter()
        .map(|v| extracted.is_some() && contains_words(&answer, &clean(v)))
        .collect();
    let distractors_named = meta
        .get("distractors")
        .and_then(Value::as_array)
        .map(|ds| {
            ds.iter()
                .filter_map(|d| d.get("value").and_then(Value::as_str))
                .filter(|v| extracted.is_some() && contains_words(&answer, &clean(v)))
                .count()
        })
        .unwrap_or(0);
    let hits = found.iter().filter(|&&f| f).count();
    let value = if values.is_empty() {
        0.0
    } else {
        hits as f64 / values.len() as f64
    };
    (
        "needle_recall",
        value,
        json!({"extracted": extracted.is_some(), "answer": extracted, "found": found, "distractors_named": distractors_named}),
    )
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

    #[test]
    fn recall_counts_each_needle_once() {
        let values = vec!["Velmir Lantern".to_string(), "Orzu Key".to_string()];
        let meta =
            serde_json::from_value(json!({"distractors": [{"value": "Tesbel Crown"}]})).unwrap();
        let (_, v, d) = score("\\boxed{velmir lantern; Orzu Key}", &values, &meta);
        assert_eq!(v, 1.0);
        assert_eq!(d["distractors_named"], 0);
        let (_, v, d) = score("\\boxed{Velmir Lantern; Tesbel Crown}", &values, &meta);
        assert_eq!(v, 0.5);
        assert_eq!(d["distractors_named"], 1);
        assert_eq!(
            score("Velmir Lantern; Orzu Key", &values, &meta).1,
            0.0,
            "no box"
        );
        assert_eq!(
            score("\\boxed{Velmir Lanterns}", &values, &meta).1,
            0.0,
            "whole words only"
        );
        let zh = vec!["岚璃灯".to_string()];
        assert_eq!(score("答案是\\boxed{岚璃灯}", &zh, &Map::new()).1, 1.0);
    }
}
