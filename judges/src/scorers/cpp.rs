//! `cpp`: LongProc pseudocode to code. The answer's last ```` ```cpp ```` block is compiled with
//! g++ and run on the sample's test cases in the sandbox (`sandbox.rs`); it is right only when it
//! compiles and passes every test case run.
//!
//! The original compiled with `g++ -std=c++11 -O` and ran the first 10 test cases, 3 s of wall
//! clock each, with no sandbox. Here the flags default to `-std=c++17 -O1` and a sample may name
//! its own in `meta.compile_flags` (imported original data: `["-std=c++11", "-O"]`); every test
//! case of `meta.tests` is run unless `meta.tests_to_run` states a number (the first N), and the
//! number run is recorded in the details. Outputs compare as white-space separated tokens (so a
//! missing final newline or trailing space is not an error, a missing or extra token is).
//!
//! Partial credit is over the test cases, in order (the code's lines would penalise correct
//! programs written differently from the reference): `prefix_credit`, the cases passed before
//! the first failing one, over the cases run; `resync_credit`, all cases passed, over the cases
//! run (the line credit of `procedure.rs` with one "line" a case). A program that does not
//! compile scores 0 on both.
//!
//! `cpp_no_exec` (`longforge score --scorer cpp_no_exec`): compiles and runs nothing, and says so
//! in every score's details (`executed: false`); it reports `prefix_credit` and `resync_credit`
//! over the code's lines against the reference's (white space collapsed), and `extraction_rate`.
//! There is no `accuracy`, since whether the code is right is not known without running it.

use std::time::Instant;

use longforge_datasets::Sample;
use serde_json::{json, Value};

use super::procedure::{self, last_block, lines, LineCredit};
use super::sandbox::{Compiled, Limits, Sandbox, SandboxError};
use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

const OPEN: &str = "```cpp";
const CLOSE: &str = "```";
/// The compiler, found on PATH.
pub const COMPILER: &str = "g++";
/// Flags when the sample names none.
pub const DEFAULT_FLAGS: [&str; 2] = ["-std=c++17", "-O1"];
/// The expected and actual outputs shown for a failing case are cut to this many characters.
const SHOWN: usize = 300;

/// Reads references of kind `cpp`: the reference program in a ```` ```cpp ```` block; the test
/// cases in `meta.tests` (`[{"input": text, "output": text}]`).
///
/// Values, each in [0, 1]:
/// - `accuracy` (headline): 1 when the last ```` ```cpp ```` block compiles and passes every
///   test case run.
/// - `prefix_credit`, `resync_credit`: test cases passed before the first failure, and passed
///   at all, over the cases run.
/// - `extraction_rate`: 1 when the output has a ```` ```cpp ```` block (one cut off before its
///   closing fence is read to the end).
///
/// A missing `g++` is an error (`SandboxError::NoCompiler`), never a 0 score.
pub struct Cpp {
    pub compile: Limits,
    pub run: Limits,
}

impl Cpp {
    pub const DEFAULT: Cpp = Cpp {
        compile: Limits::COMPILE,
        run: Limits::RUN,
    };
}

/// `score --scorer cpp_no_exec`: line credit on the code, nothing compiled or run.
pub struct CppNoExec;

/// One test case of a sample.
struct Case {
    input: String,
    output: String,
}

