//! `longforge import longproc`: invented records in both published shapes (the GitHub release
//! tree and the Hugging Face rows, `tests/fixtures/longproc/`) imported, verified against the
//! same files, answered by the oracle and scored: every reference scores 1.0 except the
//! deliberately defective HTML gold table, which is reported by id at import and scored 0 with
//! the defect named. Bad inputs fail naming file and field, and write nothing.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::cli::{fails, longforge, ok, read_lines, s, score};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/longproc");
const DEFECTIVE: &str = "longproc/html-to-tsv/0.5k/2";

/// The fixture files in import order: every GitHub-shaped task file, then the Hugging Face rows.
fn published() -> Vec<PathBuf> {
    let data = Path::new(FIXTURES).join("github/data");
    let mut files: Vec<PathBuf> = [
        "path_traversal/path_traversal_0.5k.json",
        "countdown/countdown_0.5k.json",
        "html_to_tsv/html_to_tsv_0.5k.json",
        "tom_tracking/tom_tracking_0.5k.json",
        "travel_planning/travel_planning_all.json",
        "pseudo_to_code/pseudo_to_code_0.5k.json",
    ]
    .iter()
    .map(|f| data.join(f))
    .collect();
    files.push(Path::new(FIXTURES).join("huggingface.jsonl"));
    files
}

