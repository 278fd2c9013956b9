//! NoCha-style claim pairs from the command line: generate books shared through contexts.jsonl,
//! verify, answer with the baselines, score with a summary (pair accuracy over attempted pairs,
//! by length and kind, on the pairs every model attempted); skipped and refused claims; the
//! simple prompt; bad flags refused with the flag named.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::cli::{fails, longforge, ok, read_lines, s, score};

fn generate(dir: &Path, extra: &[&str]) {
    let mut args = vec![
        "generate",
        "nocha",
        "--lengths",
        "8k,16k",
        "--count",
        "2",
        "--pairs",
        "6",
        "--seed",
        "7",
        "--out",
    ];
    args.push(s(dir));
    args.extend(extra);
    ok(&args);
}

fn figure<'a>(summary: &'a [Value], model: &str, metric: &str, axes: Value) -> &'a Value {
    summary
        .iter()
        .find(|r| r["model"] == model && r["metric"] == metric && r["axes"] == axes)
        .unwrap_or_else(|| panic!("no {metric} for {model} at {axes}"))
}

#[test]
fn books_are_shared_and_the_baselines_score_as_they_must() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nocha");
    generate(&dir, &[]);
    let samples = read_lines(&dir.join("samples.jsonl"));
    assert_eq!(
        samples.len(),
        2 * 2 * 6 * 2,
        "lengths x books x pairs x claims"
    );
    let contexts = read_lines(&dir.join("contexts.jsonl"));
    assert_eq!(contexts.len(), 4, "one context a book");
    for c in &contexts {
        let text = c["text"].as_str().unwrap();
        let readers = samples
            .iter()
            .filter(|s| s["context_id"] == c["id"])
            .count();
        assert_eq!(readers, 12, "{}", c["id"]);
        // The book is never copied into a sample.
        let opening = &text[..200];
        assert!(samples.iter().all(|s| !s.to_string().contains(opening)));
    }
    for sample in &samples {
        assert_eq!(
            sample["prompt"]
                .as_str()
                .unwrap()
                .matches("{{context}}")
                .count(),
            1
        );
        assert!(sample.get("context").is_none());
        let question = sample["question"].as_str().unwrap();
        assert!(sample["prompt"].as_str().unwrap().contains(question));
        assert_eq!(sample["reference"]["kind"], "claim");
        assert_eq!(sample["reference"]["value"], sample["meta"]["truth"]);
    }
    ok(&["verify", s(&dir)]);
    // The same flags give the same bytes.
    let again = tmp.path().join("again");
    generate(&again, &[]);
    for file in ["samples.jsonl", "contexts.jsonl", "manifest.json"] {
        assert_eq!(
            std::fs::read(dir.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
            "{file}"
        );
    }

    let mut files = Vec::new();
    for b in ["oracle", "random", "shortcut"] {
        let f = tmp.path().join(format!("{b}.jsonl"));
        ok(&["run", "--dataset", s(&dir), "--baseline", b, "--out", s(&f)]);
        files.push(f);
    }
    let out = tmp.path().join("scores.jsonl");
    let summary_path = tmp.path().join("summary.jsonl");
    let report = tmp.path().join("report.md");
    score(
        &dir,
        &out,
        &["--summary", s(&summary_path), "--report", s(&report)],
        &files,
    );
    let summary = read_lines(&summary_path);
    let pairs = 2 * 2 * 6;
    let oracle = figure(&summary, "oracle", "pair_accuracy", json!({}));
    assert_eq!(
        (oracle["value"].as_f64(), oracle["n"].as_u64()),
        (Some(1.0), Some(pairs))
    );
    let shortcut = figure(&summary, "shortcut", "pair_accuracy", json!({}));
    assert_eq!(
        shortcut["value"].as_f64(),
        Some(0.0),
        "always TRUE gets no pair"
    );
    assert_eq!(
        figure(&summary, "shortcut", "claim_accuracy", json!({}))["value"],
        0.5
    );
    assert_eq!(
        figure(&summary, "shortcut", "true_share", json!({}))["value"],
        1.0
    );
    assert_eq!(
        figure(&summary, "oracle", "true_share", json!({}))["value"],
        0.5
    );
    let random = figure(&summary, "random", "pair_accuracy", json!({}))["value"]
        .as_f64()
        .unwrap();
    assert!(random < 0.75, "random {random}");
    // By length, by kind, and on the pairs every model attempted.
    for axes in [
        json!({"length": "8k"}),
        json!({"length": "16k"}),
        json!({"kind": "local"}),
        json!({"length": "8k", "kind": "local"}),
    ] {
        assert_eq!(
            figure(&summary, "oracle", "pair_accuracy", axes)["value"],
            1.0
        );
    }
    let common = figure(
        &summary,
        "random",
        "pair_accuracy",
        json!({"pairs": "common"}),
    );
    assert_eq!(common["n"].as_u64(), Some(pairs));
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("pair_accuracy"), "{text}");
}

