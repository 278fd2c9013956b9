//! The client and `run` against a real llama.cpp server (llama-cpp-python running SmolLM2-135M),
//! started by this test through `scripts/judge-server-cpu.sh` (which builds its venv on first
//! use, about 6 minutes). The model is far too small to judge anything: these checks are about
//! the pipeline (plain text, logprobs, JSON schema, context skips, resume, judging in both
//! orders, grading), never its answers.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use longforge_llm::{ChatRequest, Client, ClientOptions, Constraint, Endpoint, Message, Sampling};
use serde_json::Value;

struct Server {
    url: String,
    pid: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(&self.pid).status();
    }
}

fn start() -> Server {
    let root = env!("CARGO_MANIFEST_DIR");
    let pidfile = tempfile::NamedTempFile::new().unwrap();
    let out = Command::new("bash")
        .arg(Path::new(root).join("scripts/judge-server-cpu.sh"))
        .arg("start")
        .env("PIDFILE", pidfile.path())
        // One log, overwritten each run and kept for reading after a failure.
        .env(
            "LOGFILE",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("judge-server.log"),
        )
        .output()
        .expect("bash runs the judge server script");
    assert!(
        out.status.success(),
        "the judge server did not start:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_string();
    let pid = std::fs::read_to_string(pidfile.path())
        .unwrap()
        .trim()
        .to_string();
    Server { url, pid }
}

fn longforge(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_longforge"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_real_llama_cpp_server_answers_through_the_whole_pipeline() {
    let server = start();
    let tmp = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let (data, store, out) = (
        tmp.path().join("d"),
        tmp.path().join("store"),
        tmp.path().join("p.jsonl"),
    );
    let gen = longforge(&[
        "generate",
        "needlebench",
        "--task",
        "atc",
        "--needles",
        "3",
        "--count",
        "2",
        "--out",
        &s(&data),
    ]);
    assert!(gen.status.success());
    let model = format!("smol={},model=smollm2-135m,max_context=8192", server.url);

    // Plain text, through `run`, with the server kind found out automatically.
    let run = longforge(&[
        "run",
        "--dataset",
        &s(&data),
        "--model",
        &model,
        "--max-tokens",
        "24",
        "--store",
        &s(&store),
        "--out",
        &s(&out),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let first = std::fs::read(&out).unwrap();
    let predictions: Vec<Value> = String::from_utf8_lossy(&first)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(predictions.len(), 2);
    for p in &predictions {
        assert!(!p["output"].as_str().unwrap().is_empty());
        assert!(p["usage"]["completion_tokens"].as_u64().unwrap() > 0);
        assert!(p["error"].is_null());
    }

    // Resume: the same run with the server moved away is answered from the store, identically.
    let moved = "smol=http://127.0.0.1:9/v1,model=smollm2-135m,max_context=8192";
    let again = longforge(&[
        "run",
        "--dataset",
        &s(&data),
        "--model",
        moved,
        "--max-tokens",
        "24",
        "--store",
        &s(&store),
        "--out",
        &s(&out),
    ]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        first,
        "a rerun asks nothing and writes the same bytes"
    );

    // A context too small for the prompts: every sample skipped, counted by the server itself.
    // (A fresh store: answers already stored would be returned, as they need no sending.)
    let small = format!("smol={},model=smollm2-135m,max_context=64", server.url);
    let fresh = tmp.path().join("fresh-store");
    let skip = longforge(&[
        "run",
        "--dataset",
        &s(&data),
        "--model",
        &small,
        "--max-tokens",
        "24",
        "--store",
        &s(&fresh),
        "--out",
        &s(&out),
    ]);
    assert_eq!(skip.status.code(), Some(3));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("skipped for context").count(), 2, "{text}");
    assert!(text.contains("counted with the server"), "{text}");

    // Logprobs and a JSON schema, through the library client.
    let endpoint = Endpoint::parse(&format!("smol={},model=smollm2-135m", server.url)).unwrap();
    let client = Client::new(
        vec![endpoint],
        ClientOptions {
            timeout: Duration::from_secs(120),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ask = |top_logprobs, constraint| ChatRequest {
        messages: vec![Message::user("Name a colour.")],
        sampling: Sampling {
            max_tokens: 16,
            ..Sampling::default()
        },
        top_logprobs,
        constraint,
    };
    let with_logprobs = rt.block_on(client.complete(&ask(Some(5), None))).unwrap();
    let first_token = &with_logprobs
        .response
        .logprobs
        .as_ref()
        .expect("logprobs returned")["content"][0];
    assert!(
        first_token["top_logprobs"].as_array().unwrap().len() >= 2,
        "{first_token}"
    );
    let schema = serde_json::json!({"type": "object", "properties": {"colour": {"type": "string"}}, "required": ["colour"]});
    let constrained = rt
        .block_on(client.complete(&ask(None, Some(Constraint::JsonSchema(schema)))))
        .unwrap();
    let parsed: Value =
        serde_json::from_str(&constrained.response.text).expect("constrained output is JSON");
    assert!(parsed["colour"].is_string(), "{parsed}");

    judge_with_the_real_server(&server, &data, tmp.path());
    longspan_systems_with_the_real_server(&server, &tmp.path().join("longspan"));
    drop(server);
}

/// Long-span QA end to end on the real server: a small book's questions answered by all four
/// systems, a context too small for the whole book skipping `full` (and only it), a rerun that
/// sends nothing, then the answers judged side by side with the references, graded, ranked and
/// measured for reliability.
fn longspan_systems_with_the_real_server(server: &Server, dir: &Path) {
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let file = |name: &str| s(&dir.join(name));
    let gen = longforge(&[
        "generate",
        "longspan",
        "--lengths",
        "4k",
        "--questions",
        "2",
        "--out",
        &file("d"),
    ]);
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    book_questions_with_the_real_server(server, dir);
    let run = |url: &str, max_context: usize, store: &str, out: &str| {
        let model = format!("smol={url},model=smollm2-135m,max_context={max_context}");
        let (data, store) = (file("d"), file(store));
        let mut args = vec![
            "run",
            "--dataset",
            &data,
            "--model",
            &model,
            "--max-tokens",
            "32",
            "--top-k",
            "2",
            "--chunk-tokens",
            "1000",
            "--store",
            &store,
            "--out",
            out,
        ];
        for system in ["no-context", "retrieval", "full", "map-reduce"] {
            args.extend(["--system", system]);
        }
        longforge(&args)
    };
    let first = run(&server.url, 8192, "store", &file("p.jsonl"));
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let predictions = read_jsonl(&dir.join("p.jsonl"));
    let models: std::collections::BTreeSet<&str> = predictions
        .iter()
        .map(|p| p["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        models.into_iter().collect::<Vec<_>>(),
        [
            "smol@full",
            "smol@map-reduce-c1000",
            "smol@no-context",
            "smol@retrieval-k2-c1000"
        ]
    );
    assert_eq!(predictions.len(), 8);
    for p in &predictions {
        assert_eq!(p["status"], "answered", "{p}");
        let requests = p["usage"]["requests"].as_u64();
        if p["model"] == "smol@map-reduce-c1000" {
            // A 4k book in parts of 1,000 tokens: at least four maps and the reduce.
            assert!(requests.unwrap() >= 5, "{p}");
        } else {
            assert_eq!(requests, None, "{p}");
        }
    }
    // A context that holds a few passages but not the book: only `full` is skipped (asked
    // afresh, as the store answers whatever it holds, fitting or not).
    let small = run(&server.url, 3000, "small-store", &file("small.jsonl"));
    assert_eq!(
        small.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&small.stderr)
    );
    for p in read_jsonl(&dir.join("small.jsonl")) {
        let skipped = p["status"] == "skipped";
        assert_eq!(skipped, p["model"] == "smol@full", "{p}");
    }
    // The rerun with the server gone is answered from the store, byte for byte.
    let again = run("http://127.0.0.1:9/v1", 8192, "store", &file("again.jsonl"));
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        std::fs::read(dir.join("again.jsonl")).unwrap(),
        std::fs::read(dir.join("p.jsonl")).unwrap()
    );
    // The stored replies know their prompts' size: a smaller context now skips `full` from the
    // store too, with no server to ask.
    let cached = run(gone_url(), 3000, "store", &file("cached-small.jsonl"));
    assert_eq!(
        cached.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&cached.stderr)
    );
    for p in read_jsonl(&dir.join("cached-small.jsonl")) {
        assert_eq!(p["status"] == "skipped", p["model"] == "smol@full", "{p}");
    }
    // Side by side, with the references; then alone; then ranked and measured.
    let evaluator = format!("smol={},model=smollm2-135m", server.url);
    let judge = longforge(&[
        "judge",
        "--dataset",
        &file("d"),
        "--predictions",
        &file("p.jsonl"),
        "--judge",
        &evaluator,
        "--max-tokens",
        "48",
        "--store",
        &file("judge-store"),
        "--out",
        &file("judgments.jsonl"),
    ]);
    assert_eq!(
        judge.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&judge.stderr)
    );
    let judgments = read_jsonl(&dir.join("judgments.jsonl"));
    // Four systems make six pairs, asked in both orders, on two questions.
    assert_eq!(judgments.len(), 24);
    let grade = longforge(&[
        "grade",
        "--dataset",
        &file("d"),
        "--predictions",
        &file("p.jsonl"),
        "--judge",
        &evaluator,
        "--max-tokens",
        "48",
        "--store",
        &file("judge-store"),
        "--out",
        &file("grades.jsonl"),
    ]);
    assert_eq!(
        grade.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&grade.stderr)
    );
    assert_eq!(read_jsonl(&dir.join("grades.jsonl")).len(), 8);
    let rank = longforge(&[
        "rank",
        "--battles",
        &file("judgments.jsonl"),
        "--prior",
        "1",
        "--bootstrap",
        "50",
        "--out",
        &file("ranking.json"),
    ]);
    assert!(
        rank.status.success(),
        "{}",
        String::from_utf8_lossy(&rank.stderr)
    );
    let reliability = longforge(&[
        "reliability",
        "--judgments",
        &file("judgments.jsonl"),
        "--grades",
        &file("grades.jsonl"),
        "--splits",
        "20",
        "--bootstrap",
        "50",
        "--out",
        &file("reliability.json"),
    ]);
    // Two questions are too few to split usefully: whatever it concludes, it says so in
    // words or figures, and never fails silently.
    let text = String::from_utf8_lossy(&reliability.stderr).to_string()
        + &String::from_utf8_lossy(&reliability.stdout);
    assert!(!text.trim().is_empty());
}

