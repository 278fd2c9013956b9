//! Battles as `rank` reads them, from either of two formats, told apart line by line:
//!
//! - longforge judgments (a `verdict` field): `A>>B`/`B>>A` count `strong_win_weight` times
//!   (Arena-Hard counts them three times), `A>B`/`B>A` once, `A=B` is a tie, `invalid` is left
//!   out and counted; answer lengths come along for `--control length`.
//! - the Chatbot Arena format: `model_a`, `model_b`, `winner` in
//!   `model_a | model_b | tie | tie (bothbad)`, optional `question_id`; no lengths.

use std::io::BufRead;
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
    /// Each judgment read so far (question, models, judge, order) and where: a judgment given
    /// twice, in one file or two, is an error rather than a battle counted twice.
    seen: std::collections::HashMap<
        (String, String, String, String, longforge_datasets::Order),
        String,
    >,
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

/// Reads one battle file: JSON Lines (one judgment or Arena battle per line, mixed), or one
/// JSON array of them (as the public Chatbot Arena dumps are written), read element by element
/// so a large dump never sits in memory as JSON. A battle without `question_id` is its own
/// question. Bad records are errors naming the file, the line or element, and the field.
pub fn read_battles(path: &Path, strong_win_weight: f64) -> Result<BattleSet, DatasetError> {
    let mut set = BattleSet::default();
    set.read(path, strong_win_weight)?;
    Ok(set)
}

impl BattleSet {
    /// Adds the battles of one more file (see [`read_battles`]); a judgment already read, from
    /// this file or another, is an error naming both places.
    pub fn read(&mut self, path: &Path, strong_win_weight: f64) -> Result<(), DatasetError> {
        let more = read_file(path, strong_win_weight, std::mem::take(&mut self.seen))?;
        self.battles.extend(more.battles);
        self.invalid += more.invalid;
        self.seen = more.seen;
        Ok(())
    }
}

fn read_file(
    path: &Path,
    strong_win_weight: f64,
    seen: std::collections::HashMap<
        (String, String, String, String, longforge_datasets::Order),
        String,
    >,
) -> Result<BattleSet, DatasetError> {
    let set = BattleSet {
        seen,
        ..BattleSet::default()
    };
    let cannot = |e: std::io::Error| DatasetError::Invalid {
        path: path.to_path_buf(),
        message: format!("cannot read: {e}"),
    };
    let mut reader = std::io::BufReader::new(std::fs::File::open(path).map_err(cannot)?);
    let first = loop {
        let buf = reader.fill_buf().map_err(cannot)?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => break Some(buf[at]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    match first {
        Some(b'[') => read_array(path, reader, strong_win_weight, set),
        Some(b'{') | None => read_lines(path, reader, strong_win_weight, set),
        Some(other) => Err(DatasetError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "neither JSON Lines (an object per line) nor a JSON array of battles: it starts with `{}`",
                char::from(other).escape_default()
            ),
        }),
    }
}

fn read_lines(
    path: &Path,
    reader: impl BufRead,
    strong_win_weight: f64,
    mut set: BattleSet,
) -> Result<BattleSet, DatasetError> {
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| DatasetError::Invalid {
            path: path.to_path_buf(),
            message: format!("line {}: cannot read: {e}", i + 1),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let is_judgment = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .is_some_and(|v| v.get("verdict").is_some());
        let record = if is_judgment {
            Record::Judgment(longforge_datasets::jsonl::parse_line(path, i + 1, &line)?)
        } else {
            Record::Arena(longforge_datasets::jsonl::parse_line(path, i + 1, &line)?)
        };
        let at = |field: &str, message: String| DatasetError::Record {
            path: path.to_path_buf(),
            line: i + 1,
            field: field.into(),
            message,
        };
        let fallback = format!("{}#{}", path.display(), i + 1);
        let origin = format!("{}:{}", path.display(), i + 1);
        set.add(record, strong_win_weight, &fallback, &origin, at)?;
    }
    Ok(set)
}

fn read_array(
    path: &Path,
    reader: impl std::io::Read,
    strong_win_weight: f64,
    set: BattleSet,
) -> Result<BattleSet, DatasetError> {
    struct Elements<'a> {
        path: &'a Path,
        strong_win_weight: f64,
        set: BattleSet,
    }
    impl<'de> serde::de::Visitor<'de> for Elements<'_> {
        type Value = Result<BattleSet, DatasetError>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON array of battles")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut set = self.set;
            let mut n = 0;
            while let Some(value) = seq.next_element::<serde_json::Value>()? {
                n += 1;
                let at = |field: &str, message: String| DatasetError::Invalid {
                    path: self.path.to_path_buf(),
                    message: format!("element {n} of the array: field `{field}`: {message}"),
                };
                let record = if value.get("verdict").is_some() {
                    serde_path_to_error::deserialize(value).map(Record::Judgment)
                } else {
                    serde_path_to_error::deserialize(value).map(Record::Arena)
                };
                let record = match record {
                    Ok(r) => r,
                    Err(e) => {
                        return Ok(Err(at(&e.path().to_string(), e.into_inner().to_string())))
                    }
                };
                let fallback = format!("{}#{n}", self.path.display());
                let origin = format!("{}, element {n}", self.path.display());
                if let Err(e) = set.add(record, self.strong_win_weight, &fallback, &origin, at) {
                    return Ok(Err(e));
                }
            }
            Ok(Ok(set))
        }
    }
    let mut de = serde_json::Deserializer::from_reader(reader);
    let read = serde::Deserializer::deserialize_seq(
        &mut de,
        Elements {
            path,
            strong_win_weight,
            set,
        },
    )
    .and_then(|set| de.end().map(|()| set));
    match read {
        Ok(set) => set,
        Err(e) => Err(DatasetError::Invalid {
            path: path.to_path_buf(),
            message: format!("read as a JSON array of battles (it starts with `[`), but: {e}"),
        }),
    }
}