#[test]
fn skipped_and_refused_claims_remove_their_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nocha");
    generate(&dir, &[]);
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
    // A model that answers like the oracle, but whose context fits only the 8k books, which
    // refuses one claim and leaves another reply empty.
    let samples = read_lines(&dir.join("samples.jsonl"));
    let mut lines = Vec::new();
    let mut refused = None;
    let mut emptied = None;
    let pair_of = |id: &str| id.rsplit_once('/').unwrap().0.to_string();
    for mut p in read_lines(&oracle) {
        p["model"] = json!("partial");
        let id = p["sample_id"].as_str().unwrap().to_string();
        if id.contains("/16k/") {
            p["status"] = json!("skipped");
            p["output"] = Value::Null;
            p["error"] = json!("skipped for context: 16k > 10k");
        } else if refused.is_none() {
            p["finish_reason"] = json!("content_filter");
            p["output"] = json!("");
            refused = Some(id);
        } else if emptied.is_none() && refused.as_deref().map(pair_of) != Some(pair_of(&id)) {
            p["output"] = json!("");
            emptied = Some(id);
        }
        lines.push(p.to_string());
    }
    let partial = tmp.path().join("partial.jsonl");
    std::fs::write(&partial, lines.join("\n") + "\n").unwrap();
    let out = tmp.path().join("scores.jsonl");
    let summary_path = tmp.path().join("summary.jsonl");
    score(
        &dir,
        &out,
        &["--summary", s(&summary_path)],
        &[oracle, partial],
    );
    let summary = read_lines(&summary_path);
    let at_8k = samples
        .iter()
        .filter(|s| s["id"].as_str().unwrap().contains("/8k/"))
        .count()
        / 2;
    let whole = figure(&summary, "partial", "pair_accuracy", json!({}));
    // Attempted: the 8k pairs less the refused one; of those, the emptied one is wrong.
    assert_eq!(whole["n"].as_u64(), Some(at_8k as u64 - 1));
    let expected = (at_8k - 2) as f64 / (at_8k - 1) as f64;
    assert!((whole["value"].as_f64().unwrap() - expected).abs() < 1e-12);
    let attempted = figure(&summary, "partial", "attempted", json!({}));
    assert_eq!(attempted["n"].as_u64(), Some(2 * at_8k as u64));
    // The oracle is compared with it on the pairs both attempted.
    let common = figure(
        &summary,
        "oracle",
        "pair_accuracy",
        json!({"pairs": "common"}),
    );
    assert_eq!(common["n"].as_u64(), Some(at_8k as u64 - 1));
    assert_eq!(common["value"], 1.0);
    let scores = read_lines(&out);
    let refused = refused.unwrap();
    let row = scores
        .iter()
        .find(|r| {
            r["model"] == "partial"
                && r["sample_id"] == refused.as_str()
                && r["metric"] == "claim_accuracy"
        })
        .unwrap();
    assert_eq!(row["details"]["not_attempted"], "refused");
}