/// The sample's test cases to run and its compile flags; malformed fields name the sample.
fn cases(
    scorer: &dyn Scorer,
    sample: &Sample,
) -> Result<(Vec<Case>, usize, Vec<String>), JudgeError> {
    let bad = |message: String| JudgeError::Reference {
        sample_id: sample.id.clone(),
        scorer: scorer.name(),
        message,
    };
    let Some(Value::Array(tests)) = sample.meta.get("tests") else {
        return Err(bad(
            "meta.tests is missing or not a list of test cases".into()
        ));
    };
    let mut all = Vec::with_capacity(tests.len());
    for (i, t) in tests.iter().enumerate() {
        let field = |name: &str| {
            t.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| bad(format!("meta.tests[{i}].{name} is missing or not text")))
        };
        all.push(Case {
            input: field("input")?,
            output: field("output")?,
        });
    }
    let total = all.len();
    if let Some(n) = sample.meta.get("tests_to_run") {
        let n = n
            .as_u64()
            .ok_or_else(|| bad(format!("meta.tests_to_run is {n}, not a whole number")))?;
        all.truncate(n as usize);
    }
    if all.is_empty() {
        return Err(bad("no test case to run (meta.tests is empty)".into()));
    }
    let flags = match sample.meta.get("compile_flags") {
        None => DEFAULT_FLAGS.map(str::to_string).to_vec(),
        Some(Value::Array(flags)) => flags
            .iter()
            .map(|f| f.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("meta.compile_flags holds a non-text flag".into()))?,
        Some(other) => return Err(bad(format!("meta.compile_flags is {other}, not a list"))),
    };
    Ok((all, total, flags))
}

fn tokens(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

fn cut(text: &str) -> String {
    text.chars().take(SHOWN).collect()
}

fn sandbox_error(sample: &Sample, e: SandboxError) -> JudgeError {
    match e {
        e @ SandboxError::NoCompiler(_) => JudgeError::Sandbox(e),
        e => JudgeError::Reference {
            sample_id: sample.id.clone(),
            scorer: "cpp",
            message: e.to_string(),
        },
    }
}

impl Scorer for Cpp {
    fn name(&self) -> &'static str {
        "cpp"
    }

    fn summary(&self) -> &'static str {
        "LongProc pseudocode to code: the ```cpp block compiles (g++, sandboxed) and passes every test case (accuracy), with credit over the cases passed"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["cpp"]
    }

    fn values(&self) -> &'static [&'static str] {
        procedure::VALUES
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let _: String = reference_value(self, sample)?;
        let (cases, total, flags) = cases(self, sample)?;
        let zero = |extracted: f64, details: Value, answer: Option<String>| Scored {
            values: vec![
                ("accuracy", 0.0),
                ("prefix_credit", 0.0),
                ("resync_credit", 0.0),
                ("extraction_rate", extracted),
            ],
            answer,
            details,
        };
        let Some(code) = last_block(output, OPEN, CLOSE) else {
            return Ok(zero(
                0.0,
                json!({"extracted": false, "tests_total": total, "tests_run": cases.len()}),
                None,
            ));
        };
        let mut sandbox = Sandbox::new().map_err(|e| sandbox_error(sample, e))?;
        let started = Instant::now();
        let compiled = sandbox
            .compile(COMPILER, &flags, code, &self.compile)
            .map_err(|e| sandbox_error(sample, e))?;
        let compile_ms = started.elapsed().as_secs_f64() * 1e3;
        let program = match compiled {
            Compiled::Program(p) => p,
            Compiled::Failed(f) => {
                let diagnostics = String::from_utf8_lossy(&f.stderr);
                return Ok(zero(
                    1.0,
                    json!({
                        "extracted": true, "executed": true, "compiled": false,
                        "compiler": f.outcome.describe(), "flags": flags,
                        "diagnostics": cut(&diagnostics), "compile_ms": compile_ms,
                        "tests_total": total, "tests_run": cases.len(),
                    }),
                    Some(code.to_string()),
                ));
            }
        };
        let mut passed = Vec::with_capacity(cases.len());
        let mut outcomes = Vec::with_capacity(cases.len());
        let mut first_failure = Value::Null;
        let started = Instant::now();
        for (i, case) in cases.iter().enumerate() {
            let finished = sandbox
                .run(&program, case.input.as_bytes(), &self.run)
                .map_err(|e| sandbox_error(sample, e))?;
            let got = String::from_utf8_lossy(&finished.stdout);
            let ok = finished.outcome.ok() && tokens(&got) == tokens(&case.output);
            let outcome = match (ok, finished.outcome.ok()) {
                (true, _) => "passed".to_string(),
                (false, true) => "wrong output".to_string(),
                (false, false) => finished.outcome.describe(),
            };
            if !ok && first_failure.is_null() {
                first_failure = json!({
                    "case": i + 1, "outcome": outcome, "input": cut(&case.input),
                    "expected": cut(&case.output), "got": cut(&got),
                });
            }
            outcomes.push(outcome);
            passed.push(if ok { "pass" } else { "fail" }.to_string());
        }
        let run_ms = started.elapsed().as_secs_f64() * 1e3;
        let all_pass = vec!["pass".to_string(); cases.len()];
        let credit = LineCredit::of(&all_pass, &passed);
        Ok(Scored {
            values: procedure::values(credit.exact(), &credit, true),
            answer: Some(code.to_string()),
            details: json!({
                "extracted": true, "executed": true, "compiled": true, "flags": flags,
                "tests_total": total, "tests_run": cases.len(), "tests_passed": credit.aligned,
                "outcomes": outcomes, "first_failure": first_failure,
                "compile_ms": compile_ms, "run_ms": run_ms, "sandbox_uid": sandbox.uid(),
            }),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }

    /// Each pick is one line of code (`meta.baseline.candidates`), written in a block.
    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        format!("{OPEN}\n{}\n{CLOSE}", picks.join("\n"))
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }
}

