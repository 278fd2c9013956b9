//! LongProc from the command line: generate each task at small levels, verify, answer with the
//! oracle and random baselines, score; bad flags refused with the flag named, nothing written.

mod support;

use serde_json::Value;
use support::cli::{fails, ok, read_lines, s, score};

const VALUES: [&str; 4] = [
    "accuracy",
    "prefix_credit",
    "resync_credit",
    "extraction_rate",
];

/// HTML to TSV's values: F1 over rows first.
const TSV_VALUES: [&str; 7] = [
    "f1",
    "precision",
    "recall",
    "prefix_credit",
    "resync_credit",
    "header_ok",
    "extraction_rate",
];

#[test]
fn each_task_runs_through_generate_verify_run_and_score() {
    let tmp = tempfile::tempdir().unwrap();
    for (task, dial) in [
        ("path-traversal", ["--distractors", "0.5,2"]),
        ("countdown", ["--numbers", "4,5"]),
        ("html-to-tsv", ["--noise", "0,0.5"]),
        ("tom-tracking", ["--agents", "2,5"]),
        ("travel-planning", ["--fixed", "0.2,0.5"]),
        // Scoring compiles every answer with g++ (oracle and random: 16 compiles).
        ("pseudo-to-code", ["--tests", "3,5"]),
    ] {
        let dir = tmp.path().join(task);
        ok(&[
            "generate",
            "longproc",
            "--task",
            task,
            "--levels",
            "0.5k,1.5k",
            dial[0],
            dial[1],
            "--count",
            "2",
            "--seed",
            "7",
            "--out",
            s(&dir),
        ]);
        let manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap())
                .unwrap();
        assert_eq!(
            manifest["params"]["levels"],
            serde_json::json!(["0.5k", "1.5k"])
        );
        let samples = read_lines(&dir.join("samples.jsonl"));
        assert_eq!(samples.len(), 2 * 2 * 2, "{task}: levels x dial x count");
        for sample in &samples {
            let level = sample["meta"]["target_tokens"].as_f64().unwrap();
            let got = sample["meta"]["output_tokens"].as_f64().unwrap();
            assert!((got - level).abs() <= 0.25 * level, "{}", sample["id"]);
            let axes = sample["meta"]["axes"].as_object().unwrap();
            assert!(axes.contains_key("level") && axes.contains_key("difficulty"));
        }
        ok(&["verify", s(&dir)]);

        let mut files = Vec::new();
        for b in ["oracle", "random"] {
            let f = tmp.path().join(format!("{task}-{b}.jsonl"));
            ok(&["run", "--dataset", s(&dir), "--baseline", b, "--out", s(&f)]);
            files.push(f);
        }
        let out = tmp.path().join(format!("{task}-scores.jsonl"));
        score(&dir, &out, &[], &files);
        let scores = read_lines(&out);
        let values: &[&str] = if task == "html-to-tsv" {
            &TSV_VALUES
        } else {
            &VALUES
        };
        for &value in values {
            let of = |model: &str| -> Vec<f64> {
                scores
                    .iter()
                    .filter(|r| r["model"] == model && r["metric"] == value)
                    .map(|r| r["value"].as_f64().unwrap())
                    .collect()
            };
            let oracle = of("oracle");
            assert_eq!(oracle.len(), samples.len(), "{task} {value}");
            assert!(
                oracle.iter().all(|&v| v == 1.0),
                "{task} oracle {value}: {oracle:?}"
            );
            let random = of("random");
            assert_eq!(random.len(), samples.len(), "{task} {value}");
            if value == "extraction_rate" {
                assert!(random.iter().all(|&v| v == 1.0), "random answers in format");
            } else if matches!(value, "recall" | "header_ok") {
                // Random writes the header and one row more than the gold table, drawn from
                // every entity on the page: it may hold every gold row.
                assert!(
                    random.iter().all(|&v| (0.0..=1.0).contains(&v)),
                    "{task} random {value}: {random:?}"
                );
            } else {
                assert!(
                    random.iter().all(|&v| (0.0..1.0).contains(&v)),
                    "{task} random {value}: {random:?}"
                );
            }
        }
    }
}