#[test]
fn the_simple_prompt_is_read_by_its_first_word() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("simple");
    ok(&[
        "generate",
        "nocha",
        "--lengths",
        "8k",
        "--pairs",
        "3",
        "--prompt",
        "simple",
        "--out",
        s(&dir),
    ]);
    let samples = read_lines(&dir.join("samples.jsonl"));
    let mut lines = Vec::new();
    for sample in &samples {
        let prompt = sample["prompt"].as_str().unwrap();
        assert!(!prompt.contains("<answer>"), "{prompt}");
        assert_eq!(sample["meta"]["prompt"], "simple");
        let truth = sample["meta"]["truth"].as_bool().unwrap();
        let reply = if truth {
            "True: the book says as much."
        } else {
            "That is false, as chapter two shows."
        };
        lines.push(
            json!({"sample_id": sample["id"], "model": "plain", "status": "answered", "output": reply})
                .to_string(),
        );
    }
    let predictions = tmp.path().join("plain.jsonl");
    std::fs::write(&predictions, lines.join("\n") + "\n").unwrap();
    let out = tmp.path().join("scores.jsonl");
    score(&dir, &out, &[], &[predictions]);
    for row in read_lines(&out)
        .iter()
        .filter(|r| r["metric"] == "claim_accuracy")
    {
        assert_eq!(row["value"], 1.0, "{row}");
        assert_eq!(row["details"]["rule"], "first_word");
    }
}

#[test]
fn the_list_shows_nocha_and_bad_flags_name_themselves() {
    let list = String::from_utf8(longforge(&["generate", "--list"]).stdout).unwrap();
    assert!(list.contains("nocha") && list.contains("--pairs") && list.contains("claim_truth"));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    for (args, says) in [
        (vec!["--pairs", "0"], "--pairs"),
        (vec!["--lengths", "1k"], "--lengths"),
        (vec!["--prompt", "fancy"], "--prompt"),
        (vec!["--lengths", "4k", "--pairs", "300"], "--pairs"),
    ] {
        let mut line = vec!["generate", "nocha", "--out", s(&dir)];
        line.extend(args);
        let err = fails(&line);
        assert!(err.contains(says), "{line:?}: {err}");
        assert!(!dir.exists(), "{line:?} left {}", dir.display());
    }
}

/// The fixtures (`tests/fixtures/nocha`) are written for these tests in the public sample's
/// format: two short books, four pairs whose claims are not adjacent, and four models' replies
/// (an echoed placeholder, a simple-prompt model, skipped and refused claims, an empty reply).
fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/nocha")
        .join(name)
}

#[test]
fn the_original_sample_format_imports_and_scores_the_published_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("imported");
    let predictions = tmp.path().join("predictions.jsonl");
    let (claims, books) = (fixture("claims.json"), fixture("books.json"));
    ok(&[
        "import",
        "nocha",
        "--claims",
        s(&claims),
        "--books",
        s(&books),
        "--out",
        s(&dir),
        "--predictions-out",
        s(&predictions),
    ]);
    let samples = read_lines(&dir.join("samples.jsonl"));
    assert_eq!(samples.len(), 8);
    assert_eq!(read_lines(&dir.join("contexts.jsonl")).len(), 2);
    // The first claim of a pair in the file is `a`, whatever its truth.
    assert_eq!(
        samples[0]["id"],
        "nocha/imported/the_keeper_of_cold_point_f_ashgrove/0/a"
    );
    assert_eq!(
        samples[3]["id"],
        "nocha/imported/the_keeper_of_cold_point_f_ashgrove/0/b"
    );
    assert_eq!(samples[3]["reference"]["value"], false);
    ok(&["verify", s(&dir), "--from", s(&claims), s(&books)]);
    // The books as a folder of BOOK_TITLE.txt files make the same samples.
    let from_folder = tmp.path().join("from-folder");
    ok(&[
        "import",
        "nocha",
        "--claims",
        s(&claims),
        "--books",
        s(&fixture("books")),
        "--out",
        s(&from_folder),
    ]);
    assert_eq!(
        std::fs::read(dir.join("samples.jsonl")).unwrap(),
        std::fs::read(from_folder.join("samples.jsonl")).unwrap()
    );

    let lines = read_lines(&predictions);
    assert_eq!(lines.len(), 8 * 4, "one prediction per model and claim");
    let out = tmp.path().join("scores.jsonl");
    let summary_path = tmp.path().join("summary.jsonl");
    score(&dir, &out, &["--summary", s(&summary_path)], &[predictions]);
    let summary = read_lines(&summary_path);
    // Worked by hand from the fixture's replies.
    for (model, value, n) in [
        ("gpt4o", 0.5, 4),
        ("claude-simple", 0.5, 4),
        ("gemini", 1.0, 1),
        ("llama", 0.5, 4),
    ] {
        let f = figure(&summary, model, "pair_accuracy", json!({}));
        assert_eq!(
            (f["value"].as_f64(), f["n"].as_u64()),
            (Some(value), Some(n)),
            "{model}"
        );
    }
    assert_eq!(
        figure(&summary, "gemini", "attempted", json!({}))["value"],
        0.25
    );
    assert_eq!(
        figure(&summary, "gpt4o", "claim_accuracy", json!({}))["value"],
        0.75
    );
    assert_eq!(
        figure(&summary, "gpt4o", "extraction_rate", json!({}))["value"],
        0.875
    );
    // Only the first pair was attempted by every model.
    for (model, value) in [
        ("gpt4o", 0.0),
        ("claude-simple", 1.0),
        ("gemini", 1.0),
        ("llama", 0.0),
    ] {
        let f = figure(&summary, model, "pair_accuracy", json!({"pairs": "common"}));
        assert_eq!(
            (f["value"].as_f64(), f["n"].as_u64()),
            (Some(value), Some(1)),
            "{model}"
        );
    }
    let scores = read_lines(&out);
    let rule = |model: &str, id: &str| {
        scores
            .iter()
            .find(|r| {
                r["model"] == model && r["sample_id"] == id && r["metric"] == "claim_accuracy"
            })
            .unwrap()["details"]["rule"]
            .clone()
    };
    let first = "nocha/imported/the_keeper_of_cold_point_f_ashgrove/0/a";
    assert_eq!(rule("claude-simple", first), "first_word");
    assert_eq!(rule("gpt4o", first), "answer_tag");
    assert_eq!(
        rule("llama", first),
        Value::Null,
        "a tagged prompt's bare TRUE is not read"
    );
}

