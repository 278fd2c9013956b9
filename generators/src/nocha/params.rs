//! NoCha-style parameters: what the CLI passes, what the manifest stores, and their checks.

use longforge_datasets::TokenLength;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::prompt::PromptStyle;
use crate::error::{read_params, unique};
use crate::GenerateError;

/// The shortest book a world's skeleton fits in.
pub const MIN_TOKENS: u64 = 4_000;

/// Resolved parameters. Field order is the order written to the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub task: String,
    /// Book lengths in tokens, one grid value each.
    pub lengths: Vec<TokenLength>,
    /// Books per length.
    pub count: usize,
    /// Claim pairs per book.
    pub pairs: usize,
    pub prompt: PromptStyle,
    pub seed: u64,
    pub tokenizer: String,
}

const KEYS: &[&str] = &[
    "task",
    "lengths",
    "count",
    "pairs",
    "prompt",
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
                format!("nocha does not take it; it takes {}", KEYS.join(", ")),
            ));
        }
    }
    let mut full = Map::new();
    full.insert("task".into(), "claims".into());
    full.insert("lengths".into(), serde_json::json!(["32k", "128k"]));
    full.insert("count".into(), 1.into());
    full.insert("pairs".into(), 20.into());
    full.insert("prompt".into(), "tagged".into());
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
    if p.task != "claims" {
        return Err(GenerateError::param(
            "task",
            format!("unknown task `{}`; nocha has one task, claims", p.task),
        ));
    }
    if p.lengths.is_empty() {
        return Err(GenerateError::param(
            "lengths",
            "give at least one book length, e.g. 32k,128k",
        ));
    }
    for l in &p.lengths {
        match l.tokens() {
            Some(n) if n >= MIN_TOKENS => {}
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
        return Err(GenerateError::param("count", "must be at least 1 book"));
    }
    if p.pairs == 0 {
        return Err(GenerateError::param("pairs", "must be at least 1"));
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
        assert_eq!(p.lengths.len(), 2);
        assert_eq!((p.count, p.pairs, p.prompt), (1, 20, PromptStyle::Tagged));
        let err = |v: Value| with_defaults(v).unwrap_err().to_string();
        assert!(err(json!({"lengths": ["2k"]})).starts_with("--lengths"));
        assert!(err(json!({"lengths": ["none"]})).starts_with("--lengths"));
        assert!(err(json!({"lengths": ["8k", "8000"]})).contains("twice"));
        assert!(err(json!({"pairs": 0})).starts_with("--pairs"));
        assert!(err(json!({"prompt": "fancy"})).starts_with("--prompt"));
        assert!(err(json!({"depths": [1]})).starts_with("--depths"));
        assert!(err(json!({"task": "qa"})).starts_with("--task"));
        let p = with_defaults(json!({"prompt": "simple", "lengths": [8000]})).unwrap();
        assert_eq!(p.prompt, PromptStyle::Simple);
        assert_eq!(p.lengths[0].to_string(), "8k");
    }
}
