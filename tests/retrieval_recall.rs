//! How often BM25 retrieval finds the evidence, on generated data with known evidence spans:
//! NeedleBench's single needles (one piece of evidence each) and long-span QA's world questions
//! (two or more pieces, far apart). The figures are printed (`--nocapture`) and the README
//! states them; the floors asserted are well under what is measured, and well over chance.

use longforge_datasets::{Evidence, Sample, TokenCounter, TokenizerSpec};
use longforge_generators::{family, Inputs};
use longforge_retrieval::{Bm25Params, Retriever};
use serde_json::{json, Value};

fn generate(name: &str, params: Value) -> (Vec<Sample>, Vec<longforge_datasets::Context>) {
    let f = family(name).unwrap();
    let resolved = longforge_generators::resolve(f, params, &Inputs::default()).unwrap();
    let g = f
        .generate(&resolved, &Inputs::default(), &mut |_, _| {})
        .unwrap();
    (g.samples, g.contexts)
}

fn evidence(s: &Sample) -> Vec<Evidence> {
    serde_json::from_value(s.meta["evidence"].clone()).unwrap()
}

/// Whether a retrieved chunk `[a, b)` holds any of `e`.
fn holds(hits: &[(usize, usize)], e: &Evidence) -> bool {
    hits.iter()
        .any(|&(a, b)| a < e.char_end && e.char_start < b)
}

#[test]
fn bm25_finds_a_single_needle_in_the_top_chunks() {
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
    let (samples, _) = generate(
        "needlebench",
        json!({"task": "single", "lengths": ["8k", "32k"], "depths": [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], "count": 2}),
    );
    let (mut at1, mut at5, mut chunks) = (0, 0, 0);
    for s in &samples {
        let context = s.context.as_deref().unwrap();
        let r = Retriever::new(context, 256, &counter, Bm25Params::default()).unwrap();
        chunks += r.chunks().len();
        let e = &evidence(s)[0];
        let spans = |k| -> Vec<(usize, usize)> {
            r.search(&s.question, k)
                .iter()
                .map(|h| (h.char_start, h.char_end))
                .collect()
        };
        at1 += usize::from(holds(&spans(1), e));
        at5 += usize::from(holds(&spans(5), e));
    }
    let n = samples.len() as f64;
    let (r1, r5) = (at1 as f64 / n, at5 as f64 / n);
    eprintln!(
        "needlebench single, {} samples at 8k and 32k, chunks of 256 tokens ({:.0} a context): recall@1 {r1:.3}, recall@5 {r5:.3}",
        samples.len(),
        chunks as f64 / n
    );
    assert!(r5 >= 0.9, "recall@5 {r5}");
    assert!(r1 >= 0.7, "recall@1 {r1}");
}

#[test]
fn bm25_finds_some_of_a_long_span_questions_evidence() {
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
    let (samples, contexts) = generate(
        "longspan",
        json!({"lengths": ["32k"], "count": 2, "questions": 20, "seed": 3}),
    );
    let (mut spans, mut found, mut any, mut chance) = (0, 0, 0, 0.0);
    for s in &samples {
        let book = contexts
            .iter()
            .find(|c| Some(&c.id) == s.context_id.as_ref())
            .unwrap();
        let r = Retriever::new(&book.text, 512, &counter, Bm25Params::default()).unwrap();
        let hits: Vec<(usize, usize)> = r
            .search(&s.question, 5)
            .iter()
            .map(|h| (h.char_start, h.char_end))
            .collect();
        let ev = evidence(s);
        let here = ev.iter().filter(|e| holds(&hits, e)).count();
        spans += ev.len();
        found += here;
        any += usize::from(here > 0);
        chance += 5.0 / r.chunks().len() as f64;
    }
    let n = samples.len() as f64;
    let (recall, some, chance) = (found as f64 / spans as f64, any as f64 / n, chance / n);
    eprintln!(
        "longspan world, {} questions over two 32k books, top 5 of 512-token chunks: evidence recall@5 {recall:.3}, questions with some evidence retrieved {some:.3}, chance per span {chance:.3}",
        samples.len()
    );
    assert!(
        recall > 2.0 * chance,
        "recall {recall} against chance {chance}"
    );
    assert!(some >= 0.5, "{some}");
}
