//! BM25 retrieval over a book of about 1M tokens (cl100k_base) of the embedded English prose:
//! chunking into 256-token chunks, building the index, and top-5 queries per second, beside
//! Python's `rank_bm25` (BM25Okapi 0.2.2) timed in the same run on the same chunks and
//! queries, whose top 5 must equal ours to 1e-9. Run through `just bench`, which makes the
//! venv (LONGFORGE_BENCH_PYTHON) with rank_bm25; alone:
//! `cargo bench --bench bm25_1m --profile release`.

use std::time::Instant;

use longforge_datasets::{SeededRng, TokenCounter, TokenizerSpec};
use longforge_generators::haystack::{join_sentences, HaystackSource, Lang};
use longforge_retrieval::{chunk_book, tokenize, Bm25Index, Bm25Params};
use serde_json::json;

const BOOK_TOKENS: usize = 1_000_000;
const CHUNK_TOKENS: usize = 256;
const QUERIES: usize = 2000;
const K: usize = 5;

fn main() {
    let python = std::env::var("LONGFORGE_BENCH_PYTHON").unwrap_or_else(|_| {
        eprintln!("LONGFORGE_BENCH_PYTHON is not set: run `just bench`, which makes the venv with rank_bm25");
        std::process::exit(2);
    });
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).expect("built in");
    let book = write_book(&counter);
    let book_tokens = counter.count(&book).expect("counts");

    let start = Instant::now();
    let chunks = chunk_book(&book, CHUNK_TOKENS, &counter).expect("chunks");
    let chunking = start.elapsed().as_secs_f64();
    let texts: Vec<&str> = chunks.iter().map(|c| c.text.as_str()).collect();

    let start = Instant::now();
    let index = Bm25Index::new(&texts, Bm25Params::default()).expect("indexes");
    let build = start.elapsed().as_secs_f64();

    let queries = draw_queries(&texts);
    let start = Instant::now();
    let ours: Vec<_> = queries.iter().map(|q| index.top_k(q, K)).collect();
    let query_seconds = start.elapsed().as_secs_f64();

    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("bm25.json");
    let payload = json!({"chunks": texts, "queries": queries, "k": K});
    std::fs::write(&input, serde_json::to_vec(&payload).expect("json")).expect("write");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/bm25_peer.py");
    let out = std::process::Command::new(&python)
        .args([script, input.to_str().unwrap_or_default()])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let seconds = |key: &str| peer[key].as_f64().unwrap_or(f64::NAN);
    let mut worst = 0.0f64;
    for (q, hits) in ours.iter().enumerate() {
        let theirs = peer["top"][q].as_array().expect("a top list");
        assert_eq!(theirs.len(), hits.len(), "query {q}");
        for (hit, pair) in hits.iter().zip(theirs) {
            let doc = pair[0].as_u64().expect("an id") as usize;
            let score = pair[1].as_f64().expect("a score");
            assert_eq!(hit.doc, doc, "query {q}: {:?} vs {theirs:?}", hits);
            worst = worst.max((hit.score - score).abs());
        }
    }
    assert!(worst <= 1e-9, "top scores differ by {worst:e}");

    let qps = |s: f64| QUERIES as f64 / s;
    println!(
        "book of {book_tokens} tokens (cl100k_base), {} chunks of up to {CHUNK_TOKENS}, {} words indexed, {QUERIES} queries of 1-6 words, top {K} equal (largest score difference {worst:.1e})",
        chunks.len(),
        tokenize(&book).len()
    );
    println!("| | chunking (s) | tokenise + build index (s) | top-{K} queries/s |");
    println!("|---|---:|---:|---:|");
    println!(
        "| longforge-retrieval | {chunking:.3} | {build:.3} | {:.0} |",
        qps(query_seconds)
    );
    println!(
        "| rank_bm25 0.2.2 BM25Okapi (Python) | (same chunks) | {:.3} + {:.3} | {:.0} |",
        seconds("tokenise"),
        seconds("build"),
        qps(seconds("queries"))
    );
}

/// English prose paragraphs, seeded, one blank line apart, until about `BOOK_TOKENS` tokens.
fn write_book(counter: &TokenCounter) -> String {
    let mut stream = HaystackSource::Prose(Lang::En).stream(15);
    let mut book = String::new();
    let mut tokens = 0;
    while tokens < BOOK_TOKENS {
        let paragraph = join_sentences(&stream.next_paragraph().expect("prose").expect("endless"));
        tokens += counter.count(&paragraph).expect("counts") + 1;
        book.push_str(&paragraph);
        book.push_str("\n\n");
    }
    book
}

/// Queries of 1 to 6 words, each word drawn from a random chunk (so most match something), a
/// fifth of them with one word no chunk holds.
fn draw_queries(texts: &[&str]) -> Vec<String> {
    let mut rng = SeededRng::new(15);
    (0..QUERIES)
        .map(|i| {
            let mut words = Vec::new();
            for _ in 0..rng.range(1, 6) {
                let chunk = tokenize(texts[rng.below(texts.len())]);
                words.push(chunk[rng.below(chunk.len())].clone());
            }
            if i % 5 == 0 {
                words.push(format!("absent{i}"));
            }
            words.join(" ")
        })
        .collect()
}
