//! `pair_accuracy`: NoCha's grouped metric (Karpinska et al., 2024), over attempted pairs.

use std::collections::{BTreeMap, BTreeSet};

use longforge_datasets::Sample;
use serde_json::Value;

use super::{wilson, CellScore, Figure, Mean, Metric};

/// Samples sharing `meta.pair_id` (a string) form a pair; a pair is right only when every one
/// of its samples has a perfect headline (1.0). NoCha pairs a true claim with a minimally
/// different false one, so a model that answers TRUE to everything scores 0 here while its
/// per-claim accuracy is 50%, and guessing scores 25%. A sample without `meta.pair_id` is a
/// group of its own.
///
/// Only attempted pairs count, as on the original's leaderboard: a pair is attempted when at
/// least two of its samples were scored (a pair is a true and a false claim; one without a
/// prediction leaves it incomplete) and none has the scorer's `attempted` value at 0 (a claim
/// skipped for context or refused by a guardrail). Figures, each with `n`:
/// - `pair_accuracy`: right pairs / attempted pairs (`n` attempted pairs), Wilson interval;
/// - every other scorer value (`claim_accuracy`, `extraction_rate`) averaged over the claims
///   of attempted pairs, as `mean` would;
/// - `true_share`: where references are booleans (claims), the share of TRUE among the
///   answers read from those claims (`n` answers read): a model's lean towards TRUE, 0.5 for
///   one that answers every claim right;
/// - `attempted`: attempted pairs / pairs (`n` pairs).
///
/// A summary also gives these figures by each axis alone, and on the pairs every compared
/// model attempted (`axes` `{"pairs": "common"}`), which makes models that skipped different
/// books comparable.
pub struct PairAccuracy;

/// The value name a scorer gives for "this claim was attempted".
const ATTEMPTED: &str = "attempted";

/// The pair a sample belongs to: `pair:` and its `meta.pair_id`, or `sample:` and its id.
pub fn pair_of(sample: &Sample) -> String {
    match sample.meta.get("pair_id") {
        Some(Value::String(p)) => format!("pair:{p}"),
        _ => format!("sample:{}", sample.id),
    }
}

fn value_of(c: &CellScore, name: &str) -> Option<f64> {
    c.values.iter().find(|(n, _)| n == name).map(|v| v.1)
}

/// The cell's pairs, each with its scored samples, and whether it was attempted.
fn pairs<'c, 'a>(cell: &'c [CellScore<'a>]) -> BTreeMap<String, (Vec<&'c CellScore<'a>>, bool)> {
    let mut groups: BTreeMap<String, (Vec<&CellScore>, bool)> = BTreeMap::new();
    for c in cell {
        let g = groups
            .entry(pair_of(c.sample))
            .or_insert((Vec::new(), true));
        g.0.push(c);
        g.1 &= value_of(c, ATTEMPTED) != Some(0.0);
    }
    for (key, g) in groups.iter_mut() {
        if key.starts_with("pair:") && g.0.len() < 2 {
            g.1 = false;
        }
    }
    groups
}

