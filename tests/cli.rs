//! End-to-end: the `longforge` binary run as a user would, on small sizes and real files.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::cli::{fails, longforge, ok, read_lines, s, score};

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn generation_is_byte_identical_and_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        ok(&[
            "generate",
            "needlebench",
            "--task",
            "single",
            "--lengths",
            "1k,2k",
            "--depths",
            "0,50,100",
            "--count",
            "2",
            "--seed",
            "7",
            "--out",
            s(dir),
        ]);
    }
    assert_eq!(
        entries(&a),
        vec![
            "README.md",
            "evidence.svg",
            "manifest.json",
            "samples.jsonl",
            "samples.parquet"
        ],
        "the data, its manifest, and the dataset card with its picture"
    );
    for f in entries(&a) {
        assert_eq!(
            std::fs::read(a.join(&f)).unwrap(),
            std::fs::read(b.join(&f)).unwrap(),
            "{f} differs between equal runs"
        );
    }
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["generator"]["name"], "needlebench");
    assert_eq!(
        manifest["params"]["lengths"],
        serde_json::json!(["1k", "2k"])
    );
    assert_eq!(manifest["counts"]["samples"], 12);
    assert_eq!(manifest["tokenizer"], "cl100k_base");
    let text = std::fs::read_to_string(a.join("manifest.json")).unwrap();
    assert!(
        !text.contains(s(tmp.path())),
        "the manifest must not hold the output path"
    );
    let out = ok(&["verify", s(&a)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("regenerates byte for byte"));
}

#[test]
fn verify_catches_an_edited_sample_even_with_its_digest_updated() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--needles",
        "4",
        "--count",
        "3",
        "--out",
        s(&dir),
    ]);
    let path = dir.join("samples.jsonl");
    let original = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<Value> = original
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let edited_id = lines[1]["id"].as_str().unwrap().to_string();
    lines[1]["reference"]["value"] = Value::String("Somebody Else".into());
    let edited: String = lines
        .iter()
        .map(|l| format!("{}\n", serde_json::to_string(l).unwrap()))
        .collect();
    std::fs::write(&path, &edited).unwrap();

    let err = fails(&["verify", s(&dir)]);
    assert!(
        err.contains("samples.jsonl") && err.contains("SHA-256") && err.contains(&edited_id),
        "{err}"
    );

    // Now also fix up the digest, as a careful forger would.
    let mpath = dir.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&mpath).unwrap()).unwrap();
    for f in manifest["files"].as_array_mut().unwrap() {
        if f["name"] == "samples.jsonl" {
            f["sha256"] = Value::String(sha256_hex(edited.as_bytes()));
            f["bytes"] = Value::from(edited.len());
        }
    }
    std::fs::write(&mpath, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    let err = fails(&["verify", s(&dir)]);
    assert!(
        err.contains("samples.jsonl") && err.contains("line 2") && err.contains(&edited_id),
        "{err}"
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    longforge_datasets::sha256_hex(bytes)
}

#[test]
fn bad_inputs_fail_clearly_and_leave_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let short = tmp.path().join("short.txt");
    std::fs::write(
        &short,
        "A short file about bread.\n\nAnother paragraph about ovens and flour.\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = s(&out);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--task", "sorting"], "unknown task `sorting`"),
        (vec!["--task", "single", "--lengths", "12q"], "length `12q`"),
        (
            vec!["--task", "single", "--depths", "120"],
            "120 is outside 0-100",
        ),
        (
            vec!["--task", "single", "--depths", "-5"],
            "-5 is outside 0-100",
        ),
        (
            vec!["--task", "single", "--tokenizer", "/no/such/tokenizer.json"],
            "/no/such/tokenizer.json",
        ),
        (
            vec!["--task", "single", "--haystack", s(&empty)],
            "holds no text",
        ),
        (
            vec![
                "--task",
                "single",
                "--lengths",
                "8k",
                "--haystack",
                s(&short),
            ],
            "short.txt holds only about",
        ),
        (
            vec!["--task", "single", "--needles", "3"],
            "task single does not take it",
        ),
    ];
    for (extra, expect) in cases {
        let mut args = vec!["generate", "needlebench", "--out", o];
        args.extend(extra.iter().copied());
        let err = fails(&args);
        assert!(
            err.contains(expect),
            "{extra:?}: expected `{expect}` in:\n{err}"
        );
        assert!(!out.exists(), "{extra:?} left an output folder");
        let left: Vec<String> = entries(tmp.path())
            .into_iter()
            .filter(|e| e.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{extra:?} left {left:?}");
    }
    // An existing dataset is never overwritten by accident.
    ok(&["generate", "needlebench", "--task", "atc", "--out", o]);
    let before = std::fs::read(out.join("samples.jsonl")).unwrap();
    let err = fails(&[
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--seed",
        "1",
        "--out",
        o,
    ]);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(out.join("samples.jsonl")).unwrap(), before);
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--seed",
        "1",
        "--out",
        o,
        "--force",
    ]);
    assert_ne!(std::fs::read(out.join("samples.jsonl")).unwrap(), before);
}

