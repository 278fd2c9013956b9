//! Generation at scale: `generate --shard I/N` writes exactly the samples a single run places in
//! shard I, and `merge` joins the shards into a folder byte-identical to the single run.

mod support;

use std::path::Path;

use support::cli::{fails, ok, s};

fn generate(dir: &Path, shard: Option<&str>) {
    let mut args = vec![
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--lengths",
        "none,512",
        "--needles",
        "2,4",
        "--count",
        "5",
        "--seed",
        "21",
        "--out",
        s(dir),
    ];
    if let Some(shard) = shard {
        args.extend(["--shard", shard]);
    }
    ok(&args);
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn shards_merge_into_the_single_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    generate(&single, None);
    let shards: Vec<_> = (1..=3)
        .map(|i| tmp.path().join(format!("shard{i}")))
        .collect();
    for (i, dir) in shards.iter().enumerate() {
        generate(dir, Some(&format!("{}/3", i + 1)));
        ok(&["verify", s(dir)]);
    }
    // 20 samples in blocks of 6, 7, 7.
    let lines = |d: &Path| {
        std::fs::read_to_string(d.join("samples.jsonl"))
            .unwrap()
            .lines()
            .count()
    };
    assert_eq!(
        shards.iter().map(|d| lines(d)).collect::<Vec<_>>(),
        [6, 7, 7]
    );
    let merged = tmp.path().join("merged");
    ok(&[
        "merge",
        s(&shards[2]),
        s(&shards[0]),
        s(&shards[1]),
        "--out",
        s(&merged),
    ]);
    assert_eq!(
        files(&merged),
        files(&single),
        "every file, the manifest and the dataset card included"
    );
    let names: Vec<String> = files(&merged).into_iter().map(|f| f.0).collect();
    assert!(
        names.iter().any(|n| n == "README.md") && names.iter().any(|n| n == "evidence.svg"),
        "{names:?}"
    );
    // A shard's own card says how to make that shard.
    let card = std::fs::read_to_string(shards[1].join("README.md")).unwrap();
    assert!(card.contains("--shard 2/3 --out DIR"), "{card}");
    ok(&["verify", s(&merged)]);

    // Refusals: a shard missing, a shard twice, a shard of another generation, a bad --shard.
    let out = tmp.path().join("x");
    let err = fails(&["merge", s(&shards[0]), s(&shards[1]), "--out", s(&out)]);
    assert!(
        err.contains("shard 3/3") && err.contains("not among"),
        "{err}"
    );
    let err = fails(&[
        "merge",
        s(&shards[0]),
        s(&shards[0]),
        s(&shards[1]),
        s(&shards[2]),
        "--out",
        s(&out),
    ]);
    assert!(err.contains("given twice"), "{err}");
    let other = tmp.path().join("other");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--needles",
        "2",
        "--count",
        "3",
        "--seed",
        "1",
        "--shard",
        "3/3",
        "--out",
        s(&other),
    ]);
    let err = fails(&[
        "merge",
        s(&shards[0]),
        s(&shards[1]),
        s(&other),
        "--out",
        s(&out),
    ]);
    assert!(err.contains("another generation"), "{err}");
    let err = fails(&["merge", s(&single), "--out", s(&out)]);
    assert!(err.contains("not a shard"), "{err}");
    let err = fails(&[
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--shard",
        "4/3",
        "--out",
        s(&out),
    ]);
    assert!(err.contains("--shard 4/3"), "{err}");
    assert!(!out.exists(), "nothing is left behind");

    // More shards than samples: the empty shards record no scoring spec, and still merge.
    let few = |dir: &Path, shard: Option<String>| {
        let mut args = vec![
            "generate",
            "needlebench",
            "--task",
            "atc",
            "--needles",
            "2,3,4",
            "--out",
            s(dir),
        ];
        if let Some(shard) = &shard {
            args.extend(["--shard", shard.as_str()]);
        }
        ok(&args);
    };
    let small = tmp.path().join("small");
    few(&small, None);
    let parts: Vec<_> = (1..=5)
        .map(|i| tmp.path().join(format!("small{i}")))
        .collect();
    for (i, dir) in parts.iter().enumerate() {
        few(dir, Some(format!("{}/5", i + 1)));
    }
    let joined = tmp.path().join("small-merged");
    let mut args = vec!["merge", "--out", s(&joined)];
    args.extend(parts.iter().map(|p| s(p)));
    ok(&args);
    assert_eq!(files(&joined), files(&small));
}
