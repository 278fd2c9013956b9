//! The static leaderboard site (`longforge report`): `index.html` with the leaderboard, its
//! twins `leaderboard.md`, `leaderboard.csv` and `leaderboard.json`, one page per family with
//! its pictures, one per model, and the methodology, every part read from the files given
//! (summary rows, ratings, judgments and their settings, grades, dataset manifests).
//!
//! The site works opened from disk or from any static host: pages link each other by relative
//! paths, pictures are SVG files under `img/`, styles and the one script (the table sorter) are
//! inline, and nothing is fetched from elsewhere. Every text that came from outside (model
//! names, judge replies, dataset text) is escaped by minijinja's HTML auto-escaping or by the
//! SVG writer, and each page's Content-Security-Policy allows only its own script and style
//! (by SHA-256), so an injected `<script>` or event handler runs nowhere.

mod figure;
mod leaderboard;
mod pages;
mod pictures;
mod tables;

pub use figure::{pool, z_of, Figure};
pub use leaderboard::{board, Board, Change, FamilyColumns, Moved, RatingCell, Row, TaskColumn};
pub use pictures::{pictures, Picture};
pub use tables::{csv, figure_text, markdown, md_cell};

use longforge_datasets::{Grade, Judgment, Manifest};
use longforge_judges::rank::Ranking;
use longforge_judges::SummaryRow;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::plots::PlotError;

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Plot(#[from] PlotError),
    /// The cause is printed by the error chain, once.
    #[error("site template")]
    Template(#[from] minijinja::Error),
    #[error("writing the leaderboard: {0}")]
    Write(String),
    #[error("writing the leaderboard's CSV")]
    Csv(#[from] csv::Error),
    #[error("writing the leaderboard's JSON")]
    Json(#[from] serde_json::Error),
}

/// The judgments of one file, with the judging settings `judge` recorded beside it
/// (`FILE.judge.json`), when there is such a file.
pub struct JudgmentFile {
    /// The file's name, as the methodology names it.
    pub name: String,
    pub judgments: Vec<Judgment>,
    pub settings: Option<Value>,
}

/// Everything a site is made from.
pub struct SiteInput {
    pub title: String,
    pub summary: Vec<SummaryRow>,
    pub ranking: Option<Ranking>,
    pub judgments: Vec<JudgmentFile>,
    pub grades: Vec<Grade>,
    /// Dataset folders: a name (the folder's) and its manifest.
    pub datasets: Vec<(String, Manifest)>,
    /// The summary rows of the leaderboard this one replaces (`--compare`).
    pub previous: Option<Vec<SummaryRow>>,
}

/// One file of the site: its path relative to the root (`/`-separated) and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Builds every file of the site, in a fixed order; the same input gives the same bytes.
pub fn build(input: &SiteInput) -> Result<Vec<SiteFile>, SiteError> {
    let board = board(
        &input.summary,
        input.ranking.as_ref(),
        input.previous.as_deref(),
    );
    let judgments: Vec<Judgment> = input
        .judgments
        .iter()
        .flat_map(|f| f.judgments.iter().cloned())
        .collect();
    let pictures = pictures(&input.summary, input.ranking.as_ref(), &judgments)?;
    let mut files = vec![
        SiteFile {
            path: "leaderboard.md".into(),
            bytes: markdown(&board, &input.title).into_bytes(),
        },
        SiteFile {
            path: "leaderboard.csv".into(),
            bytes: csv(&board)?,
        },
        SiteFile {
            path: "leaderboard.json".into(),
            bytes: {
                let mut b = serde_json::to_vec_pretty(&board)?;
                b.push(b'\n');
                b
            },
        },
    ];
    files.extend(pages::render(input, &board, &pictures)?);
    files.extend(pictures.into_iter().map(|p| SiteFile {
        path: p.file,
        bytes: p.svg.into_bytes(),
    }));
    Ok(files)
}

/// A name made safe as a file name and a link: ASCII letters, digits, `.`, `_` and `-` kept,
/// anything else `-` (and a leading `.`, so no file is hidden); a name that had to change gets the first 8 hex
/// digits of its SHA-256 appended, so two names never share a file.
pub fn slug(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    if s.starts_with('.') {
        s.replace_range(0..1, "-");
    }
    if s != name || s.is_empty() {
        let digest = Sha256::digest(name.as_bytes());
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&hex::encode(&digest[..4]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_distinct() {
        assert_eq!(slug("gpt-4o_mini.2"), "gpt-4o_mini.2");
        let odd = slug("../evil name");
        assert!(odd.starts_with("-.-evil-name-"), "{odd}");
        assert!(odd
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)));
        assert_ne!(slug("a b"), slug("a/b"));
        assert!(slug(".hidden").starts_with("-hidden-"));
        assert_eq!(slug("").len(), 8);
        assert!(!slug("javascript:alert(1)").contains(':'));
    }
}
