//! 1M-token NeedleBench samples (single needle and the Ancestral Trace Challenge on the embedded
//! prose; single needle on a user's 10 MB haystack file) timed beside the original's Python
//! path on the same filler, both in process and as whole processes with their peak memory, and
//! beside one pass of each exact counter over the final context: tiktoken-rs (the reference)
//! and bpe-openai (what longforge counts with).
//!
//! Needs the Python side: run through `just bench`, which sets LONGFORGE_BENCH_PYTHON (a venv with
//! tiktoken) and TIKTOKEN_CACHE_DIR (the BPE files, offline).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use longforge_datasets::{Sample, TokenCounter, TokenizerSpec};
use longforge_generators::haystack::{HaystackSource, Lang};
use longforge_generators::{family, Inputs};
use serde_json::{json, Value};

const ROUNDS: usize = 5;

struct Case {
    name: &'static str,
    params: Value,
    /// The `generate` arguments after `needlebench`, for the whole-process run.
    args: Vec<String>,
    haystack: Option<PathBuf>,
}

fn main() {
    let python = std::env::var("LONGFORGE_BENCH_PYTHON").unwrap_or_else(|_| {
        eprintln!("LONGFORGE_BENCH_PYTHON is not set: run `just bench`, which makes the venv with tiktoken");
        std::process::exit(2);
    });
    if std::env::var("TIKTOKEN_CACHE_DIR").is_err() {
        eprintln!("TIKTOKEN_CACHE_DIR is not set: run `just bench` (tiktoken cannot download its files here)");
        std::process::exit(2);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let haystack = dir.path().join("haystack.txt");
    let haystack_bytes = write_haystack(&haystack, 10_000_000);
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).expect("cl100k_base is built in");
    let tiktoken = tiktoken_rs::cl100k_base_singleton();
    let nb = family("needlebench").expect("needlebench is registered");
    let args = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    let cases = [
        Case {
            name: "single needle, embedded prose",
            params: json!({"task": "single", "lengths": ["1m"], "depths": [50], "seed": 1}),
            args: args("--task single --lengths 1m --depths 50 --seed 1"),
            haystack: None,
        },
        Case {
            name: "ATC 8 links, embedded prose",
            params: json!({"task": "atc", "lengths": ["1m"], "needles": [8], "seed": 1}),
            args: args("--task atc --lengths 1m --needles 8 --seed 1"),
            haystack: None,
        },
        Case {
            name: "single needle, user haystack",
            params: json!({"task": "single", "lengths": ["1m"], "depths": [50], "seed": 1}),
            args: args("--task single --lengths 1m --depths 50 --seed 1"),
            haystack: Some(haystack.clone()),
        },
    ];
    println!(
        "user haystack: {:.1} MB of prose, {} tokens\n",
        haystack_bytes as f64 / 1e6,
        counter
            .count_parallel(&std::fs::read_to_string(&haystack).expect("reads"))
            .expect("counts")
    );
    println!("| 1M-token sample | longforge in process (s) | Python in process (s) | tiktoken-rs pass (s) | bpe-openai pass (s) | longforge / tiktoken-rs pass | longforge process (s, MB) | Python process (s, MB) | longforge / Python process |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for case in cases {
        let mut inputs = Inputs::default();
        if let Some(h) = &case.haystack {
            inputs.files.insert("haystack".into(), h.clone());
        }
        let resolved =
            longforge_generators::resolve(nb, case.params.clone(), &inputs).expect("valid params");
        let mut ours = Vec::new();
        let mut sample: Option<Sample> = None;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let generated = nb
                .generate(&resolved, &inputs, &mut |_, _| {})
                .expect("generates");
            ours.push(start.elapsed().as_secs_f64());
            sample = generated.samples.into_iter().next();
        }
        let sample = sample.expect("one sample");
        let context = sample.context.clone().unwrap_or_default();
        let (mut reference, mut fast) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let n = tiktoken.encode_ordinary(&context).len();
            reference.push(start.elapsed().as_secs_f64());
            // On a fresh thread: the counter keeps short pieces' counts per thread, and a pass
            // on this one would find every piece of this text already counted.
            let (m, took) = std::thread::scope(|s| {
                s.spawn(|| {
                    let start = Instant::now();
                    let m = counter.count(&context).expect("counts");
                    (m, start.elapsed().as_secs_f64())
                })
                .join()
                .expect("the counting thread ends")
            });
            fast.push(took);
            assert_eq!(n, m, "the counters agree");
            assert_eq!(
                Some(n as u64),
                sample.meta["context_tokens"].as_u64(),
                "meta holds the exact count"
            );
        }
        let (filler, needles) = python_inputs(dir.path(), &sample, case.haystack.as_deref());
        let python_in_process = python_path(&python, &filler, &needles, ROUNDS);
        let (ours_process, ours_mb) = median_process(|| {
            let out = dir.path().join("out");
            let _ = std::fs::remove_dir_all(&out);
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_longforge"));
            cmd.args(["generate", "needlebench"]).args(&case.args);
            if let Some(h) = &case.haystack {
                cmd.arg("--haystack").arg(h);
            }
            cmd.arg("--out").arg(&out);
            cmd
        });
        let (python_process, python_mb) = median_process(|| {
            let mut cmd = Command::new(&python);
            cmd.arg(script())
                .arg(&filler)
                .arg(&needles)
                .args(["1000000", "1"]);
            cmd
        });
        let o = median(&ours);
        println!(
            "| {} | {o:.3} | {:.3} | {:.3} | {:.3} | {:.2}x | {ours_process:.3}, {ours_mb:.1} | {python_process:.3}, {python_mb:.1} | {:.2}x |",
            case.name,
            median(&python_in_process),
            median(&reference),
            median(&fast),
            o / median(&reference),
            ours_process / python_process,
        );
    }
    println!(
        "\nmedians of {ROUNDS} rounds; longforge uses {} threads; in process, rounds after the first find short pieces already counted on their threads (a long run's steady state), while a process and a counter pass start cold; a process's memory is its peak resident set",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    large_corpus(dir.path());
}

