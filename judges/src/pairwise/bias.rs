//! Position bias: a judge that prefers whichever answer it reads first shows it in two ways,
//! verdicts that change when the order is swapped, and a first-shown win rate above one half.

use std::collections::BTreeMap;

use longforge_datasets::{Judgment, Order, Verdict};
use serde::Serialize;

use crate::share;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionBias {
    pub judge: String,
    pub judgments: usize,
    pub invalid: usize,
    /// Pairs with a valid verdict in both orders.
    pub pairs: usize,
    /// Of those, pairs whose outcome (A wins, tie, B wins) differs between the orders.
    pub inconsistent: usize,
    /// `inconsistent / pairs`: the share of pairs whose verdict flips with the order.
    pub flip_rate: Option<f64>,
    /// Of those, pairs where each order crowned a different winner.
    pub reversed: usize,
    /// Valid judgments with a winner (not a tie).
    pub decisive: usize,
    /// The share of decisive judgments won by the answer shown first (0.5 without bias).
    pub first_shown_win_rate: Option<f64>,
}

/// One entry per judge, sorted by judge name.
pub fn position_bias(judgments: &[Judgment]) -> Vec<PositionBias> {
    let mut by_judge: BTreeMap<&str, Vec<&Judgment>> = BTreeMap::new();
    for j in judgments {
        by_judge.entry(j.judge.as_str()).or_default().push(j);
    }
    by_judge
        .into_iter()
        .map(|(judge, js)| {
            let mut pairs: BTreeMap<(&str, &str, &str), [Option<Verdict>; 2]> = BTreeMap::new();
            let (mut decisive, mut first_wins) = (0, 0);
            for j in &js {
                let slot = match j.order {
                    Order::Ab => 0,
                    Order::Ba => 1,
                };
                pairs
                    .entry((&j.question_id, &j.model_a, &j.model_b))
                    .or_default()[slot] = Some(j.verdict);
                if let Some(w) = j.verdict.winner().filter(|w| w.is_ne()) {
                    decisive += 1;
                    let a_won = w.is_gt();
                    if a_won == (j.order == Order::Ab) {
                        first_wins += 1;
                    }
                }
            }
            let (mut both, mut inconsistent, mut reversed) = (0, 0, 0);
            for [ab, ba] in pairs.values() {
                let (Some(x), Some(y)) = (ab.and_then(|v| v.winner()), ba.and_then(|v| v.winner()))
                else {
                    continue;
                };
                both += 1;
                if x != y {
                    inconsistent += 1;
                    if x.is_ne() && y.is_ne() {
                        reversed += 1;
                    }
                }
            }
            PositionBias {
                judge: judge.to_string(),
                judgments: js.len(),
                invalid: js.iter().filter(|j| j.verdict == Verdict::Invalid).count(),
                pairs: both,
                inconsistent,
                flip_rate: share(inconsistent, both),
                reversed,
                decisive,
                first_shown_win_rate: share(first_wins, decisive),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judgment(q: &str, order: Order, verdict: Verdict) -> Judgment {
        Judgment {
            verdict,
            ..Judgment::new(q, "x", "y", "j", order)
        }
    }

    #[test]
    fn a_judge_that_always_prefers_the_first_answer() {
        // Shown first always wins: in ab that is A, in ba that is B.
        let mut js = Vec::new();
        for q in ["1", "2", "3", "4"] {
            js.push(judgment(q, Order::Ab, Verdict::Better));
            js.push(judgment(q, Order::Ba, Verdict::MuchWorse));
        }
        // A consistent pair, a tie against a win, and an invalid one.
        js.push(judgment("5", Order::Ab, Verdict::Better));
        js.push(judgment("5", Order::Ba, Verdict::MuchBetter));
        js.push(judgment("6", Order::Ab, Verdict::Tie));
        js.push(judgment("6", Order::Ba, Verdict::Worse));
        js.push(judgment("7", Order::Ab, Verdict::Invalid));
        js.push(judgment("7", Order::Ba, Verdict::Better));
        let b = &position_bias(&js)[0];
        assert_eq!((b.judgments, b.invalid, b.pairs), (14, 1, 6));
        assert_eq!((b.inconsistent, b.reversed), (5, 4));
        assert!((b.flip_rate.unwrap() - 5.0 / 6.0).abs() < 1e-12);
        // Decisive: 8 from the biased pairs (all first-shown), 2 in pair 5 (ab first, ba second),
        // 1 in pair 6 (ba: B won, shown first), 1 in pair 7 (ba: A won, shown second).
        assert_eq!(b.decisive, 12);
        assert!((b.first_shown_win_rate.unwrap() - 10.0 / 12.0).abs() < 1e-12);
    }
}