/// One record of a battle file.
enum Record {
    Judgment(Judgment),
    Arena(ArenaLine),
}

impl BattleSet {
    /// Adds the battle `record` holds (an invalid verdict is counted instead). `question` is the
    /// question of an Arena battle without `question_id`; `at` makes an error about a field.
    fn add(
        &mut self,
        record: Record,
        strong_win_weight: f64,
        question: &str,
        origin: &str,
        at: impl Fn(&str, String) -> DatasetError,
    ) -> Result<(), DatasetError> {
        let battle = match record {
            Record::Judgment(j) => {
                let key = (
                    j.question_id.clone(),
                    j.model_a.clone(),
                    j.model_b.clone(),
                    j.judge.clone(),
                    j.order,
                );
                if let Some(first) = self.seen.insert(key, origin.to_string()) {
                    return Err(at(
                        "question_id",
                        format!(
                            "question `{}`, `{}` against `{}` by judge `{}` in order {} is given again (first at {first}); a judgment counts once",
                            j.question_id, j.model_a, j.model_b, j.judge, match j.order { longforge_datasets::Order::Ab => "ab", longforge_datasets::Order::Ba => "ba" }
                        ),
                    ));
                }
                match Battle::from_judgment(j, strong_win_weight) {
                    Some(b) => b,
                    None => {
                        self.invalid += 1;
                        return Ok(());
                    }
                }
            }
            Record::Arena(b) => {
                let outcome = match b.winner.as_str() {
                    "model_a" => Outcome::AWins,
                    "model_b" => Outcome::BWins,
                    "tie" | "tie (bothbad)" => Outcome::Tie,
                    other => {
                        return Err(at(
                            "winner",
                            format!("`{other}` is not model_a, model_b, tie or tie (bothbad)"),
                        ))
                    }
                };
                Battle {
                    question: match b.question_id {
                        Some(serde_json::Value::String(s)) => s,
                        Some(v) => v.to_string(),
                        None => question.to_string(),
                    },
                    model_a: b.model_a,
                    model_b: b.model_b,
                    outcome,
                    weight: 1.0,
                    lengths: None,
                }
            }
        };
        if battle.model_a == battle.model_b {
            return Err(at("model_b", "a model cannot battle itself".into()));
        }
        self.battles.push(battle);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgments_and_arena_lines_mix_and_strong_wins_weigh_more() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.jsonl");
        let j = |v: &str, order: &str| {
            let q = match v {
                "invalid" => "q2",
                "A=B" => "q3",
                _ => "q1",
            };
            format!("{{\"question_id\":\"{q}\",\"model_a\":\"x\",\"model_b\":\"y\",\"judge\":\"j\",\"order\":\"{order}\",\"verdict\":\"{v}\",\"raw_verdict\":null,\"raw\":null,\"length_a\":5,\"length_b\":9}}\n")
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

    #[test]
    fn arena_dumps_as_one_json_array_read_like_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("arena.json");
        std::fs::write(
            &path,
            r#" [{"question_id": "s1", "model_a": "a", "model_b": "b", "winner": "model_b"},
                {"model_a": "b", "model_b": "c", "winner": "tie (bothbad)", "extra": 1}]"#,
        )
        .unwrap();
        let set = read_battles(&path, 1.0).unwrap();
        assert_eq!(set.battles.len(), 2);
        assert_eq!(
            (set.battles[0].question.as_str(), set.battles[0].outcome),
            ("s1", Outcome::BWins)
        );
        assert_eq!(set.battles[1].outcome, Outcome::Tie);
        assert!(set.battles[1].question.ends_with("arena.json#2"));
        std::fs::write(
            &path,
            r#"[{"model_a": "a", "model_b": "b", "winner": "a"}]"#,
        )
        .unwrap();
        let err = read_battles(&path, 1.0).unwrap_err().to_string();
        assert!(err.contains("element 1") && err.contains("winner"), "{err}");
        std::fs::write(
            &path,
            r#"[{"model_a": "a", "model_b": "b", "winner": "model_a"}"#,
        )
        .unwrap();
        let err = read_battles(&path, 1.0).unwrap_err().to_string();
        assert!(err.contains("JSON array"), "{err}");
        std::fs::write(&path, "model_a,model_b,winner\na,b,model_a\n").unwrap();
        let err = read_battles(&path, 1.0).unwrap_err().to_string();
        assert!(
            err.contains("neither JSON Lines") && err.contains("`m`"),
            "{err}"
        );
    }
}
