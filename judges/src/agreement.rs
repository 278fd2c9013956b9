//! Agreement between two sets of judgments of the same showings: two judges, or a judge and
//! human labels written in the judgment format.
//!
//! Showings are matched by question, the pair of models and which model was shown first, so a
//! file that names the pair the other way round still matches (its verdicts are turned to
//! match). Verdicts are compared as outcomes (first-named model wins, tie, other model wins).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use longforge_datasets::{Judgment, Order, Verdict};
use serde::Serialize;

use crate::{share, JudgeError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Showings present in both files.
    pub matched: usize,
    pub only_in_first: usize,
    pub only_in_second: usize,
    /// Matched showings where either verdict is invalid (left out of what follows).
    pub invalid: usize,
    /// Matched showings with two valid verdicts.
    pub compared: usize,
    /// Same outcome, ties included. Every rate here is `None` (null) when what it is a share of
    /// is empty.
    pub agreement: Option<f64>,
    /// Showings where neither verdict is a tie, and the share of those with the same winner.
    pub decisive: usize,
    pub agreement_without_ties: Option<f64>,
    /// Same label on the five-point scale.
    pub exact_agreement: Option<f64>,
    /// Cohen's kappa over the three outcomes; none when chance agreement is certain.
    pub kappa: Option<f64>,
    /// Showings where the two crowned different winners, and their share of `compared`.
    pub flips: usize,
    pub flip_rate: Option<f64>,
}

type Key = (String, String, String, String);

/// Keys each judgment by (question, first model, second model, model shown first) with the
/// models sorted, and states its verdict for the first of them.
fn keyed(judgments: &[Judgment], file: &str) -> Result<BTreeMap<Key, Verdict>, JudgeError> {
    let mut out = BTreeMap::new();
    for (i, j) in judgments.iter().enumerate() {
        let shown_first = match j.order {
            Order::Ab => &j.model_a,
            Order::Ba => &j.model_b,
        };
        let (low, high, verdict) = if j.model_a <= j.model_b {
            (&j.model_a, &j.model_b, j.verdict)
        } else {
            (&j.model_b, &j.model_a, j.verdict.swapped())
        };
        let key = (
            j.question_id.clone(),
            low.clone(),
            high.clone(),
            shown_first.clone(),
        );
        if out.insert(key, verdict).is_some() {
            return Err(JudgeError::Pairing(format!(
                "{file}:{}: question `{}`, `{}` against `{}` in order {:?} is judged twice; agreement compares one judge per file",
                i + 1,
                j.question_id,
                j.model_a,
                j.model_b,
                j.order
            )));
        }
    }
    Ok(out)
}

