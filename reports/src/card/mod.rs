//! Dataset cards: the `README.md` that `generate`, `import` and `merge` write beside every
//! dataset folder, a Hugging Face dataset card (a YAML header the Hub reads, then a body for
//! people), and `evidence.svg`, the picture of how spread out and how wide the information each
//! sample needs is (see [`evidence`](EvidenceSummary) for the two measures, after Goldman et al.
//! 2024).
//!
//! A card is made from the folder alone (its manifest, samples, shared contexts and Parquet
//! footers) and its family's declarations (task categories, flags). It holds no date, path,
//! host or hash-map order, so the same dataset gives byte-identical files, which is how `verify`
//! checks them: it regenerates the card from the regenerated dataset and compares. The manifest
//! does not list the card, since the card quotes the manifest's digests.

mod command;
mod evidence;
mod header;
mod plot;

pub use evidence::{dispersion, quantile, scope, EvidenceGroup, EvidenceSummary};
pub use header::size_category;

use std::path::Path;

use longforge_datasets::{
    atomic, parquet_columns, sha256_file, DatasetError, Manifest, TokenCounter, TokenLength,
    CONTEXTS_PARQUET, MANIFEST_FILE, SAMPLES_PARQUET,
};
use longforge_generators::{Family, ParamKind};
use serde::Serialize;

use crate::ReportError;
use header::{Config, DataFile, DatasetInfo, Feature, Header, Info, Split};

/// The card's file name: the Hub shows a folder's `README.md` as its dataset card.
pub const CARD_FILE: &str = "README.md";
/// The evidence picture's file name, beside the card.
pub const EVIDENCE_SVG: &str = "evidence.svg";

const CARD: &str = include_str!("../../templates/card.md.j2");

/// A dataset's card and picture, as the bytes written beside it.
#[derive(Debug, Clone)]
pub struct Card {
    /// `README.md`: the YAML header between `---` lines, then the Markdown body.
    pub readme: String,
    /// `evidence.svg`; `None` when no sample has evidence (the card says so instead).
    pub evidence_svg: Option<String>,
    /// The measures the card's table and picture show.
    pub evidence: EvidenceSummary,
}

impl Card {
    /// The card of the dataset folder `dir`, made by `family`; evidence tokens are counted with
    /// `counter`, which must be the dataset's tokenizer (its name is checked against the
    /// manifest's).
    pub fn of(
        dir: &Path,
        family: &dyn Family,
        counter: &TokenCounter,
    ) -> Result<Card, ReportError> {
        let manifest = Manifest::read(dir)?;
        let invalid = |message: String| DatasetError::Invalid {
            path: dir.join(MANIFEST_FILE),
            message,
        };
        if manifest.generator.name != family.name() {
            return Err(invalid(format!(
                "made by {}, not by {}",
                manifest.generator.name,
                family.name()
            ))
            .into());
        }
        if counter.name() != manifest.tokenizer {
            return Err(invalid(format!(
                "counted with {}, but the card was asked to count with {}",
                manifest.tokenizer,
                counter.name()
            ))
            .into());
        }
        let evidence = EvidenceSummary::read(dir, counter)?;
        let picture = plot::scatter(&evidence.groups)?;
        let header = header_of(dir, &manifest, family, &evidence)?;
        let body = body_of(dir, &manifest, family, &evidence, picture.as_ref(), &header)?;
        let mut env = minijinja::Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.add_template("card", CARD)?;
        let text = env.get_template("card")?.render(&body)?;
        Ok(Card {
            readme: format!("{}\n{}", header.to_yaml(), text.trim_end()) + "\n",
            evidence_svg: picture.map(|p| p.svg),
            evidence,
        })
    }

    /// Writes `README.md` and `evidence.svg` into `dir`, each atomically (a temporary file,
    /// then a rename); a stale `evidence.svg` is removed when the card has no picture.
    pub fn write(&self, dir: &Path) -> Result<(), ReportError> {
        atomic::write(&dir.join(CARD_FILE), self.readme.as_bytes())?;
        let svg = dir.join(EVIDENCE_SVG);
        match &self.evidence_svg {
            Some(text) => atomic::write(&svg, text.as_bytes())?,
            None if svg.exists() => {
                std::fs::remove_file(&svg).map_err(|e| DatasetError::io(&svg, e))?
            }
            None => {}
        }
        Ok(())
    }
}