#[test]
fn both_shapes_import_verify_and_score_one_except_the_defective_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("imported");
    let files = published();
    let mut args = vec!["import", "longproc"];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["--out", s(&dir)]);
    let out = ok(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("defective in the original: {DEFECTIVE}")),
        "{stderr}"
    );
    // Travel: trip_b's estimated 3000 tokens fall between the original's 2k and 8k ranges, so
    // the original puts it in no level; it is counted, not silently dropped.
    assert!(
        stderr.contains("left out: 1 record of travel_planning_all.json with estimated_output_tokens in no level"),
        "{stderr}"
    );

    let samples = read_lines(&dir.join("samples.jsonl"));
    let ids: Vec<&str> = samples.iter().map(|x| x["id"].as_str().unwrap()).collect();
    // Records are numbered from 1.
    for id in [
        "longproc/path-traversal/0.5k/1",
        "longproc/countdown/0.5k/1",
        "longproc/countdown/0.5k/2",
        "longproc/html-to-tsv/0.5k/1",
        DEFECTIVE,
        "longproc/tom-tracking/0.5k/1",
        "longproc/travel-planning/2k/trip_a",
        "longproc/travel-planning/8k/trip_c",
        "longproc/pseudo-to-code/0.5k/1",
        "longproc/path-traversal/2k/hf-7",
        "longproc/countdown/0.5k/hf-3",
        "longproc/tom-tracking/0.5k/hf-12",
    ] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
    assert_eq!(samples.len(), 12);
    let by_id = |id: &str| samples.iter().find(|x| x["id"] == id).unwrap();
    // Templates filled as the original's loader fills them, braces undoubled.
    let path = by_id("longproc/path-traversal/0.5k/1");
    let prompt = path["prompt"].as_str().unwrap();
    assert!(prompt.contains("from Elstow to Colmere"), "{prompt}");
    assert!(
        prompt.contains("{\"From X, take a train to Y.\"}"),
        "{prompt}"
    );
    assert!(path["reference"]["value"]
        .as_str()
        .unwrap()
        .starts_with("<Route>\nFrom Elstow"));
    let html = by_id("longproc/html-to-tsv/0.5k/1");
    assert!(html["prompt"]
        .as_str()
        .unwrap()
        .contains("<b>Harbor Lantern</b>"));
    let countdown = by_id("longproc/countdown/0.5k/1");
    assert!(countdown["prompt"]
        .as_str()
        .unwrap()
        .contains("Numbers: [8, 3, 2, 1]"));
    // Countdown's reference is the search of the prompt, in the release's trace format.
    let trace = countdown["reference"]["value"].as_str().unwrap();
    assert!(
        trace.starts_with("# Search Procedure\nInitial number set: [8, 3, 2, 1], target: 26. Options for choosing two numbers: [(8, 3), (8, 2), (8, 1), (3, 2), (3, 1), (2, 1)].\n |- Pick two numbers (8, 3) (numbers left: [2, 1]). Try possible operations.\n  |- Try 8 + 3 = 11. Add 11 to the number set."),
        "{trace}"
    );
    assert!(trace.ends_with("</Solution>\n"), "{trace}");
    assert_eq!(
        countdown["meta"]["numbers"],
        serde_json::json!([8, 3, 2, 1])
    );
    let code = by_id("longproc/pseudo-to-code/0.5k/1");
    assert_eq!(
        code["meta"]["compile_flags"],
        serde_json::json!(["-std=c++11", "-O"])
    );
    assert_eq!(code["meta"]["tests"][0]["output"], "5\n");
    let travel = by_id("longproc/travel-planning/2k/trip_a");
    assert_eq!(
        travel["meta"]["plan"][1],
        serde_json::json!(["Ostrand", 3, 5])
    );
    // Travel's reference is the search of the prompt, flights one-way, then the plan; the
    // prompt's worked examples are rebuilt the same way.
    let trace = travel["reference"]["value"].as_str().unwrap();
    assert!(
        trace.starts_with("<Solving Procedure>\nRead the requirements and identify the cities"),
        "{trace}"
    );
    assert!(trace.contains("\n |- Check for direct flight from the starting point to Velmora.\n"));
    assert!(
        trace.contains("\n   |- Check for direct flight from Velmora to Ostrand.\n   |- Yes.\n")
    );
    assert!(
        trace.ends_with("**Day 5-6:** Visit Lake Dunmere for 2 days.\n</Plan>"),
        "{trace}"
    );
    let prompt = travel["prompt"].as_str().unwrap();
    assert!(prompt.contains("# Example\n"), "{prompt}");
    assert!(
        prompt.contains("\n\n<Solving Procedure>\nRead the requirements"),
        "{prompt}"
    );
    // The files read beside those given are in the manifest, with their digests.
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let companions: Vec<&str> = manifest["params"]["companions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["file"].as_str().unwrap())
        .collect();
    for name in [
        "countdown/prompts.yaml",
        "travel_planning/prompts.yaml",
        "travel_planning/travel_planning_icl_examples.json",
        "webpage/shop_1.html",
    ] {
        assert!(companions.contains(&name), "{name} not in {companions:?}");
    }
    // The Hugging Face prompt is taken as given.
    assert!(by_id("longproc/tom-tracking/0.5k/hf-12")["prompt"]
        .as_str()
        .unwrap()
        .starts_with("Track Mira's belief"));
    let tom = &by_id("longproc/tom-tracking/0.5k/hf-12")["meta"]["source"];
    assert_eq!(tom["reference_output_matches_record"], true);
    assert!(by_id(DEFECTIVE)["meta"]["defect"]
        .as_str()
        .unwrap()
        .contains("row 2 has 1 cells"));

    let mut verify = vec!["verify", s(&dir), "--from"];
    verify.extend(files.iter().map(|f| s(f)));
    ok(&verify);

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
    // The defective gold table is scored 0 with its defect named, never a pass, and the rest of
    // the dataset is scored: every other reference scores 1.0 on every value.
    let scores = tmp.path().join("scores.jsonl");
    score(&dir, &scores, &[], std::slice::from_ref(&oracle));
    let scores = read_lines(&scores);
    let scored: std::collections::BTreeSet<&str> = scores
        .iter()
        .map(|r| r["sample_id"].as_str().unwrap())
        .collect();
    assert_eq!(scored.len(), 12);
    for r in &scores {
        let want = if r["sample_id"] == DEFECTIVE {
            0.0
        } else {
            1.0
        };
        assert_eq!(r["value"], want, "{r}");
    }
    // The defect is named beside the score (on the headline row, which carries the details).
    let named = scores.iter().any(|r| {
        r["sample_id"] == DEFECTIVE
            && r["details"]["reference_error"]
                .as_str()
                .is_some_and(|e| e.contains("gold row 2 has 1 cells"))
            && !r["details"]["defect"].is_null()
    });
    assert!(named, "{scores:?}");

    // `--levels` keeps those levels only: trip_a and the 2k Hugging Face route.
    let two = tmp.path().join("2k");
    let mut args = vec!["import", "longproc"];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["--levels", "2k", "--out", s(&two)]);
    ok(&args);
    let ids: Vec<Value> = read_lines(&two.join("samples.jsonl"))
        .into_iter()
        .map(|x| x["id"].clone())
        .collect();
    assert_eq!(
        ids,
        [
            "longproc/travel-planning/2k/trip_a",
            "longproc/path-traversal/2k/hf-7"
        ]
    );

    // `--task` keeps one task's files and rows, and counts the rest.
    let countdown = tmp.path().join("countdown");
    let mut args = vec!["import", "longproc"];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["--task", "countdown", "--out", s(&countdown)]);
    let out = ok(&args);
    let ids: Vec<Value> = read_lines(&countdown.join("samples.jsonl"))
        .into_iter()
        .map(|x| x["id"].clone())
        .collect();
    assert_eq!(
        ids,
        [
            "longproc/countdown/0.5k/1",
            "longproc/countdown/0.5k/2",
            "longproc/countdown/0.5k/hf-3"
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("left out: 1 record of path_traversal_0.5k.json of task path-traversal, not the --task asked for"),
        "{stderr}"
    );

    // An import that keeps nothing is an error, and writes nothing.
    let none = tmp.path().join("none");
    let mut args = vec!["import", "longproc"];
    args.extend(files.iter().take(2).map(|f| s(f)));
    args.extend(["--levels", "8k", "--out", s(&none)]);
    let err = fails(&args);
    assert!(
        err.contains("no record of the files given was kept")
            && err.contains("of level 0.5k, not among the --levels asked for"),
        "{err}"
    );
    assert!(!none.exists());
}