pub fn agree(
    first: &[Judgment],
    first_file: &str,
    second: &[Judgment],
    second_file: &str,
) -> Result<Agreement, JudgeError> {
    let a = keyed(first, first_file)?;
    let b = keyed(second, second_file)?;
    let mut pairs: Vec<(Verdict, Verdict)> = Vec::new();
    let mut invalid = 0;
    for (key, va) in &a {
        if let Some(vb) = b.get(key) {
            if *va == Verdict::Invalid || *vb == Verdict::Invalid {
                invalid += 1;
            } else {
                pairs.push((*va, *vb));
            }
        }
    }
    let matched = pairs.len() + invalid;
    let outcome = |v: Verdict| match v.winner() {
        Some(Ordering::Greater) => 0,
        Some(Ordering::Equal) => 1,
        _ => 2,
    };
    let compared = pairs.len();
    let same = pairs
        .iter()
        .filter(|(x, y)| outcome(*x) == outcome(*y))
        .count();
    let exact = pairs.iter().filter(|(x, y)| x == y).count();
    let decisive: Vec<_> = pairs
        .iter()
        .filter(|(x, y)| outcome(*x) != 1 && outcome(*y) != 1)
        .collect();
    let same_winner = decisive
        .iter()
        .filter(|(x, y)| outcome(*x) == outcome(*y))
        .count();
    let flips = decisive.len() - same_winner;
    let mut marginal = [[0.0f64; 3]; 2];
    for (x, y) in &pairs {
        marginal[0][outcome(*x)] += 1.0;
        marginal[1][outcome(*y)] += 1.0;
    }
    let n = compared as f64;
    let chance: f64 = (0..3)
        .map(|k| marginal[0][k] / n * marginal[1][k] / n)
        .sum();
    let observed = share(same, compared);
    let kappa = observed
        .filter(|_| chance < 1.0)
        .map(|observed| (observed - chance) / (1.0 - chance));
    Ok(Agreement {
        matched,
        only_in_first: a.len() - matched,
        only_in_second: b.len() - matched,
        invalid,
        compared,
        agreement: observed,
        decisive: decisive.len(),
        agreement_without_ties: share(same_winner, decisive.len()),
        exact_agreement: share(exact, compared),
        kappa,
        flips,
        flip_rate: share(flips, compared),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(q: &str, a: &str, b: &str, order: Order, verdict: Verdict) -> Judgment {
        Judgment {
            verdict,
            ..Judgment::new(q, a, b, "j", order)
        }
    }

    #[test]
    fn kappa_on_a_hand_worked_table() {
        use Verdict::*;
        // Ten showings. First judge: x wins 5, tie 2, y wins 3. Second: x wins 4, tie 3, y wins 3.
        let first: Vec<Judgment> = [
            MuchBetter, Better, Better, Better, Better, Tie, Tie, Worse, Worse, MuchWorse,
        ]
        .iter()
        .enumerate()
        .map(|(i, v)| j(&format!("q{i}"), "x", "y", Order::Ab, *v))
        .collect();
        // The second file names the pair the other way round (y against x): verdicts swapped.
        let second_for_x = [
            Better, Better, Better, Tie, MuchWorse, Tie, Better, Worse, Worse, Tie,
        ];
        let second: Vec<Judgment> = second_for_x
            .iter()
            .enumerate()
            .map(|(i, v)| j(&format!("q{i}"), "y", "x", Order::Ba, v.swapped()))
            .collect();
        let r = agree(&first, "a", &second, "b").unwrap();
        assert_eq!((r.matched, r.compared, r.invalid), (10, 10, 0));
        // Same outcome on q0 q1 q2 q5 q7 q8: 6 of 10.
        assert!((r.agreement.unwrap() - 0.6).abs() < 1e-12);
        // Exact label: q1 q2 q5 q7 q8.
        assert!((r.exact_agreement.unwrap() - 0.5).abs() < 1e-12);
        // Decisive in both: q0 q1 q2 q4 q7 q8; q4 is a flip.
        assert_eq!((r.decisive, r.flips), (6, 1));
        assert!((r.agreement_without_ties.unwrap() - 5.0 / 6.0).abs() < 1e-12);
        assert!((r.flip_rate.unwrap() - 0.1).abs() < 1e-12);
        // Marginals (x wins, tie, y wins): first (5, 2, 3); second (4, 3, 3): x wins q0 q1 q2
        // q6, ties q3 q5 q9, y wins q4 q7 q8. Chance = .5*.4 + .2*.3 + .3*.3 = 0.35.
        let kappa = (0.6 - 0.35) / (1.0 - 0.35);
        assert!((r.kappa.unwrap() - kappa).abs() < 1e-12, "{:?}", r.kappa);
    }

    #[test]
    fn unmatched_invalid_and_duplicates() {
        let a = vec![
            j("q1", "x", "y", Order::Ab, Verdict::Better),
            j("q1", "x", "y", Order::Ba, Verdict::Invalid),
            j("q2", "x", "y", Order::Ab, Verdict::Tie),
        ];
        let b = vec![
            j("q1", "x", "y", Order::Ab, Verdict::Better),
            j("q1", "x", "y", Order::Ba, Verdict::Better),
            j("q3", "x", "y", Order::Ab, Verdict::Tie),
        ];
        let r = agree(&a, "a", &b, "b").unwrap();
        assert_eq!((r.matched, r.invalid, r.compared), (2, 1, 1));
        assert_eq!((r.only_in_first, r.only_in_second), (1, 1));
        assert_eq!(r.kappa, None);
        // Every verdict a tie in both files: nothing decisive, so agreement without ties is
        // undefined, not 0 (shared/cases/field-1/agree-all-ties-*.jsonl).
        let ties: Vec<Judgment> = (0..3)
            .map(|i| j(&format!("q{i}"), "x", "y", Order::Ab, Verdict::Tie))
            .collect();
        let r = agree(&ties, "a", &ties, "b").unwrap();
        assert_eq!((r.decisive, r.agreement_without_ties), (0, None));
        assert_eq!(r.agreement, Some(1.0));
        assert_eq!(r.kappa, None, "chance agreement is certain");
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["agreement_without_ties"].is_null());
        let none = agree(&a[1..2], "a", &b[1..2], "b").unwrap();
        assert_eq!(
            (none.compared, none.agreement, none.flip_rate),
            (0, None, None)
        );
        let dup = vec![a[0].clone(), a[0].clone()];
        let err = agree(&dup, "d.jsonl", &b, "b").unwrap_err().to_string();
        assert!(err.contains("d.jsonl:2"), "{err}");
    }
}
