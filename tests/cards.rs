//! Dataset cards end to end: the `README.md` and `evidence.svg` that `generate`, `import` and
//! `merge` write beside a dataset, read back as the Hugging Face Hub and a person would, and
//! checked by `verify`. (`tests/shards.rs` checks that merged shards write the single run's
//! card.)

mod support;

use std::path::Path;

use serde_json::Value;
use serde_norway::Value as Yaml;
use support::cli::{fails, longforge, ok, read_lines, s};

/// The card's YAML header, parsed.
fn header(card: &str) -> Yaml {
    let rest = card
        .strip_prefix("---\n")
        .expect("the card opens with `---`");
    let (yaml, _) = rest
        .split_once("\n---\n")
        .expect("the header closes with `---`");
    serde_norway::from_str(yaml).expect("the header is YAML")
}

fn card(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("README.md")).unwrap()
}

fn strings(v: &Yaml) -> Vec<String> {
    v.as_sequence()
        .unwrap_or_else(|| panic!("not a list: {v:?}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn features(info: &Yaml) -> Vec<(String, String)> {
    info["features"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["dtype"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn nocha(dir: &Path, extra: &[&str]) {
    let mut args = vec![
        "generate",
        "nocha",
        "--lengths",
        "4k",
        "--count",
        "1",
        "--pairs",
        "2",
        "--seed",
        "5",
        "--out",
    ];
    args.push(s(dir));
    args.extend(extra);
    ok(&args);
}

const SAMPLE_COLUMNS: [&str; 10] = [
    "id",
    "family",
    "task",
    "lang",
    "context",
    "context_id",
    "question",
    "prompt",
    "reference",
    "meta",
];

#[test]
fn the_header_names_the_parquet_files_their_columns_size_language_and_task() {
    let tmp = tempfile::tempdir().unwrap();
    // Shared contexts: a second configuration, and dataset_info as a list naming each.
    let books = tmp.path().join("books");
    nocha(&books, &[]);
    let h = header(&card(&books));
    assert_eq!(h["configs"][0]["config_name"].as_str(), Some("default"));
    assert_eq!(
        h["configs"][0]["data_files"][0]["split"].as_str(),
        Some("test")
    );
    assert_eq!(
        h["configs"][0]["data_files"][0]["path"].as_str(),
        Some("samples.parquet")
    );
    assert_eq!(h["configs"][1]["config_name"].as_str(), Some("contexts"));
    assert_eq!(
        h["configs"][1]["data_files"][0]["path"].as_str(),
        Some("contexts.parquet")
    );
    let infos = h["dataset_info"].as_sequence().expect("one per config");
    assert_eq!(infos[0]["config_name"].as_str(), Some("default"));
    let columns = features(&infos[0]);
    assert_eq!(
        columns.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        SAMPLE_COLUMNS
    );
    assert!(columns.iter().all(|c| c.1 == "string"), "{columns:?}");
    assert_eq!(infos[0]["splits"][0]["num_examples"].as_u64(), Some(4));
    assert_eq!(
        features(&infos[1]),
        [
            ("id".to_string(), "string".to_string()),
            ("text".into(), "string".into()),
            ("tokens".into(), "uint64".into())
        ]
    );
    assert_eq!(infos[1]["splits"][0]["num_examples"].as_u64(), Some(1));
    assert_eq!(strings(&h["size_categories"]), ["n<1K"]);
    assert_eq!(strings(&h["language"]), ["en"]);
    assert_eq!(strings(&h["task_categories"]), ["text-classification"]);
    assert_eq!(strings(&h["tags"]), ["long-context", "nocha"]);
    assert_eq!(h["license"].as_str(), Some("apache-2.0"));
    assert_eq!(h["pretty_name"].as_str(), Some("longforge nocha: claims"));

    // One configuration: dataset_info is a mapping, as the Hub writes it.
    let needles = tmp.path().join("needles");
    ok(&[
        "generate",
        "needlebench",
        "--task",
        "single",
        "--lang",
        "zh",
        "--lengths",
        "1k",
        "--depths",
        "0,100",
        "--out",
        s(&needles),
    ]);
    let h = header(&card(&needles));
    assert_eq!(h["configs"].as_sequence().unwrap().len(), 1);
    let columns = features(&h["dataset_info"]);
    assert_eq!(
        columns.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        SAMPLE_COLUMNS
    );
    assert_eq!(
        h["dataset_info"]["splits"][0]["num_examples"].as_u64(),
        Some(2)
    );
    assert_eq!(strings(&h["language"]), ["zh"]);
    assert_eq!(strings(&h["task_categories"]), ["question-answering"]);
}

/// The card's median, p10 and p90 of dispersion and scope for a NoCha dataset, against the
/// same figures worked out here from the raw files: the book's length in characters, each
/// sample's evidence spans, and tiktoken's count of each span.
#[test]
fn a_nocha_card_s_dispersion_and_scope_match_a_count_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    nocha(&dir, &[]);
    let books = read_lines(&dir.join("contexts.jsonl"));
    assert_eq!(books.len(), 1);
    let book: Vec<char> = books[0]["text"].as_str().unwrap().chars().collect();
    let bpe = tiktoken_rs::cl100k_base().unwrap();
    let mut dispersion = Vec::new();
    let mut scope = Vec::new();
    for sample in read_lines(&dir.join("samples.jsonl")) {
        let evidence = sample["meta"]["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty());
        let (mut first, mut last, mut tokens) = (usize::MAX, 0, 0);
        for e in evidence {
            let (start, end) = (
                e["char_start"].as_u64().unwrap() as usize,
                e["char_end"].as_u64().unwrap() as usize,
            );
            let text = e["text"].as_str().unwrap();
            assert_eq!(book[start..end].iter().collect::<String>(), text);
            first = first.min(start);
            last = last.max(end);
            tokens += bpe.encode_ordinary(text).len();
        }
        dispersion.push((last - first) as f64 / book.len() as f64);
        scope.push(tokens as f64 / sample["meta"]["context_tokens"].as_u64().unwrap() as f64);
    }
    assert_eq!(dispersion.len(), 4);
    // Four values: the median is the mean of the middle two; p10 and p90 lie 0.3 of the way
    // from the first to the second and 0.7 from the third to the fourth (linear interpolation).
    let three = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        [
            (v[1] + v[2]) / 2.0,
            v[0] + 0.3 * (v[1] - v[0]),
            v[2] + 0.7 * (v[3] - v[2]),
        ]
    };
    let want: Vec<f64> = three(&mut dispersion)
        .into_iter()
        .chain(three(&mut scope))
        .collect();
    let text = card(&dir);
    let row = text
        .lines()
        .find(|l| l.starts_with("| claims | 4k |"))
        .unwrap_or_else(|| panic!("no evidence row for claims at 4k:\n{text}"));
    let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
    assert_eq!(&cells[..4], ["claims", "4k", "4", "4"]);
    for (cell, want) in cells[4..].iter().zip(&want) {
        let got: f64 = cell.parse().unwrap();
        // Three significant digits.
        assert!(
            (got - want).abs() <= 0.005 * want.abs(),
            "card {got}, by hand {want} in {row}"
        );
    }
    // The spans lie far apart in the book, and are a small part of it.
    assert!(want[0] > 0.0 && want[0] <= 1.0 && want[3] < 0.5, "{want:?}");
    assert!(text.contains("Goldman et al. (2024)"));
    assert!(text.contains("![") && text.contains("(evidence.svg)"));
    let svg = std::fs::read_to_string(dir.join("evidence.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("claims"));
}

#[test]
fn verify_regenerates_the_card_and_names_the_file_that_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        ok(&[
            "generate",
            "needlebench",
            "--task",
            "multi-retrieval",
            "--lengths",
            "1k",
            "--depths",
            "10,90",
            "--out",
            s(dir),
        ]);
    }
    for f in ["README.md", "evidence.svg"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between equal runs"
        );
    }
    let readme = card(&a);
    assert!(!readme.contains(s(tmp.path())), "the card holds no path");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("manifest.json")).unwrap()).unwrap();
    assert!(
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["name"] != "README.md" && f["name"] != "evidence.svg"),
        "the manifest does not list the card"
    );
    for f in manifest["files"].as_array().unwrap() {
        assert!(
            readme.contains(f["sha256"].as_str().unwrap()),
            "the card quotes {f}"
        );
    }

    let out = ok(&["verify", s(&a)]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("so does its card"), "{said}");

    std::fs::write(
        a.join("README.md"),
        readme.replace("long-context", "short-context"),
    )
    .unwrap();
    let err = fails(&["verify", s(&a)]);
    // The first line holding "long-context" is the one named.
    let line = readme
        .lines()
        .position(|l| l.contains("long-context"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("README.md: line {line} differs")),
        "{err}"
    );
    std::fs::write(a.join("README.md"), &readme).unwrap();
    ok(&["verify", s(&a)]);

    let svg = std::fs::read_to_string(a.join("evidence.svg")).unwrap();
    std::fs::write(a.join("evidence.svg"), svg.replace("#FFFFFF", "#FFFFFE")).unwrap();
    let err = fails(&["verify", s(&a)]);
    assert!(
        err.contains("evidence.svg") && err.contains("differs"),
        "{err}"
    );
    std::fs::remove_file(a.join("evidence.svg")).unwrap();
    let err = fails(&["verify", s(&a)]);
    assert!(
        err.contains("evidence.svg") && err.contains("missing"),
        "{err}"
    );

    // A folder of manifest version 4 needs its card; one made before cards (version 2 here)
    // verifies, and says the card was not checked.
    std::fs::remove_file(a.join("README.md")).unwrap();
    let err = fails(&["verify", s(&a)]);
    assert!(err.contains("README.md: missing"), "{err}");
    let out = ok(&["verify", "tests/fixtures/needlebench-manifest-v2"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("no README.md here"));
}

/// The command the card gives makes the same folder, byte for byte, card included.
#[test]
fn the_card_s_command_line_remakes_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<&str>); 3] = [
        (
            "needlebench",
            vec![
                "--task",
                "atc",
                "--lengths",
                "none,512",
                "--needles",
                "2,3",
                "--plain-chain",
                "--questions",
                "eldest_ancestor,generations_apart",
                "--seed",
                "9",
            ],
        ),
        (
            "nocha",
            vec!["--lengths", "4k", "--pairs", "1", "--prompt", "simple"],
        ),
        (
            "longproc",
            vec![
                "--task",
                "path-traversal",
                "--levels",
                "0.5k",
                "--distractors",
                "0,2",
            ],
        ),
    ];
    for (family, flags) in cases {
        let first = tmp.path().join(format!("{family}-1"));
        let mut args = vec!["generate", family, "--out", s(&first)];
        args.extend(&flags);
        ok(&args);
        let readme = card(&first);
        let make = readme
            .lines()
            .find(|l| l.starts_with("longforge generate "))
            .unwrap_or_else(|| panic!("no command in:\n{readme}"));
        assert!(make.ends_with(" --out DIR"), "{make}");
        let again = tmp.path().join(format!("{family}-2"));
        let words: Vec<&str> = make
            .split(' ')
            .skip(1)
            .map(|w| if w == "DIR" { s(&again) } else { w })
            .collect();
        let out = longforge(&words);
        assert!(
            out.status.success(),
            "{make}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for f in std::fs::read_dir(&first).unwrap() {
            let name = f.unwrap().file_name();
            assert_eq!(
                std::fs::read(first.join(&name)).unwrap(),
                std::fs::read(again.join(&name)).unwrap(),
                "{family}: {name:?} differs after `{make}`"
            );
        }
        assert!(readme.contains("longforge verify DIR\n"), "{readme}");
    }
}

