//! Scoring through the binary: the scoring spec a manifest records, `score --summary` figures,
//! the printed table and Markdown report (golden files), and folders from an earlier generator.
//!
//! Golden files are rewritten, not compared, with `LONGFORGE_BLESS=1 cargo test --test scoring`
//! (`just bless`); review the diff before committing it.

mod support;

use std::path::Path;

use serde_json::Value;
use support::cli::{fails, golden, ok, read_lines, s, score};

/// A small single-needle dataset with two lengths and two depths, answered by the oracle, by
/// `random`, and by a model that answered only some samples.
fn scored(tmp: &Path) -> (std::path::PathBuf, Vec<std::path::PathBuf>) {
    let dir = tmp.join("single");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lengths",
        "512,1k",
        "--depths",
        "0,100",
        "--count",
        "3",
        "--seed",
        "11",
        "--out",
        s(&dir),
    ]);
    let mut files = Vec::new();
    for b in ["oracle", "random"] {
        let f = tmp.join(format!("{b}.jsonl"));
        ok(&["run", "--dataset", s(&dir), "--baseline", b, "--out", s(&f)]);
        files.push(f);
    }
    // `partial` answers the first five samples right, and nothing else.
    let oracle = std::fs::read_to_string(&files[0]).unwrap();
    let partial: String = oracle
        .lines()
        .take(5)
        .map(|l| l.replace("\"model\":\"oracle\"", "\"model\":\"partial\"") + "\n")
        .collect();
    let f = tmp.join("partial.jsonl");
    std::fs::write(&f, partial).unwrap();
    files.push(f);
    (dir, files)
}

#[test]
fn the_manifest_names_the_scoring_and_summaries_carry_every_figure() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, files) = scored(tmp.path());
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["scoring"],
        serde_json::json!({"single": {"scorer": "needles", "metrics": ["mean"]}})
    );
    let summary = tmp.path().join("summary.jsonl");
    let scores = tmp.path().join("scores.jsonl");
    score(&dir, &scores, &["--summary", s(&summary)], &files);
    let rows = read_lines(&summary);
    // 3 models x (1 whole-task + 4 cells) x 4 figures.
    assert_eq!(rows.len(), 60);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "model",
            "family",
            "task",
            "metric",
            "value",
            "n",
            "ci_low",
            "ci_high",
            "level",
            "axes",
            "missing",
            "unanswered",
            "truncated"
        ]
    );
    let find = |model: &str, metric: &str, axes: Value| {
        rows.iter()
            .find(|r| r["model"] == model && r["metric"] == metric && r["axes"] == axes)
            .unwrap_or_else(|| panic!("no row {model} {metric} {axes}"))
    };
    let whole = find("oracle", "needle_f1", serde_json::json!({}));
    assert_eq!(
        (whole["value"].as_f64(), whole["n"].as_u64()),
        (Some(1.0), Some(12))
    );
    assert_eq!(whole["family"], "needlebench");
    assert_eq!(whole["level"], 0.95);
    // 12 of 12 right at 95%: Wilson lower bound 0.7575, upper 1.
    assert!(
        (whole["ci_low"].as_f64().unwrap() - 0.7575).abs() < 1e-4,
        "{whole}"
    );
    assert_eq!(whole["ci_high"], 1.0);
    let cell = find(
        "random",
        "extraction_rate",
        serde_json::json!({"lang": "en", "length": "1k", "depth": "100"}),
    );
    assert_eq!(
        (cell["value"].as_f64(), cell["n"].as_u64()),
        (Some(1.0), Some(3))
    );
    // The partial model: 5 answered, 7 missing, and missing is not scored 0.
    let partial = find("partial", "needle_f1", serde_json::json!({}));
    assert_eq!(partial["n"], 5);
    assert_eq!(partial["missing"], 7);
    assert_eq!(partial["value"], 1.0);
    let empty = rows
        .iter()
        .find(|r| r["model"] == "partial" && r["n"] == 0)
        .expect("a cell the partial model never answered");
    assert!(
        empty["value"].is_null() && empty["ci_low"].is_null(),
        "{empty}"
    );
    assert_eq!(empty["missing"], 3);

    let err = fails(&[
        "score",
        "--dataset",
        s(&dir),
        "--out",
        s(&tmp.path().join("x.jsonl")),
        "--level",
        "1.5",
        "--predictions",
        s(&files[0]),
    ]);
    assert!(err.contains("--level 1.5"), "{err}");
}

