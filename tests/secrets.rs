//! An API key is read from the named variable, sent to the server, and written nowhere else: not
//! to predictions, the store, the terminal, or an error message.

mod support;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const KEY: &str = "sk-longforge-test-7f3a9c1e5b";

fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.push_str(&all_text(&path));
        } else {
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
        }
    }
    out
}

#[test]
fn the_key_goes_to_the_server_and_nowhere_else() {
    let (url, seen) = support::chat_server(Duration::ZERO);
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let bin = env!("CARGO_BIN_EXE_longforge");
    let gen = Command::new(bin)
        .args([
            "generate",
            "needlebench",
            "--task",
            "atc",
            "--count",
            "2",
            "--out",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(gen.status.success());
    let run = |url: &str, out: &str| {
        Command::new(bin)
            .args([
                "run",
                "--dataset",
                data.to_str().unwrap(),
                "--model",
                &format!("m={url},key_env=LF_TEST_KEY"),
                "--server-kind",
                "openai",
                "--max-attempts",
                "1",
                "--timeout",
                "5",
            ])
            .args([
                "--store",
                work.join("store").to_str().unwrap(),
                "--out",
                work.join(out).to_str().unwrap(),
            ])
            .env("LF_TEST_KEY", KEY)
            .output()
            .unwrap()
    };
    let answered = run(&url, "p.jsonl");
    assert_eq!(
        answered.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&answered.stderr)
    );
    assert!(
        seen.headers
            .lock()
            .unwrap()
            .iter()
            .any(|h| h == &format!("authorization: Bearer {KEY}")),
        "the key was sent"
    );

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let other = Command::new(bin)
        .args([
            "generate",
            "needlebench",
            "--task",
            "atc",
            "--seed",
            "5",
            "--out",
            tmp.path().join("d2").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(other.status.success());
    let failed = Command::new(bin)
        .args([
            "run",
            "--dataset",
            tmp.path().join("d2").to_str().unwrap(),
            "--model",
            &format!("m=http://127.0.0.1:{port}/v1,key_env=LF_TEST_KEY"),
            "--max-attempts",
            "1",
        ])
        .args([
            "--store",
            work.join("store").to_str().unwrap(),
            "--out",
            work.join("f.jsonl").to_str().unwrap(),
        ])
        .env("LF_TEST_KEY", KEY)
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(3));

    let mut everything = all_text(&work);
    for out in [&answered, &failed] {
        everything.push_str(&String::from_utf8_lossy(&out.stdout));
        everything.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(
        everything.contains("cannot connect"),
        "the failure was recorded: {everything}"
    );
    assert!(!everything.contains(KEY), "the key leaked");
    assert!(!everything.contains("7f3a9c1e5b"), "part of the key leaked");

    // A key variable that is not set stops the run before any request.
    let unset = Command::new(bin)
        .args([
            "run",
            "--dataset",
            data.to_str().unwrap(),
            "--model",
            &format!("m={url},key_env=LF_UNSET_KEY_VAR"),
            "--out",
            work.join("u.jsonl").to_str().unwrap(),
        ])
        .env_remove("LF_UNSET_KEY_VAR")
        .output()
        .unwrap();
    assert_eq!(unset.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unset.stderr).contains("LF_UNSET_KEY_VAR"));
}
