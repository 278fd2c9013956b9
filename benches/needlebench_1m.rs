//! One 1M-token sample of single-needle retrieval and one of the Ancestral Trace Challenge,
//! generated with exact token counting, timed beside (a) the original's Python path on the same
//! filler and (b) one plain tiktoken-rs pass over the final context, the floor for any generator
//! that counts exactly.
//!
//! Needs the Python side: run through `just bench`, which sets LONGFORGE_BENCH_PYTHON (a venv with
//! tiktoken) and TIKTOKEN_CACHE_DIR (the BPE files, offline).

use std::process::Command;
use std::time::Instant;

use longforge_datasets::{Sample, TokenCounter, TokenizerSpec};
use longforge_generators::{family, Inputs};
use serde_json::{json, Value};

const ROUNDS: usize = 5;

fn main() {
    let python = std::env::var("LONGFORGE_BENCH_PYTHON").unwrap_or_else(|_| {
        eprintln!("LONGFORGE_BENCH_PYTHON is not set: run `just bench`, which makes the venv with tiktoken");
        std::process::exit(2);
    });
    if std::env::var("TIKTOKEN_CACHE_DIR").is_err() {
        eprintln!("TIKTOKEN_CACHE_DIR is not set: run `just bench` (tiktoken cannot download its files here)");
        std::process::exit(2);
    }
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).expect("cl100k_base is built in");
    let nb = family("needlebench").expect("needlebench is registered");
    let cases = [
        (
            "single-needle 1m",
            json!({"task": "single", "lengths": ["1m"], "depths": [50], "seed": 1}),
        ),
        (
            "atc 1m, 8 links",
            json!({"task": "atc", "lengths": ["1m"], "needles": [8], "seed": 1}),
        ),
    ];
    println!("| sample | longforge (s) | python original path (s) | tiktoken-rs one pass (s) | longforge / floor | python / longforge | tokens |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, params) in cases {
        let resolved = nb
            .resolve(params, &Inputs::default())
            .expect("valid params");
        let mut ours = Vec::new();
        let mut sample: Option<Sample> = None;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let generated = nb
                .generate(&resolved, &Inputs::default(), &mut |_, _| {})
                .expect("generates");
            ours.push(start.elapsed().as_secs_f64());
            sample = generated.samples.into_iter().next();
        }
        let sample = sample.expect("one sample");
        let context = sample.context.clone().unwrap_or_default();
        let mut floor = Vec::new();
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let n = counter.count(&context).expect("counts");
            floor.push(start.elapsed().as_secs_f64());
            assert_eq!(
                Some(n as u64),
                sample.meta["context_tokens"].as_u64(),
                "meta holds the exact count"
            );
        }
        let python_secs = python_path(&python, &sample);
        let (o, f, p) = (median(&ours), median(&floor), median(&python_secs));
        println!(
            "| {name} | {o:.3} | {p:.3} | {f:.3} | {:.2}x | {:.2}x | {} |",
            o / f,
            p / o,
            sample.meta["context_tokens"]
        );
    }
    println!(
        "\nmedians of {ROUNDS} rounds; longforge uses {} threads",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}

/// Times the original's algorithm on the same filler (the sample's paragraphs without needles)
/// and the same needles at the same depths.
fn python_path(python: &str, sample: &Sample) -> Vec<f64> {
    let dir = tempfile::tempdir().expect("temp dir");
    let context = sample.context.as_deref().unwrap_or_default();
    let evidence = sample.meta["evidence"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let depths = sample.meta["depths"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let needles: Vec<Value> = evidence
        .iter()
        .zip(&depths)
        .map(|(e, d)| json!([e["text"], d]))
        .collect();
    let mut filler = context.replace("\n\n", "\n");
    for e in &evidence {
        filler = filler.replace(e["text"].as_str().unwrap_or_default(), "");
    }
    let filler_path = dir.path().join("filler.txt");
    let needles_path = dir.path().join("needles.json");
    std::fs::write(&filler_path, filler).expect("write filler");
    std::fs::write(&needles_path, serde_json::to_vec(&needles).expect("json"))
        .expect("write needles");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/original_needlebench.py"
    );
    let out = Command::new(python)
        .args([
            script,
            filler_path.to_str().unwrap_or_default(),
            needles_path.to_str().unwrap_or_default(),
            "1000000",
            &ROUNDS.to_string(),
        ])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "python path failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("python prints JSON");
    report["seconds"]
        .as_array()
        .map(|v| v.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
