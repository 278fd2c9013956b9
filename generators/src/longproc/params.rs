//! LongProc parameters: what the CLI passes, what the manifest stores, and their checks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::{read_params, unique};
use crate::GenerateError;

/// A LongProc task. Adding one (html-to-tsv, pseudo-to-code, tom-tracking) is:
/// a variant here with its name and [`Dial`]; a field of [`Params`] for the dial's values (and
/// its arm in [`Params::dials`]); the dial's flag in the family's `PARAMS` and the task's
/// `TaskInfo` in `TASKS` (a test checks they match this enum); and the task's own file
/// implementing [`super::Procedure`], named in [`super::procedure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    PathTraversal,
    Countdown,
    HtmlToTsv,
    TomTracking,
    TravelPlanning,
    PseudoToCode,
}

/// A task's difficulty dial: one parameter, a list of values, each a cell of the grid.
#[derive(Debug, Clone, Copy)]
pub struct Dial {
    /// The parameter's name (snake_case, as the manifest writes it).
    pub name: &'static str,
    pub default: f64,
    /// Whole numbers only (a count).
    pub whole: bool,
    /// Inclusive bounds.
    pub min: f64,
    pub max: f64,
    /// What a value is, for error messages.
    pub what: &'static str,
    /// Written before the value in sample ids: `d1` for one distractor a city.
    pub id_prefix: &'static str,
}

impl Task {
    pub const ALL: [Task; 6] = [
        Task::PathTraversal,
        Task::Countdown,
        Task::HtmlToTsv,
        Task::TomTracking,
        Task::TravelPlanning,
        Task::PseudoToCode,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Task::PathTraversal => "path-traversal",
            Task::Countdown => "countdown",
            Task::HtmlToTsv => "html-to-tsv",
            Task::TomTracking => "tom-tracking",
            Task::TravelPlanning => "travel-planning",
            Task::PseudoToCode => "pseudo-to-code",
        }
    }

    fn parse(s: &str) -> Result<Self, GenerateError> {
        Task::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                GenerateError::param(
                    "task",
                    format!(
                        "unknown task `{s}`; LongProc tasks are {}",
                        Task::ALL.map(Task::name).join(", ")
                    ),
                )
            })
    }

    pub fn dial(self) -> Dial {
        match self {
            Task::PathTraversal => Dial {
                name: "distractors",
                default: 1.0,
                whole: false,
                min: 0.0,
                max: 8.0,
                what: "distractor cities per city of the route",
                id_prefix: "d",
            },
            Task::Countdown => Dial {
                name: "numbers",
                default: 4.0,
                whole: true,
                min: 3.0,
                max: 6.0,
                what: "numbers to combine",
                id_prefix: "n",
            },
            Task::HtmlToTsv => Dial {
                name: "noise",
                default: 0.3,
                whole: false,
                min: 0.0,
                max: 0.6,
                what: "share of the listed entities failing the condition",
                id_prefix: "x",
            },
            Task::TomTracking => Dial {
                name: "agents",
                default: 3.0,
                whole: true,
                min: 2.0,
                max: 6.0,
                what: "agents in the story",
                id_prefix: "a",
            },
            Task::TravelPlanning => Dial {
                name: "fixed",
                default: 0.3,
                whole: false,
                min: 0.1,
                max: 0.6,
                what: "share of the cities with a fixed-date event",
                id_prefix: "f",
            },
            Task::PseudoToCode => Dial {
                name: "tests",
                default: 10.0,
                whole: true,
                min: 1.0,
                max: 100.0,
                what: "test cases per program",
                id_prefix: "t",
            },
        }
    }
}

/// An output length in tokens: `0.5k` is 500, `2k` 2,000, `1500` 1,500. Decimal thousands, as
/// the LongProc paper names its levels (0.5K, 2K, 8K).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Level(pub u64);

/// The shortest and longest reference outputs longforge makes.
pub const MIN_LEVEL: u64 = 200;
pub const MAX_LEVEL: u64 = 32_000;

impl FromStr for Level {
    type Err = String;

