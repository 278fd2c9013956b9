//! Runs that are stopped: Ctrl-C stops cleanly (no output half-written, exit 130), `kill -9`
//! loses at most the requests in flight, and the rerun resumes from the store, asking only what
//! was not answered. Also: `--dry-run`, `--limit`, and requests spread over two endpoints.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::chat_server as slow_server;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_longforge")
}

fn dataset(dir: &Path, count: &str) {
    let out = Command::new(bin())
        .args([
            "generate",
            "needlebench",
            "--task",
            "atc",
            "--needles",
            "4",
            "--count",
            count,
            "--out",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
}

/// A dataset of `count` ATC samples in `dir/d`, and where a run's store and predictions go.
fn folders(dir: &Path, count: &str) -> (PathBuf, PathBuf, PathBuf) {
    let data = dir.join("d");
    dataset(&data, count);
    (data, dir.join("store"), dir.join("p.jsonl"))
}

fn run_args<'a>(data: &'a str, model: &'a str, store: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "run",
        "--dataset",
        data,
        "--model",
        model,
        "--server-kind",
        "openai",
        "--concurrency",
        "2",
        "--store",
        store,
        "--out",
        out,
    ]
}

fn stored_lines(store: &Path) -> usize {
    std::fs::read_to_string(store.join("answers.jsonl"))
        .map(|t| t.lines().filter(|l| !l.is_empty()).count())
        .unwrap_or(0)
}

#[test]
fn kill_minus_nine_loses_only_requests_in_flight_and_the_rerun_resumes() {
    let (url, count) = slow_server(Duration::from_millis(150));
    let tmp = tempfile::tempdir().unwrap();
    let (data, store, out) = folders(tmp.path(), "30"); // 30 samples, 2 at a time, 150 ms each: about 2.3 s in all
    let model = format!("m={url}");
    let args = run_args(
        data.to_str().unwrap(),
        &model,
        store.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    let mut child = Command::new(bin())
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(900));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !out.exists(),
        "no predictions file is written by a killed run"
    );
    let kept = stored_lines(&store);
    assert!(
        kept > 0 && kept < 30,
        "some answers were stored before the kill: {kept}"
    );
    // Requests the killed process had already written reach the server a moment later: let them
    // be counted before taking the count the rerun is measured from.
    std::thread::sleep(Duration::from_millis(500));
    let asked_before = count.chats();

    let rerun = Command::new(bin()).args(&args).output().unwrap();
    assert_eq!(
        rerun.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    let asked_again = count.chats() - asked_before;
    assert_eq!(
        asked_again,
        30 - kept,
        "the rerun asks exactly what the store lacks"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 30);
    assert_eq!(stored_lines(&store), 30);
}

#[test]
fn ctrl_c_stops_cleanly() {
    let (url, _) = slow_server(Duration::from_millis(200));
    let tmp = tempfile::tempdir().unwrap();
    let (data, store, out) = folders(tmp.path(), "30");
    let model = format!("m={url}");
    let args = run_args(
        data.to_str().unwrap(),
        &model,
        store.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    let child = Command::new(bin())
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let done = child.wait_with_output().unwrap();
    assert_eq!(done.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(
        stderr.contains("interrupted") && stderr.contains("resume"),
        "{stderr}"
    );
    assert!(
        !out.exists(),
        "an interrupted run writes no partial predictions file"
    );
    let kept = stored_lines(&store);
    assert!(kept < 30, "stopped early");
    // What was stored is intact.
    let text = std::fs::read_to_string(store.join("answers.jsonl")).unwrap_or_default();
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
}

#[test]
fn dry_run_limit_and_two_endpoints_for_one_model() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, store, out) = folders(tmp.path(), "10");
    let dry = Command::new(bin())
        .args([
            "run",
            "--dataset",
            data.to_str().unwrap(),
            "--model",
            "m=http://127.0.0.1:9/v1",
            "--dry-run",
            "--out",
            out.to_str().unwrap(),
            "--max-tokens",
            "77",
        ])
        .output()
        .unwrap();
    assert!(dry.status.success());
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains("POST http://127.0.0.1:9/v1/chat/completions")
            && text.contains("\"max_tokens\": 77"),
        "{text}"
    );
    assert!(!out.exists(), "a dry run writes nothing");

    let (a, count_a) = slow_server(Duration::from_millis(20));
    let (b, count_b) = slow_server(Duration::from_millis(20));
    let run = Command::new(bin())
        .args([
            "run",
            "--dataset",
            data.to_str().unwrap(),
            "--model",
            &format!("m={a}"),
            "--model",
            &format!("m={b}"),
            "--server-kind",
            "openai",
            "--concurrency",
            "1",
        ])
        .args([
            "--limit",
            "8",
            "--store",
            store.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().lines().count(),
        8,
        "--limit 8"
    );
    let (na, nb) = (count_a.chats(), count_b.chats());
    assert_eq!(na + nb, 8);
    assert!(
        na >= 2 && nb >= 2,
        "requests spread over both endpoints: {na} and {nb}"
    );
}

