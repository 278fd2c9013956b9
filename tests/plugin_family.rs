//! A family written here, in a few dozen lines, goes through the whole flow in the binary's own
//! code (generate with its own flag, every baseline, score with a summary and a report, the rule
//! judge, rank, verify) with no file of longforge changed: the plug-in points are enough. Its
//! samples of one cell share a context (a worksheet), stored once.

mod support;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use longforge::{run_cli, Registry};
use longforge_datasets::{derive_seed, Context, Reference, Sample, SeededRng, CONTEXT_SLOT};
use longforge_generators::{
    Family, GenerateError, Generated, Imported, Importer, Inputs, ParamInfo, ParamKind,
    SampleSource, TaskInfo,
};
use serde_json::{json, Value};

/// Adding two numbers of a given number of digits; scored by an exact boxed answer.
struct Sums;

impl Family for Sums {
    fn name(&self) -> &'static str {
        "sums"
    }
    fn version(&self) -> &'static str {
        "1.0.0"
    }
    fn tasks(&self) -> &'static [TaskInfo] {
        &[
            TaskInfo {
                name: "sum",
                summary: "add two numbers",
                grid: "digits",
                scorer: "boxed_exact",
                metrics: &["mean"],
            },
            TaskInfo {
                name: "explain",
                summary: "explain a sum in words; an evaluator model grades it",
                grid: "digits",
                scorer: "llm_rubric",
                metrics: &["mean"],
            },
        ]
    }
    fn params(&self) -> &'static [ParamInfo] {
        &[ParamInfo {
            name: "digits",
            kind: ParamKind::Ints,
            default: "1,2",
            help: "digits per number",
        }]
    }
    fn importer(&self) -> Option<&dyn Importer> {
        Some(self)
    }
    fn example(&self, _task: &str) -> Value {
        json!({"digits": [1, 2], "count": 2})
    }
    fn resolve(&self, params: Value, _inputs: &Inputs) -> Result<Value, GenerateError> {
        let mut p = json!({"task": "sum", "digits": [1, 2], "count": 1, "seed": 42});
        for (k, v) in params.as_object().into_iter().flatten() {
            match p.get_mut(k) {
                Some(slot) => *slot = v.clone(),
                None => {
                    return Err(GenerateError::Param {
                        param: k.clone(),
                        message: "sums does not take it".into(),
                    })
                }
            }
        }
        Ok(p)
    }
    fn prepare<'a>(
        &'a self,
        p: &Value,
        _inputs: &Inputs,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError> {
        let seed = p["seed"].as_u64().unwrap_or(42);
        let (mut samples, mut contexts) = (Vec::new(), Vec::new());
        for digits in p["digits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
        {
            let sheet = format!("sheet-d{digits}");
            let text = format!("Worksheet {digits}: add the two numbers of each question.");
            contexts.push(Context {
                id: sheet.clone(),
                text,
                tokens: 12,
            });
            for i in 0..p["count"].as_u64().unwrap_or(1) {
                let task = p["task"].as_str().unwrap_or("sum").to_string();
                let id = format!("sums/{task}/d{digits}/{i}");
                let mut rng = SeededRng::new(derive_seed(seed, &id));
                let top = 10usize.pow(digits as u32);
                let (a, b) = (rng.below(top), rng.below(top));
                let question = format!("What is {a} + {b}? Answer in \\boxed{{}}.");
                let candidates = [a + b, a + b + 1, a.abs_diff(b)].map(|n| n.to_string());
                samples.push(Sample {
                    id, family: "sums".into(), task, lang: "en".into(),
                    context: None, context_id: Some(sheet.clone()),
                    prompt: format!("{CONTEXT_SLOT}\n\n{question}"), question,
                    reference: Reference::exact((a + b).to_string()),
                    meta: json!({"seed": seed, "axes": {"digits": digits.to_string()},
                        "baseline": {"candidates": candidates, "picks": 1, "shortcut": [a.to_string()]}})
                        .as_object().cloned().unwrap_or_default(),
                });
            }
        }
        Ok(Box::new(Generated {
            samples,
            contexts,
            seed,
            tokenizer: "cl100k_base".into(),
        }))
    }
}

