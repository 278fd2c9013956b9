//! Long-span QA from the command line, offline: world questions generated, verified and
//! answered by the baselines; the summary by kind; the rule judge, grader, ranking and
//! reliability on them; each answering system's first request (`run --dry-run`); and bad flags
//! refused with the flag named.

mod support;

use std::path::Path;

use serde_json::Value;
use support::cli::{fails, ok, read_lines, s, score};

fn generate(dir: &Path) {
    ok(&[
        "generate",
        "longspan",
        "--lengths",
        "16k",
        "--questions",
        "12",
        "--seed",
        "5",
        "--out",
        s(dir),
    ]);
}

#[test]
fn world_questions_verify_score_judge_and_rank() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    generate(&data);
    ok(&["verify", s(&data)]);
    let mut files = Vec::new();
    for b in ["oracle", "random", "shortcut"] {
        let out = tmp.path().join(format!("{b}.jsonl"));
        ok(&[
            "run",
            "--dataset",
            s(&data),
            "--baseline",
            b,
            "--out",
            s(&out),
        ]);
        files.push(out);
    }
    let summary = tmp.path().join("summary.jsonl");
    score(
        &data,
        &tmp.path().join("scores.jsonl"),
        &["--summary", s(&summary)],
        &files,
    );
    let rows = read_lines(&summary);
    let whole = |model: &str| -> f64 {
        rows.iter()
            .find(|r| {
                r["model"] == model
                    && r["metric"] == "key_recall"
                    && r["axes"] == serde_json::json!({})
            })
            .and_then(|r| r["value"].as_f64())
            .unwrap_or_else(|| panic!("no key_recall for {model}"))
    };
    assert_eq!(whole("oracle"), 1.0);
    assert!(whole("random") < 0.5 && whole("shortcut") < 0.5, "{rows:?}");
    let kinds: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter_map(|r| r["axes"]["kind"].as_str())
        .collect();
    assert!(kinds.len() >= 5, "{kinds:?}");
    let judgments = tmp.path().join("judgments.jsonl");
    let grades = tmp.path().join("grades.jsonl");
    let mut judge = vec![
        "judge",
        "--dataset",
        s(&data),
        "--judge",
        "rule",
        "--out",
        s(&judgments),
        "--predictions",
    ];
    judge.extend(files.iter().map(|f| s(f)));
    ok(&judge);
    let mut grade = vec![
        "grade",
        "--dataset",
        s(&data),
        "--judge",
        "rule",
        "--out",
        s(&grades),
        "--predictions",
    ];
    grade.extend(files.iter().map(|f| s(f)));
    ok(&grade);
    // Three systems, three pairs, both orders, twelve questions.
    assert_eq!(read_lines(&judgments).len(), 72);
    let ratings = tmp.path().join("ratings.json");
    ok(&[
        "rank",
        "--battles",
        s(&judgments),
        "--prior",
        "1",
        "--bootstrap",
        "100",
        "--out",
        s(&ratings),
    ]);
    let ranking: Value = serde_json::from_str(&std::fs::read_to_string(&ratings).unwrap()).unwrap();
    assert_eq!(ranking["ratings"][0]["model"], "oracle");
    let reliability = tmp.path().join("reliability.json");
    ok(&[
        "reliability",
        "--judgments",
        s(&judgments),
        "--grades",
        s(&grades),
        "--splits",
        "50",
        "--bootstrap",
        "100",
        "--out",
        s(&reliability),
    ]);
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&reliability).unwrap()).unwrap();
    assert_eq!(r["methods"].as_array().unwrap().len(), 2, "{r}");
}

#[test]
fn each_system_reads_the_book_its_own_way() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    generate(&data);
    let book = read_lines(&data.join("contexts.jsonl"))[0]["text"]
        .as_str()
        .unwrap()
        .to_string();
    let first_request = |system: &str, extra: &[&str]| -> String {
        let mut args = vec![
            "run",
            "--dataset",
            s(&data),
            "--model",
            "m=http://127.0.0.1:9/v1",
            "--system",
            system,
            "--dry-run",
            "--out",
            "unused.jsonl",
        ];
        args.extend(extra);
        let out = ok(&args);
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let whole = first_request("full", &[]);
    assert!(whole.contains("(model m@full,"), "{whole}");
    let dump = |t: &str| serde_json::to_string(t).unwrap();
    let last_paragraph = book.rsplit("\n\n").next().unwrap();
    assert!(whole.contains(dump(last_paragraph).trim_matches('"')));
    let none = first_request("no-context", &[]);
    assert!(none.contains("m@no-context") && none.contains("The book is not shown"));
    assert!(!none.contains(dump(last_paragraph).trim_matches('"')));
    let some = first_request("retrieval", &["--top-k", "2", "--chunk-tokens", "300"]);
    assert!(some.contains("m@retrieval-k2-c300"), "{some}");
    assert!(some.len() < whole.len() / 5, "two passages, not the book");
    let part = first_request("map-reduce", &["--chunk-tokens", "2000"]);
    assert!(
        part.contains("m@map-reduce-c2000") && part.contains("Below is part 1 of"),
        "{part}"
    );
}

