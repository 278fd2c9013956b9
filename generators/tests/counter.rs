//! The fast counter against tiktoken-rs on the prose longforge itself generates: every length a
//! dataset records rests on these counts being equal.

use longforge_datasets::{TokenCounter, TokenizerSpec};
use longforge_generators::haystack::{join_sentences, HaystackSource, Lang};

/// About `paragraphs` paragraphs of seeded prose, joined as a context joins them.
fn prose(lang: Lang, seed: u64, paragraphs: usize) -> String {
    let mut stream = HaystackSource::Prose(lang).stream(seed);
    let mut text = String::new();
    for _ in 0..paragraphs {
        let Some(p) = stream.next_paragraph().expect("prose never fails") else {
            break;
        };
        text.push_str(&join_sentences(&p));
        text.push_str("\n\n");
    }
    text
}

#[test]
fn counts_equal_tiktoken_on_generated_prose_in_both_languages() {
    for (spec, reference) in [
        (
            TokenizerSpec::Cl100kBase,
            tiktoken_rs::cl100k_base_singleton(),
        ),
        (
            TokenizerSpec::O200kBase,
            tiktoken_rs::o200k_base_singleton(),
        ),
    ] {
        let counter = TokenCounter::load(&spec).expect("built in");
        for lang in [Lang::En, Lang::Zh] {
            for seed in 0..3 {
                let text = prose(lang, seed, 1500);
                let want = reference.encode_ordinary(&text).len();
                assert!(want > 50_000, "{want} tokens is a real test");
                assert_eq!(
                    counter.count(&text).unwrap(),
                    want,
                    "{} {lang:?} seed {seed}",
                    counter.name()
                );
                assert_eq!(counter.count_parallel(&text).unwrap(), want);
            }
        }
    }
}