/// `verify --from` re-reads the files beside those given: a changed template is found.
#[test]
fn verify_finds_a_changed_companion_file() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("github");
    copy_tree(&Path::new(FIXTURES).join("github"), &tree);
    let file = tree.join("data/countdown/countdown_0.5k.json");
    let dir = tmp.path().join("imported");
    ok(&["import", "longproc", s(&file), "--out", s(&dir)]);
    ok(&["verify", s(&dir), "--from", s(&file)]);
    let prompts = tree.join("data/countdown/prompts.yaml");
    let text = std::fs::read_to_string(&prompts).unwrap();
    std::fs::write(&prompts, text.replace("Numbers:", "Numbers given:")).unwrap();
    let err = fails(&["verify", s(&dir), "--from", s(&file)]);
    assert!(err.contains("params.companions"), "{err}");
}

/// A copy of the fixtures' GitHub tree, for tests that spoil one file.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `import longproc --help` lists what import takes (the files, `--out`, `--force`, `--task`,
/// `--levels`) and none of the generation flags, which change nothing in published data;
/// `generate longproc --help` still lists those.
#[test]
fn import_help_lists_only_what_import_takes() {
    let help = |args: &[&str]| String::from_utf8_lossy(&ok(args).stdout).into_owned();
    let import = help(&["import", "longproc", "--help"]);
    let generate = help(&["generate", "longproc", "--help"]);
    for taken in ["<files>", "--out", "--force", "--task", "--levels"] {
        assert!(import.contains(taken), "{taken} missing from:\n{import}");
    }
    for generation in [
        "--lengths",
        "--count",
        "--seed",
        "--tokenizer",
        "--shard",
        "--params",
        "--distractors",
        "--numbers",
        "--noise",
        "--agents",
        "--fixed",
        "--tests",
    ] {
        assert!(
            !import.contains(generation),
            "{generation} listed by import --help:\n{import}"
        );
        assert!(generate.contains(generation), "{generation}:\n{generate}");
    }
}

