//! Battles as `rank` reads them: the Chatbot Arena format (`model_a`, `model_b`, `winner` in
//! `model_a | model_b | tie | tie (bothbad)`, optional `question_id`).

use std::path::Path;

use longforge_datasets::DatasetError;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    AWins,
    BWins,
    Tie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Battle {
    /// Battles of one question are resampled together.
    pub question: String,
    pub model_a: String,
    pub model_b: String,
    pub outcome: Outcome,
    /// How many battles this one counts as (Arena-Hard counts a strong win three times).
    pub weight: f64,
}

#[derive(Deserialize)]
struct ArenaLine {
    model_a: String,
    model_b: String,
    winner: String,
    #[serde(default)]
    question_id: Option<serde_json::Value>,
}

/// Reads Arena battles. A battle without `question_id` is its own question. Returns the
/// battles; an unknown `winner` is an error naming the line.
pub fn read_arena_battles(path: &Path) -> Result<Vec<Battle>, DatasetError> {
    let text = std::fs::read_to_string(path).map_err(|e| DatasetError::Invalid {
        path: path.to_path_buf(),
        message: format!("cannot read: {e}"),
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let b: ArenaLine = longforge_datasets::jsonl::parse_line(path, i + 1, line)?;
        let outcome = match b.winner.as_str() {
            "model_a" => Outcome::AWins,
            "model_b" => Outcome::BWins,
            "tie" | "tie (bothbad)" => Outcome::Tie,
            other => {
                return Err(DatasetError::Record {
                    path: path.to_path_buf(),
                    line: i + 1,
                    field: "winner".into(),
                    message: format!("`{other}` is not model_a, model_b, tie or tie (bothbad)"),
                })
            }
        };
        if b.model_a == b.model_b {
            return Err(DatasetError::Record {
                path: path.to_path_buf(),
                line: i + 1,
                field: "model_b".into(),
                message: "a model cannot battle itself".into(),
            });
        }
        let question = match b.question_id {
            Some(serde_json::Value::String(s)) => s,
            Some(v) => v.to_string(),
            None => format!("{}#{}", path.display(), i + 1),
        };
        out.push(Battle {
            question,
            model_a: b.model_a,
            model_b: b.model_b,
            outcome,
            weight: 1.0,
        });
    }
    Ok(out)
}