/// A JSON Lines corpus far larger than a sample (LONGFORGE_BENCH_CORPUS_MB, default 1024): the
/// run indexes it once and reads only what its samples use, so its peak memory stays far below
/// the file's size.
fn large_corpus(dir: &Path) {
    let mb: usize = std::env::var("LONGFORGE_BENCH_CORPUS_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let path = dir.join("corpus.jsonl");
    let bytes = write_corpus(&path, mb << 20);
    let out = dir.join("large-out");
    let (seconds, peak) = median_process(|| {
        let _ = std::fs::remove_dir_all(&out);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_longforge"));
        cmd.args([
            "generate",
            "needlebench",
            "--task",
            "single",
            "--lengths",
            "1m",
        ])
        .args(["--depths", "25,75", "--seed", "1", "--haystack"])
        .arg(&path)
        .arg("--out")
        .arg(&out);
        cmd
    });
    println!(
        "\n| JSON Lines corpus | file (MB) | two 1M-token samples, whole process (s) | peak memory (MB) |\n|---|---:|---:|---:|\n| seeded prose, one paragraph a line | {:.0} | {seconds:.2} | {peak:.0} |",
        bytes as f64 / (1 << 20) as f64
    );
    let _ = std::fs::remove_file(&path);
}

/// Seeded English prose as JSON Lines (`{"text": ...}`, one paragraph a document) until about
/// `bytes` bytes, written in blocks.
fn write_corpus(path: &Path, bytes: usize) -> usize {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("creates"));
    let mut stream = HaystackSource::Prose(Lang::En).stream(777);
    let mut written = 0;
    while written < bytes {
        let paragraph = stream
            .next_paragraph()
            .expect("prose never fails")
            .expect("prose never ends");
        let line = serde_json::to_string(&json!({"text": paragraph.join(" ")})).expect("json");
        file.write_all(line.as_bytes())
            .and_then(|()| file.write_all(b"\n"))
            .expect("writes");
        written += line.len() + 1;
    }
    file.flush().expect("flushes");
    written
}

