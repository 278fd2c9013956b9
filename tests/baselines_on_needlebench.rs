//! The baselines bracket NeedleBench as they should: the oracle scores 1.0 on every sample (so
//! every reference scores 1.0 under its own scorer), and the shortcut that aces the original's
//! plain chains is held to chance by distractors.

use longforge_baselines::{answer_all, Baseline};
use longforge_datasets::Sample;
use longforge_generators::{family, scoring_of, Inputs};
use longforge_judges::Scoring;
use serde_json::{json, Value};

fn generate(params: Value) -> (Vec<Sample>, Scoring) {
    let nb = family("needlebench").unwrap();
    let resolved = nb.resolve(params, &Inputs::default()).unwrap();
    let samples = nb
        .generate(&resolved, &Inputs::default(), &mut |_, _| {})
        .unwrap()
        .samples;
    let scoring = Scoring::of(nb.name(), &scoring_of(nb, &samples).unwrap()).unwrap();
    (samples, scoring)
}

/// The mean headline score of `baseline` on the samples.
fn mean_score(baseline: Baseline, (samples, scoring): &(Vec<Sample>, Scoring)) -> f64 {
    let predictions = answer_all(baseline, samples, scoring).unwrap();
    let headline: Vec<f64> = predictions
        .iter()
        .map(|p| {
            let s = samples.iter().find(|s| s.id == p.sample_id).unwrap();
            scoring.scored(s, p).unwrap().headline()
        })
        .collect();
    headline.iter().sum::<f64>() / headline.len() as f64
}

#[test]
fn oracle_scores_one_everywhere() {
    for params in [
        json!({"task": "single", "lengths": ["1k"], "depths": [0, 50, 100], "count": 3, "lang": "zh"}),
        json!({"task": "multi-retrieval", "lengths": ["2k"], "count": 3}),
        json!({"task": "multi-reasoning", "lengths": ["1500"], "depths": [20], "needles": [3, 6], "count": 2}),
        json!({"task": "atc", "needles": [2, 5, 12], "count": 4, "lang": "zh"}),
        json!({"task": "atc", "needles": [7], "count": 8}),
    ] {
        let samples = generate(params.clone());
        assert_eq!(mean_score(Baseline::Oracle, &samples), 1.0, "{params}");
    }
}

#[test]
fn shortcut_aces_plain_chains_but_not_distractors() {
    let plain = generate(
        json!({"task": "atc", "needles": [8], "count": 40, "plain_chain": true, "questions": ["eldest_ancestor"]}),
    );
    assert_eq!(
        mean_score(Baseline::Shortcut, &plain),
        1.0,
        "the original's shortcut"
    );

    let guarded = generate(
        json!({"task": "atc", "needles": [8], "count": 40, "questions": ["eldest_ancestor"]}),
    );
    let eldest_only = mean_score(Baseline::Shortcut, &guarded);
    assert!(
        eldest_only <= 0.5,
        "shortcut scores {eldest_only} with distractors"
    );

    // Distractors at every size that can hold one: 2 and 3 links too (0.1.0 left them plain
    // while its manifest said `plain_chain: false`, and the shortcut scored 1.000 there).
    for links in [2, 3] {
        let small = generate(
            json!({"task": "atc", "needles": [links], "count": 60, "seed": 3, "questions": ["eldest_ancestor"]}),
        );
        for s in &small.0 {
            let chain = s.meta["chain"].as_array().unwrap();
            let youngers: Vec<&str> = chain
                .iter()
                .map(|l| l["younger"].as_str().unwrap())
                .collect();
            let roots = chain
                .iter()
                .map(|l| l["elder"].as_str().unwrap())
                .filter(|e| !youngers.contains(e))
                .collect::<std::collections::BTreeSet<_>>();
            assert!(roots.len() >= 2, "{}: one root", s.id);
        }
        let score = mean_score(Baseline::Shortcut, &small);
        assert!(score <= 0.65, "shortcut scores {score} at {links} links");
    }

    let all_questions = generate(json!({"task": "atc", "needles": [8, 16], "count": 20}));
    let mixed = mean_score(Baseline::Shortcut, &all_questions);
    assert!(
        mixed <= 0.5,
        "shortcut scores {mixed} on all question types"
    );
}

#[test]
fn shortcut_takes_the_first_candidate_and_distractors_catch_it() {
    let none = generate(
        json!({"task": "single", "lengths": ["1k"], "depths": [50], "distractors": 0, "count": 10}),
    );
    assert_eq!(
        mean_score(Baseline::Shortcut, &none),
        1.0,
        "without distractors the first candidate is the needle"
    );
    let some = generate(
        json!({"task": "single", "lengths": ["1k"], "depths": [50], "distractors": 3, "count": 30}),
    );
    assert!(mean_score(Baseline::Shortcut, &some) < 0.8);
}

#[test]
fn random_is_a_floor_and_noise_sits_between() {
    let samples = generate(json!({"task": "atc", "needles": [10], "count": 60}));
    let random = mean_score(Baseline::Random, &samples);
    let noisy = mean_score(Baseline::NoisyOracle { error_rate: 0.5 }, &samples);
    assert!(random < 0.35, "random {random}");
    assert!(
        noisy > random && noisy < 1.0,
        "noisy {noisy}, random {random}"
    );
    // Reproducible: the same samples get the same answers.
    assert_eq!(
        answer_all(Baseline::Random, &samples.0, &samples.1).unwrap(),
        answer_all(Baseline::Random, &samples.0, &samples.1).unwrap()
    );
}