#[test]
fn a_claim_whose_book_is_missing_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    let err = fails(&[
        "import",
        "nocha",
        "--claims",
        s(&fixture("claims_missing_book.json")),
        "--books",
        s(&fixture("books.json")),
        "--out",
        s(&dir),
    ]);
    assert!(
        err.contains("a_missing_book_n_nobody") && err.contains("record 1"),
        "{err}"
    );
    assert!(!dir.exists());
    let err = fails(&[
        "import",
        "nocha",
        "--claims",
        s(&fixture("claims.json")),
        "--out",
        s(&dir),
    ]);
    assert!(err.contains("--books"), "{err}");
}

/// The fixtures copied into `dir`, to be edited or overwritten by a test.
fn fixtures_in(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let (claims, books, folder) = (
        dir.join("claims.json"),
        dir.join("books.json"),
        dir.join("books"),
    );
    std::fs::copy(fixture("claims.json"), &claims).unwrap();
    std::fs::copy(fixture("books.json"), &books).unwrap();
    std::fs::create_dir(&folder).unwrap();
    for entry in std::fs::read_dir(fixture("books")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
    }
    (claims, books, folder)
}

/// Every file under `dir`, with its bytes, to compare before and after.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

/// `--predictions-out` naming an input overwrote it, and `--out BOOKS --force` deleted the
/// books: no output may be, hold, or lie inside an input, compared as resolved paths; and a
/// predictions path that cannot be written fails before the dataset is written.
#[test]
fn an_import_never_writes_over_its_inputs_and_fails_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let (claims, books, folder) = fixtures_in(tmp.path());
    let before = snapshot(tmp.path());
    let out = tmp.path().join("d");
    let dotted = tmp.path().join("books").join("..").join("claims.json");
    let afile = tmp.path().join("afile");
    std::fs::write(&afile, b"").unwrap();
    let before_afile = snapshot(tmp.path());
    let (in_folder, pred_in_folder, pred_in_out, pred_under_file) = (
        folder.join("d"),
        folder.join("p.jsonl"),
        out.join("p.jsonl"),
        afile.join("p.jsonl"),
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "--books",
                s(&books),
                "--out",
                s(&out),
                "--predictions-out",
                s(&claims),
            ],
            "is the input file",
        ),
        (
            vec![
                "--books",
                s(&books),
                "--out",
                s(&out),
                "--predictions-out",
                s(&books),
            ],
            "is the input file",
        ),
        (
            vec![
                "--books",
                s(&books),
                "--out",
                s(&out),
                "--predictions-out",
                s(&dotted),
            ],
            "is the input file",
        ),
        (
            vec!["--books", s(&folder), "--out", s(&folder), "--force"],
            "is the input folder",
        ),
        (
            vec!["--books", s(&books), "--out", s(tmp.path()), "--force"],
            "holds the input file",
        ),
        (
            vec!["--books", s(&folder), "--out", s(&in_folder)],
            "lies in the input folder",
        ),
        (
            vec![
                "--books",
                s(&folder),
                "--out",
                s(&out),
                "--predictions-out",
                s(&pred_in_folder),
            ],
            "lies in the input folder",
        ),
        (
            vec![
                "--books",
                s(&books),
                "--out",
                s(&out),
                "--predictions-out",
                s(&pred_in_out),
            ],
            "lies in the dataset folder",
        ),
        (
            vec![
                "--books",
                s(&books),
                "--out",
                s(&out),
                "--predictions-out",
                s(&pred_under_file),
            ],
            "is a file, not a folder",
        ),
    ];
    for (extra, says) in cases {
        let mut line = vec!["import", "nocha", "--claims", s(&claims)];
        line.extend(extra);
        let err = fails(&line);
        assert!(err.contains(says), "{line:?}: {err}");
        assert!(!out.exists(), "{line:?} wrote the dataset");
        assert_eq!(
            snapshot(tmp.path()),
            before_afile,
            "{line:?} changed a file"
        );
    }
    std::fs::remove_file(&afile).unwrap();
    assert_eq!(snapshot(tmp.path()), before);
}

