//! Long-span QA parameters: what the CLI passes, what the manifest stores, and their checks.

use longforge_datasets::TokenLength;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{read_params, unique};
use crate::nocha::MIN_TOKENS;
use crate::GenerateError;

/// Resolved parameters. Field order is the order written to the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub task: String,
    /// Book lengths in tokens, one grid value each.
    pub lengths: Vec<TokenLength>,
    /// Books per length.
    pub count: usize,
    /// Questions per book.
    pub questions: usize,
    /// The least distance between a question's first and last evidence, as a share of the book.
    pub min_spread: f64,
    /// Task `book`: the book, by file name and digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub book: Option<Value>,
    /// Task `book`: the generator model's name (`--generator NAME=URL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    /// Task `book`: how many salient entities the generator is asked about, at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<usize>,
    /// Task `book`: the passages shown per entity, in tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage_tokens: Option<usize>,
    pub seed: u64,
    pub tokenizer: String,
}

/// Entities asked about when `--entities` is not given.
pub const ENTITIES: usize = 8;
/// Passage tokens shown per entity when `--passage-tokens` is not given: room for the reply in
/// a 4K-context model.
pub const PASSAGE_TOKENS: usize = 2_500;
/// The keys only task `book` takes.
const BOOK_KEYS: &[&str] = &["book", "generator", "entities", "passage_tokens"];

const KEYS: &[&str] = &[
    "task",
    "lengths",
    "count",
    "questions",
    "min_spread",
    "book",
    "generator",
    "entities",
    "passage_tokens",
    "seed",
    "tokenizer",
];

/// Fills defaults into `given` (an object of parameters), refusing keys the family does not
/// take, and checks the result.
pub fn with_defaults(given: Value) -> Result<Params, GenerateError> {
    let Value::Object(given) = given else {
        return Err(GenerateError::param(
            "(all)",
            "parameters must be a JSON object",
        ));
    };
    for key in given.keys() {
        if !KEYS.contains(&key.as_str()) {
            return Err(GenerateError::param(
                key,
                format!("longspan does not take it; it takes {}", KEYS.join(", ")),
            ));
        }
    }
    let task = given.get("task").and_then(Value::as_str);
    if task == Some("world") && given.contains_key("book") {
        return Err(GenerateError::param(
            "book",
            "asks about a book (task book); task world writes its own books",
        ));
    }
    let book = given.contains_key("book") || task == Some("book");
    let mut full = Map::new();
    if book {
        // The manifest records `lengths: []` and `count: 1`; anything else was asked for.
        for (key, recorded) in [("lengths", serde_json::json!([])), ("count", 1.into())] {
            if given.get(key).is_some_and(|v| *v != recorded) {
                return Err(GenerateError::param(
                    key,
                    "questions about a book (--book) take the book as it is; it applies to the story world's books only",
                ));
            }
        }
        full.insert("task".into(), "book".into());
        full.insert("lengths".into(), serde_json::json!([]));
        full.insert("count".into(), 1.into());
        full.insert("entities".into(), ENTITIES.into());
        full.insert("passage_tokens".into(), PASSAGE_TOKENS.into());
    } else {
        if let Some(key) = BOOK_KEYS.iter().find(|k| given.contains_key(**k)) {
            return Err(GenerateError::param(
                key,
                "applies to questions about a book only: give --book FILE",
            ));
        }
        full.insert("task".into(), "world".into());
        full.insert("lengths".into(), serde_json::json!(["16k", "64k"]));
        full.insert("count".into(), 1.into());
    }
    full.insert("questions".into(), 20.into());
    full.insert("min_spread".into(), 0.2.into());
    full.insert("seed".into(), 42.into());
    full.insert("tokenizer".into(), "cl100k_base".into());
    for (k, v) in given {
        full.insert(k, v);
    }
    let params: Params = read_params(full)?;
    check(&params)?;
    Ok(params)
}

fn check(p: &Params) -> Result<(), GenerateError> {
    if p.task == "book" {
        if p.book.is_none() {
            return Err(GenerateError::param(
                "book",
                "task book asks about a book: give --book FILE",
            ));
        }
        if p.entities == Some(0) || p.passage_tokens == Some(0) {
            return Err(GenerateError::param(
                if p.entities == Some(0) {
                    "entities"
                } else {
                    "passage_tokens"
                },
                "must be at least 1",
            ));
        }
        return check_shared(p);
    }
    if p.task != "world" {
        return Err(GenerateError::param(
            "task",
            format!("unknown task `{}`; longspan has `world` and `book`", p.task),
        ));
    }
    if p.lengths.is_empty() {
        return Err(GenerateError::param("lengths", "give at least one length"));
    }
    for l in &p.lengths {
        match l.tokens() {
            Some(t) if t >= MIN_TOKENS => {}
            _ => {
                return Err(GenerateError::param(
                    "lengths",
                    format!("{l}: a book needs at least {MIN_TOKENS} tokens"),
                ))
            }
        }
    }
    unique("lengths", p.lengths.iter().map(|l| l.to_string()))?;
    if p.count == 0 {
        return Err(GenerateError::param("count", "must be at least 1"));
    }
    check_shared(p)
}

/// The checks both tasks share.
fn check_shared(p: &Params) -> Result<(), GenerateError> {
    if p.questions == 0 {
        return Err(GenerateError::param("questions", "must be at least 1"));
    }
    if !(0.0..1.0).contains(&p.min_spread) {
        return Err(GenerateError::param(
            "min_spread",
            format!("{} is outside [0, 1)", p.min_spread),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_fill_and_bad_values_name_their_flag() {
        let p = with_defaults(json!({})).unwrap();
        assert_eq!((p.count, p.questions, p.min_spread), (1, 20, 0.2));
        let err = |v: Value| with_defaults(v).unwrap_err().to_string();
        assert!(err(json!({"lengths": ["2k"]})).starts_with("--lengths"));
        assert!(err(json!({"lengths": ["8k", "8000"]})).contains("twice"));
        assert!(err(json!({"questions": 0})).starts_with("--questions"));
        assert!(err(json!({"min_spread": 1.0})).starts_with("--min-spread"));
        assert!(err(json!({"pairs": 3})).starts_with("--pairs"));
        assert!(err(json!({"task": "novel"})).starts_with("--task"));
        assert!(err(json!({"task": "book"})).starts_with("--book"));
        assert!(err(json!({"entities": 3})).starts_with("--entities"));
        let book = json!({"file": "b.txt", "sha256": "00"});
        assert!(err(json!({"book": book, "lengths": ["16k"]})).starts_with("--lengths"));
        assert!(err(json!({"book": book, "task": "world"})).starts_with("--book"));
        let p = with_defaults(json!({"book": book})).unwrap();
        assert_eq!((p.task.as_str(), p.entities), ("book", Some(ENTITIES)));
    }
}
