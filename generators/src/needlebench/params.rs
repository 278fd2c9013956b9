//! NeedleBench parameters: what the CLI passes, what the manifest stores, and their checks.

use longforge_datasets::TokenLength;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::kinship::{people_needed, QuestionType};
use super::names::max_people;
use crate::error::{read_params, unique};
use crate::haystack::Lang;
use crate::GenerateError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    Single,
    MultiRetrieval,
    MultiReasoning,
    Atc,
}

impl Task {
    pub fn name(self) -> &'static str {
        match self {
            Task::Single => "single",
            Task::MultiRetrieval => "multi-retrieval",
            Task::MultiReasoning => "multi-reasoning",
            Task::Atc => "atc",
        }
    }

    fn parse(s: &str) -> Result<Self, GenerateError> {
        serde_json::from_value(Value::String(s.to_string())).map_err(|_| {
            GenerateError::param(
                "task",
                format!("unknown task `{s}`; NeedleBench tasks are single, multi-retrieval, multi-reasoning, atc"),
            )
        })
    }

    /// Which optional parameters the task takes.
    fn takes(self) -> &'static [&'static str] {
        match self {
            Task::Single | Task::MultiRetrieval => &["depths", "distractors"],
            Task::MultiReasoning => &["depths", "needles", "plain_chain", "questions"],
            Task::Atc => &["needles", "plain_chain", "questions"],
        }
    }
}

/// The user's own filler file, named by content so the manifest holds no path.
pub type HaystackRef = crate::InputRef;

/// Resolved parameters. Field order is the order written to the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub task: Task,
    pub lang: Lang,
    pub lengths: Vec<TokenLength>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depths: Option<Vec<f64>>,
    /// Links per puzzle (ATC, multi-reasoning); several values make several grid cells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needles: Option<Vec<usize>>,
    /// Near-miss needles per retrieval sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distractors: Option<usize>,
    /// The original's single chain, without distractor families and side branches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain_chain: Option<bool>,
    /// Question types, used in rotation over the samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questions: Option<Vec<QuestionType>>,
    /// Samples per grid cell.
    pub count: usize,
    pub seed: u64,
    pub tokenizer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub haystack: Option<HaystackRef>,
}

const COMMON: &[&str] = &[
    "task",
    "lang",
    "lengths",
    "count",
    "seed",
    "tokenizer",
    "haystack",
];

/// Fills defaults into `given` (an object of parameters), refusing keys the task does not take,
/// and parses the result. The tokenizer and haystack entries are filled by the caller.
pub fn with_defaults(given: Value) -> Result<Params, GenerateError> {
    let Value::Object(given) = given else {
        return Err(GenerateError::param(
            "(all)",
            "parameters must be a JSON object",
        ));
    };
    let task = match given.get("task") {
        Some(Value::String(s)) => Task::parse(s)?,
        Some(_) => return Err(GenerateError::param("task", "must be a string")),
        None => {
            return Err(GenerateError::param(
                "task",
                "missing; pass --task single|multi-retrieval|multi-reasoning|atc",
            ))
        }
    };
    for key in given.keys() {
        if !COMMON.contains(&key.as_str()) && !task.takes().contains(&key.as_str()) {
            return Err(GenerateError::param(
                key,
                format!(
                    "task {} does not take it; it takes {}",
                    task.name(),
                    COMMON
                        .iter()
                        .chain(task.takes())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let mut full = Map::new();
    full.insert("task".into(), Value::String(task.name().into()));
    full.insert("lang".into(), "en".into());
    let default_length = if task == Task::Atc { "none" } else { "4k" };
    full.insert("lengths".into(), serde_json::json!([default_length]));
    for key in task.takes() {
        let default = match *key {
            "depths" => serde_json::json!([0, 25, 50, 75, 100]),
            "distractors" => serde_json::json!(2),
            "needles" if task == Task::Atc => serde_json::json!([8]),
            "needles" => serde_json::json!([4]),
            "plain_chain" => serde_json::json!(false),
            "questions" if task == Task::Atc => serde_json::json!(QuestionType::ALL),
            _ => serde_json::json!([QuestionType::EldestAncestor]),
        };
        full.insert((*key).into(), default);
    }
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
    if p.lengths.is_empty() {
        return Err(GenerateError::param(
            "lengths",
            "give at least one length, e.g. 4k",
        ));
    }
    unique("lengths", p.lengths.iter().map(|l| l.to_string()))?;
    if p.task != Task::Atc && p.lengths.contains(&TokenLength::None) {
        return Err(GenerateError::param(
            "lengths",
            format!(
                "`none` (no filler) is for atc only; task {} needs a haystack length",
                p.task.name()
            ),
        ));
    }
    if let Some(depths) = &p.depths {
        if depths.is_empty() {
            return Err(GenerateError::param(
                "depths",
                "give at least one depth between 0 and 100",
            ));
        }
        for &d in depths {
            if !(0.0..=100.0).contains(&d) {
                return Err(GenerateError::param(
                    "depths",
                    format!("{d} is outside 0-100; a depth is a percentage of the haystack (0 = start, 100 = end)"),
                ));
            }
        }
        unique("depths", depths.iter().map(|d| depth_label(*d)))?;
    }
    if let Some(needles) = &p.needles {
        if needles.is_empty() || needles.contains(&0) {
            return Err(GenerateError::param(
                "needles",
                "each needle count must be at least 1",
            ));
        }
        unique("needles", needles.iter().map(|n| n.to_string()))?;
        let plain = p.plain_chain.unwrap_or(false);
        for &n in needles {
            if people_needed(n, plain) > max_people(p.lang) {
                return Err(GenerateError::param(
                    "needles",
                    format!("{n} links need more distinct names than longforge draws for {}; use at most 512", p.lang.code()),
                ));
            }
        }
    }
    if let Some(d) = p.distractors {
        if d > 64 {
            return Err(GenerateError::param("distractors", "at most 64 per sample"));
        }
    }
    if let Some(q) = &p.questions {
        if q.is_empty() {
            return Err(GenerateError::param(
                "questions",
                "give at least one question type",
            ));
        }
        unique("questions", q.iter().map(|q| q.name().to_string()))?;
    }
    if p.count == 0 {
        return Err(GenerateError::param("count", "must be at least 1"));
    }
    Ok(())
}

/// `25` for 25.0, `12.5` for 12.5: the form used in sample ids.
pub fn depth_label(depth: f64) -> String {
    if depth.fract() == 0.0 {
        format!("{}", depth as i64)
    } else {
        format!("{depth}")
    }
}
