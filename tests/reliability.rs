//! `longforge reliability` on judgment and grade files as `longforge judge` and `grade` write
//! them: both methods side by side on the systems and questions they share, the same bytes for
//! the same seed, and clear refusals that leave no file behind.

mod support;

use std::path::{Path, PathBuf};

use longforge_datasets::{jsonl, Grade, Judgment, Order, SeededRng, Verdict};
use serde_json::Value;
use support::cli::{fails, longforge, ok, s};

const SYSTEMS: [&str; 4] = ["weak", "fair", "good", "best"];

fn unit(rng: &mut SeededRng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Sixty questions; every pair of systems judged in both orders, the stronger (one logit
/// apart per step) winning as Bradley-Terry says, one verdict in ten a tie; every answer graded
/// 2 + 2 * step, +-1.5. The grades also hold a question nobody judged.
fn write_run(dir: &Path) -> (PathBuf, PathBuf) {
    let mut rng = SeededRng::new(11);
    let (mut judgments, mut grades) = (Vec::new(), Vec::new());
    for q in 0..60 {
        let question = format!("needlebench/single/{q:04}");
        for (i, a) in SYSTEMS.iter().enumerate() {
            for (k, b) in SYSTEMS.iter().enumerate().skip(i + 1) {
                for order in [Order::Ab, Order::Ba] {
                    let p_a = 1.0 / (1.0 + (k as f64 - i as f64).exp());
                    let u = unit(&mut rng);
                    let verdict = if u < 0.1 {
                        Verdict::Tie
                    } else if u < 0.1 + 0.9 * p_a {
                        Verdict::Better
                    } else if u < 0.95 {
                        Verdict::Worse
                    } else {
                        Verdict::MuchWorse
                    };
                    judgments.push(Judgment {
                        verdict,
                        raw_verdict: Some(format!("[[{}]]", verdict.label())),
                        raw: Some(format!("Verdict: [[{}]]", verdict.label())),
                        length_a: 40,
                        length_b: 52,
                        ..Judgment::new(&question, *a, *b, "rule", order)
                    });
                }
            }
            let grade = (2.0 + 2.0 * i as f64 + 3.0 * unit(&mut rng) - 1.5).round() as u8;
            grades.push(grade_of(&question, a, Some(grade.clamp(1, 10))));
        }
    }
    grades.push(grade_of("needlebench/single/extra", "best", Some(9)));
    grades.push(grade_of(
        "needlebench/single/0000",
        "best-but-unreadable",
        None,
    ));
    let (j, g) = (dir.join("judgments.jsonl"), dir.join("grades.jsonl"));
    jsonl::write(&j, &judgments).unwrap();
    jsonl::write(&g, &grades).unwrap();
    (j, g)
}

fn grade_of(question: &str, model: &str, grade: Option<u8>) -> Grade {
    Grade {
        question_id: question.into(),
        model: model.into(),
        judge: "rule".into(),
        grade,
        raw: grade.map(|g| format!("score: [[{g}]]")),
        fingerprint: None,
        error: None,
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn both_methods_side_by_side_on_what_they_share() {
    let tmp = tempfile::tempdir().unwrap();
    let (judgments, grades) = write_run(tmp.path());
    let out = tmp.path().join("reliability.json");
    let args = |out: &Path, seed: &'static str| {
        vec![
            "reliability".to_string(),
            "--judgments".into(),
            s(&judgments).into(),
            "--grades".into(),
            s(&grades).into(),
            "--splits".into(),
            "60".into(),
            "--bootstrap".into(),
            "80".into(),
            "--seed".into(),
            seed.into(),
            "--out".into(),
            s(out).into(),
        ]
    };
    let run = |out: &Path, seed| {
        let args = args(out, seed);
        ok(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let printed = run(&out, "3");
    let table = String::from_utf8_lossy(&printed.stdout);
    assert!(
        table.contains("| relative (Bradley-Terry) | 4 | 60 |"),
        "{table}"
    );
    assert!(
        table.contains("| absolute (mean grade) | 4 | 60 |"),
        "{table}"
    );
    assert!(table.contains("6/6 (1.000)"), "{table}");
    let notes = String::from_utf8_lossy(&printed.stderr);
    assert!(
        notes.contains("from the grades 0 systems, 1 questions and 1 grades"),
        "{notes}"
    );

    let r = read_json(&out);
    assert_eq!(r["settings"]["splits"], 60);
    assert_eq!(r["settings"]["bootstrap"], 80);
    let shared = &r["shared"];
    assert_eq!(
        (shared["systems"].as_u64(), shared["questions"].as_u64()),
        (Some(4), Some(60))
    );
    assert_eq!(shared["questions_dropped_from_grades"], 1);
    assert_eq!(shared["questions_dropped_from_judgments"], 0);
    // A null grade is unreadable, not a grade of a system of its own to drop.
    assert_eq!(shared["systems_dropped_from_grades"], serde_json::json!([]));
    assert_eq!(r["methods"][1]["unreadable"], 1);
    let methods = r["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 2);
    for (m, name) in methods.iter().zip(["relative", "absolute"]) {
        assert_eq!(m["method"], name);
        assert_eq!(
            (m["systems"].as_u64(), m["questions"].as_u64()),
            (Some(4), Some(60))
        );
        let h = &m["split_half"];
        assert_eq!(h["splits"], 60);
        assert_eq!(h["used"], 60, "{h}");
        let rho = h["rho"]["mean"].as_f64().unwrap();
        assert!(rho > 0.9 && rho <= 1.0, "{name}: {h}");
        assert!(h["tau_b"]["mean"].as_f64().unwrap() > 0.8, "{h}");
        assert!(h["rho"]["p2_5"].as_f64().unwrap() <= h["rho"]["p97_5"].as_f64().unwrap());
        let brown = h["spearman_brown"].as_f64().unwrap();
        assert!((brown - 2.0 * rho / (1.0 + rho)).abs() < 1e-12, "{h}");
        let sep = &m["separation"];
        assert_eq!(
            (sep["systems"].as_u64(), sep["pairs"].as_u64()),
            (Some(4), Some(6))
        );
        assert_eq!(sep["share"], 1.0, "{name}: {sep}");
        let order: Vec<&str> = m["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["system"].as_str().unwrap())
            .collect();
        assert_eq!(order, ["best", "good", "fair", "weak"]);
    }

    // The same inputs and seed give the same bytes; another seed other splits.
    let again = tmp.path().join("again.json");
    run(&again, "3");
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    let other = tmp.path().join("other.json");
    run(&other, "4");
    assert_ne!(std::fs::read(&out).unwrap(), std::fs::read(&other).unwrap());
}

#[test]
fn one_method_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, grades) = write_run(tmp.path());
    let out = tmp.path().join("r.json");
    ok(&[
        "reliability",
        "--grades",
        s(&grades),
        "--splits",
        "20",
        "--bootstrap",
        "20",
        "--out",
        s(&out),
    ]);
    let r = read_json(&out);
    assert!(r["shared"].is_null());
    let methods = r["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 1);
    assert_eq!(methods[0]["method"], "absolute");
    // The extra question counts here, and the null grade is reported, not scored.
    assert_eq!(methods[0]["questions"], 61);
    assert_eq!(methods[0]["unreadable"], 1);
    assert_eq!(methods[0]["systems"], 4);
}

#[test]
fn bad_input_is_refused_with_its_file_and_line_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let (judgments, grades) = write_run(tmp.path());
    let out = tmp.path().join("r.json");
    let refused = |args: &[&str]| {
        let err = fails(args);
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
        err
    };

    let empty = tmp.path().join("empty.jsonl");
    std::fs::write(&empty, "\n").unwrap();
    let err = refused(&["reliability", "--judgments", s(&empty), "--out", s(&out)]);
    assert!(err.contains("empty.jsonl: holds no judgments"), "{err}");
    let err = refused(&[
        "reliability",
        "--judgments",
        s(&judgments),
        "--grades",
        s(&empty),
        "--out",
        s(&out),
    ]);
    assert!(err.contains("empty.jsonl: holds no grades"), "{err}");

    let text = std::fs::read_to_string(&grades).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut second: Value = serde_json::from_str(&lines[1]).unwrap();
    second["grade"] = 11.into();
    lines[1] = second.to_string();
    let eleven = tmp.path().join("eleven.jsonl");
    std::fs::write(&eleven, lines.join("\n")).unwrap();
    let err = refused(&["reliability", "--grades", s(&eleven), "--out", s(&out)]);
    assert!(
        err.contains("eleven.jsonl:2: field `grade`: 11 is outside the rubric's 1 to 10"),
        "{err}"
    );
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[2] = "{\"question_id\": \"q\", \"model\": ".into();
    let broken = tmp.path().join("broken.jsonl");
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let err = refused(&[
        "reliability",
        "--judgments",
        s(&judgments),
        "--grades",
        s(&broken),
        "--out",
        s(&out),
    ]);
    assert!(
        err.contains("broken.jsonl:3:") && err.contains("not valid JSON"),
        "{err}"
    );

    let err = refused(&[
        "reliability",
        "--grades",
        s(&grades),
        "--splits",
        "0",
        "--out",
        s(&out),
    ]);
    assert!(
        err.contains("--splits 0") && err.contains("at least 1"),
        "{err}"
    );
    let err = refused(&["reliability", "--out", s(&out)]);
    assert!(
        err.contains("nothing to measure")
            && err.contains("--judgments")
            && err.contains("--grades"),
        "{err}"
    );

    let folder = tmp.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let err = fails(&["reliability", "--grades", s(&grades), "--out", s(&folder)]);
    assert!(
        err.contains("a-folder") && err.contains("is a folder"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        0,
        "left something in the folder"
    );

    // A usage error is not one of these: it exits 2, as clap does.
    assert_eq!(
        longforge(&["reliability", "--splits", "many"])
            .status
            .code(),
        Some(2)
    );
}