/// Reads published problems, one `a b` per line, into the same samples.
impl Importer for Sums {
    fn formats(&self) -> &'static str {
        "text files of `a b` lines"
    }
    fn import(&self, files: &[PathBuf], _p: &Value) -> Result<Imported, GenerateError> {
        let mut samples = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(file).map_err(|e| GenerateError::Input {
                path: file.display().to_string(),
                message: e.to_string(),
            })?;
            for (i, line) in text.lines().enumerate() {
                let bad = || GenerateError::Input {
                    path: format!("{}:{}", file.display(), i + 1),
                    message: "want two numbers".into(),
                };
                let (a, b) = line.split_once(' ').ok_or_else(bad)?;
                let (a, b): (u64, u64) =
                    (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
                let question = format!("What is {a} + {b}?");
                samples.push(Sample {
                    id: format!("sums/imported/{i}"), family: "sums".into(), task: "sum".into(), lang: "en".into(),
                    context: None, context_id: None, prompt: question.clone(), question,
                    reference: Reference::exact((a + b).to_string()),
                    meta: json!({"axes": {"digits": "published"}, "baseline": {"candidates": [(a + b).to_string()], "picks": 1, "shortcut": [a.to_string()]}}).as_object().cloned().unwrap_or_default(),
                });
            }
        }
        Ok(Imported {
            generated: Generated {
                samples,
                contexts: Vec::new(),
                seed: 0,
                tokenizer: "cl100k_base".into(),
            },
            companions: Vec::new(),
            left_out: Vec::new(),
            predictions: Vec::new(),
        })
    }
}

static SUMS: Sums = Sums;

fn cli(registry: &Registry, args: &[&str]) {
    let line: Vec<OsString> = std::iter::once("longforge")
        .chain(args.iter().copied())
        .map(OsString::from)
        .collect();
    let code = run_cli(registry, line);
    assert_eq!(
        format!("{code:?}"),
        format!("{:?}", ExitCode::SUCCESS),
        "longforge {args:?}"
    );
}

