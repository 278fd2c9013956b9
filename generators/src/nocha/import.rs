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
//!
//! What is refused, each error naming the file, the record (numbered from 1) and the field: a
//! record without a claim's text or a book title; an `index` that is not a non-negative
//! integer, or a file writing it as a number in some records and as a string in others (a
//! file may use non-empty strings throughout; `1` and `"1"` are never taken for one pair); a
//! `response-` field naming no model; a pair that is not one true and one false claim, whose
//! two claims have the same text, or whose claims differ in `length_group` (null against a
//! group splits the pair across cells); a book whose text is not a string, or is empty. Both
//! JSON files may open with a UTF-8 byte order mark.

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
struct RawRecord {
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

/// A claim record checked: a claim with text, a pair index written one way, models named.
#[derive(Debug)]
struct Record {
    book_title: String,
    claim: String,
    truth: bool,
    /// The pair's index as ids write it (`12`).
    index: String,
    /// As the file writes it (`12` or `"12"`).
    index_as_given: Value,
    explanation: Option<String>,
    length: Option<u64>,
    genre: Option<String>,
    publication_year: Option<Value>,
    length_group: Option<String>,
    /// `(model, reply)`, one per `response-MODEL` field, in file order.
    replies: Vec<(String, Value)>,
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
        let bad = |message: String| GenerateError::Input {
            path: claims.display().to_string(),
            message,
        };
        // The two claims of each pair, by book and index, in file order.
        let mut pairs: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for (i, r) in records.iter().enumerate() {
            pairs
                .entry((r.book_title.clone(), r.index.clone()))
                .or_default()
                .push(i);
        }
        for ((book, index), members) in &pairs {
            let numbers = records_named(members);
            let truths: Vec<bool> = members.iter().map(|&i| records[i].truth).collect();
            if truths.len() != 2 || truths[0] == truths[1] {
                return Err(bad(format!(
                    "{numbers} (book {book}, `index` {index}): the pair has {}, {} true; a pair is one true and one false claim",
                    plural(truths.len(), "claim"),
                    truths.iter().filter(|&&t| t).count(),
                )));
            }
            let [a, b] = [&records[members[0]], &records[members[1]]];
            if a.claim.trim() == b.claim.trim() {
                return Err(bad(format!(
                    "{numbers} (book {book}, `index` {index}), field `claim`: the true and the false claim of the pair have the same text"
                )));
            }
            if a.length_group != b.length_group {
                let show = |g: &Option<String>| {
                    g.as_ref()
                        .map_or("null".to_string(), |g| format!("\"{g}\""))
                };
                return Err(bad(format!(
                    "{numbers} (book {book}, `index` {index}), field `length_group`: {} and {}; the two claims of a pair share their length group",
                    show(&a.length_group),
                    show(&b.length_group)
                )));
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
            let index = r.index.clone();
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
            meta.insert(
                "source".into(),
                json!({"record": i + 1, "index": r.index_as_given}),
            );
            meta.insert("evidence".into(), json!([]));
            meta.insert("prompt".into(), json!(PromptStyle::Tagged.name()));
            meta.insert("axes".into(), json!({ "length": group }));
            meta.insert(
                "baseline".into(),
                json!({"candidates": ["TRUE", "FALSE"], "picks": 1, "shortcut": ["TRUE"]}),
            );
            for (model, reply) in &r.replies {
                predictions.push(prediction(&id, model, reply).map_err(|message| {
                    bad(format!(
                        "record {}, field `response-{model}`: {message}",
                        i + 1
                    ))
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

/// `record 3`, `records 1 and 4`, `records 1, 2 and 4` (records of the file numbered from 1).
fn records_named(indices: &[usize]) -> String {
    let numbers: Vec<String> = indices.iter().map(|i| (i + 1).to_string()).collect();
    match numbers.as_slice() {
        [one] => format!("record {one}"),
        [init @ .., last] => format!("records {} and {last}", init.join(", ")),
        [] => "no record".into(),
    }
}

/// `1 claim`, `2 claims`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
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

/// `bytes` without a UTF-8 byte order mark (as some editors on Windows save JSON).
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// The claim records of `path`, each checked (errors name the record, from 1, and the field):
/// a claim with text; `index` a non-negative integer in every record, or a string in every
/// record (two spellings of one index, such as `1` and `"1"`, are never merged); a model named
/// after each `response-`.
fn read_claims(path: &Path) -> Result<Vec<Record>, GenerateError> {
    let bad = |message: String| GenerateError::Input {
        path: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it ({e})")))?;
    let values: Vec<Value> = serde_json::from_slice(without_bom(&bytes))
        .map_err(|e| bad(format!("not a JSON array of claim records: {e}")))?;
    if values.is_empty() {
        return Err(bad("holds no claim record".into()));
    }
    let mut records = Vec::with_capacity(values.len());
    // The first record writing `index` as a string, and the first as a number.
    let (mut as_string, mut as_number) = (None, None);
    for (i, v) in values.into_iter().enumerate() {
        let n = i + 1;
        let raw: RawRecord = serde_path_to_error::deserialize(v).map_err(|e| {
            let at = e.path().to_string();
            if at == "." {
                bad(format!("record {n}: {}", e.inner()))
            } else {
                bad(format!("record {n}, field `{at}`: {}", e.inner()))
            }
        })?;
        let field =
            |name: &str, message: String| bad(format!("record {n}, field `{name}`: {message}"));
        if raw.claim.trim().is_empty() {
            return Err(field(
                "claim",
                "is empty; every record states a claim".into(),
            ));
        }
        if raw.book_title.trim().is_empty() {
            return Err(field("book_title", "is empty".into()));
        }
        let index = match &raw.index {
            Value::Number(x) if x.as_u64().is_some() => {
                as_number.get_or_insert(n);
                x.to_string()
            }
            Value::String(x) if !x.trim().is_empty() => {
                as_string.get_or_insert(n);
                x.clone()
            }
            other => {
                return Err(field(
                    "index",
                    format!("{other} is not a pair index; an index is a non-negative integer (or a non-empty string, when every record writes it as one)"),
                ))
            }
        };
        if let (Some(s), Some(x)) = (as_string, as_number) {
            return Err(field(
                "index",
                format!("record {x} writes `index` as a number and record {s} as a string; write every index one way, so `1` and `\"1\"` are not taken for one pair"),
            ));
        }
        let mut replies = Vec::new();
        for (name, reply) in raw.rest {
            let Some(model) = name.strip_prefix("response-") else {
                continue;
            };
            if model.trim().is_empty() {
                return Err(field(
                    &name,
                    "names no model; a reply's field is `response-MODEL`".into(),
                ));
            }
            replies.push((model.to_string(), reply));
        }
        records.push(Record {
            book_title: raw.book_title,
            claim: raw.claim,
            truth: raw.truth,
            index,
            index_as_given: raw.index,
            explanation: raw.explanation,
            length: raw.length,
            genre: raw.genre,
            publication_year: raw.publication_year,
            length_group: raw.length_group,
            replies,
        });
    }
    Ok(records)
}

/// `{book_title: text}` from a JSON object, or from a folder's `TITLE.txt` files. A book with
/// no text is refused, naming it.
fn read_books(path: &Path) -> Result<BTreeMap<String, String>, GenerateError> {
    let bad = |message: String| GenerateError::Input {
        path: path.display().to_string(),
        message,
    };
    let empty = |title: &str| bad(format!("book `{title}` has no text"));
    if !path.is_dir() {
        let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it ({e})")))?;
        let books: Map<String, Value> = serde_json::from_slice(without_bom(&bytes)).map_err(|e| {
            bad(format!(
                "not a JSON object of {{book_title: text}} ({e}); a folder of BOOK_TITLE.txt files works too"
            ))
        })?;
        // Each book made safe for a prompt as a text file would be (control characters refused).
        return books
            .into_iter()
            .map(|(title, text)| {
                let Value::String(text) = text else {
                    let kind = match text {
                        Value::Null => "null",
                        Value::Bool(_) => "a boolean",
                        Value::Number(_) => "a number",
                        Value::Array(_) => "an array",
                        _ => "an object",
                    };
                    return Err(bad(format!(
                        "book `{title}`: its text is {kind}, not a JSON string"
                    )));
                };
                if text.trim().is_empty() {
                    return Err(empty(&title));
                }
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
        let text = read_text(&file, &bytes)?;
        if text.trim().is_empty() {
            return Err(GenerateError::Input {
                path: file.display().to_string(),
                message: format!("book `{title}` has no text"),
            });
        }
        books.insert(title.to_string(), text);
    }
    if books.is_empty() {
        return Err(bad("holds no BOOK_TITLE.txt file".into()));
    }
    Ok(books)
}
