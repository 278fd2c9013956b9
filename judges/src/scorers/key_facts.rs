//! `key_facts`: an open answer scored by the key facts of its reference it names.
//!
//! Long-span answers are prose, and the paper behind them (Bohnet et al., 2024) judges them only
//! side by side with an evaluator. A rule cannot judge prose, but it can tell whether an answer
//! names the people, places and things the reference rests on: `key_recall` is the share of key
//! facts named (any alias, as whole words, by [`longforge_datasets::mentions`]), and `all_keys`
//! is 1 when every one is. For a question that asks for an order, `details.order` is the share
//! of the facts named that can be read in the reference's order: the longest run of them, in
//! that order, at increasing places in the answer (any mention counts, so "from the mill to the
//! quay" does not put the mill out of order), over those named. It is null where the question
//! asks for no order or fewer than two facts are named: a detail, not a value, since there is
//! nothing to average where there is no order.
//!
//! It is recall, not truth: an answer that names the right people in a wrong story scores as
//! well as the right story, which is why the evaluator judges the same answers and
//! `longforge reliability` compares the two.

use longforge_datasets::{mention_offsets, KeyedAnswer, Sample, KEYED_ANSWER};
use serde_json::json;

use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

pub struct KeyFacts;

impl Scorer for KeyFacts {
    fn name(&self) -> &'static str {
        "key_facts"
    }

    fn summary(&self) -> &'static str {
        "the share of the reference's key facts an open answer names (key_recall), all of them (all_keys); their order in details"
    }

    fn reads(&self) -> &'static [&'static str] {
        &[KEYED_ANSWER]
    }

    fn values(&self) -> &'static [&'static str] {
        &["key_recall", "all_keys"]
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let reference = keyed(self, sample)?;
        // Where each key fact is named, by any of its aliases, as (offset, key) in reading order.
        let mut named_at: Vec<(usize, usize)> = Vec::new();
        let mut found = vec![false; reference.keys.len()];
        for (i, k) in reference.keys.iter().enumerate() {
            for alias in &k.aliases {
                let at = mention_offsets(output, alias);
                found[i] |= !at.is_empty();
                named_at.extend(at.into_iter().map(|o| (o, i)));
            }
        }
        named_at.sort_unstable();
        let named = found.iter().filter(|&&f| f).count();
        let recall = named as f64 / reference.keys.len() as f64;
        // Only where the question asks for an order and two facts are named is there an order
        // to read; elsewhere there is none, rather than a perfect one.
        let order =
            (reference.ordered && named >= 2).then(|| in_order(&named_at) as f64 / named as f64);
        let missing: Vec<&str> = reference
            .keys
            .iter()
            .zip(&found)
            .filter(|(_, &f)| !f)
            .map(|(k, _)| k.fact.as_str())
            .collect();
        Ok(Scored {
            values: vec![
                ("key_recall", recall),
                ("all_keys", if missing.is_empty() { 1.0 } else { 0.0 }),
            ],
            answer: (!output.trim().is_empty()).then(|| output.trim().to_string()),
            details: json!({"named": named, "keys": reference.keys.len(), "missing": missing, "order": order}),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        Ok(keyed(self, sample)?.text)
    }

    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        format!("{}.", picks.join(", then "))
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        Ok(keyed(self, sample)?.text)
    }
}

/// The most key facts that appear in reference order at increasing offsets: the longest strictly
/// increasing run of key indices over mentions sorted by offset (patience sorting, O(n log n)).
/// Mentions at one offset (two aliases of one key) cannot both count, as keys strictly increase.
fn in_order(named_at: &[(usize, usize)]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &(_, key) in named_at {
        match tails.binary_search(&key) {
            Ok(_) => {}
            Err(at) if at == tails.len() => tails.push(key),
            Err(at) => tails[at] = key,
        }
    }
    tails.len()
}

