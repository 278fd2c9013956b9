//! HoloBench generation speed: one 64K-token sample (row placement, verbalisation, truth by
//! polars SQL, exact token counting) beside one plain tiktoken-rs pass over its context, and
//! the default grid (every embedded database and default query, lengths 4K to 64K, the five
//! placements) made sample by sample as `generate` streams them.
//!
//! Runs on one thread: generation of a sample is sequential, and the grid is timed as one
//! loop. `cargo bench --bench holobench_64k` (or `just bench`).

use std::time::Instant;

use longforge_datasets::{TokenCounter, TokenizerSpec};
use longforge_generators::{family, Inputs};
use serde_json::json;

const ROUNDS: usize = 5;

fn main() {
    let holobench = family("holobench").expect("holobench is registered");
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).expect("cl100k_base is built in");

    // One sample per query kind at 64K, bimodal (the most cutting), 2K relevant tokens.
    let params =
        json!({"lengths": ["64k"], "databases": ["wine"], "placement": ["bimodal"], "seed": 1});
    let resolved = holobench
        .resolve(params, &Inputs::default())
        .expect("valid params");
    let source = holobench
        .prepare(&resolved, &Inputs::default())
        .expect("prepares");
    println!("| 64K sample | longforge (s) | tiktoken-rs one pass (s) | longforge / floor | context tokens | placed rows |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut all = Vec::new();
    for i in 0..source.len() {
        let mut ours = Vec::new();
        let mut sample = None;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            sample = Some(source.sample(i).expect("generates"));
            ours.push(start.elapsed().as_secs_f64());
        }
        let sample = sample.expect("made");
        let context = sample.context.clone().unwrap_or_default();
        let mut floor = Vec::new();
        for _ in 0..ROUNDS {
            let start = Instant::now();
            counter.count(&context).expect("counts");
            floor.push(start.elapsed().as_secs_f64());
        }
        let (o, f) = (median(&ours), median(&floor));
        all.push(o);
        println!(
            "| {} | {o:.3} | {f:.3} | {:.1}x | {} | {} |",
            sample.meta["query"].as_str().unwrap_or_default(),
            o / f,
            sample.meta["context_tokens"],
            sample.meta["rows"].as_array().map_or(0, Vec::len)
        );
    }
    println!(
        "\nslowest 64K sample: {:.3} s (target under 0.25 s); medians of {ROUNDS} rounds",
        all.iter().cloned().fold(0.0, f64::max)
    );

    // The default grid, as `longforge generate holobench` makes it.
    let start = Instant::now();
    let resolved = holobench
        .resolve(json!({"seed": 1}), &Inputs::default())
        .expect("defaults resolve");
    let source = holobench
        .prepare(&resolved, &Inputs::default())
        .expect("prepares");
    let mut tokens = 0u64;
    for i in 0..source.len() {
        let s = source.sample(i).expect("generates");
        tokens += s.meta["context_tokens"].as_u64().unwrap_or(0);
    }
    println!(
        "default grid: {} samples, {:.1}M context tokens in {:.1} s (target under 60 s), one thread",
        source.len(),
        tokens as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
