//! Battles as `rank` reads them, from either of two formats, told apart line by line:
//!
//! - longforge judgments (a `verdict` field): `A>>B`/`B>>A` count `strong_win_weight` times
//!   (Arena-Hard counts them three times), `A>B`/`B>A` once, `A=B` is a tie, `invalid` is left
//!   out and counted; answer lengths come along for `--control length`.
//! - the Chatbot Arena format: `model_a`, `model_b`, `winner` in
//!   `model_a | model_b | tie | tie (bothbad)`, optional `question_id`; no lengths.

use std::path::Path;

use longforge_datasets::{DatasetError, Judgment, Verdict};
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
    /// The two answers' lengths, where the input has them.
    pub lengths: Option<(usize, usize)>,
}

impl Battle {
    /// The battle a judgment records; none for an invalid verdict.
    pub fn from_judgment(j: Judgment, strong_win_weight: f64) -> Option<Battle> {
        let (outcome, weight) = match j.verdict {
            Verdict::MuchBetter => (Outcome::AWins, strong_win_weight),
            Verdict::Better => (Outcome::AWins, 1.0),
            Verdict::Tie => (Outcome::Tie, 1.0),
            Verdict::Worse => (Outcome::BWins, 1.0),
            Verdict::MuchWorse => (Outcome::BWins, strong_win_weight),
            Verdict::Invalid => return None,
        };
        Some(Battle {
            question: j.question_id,
            model_a: j.model_a,
            model_b: j.model_b,
            outcome,
            weight,
            lengths: Some((j.length_a, j.length_b)),
        })
    }
}

/// What a set of battle files holds: the battles, and the verdicts left out as invalid.
#[derive(Debug, Clone, Default)]
pub struct BattleSet {
    pub battles: Vec<Battle>,
    pub invalid: usize,
}

#[derive(Deserialize)]
struct ArenaLine {
    model_a: String,
    model_b: String,
    winner: String,
    #[serde(default)]
    question_id: Option<serde_json::Value>,
}

/// Reads Arena battles only (kept for callers that have nothing else).
pub fn read_arena_battles(path: &Path) -> Result<Vec<Battle>, DatasetError> {
    read_battles(path, 1.0).map(|set| set.battles)
}

/// Reads one battle file of either format. A battle without `question_id` is its own question.
/// Bad lines are errors naming file, line and field.
pub fn read_battles(path: &Path, strong_win_weight: f64) -> Result<BattleSet, DatasetError> {
    let text = std::fs::read_to_string(path).map_err(|e| DatasetError::Invalid {
        path: path.to_path_buf(),
        message: format!("cannot read: {e}"),
    })?;
    let mut set = BattleSet::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = |field: &str, message: String| DatasetError::Record {
            path: path.to_path_buf(),
            line: i + 1,
            field: field.into(),
            message,
        };
        let is_judgment = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .is_some_and(|v| v.get("verdict").is_some());
        let battle = if is_judgment {
            let j: Judgment = longforge_datasets::jsonl::parse_line(path, i + 1, line)?;
            match Battle::from_judgment(j, strong_win_weight) {
                Some(b) => b,
                None => {
                    set.invalid += 1;
                    continue;
                }
            }
        } else {
            let b: ArenaLine = longforge_datasets::jsonl::parse_line(path, i + 1, line)?;
            let outcome = match b.winner.as_str() {
                "model_a" => Outcome::AWins,
                "model_b" => Outcome::BWins,
                "tie" | "tie (bothbad)" => Outcome::Tie,
                other => {
                    return Err(record(
                        "winner",
                        format!("`{other}` is not model_a, model_b, tie or tie (bothbad)"),
                    ))
                }
            };
            let question = match b.question_id {
                Some(serde_json::Value::String(s)) => s,
                Some(v) => v.to_string(),
                None => format!("{}#{}", path.display(), i + 1),
            };
            Battle {
                question,
                model_a: b.model_a,
                model_b: b.model_b,
                outcome,
                weight: 1.0,
                lengths: None,
            }
        };
        if battle.model_a == battle.model_b {
            return Err(record("model_b", "a model cannot battle itself".into()));
        }
        set.battles.push(battle);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgments_and_arena_lines_mix_and_strong_wins_weigh_more() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.jsonl");
        let j = |v: &str, order: &str| {
            format!("{{\"question_id\":\"q1\",\"model_a\":\"x\",\"model_b\":\"y\",\"judge\":\"j\",\"order\":\"{order}\",\"verdict\":\"{v}\",\"raw_verdict\":null,\"raw\":null,\"length_a\":5,\"length_b\":9}}\n")
        };
        let text = [
            j("A>>B", "ab"),
            j("B>A", "ba"),
            j("invalid", "ab"),
            j("A=B", "ba"),
            "{\"model_a\":\"y\",\"model_b\":\"z\",\"winner\":\"tie (bothbad)\"}\n".to_string(),
        ]
        .concat();
        std::fs::write(&path, text).unwrap();
        let set = read_battles(&path, 3.0).unwrap();
        assert_eq!(set.invalid, 1);
        assert_eq!(set.battles.len(), 4);
        assert_eq!(
            (set.battles[0].outcome, set.battles[0].weight),
            (Outcome::AWins, 3.0)
        );
        assert_eq!(
            (set.battles[1].outcome, set.battles[1].weight),
            (Outcome::BWins, 1.0)
        );
        assert_eq!(set.battles[0].lengths, Some((5, 9)));
        assert_eq!(set.battles[3].lengths, None);
        assert_eq!(set.battles[3].outcome, Outcome::Tie);

        std::fs::write(&path, j("A>>>B", "ab")).unwrap();
        let err = read_battles(&path, 1.0).unwrap_err().to_string();
        assert!(
            err.contains("b.jsonl:1") && err.contains("verdict"),
            "{err}"
        );
        std::fs::write(
            &path,
            "{\"model_a\":\"y\",\"model_b\":\"z\",\"winner\":\"y\"}\n",
        )
        .unwrap();
        let err = read_battles(&path, 1.0).unwrap_err().to_string();
        assert!(err.contains("b.jsonl:1") && err.contains("winner"), "{err}");
    }
}