/// A haystack too short for the length asked is named, with what it holds against what is
/// needed, so the user knows which file to lengthen and by how much.
#[test]
fn a_haystack_too_short_is_named_with_what_it_holds_and_needs() {
    let tmp = tempfile::tempdir().unwrap();
    let short = tmp.path().join("my-notes.txt");
    std::fs::write(
        &short,
        "The harbour was quiet that morning. Gulls stood on the wall.\n\nRain came later.\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let err = fails(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lengths",
        "4k",
        "--depths",
        "50",
        "--haystack",
        s(&short),
        "--out",
        s(&out),
    ]);
    assert!(err.contains(s(&short)), "the file is not named:\n{err}");
    // `... holds only about H usable cl100k_base tokens of filler, but a context of 4000 tokens
    // needs about N beside its needles`
    let number_after = |words: &str| -> usize {
        let at = err
            .find(words)
            .unwrap_or_else(|| panic!("no `{words}` in:\n{err}"));
        err[at + words.len()..]
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no number after `{words}` in:\n{err}"))
    };
    let held = number_after("holds only about");
    let needed = number_after("tokens needs about");
    assert!(err.contains("usable cl100k_base tokens"), "{err}");
    assert!(err.contains("a context of 4000 tokens"), "{err}");
    assert!(
        0 < held && held < 40 && 3900 < needed && needed < 4000,
        "{err}"
    );
    assert!(!out.exists());
}

