//! No command writes over what it reads: an output that is an input file, lies in the dataset
//! folder, or is another output of the same command is refused before anything is written, and
//! the input is left as it was.

mod support;

use std::path::Path;

use support::cli::{fails, ok, s};

#[test]
fn no_output_may_be_an_input_or_another_output() {
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name);
    let data = t("d");
    ok(&[
        "generate",
        "longspan",
        "--lengths",
        "4k",
        "--questions",
        "3",
        "--out",
        s(&data),
    ]);
    for b in ["oracle", "random"] {
        ok(&[
            "run",
            "--dataset",
            s(&data),
            "--baseline",
            b,
            "--out",
            s(&t(&format!("{b}.jsonl"))),
        ]);
    }
    let judged = t("j.jsonl");
    let graded = t("g.jsonl");
    let (o, r) = (t("oracle.jsonl"), t("random.jsonl"));
    ok(&[
        "judge",
        "--dataset",
        s(&data),
        "--judge",
        "rule",
        "--out",
        s(&judged),
        "--predictions",
        s(&o),
        s(&r),
    ]);
    ok(&[
        "grade",
        "--dataset",
        s(&data),
        "--judge",
        "rule",
        "--out",
        s(&graded),
        "--predictions",
        s(&o),
        s(&r),
    ]);
    let before = |p: &Path| std::fs::read(p).unwrap();
    let kept: Vec<(std::path::PathBuf, Vec<u8>)> = [
        data.join("samples.jsonl"),
        data.join("manifest.json"),
        o.clone(),
        judged.clone(),
        graded.clone(),
    ]
    .into_iter()
    .map(|p| {
        let b = before(&p);
        (p, b)
    })
    .collect();
    let (samples, manifest, x, md) = (
        data.join("samples.jsonl"),
        data.join("manifest.json"),
        t("x.jsonl"),
        t("ratings.md"),
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "run",
                "--dataset",
                s(&data),
                "--baseline",
                "oracle",
                "--out",
                s(&samples),
            ],
            "lies in the input folder",
        ),
        (
            vec![
                "run",
                "--dataset",
                s(&data),
                "--baseline",
                "oracle",
                "--out",
                s(&manifest),
            ],
            "lies in the input folder",
        ),
        (
            vec![
                "score",
                "--dataset",
                s(&data),
                "--out",
                s(&o),
                "--predictions",
                s(&o),
            ],
            "--out",
        ),
        (
            vec![
                "score",
                "--dataset",
                s(&data),
                "--out",
                s(&x),
                "--summary",
                s(&x),
                "--predictions",
                s(&o),
            ],
            "--out and --summary are one file",
        ),
        (
            vec![
                "score",
                "--dataset",
                s(&data),
                "--out",
                s(&x),
                "--report",
                s(&o),
                "--predictions",
                s(&o),
            ],
            "--report",
        ),
        (
            vec![
                "judge",
                "--dataset",
                s(&data),
                "--judge",
                "rule",
                "--out",
                s(&o),
                "--predictions",
                s(&o),
                s(&r),
            ],
            "is the input",
        ),
        (
            vec![
                "grade",
                "--dataset",
                s(&data),
                "--judge",
                "rule",
                "--out",
                s(&o),
                "--predictions",
                s(&o),
                s(&r),
            ],
            "is the input",
        ),
        (
            vec!["rank", "--battles", s(&judged), "--out", s(&judged)],
            "is the input",
        ),
        (
            vec!["rank", "--battles", s(&judged), "--out", s(&md)],
            "--out and the Markdown beside --out are one file",
        ),
        (
            vec!["reliability", "--grades", s(&graded), "--out", s(&graded)],
            "is the input",
        ),
        (
            vec!["agree", s(&judged), s(&judged), "--out", s(&judged)],
            "is the input",
        ),
    ];
    for (args, says) in cases {
        let err = fails(&args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    for (p, b) in kept {
        assert_eq!(before(&p), b, "{} changed", p.display());
    }
    assert!(!x.exists() && !md.exists());
}

#[test]
fn the_request_store_shards_and_numbers_are_guarded_too() {
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name);
    let data = t("d");
    ok(&[
        "generate",
        "longspan",
        "--lengths",
        "4k",
        "--questions",
        "3",
        "--out",
        s(&data),
    ]);
    let model = "m=http://127.0.0.1:9/v1";
    let store = t("store");
    std::fs::create_dir(&store).unwrap();
    let answers = store.join("answers.jsonl");
    let err = fails(&[
        "run",
        "--dataset",
        s(&data),
        "--model",
        model,
        "--store",
        s(&store),
        "--out",
        s(&answers),
    ]);
    assert!(err.contains("lies in the request store"), "{err}");
    let err = fails(&[
        "run",
        "--dataset",
        s(&data),
        "--model",
        model,
        "--store",
        s(&data),
        "--out",
        s(&t("p.jsonl")),
    ]);
    assert!(err.contains("--store") && err.contains("input"), "{err}");
    assert!(!data.join("answers.jsonl").exists());
    let err = fails(&[
        "run",
        "--dataset",
        s(&data),
        "--model",
        model,
        "--temperature",
        "NaN",
        "--out",
        s(&t("p.jsonl")),
    ]);
    assert!(err.contains("--temperature"), "{err}");
    let err = fails(&[
        "run",
        "--dataset",
        s(&data),
        "--model",
        model,
        "--top-p",
        "2",
        "--out",
        s(&t("p.jsonl")),
    ]);
    assert!(err.contains("--top-p"), "{err}");
    // Shards are inputs of merge, even with --force.
    let (one, two) = (t("s1"), t("s2"));
    for (dir, shard) in [(&one, "1/2"), (&two, "2/2")] {
        ok(&[
            "generate",
            "longspan",
            "--lengths",
            "4k",
            "--questions",
            "3",
            "--shard",
            shard,
            "--out",
            s(dir),
        ]);
    }
    let before = std::fs::read(one.join("samples.jsonl")).unwrap();
    let err = fails(&["merge", s(&one), s(&two), "--out", s(&one), "--force"]);
    assert!(err.contains("input"), "{err}");
    assert_eq!(std::fs::read(one.join("samples.jsonl")).unwrap(), before);
    let err = fails(&["merge", s(&one), s(&two), "--out", s(tmp.path()), "--force"]);
    assert!(err.contains("holds the input"), "{err}");
    assert!(two.exists());
    let err = fails(&[
        "generate",
        "longspan",
        "--lengths",
        "4k",
        "--count",
        "100000000000",
        "--out",
        s(&t("x")),
    ]);
    assert!(
        err.starts_with("error: --count") || err.contains("--count"),
        "{err}"
    );
    assert!(!t("x").exists());
}