#[test]
fn bad_flags_are_refused_with_the_flag_named() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    generate(&data);
    let out = s(&tmp.path().join("p.jsonl")).to_string();
    let err = fails(&[
        "run",
        "--dataset",
        s(&data),
        "--model",
        "m=http://x/v1",
        "--system",
        "rag",
        "--out",
        &out,
    ]);
    assert!(err.contains("unknown answering system `rag`"), "{err}");
    let err = fails(&[
        "run",
        "--dataset",
        s(&data),
        "--model",
        "m=http://x/v1",
        "--top-k",
        "3",
        "--out",
        &out,
    ]);
    assert!(err.contains("--system retrieval"), "{err}");
    let err = fails(&[
        "run",
        "--dataset",
        s(&data),
        "--model",
        "m=http://x/v1",
        "--system",
        "retrieval",
        "--top-k",
        "0",
        "--out",
        &out,
    ]);
    assert!(err.contains("--top-k must be at least 1"), "{err}");
    // A dataset whose samples carry their context inline has no book to read differently.
    let needles = tmp.path().join("n");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lengths",
        "1k",
        "--depths",
        "50",
        "--count",
        "1",
        "--out",
        s(&needles),
    ]);
    let err = fails(&[
        "run",
        "--dataset",
        s(&needles),
        "--model",
        "m=http://x/v1",
        "--system",
        "full",
        "--out",
        &out,
    ]);
    assert!(err.contains("contexts.jsonl"), "{err}");
    assert!(!Path::new(&out).exists());
    let err = fails(&[
        "generate",
        "longspan",
        "--lengths",
        "16k",
        "--generator",
        "g=http://x/v1",
        "--out",
        s(&tmp.path().join("x")),
    ]);
    assert!(err.contains("asks no model"), "{err}");
    let err = fails(&[
        "generate",
        "longspan",
        "--lengths",
        "16k",
        "--store",
        s(tmp.path()),
        "--out",
        s(&tmp.path().join("x")),
    ]);
    assert!(err.contains("--generator"), "{err}");
    let err = fails(&[
        "generate",
        "longspan",
        "--book",
        s(&tmp.path().join("missing.txt")),
        "--generator",
        "g=http://x/v1",
        "--out",
        s(&tmp.path().join("x")),
    ]);
    assert!(err.contains("missing.txt"), "{err}");
    let err = fails(&[
        "generate",
        "longspan",
        "--lengths",
        "4k",
        "--questions",
        "90",
        "--out",
        s(&tmp.path().join("x")),
    ]);
    assert!(err.contains("supports only"), "{err}");
    let err = fails(&[
        "generate",
        "longspan",
        "--entities",
        "3",
        "--out",
        s(&tmp.path().join("x")),
    ]);
    assert!(
        err.contains("--entities") && err.contains("--book"),
        "{err}"
    );
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn predictions_made_on_another_seed_are_refused_though_their_ids_match() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate(&a);
    ok(&[
        "generate",
        "longspan",
        "--lengths",
        "16k",
        "--questions",
        "12",
        "--seed",
        "6",
        "--out",
        s(&b),
    ]);
    let on_b = tmp.path().join("b.jsonl");
    ok(&[
        "run",
        "--dataset",
        s(&b),
        "--baseline",
        "oracle",
        "--out",
        s(&on_b),
    ]);
    let out = tmp.path().join("x.jsonl");
    for command in ["score", "judge", "grade"] {
        let mut args = vec![
            command,
            "--dataset",
            s(&a),
            "--out",
            s(&out),
            "--predictions",
            s(&on_b),
        ];
        if command != "score" {
            args.extend(["--judge", "rule"]);
        }
        let err = fails(&args);
        assert!(err.contains("answers another dataset"), "{command}: {err}");
        assert!(err.contains("b.jsonl:1"), "{command}: {err}");
    }
    assert!(!out.exists());
    // On their own dataset they score.
    score(&b, &out, &[], &[on_b]);
}