/// A haystack's sentences are joined by their own script, whatever `--lang` is: an English
/// file under `--lang zh` once ran its sentences together (`quiet.Garden`), and a Chinese file
/// under `--lang en` gained spaces between its sentences.
#[test]
fn a_haystacks_sentences_join_by_their_script_whatever_the_lang() {
    let tmp = tempfile::tempdir().unwrap();
    let english = tmp.path().join("english.txt");
    let chinese = tmp.path().join("chinese.txt");
    let (mut en, mut zh) = (String::new(), String::new());
    for i in 0..200 {
        en.push_str(&format!(
            "The harbour wall number {i} was quiet.\nGulls stood on it all morning. Rain came \nlater that day!\n\n"
        ));
        zh.push_str(&format!(
            "第{i}个渡口的河流慢慢改道。\n两岸的湿地\n春天泛滥！旅行者常常在这里停留。\n\n"
        ));
    }
    std::fs::write(&english, en).unwrap();
    std::fs::write(&chinese, zh).unwrap();
    let context = |lang: &str, haystack: &Path| -> Value {
        let out = tmp.path().join(format!("{lang}-out"));
        ok(&[
            "generate",
            "needlebench",
            "--task",
            "single",
            "--lang",
            lang,
            "--lengths",
            "1k",
            "--depths",
            "50",
            "--haystack",
            s(haystack),
            "--out",
            s(&out),
        ]);
        read_lines(&out.join("samples.jsonl")).remove(0)
    };
    let is_cjk =
        |c: char| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);

    let sample = context("zh", &english);
    let text = sample["context"].as_str().unwrap();
    assert!(text.contains("was quiet. Gulls stood"), "{text}");
    assert!(
        text.contains("on it all morning. Rain came later"),
        "{text}"
    );
    let chars: Vec<char> = text.chars().collect();
    for w in chars.windows(2) {
        let glued = matches!(w[0], '.' | '!' | '?' | '。' | '！')
            && (w[1].is_ascii_alphabetic() || (w[0].is_ascii_punctuation() && is_cjk(w[1])));
        assert!(
            !glued,
            "sentences run together at `{}{}` in:\n{text}",
            w[0], w[1]
        );
    }

    let sample = context("en", &chinese);
    let text = sample["context"].as_str().unwrap();
    assert!(
        text.contains("慢慢改道。两岸的湿地春天泛滥！旅行者"),
        "{text}"
    );
    let chars: Vec<char> = text.chars().collect();
    for w in chars.windows(3) {
        assert!(
            !(is_cjk(w[0]) && w[1] == ' ' && is_cjk(w[2])),
            "a space between CJK at `{}{}{}` in:\n{text}",
            w[0],
            w[1],
            w[2]
        );
    }
    // The English needle (and its distractors) among them keep a space on either side.
    for needle in [&sample["meta"]["evidence"], &sample["meta"]["distractors"]]
        .into_iter()
        .flat_map(|e| e.as_array().unwrap())
    {
        let needle = needle["text"].as_str().unwrap();
        let at = text.find(needle).unwrap();
        let before = text[..at].chars().next_back().unwrap_or(' ');
        let after = text[at + needle.len()..].chars().next().unwrap_or(' ');
        assert!(
            before.is_whitespace() && after.is_whitespace(),
            "`{needle}` glued in:\n{text}"
        );
    }
}

#[test]
fn list_names_every_task_and_parameter() {
    let out = ok(&["generate", "--list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "needlebench",
        "single",
        "multi-retrieval",
        "multi-reasoning",
        "atc",
        "--lengths",
        "--depths",
        "--needles",
        "--tokenizer",
        "--haystack",
        "--count",
        "--seed",
        "--lang",
    ] {
        assert!(text.contains(word), "--list lacks {word}:\n{text}");
    }
}

/// Counts tokens the way the WordLevel tokenizer below does: runs of word characters, and runs
/// of other non-space characters.
fn whitespace_tokens(text: &str) -> usize {
    #[derive(PartialEq)]
    enum K {
        Space,
        Word,
        Other,
    }
    let kind = |c: char| {
        if c.is_whitespace() {
            K::Space
        } else if c.is_alphanumeric() || c == '_' {
            K::Word
        } else {
            K::Other
        }
    };
    let mut count = 0;
    let mut prev = K::Space;
    for c in text.chars() {
        let k = kind(c);
        if k != K::Space && k != prev {
            count += 1;
        }
        prev = k;
    }
    count
}

#[test]
fn a_hugging_face_tokenizer_json_counts_by_path() {
    let tmp = tempfile::tempdir().unwrap();
    let tok = tmp.path().join("tokenizer.json");
    std::fs::write(&tok, r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,"model":{"type":"WordLevel","vocab":{"[UNK]":0,"the":1},"unk_token":"[UNK]"}}"#).unwrap();
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lengths",
        "1500",
        "--depths",
        "50",
        "--tokenizer",
        s(&tok),
        "--out",
        s(&dir),
    ]);
    let samples = read_lines(&dir.join("samples.jsonl"));
    let meta = &samples[0]["meta"];
    assert!(
        meta["tokenizer"]
            .as_str()
            .unwrap()
            .starts_with("hf:tokenizer.json#"),
        "{}",
        meta["tokenizer"]
    );
    let tokens = meta["context_tokens"].as_u64().unwrap() as usize;
    assert_eq!(
        tokens,
        whitespace_tokens(samples[0]["context"].as_str().unwrap())
    );
    assert!(tokens.abs_diff(1500) <= 32, "{tokens}");
    let err = fails(&["verify", s(&dir)]);
    assert!(err.contains("--tokenizer"), "{err}");
    let out = ok(&["verify", s(&dir), "--tokenizer", s(&tok)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("so does its card"));
    // The card names the tokenizer file by name, for both commands.
    let card = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        card.contains("--tokenizer tokenizer.json --out DIR")
            && card.contains("longforge verify DIR --tokenizer tokenizer.json\n"),
        "{card}"
    );
}

