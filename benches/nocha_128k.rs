//! NoCha-style speed: one book of 128K tokens with 30 claim pairs, made as `generate` makes it
//! (world, chapters written and fitted to the length by exact counts, pairs made and proved,
//! the 60 samples and the shared context), on one thread. Target: under 0.5 s. Beside it, one
//! count of the finished book, the unit the fitting spends a few of; and checking the oracle's
//! 60 answers with the scorer.
//!
//! `cargo bench --bench nocha_128k` (or `just bench`).

use std::time::Instant;

use longforge_datasets::Sample;
use longforge_generators::{family, Inputs};
use longforge_judges::scorers::scorer;
use serde_json::json;

const ROUNDS: usize = 5;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let nocha = family("nocha").expect("nocha is registered");
    let claim_truth = scorer("claim_truth").expect("registered");
    let mut make = Vec::new();
    let mut count = Vec::new();
    let mut check = Vec::new();
    let mut tokens = 0;
    for round in 0..ROUNDS {
        let params = json!({"lengths": ["128k"], "count": 1, "pairs": 30, "seed": round});
        let resolved = nocha
            .resolve(params, &Inputs::default())
            .expect("valid params");
        let start = Instant::now();
        let source = nocha
            .prepare(&resolved, &Inputs::default())
            .expect("prepares");
        let samples: Vec<Sample> = (0..source.len())
            .map(|i| source.sample(i).expect("generates"))
            .collect();
        let book = source
            .context(samples[0].context_id.as_deref().expect("a shared book"))
            .expect("the book");
        make.push(start.elapsed().as_secs_f64());
        assert_eq!(samples.len(), 60);
        tokens = book.tokens;

        let counter = Inputs::default().counter("cl100k_base").expect("cl100k");
        let start = Instant::now();
        let n = counter.count(&book.text).expect("counts");
        count.push(start.elapsed().as_secs_f64());
        assert_eq!(n as u64, book.tokens);

        let start = Instant::now();
        for s in &samples {
            let answer = claim_truth.perfect_answer(s).expect("a perfect answer");
            let scored = claim_truth.score(s, &answer).expect("scores");
            assert_eq!(scored.headline(), 1.0, "{}", s.id);
        }
        check.push(start.elapsed().as_secs_f64());
    }
    println!("| one 128K-token book, 30 pairs (median of {ROUNDS}) | seconds |");
    println!("|---|---:|");
    println!(
        "| world, book ({tokens} tokens), pairs and 60 samples | {:.3} |",
        median(make)
    );
    println!(
        "| one count of the book (cl100k_base) | {:.3} |",
        median(count)
    );
    println!("| scoring the oracle's 60 answers | {:.4} |", median(check));
}
