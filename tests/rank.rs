//! `longforge rank` on Arena-format battles: tables written, intervals around the fit, a clear
//! refusal (naming the models) where no finite fit exists, `--prior` and `--anchor`.

use std::path::Path;
use std::process::Command;

fn longforge(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_longforge"))
        .args(args)
        .output()
        .unwrap()
}

fn write(path: &Path, lines: &[(&str, &str, &str, u32)]) {
    let text: String = lines
        .iter()
        .map(|(a, b, w, q)| format!("{{\"question_id\": {q}, \"model_a\": \"{a}\", \"model_b\": \"{b}\", \"winner\": \"{w}\"}}\n"))
        .collect();
    std::fs::write(path, text).unwrap();
}

#[test]
fn ranks_with_intervals_and_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let battles = tmp.path().join("b.jsonl");
    let mut lines = Vec::new();
    for q in 0..60u32 {
        lines.push((
            "strong",
            "mid",
            if q % 4 == 0 { "model_b" } else { "model_a" },
            q,
        ));
        lines.push((
            "mid",
            "weak",
            if q % 3 == 0 {
                "tie"
            } else if q % 5 == 0 {
                "model_b"
            } else {
                "model_a"
            },
            q,
        ));
        lines.push((
            "weak",
            "strong",
            if q % 6 == 0 { "model_a" } else { "model_b" },
            q,
        ));
    }
    write(&battles, &lines);
    let out = tmp.path().join("r.json");
    let run = longforge(&[
        "rank",
        "--battles",
        battles.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--anchor",
        "mid",
        "1200",
        "--bootstrap",
        "200",
        "--seed",
        "3",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let ratings = r["ratings"].as_array().unwrap();
    let names: Vec<&str> = ratings
        .iter()
        .map(|x| x["model"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["strong", "mid", "weak"]);
    let mid = &ratings[1];
    assert!(
        (mid["rating"].as_f64().unwrap() - 1200.0).abs() < 1e-9,
        "anchored"
    );
    for x in ratings {
        let (lo, v, hi) = (
            x["ci_low"].as_f64().unwrap(),
            x["rating"].as_f64().unwrap(),
            x["ci_high"].as_f64().unwrap(),
        );
        assert!(lo <= v && v <= hi, "{x}");
        assert_eq!(x["battles"].as_f64().unwrap(), 120.0);
    }
    assert_eq!(r["settings"]["bootstrap"], 200);
    assert!(std::fs::read_to_string(out.with_extension("csv"))
        .unwrap()
        .starts_with("model,rating,"));
    assert!(std::fs::read_to_string(out.with_extension("md"))
        .unwrap()
        .contains("| 1 | strong |"));
    // Same seed, same bytes.
    let again = tmp.path().join("r2.json");
    longforge(&[
        "rank",
        "--battles",
        battles.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
        "--anchor",
        "mid",
        "1200",
        "--bootstrap",
        "200",
        "--seed",
        "3",
    ]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    assert!(
        r["tie_parameter"].is_null(),
        "no tie parameter when ties count half"
    );

    // Rao-Kupper: ties an outcome of their own, theta fitted and reported.
    let rk = tmp.path().join("rk.json");
    let run = longforge(&[
        "rank",
        "--battles",
        battles.to_str().unwrap(),
        "--out",
        rk.to_str().unwrap(),
        "--ties",
        "rao-kupper",
        "--bootstrap",
        "50",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&rk).unwrap()).unwrap();
    assert!(
        r["tie_parameter"].as_f64().unwrap() > 1.0,
        "{}",
        r["tie_parameter"]
    );
    assert_eq!(r["settings"]["ties"], "rao-kupper");
    let names: Vec<&str> = r["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["model"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["strong", "mid", "weak"]);
}

#[test]
fn no_finite_fit_is_named_and_a_prior_fixes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let battles = tmp.path().join("b.jsonl");
    write(
        &battles,
        &[
            ("champ", "a", "model_a", 1),
            ("champ", "b", "model_a", 2),
            ("a", "b", "model_a", 3),
            ("b", "a", "model_a", 4),
        ],
    );
    let out = tmp.path().join("r.json");
    let run = longforge(&[
        "rank",
        "--battles",
        battles.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("[champ]") && err.contains("--prior"), "{err}");
    assert!(!out.exists());
    let run = longforge(&[
        "rank",
        "--battles",
        battles.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--prior",
        "1",
        "--bootstrap",
        "50",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    std::fs::write(
        &battles,
        "{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"draw\"}\n",
    )
    .unwrap();
    let run = longforge(&[
        "rank",
        "--battles",
        battles.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("b.jsonl:1") && err.contains("winner") && err.contains("draw"),
        "{err}"
    );
}

#[test]
fn judgments_that_are_all_invalid_say_why_and_the_ways_out() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("j.jsonl");
    let line = |order: &str| {
        format!("{{\"question_id\": \"q1\", \"model_a\": \"m1\", \"model_b\": \"m2\", \"judge\": \"small\", \"order\": \"{order}\", \"verdict\": \"invalid\", \"raw_verdict\": null, \"raw\": \"Both answers are\", \"length_a\": 3, \"length_b\": 4}}\n")
    };
    std::fs::write(&file, line("ab") + &line("ba")).unwrap();
    let f = file.to_str().unwrap();
    let out_path = tmp.path().join("r.json");
    for args in [
        vec!["rank", "--battles", f, "--out", out_path.to_str().unwrap()],
        vec!["agree", f, f],
    ] {
        let out = longforge(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("all 2 verdicts are invalid")
                && err.contains("--verdict-mode logprob")
                && err.contains("--template"),
            "{args:?}: {err}"
        );
    }
    assert!(!out_path.exists());
}

#[test]
fn a_battle_file_or_a_judgment_given_twice_is_refused_not_counted_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("j.jsonl");
    let line = |q: &str, order: &str| {
        format!("{{\"question_id\": \"{q}\", \"model_a\": \"m1\", \"model_b\": \"m2\", \"judge\": \"j\", \"order\": \"{order}\", \"verdict\": \"A>B\", \"raw_verdict\": \"A>B\", \"raw\": \"[[A>B]]\", \"length_a\": 3, \"length_b\": 4}}\n")
    };
    std::fs::write(&file, line("q1", "ab") + &line("q1", "ba")).unwrap();
    let f = file.to_str().unwrap();
    let out = tmp.path().join("r.json");
    let o = out.to_str().unwrap();
    let twice = longforge(&["rank", "--battles", f, f, "--out", o, "--prior", "1"]);
    let err = String::from_utf8_lossy(&twice.stderr);
    assert_eq!(twice.status.code(), Some(1), "{err}");
    assert!(err.contains("twice"), "{err}");
    let copy = tmp.path().join("copy.jsonl");
    std::fs::write(&copy, line("q1", "ba")).unwrap();
    let again = longforge(&[
        "rank",
        "--battles",
        f,
        copy.to_str().unwrap(),
        "--out",
        o,
        "--prior",
        "1",
    ]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(1), "{err}");
    assert!(
        err.contains("copy.jsonl:1") && err.contains("j.jsonl:2") && err.contains("counts once"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_rarely_seen_model_gets_unbounded_sides_and_every_output_says_how_many_rounds() {
    // shared/cases/field-1/rank-rare-model.jsonl, in kind: three models in many battles, and
    // `rare` in two (one win, one loss), so most resamples see it win or lose everything.
    let tmp = tempfile::tempdir().unwrap();
    let battles = tmp.path().join("b.jsonl");
    let mut lines = Vec::new();
    for q in 0..60u32 {
        let (a, b) = [("a", "b"), ("b", "c"), ("a", "c")][q as usize % 3];
        lines.push((a, b, if q % 4 == 0 { "model_b" } else { "model_a" }, q));
    }
    lines.push(("rare", "a", "model_a", 100));
    lines.push(("rare", "b", "model_b", 101));
    write(&battles, &lines);
    let out = tmp.path().join("r.json");
    let run = longforge(&[
        "rank",
        "--battles",
        battles.to_str().unwrap(),
        "--bootstrap",
        "400",
        "--seed",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let degenerate = r["degenerate_rounds"].as_u64().unwrap();
    assert!(
        degenerate > 100,
        "most rounds see rare win or lose all: {degenerate}"
    );
    let ratings = r["ratings"].as_array().unwrap();
    assert_eq!(ratings.len(), 4, "every model is listed");
    let rare = ratings.iter().find(|x| x["model"] == "rare").unwrap();
    assert!(
        rare["ci_low"].is_null() && rare["ci_high"].is_null(),
        "{rare}"
    );
    for x in ratings {
        assert_eq!(
            x["partial_interval"],
            x["interval_rounds"].as_u64().unwrap() < 400
        );
    }
    let a = ratings.iter().find(|x| x["model"] == "a").unwrap();
    assert_eq!(a["interval_rounds"].as_u64().unwrap(), 400 - degenerate);
    assert!(a["ci_low"].as_f64().unwrap() < a["rating"].as_f64().unwrap());
    let md = std::fs::read_to_string(out.with_extension("md")).unwrap();
    assert!(
        md.contains("unbounded to unbounded")
            && md.contains(&format!("{} with a finite fit", 400 - degenerate)),
        "{md}"
    );
    let csv = std::fs::read_to_string(out.with_extension("csv")).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("rare,") && l.contains(",unbounded,unbounded,")),
        "{csv}"
    );
}