#[test]
fn a_users_haystack_file_is_used_and_named_by_content() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus.jsonl");
    let docs: String = (0..400)
        .map(|i| format!("{{\"text\": \"Report {i} on the harbour. The cranes worked late into the night. Ships waited for the tide.\\n\\nA second paragraph of report {i}, about the weather at sea.\"}}\n"))
        .collect();
    std::fs::write(&corpus, docs).unwrap();
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lengths",
        "2k",
        "--depths",
        "50",
        "--haystack",
        s(&corpus),
        "--out",
        s(&dir),
    ]);
    let samples = read_lines(&dir.join("samples.jsonl"));
    assert!(samples[0]["context"]
        .as_str()
        .unwrap()
        .contains("on the harbour"));
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["params"]["haystack"]["file"], "corpus.jsonl");
    let err = fails(&["verify", s(&dir)]);
    assert!(
        err.contains("--haystack") && err.contains("corpus.jsonl"),
        "{err}"
    );
    ok(&["verify", s(&dir), "--haystack", s(&corpus)]);
    let card = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        card.contains("--haystack corpus.jsonl")
            && card.contains("longforge verify DIR --haystack corpus.jsonl\n"),
        "{card}"
    );
}

#[test]
fn baselines_answer_and_the_scorer_reports_by_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--needles",
        "8",
        "--count",
        "12",
        "--out",
        s(&dir),
    ]);
    let mut files = Vec::new();
    for b in ["oracle", "shortcut", "noisy-oracle"] {
        let f = tmp.path().join(format!("{b}.jsonl"));
        ok(&["run", "--dataset", s(&dir), "--baseline", b, "--out", s(&f)]);
        let preds = read_lines(&f);
        assert_eq!(preds.len(), 12);
        let ids: Vec<&str> = preds
            .iter()
            .map(|p| p["sample_id"].as_str().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "predictions are sorted by sample id");
        files.push(f);
    }
    let scores = tmp.path().join("scores.jsonl");
    let report = tmp.path().join("report.md");
    let out = score(&dir, &scores, &["--report", s(&report)], &files);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("oracle") && table.contains("1.000"),
        "{table}"
    );
    let scores = read_lines(&scores);
    assert_eq!(
        scores.len(),
        72,
        "a headline and an extraction row per answer"
    );
    let oracle: Vec<&Value> = scores.iter().filter(|s| s["model"] == "oracle").collect();
    assert!(oracle.iter().all(|s| s["value"] == 1.0));
    assert_eq!(oracle[0]["metric"], "exact_match");
    assert_eq!(oracle[1]["metric"], "extraction_rate");
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("## Leaderboard"));

    // Predictions that name another dataset's samples are refused, naming the file.
    let stray = tmp.path().join("stray.jsonl");
    std::fs::write(
        &stray,
        "{\"sample_id\":\"nope\",\"model\":\"m\",\"output\":\"x\"}\n",
    )
    .unwrap();
    let err = fails(&[
        "score",
        "--dataset",
        s(&dir),
        "--out",
        s(&tmp.path().join("x.jsonl")),
        "--predictions",
        s(&stray),
    ]);
    assert!(err.contains("stray.jsonl") && err.contains("nope"), "{err}");
    // A malformed line is named by file, line and field.
    std::fs::write(&stray, "{\"sample_id\":\"a\",\"model\":\"m\",\"output\":\"x\"}\n{\"sample_id\":\"b\",\"model\":\"m\",\"output\":5}\n").unwrap();
    let err = fails(&[
        "score",
        "--dataset",
        s(&dir),
        "--out",
        s(&tmp.path().join("x.jsonl")),
        "--predictions",
        s(&stray),
    ]);
    assert!(
        err.contains("stray.jsonl:2") && err.contains("`output`"),
        "{err}"
    );
    let err = fails(&[
        "run",
        "--dataset",
        s(&dir),
        "--baseline",
        "genius",
        "--out",
        s(&stray),
    ]);
    assert!(err.contains("unknown baseline `genius`"), "{err}");
}