#[test]
fn an_imported_folder_s_card_says_the_original_licence_applies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("imported");
    let fixtures = Path::new("tests/fixtures/nocha");
    let (claims, books) = (fixtures.join("claims.json"), fixtures.join("books"));
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
    let readme = card(&dir);
    let h = header(&readme);
    assert_eq!(h["license"].as_str(), Some("other"));
    assert_eq!(
        h["pretty_name"].as_str(),
        Some("longforge nocha (imported): claims")
    );
    assert!(
        readme.contains("The original's licence applies to this data"),
        "{readme}"
    );
    assert!(readme.contains("longforge import nocha claims.json books --out DIR"));
    assert!(readme.contains("longforge verify DIR --from claims.json books"));
    // The published sample records no evidence spans: the card says so and draws nothing.
    assert!(readme.contains("No sample records evidence"), "{readme}");
    assert!(!dir.join("evidence.svg").exists());
    let out = ok(&["verify", s(&dir), "--from", s(&claims), s(&books)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("so does its card (README.md)"));
}

#[test]
fn a_card_from_a_user_haystack_says_its_licence_applies_and_a_new_folder_needs_its_card() {
    let tmp = tempfile::tempdir().unwrap();
    // A file name that would end a one-backtick code span and open an HTML tag.
    let haystack = tmp.path().join("my`<i>hay.txt");
    let paragraph = "The harbour was quiet that morning, and the gulls sat on the warm stones. ";
    let text: String = (0..400)
        .map(|i| format!("{paragraph}Line {i} of the keeper's log.\n\n"))
        .collect();
    std::fs::write(&haystack, text).unwrap();
    let dir = tmp.path().join("d");
    ok(&[
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
    ]);
    let readme = card(&dir);
    let yaml = header(&readme);
    assert_eq!(yaml["license"].as_str(), Some("other"), "{readme}");
    assert!(readme.contains("`` my`<i>hay.txt ``"), "{readme}");
    assert!(readme.contains("its own licence"), "{readme}");
    // From manifest version 4 on, the card is part of the folder.
    std::fs::remove_file(dir.join("README.md")).unwrap();
    let err = fails(&["verify", s(&dir), "--haystack", s(&haystack)]);
    assert!(
        err.contains("README.md") && err.contains("missing"),
        "{err}"
    );
}