#[test]
fn the_printed_table_and_the_report_match_their_golden_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, files) = scored(tmp.path());
    let report = tmp.path().join("report.md");
    let scores = tmp.path().join("scores.jsonl");
    let out = score(&dir, &scores, &["--report", s(&report)], &files);
    let table = String::from_utf8(out.stdout).unwrap();
    // Every line has as many columns as the header.
    let widths: Vec<usize> = table
        .lines()
        .map(|l| l.split_whitespace().count())
        .collect();
    assert!(widths.iter().all(|&w| w == widths[0]), "{table}");
    golden("score-table.txt", &table);
    golden(
        "score-report.md",
        &std::fs::read_to_string(&report).unwrap(),
    );
}

/// `tests/fixtures/needlebench-manifest-v2` was written with manifest version 2 (longforge
/// before commit 853eccd: `generate needlebench --task single --lengths 1k --depths 0,100 --count 1
/// --seed 3`), whose Parquet text columns carry min and max statistics that version 3 dropped:
/// `verify` writes it again the way it was written.
#[test]
fn a_manifest_version_2_folder_still_verifies() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/needlebench-manifest-v2");
    let manifest = std::fs::read_to_string(fixture.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"manifest_version\": 2"));
    let out = ok(&["verify", s(&fixture)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("regenerates byte for byte"));
    // The same parameters today write version 3, whose Parquet bytes differ.
    let tmp = tempfile::tempdir().unwrap();
    let now = tmp.path().join("now");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lengths",
        "1k",
        "--depths",
        "0,100",
        "--count",
        "1",
        "--seed",
        "3",
        "--out",
        s(&now),
    ]);
    let read = |dir: &Path, f: &str| std::fs::read(dir.join(f)).unwrap();
    assert_eq!(read(&now, "samples.jsonl"), read(&fixture, "samples.jsonl"));
    assert_ne!(
        read(&now, "samples.parquet"),
        read(&fixture, "samples.parquet")
    );
}

/// `tests/fixtures/needlebench-0.1.0` was written by generator 0.1.0 (longforge at commit
/// 936cc60: `generate needlebench --task atc --needles 2,3 --count 2 --seed 3`), before samples
/// carried axes and manifests recorded scoring.
#[test]
fn a_folder_from_generator_0_1_0_still_verifies_and_scores() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/needlebench-0.1.0");
    let out = ok(&["verify", s(&fixture)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("regenerates byte for byte"));
    let tmp = tempfile::tempdir().unwrap();
    let oracle = tmp.path().join("oracle.jsonl");
    ok(&[
        "run",
        "--dataset",
        s(&fixture),
        "--baseline",
        "oracle",
        "--out",
        s(&oracle),
    ]);
    let summary = tmp.path().join("summary.jsonl");
    ok(&[
        "score",
        "--dataset",
        s(&fixture),
        "--out",
        s(&tmp.path().join("scores.jsonl")),
        "--summary",
        s(&summary),
        "--predictions",
        s(&oracle),
    ]);
    let rows = read_lines(&summary);
    assert_eq!(
        rows[0]["metric"], "exact_match",
        "the family's spec for atc"
    );
    assert_eq!(rows[0]["value"], 1.0);
    // Without axes, the whole task is the only cell.
    assert!(rows.iter().all(|r| r["axes"] == serde_json::json!({})));
    // The random baseline needs candidates that 0.1.0 did not write: a clear refusal.
    let err = fails(&[
        "run",
        "--dataset",
        s(&fixture),
        "--baseline",
        "random",
        "--out",
        s(&oracle),
    ]);
    assert!(
        err.contains("meta.baseline") && err.contains("regenerate"),
        "{err}"
    );
}
