//! `tsv`: LongProc HTML to TSV, a table of extracted entities in the last ```` ```tsv ```` block,
//! its first line the header the prompt gives.
//!
//! Cells compare after normalisation, as the original's checker does (SQuAD-style): lower-case,
//! punctuation and symbols removed, the articles a, an, the dropped as words, white space
//! removed ("The Fox & Anchor" and "fox anchor" are the same cell, "$12.99" is "1299"). Rows
//! are matched as a MULTISET: each gold row is matched at most once, so a row written twice
//! counts once as right and once as wrong (the original matched sets, crediting duplicates).
//!
//! The header is checked by name. When the block's first line holds exactly the header's
//! names (in any order: the columns are then read by name), it is the header; when it holds
//! them and other columns besides, the gold columns are read by name and the others ignored
//! (an added column does not zero the table), but `header_ok` is 0; when most of its cells are
//! header names but not all, it is a wrong header, dropped, and the columns are read in the
//! given order; otherwise the header is missing and the first line is a row like any other
//! (the original dropped it unread). A row with the wrong number of cells is one
//! unmatched row; it does not zero the answer (the original zeroed everything).

use std::collections::HashMap;

use longforge_datasets::Sample;
use serde_json::json;

use super::procedure::{last_block, LineCredit};
use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

const OPEN: &str = "```tsv";
const CLOSE: &str = "```";

/// Reads references of kind `tsv`: the reference output as a string, a ```` ```tsv ```` block
/// whose first line is the header and whose other lines are the gold rows.
///
/// Values, each in [0, 1]:
/// - `f1` (headline): harmonic mean of `precision` (matched rows / output rows) and `recall`
///   (matched rows / gold rows); 1 when both tables are empty, 0 when nothing matches.
/// - `precision`, `recall`.
/// - `prefix_credit`, `resync_credit`: line credit over the normalised rows in order (see
///   `procedure.rs`), so a table in the page's order scores 1.
/// - `header_ok`: 1 when the block's first line is the header by name (any column order).
/// - `extraction_rate`: 1 when the output has a ```` ```tsv ```` block (an unclosed one is read
///   to the end).
pub struct Tsv;

