//! `longforge report` end to end: the site's files from a small fixed input
//! (`tests/fixtures/report`, written for these tests), its Markdown and CSV against golden files
//! (rewritten with `just bless`), and the site opened in a real browser.
//!
//! The browser is headless Chromium (Debian's `chromium`, installed by `scripts/chromium.sh`,
//! which `just test` and `.ci/run` call; `LONGFORGE_CHROMIUM` names another binary). A test that
//! cannot find it fails: it never skips. The fixture's model names and judge replies hold
//! `<script>` tags, a `javascript:` link, an `onerror` attribute and a `</svg>` that would each
//! set `data-pwned` on the page's root element if they ran.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::cli::{fails, golden, ok, s};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name)
}

/// The site of the fixture, with `extra` flags, in `dir`.
fn site(dir: &Path, extra: &[&str]) {
    let (summary, ratings, judgments) = (
        fixture("summary.jsonl"),
        fixture("ratings.json"),
        fixture("judgments.jsonl"),
    );
    let mut args = vec![
        "report",
        "--summary",
        s(&summary),
        "--ratings",
        s(&ratings),
        "--judgments",
        s(&judgments),
        "--title",
        "Fixture <b>board</b>",
        "--out",
        s(dir),
    ];
    args.extend_from_slice(extra);
    ok(&args);
}

#[test]
fn the_markdown_and_csv_match_their_golden_files_and_the_json_holds_every_model() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let previous = fixture("previous.jsonl");
    site(&dir, &["--compare", s(&previous)]);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    golden("report/leaderboard.md", &read("leaderboard.md"));
    golden("report/leaderboard.csv", &read("leaderboard.csv"));
    let board: Value = serde_json::from_str(&read("leaderboard.json")).unwrap();
    assert_eq!(board["rows"].as_array().unwrap().len(), 6);
    assert_eq!(board["dropped"], serde_json::json!(["retired"]));
    // beta was at 0.98 on both tasks before: its intervals no longer overlap.
    let beta = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == "beta")
        .unwrap();
    let moved: Vec<&str> = beta["change"]["moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["figure"].as_str().unwrap())
        .collect();
    assert!(
        moved.contains(&"overall") && moved.contains(&"nocha/claims"),
        "{moved:?}"
    );
    // The same input gives the same bytes.
    let again = tmp.path().join("again");
    site(&again, &["--compare", s(&previous)]);
    for name in [
        "index.html",
        "leaderboard.md",
        "leaderboard.csv",
        "img/ratings.svg",
    ] {
        assert_eq!(
            std::fs::read(dir.join(name)).unwrap(),
            std::fs::read(again.join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn every_page_escapes_what_came_from_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    site(&dir, &[]);
    let mut pages = 0;
    for entry in walk(&dir) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let name = entry.display().to_string();
        if name.ends_with(".html") {
            pages += 1;
            // The page's own script is the only one.
            assert_eq!(text.matches("<script").count(), 1, "{name}");
            assert!(text.contains("Content-Security-Policy"), "{name}");
            assert!(!text.contains("onerror=\""), "{name}");
            assert!(!text.contains("<b>board</b>"), "{name}");
            assert!(!text.contains("href=\"javascript:"), "{name}");
        }
        if name.ends_with(".svg") {
            assert_eq!(text.matches("</svg>").count(), 1, "{name}");
            assert!(
                !text.contains("<script") && !text.contains("onload=\""),
                "{name}"
            );
        }
    }
    assert!(
        pages >= 2 + 2 + 6,
        "index, methodology, 2 families, 6 models: {pages}"
    );
    // Model pages are named by a slug a link cannot escape from.
    for entry in walk(&dir) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
            "{name}"
        );
    }
}