impl Metric for PairAccuracy {
    fn name(&self) -> &'static str {
        "pair_accuracy"
    }

    fn summary(&self) -> &'static str {
        "share of attempted pairs (samples sharing meta.pair_id) with every sample right; claim accuracy, TRUE share and attempted share beside"
    }

    fn aggregate(&self, cell: &[CellScore], values: &[&str], level: f64) -> Vec<Figure> {
        let groups = pairs(cell);
        let attempted: Vec<&Vec<&CellScore>> =
            groups.values().filter(|g| g.1).map(|g| &g.0).collect();
        let right = attempted
            .iter()
            .filter(|g| {
                g.iter()
                    .all(|c| c.values.first().is_some_and(|v| v.1 == 1.0))
            })
            .count();
        let n = attempted.len();
        let figure = |metric: &str, hits: usize, n: usize| {
            let ci = wilson(hits, n, level);
            Figure {
                metric: metric.into(),
                value: (n > 0).then(|| hits as f64 / n as f64),
                n,
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
            }
        };
        let mut figures = vec![figure("pair_accuracy", right, n)];
        let claims: Vec<CellScore> = attempted
            .iter()
            .flat_map(|g| g.iter().map(|c| **c))
            .collect();
        let others: Vec<&str> = values.iter().copied().filter(|v| *v != ATTEMPTED).collect();
        figures.extend(Mean.aggregate(&claims, &others, level));
        // The answer each claim got, where the reference is a truth value: right about a true
        // claim or wrong (but read) about a false one is a TRUE.
        let headline = values.first().copied().unwrap_or_default();
        let read: Vec<bool> = claims
            .iter()
            .filter_map(|c| {
                let truth = c.sample.reference.value.as_bool()?;
                (value_of(c, "extraction_rate") != Some(0.0))
                    .then(|| (value_of(c, headline) == Some(1.0)) == truth)
            })
            .collect();
        if cell.iter().all(|c| c.sample.reference.value.is_boolean()) {
            figures.push(figure(
                "true_share",
                read.iter().filter(|&&t| t).count(),
                read.len(),
            ));
        }
        figures.push(figure(ATTEMPTED, n, groups.len()));
        figures
    }

    fn attempted_groups(&self, cell: &[CellScore]) -> Option<BTreeSet<String>> {
        Some(
            pairs(cell)
                .into_iter()
                .filter(|g| g.1 .1)
                .map(|g| g.0)
                .collect(),
        )
    }

    fn group_of(&self, sample: &Sample) -> Option<String> {
        Some(pair_of(sample))
    }

    fn by_each_axis(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Sample;
    use serde_json::json;

    fn claim(id: &str, pair: &str, truth: bool) -> Sample {
        serde_json::from_value(json!({
            "id": id, "family": "t", "task": "t", "lang": "en", "question": "q", "prompt": "p",
            "reference": {"kind": "claim", "value": truth}, "meta": {"pair_id": pair}
        }))
        .unwrap()
    }

    fn scores(correct: f64, read: f64, attempted: f64) -> Vec<(String, f64)> {
        vec![
            ("claim_accuracy".to_string(), correct),
            ("extraction_rate".to_string(), read),
            ("attempted".to_string(), attempted),
        ]
    }

    const VALUES: [&str; 3] = ["claim_accuracy", "extraction_rate", "attempted"];

    fn figures(
        samples: &[Sample],
        values: &[Vec<(String, f64)>],
    ) -> BTreeMap<String, (Option<f64>, usize)> {
        let cell: Vec<CellScore> = samples
            .iter()
            .zip(values)
            .map(|(s, v)| CellScore {
                sample: s,
                values: v,
            })
            .collect();
        PairAccuracy
            .aggregate(&cell, &VALUES, 0.95)
            .into_iter()
            .map(|f| (f.metric, (f.value, f.n)))
            .collect()
    }

    #[test]
    fn a_pair_counts_only_when_both_claims_are_right() {
        let samples = [
            claim("a1", "a", true),
            claim("a2", "a", false),
            claim("b1", "b", true),
            claim("b2", "b", false),
        ];
        let right = scores(1.0, 1.0, 1.0);
        let wrong = scores(0.0, 1.0, 1.0);
        let f = figures(&samples, &[right.clone(), right.clone(), right, wrong]);
        assert_eq!(f["pair_accuracy"], (Some(0.5), 2));
        assert_eq!(
            f["claim_accuracy"],
            (Some(0.75), 4),
            "per-claim accuracy is higher"
        );
        // TRUE, FALSE, TRUE, and TRUE (wrong about a false claim).
        assert_eq!(f["true_share"], (Some(0.75), 4));
        assert_eq!(f["attempted"], (Some(1.0), 2));
        assert_eq!(figures(&[], &[])["pair_accuracy"], (None, 0));
    }

    #[test]
    fn always_true_scores_zero_and_unattempted_pairs_leave() {
        let samples = [
            claim("a1", "a", true),
            claim("a2", "a", false),
            claim("b1", "b", true),
            claim("b2", "b", false),
            claim("c1", "c", true),
        ];
        // Always TRUE: right on true claims, wrong on false ones. Pair b's false claim was
        // refused; pair c lost its false claim's prediction altogether.
        let f = figures(
            &samples,
            &[
                scores(1.0, 1.0, 1.0),
                scores(0.0, 1.0, 1.0),
                scores(1.0, 1.0, 1.0),
                scores(0.0, 0.0, 0.0),
                scores(1.0, 1.0, 1.0),
            ],
        );
        assert_eq!(f["pair_accuracy"], (Some(0.0), 1));
        assert_eq!(f["attempted"], (Some(1.0 / 3.0), 3));
        assert_eq!(f["claim_accuracy"], (Some(0.5), 2));
        assert_eq!(f["true_share"], (Some(1.0), 2));
        // An empty reply is attempted and wrong.
        let f = figures(
            &samples[..2],
            &[scores(1.0, 1.0, 1.0), scores(0.0, 0.0, 1.0)],
        );
        assert_eq!(f["pair_accuracy"], (Some(0.0), 1));
        assert_eq!(f["extraction_rate"], (Some(0.5), 2));
    }
}