impl Scorer for Tsv {
    fn name(&self) -> &'static str {
        "tsv"
    }

    fn summary(&self) -> &'static str {
        "LongProc HTML to TSV: rows of the ```tsv block matched as a multiset after cell normalisation (f1), header checked by name, line credit over rows"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["tsv"]
    }

    fn values(&self) -> &'static [&'static str] {
        &[
            "f1",
            "precision",
            "recall",
            "prefix_credit",
            "resync_credit",
            "header_ok",
            "extraction_rate",
        ]
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let gold = match Gold::read(self, sample) {
            Ok(gold) => gold,
            // A record the original benchmark got wrong, as its importer named it
            // (`meta.defect`): a failed answer with the defect beside it, never a pass, and
            // never a stop for the rest of the dataset.
            Err(e) if sample.meta.get("defect").is_some_and(|d| !d.is_null()) => {
                return Ok(Scored {
                    values: self.values().iter().map(|&v| (v, 0.0)).collect(),
                    answer: None,
                    details: json!({"defect": sample.meta["defect"], "reference_error": e.to_string()}),
                });
            }
            Err(e) => return Err(e),
        };
        let Some(block) = last_block(output, OPEN, CLOSE) else {
            return Ok(Scored {
                values: self.values().iter().map(|&v| (v, 0.0)).collect(),
                answer: None,
                details: json!({"extracted": false, "gold_rows": gold.rows.len()}),
            });
        };
        let mut lines = table_lines(block);
        let header = match lines.first() {
            Some(first) => classify_header(&gold.header, first),
            None => Header::Missing,
        };
        // Where each gold column is in the output's rows, and how many cells a row has.
        let (positions, width): (Vec<usize>, usize) = match &header {
            Header::Named(positions) => (positions.clone(), gold.header.len()),
            Header::Extra(positions, width) => (positions.clone(), *width),
            _ => ((0..gold.header.len()).collect(), gold.header.len()),
        };
        if !matches!(header, Header::Missing) {
            lines.remove(0);
        }
        let rows: Vec<Option<String>> = lines
            .iter()
            .map(|cells| {
                (cells.len() == width).then(|| {
                    positions
                        .iter()
                        .map(|&p| cells[p].as_str())
                        .collect::<Vec<_>>()
                        .join("\t")
                })
            })
            .collect();
        let wrong_width = rows.iter().filter(|r| r.is_none()).count();
        // Multiset matching.
        let mut left: HashMap<&str, usize> = HashMap::new();
        for r in &gold.rows {
            *left.entry(r.as_str()).or_default() += 1;
        }
        let mut matched = 0;
        let mut unmatched = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            match r
                .as_deref()
                .and_then(|r| left.get_mut(r))
                .filter(|n| **n > 0)
            {
                Some(n) => {
                    *n -= 1;
                    matched += 1;
                }
                None => unmatched.push(i + 1),
            }
        }
        let missing: Vec<&str> = gold
            .rows
            .iter()
            .filter(|r| left.get(r.as_str()).is_some_and(|n| *n > 0))
            .map(String::as_str)
            .take(5)
            .collect();
        let (precision, recall) = (
            ratio(matched, rows.len(), gold.rows.is_empty()),
            ratio(matched, gold.rows.len(), rows.is_empty()),
        );
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        // Line credit over rows: a row of the wrong width is a line that matches nothing.
        let as_lines: Vec<String> = rows
            .iter()
            .zip(&lines)
            .map(|(r, cells)| {
                r.clone()
                    .unwrap_or_else(|| format!("\u{0}{}", cells.join("\t")))
            })
            .collect();
        let credit = LineCredit::of(&gold.rows, &as_lines);
        let header_ok = matches!(header, Header::Named(_));
        Ok(Scored {
            values: vec![
                ("f1", f1),
                ("precision", precision),
                ("recall", recall),
                ("prefix_credit", credit.prefix_credit),
                ("resync_credit", credit.resync_credit),
                ("header_ok", if header_ok { 1.0 } else { 0.0 }),
                ("extraction_rate", 1.0),
            ],
            answer: Some(block.trim().to_string()),
            details: json!({
                "extracted": true,
                "header": header.label(),
                "columns_reordered": matches!(&header, Header::Named(p) if p.iter().enumerate().any(|(i, &p)| i != p)),
                "gold_rows": gold.rows.len(),
                "output_rows": rows.len(),
                "matched": matched,
                "wrong_width_rows": wrong_width,
                "unmatched_rows": unmatched.iter().take(10).collect::<Vec<_>>(),
                "missing_rows": missing,
                "matched_prefix": credit.matched_prefix,
            }),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }

    /// Each pick is one row (`meta.baseline.candidates`), written under the reference's header.
    fn render_answer(&self, sample: &Sample, picks: &[String]) -> String {
        let reference: String = reference_value(self, sample).unwrap_or_default();
        let header = last_block(&reference, OPEN, CLOSE)
            .and_then(|b| b.lines().find(|l| !l.trim().is_empty()))
            .unwrap_or_default()
            .trim();
        format!("{OPEN}\n{header}\n{}\n{CLOSE}", picks.join("\n"))
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }
}

/// `n / of`, or 1 when there is nothing to be right about and `vacuous` says the other side is
/// empty too (both tables empty).
fn ratio(n: usize, of: usize, vacuous: bool) -> f64 {
    match of {
        0 if vacuous => 1.0,
        0 => 0.0,
        _ => n as f64 / of as f64,
    }
}

/// A cell as compared: lower-case, letters and digits only, without the words a, an, the.
pub fn normalise_cell(cell: &str) -> String {
    let lower = cell.to_lowercase();
    let kept: String = lower
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    kept.split_whitespace()
        .filter(|w| !matches!(*w, "a" | "an" | "the"))
        .collect()
}

/// The block's non-blank lines, split on tabs, each cell normalised.
fn table_lines(block: &str) -> Vec<Vec<String>> {
    block
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(normalise_cell).collect())
        .collect()
}