#[test]
fn prompts_too_long_for_the_context_are_skipped_not_sent() {
    let (url, count) = slow_server(Duration::from_millis(1));
    let tmp = tempfile::tempdir().unwrap();
    let (data, out) = (tmp.path().join("d"), tmp.path().join("p.jsonl"));
    dataset(&data, "3");
    for (options, how) in [
        (
            ",tokenizer=cl100k_base,max_context=100",
            "counted with cl100k_base)",
        ),
        // This server cannot count tokens, and no tokenizer is named: cl100k_base plus a margin.
        (",max_context=100", "counted with cl100k_base + 25%)"),
    ] {
        let store = tempfile::tempdir().unwrap();
        let run = Command::new(bin())
            .args([
                "run",
                "--dataset",
                data.to_str().unwrap(),
                "--model",
                &format!("m={url}{options}"),
                "--server-kind",
                "openai",
            ])
            .args([
                "--max-tokens",
                "10",
                "--store",
                store.path().to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(3));
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(text.matches("skipped for context").count(), 3, "{text}");
        assert!(text.contains(how), "{text}");
    }
    assert_eq!(count.chats(), 0, "no chat request was sent");
}

#[test]
fn an_interrupted_generate_leaves_nothing_behind() {
    for signal in ["-INT", "-TERM"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("d");
        let child = Command::new(bin())
            .args([
                "generate",
                "needlebench",
                "--task",
                "single",
                "--lengths",
                "128k",
                "--depths",
                "0,50",
                "--count",
                "200",
                "--out",
                out.to_str().unwrap(),
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until samples are being written into the staging folder.
        let started = std::time::Instant::now();
        let staging = loop {
            let found = std::fs::read_dir(tmp.path()).unwrap().flatten().find(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".longforge-staging")
            });
            if let Some(e) = found.filter(|e| e.path().join("samples.jsonl").exists()) {
                break e.path();
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "generation never started"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let done = child.wait_with_output().unwrap();
        assert_eq!(done.status.code(), Some(130), "{signal}");
        assert!(String::from_utf8_lossy(&done.stderr).contains("interrupted"));
        assert!(
            !staging.exists() && !out.exists(),
            "{signal}: a partial folder is left"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}

#[test]
fn reasoning_replies_cut_off_are_answers_stored_and_not_asked_again() {
    // shared/cases/field-1/server-replies.jsonl, second line: content null, reasoning present,
    // finish_reason length.
    let (url, seen) = support::scripted_server(|_| {
        serde_json::json!({"choices": [{"message": {"role": "assistant", "content": null,
            "reasoning_content": "Let me think about the island and the compass. The text says"},
            "finish_reason": "length"}]})
    });
    let tmp = tempfile::tempdir().unwrap();
    let (data, store, out) = folders(tmp.path(), "3");
    let model = format!("m={url}");
    let args = run_args(
        data.to_str().unwrap(),
        &model,
        store.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    for _ in 0..2 {
        let done = Command::new(bin()).args(&args).output().unwrap();
        assert_eq!(
            done.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert!(String::from_utf8_lossy(&done.stderr).contains("3 answered (3 cut off"));
    }
    assert_eq!(seen.chats(), 3, "the rerun is answered from the store");
    for line in std::fs::read_to_string(&out).unwrap().lines() {
        let p: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(p["status"], "answered");
        assert_eq!(p["output"], "");
        assert_eq!(p["finish_reason"], "length");
        assert!(p["reasoning"].as_str().unwrap().starts_with("Let me think"));
        assert!(p["error"].is_null());
    }
    // Scores count them as answers, and say how many were cut off.
    let summary = tmp.path().join("summary.jsonl");
    let scored = Command::new(bin())
        .args([
            "score",
            "--dataset",
            data.to_str().unwrap(),
            "--predictions",
            out.to_str().unwrap(),
            "--out",
            tmp.path().join("s.jsonl").to_str().unwrap(),
            "--summary",
            summary.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(scored.status.success());
    let whole: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&summary)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (
            whole["n"].as_u64(),
            whole["truncated"].as_u64(),
            whole["unanswered"].as_u64()
        ),
        (Some(3), Some(3), Some(0))
    );
}