impl Scorer for CppNoExec {
    fn name(&self) -> &'static str {
        "cpp_no_exec"
    }

    fn summary(&self) -> &'static str {
        "LongProc pseudocode to code without compiling or running anything: line credit of the ```cpp block against the reference program"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["cpp"]
    }

    fn values(&self) -> &'static [&'static str] {
        &["prefix_credit", "resync_credit", "extraction_rate"]
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let reference: String = reference_value(self, sample)?;
        let gold = lines(last_block(&reference, OPEN, CLOSE).unwrap_or(&reference));
        let note = "not compiled or run (--scorer cpp_no_exec): line credit against the reference program only";
        let Some(code) = last_block(output, OPEN, CLOSE) else {
            return Ok(Scored {
                values: vec![
                    ("prefix_credit", 0.0),
                    ("resync_credit", 0.0),
                    ("extraction_rate", 0.0),
                ],
                answer: None,
                details: json!({"extracted": false, "executed": false, "note": note}),
            });
        };
        let credit = LineCredit::of(&gold, &lines(code));
        Ok(Scored {
            values: vec![
                ("prefix_credit", credit.prefix_credit),
                ("resync_credit", credit.resync_credit),
                ("extraction_rate", 1.0),
            ],
            answer: Some(code.to_string()),
            details: json!({
                "extracted": true, "executed": false, "note": note,
                "reference_lines": credit.reference_lines, "output_lines": credit.output_lines,
            }),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }

    fn render_answer(&self, sample: &Sample, picks: &[String]) -> String {
        Cpp::DEFAULT.render_answer(sample, picks)
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorers::sandbox::{processes_of, Limits, Outcome};
    use longforge_datasets::Reference;
    use std::time::Duration;

    /// Reads n numbers, prints their sum and their largest.
    const GOLD: &str = "```cpp\n#include <iostream>\nusing namespace std;\nint main() {\n    int n;\n    cin >> n;\n    long long s = 0, best = -1000000;\n    for (int i = 0; i < n; i++) {\n        long long x;\n        cin >> x;\n        s += x;\n        if (x > best) best = x;\n    }\n    cout << s << ' ' << best << '\\n';\n    return 0;\n}\n```";

    fn sample(tests: Value) -> Sample {
        serde_json::from_value(json!({
            "id": "lp/p0", "family": "longproc", "task": "pseudo-to-code", "lang": "en",
            "question": "q", "prompt": "p",
            "reference": Reference { kind: "cpp".into(), value: Value::String(GOLD.into()) },
            "meta": {"tests": tests}
        }))
        .unwrap()
    }

    fn three() -> Sample {
        sample(json!([
            {"input": "3\n1 2 3\n", "output": "6 3\n"},
            {"input": "2\n-5 4\n", "output": "-1 4\n"},
            {"input": "1\n7\n", "output": "7 7\n"},
        ]))
    }

    fn values(s: &Sample, output: &str) -> Vec<f64> {
        Cpp::DEFAULT
            .score(s, output)
            .unwrap()
            .values
            .iter()
            .map(|v| v.1)
            .collect()
    }

    fn block(code: &str) -> String {
        format!("Here it is.\n```cpp\n{code}\n```\n")
    }

    #[test]
    fn gpp_is_installed() {
        let out = std::process::Command::new(COMPILER)
            .arg("--version")
            .output();
        assert!(
            out.is_ok_and(|o| o.status.success()),
            "the pseudo-to-code checker needs g++ (apt-get install g++)"
        );
    }

    #[test]
    fn the_reference_passes_and_wrong_programs_get_credit_over_cases() {
        let s = three();
        assert_eq!(values(&s, GOLD), [1.0, 1.0, 1.0, 1.0]);
        // Right on cases 1 and 3 only (wrong when a negative number is read).
        let half = GOLD.replace("s += x;", "s += x < 0 ? 0 : x;");
        assert_eq!(values(&s, &half), [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]);
        // Spacing differs, tokens do not: right.
        let spaced = GOLD
            .replace("<< ' ' <<", "<< \"   \" <<")
            .replace("'\\n'", "\" \\n\\n\"");
        assert_eq!(values(&s, &spaced)[0], 1.0);
        // Does not compile.
        let scored = Cpp::DEFAULT.score(&s, &block("int main( {")).unwrap();
        assert_eq!(
            scored.values.iter().map(|v| v.1).collect::<Vec<_>>(),
            [0.0, 0.0, 0.0, 1.0]
        );
        assert_eq!(scored.details["compiled"], false);
        assert!(scored.details["diagnostics"]
            .as_str()
            .unwrap()
            .contains("error"));
        // No block.
        assert_eq!(values(&s, "int main() {}"), [0.0, 0.0, 0.0, 0.0]);
        // A stated number of cases: only the first is run, and the details say so.
        let mut first = three();
        first.meta.insert("tests_to_run".into(), json!(1));
        let scored = Cpp::DEFAULT.score(&first, &half).unwrap();
        assert_eq!(scored.values[0].1, 1.0);
        assert_eq!(
            (
                scored.details["tests_run"].clone(),
                scored.details["tests_total"].clone()
            ),
            (json!(1), json!(3))
        );
    }

    #[test]
    fn compile_flags_come_from_the_sample_and_bad_meta_names_the_sample() {
        // `gets`-free C++11 code that C++17 also takes; the flags are recorded.
        let mut s = three();
        s.meta
            .insert("compile_flags".into(), json!(["-std=c++11", "-O"]));
        let scored = Cpp::DEFAULT.score(&s, GOLD).unwrap();
        assert_eq!(scored.values[0].1, 1.0);
        assert_eq!(scored.details["flags"], json!(["-std=c++11", "-O"]));
        let err = Cpp::DEFAULT
            .score(&sample(json!([{"input": "1"}])), GOLD)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("lp/p0") && err.contains("meta.tests[0].output"),
            "{err}"
        );
        let err = Cpp::DEFAULT
            .score(&sample(json!("x")), GOLD)
            .unwrap_err()
            .to_string();
        assert!(err.contains("meta.tests"), "{err}");
    }

    #[test]
    fn no_exec_runs_nothing_and_says_so() {
        let s = three();
        let scored = CppNoExec.score(&s, GOLD).unwrap();
        assert_eq!(
            scored.values.iter().map(|v| v.1).collect::<Vec<_>>(),
            [1.0, 1.0, 1.0]
        );
        assert_eq!(scored.details["executed"], false);
        let scored = CppNoExec.score(&s, &block("int main() {}")).unwrap();
        assert!(scored.values[1].1 < 1.0 && scored.values[2].1 == 1.0);
    }

    /// Everything the sandbox user could have left: its processes and its files in the shared
    /// temporary folders.
    fn leftovers(uid: u32) -> (Vec<u32>, Vec<std::path::PathBuf>) {
        use std::os::unix::fs::MetadataExt;
        let files = ["/tmp", "/var/tmp", "/dev/shm"]
            .iter()
            .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
            .filter(|e| e.metadata().is_ok_and(|m| m.uid() == uid))
            .map(|e| e.path())
            .collect();
        (processes_of(uid), files)
    }

    #[test]
    fn hostile_programs_fail_their_case_within_seconds_and_leave_nothing_behind() {
        let s = sample(json!([{"input": "1\n5\n", "output": "5 5\n"}]));
        let hostile = [
            ("fork bomb", "#include <unistd.h>\nint main() { while (true) fork(); }"),
            ("infinite loop", "int main() { volatile long x = 0; while (true) x++; }"),
            (
                "10 GB allocation",
                "#include <vector>\n#include <iostream>\nint main() { std::vector<char> v(10000000000ULL, 1); std::cout << (int)v[5] << std::endl; }",
            ),
            (
                "huge file",
                "#include <cstdio>\nint main() { FILE* f = fopen(\"big\", \"w\"); static char b[1 << 20]; for (long i = 0; i < 100000; i++) fwrite(b, 1, sizeof b, f); fclose(f); }",
            ),
            (
                "endless output",
                "#include <cstdio>\nint main() { while (true) puts(\"spam spam spam spam\"); }",
            ),
            (
                "file in /tmp, then sleeping (its fork fails: one process only)",
                "#include <cstdio>\n#include <unistd.h>\nint main() { FILE* f = fopen(\"/tmp/longforge-escape\", \"w\"); fputs(\"x\", f); fclose(f); if (fork() == 0) { setsid(); sleep(100); } sleep(100); }",
            ),
        ];
        let all = Instant::now();
        for (what, code) in hostile {
            let started = Instant::now();
            let scored = Cpp::DEFAULT.score(&s, &block(code)).unwrap();
            let took = started.elapsed();
            let run_took =
                Duration::from_secs_f64(scored.details["run_ms"].as_f64().unwrap_or(0.0) / 1e3);
            assert_eq!(
                scored.details["compiled"], true,
                "{what}: {}",
                scored.details
            );
            assert_eq!(scored.values[0].1, 0.0, "{what}: {}", scored.details);
            assert_eq!(scored.values[3].1, 1.0, "{what}");
            assert!(
                // The wall limit (5 s), and not as root up to 2 s more for pipes an escaped
                // child holds.
                run_took < Duration::from_secs(8),
                "{what}: ran {run_took:?}"
            );
            eprintln!(
                "{what}: {} in {took:?} (run {run_took:?})",
                scored.details["outcomes"][0]
            );
            if let Some(uid) = scored.details["sandbox_uid"].as_u64() {
                let (procs, files) = leftovers(uid as u32);
                assert!(
                    procs.is_empty(),
                    "{what}: processes of uid {uid} left: {procs:?}"
                );
                assert!(
                    files.is_empty(),
                    "{what}: files of uid {uid} left: {files:?}"
                );
            }
        }
        // SAFETY: no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            assert!(!std::path::Path::new("/tmp/longforge-escape").exists());
        } else {
            // Not as root the program is our own uid: its files outside its directory stay.
            let _ = std::fs::remove_file("/tmp/longforge-escape");
        }
        assert!(
            all.elapsed() < Duration::from_secs(60),
            "{:?}",
            all.elapsed()
        );
    }

    #[test]
    fn the_run_limits_are_the_documented_ones_and_as_root_a_slot_uid_is_used() {
        assert_eq!(Limits::RUN.processes, 1);
        assert_eq!(Limits::RUN.cpu_seconds, 2);
        let mut sandbox = Sandbox::new().unwrap();
        // SAFETY: no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            let uid = sandbox.uid().unwrap();
            assert!(
                (super::super::sandbox::UID_BASE..super::super::sandbox::UID_BASE + 32)
                    .contains(&uid)
            );
        }
        let root = sandbox.path().to_path_buf();
        let Compiled::Program(p) = sandbox
            .compile(COMPILER, &["-O0".into()], "#include <cstdio>\n#include <unistd.h>\nint main() { printf(\"%d %d\", (int)getuid(), fork() < 0 ? 1 : 0); return 0; }", &Limits::COMPILE)
            .unwrap()
        else {
            panic!("did not compile")
        };
        let f = sandbox.run(&p, b"", &Limits::RUN).unwrap();
        assert_eq!(f.outcome, Outcome::Exited(0));
        let out = String::from_utf8(f.stdout).unwrap();
        if let Some(uid) = sandbox.uid() {
            // The program runs as the slot's uid and cannot fork.
            assert_eq!(out, format!("{uid} 1"));
        }
        drop(sandbox);
        assert!(!root.exists(), "the sandbox directory is deleted");
    }

    /// With processes allowed, a child that leaves the process group (setsid) and sleeps is
    /// still ended by the sweep of the slot's uid (as root).
    #[test]
    fn an_escaped_child_is_swept() {
        let mut sandbox = Sandbox::new().unwrap();
        let code = "#include <unistd.h>\nint main() { if (fork() == 0) { setsid(); if (fork() == 0) sleep(100); sleep(100); } return 0; }";
        let Compiled::Program(p) = sandbox
            .compile(COMPILER, &["-O0".into()], code, &Limits::COMPILE)
            .unwrap()
        else {
            panic!("did not compile")
        };
        let limits = Limits {
            processes: 8,
            ..Limits::RUN
        };
        let started = Instant::now();
        let f = sandbox.run(&p, b"", &limits).unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            f.outcome
        );
        match sandbox.uid() {
            Some(uid) => assert_eq!(leftovers(uid), (vec![], vec![])),
            None => eprintln!("not root: the sweep by uid is not exercised"),
        }
    }

    #[test]
    fn a_template_bomb_is_stopped_by_the_compile_limits() {
        let bomb = "template <int N, long long M> struct X { static const long long v = X<N - 1, 2 * M>::v + X<N - 1, 2 * M + 1>::v; };\ntemplate <long long M> struct X<0, M> { static const long long v = M; };\nint main() { return X<40, 1>::v > 0; }";
        let tight = Cpp {
            compile: Limits {
                cpu_seconds: 3,
                wall: Duration::from_secs(6),
                ..Limits::COMPILE
            },
            run: Limits::RUN,
        };
        let started = Instant::now();
        let scored = tight.score(&three(), &block(bomb)).unwrap();
        assert_eq!(scored.details["compiled"], false, "{}", scored.details);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        eprintln!(
            "template bomb: {} in {:?}",
            scored.details["compiler"],
            started.elapsed()
        );
    }

    #[test]
    fn a_missing_compiler_is_an_error_not_a_zero() {
        let mut sandbox = Sandbox::new().unwrap();
        let err = sandbox
            .compile("g++-not-installed", &[], "int main() {}", &Limits::COMPILE)
            .err()
            .unwrap();
        assert!(matches!(err, SandboxError::NoCompiler(_)), "{err}");
        assert!(err.to_string().contains("apt-get install g++"));
    }
}