/// What the block's first line is.
#[derive(Debug)]
enum Header {
    /// The header's names, each once: per gold column, its position in the output.
    Named(Vec<usize>),
    /// Every header name and other columns besides (this many in all): the gold columns are
    /// read by name, the others ignored; not `header_ok`.
    Extra(Vec<usize>, usize),
    /// Mostly header names, but not exactly them: dropped, columns read in the given order.
    Wrong,
    /// Not a header: the first line is a row.
    Missing,
}

impl Header {
    fn label(&self) -> &'static str {
        match self {
            Header::Named(_) => "ok",
            Header::Extra(..) => "extra columns",
            Header::Wrong => "wrong",
            Header::Missing => "missing",
        }
    }
}

fn classify_header(gold: &[String], first: &[String]) -> Header {
    let positions: Option<Vec<usize>> = gold
        .iter()
        .map(|name| first.iter().position(|c| c == name))
        .collect();
    if let Some(positions) = positions {
        let mut seen = positions.clone();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() == gold.len() {
            return if first.len() == gold.len() {
                Header::Named(positions)
            } else {
                Header::Extra(positions, first.len())
            };
        }
    }
    let names = first.iter().filter(|c| gold.contains(c)).count();
    if 2 * names > first.len() {
        Header::Wrong
    } else {
        Header::Missing
    }
}

/// The gold table: header names and rows, normalised, rows as tab-joined cells.
struct Gold {
    header: Vec<String>,
    rows: Vec<String>,
}