#[test]
fn bad_input_is_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let summary = fixture("summary.jsonl");
    let err = fails(&[
        "report",
        "--summary",
        s(&summary),
        s(&summary),
        "--out",
        s(&dir),
    ]);
    assert!(err.contains("given twice"), "{err}");
    // Rows the leaderboard cannot show honestly are refused, naming file, line and field.
    let bad = tmp.path().join("bad.jsonl");
    let first = std::fs::read_to_string(&summary)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    for (edit, want) in [
        (
            ("\"value\": 0.45", "\"value\": 7.5"),
            "`value` 7.5 is outside [0, 1]",
        ),
        (
            ("\"ci_low\": 0.35", "\"ci_low\": 0.5"),
            "does not hold `value`",
        ),
        (
            ("\"value\": 0.45", "\"value\": null"),
            "`value` is null but `n` is 40",
        ),
    ] {
        assert!(first.contains(edit.0), "{first}");
        let line = first.replacen(edit.0, edit.1, 1);
        std::fs::write(&bad, format!("{line}\n")).unwrap();
        let err = fails(&["report", "--summary", s(&bad), "--out", s(&dir)]);
        assert!(
            err.contains(want) && err.contains("bad.jsonl line 1"),
            "{err}"
        );
    }
    let mut two = first.replacen("\"level\": 0.95", "\"level\": 0.9", 1);
    two.push('\n');
    two.push_str(&first.replacen("needle_f1", "other", 1));
    std::fs::write(&bad, two).unwrap();
    let err = fails(&["report", "--summary", s(&bad), "--out", s(&dir)]);
    assert!(err.contains("line 2: `level`"), "{err}");
    let mut nameless: Value = serde_json::from_str(&first).unwrap();
    nameless["model"] = Value::from(" ");
    std::fs::write(&bad, format!("{nameless}\n")).unwrap();
    let err = fails(&["report", "--summary", s(&bad), "--out", s(&dir)]);
    assert!(err.contains("line 1: `model` is empty"), "{err}");
    let grades = tmp.path().join("grades.jsonl");
    std::fs::write(
        &grades,
        "{\"question_id\":\"q\",\"model\":\"alpha\",\"judge\":\"j\",\"grade\":7,\"raw\":null}\n{\"question_id\":\"q\",\"model\":\"beta\",\"judge\":\"j\",\"grade\":11,\"raw\":null}\n",
    )
    .unwrap();
    let err = fails(&[
        "report",
        "--summary",
        s(&summary),
        "--grades",
        s(&grades),
        "--out",
        s(&dir),
    ]);
    assert!(
        err.contains("grades.jsonl:2: field `grade`: 11 is outside"),
        "{err}"
    );
    let file_out = tmp.path().join("file-out");
    std::fs::write(&file_out, "x").unwrap();
    let err = fails(&["report", "--summary", s(&summary), "--out", s(&file_out)]);
    assert!(err.contains("is a file"), "{err}");
    // An output that holds an input, or a folder `report` did not make, is never replaced.
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    let inside = inputs.join("summary.jsonl");
    std::fs::copy(&summary, &inside).unwrap();
    let err = fails(&[
        "report",
        "--summary",
        s(&inside),
        "--out",
        s(&inputs),
        "--force",
    ]);
    assert!(err.contains("holds the input file"), "{err}");
    assert!(inside.exists());
    let mine = tmp.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("important.txt"), "keep").unwrap();
    let err = fails(&[
        "report",
        "--summary",
        s(&summary),
        "--out",
        s(&mine),
        "--force",
    ]);
    assert!(err.contains("no site made by `longforge report`"), "{err}");
    assert!(mine.join("important.txt").exists());
    let ratings = fixture("judgments.jsonl");
    let err = fails(&[
        "report",
        "--summary",
        s(&summary),
        "--ratings",
        s(&ratings),
        "--out",
        s(&dir),
    ]);
    assert!(
        err.contains("judgments.jsonl") && err.contains("ratings"),
        "{err}"
    );
    assert!(!dir.exists());
    site(&dir, &[]);
    let err = fails(&["report", "--summary", s(&summary), "--out", s(&dir)]);
    assert!(err.contains("--force") || err.contains("exists"), "{err}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn chromium() -> String {
    let name = std::env::var("LONGFORGE_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let found = Command::new(&name).arg("--version").output();
    assert!(
        found.as_ref().is_ok_and(|o| o.status.success()),
        "no headless Chromium as `{name}`: run scripts/chromium.sh (Debian's chromium package), or set LONGFORGE_CHROMIUM"
    );
    name
}

/// Runs headless Chromium on `url`, printing the DOM after scripts ran (or taking a screenshot
/// with `extra`), with a profile of its own.
fn browse(profile: &Path, url: &str, extra: &[&str]) -> String {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A page beside the site (with no policy of its own) that opens the leaderboard in a frame,
/// clicks a heading, and writes what it found into its own DOM for `--dump-dom` to print.
const PROBE: &str = r##"<!doctype html><html><body><pre id="result">pending</pre>
<iframe id="site" src="index.html#sort=model,asc" width="1400" height="900"></iframe>
<script>
var frame = document.getElementById("site");
frame.addEventListener("load", function () {
  setTimeout(function () {
    var d = frame.contentDocument;
    var rows = function () {
      return Array.prototype.map.call(d.querySelectorAll("#leaderboard tbody tr"), function (tr) {
        return tr.cells[1].getAttribute("data-value");
      });
    };
    var heads = Array.prototype.map.call(d.querySelectorAll("#leaderboard thead th"), function (th) {
      return th.getAttribute("data-key");
    });
    var byModel = rows();
    var overall = d.querySelector('#leaderboard th[data-key="overall"] button');
    overall.click();
    var overallDown = Array.prototype.map.call(d.querySelectorAll("#leaderboard tbody tr"), function (tr) {
      return Number(tr.cells[2].getAttribute("data-value"));
    });
    overall.click();
    var overallUp = Array.prototype.map.call(d.querySelectorAll("#leaderboard tbody tr"), function (tr) {
      return Number(tr.cells[2].getAttribute("data-value"));
    });
    var images = Array.prototype.map.call(d.querySelectorAll("img"), function (img) {
      return { src: img.getAttribute("src"), width: img.naturalWidth };
    });
    document.getElementById("result").textContent = JSON.stringify({
      heads: heads, byModel: byModel, overallDown: overallDown, overallUp: overallUp,
      images: images, pwned: d.documentElement.getAttribute("data-pwned"),
      sorted: d.querySelector('#leaderboard th[data-key="overall"]').getAttribute("aria-sort")
    });
  }, 500);
});
</script></body></html>"##;

#[test]
fn the_site_works_in_a_real_browser_and_runs_no_injected_script() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    site(&dir, &[]);
    std::fs::write(dir.join("probe.html"), PROBE).unwrap();
    let dom = browse(
        &tmp.path().join("profile"),
        &format!("file://{}", dir.join("probe.html").display()),
        &["--dump-dom"],
    );
    let json = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("no result in {dom}"));
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let found: Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: the probe found {json}"));
    assert_eq!(
        found["pwned"],
        Value::Null,
        "an injected script ran: {found}"
    );
    // Every model is a row, sorted by name from the link's #sort=model,asc.
    let by_model: Vec<String> = found["byModel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(by_model.len(), 6, "{found}");
    assert!(by_model.contains(&"alpha".to_string()));
    assert!(
        by_model.iter().position(|m| m == "alpha") < by_model.iter().position(|m| m == "beta"),
        "{by_model:?}"
    );
    // A click sorts by the overall figure, best first; a second click reverses it.
    let down: Vec<f64> = found["overallDown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}");
    let up: Vec<f64> = found["overallUp"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}");
    assert_eq!(found["sorted"], "ascending");
    // The pictures load (the forest plot and the win-rate matrix on the front page).
    let images = found["images"].as_array().unwrap();
    assert!(images.len() >= 2, "{found}");
    for img in images {
        assert!(
            img["width"].as_u64().unwrap_or(0) > 100,
            "{img} did not load"
        );
    }

    // And a screenshot, as a person would see the page.
    let shot = tmp.path().join("index.png");
    browse(
        &tmp.path().join("profile2"),
        &format!("file://{}", dir.join("index.html").display()),
        &[
            "--window-size=1400,1000",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
}