/// Each edit of the fixture's records, and what the error must name besides the file.
fn edited(edit: impl Fn(&mut Vec<Value>)) -> Vec<Value> {
    let mut records: Vec<Value> =
        serde_json::from_slice(&std::fs::read(fixture("claims.json")).unwrap()).unwrap();
    edit(&mut records);
    records
}

#[test]
fn bad_claim_records_are_refused_naming_file_record_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let books = fixture("books.json");
    let out = tmp.path().join("d");
    type Edit = Box<dyn Fn(&mut Vec<Value>)>;
    let cases: Vec<(Edit, &[&str])> = vec![
        (
            Box::new(|r| r[1]["response-"] = json!("TRUE")),
            &["record 2", "field `response-`", "names no model"],
        ),
        (
            Box::new(|r| r[2]["claim"] = json!(" ")),
            &["record 3", "field `claim`", "empty"],
        ),
        (
            Box::new(|r| r[3]["claim"] = r[0]["claim"].clone()),
            &["records 1 and 4", "field `claim`", "same text"],
        ),
        (
            Box::new(|r| r[3]["length_group"] = Value::Null),
            &["records 1 and 4", "field `length_group`", "null"],
        ),
        (
            Box::new(|r| r[2]["index"] = json!(1.5)),
            &["record 3", "field `index`", "1.5"],
        ),
        (
            Box::new(|r| r[2]["index"] = json!(-1)),
            &["record 3", "field `index`", "-1"],
        ),
        (
            Box::new(|r| r[6]["index"] = json!("1")),
            &["record 7", "field `index`", "as a string"],
        ),
        (
            Box::new(|r| {
                r[2].as_object_mut().unwrap().remove("index");
            }),
            &["record 3", "missing field `index`"],
        ),
        (
            Box::new(|r| {
                r.remove(1);
            }),
            &["record ", "has 1 claim,", "`index` 2"],
        ),
    ];
    for (i, (edit, says)) in cases.into_iter().enumerate() {
        let claims = tmp.path().join(format!("claims{i}.json"));
        std::fs::write(&claims, serde_json::to_vec(&edited(edit)).unwrap()).unwrap();
        let err = fails(&[
            "import",
            "nocha",
            "--claims",
            s(&claims),
            "--books",
            s(&books),
            "--out",
            s(&out),
        ]);
        assert!(err.contains(&format!("claims{i}.json")), "{err}");
        for word in says.iter() {
            assert!(err.contains(word), "case {i}: `{word}` not in {err}");
        }
        assert!(!err.contains("(.)"), "{err}");
        assert!(!out.exists());
    }
    // An index written as a string in every record is read; the pairs are the same.
    let claims = tmp.path().join("strings.json");
    let records = edited(|r| {
        for x in r.iter_mut() {
            x["index"] = json!(x["index"].to_string());
        }
    });
    std::fs::write(&claims, serde_json::to_vec(&records).unwrap()).unwrap();
    ok(&[
        "import",
        "nocha",
        "--claims",
        s(&claims),
        "--books",
        s(&books),
        "--out",
        s(&out),
    ]);
    assert_eq!(read_lines(&out.join("samples.jsonl")).len(), 8);
}