#[test]
fn the_demo_runs_offline_and_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let out: PathBuf = tmp.path().join("demo");
    let run = ok(&["demo", "--out", s(&out)]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("| oracle | 1.000"), "{stdout}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    let leader_rows: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.starts_with("| model"))
        .skip(2)
        .take(4)
        .collect();
    assert!(
        leader_rows[0].starts_with("| oracle "),
        "the oracle leads: {leader_rows:?}"
    );
    assert!(
        leader_rows[3].starts_with("| random ") || leader_rows[3].starts_with("| shortcut "),
        "{leader_rows:?}"
    );
    for d in [
        "single",
        "multi-retrieval",
        "multi-reasoning",
        "atc",
        "atc-zh",
        "holobench",
        "path-traversal",
        "countdown",
        "html-to-tsv",
        "tom-tracking",
        "travel-planning",
        "nocha",
        "longspan",
    ] {
        ok(&["verify", s(&out.join("datasets").join(d))]);
        assert!(out.join("judgments").join(format!("{d}.jsonl")).exists());
        assert!(out.join("grades").join(format!("{d}.jsonl")).exists());
    }
    // The rule judge's verdicts rank the oracle first, and the report shows it with grades.
    let ranking: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("ranking.json")).unwrap()).unwrap();
    assert_eq!(ranking["ratings"][0]["model"], "oracle");
    assert_eq!(ranking["ratings"].as_array().unwrap().len(), 4);
    assert!(report.contains("## Pairwise ranking"), "{report}");
    assert!(
        report.contains("| 1 | oracle |") && report.contains("| 10.0 |"),
        "{report}"
    );
    // Both methods measured on the same answers, printed and written.
    let reliability: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("reliability.json")).unwrap())
            .unwrap();
    assert_eq!(reliability["methods"].as_array().unwrap().len(), 2);
    assert!(
        stdout.contains("| relative (Bradley-Terry) | 4 |"),
        "{stdout}"
    );
    // Running it again replaces its own folder, byte for byte.
    let first = std::fs::read(out.join("ranking.json")).unwrap();
    let first_reliability = std::fs::read(out.join("reliability.json")).unwrap();
    ok(&["demo", "--out", s(&out)]);
    assert_eq!(std::fs::read(out.join("ranking.json")).unwrap(), first);
    assert_eq!(
        std::fs::read(out.join("reliability.json")).unwrap(),
        first_reliability
    );
}

#[test]
fn haystack_text_is_cleaned_or_refused_never_passed_on_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let body: String = (0..400)
        .map(|i| format!("Report {i} on the harbour. The cranes worked late.\r\n\r\n"))
        .collect();
    let clean = tmp.path().join("bom.txt");
    std::fs::write(&clean, format!("\u{feff}{body}")).unwrap();
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lengths",
        "512",
        "--depths",
        "50",
        "--haystack",
        s(&clean),
        "--out",
        s(&dir),
    ]);
    let samples = std::fs::read_to_string(dir.join("samples.jsonl")).unwrap();
    assert!(
        !samples.contains('\u{feff}') && !samples.contains("\\r") && !samples.contains("\\ufeff")
    );
    for (name, text) in [
        ("nul.txt", format!("{body}Bad\u{0}byte.\n")),
        ("nul.jsonl", "{\"text\": \"a \\u0000 b\"}\n".into()),
    ] {
        let bad = tmp.path().join(name);
        std::fs::write(&bad, text).unwrap();
        let out = tmp.path().join(format!("{name}.d"));
        let err = fails(&[
            "generate",
            "needlebench",
            "--task",
            "single",
            "--lengths",
            "512",
            "--haystack",
            s(&bad),
            "--out",
            s(&out),
        ]);
        assert!(
            err.contains(name) && err.contains("U+0000") && err.contains("line"),
            "{err}"
        );
        assert!(!out.exists());
    }
}

