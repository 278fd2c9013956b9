//! `pair_accuracy`: NoCha's grouped metric (Karpinska et al., 2024).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{wilson, CellScore, Figure, Metric};

/// Samples that share `meta.pair` (a string) form a group; a group is right only when every
/// sample in it has a perfect headline (1.0). NoCha pairs a true claim with a minimally different
/// false one, so a model that answers "true" to everything scores 0 here while its per-claim
/// accuracy is 50%. A sample without `meta.pair` is a group of its own. Wilson interval over
/// groups.
pub struct PairAccuracy;

impl Metric for PairAccuracy {
    fn name(&self) -> &'static str {
        "pair_accuracy"
    }

    fn summary(&self) -> &'static str {
        "share of groups (samples sharing meta.pair) with every sample right"
    }

    fn aggregate(&self, cell: &[CellScore], _values: &[&str], level: f64) -> Vec<Figure> {
        let mut groups: BTreeMap<String, bool> = BTreeMap::new();
        for c in cell {
            let key = match c.sample.meta.get("pair") {
                Some(Value::String(p)) => format!("pair:{p}"),
                _ => format!("sample:{}", c.sample.id),
            };
            let right = c.values.first().is_some_and(|v| v.1 == 1.0);
            *groups.entry(key).or_insert(true) &= right;
        }
        let n = groups.len();
        let right = groups.values().filter(|&&r| r).count();
        let ci = wilson(right, n, level);
        vec![Figure {
            metric: "pair_accuracy".into(),
            value: (n > 0).then(|| right as f64 / n as f64),
            n,
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Sample;
    use serde_json::json;

    fn claim(id: &str, pair: &str) -> Sample {
        serde_json::from_value(json!({
            "id": id, "family": "t", "task": "t", "lang": "en", "question": "q", "prompt": "p",
            "reference": {"kind": "claim", "value": true}, "meta": {"pair": pair}
        }))
        .unwrap()
    }

    #[test]
    fn a_pair_counts_only_when_both_claims_are_right() {
        let samples = [
            claim("a1", "a"),
            claim("a2", "a"),
            claim("b1", "b"),
            claim("b2", "b"),
        ];
        let right = vec![("accuracy".to_string(), 1.0)];
        let wrong = vec![("accuracy".to_string(), 0.0)];
        let cell: Vec<CellScore> = samples
            .iter()
            .zip([&right, &right, &right, &wrong])
            .map(|(s, v)| CellScore {
                sample: s,
                values: v,
            })
            .collect();
        let f = &PairAccuracy.aggregate(&cell, &["accuracy"], 0.95)[0];
        assert_eq!((f.value, f.n), (Some(0.5), 2));
        let mean = &super::super::Mean.aggregate(&cell, &["accuracy"], 0.95)[0];
        assert_eq!(mean.value, Some(0.75), "per-claim accuracy is higher");
        assert_eq!(
            PairAccuracy.aggregate(&[], &["accuracy"], 0.95)[0].value,
            None
        );
    }
}
