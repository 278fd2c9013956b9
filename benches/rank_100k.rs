//! `rank` on about 100,000 battles among 50 models, drawn in the bench from known strengths with
//! ties: one fit plus 1000 bootstrap rounds, beside one choix ILSR fit and one logistic-regression
//! fit timed in the same run on the same battles. Run through `just bench`, which makes the venv
//! (LONGFORGE_PEER_PYTHON) with choix and scikit-learn.

use std::io::Write;
use std::time::Instant;

use longforge_datasets::SeededRng;
use longforge_judges::rank::{rank, Battle, Outcome, RankSettings, Scale, Ties};

const BATTLES: usize = 100_000;
const MODELS: usize = 50;
const ROUNDS: usize = 1000;

fn main() {
    let python = std::env::var("LONGFORGE_PEER_PYTHON").unwrap_or_else(|_| {
        eprintln!("LONGFORGE_PEER_PYTHON is not set: run `just bench`, which makes the venv with choix and scikit-learn");
        std::process::exit(2);
    });
    let battles = draw_battles();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("battles.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for b in &battles {
        let winner = match b.outcome {
            Outcome::AWins => "model_a",
            Outcome::BWins => "model_b",
            Outcome::Tie => "tie",
        };
        writeln!(file, "{{\"question_id\": \"{}\", \"model_a\": \"{}\", \"model_b\": \"{}\", \"winner\": \"{winner}\"}}", b.question, b.model_a, b.model_b).expect("write");
    }
    file.flush().expect("flush");

    let settings = |bootstrap| RankSettings {
        ties: Ties::Half,
        scale: Scale::Logit,
        anchor: None,
        bootstrap,
        seed: 1,
        level: 0.95,
        prior: 0.0,
        strong_win_weight: 1.0,
        control_length: false,
    };
    let start = Instant::now();
    rank(&battles, 0, settings(0)).expect("fits");
    let one_fit = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let ranking = rank(&battles, 0, settings(ROUNDS)).expect("fits");
    let with_rounds = start.elapsed().as_secs_f64();
    assert_eq!(ranking.degenerate_rounds, 0);
    // The tie models, timed the same way (each round starts from the point fit).
    let mut tie_models = Vec::new();
    for ties in [Ties::RaoKupper, Ties::Davidson] {
        let start = Instant::now();
        let r = rank(
            &battles,
            0,
            RankSettings {
                ties,
                ..settings(ROUNDS)
            },
        )
        .expect("fits");
        tie_models.push((ties, start.elapsed().as_secs_f64(), r.tie_parameter));
    }

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/rank_peers.py");
    let out = std::process::Command::new(&python)
        .args([script, path.to_str().unwrap_or_default()])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "peers failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peers: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let choix = peers["choix_fit"].as_f64().unwrap_or(f64::NAN);
    let lr = peers["logistic_regression_fit"]
        .as_f64()
        .unwrap_or(f64::NAN);
    println!("{BATTLES} battles, {MODELS} models, ties as half wins");
    println!("| | one fit (s) | fit + {ROUNDS} bootstrap rounds (s) |");
    println!("|---|---:|---:|");
    println!("| longforge rank | {one_fit:.3} | {with_rounds:.3} |");
    println!(
        "| choix ilsr_pairwise | {choix:.3} | {:.0} (estimated: {} fits) |",
        choix * (ROUNDS + 1) as f64,
        ROUNDS + 1
    );
    println!(
        "| logistic regression (scikit-learn) | {lr:.3} | {:.0} (estimated: {} fits) |",
        lr * (ROUNDS + 1) as f64,
        ROUNDS + 1
    );
    for (ties, seconds, parameter) in tie_models {
        println!(
            "| longforge rank --ties {ties:?} (tie parameter {:.3}) | | {seconds:.3} |",
            parameter.unwrap_or(f64::NAN)
        );
    }
}

/// Battles from strengths spread evenly over 3 logits, 15% ties, two battles per question.
fn draw_battles() -> Vec<Battle> {
    let mut rng = SeededRng::new(11);
    let unit = |rng: &mut SeededRng| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    (0..BATTLES)
        .map(|k| {
            let a = rng.below(MODELS);
            let mut b = rng.below(MODELS - 1);
            if b >= a {
                b += 1;
            }
            let p = 1.0 / (1.0 + (3.0 * (b as f64 - a as f64) / (MODELS - 1) as f64).exp());
            let outcome = if unit(&mut rng) < 0.15 {
                Outcome::Tie
            } else if unit(&mut rng) < p {
                Outcome::AWins
            } else {
                Outcome::BWins
            };
            Battle {
                question: format!("q{}", k / 2),
                model_a: format!("model-{a:02}"),
                model_b: format!("model-{b:02}"),
                outcome,
                weight: 1.0,
                lengths: None,
            }
        })
        .collect()
}
