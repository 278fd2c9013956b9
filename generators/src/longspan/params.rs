//! Long-span QA parameters: what the CLI passes, what the manifest stores, and their checks.

use longforge_datasets::TokenLength;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::unique;
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
    pub seed: u64,
    pub tokenizer: String,
}

const KEYS: &[&str] = &[
    "task",
    "lengths",
    "count",
    "questions",
    "min_spread",
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
    let mut full = Map::new();
    full.insert("task".into(), "world".into());
    full.insert("lengths".into(), serde_json::json!(["16k", "64k"]));
    full.insert("count".into(), 1.into());
    full.insert("questions".into(), 20.into());
    full.insert("min_spread".into(), 0.2.into());
    full.insert("seed".into(), 42.into());
    full.insert("tokenizer".into(), "cl100k_base".into());
    for (k, v) in given {
        full.insert(k, v);
    }
    let params: Params = serde_path_to_error::deserialize(Value::Object(full)).map_err(|e| {
        let field = e.path().to_string();
        let field = field
            .split(['[', '.'])
            .next()
            .unwrap_or("(all)")
            .to_string();
        GenerateError::param(&field, e.into_inner().to_string())
    })?;
    check(&params)?;
    Ok(params)
}

fn check(p: &Params) -> Result<(), GenerateError> {
    if p.task != "world" {
        return Err(GenerateError::param(
            "task",
            format!("unknown task `{}`; longspan has `world`", p.task),
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
        assert!(err(json!({"task": "book"})).starts_with("--task"));
    }
}