#[test]
fn bad_books_are_named_and_a_byte_order_mark_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let claims = fixture("claims.json");
    let out = tmp.path().join("d");
    let import = |books: &Path, out: &Path| {
        vec![
            "import".to_string(),
            "nocha".into(),
            "--claims".into(),
            s(&claims).into(),
            "--books".into(),
            s(books).into(),
            "--out".into(),
            s(out).into(),
        ]
    };
    let run_fails = |books: &Path| {
        let line = import(books, &out);
        fails(&line.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let text = std::fs::read(fixture("books.json")).unwrap();
    let mut books: serde_json::Map<String, Value> = serde_json::from_slice(&text).unwrap();
    let title = books.keys().next().unwrap().clone();
    for (value, says) in [
        (json!(7), "a number, not a JSON string"),
        (json!(""), "has no text"),
    ] {
        books.insert(title.clone(), value);
        let path = tmp.path().join("books.json");
        std::fs::write(&path, serde_json::to_vec(&books).unwrap()).unwrap();
        let err = run_fails(&path);
        assert!(
            err.contains(&format!("book `{title}`")) && err.contains(says),
            "{err}"
        );
        assert!(!out.exists());
    }
    let folder = tmp.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join(format!("{title}.txt")), " \n").unwrap();
    let err = run_fails(&folder);
    assert!(
        err.contains(&format!("{title}.txt")) && err.contains("has no text"),
        "{err}"
    );
    // A byte order mark opening either JSON file is read, and changes nothing.
    let bom = |from: &Path, to: &Path| {
        let mut bytes = b"\xef\xbb\xbf".to_vec();
        bytes.extend(std::fs::read(from).unwrap());
        std::fs::write(to, bytes).unwrap();
    };
    let (bom_books, bom_claims) = (
        tmp.path().join("bom-books.json"),
        tmp.path().join("bom-claims.json"),
    );
    bom(&fixture("books.json"), &bom_books);
    bom(&claims, &bom_claims);
    let plain = tmp.path().join("plain");
    let line = import(&fixture("books.json"), &plain);
    ok(&line.iter().map(String::as_str).collect::<Vec<_>>());
    ok(&[
        "import",
        "nocha",
        "--claims",
        s(&bom_claims),
        "--books",
        s(&bom_books),
        "--out",
        s(&out),
    ]);
    assert_eq!(
        std::fs::read(out.join("samples.jsonl")).unwrap(),
        std::fs::read(plain.join("samples.jsonl")).unwrap()
    );
}

/// `verify --from` after editing the claims file said only that "the files given, or the files
/// read beside them (templates, pages, worked examples)" differ, and named `params.companions`,
/// which a NoCha import has none of. It names the file whose SHA-256 differs; a file of the
/// recorded content under another name is accepted, with a note.
#[test]
fn verify_names_the_edited_input_and_accepts_a_renamed_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (claims, books, _) = fixtures_in(tmp.path());
    let dir = tmp.path().join("d");
    ok(&[
        "import",
        "nocha",
        "--claims",
        s(&claims),
        "--books",
        s(&books),
        "--out",
        s(&dir),
    ]);
    let renamed = tmp.path().join("renamed.json");
    std::fs::copy(&claims, &renamed).unwrap();
    let out = ok(&["verify", s(&dir), "--from", s(&renamed), s(&books)]);
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("renamed.json")
            && note.contains("`claims.json`")
            && note.contains("another name"),
        "{note}"
    );
    let text = std::fs::read_to_string(&claims).unwrap();
    std::fs::write(&claims, text.replacen("a tern", "a gull", 1)).unwrap();
    let err = fails(&["verify", s(&dir), "--from", s(&claims), s(&books)]);
    assert!(
        err.contains("claims.json (file 1 of --from)") && err.contains("SHA-256"),
        "{err}"
    );
    for word in [
        "companions",
        "templates",
        "worked examples",
        "books.json (file",
    ] {
        assert!(!err.contains(word), "`{word}` in {err}");
    }
    let err = fails(&["verify", s(&dir), "--from", s(&books), s(&renamed)]);
    assert!(err.contains("recorded order"), "{err}");
}