#[test]
fn bad_flags_are_refused_naming_the_flag_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    for (args, says) in [
        (
            vec!["--task", "sorting"],
            vec![
                "--task",
                "sorting",
                "path-traversal, countdown, html-to-tsv, tom-tracking, travel-planning, pseudo-to-code",
            ],
        ),
        (vec![], vec!["--task", "missing"]),
        (
            vec!["--task", "countdown", "--levels", "2q"],
            vec!["--levels", "2q"],
        ),
        (
            vec!["--task", "countdown", "--levels", "100k"],
            vec!["--levels", "100k"],
        ),
        (
            vec!["--task", "countdown", "--levels", "8k", "--numbers", "3"],
            vec!["--numbers", "8k"],
        ),
        (
            vec!["--task", "countdown", "--distractors", "1"],
            vec!["--distractors", "does not take"],
        ),
        (
            vec!["--task", "html-to-tsv", "--noise", "0.9"],
            vec!["--noise", "0.9"],
        ),
        (
            vec!["--task", "tom-tracking", "--agents", "1"],
            vec!["--agents", "1"],
        ),
        (
            vec!["--task", "pseudo-to-code", "--tests", "0"],
            vec!["--tests", "1 to 100"],
        ),
        (
            vec!["--task", "path-traversal", "--lengths", "4k"],
            vec!["--lengths", "--levels"],
        ),
        (
            vec!["--task", "travel-planning", "--fixed", "0.9"],
            vec!["--fixed", "0.9", "0.6"],
        ),
        (
            vec!["--task", "travel-planning", "--fixed", "0"],
            vec!["--fixed", "0.1"],
        ),
    ] {
        let mut line = vec!["generate", "longproc"];
        line.extend(&args);
        line.extend(["--out", s(&dir)]);
        let err = fails(&line);
        for word in says {
            assert!(err.contains(word), "{args:?}: {err}");
        }
        assert!(!dir.exists(), "{args:?}: nothing is written: {err}");
    }
}

#[test]
fn the_listing_shows_the_family_its_tasks_and_flags() {
    let out = ok(&["generate", "--list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "longproc",
        "path-traversal",
        "countdown",
        "levels",
        "distractors",
        "numbers",
        "html-to-tsv",
        "noise",
        "tom-tracking",
        "agents",
        "travel-planning",
        "fixed",
        "pseudo-to-code",
        "tests",
    ] {
        assert!(text.contains(word), "{word}: {text}");
    }
}

/// `score --no-exec` (or `--scorer cpp_no_exec`) compiles and runs nothing, and every score row
/// says so.
#[test]
fn pseudo_to_code_scores_without_executing_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    ok(&[
        "generate",
        "longproc",
        "--task",
        "pseudo-to-code",
        "--levels",
        "0.5k",
        "--seed",
        "3",
        "--out",
        s(&dir),
    ]);
    let oracle = tmp.path().join("oracle.jsonl");
    ok(&[
        "run",
        "--dataset",
        s(&dir),
        "--baseline",
        "oracle",
        "--out",
        s(&oracle),
    ]);
    for how in [&["--scorer", "cpp_no_exec"][..], &["--no-exec"][..]] {
        let out = tmp.path().join("scores.jsonl");
        score(&dir, &out, how, std::slice::from_ref(&oracle));
        let rows = read_lines(&out);
        let metrics: Vec<&str> = rows.iter().map(|r| r["metric"].as_str().unwrap()).collect();
        assert_eq!(
            metrics,
            ["prefix_credit", "resync_credit", "extraction_rate"],
            "{how:?}"
        );
        assert!(rows.iter().all(|r| r["value"] == 1.0), "{rows:?}");
        assert_eq!(rows[0]["details"]["executed"], false, "{}", rows[0]);
    }
}