/// Seeded English prose, paragraphs separated by blank lines, until about `bytes` bytes.
fn write_haystack(path: &Path, bytes: usize) -> usize {
    let mut stream = HaystackSource::Prose(Lang::En).stream(4242);
    let mut text = String::with_capacity(bytes + 4096);
    while text.len() < bytes {
        let paragraph = stream
            .next_paragraph()
            .expect("prose never fails")
            .expect("prose never ends");
        text.push_str(&paragraph.join(" "));
        text.push_str("\n\n");
    }
    std::fs::write(path, &text).expect("writes the haystack");
    text.len()
}

/// The Python path's filler and needles: the user's file as it is (the original reads a
/// corpus line by line), or for the embedded prose the sample's own paragraphs without the
/// needles; the same needles at the same depths.
fn python_inputs(dir: &Path, sample: &Sample, haystack: Option<&Path>) -> (PathBuf, PathBuf) {
    let evidence = sample.meta["evidence"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let depths = sample.meta["depths"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let needles: Vec<Value> = evidence
        .iter()
        .zip(&depths)
        .map(|(e, d)| json!([e["text"], d]))
        .collect();
    let needles_path = dir.join("needles.json");
    std::fs::write(&needles_path, serde_json::to_vec(&needles).expect("json"))
        .expect("write needles");
    if let Some(h) = haystack {
        return (h.to_path_buf(), needles_path);
    }
    let mut filler = sample
        .context
        .as_deref()
        .unwrap_or_default()
        .replace("\n\n", "\n");
    for e in &evidence {
        filler = filler.replace(e["text"].as_str().unwrap_or_default(), "");
    }
    let filler_path = dir.join("filler.txt");
    std::fs::write(&filler_path, filler).expect("write filler");
    (filler_path, needles_path)
}

fn script() -> &'static str {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/original_needlebench.py"
    )
}

/// The original's algorithm, timed inside Python over `rounds` rounds (the file read and
/// tiktoken's loading excluded, as longforge's in-process figure excludes its own).
fn python_path(python: &str, filler: &Path, needles: &Path, rounds: usize) -> Vec<f64> {
    let out = Command::new(python)
        .arg(script())
        .arg(filler)
        .arg(needles)
        .args(["1000000", &rounds.to_string()])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "python path failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("python prints JSON");
    report["seconds"]
        .as_array()
        .map(|v| v.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// The median wall time over [`ROUNDS`] runs of a command, and the largest peak resident set
/// (MB) among them.
///
/// The peak is read by GNU time (`/usr/bin/time -f %M`), which forks the command from its own
/// small process. A child spawned straight from this bench would not do: Linux carries the
/// spawning process's peak resident set into the child's accounting across exec (the child
/// starts as a copy, or a vfork, of this bench, which holds a 1M-token sample), so wait4 would
/// report this bench's own size, the same for every command measured. Without GNU time the
/// peak is reported as NaN rather than a figure that cannot be trusted.
fn median_process(mut make: impl FnMut() -> Command) -> (f64, f64) {
    let time = Path::new("/usr/bin/time");
    let mut seconds = Vec::new();
    let mut peak_kb: Option<f64> = None;
    let report = tempfile::NamedTempFile::new().expect("a temporary file");
    for _ in 0..ROUNDS {
        let inner = make();
        let mut cmd = if time.exists() {
            let mut c = Command::new(time);
            c.args(["-f", "%M", "-o"]).arg(report.path());
            c.arg(inner.get_program()).args(inner.get_args());
            c
        } else {
            make()
        };
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let start = Instant::now();
        let status = cmd.status().expect("starts");
        seconds.push(start.elapsed().as_secs_f64());
        assert!(status.success(), "{:?} failed", inner.get_program());
        if time.exists() {
            let kb: f64 = std::fs::read_to_string(report.path())
                .ok()
                .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()))
                .expect("GNU time wrote the peak in KB");
            peak_kb = Some(peak_kb.map_or(kb, |p| p.max(kb)));
        }
    }
    (median(&seconds), peak_kb.map_or(f64::NAN, |kb| kb / 1024.0))
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