#[test]
fn a_family_defined_in_a_test_goes_through_the_whole_flow() {
    let registry = Registry::builtin().with(&SUMS);
    let tmp = tempfile::tempdir().unwrap();
    let path = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let data = path("sums");
    cli(
        &registry,
        &[
            "generate", "sums", "--digits", "1,3", "--count", "5", "--seed", "9", "--out", &data,
        ],
    );
    cli(&registry, &["verify", &data]);
    let mut predictions = Vec::new();
    for b in ["oracle", "random", "shortcut", "noisy-oracle"] {
        predictions.push(path(&format!("{b}.jsonl")));
        cli(
            &registry,
            &[
                "run",
                "--dataset",
                &data,
                "--baseline",
                b,
                "--out",
                &predictions[predictions.len() - 1],
            ],
        );
    }
    let (scores, summary, report) = (
        path("scores.jsonl"),
        path("summary.jsonl"),
        path("report.md"),
    );
    let mut score = vec![
        "score",
        "--dataset",
        &data,
        "--out",
        &scores,
        "--summary",
        &summary,
        "--report",
        &report,
        "--predictions",
    ];
    score.extend(predictions.iter().map(String::as_str));
    cli(&registry, &score);
    let rows: Vec<Value> = std::fs::read_to_string(&summary)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let oracle = rows
        .iter()
        .find(|r| r["model"] == "oracle" && r["axes"] == json!({}) && r["metric"] == "exact_match")
        .unwrap();
    assert_eq!(
        (
            oracle["value"].as_f64(),
            oracle["n"].as_u64(),
            oracle["family"].as_str()
        ),
        (Some(1.0), Some(10), Some("sums"))
    );
    assert!(rows.iter().any(|r| r["axes"] == json!({"digits": "3"})));
    let shortcut = rows
        .iter()
        .find(|r| {
            r["model"] == "shortcut" && r["axes"] == json!({}) && r["metric"] == "exact_match"
        })
        .unwrap();
    assert!(shortcut["value"].as_f64().unwrap() < 1.0, "{shortcut}");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(
        text.contains("## sum: `exact_match` by digits") && text.contains("| digits 3 |"),
        "{text}"
    );
    let judgments = path("judgments.jsonl");
    let mut judge = vec![
        "judge",
        "--dataset",
        &data,
        "--judge",
        "rule",
        "--out",
        &judgments,
        "--predictions",
    ];
    judge.extend(predictions.iter().map(String::as_str));
    cli(&registry, &judge);
    cli(
        &registry,
        &[
            "rank",
            "--battles",
            &judgments,
            "--out",
            &path("ranking.json"),
            "--bootstrap",
            "20",
            "--prior",
            "1",
        ],
    );
    // The worksheets are stored once each, and the prompts do not repeat them.
    let read = |f: &str| std::fs::read_to_string(tmp.path().join("sums").join(f)).unwrap();
    assert_eq!(read("contexts.jsonl").lines().count(), 2);
    assert!(
        !read("samples.jsonl").contains("Worksheet")
            && read("samples.jsonl").contains(CONTEXT_SLOT)
    );
    assert!(tmp.path().join("sums/contexts.parquet").exists());
    // A model is asked with the worksheet in its prompt (the server echoes what it was asked).
    let (url, _) = support::scripted_server(|body| {
        let asked = body["messages"][0]["content"].clone();
        json!({"choices": [{"message": {"role": "assistant", "content": asked}, "finish_reason": "stop"}]})
    });
    let echo = path("echo.jsonl");
    let store = path("store");
    cli(
        &registry,
        &[
            "run",
            "--dataset",
            &data,
            "--model",
            &format!("echo={url}"),
            "--store",
            &store,
            "--out",
            &echo,
        ],
    );
    let asked = std::fs::read_to_string(&echo).unwrap();
    assert!(
        asked.contains("Worksheet 3: add") && !asked.contains(CONTEXT_SLOT),
        "{asked}"
    );
    // Shards of a family with shared contexts merge into the single run.
    for i in 1..=3 {
        cli(
            &registry,
            &[
                "generate",
                "sums",
                "--digits",
                "1,3",
                "--count",
                "5",
                "--seed",
                "9",
                "--shard",
                &format!("{i}/3"),
                "--out",
                &path(&format!("shard{i}")),
            ],
        );
    }
    cli(
        &registry,
        &[
            "merge",
            &path("shard1"),
            &path("shard2"),
            &path("shard3"),
            "--out",
            &path("merged"),
        ],
    );
    for f in [
        "manifest.json",
        "samples.jsonl",
        "samples.parquet",
        "contexts.jsonl",
        "contexts.parquet",
    ] {
        assert_eq!(
            std::fs::read(tmp.path().join("merged").join(f)).unwrap(),
            std::fs::read(tmp.path().join("sums").join(f)).unwrap(),
            "{f}"
        );
    }
    let ranking: Value =
        serde_json::from_str(&std::fs::read_to_string(path("ranking.json")).unwrap()).unwrap();
    assert_eq!(ranking["ratings"][0]["model"], "oracle");

    // The family's importer: published problems become a dataset folder that verifies given the
    // same files again, and scores like a generated one.
    let published = path("published.txt");
    std::fs::write(&published, "2 3\n40 2\n").unwrap();
    let imported = path("imported");
    cli(
        &registry,
        &["import", "sums", &published, "--out", &imported],
    );
    cli(&registry, &["verify", &imported, "--from", &published]);
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("imported/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["params"]["imported"][0]["file"], "published.txt");
    let oracle = path("imported-oracle.jsonl");
    cli(
        &registry,
        &[
            "run",
            "--dataset",
            &imported,
            "--baseline",
            "oracle",
            "--out",
            &oracle,
        ],
    );
    assert!(std::fs::read_to_string(&oracle)
        .unwrap()
        .contains("\\boxed{42}"));
    let code = |args: &[&str]| {
        let line: Vec<OsString> = std::iter::once("longforge")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        format!("{:?}", run_cli(&registry, line))
    };
    let failure = format!("{:?}", ExitCode::from(1));
    std::fs::write(&published, "2 3\n40 x\n").unwrap();
    assert_eq!(
        code(&["verify", &imported, "--from", &published]),
        failure,
        "another file"
    );
    assert_eq!(
        code(&["import", "sums", &published, "--out", &path("bad")]),
        failure,
        "a bad line"
    );
    assert!(!tmp.path().join("bad").exists());
    assert_eq!(
        code(&["import", "needlebench", &published, "--out", &path("nb")]),
        failure,
        "no importer"
    );

    // A task scored by an evaluator model: `score --judge` asks it through the request store,
    // and a rerun is answered from the store with no server at all.
    let explain = path("explain");
    cli(
        &registry,
        &[
            "generate", "sums", "--task", "explain", "--digits", "2", "--count", "3", "--out",
            &explain,
        ],
    );
    let answers = path("explain-oracle.jsonl");
    cli(
        &registry,
        &[
            "run",
            "--dataset",
            &explain,
            "--baseline",
            "oracle",
            "--out",
            &answers,
        ],
    );
    let (grader, seen) = support::scripted_server(
        |_| json!({"choices": [{"message": {"role": "assistant", "content": "Right. [[8]]"}, "finish_reason": "stop"}]}),
    );
    let rubric = |scores: &str, judge: &str| {
        cli(
            &registry,
            &[
                "score",
                "--dataset",
                &explain,
                "--predictions",
                &answers,
                "--out",
                scores,
                "--judge",
                judge,
                "--store",
                &store,
            ],
        );
        std::fs::read_to_string(scores).unwrap()
    };
    let first = rubric(&path("rubric1.jsonl"), &format!("grader={grader}"));
    assert_eq!(seen.chats(), 3);
    let rows: Vec<Value> = first
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(
        (rows[0]["metric"].as_str(), rows[0]["value"].as_f64()),
        (Some("rubric"), Some(7.0 / 9.0))
    );
    assert_eq!(rows[0]["details"]["grade"], 8);
    let again = rubric(&path("rubric2.jsonl"), "grader=http://127.0.0.1:9/v1");
    assert_eq!(again, first, "answered from the store");
    assert_eq!(seen.chats(), 3);
    assert_eq!(
        code(&[
            "score",
            "--dataset",
            &explain,
            "--predictions",
            &answers,
            "--out",
            &path("x.jsonl")
        ]),
        failure,
        "no --judge"
    );
}