#[cfg(test)]
mod generated {
    use super::*;
    use longforge_datasets::{TokenCounter, TokenizerSpec};
    use longforge_generators::{family, Inputs};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

        /// Every generated reference compiles and passes its own test cases in the sandbox, and
        /// is within 25% of its level in tokens.
        #[test]
        fn generated_references_score_one_and_fit_their_level(seed in 0u64..1_000_000) {
            let longproc = family("longproc").unwrap();
            let params = json!({"task": "pseudo-to-code", "levels": ["0.5k", "2k", "8k"], "tests": [6], "seed": seed});
            let resolved = longproc.resolve(params, &Inputs::default()).unwrap();
            let started = Instant::now();
            let samples = longproc.generate(&resolved, &Inputs::default(), &mut |_, _| {}).unwrap().samples;
            eprintln!("generated 3 samples in {:?}", started.elapsed());
            prop_assert_eq!(samples.len(), 3);
            let counter = TokenCounter::load(&TokenizerSpec::parse("cl100k_base")).unwrap();
            for s in &samples {
                let perfect = Cpp::DEFAULT.perfect_answer(s).unwrap();
                let scored = Cpp::DEFAULT.score(s, &perfect).unwrap();
                prop_assert!(scored.values.iter().all(|v| v.1 == 1.0), "{}: {:?} {}", s.id, scored.values, scored.details);
                prop_assert_eq!(&scored.details["tests_run"], &json!(6));
                let level = s.meta["target_tokens"].as_f64().unwrap();
                let got = counter.count(&perfect).unwrap() as f64;
                prop_assert_eq!(s.meta["output_tokens"].as_f64(), Some(got));
                prop_assert!((got - level).abs() <= 0.25 * level, "{}: {} tokens", s.id, got);
                eprintln!("{}: {} tokens, {} attempts, compile {:.0} ms, run {:.0} ms ({} cases)", s.id, got, s.meta["attempts"], scored.details["compile_ms"].as_f64().unwrap(), scored.details["run_ms"].as_f64().unwrap(), scored.details["tests_run"]);
            }
        }
    }

    /// Measures checking: compile and run time per program, and reference programs checked a
    /// second with every core busy (`cargo test -p longforge-judges --lib cpp_throughput --
    /// --ignored --nocapture`; LONGFORGE_CPP_SAMPLES samples of 8k, default 8).
    #[test]
    #[ignore = "a measurement, minutes long"]
    fn cpp_throughput() {
        let n: usize = std::env::var("LONGFORGE_CPP_SAMPLES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(8);
        let longproc = family("longproc").unwrap();
        let params = json!({"task": "pseudo-to-code", "levels": ["8k"], "count": n, "seed": 5});
        let resolved = longproc.resolve(params, &Inputs::default()).unwrap();
        let started = Instant::now();
        let samples = longproc
            .generate(&resolved, &Inputs::default(), &mut |_, _| {})
            .unwrap()
            .samples;
        let generate_ms = started.elapsed().as_secs_f64() * 1e3 / n as f64;
        let check = |s: &Sample| {
            let perfect = Cpp::DEFAULT.perfect_answer(s).unwrap();
            let scored = Cpp::DEFAULT.score(s, &perfect).unwrap();
            assert_eq!(scored.values[0].1, 1.0, "{}", scored.details);
            let d = &scored.details;
            (
                d["compile_ms"].as_f64().unwrap(),
                d["run_ms"].as_f64().unwrap() / d["tests_run"].as_f64().unwrap(),
            )
        };
        let started = Instant::now();
        let one: Vec<(f64, f64)> = samples.iter().map(check).collect();
        let serial = started.elapsed().as_secs_f64();
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
        let started = Instant::now();
        std::thread::scope(|scope| {
            for part in samples.chunks(n.div_ceil(cores)) {
                scope.spawn(move || {
                    part.iter().for_each(|s| {
                        check(s);
                    })
                });
            }
        });
        let parallel = started.elapsed().as_secs_f64();
        let mean = |f: fn(&(f64, f64)) -> f64| one.iter().map(f).sum::<f64>() / n as f64;
        eprintln!(
            "8k: generate {generate_ms:.1} ms/sample; compile {:.0} ms/program, run {:.1} ms/case; serial {:.2} programs/s; {cores} threads {:.2} programs/s",
            mean(|x| x.0),
            mean(|x| x.1),
            n as f64 / serial,
            n as f64 / parallel
        );
    }
}
