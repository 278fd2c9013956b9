//! LongProc speed: 100 samples of every task at the 8K level (the reference output's length),
//! generated one by one as `generate` streams them, and each reference output checked by its
//! task's own scorer. Targets: under 10 ms a sample to generate and under 5 ms to check. For
//! pseudo-to-code, checking compiles and runs a program: it is reported apart, per program and
//! as throughput with every core checking at once.
//!
//! `cargo bench --bench longproc_8k` (or `just bench`).

use std::time::Instant;

use longforge_datasets::Sample;
use longforge_generators::{family, Inputs};
use longforge_judges::scorers::scorer;
use serde_json::json;

const SAMPLES: usize = 100;
/// Programs compiled and run for the pseudo-to-code figures (each takes about a second of g++).
const PROGRAMS: usize = 12;

fn main() {
    let longproc = family("longproc").expect("longproc is registered");
    println!(
        "| task (8K) | generate (ms a sample) | check (ms a sample) | reference tokens (mean) |"
    );
    println!("|---|---:|---:|---:|");
    for task in longproc.tasks() {
        let params = json!({"task": task.name, "levels": ["8k"], "count": SAMPLES, "seed": 1});
        let resolved = longproc
            .resolve(params, &Inputs::default())
            .expect("valid params");
        let source = longproc
            .prepare(&resolved, &Inputs::default())
            .expect("prepares");
        let start = Instant::now();
        let samples: Vec<Sample> = (0..source.len())
            .map(|i| source.sample(i).expect("generates"))
            .collect();
        let generate = start.elapsed().as_secs_f64() / samples.len() as f64;
        let check = scorer(task.scorer).expect("registered");
        let answers: Vec<String> = samples
            .iter()
            .map(|s| check.perfect_answer(s).expect("a perfect answer"))
            .collect();
        let tokens = samples
            .iter()
            .filter_map(|s| s.meta["output_tokens"].as_f64())
            .sum::<f64>()
            / samples.len() as f64;
        let compiled = task.name == "pseudo-to-code";
        let n = if compiled { PROGRAMS } else { samples.len() };
        let start = Instant::now();
        for (s, a) in samples.iter().zip(&answers).take(n) {
            let scored = check.score(s, a).expect("scores");
            assert_eq!(scored.headline(), 1.0, "{}: the reference scores 1", s.id);
        }
        let per = start.elapsed().as_secs_f64() / n as f64;
        println!(
            "| {} | {:.2} | {:.2}{} | {tokens:.0} |",
            task.name,
            generate * 1e3,
            per * 1e3,
            if compiled {
                " (compile and run, one at a time)"
            } else {
                ""
            }
        );
        if compiled {
            let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
            let start = Instant::now();
            let next = std::sync::atomic::AtomicUsize::new(0);
            std::thread::scope(|scope| {
                for _ in 0..threads {
                    scope.spawn(|| loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= PROGRAMS {
                            break;
                        }
                        check.score(&samples[i], &answers[i]).expect("scores");
                    });
                }
            });
            println!(
                "| pseudo-to-code, {threads} at once | | {:.1} programs a second | |",
                PROGRAMS as f64 / start.elapsed().as_secs_f64()
            );
        }
    }
}