    fn from_str(input: &str) -> Result<Self, String> {
        let s = input.trim().to_ascii_lowercase();
        let usage =
            "write output tokens as a number, optionally with k (thousand): 0.5k, 2k, 8k, 1500";
        let (number, scale) = match s.strip_suffix('k') {
            Some(n) => (n, 1000.0),
            None => (s.as_str(), 1.0),
        };
        let ok = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && number.bytes().filter(|&b| b == b'.').count() <= 1;
        let value: f64 = if ok {
            number.parse().map_err(|_| format!("`{input}`: {usage}"))?
        } else {
            return Err(format!("`{input}`: {usage}"));
        };
        let tokens = value * scale;
        if tokens.fract() != 0.0 {
            return Err(format!("`{input}` is not a whole number of tokens"));
        }
        let tokens = tokens as u64;
        if !(MIN_LEVEL..=MAX_LEVEL).contains(&tokens) {
            return Err(format!(
                "`{input}` is outside {MIN_LEVEL}-{MAX_LEVEL} output tokens"
            ));
        }
        Ok(Level(tokens))
    }
}

impl fmt::Display for Level {
    /// `0.5k`, `2k`, `1.25k`, or plain tokens (`512`) when thousands would need more than two
    /// decimals; parses back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        if n.is_multiple_of(10) {
            let whole = n / 1000;
            let frac = n % 1000 / 10;
            if frac == 0 {
                write!(f, "{whole}k")
            } else if frac.is_multiple_of(10) {
                write!(f, "{whole}.{}k", frac / 10)
            } else {
                write!(f, "{whole}.{frac:02}k")
            }
        } else {
            write!(f, "{n}")
        }
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Read from text (`"0.5k"`, as the manifest writes it) or a whole number of tokens (`500`, as a
/// `--params` file may give it).
impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match Value::deserialize(d)? {
            Value::String(text) => text,
            Value::Number(n) if n.is_u64() => n.to_string(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "{other} is not an output length; write 0.5k, 2k, 8k or 1500"
                )))
            }
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Resolved parameters. Field order is the order written to the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub task: Task,
    /// Reference output lengths, one grid value each.
    pub levels: Vec<Level>,
    /// Path traversal: distractor cities per route city, one grid value each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distractors: Option<Vec<f64>>,
    /// Countdown: how many numbers to combine, one grid value each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers: Option<Vec<u64>>,
    /// HTML to TSV: share of listed entities failing the condition, one grid value each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<Vec<f64>>,
    /// Theory-of-mind tracking: agents in the story, one grid value each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agents: Option<Vec<u64>>,
    /// Travel planning: share of the cities with a fixed-date event, one grid value each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Vec<f64>>,
    /// Pseudo-to-code: test cases per program, one grid value each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<Vec<u64>>,
    /// Samples per (level, difficulty) cell.
    pub count: usize,
    pub seed: u64,
    pub tokenizer: String,
}

impl Params {
    /// The task's dial values, in the order given.
    pub fn dials(&self) -> Vec<f64> {
        let given = match self.task {
            Task::PathTraversal => self.distractors.clone(),
            Task::Countdown => self
                .numbers
                .as_ref()
                .map(|n| n.iter().map(|&n| n as f64).collect()),
            Task::HtmlToTsv => self.noise.clone(),
            Task::TomTracking => self
                .agents
                .as_ref()
                .map(|n| n.iter().map(|&n| n as f64).collect()),
            Task::TravelPlanning => self.fixed.clone(),
            Task::PseudoToCode => self
                .tests
                .as_ref()
                .map(|n| n.iter().map(|&n| n as f64).collect()),
        };
        given.unwrap_or_else(|| vec![self.task.dial().default])
    }
}

const COMMON: &[&str] = &["task", "levels", "count", "seed", "tokenizer"];

