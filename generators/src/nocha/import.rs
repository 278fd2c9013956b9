//! The original NoCha's public sample, read into a dataset folder and predictions, so the
//! published answers are scored under longforge's documented parser
//! (`longforge import nocha --claims FILE --books FILE_OR_DIR --out DIR --predictions-out FILE`).
//!
//! The claims file is a JSON array of claim records: `book_title`, `claim`, `type` (a JSON
//! boolean: true for the true claim), `index` (shared by the two claims of a pair, which need
//! not be adjacent), `false-claim-explanation`, `length` (the book's cl100k tokens),
//! `genre`, `publication_year`, `length_group` (such as `127k_180k`), and one `response-MODEL`
//! field per model with its reply or a placeholder: `SKIPPED` (the book did not fit the
//! model's context), `PROHIBITED_CONTENT` (a guardrail refused), `EMPTY_RESPONSE`. The books
//! are a JSON object `{book_title: text}` or a folder of `BOOK_TITLE.txt` files (the public
//! sample ships them as a Python pickle; `python -c "import pickle, json, sys;
//! json.dump(pickle.load(open(sys.argv[1], 'rb')), open(sys.argv[2], 'w'))" books.pkl
//! books.json` makes the JSON).
//!
//! Each claim is one sample in file order (`nocha/imported/BOOK/INDEX/a` for the first claim of
//! its pair in the file, `b` for the second), the book shared through `contexts.jsonl`;
//! `meta.axes` is the original's `length_group`. Each reply becomes a prediction of model
//! `MODEL` (the part after `response-`): `SKIPPED` is a skipped request and `PROHIBITED_CONTENT`
//! a refusal (`finish_reason: content_filter`), both removing the pair from that model's
//! attempted pairs as the original's leaderboard does; `EMPTY_RESPONSE` is an empty reply,
//! attempted and wrong. A model whose name ends in `-simple` was asked with the simple prompt,
//! and the scorer reads it by the simple prompt's rules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use longforge_datasets::{
    read_text, Context, Prediction, Reference, Sample, Status, TokenCounter, TokenizerSpec,
    CONTEXT_SLOT,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::prompt::{render, PromptStyle};
use crate::{GenerateError, Generated, Imported, Importer, ParamInfo, ParamKind};

pub struct NoChaImporter;

const PARAMS: &[ParamInfo] = &[
    ParamInfo {
        name: "claims",
        kind: ParamKind::File,
        default: "(none)",
        help: "the claims: a JSON array of claim records, as data_sample.json",
    },
    ParamInfo {
        name: "books",
        kind: ParamKind::File,
        default: "(none)",
        help: "the books: a JSON object {book_title: text}, or a folder of BOOK_TITLE.txt files",
    },
];

/// One claim record, as the public sample writes it.
#[derive(Debug, Deserialize)]
struct Record {
    book_title: String,
    claim: String,
    #[serde(rename = "type")]
    truth: bool,
    index: Value,
    #[serde(rename = "false-claim-explanation", default)]
    explanation: Option<String>,
    #[serde(default)]
    length: Option<u64>,
    #[serde(default)]
    genre: Option<String>,
    #[serde(default)]
    publication_year: Option<Value>,
    #[serde(default)]
    length_group: Option<String>,
    /// `response-MODEL` fields, and any others the file holds.
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl Importer for NoChaImporter {
    fn formats(&self) -> &'static str {
        "the original's public sample: --claims (a JSON array of claim records) and --books (a JSON object {book_title: text}, or a folder of BOOK_TITLE.txt files)"
    }

