//! What must hold for every seed: lengths within tolerance, every needle present exactly once
//! near its depth, every evidence span holding its text, and the reference re-derivable from
//! `meta` alone.

use longforge_datasets::{Reference, Sample, TokenCounter, TokenizerSpec};
use longforge_generators::haystack::tolerance;
use longforge_generators::needlebench::{derive_answer, KinLink, QuestionType};
use longforge_generators::{family, Inputs};
use proptest::prelude::*;
use serde_json::{json, Value};

fn generate(params: Value) -> Vec<Sample> {
    let nb = family("needlebench").unwrap();
    let resolved = nb.resolve(params, &Inputs::default()).unwrap();
    nb.generate(&resolved, &Inputs::default(), &mut |_, _| {})
        .unwrap()
        .samples
}

fn chars(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end - start).collect()
}

/// Checks every promise a sample makes about itself.
fn check_sample(s: &Sample, counter: &TokenCounter) {
    let context = s.context.as_deref().unwrap();
    let meta = &s.meta;
    let tokens = meta["context_tokens"].as_u64().unwrap() as usize;
    assert_eq!(
        tokens,
        counter.count(context).unwrap(),
        "{}: context_tokens is the exact count",
        s.id
    );
    if let Some(target) = meta["target_tokens"].as_u64() {
        let target = target as usize;
        assert!(
            tokens.abs_diff(target) <= tolerance(target),
            "{}: {tokens} tokens for target {target}",
            s.id
        );
    }
    let evidence = meta["evidence"].as_array().unwrap();
    let depths = meta["depths"].as_array().unwrap();
    for (i, e) in evidence.iter().enumerate() {
        let text = e["text"].as_str().unwrap();
        let (start, end) = (
            e["char_start"].as_u64().unwrap() as usize,
            e["char_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars(context, start, end),
            text,
            "{}: evidence span holds its text",
            s.id
        );
        assert_eq!(
            context.matches(text).count(),
            1,
            "{}: needle `{text}` present exactly once",
            s.id
        );
        if let Some(depth) = depths.get(i).and_then(Value::as_f64) {
            // Position in tokens of the needle's start, against its depth over the whole context.
            let prefix: String = context.chars().take(start).collect();
            let at = counter.count(&prefix).unwrap() as f64;
            let want = depth / 100.0 * tokens as f64;
            let slack = 0.03 * tokens as f64 + 80.0 + 40.0 * evidence.len() as f64;
            assert!(
                (at - want).abs() <= slack,
                "{}: needle at token {at}, depth {depth}% wants {want}",
                s.id
            );
        }
    }
    // The reference, re-derived from meta alone.
    let Reference { kind, value } = &s.reference;
    match (kind.as_str(), s.task.as_str()) {
        ("needles", "single" | "multi-retrieval") => {
            let values: Vec<String> = serde_json::from_value(value.clone()).unwrap();
            let from_meta: Vec<&str> = meta["needles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["value"].as_str().unwrap())
                .collect();
            assert_eq!(
                values.iter().map(String::as_str).collect::<Vec<_>>(),
                from_meta
            );
            for (value, e) in values.iter().zip(evidence) {
                assert!(e["text"].as_str().unwrap().contains(value.as_str()));
            }
        }
        ("exact", "atc" | "multi-reasoning") => {
            let answer = value.as_str().unwrap();
            let chain: Vec<KinLink> = serde_json::from_value(meta["chain"].clone()).unwrap();
            let kind: QuestionType = serde_json::from_value(meta["question_type"].clone()).unwrap();
            let n = meta["n"].as_u64().map(|n| n as usize);
            let derived = derive_answer(
                &chain,
                kind,
                meta["subject"].as_str().unwrap(),
                n,
                meta.get("other").and_then(Value::as_str),
            )
            .unwrap();
            assert_eq!(derived, answer, "{}", s.id);
            // Every person has at most one elder link.
            let mut youngers: Vec<&str> = chain.iter().map(|l| l.younger.as_str()).collect();
            youngers.sort();
            let before = youngers.len();
            youngers.dedup();
            assert_eq!(
                before,
                youngers.len(),
                "{}: someone has two elder links",
                s.id
            );
            assert_eq!(chain.len(), evidence.len());
            for (link, e) in chain.iter().zip(evidence) {
                let text = e["text"].as_str().unwrap();
                assert!(
                    text.contains(&link.elder) && text.contains(&link.younger),
                    "{text}"
                );
            }
        }
        (r, t) => panic!("unexpected reference {r:?} for task {t}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    #[test]
    fn single_needle_samples_keep_their_promises(seed in 0u64..1_000_000, len in 300u64..3000, lang in prop::sample::select(vec!["en", "zh"])) {
        let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
        let samples = generate(json!({"task": "single", "lang": lang, "lengths": [len.to_string()], "depths": [0, 33, 50, 100], "seed": seed}));
        prop_assert_eq!(samples.len(), 4);
        for s in &samples { check_sample(s, &counter); }
    }

    #[test]
    fn multi_retrieval_samples_keep_their_promises(seed in 0u64..1_000_000, len in 800u64..4000, distractors in 0usize..4) {
        let counter = TokenCounter::load(&TokenizerSpec::O200kBase).unwrap();
        let samples = generate(json!({"task": "multi-retrieval", "lengths": [len.to_string()], "depths": [10, 40, 70, 90], "distractors": distractors, "seed": seed, "tokenizer": "o200k_base"}));
        for s in &samples { check_sample(s, &counter); }
    }

    #[test]
    fn atc_samples_keep_their_promises(seed in 0u64..1_000_000, links in 1usize..40, plain in any::<bool>(), lang in prop::sample::select(vec!["en", "zh"])) {
        let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
        let samples = generate(json!({"task": "atc", "lang": lang, "lengths": ["none", "2k"], "needles": [links], "plain_chain": plain || links == 1, "count": 4, "seed": seed}));
        prop_assert_eq!(samples.len(), 8);
        for s in &samples { check_sample(s, &counter); }
    }

    #[test]
    fn multi_reasoning_samples_keep_their_promises(seed in 0u64..1_000_000, links in 2usize..8) {
        let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
        let samples = generate(json!({"task": "multi-reasoning", "lengths": ["1500"], "depths": [0, 60], "needles": [links], "seed": seed, "questions": ["eldest_ancestor", "nth_descendant"], "count": 2}));
        for s in &samples { check_sample(s, &counter); }
    }
}

#[test]
fn same_seed_same_samples_other_seed_other_samples() {
    let params = json!({"task": "atc", "lengths": ["1k"], "needles": [6], "count": 3, "seed": 9});
    assert_eq!(generate(params.clone()), generate(params));
    let other =
        generate(json!({"task": "atc", "lengths": ["1k"], "needles": [6], "count": 3, "seed": 10}));
    assert_ne!(
        generate(json!({"task": "atc", "lengths": ["1k"], "needles": [6], "count": 3, "seed": 9}))
            [0]
        .context,
        other[0].context
    );
}

#[test]
fn every_question_type_appears_in_rotation() {
    let samples = generate(json!({"task": "atc", "needles": [10], "count": 8, "seed": 1}));
    let kinds: std::collections::BTreeSet<String> = samples
        .iter()
        .map(|s| s.meta["question_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}

#[test]
fn no_paragraph_repeats_in_a_long_context() {
    for lang in ["en", "zh"] {
        let samples = generate(
            json!({"task": "single", "lang": lang, "lengths": ["60k"], "depths": [50], "seed": 3}),
        );
        let context = samples[0].context.as_deref().unwrap();
        let paragraphs: Vec<&str> = context.split("\n\n").collect();
        let unique: std::collections::HashSet<&str> = paragraphs.iter().copied().collect();
        assert!(paragraphs.len() > 300, "{}", paragraphs.len());
        assert_eq!(
            unique.len(),
            paragraphs.len(),
            "{lang}: a paragraph repeats"
        );
    }
}

#[test]
fn bad_parameters_name_the_parameter() {
    let nb = family("needlebench").unwrap();
    let err = |p: Value| nb.resolve(p, &Inputs::default()).unwrap_err().to_string();
    assert!(err(json!({"task": "sorting"})).contains("unknown task `sorting`"));
    assert!(
        err(json!({"task": "single", "depths": [120]})).contains("--depths: 120 is outside 0-100")
    );
    assert!(err(json!({"task": "single", "lengths": ["12q"]})).contains("12q"));
    assert!(err(json!({"task": "single", "needles": [3]}))
        .contains("--needles: task single does not take it"));
    assert!(err(json!({"task": "single", "lengths": ["none"]})).contains("for atc only"));
    assert!(err(json!({"task": "atc", "needles": [0]})).contains("at least 1"));
    assert!(err(json!({"task": "atc", "needles": [5000]})).contains("at most 512"));
    assert!(err(json!({"task": "single", "depths": [10, 10]})).contains("listed twice"));
    let e = nb
        .resolve(
            json!({"task": "single", "lengths": ["20"]}),
            &Inputs::default(),
        )
        .and_then(|p| nb.generate(&p, &Inputs::default(), &mut |_, _| {}))
        .unwrap_err()
        .to_string();
    assert!(e.contains("cannot hold the needles"), "{e}");
    // A puzzle too small for a distractor family is refused, not made plain behind the flag.
    let e = nb
        .resolve(
            json!({"task": "atc", "needles": [1, 4]}),
            &Inputs::default(),
        )
        .and_then(|p| nb.generate(&p, &Inputs::default(), &mut |_, _| {}))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("--needles") && e.contains("smallest with distractors has 2"),
        "{e}"
    );
    let plain = nb
        .resolve(
            json!({"task": "atc", "needles": [1], "plain_chain": true}),
            &Inputs::default(),
        )
        .and_then(|p| nb.generate(&p, &Inputs::default(), &mut |_, _| {}));
    assert!(plain.is_ok());
}

#[test]
fn counts_stay_exact_when_paragraphs_do_not_start_with_letters() {
    // Joins before a quote or a digit are not piece boundaries: the builder must count whole.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("quotes.txt");
    let text: String = (0..600)
        .map(|i| format!("\"Quoted opening {i},\" said the clerk. It rained.\n\n{i} reasons to stay indoors were listed.\n\n"))
        .collect();
    std::fs::write(&corpus, text).unwrap();
    let inputs = Inputs {
        files: [("haystack".to_string(), corpus)].into(),
        ..Inputs::default()
    };
    let nb = family("needlebench").unwrap();
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
    for len in ["700", "3k"] {
        let params = longforge_generators::resolve(
            nb,
            json!({"task": "single", "lengths": [len], "depths": [0, 50, 100]}),
            &inputs,
        )
        .unwrap();
        for s in nb
            .generate(&params, &inputs, &mut |_, _| {})
            .unwrap()
            .samples
        {
            check_sample(&s, &counter);
        }
    }
}

#[test]
fn odd_haystacks_fill_any_length_and_needles_sit_near_their_depth() {
    // Text without full stops, sentences of a hundred words and more, and Chinese without any
    // punctuation: cut at clauses or words, each gives every length within tolerance, and every
    // recorded needle depth is where the needle went, within one cut sentence of the asked one.
    let dir = tempfile::tempdir().unwrap();
    let words = [
        "harbour",
        "crane",
        "evening",
        "ledger",
        "tide",
        "warehouse",
        "rope",
        "lantern",
        "gull",
        "timber",
    ];
    // Words drawn by a fixed linear congruential sequence, so no stretch of text repeats.
    let long_sentence = |i: usize, n: usize| -> String {
        let mut x = (i as u64 + 1).wrapping_mul(6364136223846793005);
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                words[(x >> 33) as usize % words.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let corpora = [
        (
            "no-stops.txt",
            (0..400)
                .map(|i| long_sentence(i, 40))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (
            "long.txt",
            (0..60)
                .map(|i| {
                    format!(
                        "{}, and {}.",
                        long_sentence(i, 70),
                        long_sentence(i + 1, 60)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
    ];
    let nb = family("needlebench").unwrap();
    for (name, text) in corpora {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let inputs = Inputs {
            files: [("haystack".to_string(), path)].into(),
            ..Inputs::default()
        };
        for len in ["512", "2k"] {
            let params = longforge_generators::resolve(
                nb,
                json!({"task": "single", "lengths": [len], "depths": [0, 10, 50, 90, 100]}),
                &inputs,
            )
            .unwrap();
            for s in nb
                .generate(&params, &inputs, &mut |_, _| {})
                .unwrap()
                .samples
            {
                let m = &s.meta;
                let (target, got) = (
                    m["target_tokens"].as_u64().unwrap() as usize,
                    m["context_tokens"].as_u64().unwrap() as usize,
                );
                assert!(
                    got.abs_diff(target) <= (target / 100).max(32),
                    "{name} {}: {got}",
                    s.id
                );
                let asked = m["depths"][0].as_f64().unwrap();
                let placed = m["needle_depths"][0].as_f64().unwrap();
                // One cut sentence is at most about 60 tokens; allow 80 of the context.
                let slack = 100.0 * 80.0 / got as f64;
                assert!(
                    (asked - placed).abs() <= slack,
                    "{name} {}: asked {asked}, placed {placed}",
                    s.id
                );
                let at = m["evidence"][0]["char_start"].as_u64().unwrap();
                assert_eq!(
                    at == 0,
                    placed == 0.0,
                    "{name} {}: needle at char {at}",
                    s.id
                );
            }
        }
    }
}