#[test]
fn bad_inputs_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--needles",
        "2",
        "--count",
        "2",
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
    let out = tmp.path().join("scores.jsonl");
    let score = |predictions: &Path, extra: &[&str]| {
        let mut args = vec!["score", "--dataset", s(&dir), "--out", s(&out)];
        args.extend(extra);
        args.extend(["--predictions", s(predictions)]);
        fails(&args)
    };
    // An empty predictions file.
    let empty = tmp.path().join("empty.jsonl");
    std::fs::write(&empty, "\n").unwrap();
    let err = score(&empty, &[]);
    assert!(
        err.contains("empty.jsonl") && err.contains("no predictions"),
        "{err}"
    );
    // An output that is a folder, found before the scores are written.
    let folder = tmp.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let err = score(&oracle, &["--summary", s(&folder)]);
    assert!(err.contains("is a folder"), "{err}");
    // --judge where every task is scored by rules.
    let err = score(&oracle, &["--judge", "m=http://127.0.0.1:9/v1"]);
    assert!(
        err.contains("--judge is for tasks whose scorer asks a model"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
    // A sample edited by hand (its digest not updated) is refused by run and score alike.
    let samples = dir.join("samples.jsonl");
    let text = std::fs::read_to_string(&samples).unwrap();
    std::fs::write(
        &samples,
        text.replacen("\"question\":\"", "\"question\":\"Edited. ", 1),
    )
    .unwrap();
    let err = score(&oracle, &[]);
    assert!(
        err.contains("samples.jsonl") && err.contains("SHA-256"),
        "{err}"
    );
    let err = fails(&[
        "run",
        "--dataset",
        s(&dir),
        "--baseline",
        "oracle",
        "--out",
        s(&out),
    ]);
    assert!(err.contains("SHA-256"), "{err}");
    // An endpoint without a URL is named as an endpoint.
    std::fs::write(&samples, text).unwrap();
    let random = tmp.path().join("random.jsonl");
    ok(&[
        "run",
        "--dataset",
        s(&dir),
        "--baseline",
        "random",
        "--out",
        s(&random),
    ]);
    let err = fails(&[
        "judge",
        "--dataset",
        s(&dir),
        "--predictions",
        s(&oracle),
        s(&random),
        "--judge",
        "nope",
        "--out",
        s(&out),
    ]);
    assert!(err.contains("endpoint `nope`"), "{err}");
    // A depth that is not a finite number is a usage error naming it.
    let nan = longforge(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--depths",
        "nan",
        "--out",
        s(&out),
    ]);
    assert_eq!(nan.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nan.stderr).contains("not a finite number"));
    assert!(!out.exists());
}

/// `--out D --force` replaces D whole, so an input inside it (a user's haystack) would be lost:
/// it is refused before anything is read or deleted.
#[test]
fn generate_never_replaces_a_folder_holding_its_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    std::fs::create_dir(&dir).unwrap();
    let haystack = dir.join("h.txt");
    let text: String = (0..300)
        .map(|i| format!("The tide came in over the flats, line {i} of the log.\n\n"))
        .collect();
    std::fs::write(&haystack, &text).unwrap();
    let err = fails(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lengths",
        "1k",
        "--depths",
        "50",
        "--haystack",
        s(&haystack),
        "--out",
        s(&dir),
        "--force",
    ]);
    assert!(err.contains("holds the input file"), "{err}");
    assert_eq!(std::fs::read_to_string(&haystack).unwrap(), text);
}