/// Fills defaults into `given` (an object of parameters), refusing keys the task does not take,
/// and checks the result.
pub fn with_defaults(given: Value) -> Result<Params, GenerateError> {
    let Value::Object(given) = given else {
        return Err(GenerateError::param(
            "(all)",
            "parameters must be a JSON object",
        ));
    };
    let names = Task::ALL.map(Task::name).join("|");
    let task = match given.get("task") {
        Some(Value::String(s)) => Task::parse(s)?,
        Some(_) => return Err(GenerateError::param("task", "must be a string")),
        None => {
            return Err(GenerateError::param(
                "task",
                format!("missing; pass --task {names}"),
            ))
        }
    };
    let dial = task.dial();
    for key in given.keys() {
        if key == "lengths" {
            return Err(GenerateError::param(
                "lengths",
                "LongProc sizes the reference output, not the input: pass --levels (e.g. 0.5k,2k,8k)",
            ));
        }
        if !COMMON.contains(&key.as_str()) && key != dial.name {
            return Err(GenerateError::param(
                key,
                format!(
                    "task {} does not take it; it takes {}, {}",
                    task.name(),
                    COMMON.join(", "),
                    dial.name
                ),
            ));
        }
    }
    let mut full = Map::new();
    full.insert("task".into(), task.name().into());
    full.insert("levels".into(), serde_json::json!(["0.5k", "2k", "8k"]));
    let default = if dial.whole {
        serde_json::json!([dial.default as u64])
    } else {
        serde_json::json!([dial.default])
    };
    full.insert(dial.name.into(), default);
    full.insert("count".into(), 1.into());
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
    if p.levels.is_empty() {
        return Err(GenerateError::param(
            "levels",
            "give at least one output length, e.g. 0.5k,2k,8k",
        ));
    }
    unique("levels", p.levels.iter().map(|l| l.to_string()))?;
    let dial = p.task.dial();
    let values = p.dials();
    if values.is_empty() {
        return Err(GenerateError::param(
            dial.name,
            format!("give at least one value ({})", dial.what),
        ));
    }
    for &v in &values {
        let whole_ok = !dial.whole || v.fract() == 0.0;
        if !(v.is_finite() && (dial.min..=dial.max).contains(&v) && whole_ok) {
            return Err(GenerateError::param(
                dial.name,
                format!(
                    "{v} is not {} {} to {} ({})",
                    if dial.whole {
                        "a whole number from"
                    } else {
                        "a number from"
                    },
                    dial.min,
                    dial.max,
                    dial.what
                ),
            ));
        }
    }
    unique(dial.name, values.iter().map(|v| dial_label(*v)))?;
    if p.count == 0 {
        return Err(GenerateError::param("count", "must be at least 1"));
    }
    Ok(())
}

/// `1` for 1.0, `0.5` for 0.5: the form used in sample ids and axes.
pub fn dial_label(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn levels_parse_and_print_back() {
        for (text, tokens, shown) in [
            ("0.5k", 500, "0.5k"),
            ("2k", 2000, "2k"),
            ("8K", 8000, "8k"),
            ("1500", 1500, "1.5k"),
            ("1.25k", 1250, "1.25k"),
            ("512", 512, "512"),
        ] {
            let level: Level = text.parse().unwrap();
            assert_eq!(level.0, tokens);
            assert_eq!(level.to_string(), shown);
            assert_eq!(shown.parse::<Level>().unwrap(), level);
        }
        for bad in ["", "k", "2m", "0.5.1k", "-2k", "0.0005k", "100k", "50"] {
            assert!(bad.parse::<Level>().is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_fill_and_bad_values_name_their_flag() {
        let p = with_defaults(json!({"task": "countdown"})).unwrap();
        assert_eq!(p.levels, vec![Level(500), Level(2000), Level(8000)]);
        assert_eq!(p.dials(), vec![4.0]);
        assert_eq!(p.distractors, None);
        let err = |v: Value| with_defaults(v).unwrap_err().to_string();
        assert!(err(json!({"task": "sorting"})).contains("--task"));
        assert!(err(json!({"task": "sorting"})).contains("path-traversal, countdown"));
        assert!(err(json!({})).contains("--task"));
        let e = err(json!({"task": "countdown", "levels": ["2q"]}));
        assert!(e.starts_with("--levels"), "{e}");
        assert!(err(json!({"task": "countdown", "levels": []})).contains("--levels"));
        assert!(err(json!({"task": "countdown", "levels": [2.5]})).contains("--levels"));
        let p = with_defaults(json!({"task": "countdown", "levels": [1500, "8k"]})).unwrap();
        assert_eq!(p.levels, vec![Level(1500), Level(8000)]);
        assert!(err(json!({"task": "countdown", "numbers": [2]})).contains("--numbers"));
        assert!(err(json!({"task": "countdown", "numbers": [4.5]})).contains("--numbers"));
        let e = err(json!({"task": "countdown", "distractors": [1]}));
        assert!(
            e.starts_with("--distractors") && e.contains("does not take"),
            "{e}"
        );
        assert!(err(json!({"task": "countdown", "lengths": ["2k"]})).contains("--levels"));
        assert!(
            err(json!({"task": "path-traversal", "distractors": [-1]})).contains("--distractors")
        );
        assert!(err(json!({"task": "path-traversal", "levels": ["2k", "2000"]})).contains("twice"));
    }
}
