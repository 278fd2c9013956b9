//! The measures on synthetic runs whose answer is known: systems far apart must rank alike on
//! any half of the questions and be told apart, coin flips must not.

use longforge_datasets::{Grade, SeededRng};

use super::*;
use crate::rank::Outcome;

const SETTINGS: Settings = Settings {
    splits: 100,
    bootstrap: 100,
    seed: 7,
    level: 0.95,
};

fn unit(rng: &mut SeededRng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Every pair of `systems` battles once on each of `questions` questions, `outcome` deciding
/// from the pair's indices; every system is graded on every question by `grade`.
fn run(
    systems: usize,
    questions: usize,
    seed: u64,
    outcome: impl Fn(usize, usize, &mut SeededRng) -> Outcome,
    grade: impl Fn(usize, &mut SeededRng) -> u8,
) -> (BattleSet, GradeSet) {
    let mut rng = SeededRng::new(seed);
    let name = |s: usize| format!("system-{s:02}");
    let (mut judgments, mut grades) = (BattleSet::default(), GradeSet::default());
    for q in 0..questions {
        for a in 0..systems {
            for b in a + 1..systems {
                judgments.battles.push(Battle {
                    question: format!("q{q:03}"),
                    model_a: name(a),
                    model_b: name(b),
                    outcome: outcome(a, b, &mut rng),
                    weight: 1.0,
                    lengths: None,
                });
            }
            grades.grades.push(Grade {
                question_id: format!("q{q:03}"),
                model: name(a),
                judge: "rule".into(),
                grade: Some(grade(a, &mut rng)),
                raw: None,
                fingerprint: None,
                error: None,
            });
        }
    }
    (judgments, grades)
}

/// Strengths 0.8 logits apart (the best wins about 0.69 of its battles with its neighbour), and
/// grades 1.3 apart with noise of +-1.5.
fn separated(systems: usize, questions: usize) -> (BattleSet, GradeSet) {
    run(
        systems,
        questions,
        1,
        |a, b, rng| {
            let p = 1.0 / (1.0 + (0.8 * (a as f64 - b as f64)).exp());
            let u = unit(rng);
            if u < 0.1 {
                Outcome::Tie
            } else if u < 0.1 + 0.9 * p {
                // b is the stronger: higher index, higher strength.
                Outcome::BWins
            } else {
                Outcome::AWins
            }
        },
        |s, rng| {
            (2.0 + 1.3 * s as f64 + 3.0 * unit(rng) - 1.5)
                .round()
                .clamp(1.0, 10.0) as u8
        },
    )
}

fn coin_flips(systems: usize, questions: usize) -> (BattleSet, GradeSet) {
    run(
        systems,
        questions,
        2,
        |_, _, rng| match rng.below(3) {
            0 => Outcome::AWins,
            1 => Outcome::BWins,
            _ => Outcome::Tie,
        },
        |_, rng| 1 + rng.below(10) as u8,
    )
}

fn measured(judgments: &BattleSet, grades: &GradeSet) -> (MethodReliability, MethodReliability) {
    let r = reliability(Some(judgments), Some(grades), SETTINGS).unwrap();
    let [relative, absolute] = <[MethodReliability; 2]>::try_from(r.methods).unwrap();
    assert_eq!(
        (relative.method, absolute.method),
        (Method::Relative, Method::Absolute)
    );
    (relative, absolute)
}

#[test]
fn systems_far_apart_rank_alike_on_any_half_and_are_told_apart() {
    let (judgments, grades) = separated(6, 200);
    let (relative, absolute) = measured(&judgments, &grades);
    for m in [&relative, &absolute] {
        let h = &m.split_half;
        assert_eq!((h.used, h.without_fit, h.tied), (100, 0, 0), "{m:?}");
        let rho = h.rho.mean.unwrap();
        assert!(rho > 0.9, "{}: rho {rho}", m.method);
        assert!(h.tau_b.mean.unwrap() > 0.8, "{m:?}");
        assert!(h.rho.p2_5.unwrap() <= rho && rho <= h.rho.p97_5.unwrap());
        assert!(h.spearman_brown.unwrap() >= rho);
        assert_eq!((m.separation.systems, m.separation.pairs), (6, 15));
        assert_eq!(m.separation.share, Some(1.0), "{m:?}");
        assert_eq!(m.scores[0].system, "system-05");
        assert_eq!(m.scores[5].system, "system-00");
    }
    assert!(absolute.scores[0].score > 8.0 && absolute.scores[5].score < 3.0);
}

#[test]
fn coin_flips_rank_at_random_and_are_not_told_apart() {
    // Twenty systems: the measures read the run, not the process behind it, and among a few
    // coin-flipping systems one is often ahead by chance on every question (five such systems
    // here gave a mean rho of 0.37 and a separated pair).
    let (judgments, grades) = coin_flips(20, 100);
    let (relative, absolute) = measured(&judgments, &grades);
    for m in [&relative, &absolute] {
        let h = &m.split_half;
        assert_eq!(h.used, 100);
        let (rho, tau) = (h.rho.mean.unwrap(), h.tau_b.mean.unwrap());
        assert!(rho.abs() < 0.3 && tau.abs() < 0.3, "{}: {h:?}", m.method);
        // Single splits wander far either side of the mean.
        assert!(
            h.rho.p2_5.unwrap() < -0.2 && h.rho.p97_5.unwrap() > 0.2,
            "{h:?}"
        );
        assert_eq!((m.separation.systems, m.separation.pairs), (20, 190));
        assert_eq!(m.separation.share, Some(0.0), "{m:?}");
    }
}

#[test]
fn same_inputs_and_seed_give_the_same_bytes() {
    let (judgments, grades) = separated(4, 30);
    let json = |settings| {
        serde_json::to_string(&reliability(Some(&judgments), Some(&grades), settings).unwrap())
            .unwrap()
    };
    assert_eq!(json(SETTINGS), json(SETTINGS));
    assert_ne!(
        json(SETTINGS),
        json(Settings {
            seed: 8,
            ..SETTINGS
        })
    );
    // The input's order does not matter either.
    let mut shuffled = BattleSet::default();
    shuffled.battles = judgments.battles.iter().rev().cloned().collect();
    let mut regraded = GradeSet::default();
    regraded.grades = grades.grades.iter().rev().cloned().collect();
    let again =
        serde_json::to_string(&reliability(Some(&shuffled), Some(&regraded), SETTINGS).unwrap())
            .unwrap();
    assert_eq!(json(SETTINGS), again);
}

#[test]
fn splits_without_a_fit_or_an_order_are_counted_and_left_out() {
    let (mut judgments, mut grades) = separated(3, 40);
    // `rare` battles on two questions only: a half without either has no fit for it, which
    // happens when both land in the same half (about half the splits).
    for q in ["q000", "q001"] {
        for (other, outcome) in [("system-00", Outcome::AWins), ("system-01", Outcome::BWins)] {
            judgments.battles.push(Battle {
                question: q.into(),
                model_a: "rare".into(),
                model_b: other.into(),
                outcome,
                weight: 1.0,
                lengths: None,
            });
        }
    }
    let r = reliability(Some(&judgments), None, SETTINGS).unwrap();
    let h = &r.methods[0].split_half;
    assert!((30..70).contains(&h.without_fit), "{h:?}");
    assert_eq!(h.used + h.without_fit + h.tied, h.splits);
    assert!(r.shared.is_none());

    // Every system graded 5 on every question: no order in any half.
    for g in &mut grades.grades {
        g.grade = Some(5);
    }
    let r = reliability(None, Some(&grades), SETTINGS).unwrap();
    let h = &r.methods[0].split_half;
    assert_eq!((h.used, h.tied), (0, 100));
    assert_eq!((h.rho.mean, h.spearman_brown), (None, None));
    assert_eq!(r.methods[0].separation.separated, 0);
}

#[test]
fn both_methods_keep_only_the_systems_and_questions_they_share() {
    let (mut judgments, mut grades) = separated(3, 10);
    // Only judged: a system, and a question; only graded: another question.
    judgments.battles.push(Battle {
        question: "q000".into(),
        model_a: "judged-only".into(),
        model_b: "system-00".into(),
        outcome: Outcome::Tie,
        weight: 1.0,
        lengths: None,
    });
    judgments.battles.push(Battle {
        question: "q-judged".into(),
        model_a: "system-01".into(),
        model_b: "system-00".into(),
        outcome: Outcome::AWins,
        weight: 1.0,
        lengths: None,
    });
    let mut extra = grades.grades[0].clone();
    extra.question_id = "q-graded".into();
    grades.grades.push(extra);
    let mut null = grades.grades[0].clone();
    null.question_id = "q-null".into();
    null.grade = None;
    grades.grades.push(null);
    let r = reliability(Some(&judgments), Some(&grades), SETTINGS).unwrap();
    let shared = r.shared.unwrap();
    assert_eq!((shared.systems, shared.questions), (3, 10));
    assert_eq!(shared.systems_dropped_from_judgments, ["judged-only"]);
    assert!(shared.systems_dropped_from_grades.is_empty());
    assert_eq!(
        (
            shared.questions_dropped_from_judgments,
            shared.questions_dropped_from_grades
        ),
        (1, 1)
    );
    assert_eq!((shared.verdicts_dropped, shared.grades_dropped), (2, 1));
    for m in &r.methods {
        assert_eq!((m.systems, m.questions), (3, 10));
    }
    assert_eq!(r.methods[1].unreadable, 1);
}

#[test]
fn inputs_that_measure_nothing_are_refused() {
    let (judgments, grades) = separated(3, 10);
    let err = |j, g, s| reliability(j, g, s).unwrap_err().to_string();
    assert!(err(None, None, SETTINGS).contains("nothing to measure"));
    assert!(err(
        Some(&judgments),
        None,
        Settings {
            splits: 0,
            ..SETTINGS
        }
    )
    .contains("--splits 0"));
    assert!(err(
        None,
        Some(&grades),
        Settings {
            level: 1.0,
            ..SETTINGS
        }
    )
    .contains("--level 1"));
    let mut renamed = grades.clone();
    for g in &mut renamed.grades {
        g.question_id = format!("other-{}", g.question_id);
    }
    assert!(err(Some(&judgments), Some(&renamed), SETTINGS).contains(
        "(3 systems, 10 questions) have 0 systems judged and graded on the same 0 questions"
    ));
    let mut one = judgments.clone();
    one.battles.retain(|b| b.question == "q000");
    assert!(err(Some(&one), None, SETTINGS).contains("1 questions"));
    // A system that never loses: no finite fit on all the questions.
    let mut unbeaten = judgments.clone();
    unbeaten
        .battles
        .retain(|b| b.model_a != "system-00" && b.model_b != "system-00");
    for b in &mut unbeaten.battles {
        b.outcome = Outcome::AWins;
    }
    assert!(err(Some(&unbeaten), None, SETTINGS).contains("no finite Bradley-Terry fit"));
}