/// Questions about a book written by the real server: whatever the small model writes is kept
/// with its quotes found in the book, or recorded with why; the rerun and `verify`, with the
/// server gone, ask nothing and give the same bytes.
fn book_questions_with_the_real_server(server: &Server, dir: &Path) {
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let file = |name: &str| s(&dir.join(name));
    // The story world's 4k book, written out as a plain-text book.
    let context = &read_jsonl(&dir.join("d/contexts.jsonl"))[0];
    std::fs::write(dir.join("book.txt"), context["text"].as_str().unwrap()).unwrap();
    let generate = |url: &str, out: &str| {
        longforge(&[
            "generate",
            "longspan",
            "--book",
            &file("book.txt"),
            "--generator",
            &format!("smol={url},model=smollm2-135m"),
            "--store",
            &file("book-store"),
            "--questions",
            "2",
            "--entities",
            "2",
            "--passage-tokens",
            "1200",
            "--out",
            &file(out),
        ])
    };
    let first = generate(&server.url, "book");
    // 0 when some question held up; 3 when none did (the folder holds the rejections).
    let code = first.status.code();
    assert!(
        matches!(code, Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let book = std::fs::read_to_string(dir.join("book.txt")).unwrap();
    let chars: Vec<char> = book.chars().collect();
    let samples = read_jsonl(&dir.join("book/samples.jsonl"));
    let rejected = read_jsonl(&dir.join("book/rejected.jsonl"));
    assert!(
        !samples.is_empty() || !rejected.is_empty(),
        "the generator wrote nothing"
    );
    assert_eq!(code == Some(3), samples.is_empty());
    for r in &rejected {
        assert!(r["reason"].as_str().is_some_and(|x| !x.is_empty()), "{r}");
    }
    for sample in &samples {
        for e in sample["meta"]["evidence"].as_array().unwrap() {
            let (a, b) = (
                e["char_start"].as_u64().unwrap() as usize,
                e["char_end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                chars[a..b].iter().collect::<String>(),
                e["text"].as_str().unwrap()
            );
        }
    }
    let gone = "http://127.0.0.1:9/v1";
    let again = generate(gone, "book-again");
    assert_eq!(
        again.status.code(),
        code,
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    for name in ["samples.jsonl", "rejected.jsonl", "manifest.json"] {
        assert_eq!(
            std::fs::read(dir.join("book-again").join(name)).unwrap(),
            std::fs::read(dir.join("book").join(name)).unwrap(),
            "{name}"
        );
    }
    let verify = longforge(&[
        "verify",
        &file("book"),
        "--generator",
        &format!("smol={gone},model=smollm2-135m"),
        "--store",
        &file("book-store"),
        "--book",
        &file("book.txt"),
    ]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

/// An address no server answers.
fn gone_url() -> &'static str {
    "http://127.0.0.1:9/v1"
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Two baselines' predictions judged by SmolLM2 in both orders, with labels and with logprob
/// codes; the rerun sends nothing; `rank`, `agree` and `grade` run on the results.
fn judge_with_the_real_server(server: &Server, data: &Path, dir: &Path) {
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let file = |name: &str| s(&dir.join(name));
    for b in ["oracle", "random"] {
        let out = longforge(&[
            "run",
            "--dataset",
            &s(data),
            "--baseline",
            b,
            "--out",
            &file(&format!("{b}.jsonl")),
        ]);
        assert!(out.status.success());
    }
    let judge = |url: &str, mode: &str, out: &str| {
        longforge(&[
            "judge",
            "--dataset",
            &s(data),
            "--predictions",
            &file("oracle.jsonl"),
            &file("random.jsonl"),
            "--judge",
            &format!("smol={url},model=smollm2-135m"),
            "--verdict-mode",
            mode,
            "--max-tokens",
            "48",
            "--timeout",
            "120",
            "--store",
            &file("judge-store"),
            "--out",
            &file(out),
        ])
    };
    let read = |name: &str| -> Vec<Value> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    for (mode, out) in [("label", "labels.jsonl"), ("logprob", "codes.jsonl")] {
        let run = judge(&server.url, mode, out);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let judgments = read(out);
        // Two questions, one pair, both orders.
        assert_eq!(judgments.len(), 4, "{judgments:?}");
        let orders: Vec<&str> = judgments
            .iter()
            .map(|j| j["order"].as_str().unwrap())
            .collect();
        assert_eq!(orders, ["ab", "ba", "ab", "ba"]);
        for j in &judgments {
            assert!(j["raw"].is_string(), "every reply is kept: {j}");
            let verdict = j["verdict"].as_str().unwrap();
            assert!(
                ["A>>B", "A>B", "A=B", "B>A", "B>>A", "invalid"].contains(&verdict),
                "{j}"
            );
            if verdict == "invalid" {
                assert!(j["raw_verdict"].is_null());
            }
            if let Some(p) = j["probabilities"].as_object() {
                let sum: f64 = p.values().map(|v| v.as_f64().unwrap()).sum();
                assert!((sum - 1.0).abs() < 1e-9, "{j}");
            }
        }
        if mode == "logprob" {
            assert!(
                judgments.iter().any(|j| j["probabilities"].is_object()),
                "llama.cpp returns top log-probabilities, so soft verdicts exist: {judgments:?}"
            );
        }
    }
    // The rerun, with the server moved away, is answered from the store, byte for byte.
    let before = std::fs::read(dir.join("labels.jsonl")).unwrap();
    let again = judge("http://127.0.0.1:9/v1", "label", "labels.jsonl");
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(std::fs::read(dir.join("labels.jsonl")).unwrap(), before);

    // The two modes judged the same showings, so their files are ranked apart (together they
    // would count each showing twice, which rank refuses).
    let rank = longforge(&[
        "rank",
        "--battles",
        &file("codes.jsonl"),
        "--prior",
        "1",
        "--bootstrap",
        "100",
        "--out",
        &file("ranking.json"),
    ]);
    assert!(
        rank.status.success(),
        "{}",
        String::from_utf8_lossy(&rank.stderr)
    );
    let ranking: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ranking.json")).unwrap()).unwrap();
    let invalid = read("codes.jsonl")
        .iter()
        .filter(|j| j["verdict"] == "invalid")
        .count();
    assert_eq!(ranking["invalid"], invalid);
    let both = longforge(&[
        "rank",
        "--battles",
        &file("labels.jsonl"),
        &file("codes.jsonl"),
        "--out",
        &file("both.json"),
    ]);
    assert_eq!(both.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&both.stderr).contains("counts once"));
    let agree = longforge(&["agree", &file("labels.jsonl"), &file("codes.jsonl")]);
    let labels_invalid = read("labels.jsonl")
        .iter()
        .filter(|j| j["verdict"] == "invalid")
        .count();
    if labels_invalid == 4 {
        // The small judge never writes a label: nothing to compare, and agree says why.
        let err = String::from_utf8_lossy(&agree.stderr);
        assert_eq!(agree.status.code(), Some(1), "{err}");
        assert!(
            err.contains("verdicts are invalid") && err.contains("--verdict-mode logprob"),
            "{err}"
        );
    } else {
        assert!(
            agree.status.success(),
            "{}",
            String::from_utf8_lossy(&agree.stderr)
        );
        assert!(String::from_utf8_lossy(&agree.stdout).contains("showings matched | 4"));
    }

    let grade = longforge(&[
        "grade",
        "--dataset",
        &s(data),
        "--predictions",
        &file("oracle.jsonl"),
        &file("random.jsonl"),
        "--judge",
        &format!("smol={},model=smollm2-135m", server.url),
        "--max-tokens",
        "48",
        "--store",
        &file("judge-store"),
        "--out",
        &file("grades.jsonl"),
    ]);
    assert_eq!(
        grade.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&grade.stderr)
    );
    let grades = read("grades.jsonl");
    assert_eq!(grades.len(), 4);
    for g in &grades {
        assert!(g["raw"].is_string());
        assert!(g["grade"].is_null() || (1..=10).contains(&g["grade"].as_u64().unwrap()));
    }

    // HoloBench's row judge through the real server: every answer with gold rows is asked, its
    // labels read or the reply marked not judged, beside the rule-based F1.
    let holo = dir.join("holo");
    let gen = longforge(&[
        "generate",
        "holobench",
        "--lengths",
        "1k",
        "--relevant-tokens",
        "300",
        "--databases",
        "college",
        "--placement",
        "begin",
        "--out",
        &s(&holo),
    ]);
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    let oracle = file("holo-oracle.jsonl");
    let run = longforge(&[
        "run",
        "--dataset",
        &s(&holo),
        "--baseline",
        "oracle",
        "--out",
        &oracle,
    ]);
    assert!(run.status.success());
    let judged = longforge(&[
        "score",
        "--dataset",
        &s(&holo),
        "--predictions",
        &oracle,
        "--scorer",
        "row_judge",
        "--judge",
        &format!("smol={},model=smollm2-135m", server.url),
        "--max-tokens",
        "64",
        "--store",
        &file("row-store"),
        "--out",
        &file("row-scores.jsonl"),
    ]);
    assert_eq!(
        judged.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&judged.stderr)
    );
    let scores = read("row-scores.jsonl");
    let samples = read("holo/samples.jsonl");
    assert_eq!(
        scores.iter().filter(|r| r["metric"] == "judged").count(),
        samples.len()
    );
    for r in scores.iter().filter(|r| r["metric"] == "f1") {
        assert_eq!(r["value"], 1.0, "the oracle's rule-based F1");
    }
    for r in scores.iter().filter(|r| r["metric"] == "judge_score") {
        let v = r["value"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&v));
    }
}