    fn params(&self) -> &'static [ParamInfo] {
        PARAMS
    }

    fn import(&self, files: &[PathBuf], _params: &Value) -> Result<Imported, GenerateError> {
        let [claims, books] = files else {
            return Err(GenerateError::param(
                "claims",
                format!(
                    "give the claims and the books, as --claims FILE --books FILE_OR_DIR ({} files given)",
                    files.len()
                ),
            ));
        };
        let records = read_claims(claims)?;
        let books = read_books(books)?;
        let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase)?;
        // The two claims of each pair, by book and index, in file order.
        let mut pairs: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for (i, r) in records.iter().enumerate() {
            pairs
                .entry((r.book_title.clone(), index_text(&r.index)))
                .or_default()
                .push(i);
        }
        for ((book, index), members) in &pairs {
            let truths: Vec<bool> = members.iter().map(|&i| records[i].truth).collect();
            if truths.len() != 2 || truths[0] == truths[1] {
                return Err(GenerateError::Input {
                    path: claims.display().to_string(),
                    message: format!(
                        "pair `index` {index} of {book} has {} claims ({} true); a pair is one true and one false claim (records {})",
                        truths.len(),
                        truths.iter().filter(|&&t| t).count(),
                        members.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
        let mut samples = Vec::with_capacity(records.len());
        let mut contexts: Vec<Context> = Vec::new();
        let mut predictions = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let Some(text) = books.get(&r.book_title) else {
                return Err(GenerateError::Input {
                    path: claims.display().to_string(),
                    message: format!(
                        "record {}: its book `{}` is not among the books given ({} of them)",
                        i + 1,
                        r.book_title,
                        books.len()
                    ),
                });
            };
            let context_id = format!("nocha/imported/{}", r.book_title);
            let tokens = match contexts.iter().find(|c| c.id == context_id) {
                Some(c) => c.tokens,
                None => {
                    let tokens = counter.count(text)? as u64;
                    contexts.push(Context {
                        id: context_id.clone(),
                        text: text.clone(),
                        tokens,
                    });
                    tokens
                }
            };
            let index = index_text(&r.index);
            let key = (r.book_title.clone(), index.clone());
            let side = if pairs[&key][0] == i { "a" } else { "b" };
            let pair_id = format!("nocha/imported/{}/{index}", r.book_title);
            let id = format!("{pair_id}/{side}");
            let group = r.length_group.clone().unwrap_or_else(|| "unknown".into());
            let mut meta = Map::new();
            meta.insert("context_tokens".into(), json!(tokens));
            meta.insert("tokenizer".into(), json!(counter.name()));
            meta.insert("book".into(), json!(context_id));
            meta.insert("book_title".into(), json!(r.book_title));
            meta.insert("pair_id".into(), json!(pair_id));
            meta.insert("truth".into(), json!(r.truth));
            meta.insert("false_claim_explanation".into(), json!(r.explanation));
            meta.insert("length".into(), json!(r.length));
            meta.insert("genre".into(), json!(r.genre));
            meta.insert("publication_year".into(), json!(r.publication_year));
            meta.insert("source".into(), json!({"record": i + 1, "index": r.index}));
            meta.insert("evidence".into(), json!([]));
            meta.insert("prompt".into(), json!(PromptStyle::Tagged.name()));
            meta.insert("axes".into(), json!({ "length": group }));
            meta.insert(
                "baseline".into(),
                json!({"candidates": ["TRUE", "FALSE"], "picks": 1, "shortcut": ["TRUE"]}),
            );
            for (field, reply) in &r.rest {
                let Some(model) = field.strip_prefix("response-") else {
                    continue;
                };
                predictions.push(prediction(&id, model, reply).map_err(|message| {
                    GenerateError::Input {
                        path: claims.display().to_string(),
                        message: format!("record {}, field `{field}`: {message}", i + 1),
                    }
                })?);
            }
            samples.push(Sample {
                id,
                family: "nocha".into(),
                task: "claims".into(),
                lang: "en".into(),
                context: None,
                context_id: Some(context_id),
                prompt: render(PromptStyle::Tagged, CONTEXT_SLOT, &r.claim)?,
                question: r.claim.clone(),
                reference: Reference {
                    kind: "claim".into(),
                    value: Value::Bool(r.truth),
                },
                meta,
            });
        }
        Ok(Imported {
            generated: Generated {
                samples,
                contexts,
                seed: 0,
                tokenizer: counter.name().to_string(),
            },
            companions: Vec::new(),
            left_out: Vec::new(),
            predictions,
        })
    }
}

/// `12` for `12` or `"12"`: how an index is written in ids.
fn index_text(index: &Value) -> String {
    match index {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One reply as a prediction: a placeholder becomes the status it stands for.
fn prediction(sample_id: &str, model: &str, reply: &Value) -> Result<Prediction, String> {
    let Value::String(text) = reply else {
        return Err(format!("a reply is a string, not {reply}"));
    };
    let mut p = Prediction::answered(sample_id, model, text.clone());
    match text.trim() {
        "SKIPPED" => {
            p.status = Status::Skipped;
            p.output = None;
            p.error = Some("skipped for context in the original (SKIPPED)".into());
        }
        "PROHIBITED_CONTENT" => {
            p.output = Some(String::new());
            p.finish_reason = Some("content_filter".into());
            p.error = Some("refused by a guardrail in the original (PROHIBITED_CONTENT)".into());
        }
        "EMPTY_RESPONSE" => p.output = Some(String::new()),
        _ => {}
    }
    Ok(p)
}

fn read_claims(path: &Path) -> Result<Vec<Record>, GenerateError> {
    let bad = |message: String| GenerateError::Input {
        path: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it ({e})")))?;
    let values: Vec<Value> = serde_json::from_slice(&bytes)
        .map_err(|e| bad(format!("not a JSON array of claim records: {e}")))?;
    if values.is_empty() {
        return Err(bad("holds no claim record".into()));
    }
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_path_to_error::deserialize(v)
                .map_err(|e| bad(format!("record {}: {} ({})", i + 1, e.inner(), e.path())))
        })
        .collect()
}

/// `{book_title: text}` from a JSON object, or from a folder's `TITLE.txt` files.
fn read_books(path: &Path) -> Result<BTreeMap<String, String>, GenerateError> {
    let bad = |message: String| GenerateError::Input {
        path: path.display().to_string(),
        message,
    };
    if !path.is_dir() {
        let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it ({e})")))?;
        let books: BTreeMap<String, String> = serde_json::from_slice(&bytes).map_err(|e| {
            bad(format!(
                "not a JSON object of {{book_title: text}} ({e}); a folder of BOOK_TITLE.txt files works too"
            ))
        })?;
        // Each book made safe for a prompt as a text file would be (control characters refused).
        return books
            .into_iter()
            .map(|(title, text)| {
                let named = path.join(&title);
                Ok((title, read_text(&named, text.as_bytes())?))
            })
            .collect();
    }
    let mut books = BTreeMap::new();
    let entries = std::fs::read_dir(path).map_err(|e| bad(format!("cannot read it ({e})")))?;
    for entry in entries {
        let entry = entry.map_err(|e| bad(format!("cannot read it ({e})")))?;
        let file = entry.path();
        let Some(title) = file
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".txt"))
        else {
            continue;
        };
        let bytes = std::fs::read(&file).map_err(|e| GenerateError::Input {
            path: file.display().to_string(),
            message: format!("cannot read it ({e})"),
        })?;
        books.insert(title.to_string(), read_text(&file, &bytes)?);
    }
    if books.is_empty() {
        return Err(bad("holds no BOOK_TITLE.txt file".into()));
    }
    Ok(books)
}
