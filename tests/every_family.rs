//! What must hold for every registered family and task, whatever the seed: the oracle's answer
//! scores 1.0 under the task's own scorer, `random` answers in the asked format (its answer is
//! extracted), every task names a metric to report, and every sample says which grid cell it
//! is in.

use longforge_baselines::{Baseline, Candidates};
use longforge_generators::{families, scoring_of, Inputs};
use longforge_judges::Scoring;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn oracle_is_perfect_and_random_answers_in_format(seed in 0u64..1_000_000) {
        for family in families() {
            for task in family.tasks() {
                let mut params = family.example(task.name);
                if params.is_null() {
                    // Written by a model (longspan's book): tested with a scripted generator in
                    // its module and against the real server in tests/judge_server.rs.
                    continue;
                }
                params["seed"] = seed.into();
                let resolved = family.resolve(params, &Inputs::default()).unwrap();
                let samples = family
                    .generate(&resolved, &Inputs::default(), &mut |_, _| {})
                    .unwrap()
                    .samples;
                prop_assert!(!samples.is_empty());
                prop_assert!(
                    !task.metrics.is_empty(),
                    "{} {} names no metric, so `score` would print an empty table",
                    family.name(),
                    task.name
                );
                let specs = scoring_of(*family, &samples).unwrap();
                prop_assert_eq!(&specs[task.name], &task.scoring());
                let scoring = Scoring::of(family.name(), &specs).unwrap();
                for s in &samples {
                    let where_ = format!("{} {} seed {seed}: {}", family.name(), task.name, s.id);
                    prop_assert!(!s.axes().is_empty(), "{} has no axes", where_);
                    let oracle = Baseline::Oracle.answer(s, &scoring).unwrap();
                    let scored = scoring.scored(s, &oracle).unwrap();
                    prop_assert!(scored.values.iter().all(|v| v.1 == 1.0), "{}: oracle {:?}", where_, scored.values);
                    let random = Baseline::Random.answer(s, &scoring).unwrap();
                    prop_assert!(!random.text().is_empty());
                    let scored = scoring.scored(s, &random).unwrap();
                    prop_assert!(scored.answer.is_some_and(|a| !a.is_empty()), "{}: random answered {:?}", where_, random.output);
                    let c = Candidates::of(s).unwrap();
                    prop_assert!(!c.candidates.is_empty() && c.picks >= 1, "{}", where_);
                }
            }
        }
    }
}