impl Gold {
    /// A reference without a block or a header, or with a row of the wrong width, is an error
    /// naming the sample (a dataset fault, never turned into unmatched rows).
    fn read(scorer: &Tsv, sample: &Sample) -> Result<Gold, JudgeError> {
        let text: String = reference_value(scorer, sample)?;
        let bad = |message: String| JudgeError::Reference {
            sample_id: sample.id.clone(),
            scorer: scorer.name(),
            message,
        };
        let block = last_block(&text, OPEN, CLOSE)
            .ok_or_else(|| bad("the reference has no ```tsv block".into()))?;
        let mut lines = table_lines(block).into_iter();
        let header = lines
            .next()
            .ok_or_else(|| bad("the reference table has no header line".into()))?;
        let mut rows = Vec::new();
        for (i, cells) in lines.enumerate() {
            if cells.len() != header.len() {
                return Err(bad(format!(
                    "gold row {} has {} cells, the header {}",
                    i + 1,
                    cells.len(),
                    header.len()
                )));
            }
            rows.push(cells.join("\t"));
        }
        Ok(Gold { header, rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Reference;
    use serde_json::Value;

    const GOLD: &str = "```tsv\nName\tCity\tPrice\nThe Fox & Anchor\tPort Valmora\t$12.99\nCafé Ember\tEskerford\t$8.00\nSalt Lantern\tPort Valmora\t$21.50\n```";
    const R1: &str = "The Fox & Anchor\tPort Valmora\t$12.99";
    const R2: &str = "Café Ember\tEskerford\t$8.00";
    const R3: &str = "Salt Lantern\tPort Valmora\t$21.50";
    const HEADER: &str = "Name\tCity\tPrice";

    fn sample(reference: &str) -> Sample {
        serde_json::from_value(json!({
            "id": "html/0", "family": "longproc", "task": "html-to-tsv", "lang": "en",
            "question": "q", "prompt": "p",
            "reference": Reference { kind: "tsv".into(), value: Value::String(reference.into()) },
            "meta": {}
        }))
        .unwrap()
    }

    /// f1, precision, recall, prefix, resync, header_ok, extraction.
    fn values(output: &str) -> Vec<f64> {
        Tsv.score(&sample(GOLD), output)
            .unwrap()
            .values
            .iter()
            .map(|v| v.1)
            .collect()
    }

    fn table(lines: &[&str]) -> String {
        format!("Here it is.\n```tsv\n{}\n```\nDone.", lines.join("\n"))
    }

    #[test]
    fn the_reference_and_normalised_variants_score_one() {
        assert_eq!(values(GOLD), [1.0; 7]);
        let perfect = Tsv.perfect_answer(&sample(GOLD)).unwrap();
        assert_eq!(values(&perfect), [1.0; 7]);
        // Case, punctuation, articles and spacing do not count.
        let loose = table(&[
            "name\t city \tPRICE",
            "fox and anchor\tport valmora\t12.99",
            "CAFÉ EMBER\tEskerford\t$ 8.00",
            "the Salt-Lantern\tPort  Valmora\t21.50",
        ]);
        let v = values(&loose);
        assert!(v[0] < 1.0, "'and' is a word, not '&': {v:?}");
        let loose = loose.replace("fox and anchor", "Fox & the Anchor");
        assert_eq!(values(&loose), [1.0; 7]);
    }

    #[test]
    fn normalisation_matches_the_originals() {
        assert_eq!(normalise_cell(" The Fox & Anchor "), "foxanchor");
        assert_eq!(normalise_cell("$1,284.50"), "128450");
        assert_eq!(normalise_cell("An Apple a Day"), "appleday");
        assert_eq!(normalise_cell("Théâtre"), "théâtre");
        assert_eq!(normalise_cell("(555) 014-2231"), "5550142231");
    }

    #[test]
    fn rows_match_as_a_multiset() {
        // A right row written twice: once right, once wrong.
        let v = values(&table(&[HEADER, R1, R1, R2, R3]));
        assert_eq!(v[1], 0.75);
        assert_eq!(v[2], 1.0);
        assert!((v[0] - 2.0 * 0.75 / 1.75).abs() < 1e-12);
        // Order does not change f1, only the line credit.
        let v = values(&table(&[HEADER, R3, R2, R1]));
        assert_eq!(v[0], 1.0);
        assert_eq!(v[3], 0.0);
        assert_eq!(v[4], 1.0 / 3.0);
        // A gold table with a duplicate row needs it twice.
        let gold = format!("```tsv\n{HEADER}\n{R1}\n{R1}\n```");
        let scored = Tsv.score(&sample(&gold), &table(&[HEADER, R1])).unwrap();
        assert_eq!(scored.values[2].1, 0.5);
    }

    #[test]
    fn a_missing_header_is_reported_and_the_first_row_is_kept() {
        let v = values(&table(&[R1, R2, R3]));
        assert_eq!(v[..3], [1.0, 1.0, 1.0]);
        assert_eq!(v[5], 0.0, "header_ok");
        let scored = Tsv.score(&sample(GOLD), &table(&[R1, R2, R3])).unwrap();
        assert_eq!(scored.details["header"], "missing");
        // A wrong header (a name misspelt) is dropped, not read as a row.
        let v = values(&table(&["Name\tCity\tCost", R1, R2, R3]));
        assert_eq!(v[..3], [1.0, 1.0, 1.0]);
        assert_eq!(v[5], 0.0);
        // Columns in another order, named: read by name.
        let swapped = |r: &str| {
            let c: Vec<&str> = r.split('\t').collect();
            format!("{}\t{}\t{}", c[2], c[0], c[1])
        };
        let (s1, s2, s3) = (swapped(R1), swapped(R2), swapped(R3));
        let v = values(&table(&["Price\tName\tCity", &s1, &s2, &s3]));
        assert_eq!(v, [1.0; 7]);
        // An added column, named: the gold columns are read by name; the header is not ok.
        let (e1, e2, e3) = (format!("1\t{R1}"), format!("2\t{R2}"), format!("3\t{R3}"));
        let v = values(&table(&["#\tName\tCity\tPrice", &e1, &e2, &e3]));
        assert_eq!(v, [1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0]);
        let scored = Tsv
            .score(&sample(GOLD), &table(&["#\tName\tCity\tPrice", &e1]))
            .unwrap();
        assert_eq!(scored.details["header"], "extra columns");
    }

    #[test]
    fn a_row_of_the_wrong_width_is_one_unmatched_row() {
        let v = values(&table(&[HEADER, R1, "Café Ember\tEskerford", R3]));
        assert!((v[1] - 2.0 / 3.0).abs() < 1e-12 && (v[2] - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(v[3], 1.0 / 3.0);
        assert_eq!(v[4], 2.0 / 3.0);
        let v = values(&table(&[HEADER, &format!("{R1}\textra"), R2, R3]));
        assert!((v[2] - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(v[3], 0.0, "the first row is wrong");
    }

    #[test]
    fn no_block_scores_zero_and_cut_off_or_empty_blocks_are_read() {
        assert_eq!(values(&format!("{HEADER}\n{R1}\n{R2}\n{R3}")), [0.0; 7]);
        assert_eq!(values(""), [0.0; 7]);
        let v = values(&format!("```tsv\n{HEADER}\n{R1}\n{R2}"));
        assert!((v[2] - 2.0 / 3.0).abs() < 1e-12 && v[1] == 1.0 && v[6] == 1.0);
        let v = values("```tsv\n```");
        assert_eq!(v, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        // Garbage never fails.
        let v = values("```tsv\n\t\t\t\n\u{0}\n```");
        assert_eq!(v[0], 0.0);
    }

    #[test]
    fn picks_render_under_the_header_and_bad_references_name_the_sample() {
        let random = Tsv.render_answer(&sample(GOLD), &[R2.into(), R1.into()]);
        assert!(random.starts_with(&format!("```tsv\n{HEADER}\n")));
        let v = values(&random);
        assert_eq!(v[5], 1.0);
        assert!((v[2] - 2.0 / 3.0).abs() < 1e-12);
        let bad = format!("```tsv\n{HEADER}\n{R1}\nonly one cell\n```");
        let err = Tsv.score(&sample(&bad), GOLD).unwrap_err().to_string();
        assert!(
            err.contains("html/0") && err.contains("gold row 2"),
            "{err}"
        );
        // The same table in an imported record the importer named defective: scored 0 with the
        // defect beside it, so the rest of the dataset is still scored.
        let mut defective = sample(&bad);
        defective
            .meta
            .insert("defect".into(), json!("gold row 2 has 1 cells"));
        let scored = Tsv.score(&defective, GOLD).unwrap();
        assert!(scored.values.iter().all(|v| v.1 == 0.0), "{scored:?}");
        assert!(scored.details["reference_error"]
            .as_str()
            .unwrap()
            .contains("gold row 2"));
        let err = Tsv
            .score(&sample("no table"), GOLD)
            .unwrap_err()
            .to_string();
        assert!(err.contains("html/0"), "{err}");
    }

    mod generated {
        use super::*;
        use longforge_datasets::{TokenCounter, TokenizerSpec};
        use longforge_generators::{family, Inputs};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

            /// Every generated reference scores 1.0 under this checker, and is within 25% of
            /// its level in tokens.
            #[test]
            fn generated_references_score_one_and_fit_their_level(seed in 0u64..1_000_000, dial in prop::sample::select(vec![0.0f64, 0.3, 0.6])) {
                let longproc = family("longproc").unwrap();
                let params = json!({"task": "html-to-tsv", "levels": ["0.5k", "2k", "8k"], "noise": [dial], "seed": seed});
                let resolved = longproc.resolve(params, &Inputs::default()).unwrap();
                let samples = longproc.generate(&resolved, &Inputs::default(), &mut |_, _| {}).unwrap().samples;
                prop_assert_eq!(samples.len(), 3);
                let counter = TokenCounter::load(&TokenizerSpec::parse("cl100k_base")).unwrap();
                for s in &samples {
                    let perfect = Tsv.perfect_answer(s).unwrap();
                    let scored = Tsv.score(s, &perfect).unwrap();
                    prop_assert!(scored.values.iter().all(|v| v.1 == 1.0), "{}: {:?}", s.id, scored.values);
                    let level = s.meta["target_tokens"].as_f64().unwrap();
                    let got = counter.count(&perfect).unwrap() as f64;
                    prop_assert_eq!(s.meta["output_tokens"].as_f64(), Some(got));
                    prop_assert!((got - level).abs() <= 0.25 * level, "{}: {} tokens", s.id, got);
                }
            }
        }
    }
}