/// Makes and writes the card of `dir` (see [`Card::of`] and [`Card::write`]).
pub fn write_card(
    dir: &Path,
    family: &dyn Family,
    counter: &TokenCounter,
) -> Result<Card, ReportError> {
    let card = Card::of(dir, family, counter)?;
    card.write(dir)?;
    Ok(card)
}

/// Three significant digits, without trailing zeros: `0.734`, `0.000412`, `12.3`, `0`.
pub(crate) fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v == 0.0 { "0".into() } else { v.to_string() };
    }
    let decimals = (2 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn header_of(
    dir: &Path,
    manifest: &Manifest,
    family: &dyn Family,
    evidence: &EvidenceSummary,
) -> Result<Header, ReportError> {
    let imported = command::imported_files(manifest).is_some();
    let tasks = tasks_of(evidence);
    let mut categories: Vec<String> = tasks
        .iter()
        .flat_map(|t| family.task_categories(t))
        .map(|c| c.to_string())
        .collect();
    categories.sort();
    categories.dedup();
    let samples = manifest.counts.get("samples").copied().unwrap_or(0);
    let mut configs = vec![config("default", SAMPLES_PARQUET)];
    let mut infos = vec![info(dir, "default", SAMPLES_PARQUET, samples)?];
    if dir.join(CONTEXTS_PARQUET).exists() {
        configs.push(config("contexts", CONTEXTS_PARQUET));
        let contexts = manifest.counts.get("contexts").copied().unwrap_or(0);
        infos.push(info(dir, "contexts", CONTEXTS_PARQUET, contexts)?);
    }
    let dataset_info = if infos.len() == 1 {
        let mut one = infos.remove(0);
        one.config_name = None;
        DatasetInfo::One(one)
    } else {
        DatasetInfo::Many(infos)
    };
    Ok(Header {
        pretty_name: title(manifest, &tasks, imported),
        license: if imported || !input_files(manifest, family).is_empty() {
            "other".into()
        } else {
            workspace_license().to_lowercase()
        },
        language: evidence.languages.clone(),
        task_categories: categories,
        tags: vec!["long-context".into(), family.name().into()],
        size_categories: vec![header::size_category(samples).into()],
        configs,
        dataset_info,
    })
}

fn config(name: &str, path: &str) -> Config {
    Config {
        config_name: name.into(),
        data_files: vec![DataFile {
            split: "test".into(),
            path: path.into(),
        }],
    }
}

fn info(dir: &Path, name: &str, file: &str, rows: u64) -> Result<Info, ReportError> {
    Ok(Info {
        config_name: Some(name.into()),
        features: parquet_columns(&dir.join(file))?
            .into_iter()
            .map(|c| Feature {
                name: c.name,
                dtype: c.dtype,
            })
            .collect(),
        splits: vec![Split {
            name: "test".into(),
            num_examples: rows,
        }],
    })
}

/// The files a generation read (a user's haystack, a tokenizer file), by the names the manifest
/// records: their text is the user's, under its own licence.
fn input_files(manifest: &Manifest, family: &dyn Family) -> Vec<String> {
    family
        .params()
        .iter()
        .filter(|p| p.kind == ParamKind::File)
        .filter_map(|p| manifest.params.get(p.name)?.get("file")?.as_str())
        .map(str::to_string)
        .collect()
}

/// `s` as a Markdown code span that holds it whatever it contains: fenced by one backtick more
/// than its longest run of them, padded with spaces, so a file name cannot end its span and
/// let the rest be read as Markdown or HTML.
fn code_span(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{s}{fence}")
    } else {
        format!("{fence} {s} {fence}")
    }
}

/// The licence of the workspace that generates the data (`Apache-2.0`), as Cargo records it.
fn workspace_license() -> &'static str {
    env!("CARGO_PKG_LICENSE")
}

/// The tasks the samples hold, sorted.
fn tasks_of(evidence: &EvidenceSummary) -> Vec<String> {
    let mut tasks: Vec<String> = evidence.groups.iter().map(|g| g.task.clone()).collect();
    tasks.dedup();
    tasks
}

fn title(manifest: &Manifest, tasks: &[String], imported: bool) -> String {
    format!(
        "longforge {}{}: {}",
        manifest.generator.name,
        if imported { " (imported)" } else { "" },
        if tasks.is_empty() {
            "no samples".to_string()
        } else {
            tasks.join(", ")
        }
    )
}