#[test]
fn bad_inputs_fail_naming_file_and_field_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("github");
    copy_tree(&Path::new(FIXTURES).join("github"), &tree);
    let data = tree.join("data");
    let out = tmp.path().join("out");
    let import = |file: &Path| fails(&["import", "longproc", s(file), "--out", s(&out)]);

    // A file name that names no task.
    let unknown = data.join("countdown/maze_walking_0.5k.json");
    std::fs::copy(data.join("countdown/countdown_0.5k.json"), &unknown).unwrap();
    let err = import(&unknown);
    assert!(
        err.contains("maze_walking_0.5k.json")
            && err.contains("unknown LongProc task `maze_walking`"),
        "{err}"
    );
    // An unknown level.
    let level = data.join("countdown/countdown_4k.json");
    std::fs::copy(data.join("countdown/countdown_0.5k.json"), &level).unwrap();
    assert!(import(&level).contains("unknown level `4k`"));

    // A record missing a field: the record index and the field named.
    let file = data.join("countdown/countdown_0.5k.json");
    let mut records: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    records[1].as_object_mut().unwrap().remove("target");
    std::fs::write(&file, records.to_string()).unwrap();
    let err = import(&file);
    assert!(
        err.contains("countdown_0.5k.json") && err.contains("record 2: field `target`: missing"),
        "{err}"
    );
    // JSON that does not parse: the position named.
    std::fs::write(&file, "[{\"nums\": [1, 2,").unwrap();
    let err = import(&file);
    assert!(
        err.contains("countdown_0.5k.json") && err.contains("line 1"),
        "{err}"
    );
    // A Hugging Face row that is not an object, by line.
    let rows = tmp.path().join("rows.jsonl");
    let good = std::fs::read_to_string(Path::new(FIXTURES).join("huggingface.jsonl")).unwrap();
    std::fs::write(&rows, format!("{}[1, 2]\n", good)).unwrap();
    let err = import(&rows);
    assert!(
        err.contains("rows.jsonl") && err.contains("line 4"),
        "{err}"
    );

    // Countdown numbers other than the original's four, named.
    let mut records: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(FIXTURES).join("github/data/countdown/countdown_0.5k.json"),
        )
        .unwrap(),
    )
    .unwrap();
    records[0]["nums"] = serde_json::json!([3, 4, 5]);
    std::fs::write(&file, records.to_string()).unwrap();
    let err = import(&file);
    assert!(
        err.contains("record 1: field `nums`: want a list of 4 whole numbers"),
        "{err}"
    );

    // A generation dial changes nothing on import, so import does not take it: a usage error
    // naming the flag.
    let refused = longforge(&[
        "import",
        "longproc",
        s(&Path::new(FIXTURES).join("huggingface.jsonl")),
        "--distractors",
        "2",
        "--out",
        s(&out),
    ]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(err.contains("--distractors"), "{err}");

    // prompts.yaml without the template the records fill.
    let tom = data.join("tom_tracking/tom_tracking_0.5k.json");
    std::fs::write(
        data.join("tom_tracking/prompts.yaml"),
        "SYSTEM_PROMPT: hello\n",
    )
    .unwrap();
    let err = import(&tom);
    assert!(
        err.contains("prompts.yaml") && err.contains("`USER_PROMPT` missing"),
        "{err}"
    );
    // A template slot the records do not fill: record and field named.
    std::fs::write(
        data.join("tom_tracking/prompts.yaml"),
        "USER_PROMPT: |-\n  {story}\n  {question} {agent_names}\n",
    )
    .unwrap();
    let err = import(&tom);
    assert!(
        err.contains("tom_tracking_0.5k.json") && err.contains("record 1: field `agent_names`"),
        "{err}"
    );
    // A page outside the release tree (it would go into a prompt sent to endpoints) is refused.
    let html_file = data.join("html_to_tsv/html_to_tsv_0.5k.json");
    let kept = std::fs::read_to_string(&html_file).unwrap();
    for outside in ["/etc/hostname", "../../../../etc/hostname"] {
        let mut records: Value = serde_json::from_str(&kept).unwrap();
        records[0]["html_path"] = Value::from(outside);
        std::fs::write(&html_file, records.to_string()).unwrap();
        let err = import(&html_file);
        assert!(
            err.contains("record 1: field `html_path`")
                && err.contains("not a path inside the release"),
            "{err}"
        );
    }
    std::fs::write(&html_file, kept).unwrap();
    // A file given twice is named.
    let tom_file = data.join("tom_tracking/tom_tracking_0.5k.json");
    std::fs::write(
        data.join("tom_tracking/prompts.yaml"),
        "USER_PROMPT: |-\n  {story}\n  {question}\n",
    )
    .unwrap();
    let err = fails(&[
        "import",
        "longproc",
        s(&tom_file),
        s(&tom_file),
        "--out",
        s(&out),
    ]);
    assert!(
        err.contains("tom_tracking_0.5k.json") && err.contains("given twice"),
        "{err}"
    );
    // The HTML page a record names is missing.
    std::fs::remove_file(tree.join("webpage/shop_1.html")).unwrap();
    let err = import(&data.join("html_to_tsv/html_to_tsv_0.5k.json"));
    assert!(err.contains("record 1: field `html_path`"), "{err}");
    assert!(!out.exists(), "nothing is written on a bad input");
}
