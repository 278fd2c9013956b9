//! Running the `longforge` binary as a user would, for the end-to-end tests.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub fn longforge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_longforge"))
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn ok(args: &[&str]) -> Output {
    let out = longforge(args);
    assert!(
        out.status.success(),
        "longforge {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a command that must fail with exit code 1, returning its stderr.
pub fn fails(args: &[&str]) -> String {
    let out = longforge(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "longforge {args:?} should fail; stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

pub fn read_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `longforge score --dataset DATASET --out OUT [EXTRA...] --predictions FILES...`, which must
/// succeed.
pub fn score(dataset: &Path, out: &Path, extra: &[&str], files: &[std::path::PathBuf]) -> Output {
    let mut args = vec!["score", "--dataset", s(dataset), "--out", s(out)];
    args.extend(extra);
    args.push("--predictions");
    args.extend(files.iter().map(|f| s(f)));
    ok(&args)
}

/// Compares `got` with the golden file `tests/golden/NAME`, or rewrites it when blessing.
pub fn golden(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("LONGFORGE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; make it with `just bless`", path.display()));
    if want != got {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
        panic!(
            "{} differs from the output at line {} (rewrite it with `just bless` if the change is meant):\n--- golden\n{}\n--- got\n{}",
            path.display(),
            line + 1,
            want.lines().nth(line).unwrap_or("(end)"),
            got.lines().nth(line).unwrap_or("(end)")
        );
    }
}