fn keyed(scorer: &KeyFacts, sample: &Sample) -> Result<KeyedAnswer, JudgeError> {
    let answer: KeyedAnswer = reference_value(scorer, sample)?;
    if answer.keys.is_empty() || answer.keys.iter().any(|k| k.aliases.is_empty()) {
        return Err(JudgeError::Reference {
            sample_id: sample.id.clone(),
            scorer: scorer.name(),
            message: "its keyed answer needs at least one key fact, each with an alias".into(),
        });
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::{KeyFact, Reference};

    fn sample(ordered: bool) -> Sample {
        let key = |fact: &str, aliases: &[&str]| KeyFact {
            fact: fact.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let answer = KeyedAnswer {
            text: "Nora Marrow, then Tom Hale, then Ilse Quill.".into(),
            keys: vec![
                key("Nora Marrow", &["Nora Marrow", "Nora"]),
                key("Tom Hale", &["Tom Hale", "Tom"]),
                key("Ilse Quill", &["Ilse Quill", "Ilse"]),
            ],
            ordered,
        };
        serde_json::from_value(json!({
            "id": "t/0", "family": "t", "task": "t", "lang": "en", "question": "q", "prompt": "p",
            "reference": Reference::keyed(&answer), "meta": {}
        }))
        .unwrap()
    }

    /// `key_recall`, `all_keys`, and `details.order` (NaN for null).
    fn values(ordered: bool, output: &str) -> Vec<f64> {
        let scored = KeyFacts.score(&sample(ordered), output).unwrap();
        let mut v: Vec<f64> = scored.values.iter().map(|v| v.1).collect();
        v.push(scored.details["order"].as_f64().unwrap_or(f64::NAN));
        v
    }

    fn same(got: Vec<f64>, want: [f64; 3]) {
        let eq = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a == b;
        assert!(
            got.iter().zip(want).all(|(&a, b)| eq(a, b)),
            "{got:?} != {want:?}"
        );
    }

    #[test]
    fn recall_counts_any_alias_as_whole_words() {
        same(values(true, "Nora, then Tom, then Ilse."), [1.0, 1.0, 1.0]);
        same(
            values(true, "nora marrow gave it to TOM."),
            [2.0 / 3.0, 0.0, 1.0],
        );
        same(values(true, "Tomas and Ilsebeth."), [0.0, 0.0, f64::NAN]);
        same(values(true, ""), [0.0, 0.0, f64::NAN]);
    }

    #[test]
    fn order_is_the_longest_run_read_in_order_only_when_asked() {
        // Reversed, only one fact can be read in order.
        same(values(true, "Ilse, Tom, Nora."), [1.0, 1.0, 1.0 / 3.0]);
        same(values(true, "Nora, Ilse, Tom."), [1.0, 1.0, 2.0 / 3.0]);
        // Named out of order first, then in order: the order is there to be read.
        same(
            values(true, "From Ilse's house: Nora, Tom, Ilse."),
            [1.0, 1.0, 1.0],
        );
        // No order asked, none read; one fact named, none to read.
        same(values(false, "Ilse, Tom, Nora."), [1.0, 1.0, f64::NAN]);
        same(values(true, "Only Tom."), [1.0 / 3.0, 0.0, f64::NAN]);
        // A fact named early by its given name and late in full counts where it is first named.
        same(
            values(true, "Nora. Tom. Ilse. Then Nora Marrow."),
            [1.0, 1.0, 1.0],
        );
    }

    #[test]
    fn the_reference_scores_one_and_a_bad_reference_names_the_sample() {
        let s = sample(true);
        let perfect = KeyFacts.perfect_answer(&s).unwrap();
        assert_eq!(KeyFacts.score(&s, &perfect).unwrap().headline(), 1.0);
        let mut bad = s.clone();
        bad.reference.value["keys"] = json!([]);
        let err = KeyFacts.score(&bad, "x").unwrap_err().to_string();
        assert!(err.contains("t/0") && err.contains("key fact"), "{err}");
    }
}