/// What the body template reads.
#[derive(Serialize)]
struct Body {
    title: String,
    family: String,
    version: String,
    manifest_version: u32,
    /// Code spans, ready to print.
    imported: Option<Vec<String>>,
    /// The user's input files, as code spans.
    inputs: Vec<String>,
    license: String,
    samples: u64,
    counts: Vec<(String, u64)>,
    seed: u64,
    tokenizer: String,
    shard: Option<String>,
    params: Vec<(String, String)>,
    files: Vec<FileRow>,
    tasks: Vec<TaskRow>,
    make: String,
    verify: String,
    without_flag: Vec<String>,
    measured: usize,
    groups: Vec<GroupRow>,
    picture: Option<PictureNote>,
    svg: &'static str,
}

#[derive(Serialize)]
struct FileRow {
    name: String,
    bytes: u64,
    sha256: String,
}

#[derive(Serialize)]
struct TaskRow {
    task: String,
    samples: u64,
    categories: String,
    scorer: String,
    metrics: String,
}

#[derive(Serialize)]
struct GroupRow {
    task: String,
    length: String,
    samples: u64,
    measured: usize,
    dispersion: [String; 3],
    scope: [String; 3],
}

#[derive(Serialize)]
struct PictureNote {
    points: usize,
    every: usize,
}

fn body_of(
    dir: &Path,
    manifest: &Manifest,
    family: &dyn Family,
    evidence: &EvidenceSummary,
    picture: Option<&plot::Picture>,
    header: &Header,
) -> Result<Body, ReportError> {
    let commands = command::commands(manifest, family);
    let mut files: Vec<FileRow> = manifest
        .files
        .iter()
        .map(|f| FileRow {
            name: f.name.clone(),
            bytes: f.bytes,
            sha256: f.sha256.clone(),
        })
        .collect();
    // The manifest's own digest, which it cannot hold.
    let (bytes, sha256) = sha256_file(&dir.join(MANIFEST_FILE))?;
    files.push(FileRow {
        name: MANIFEST_FILE.into(),
        bytes,
        sha256,
    });
    let tasks = tasks_of(evidence)
        .into_iter()
        .map(|task| {
            let spec = manifest.scoring.get(&task);
            TaskRow {
                samples: evidence
                    .groups
                    .iter()
                    .filter(|g| g.task == task)
                    .map(|g| g.samples)
                    .sum(),
                categories: family.task_categories(&task).join(", "),
                scorer: spec.map_or_else(|| "-".into(), |s| s.scorer.clone()),
                metrics: spec.map_or_else(|| "-".into(), |s| s.metrics.join(", ")),
                task,
            }
        })
        .collect();
    let three = |values: &[f64]| -> [String; 3] {
        [0.5, 0.1, 0.9].map(|p| quantile(values, p).map_or_else(|| "-".into(), number))
    };
    let groups = evidence
        .groups
        .iter()
        .map(|g| GroupRow {
            task: g.task.clone(),
            length: g
                .target_tokens
                .map_or_else(|| "-".into(), |t| TokenLength::Tokens(t).to_string()),
            samples: g.samples,
            measured: g.measured(),
            dispersion: three(&g.dispersion),
            scope: three(&g.scope),
        })
        .collect();
    Ok(Body {
        title: header.pretty_name.clone(),
        family: manifest.generator.name.clone(),
        version: manifest.generator.version.clone(),
        manifest_version: manifest.manifest_version,
        imported: command::imported_files(manifest)
            .map(|files| files.iter().map(|f| code_span(f)).collect()),
        inputs: input_files(manifest, family)
            .iter()
            .map(|f| code_span(f))
            .collect(),
        license: workspace_license().into(),
        samples: manifest.counts.get("samples").copied().unwrap_or(0),
        counts: manifest
            .counts
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        seed: manifest.seed,
        tokenizer: manifest.tokenizer.clone(),
        shard: manifest.shard.map(|s| {
            format!(
                "{} of {} (samples {} to {} of {})",
                s.index,
                s.count,
                s.first + 1,
                s.end,
                s.total
            )
        }),
        params: manifest
            .params
            .as_object()
            .map(|p| {
                p.iter()
                    .map(|(k, v)| (k.clone(), table_cell(&v.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        files,
        tasks,
        make: commands.make,
        verify: commands.verify,
        without_flag: commands.without_flag,
        measured: evidence.measured(),
        groups,
        picture: picture.map(|p| PictureNote {
            points: p.points,
            every: p.every,
        }),
        svg: EVIDENCE_SVG,
    })
}

/// Text safe inside a Markdown table cell.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(number(0.73456), "0.735");
        assert_eq!(number(0.000412345), "0.000412");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.001), "0.001");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(0.0), "0");
    }
}
