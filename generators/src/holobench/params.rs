//! HoloBench parameters: what the CLI passes, what the manifest stores, and their checks.

use longforge_datasets::TokenLength;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{read_params, unique};
use crate::GenerateError;

/// Where the relevant rows' token mass sits in the context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// Relevant rows interleaved with the distractors at random.
    Uniform,
    /// All relevant rows first.
    Begin,
    /// All relevant rows last.
    End,
    /// One block of relevant rows whose token centre is at 50% of the context.
    Middle,
    /// Two blocks, each half the relevant tokens, centred on 25% and 75% of the context.
    Bimodal,
}

impl Placement {
    pub const ALL: [Placement; 5] = [
        Placement::Uniform,
        Placement::Begin,
        Placement::End,
        Placement::Middle,
        Placement::Bimodal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Placement::Uniform => "uniform",
            Placement::Begin => "begin",
            Placement::End => "end",
            Placement::Middle => "middle",
            Placement::Bimodal => "bimodal",
        }
    }
}

/// How much relevant information a context holds: a fixed number of tokens (the original's
/// 2K), or a share of the context (the original's 50% density), exact to the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Relevant {
    Tokens(u64),
    Density(f64),
}

impl Relevant {
    /// The relevant-token budget in a context of `length` tokens.
    pub fn budget(self, length: u64) -> u64 {
        match self {
            Relevant::Tokens(n) => n.min(length),
            Relevant::Density(d) => (d * length as f64).round() as u64,
        }
    }

    /// As sample ids and axes write it: `2k`, `d0.5`.
    pub fn label(self) -> String {
        match self {
            Relevant::Tokens(n) => TokenLength::Tokens(n).to_string(),
            Relevant::Density(d) => format!("d{d}"),
        }
    }
}

/// Resolved parameters. Field order is the order written to the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub task: String,
    pub lengths: Vec<TokenLength>,
    /// Embedded databases to query, by name.
    pub databases: Vec<String>,
    /// Relevant tokens per context, one grid value each (`--relevant-tokens 2k`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevant_tokens: Option<Vec<TokenLength>>,
    /// Relevant share of the context, one grid value each (`--density 0.5`); exclusive with
    /// `relevant_tokens`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub density: Option<Vec<f64>>,
    pub placement: Vec<Placement>,
    /// Share of the relevant rows drawn from rows that narrowly fail the query's condition.
    pub near_miss: f64,
    /// Repeat rows when a table cannot fill its budget (every repetition recorded and counted
    /// in the truth, as the original silently did); off by default: the generator refuses.
    pub allow_repeat: bool,
    /// Samples per (query, length, relevant, placement) cell.
    pub count: usize,
    pub seed: u64,
    pub tokenizer: String,
    /// A database of the user's: a folder of tables (see `user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db: Option<crate::InputRef>,
    /// The user's queries; they replace the default ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queries: Option<crate::InputRef>,
    /// Queries of the file that name another database, skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queries_skipped: Option<usize>,
    /// The user's sentence templates, a folder; they replace a table's embedded ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<crate::InputRef>,
}

impl Params {
    /// The relevant-information grid values, in the order given.
    pub fn relevant(&self) -> Vec<Relevant> {
        match (&self.relevant_tokens, &self.density) {
            (_, Some(d)) => d.iter().map(|&d| Relevant::Density(d)).collect(),
            (Some(t), None) => t
                .iter()
                .filter_map(|t| t.tokens())
                .map(Relevant::Tokens)
                .collect(),
            (None, None) => vec![Relevant::Tokens(2_000)],
        }
    }
}

pub const TASK: &str = "queries";

/// Fills defaults into `given` (an object of parameters) and checks the result. `names` are the
/// embedded databases' names.
pub fn with_defaults(given: Value, names: &[&str]) -> Result<Params, GenerateError> {
    let Value::Object(given) = given else {
        return Err(GenerateError::param(
            "(all)",
            "parameters must be a JSON object",
        ));
    };
    let mut full = Map::new();
    full.insert("task".into(), TASK.into());
    full.insert(
        "lengths".into(),
        serde_json::json!(["4k", "8k", "16k", "32k", "64k"]),
    );
    full.insert("databases".into(), serde_json::json!(names));
    full.insert("placement".into(), serde_json::json!(Placement::ALL));
    full.insert("near_miss".into(), serde_json::json!(0.3));
    full.insert("allow_repeat".into(), false.into());
    full.insert("count".into(), 1.into());
    full.insert("seed".into(), 42.into());
    full.insert("tokenizer".into(), "cl100k_base".into());
    let both = given.contains_key("relevant_tokens") && given.contains_key("density");
    if !given.contains_key("relevant_tokens") && !given.contains_key("density") {
        full.insert("relevant_tokens".into(), serde_json::json!(["2k"]));
    }
    for (k, v) in given {
        full.insert(k, v);
    }
    if both {
        return Err(GenerateError::param(
            "density",
            "give either --relevant-tokens or --density, not both",
        ));
    }
    let params: Params = read_params(full)?;
    check(&params, names)?;
    Ok(params)
}

fn check(p: &Params, names: &[&str]) -> Result<(), GenerateError> {
    if p.task != TASK {
        return Err(GenerateError::param(
            "task",
            format!(
                "unknown task `{}`; HoloBench has one task, `{TASK}`",
                p.task
            ),
        ));
    }
    if p.lengths.is_empty() || p.lengths.contains(&TokenLength::None) {
        return Err(GenerateError::param(
            "lengths",
            "give at least one context length in tokens, e.g. 4k,16k",
        ));
    }
    unique("lengths", p.lengths.iter().map(|l| l.to_string()))?;
    if p.databases.is_empty() {
        return Err(GenerateError::param(
            "databases",
            "give at least one database",
        ));
    }
    for db in &p.databases {
        if !names.contains(&db.as_str()) {
            return Err(GenerateError::param(
                "databases",
                format!(
                    "no embedded database `{db}`; there are {}",
                    names.join(", ")
                ),
            ));
        }
    }
    unique("databases", p.databases.iter().cloned())?;
    if p.placement.is_empty() {
        return Err(GenerateError::param(
            "placement",
            "give at least one placement",
        ));
    }
    unique(
        "placement",
        p.placement.iter().map(|p| p.name().to_string()),
    )?;
    if let Some(t) = &p.relevant_tokens {
        if t.is_empty() || t.contains(&TokenLength::None) {
            return Err(GenerateError::param(
                "relevant_tokens",
                "give at least one amount in tokens, e.g. 2k",
            ));
        }
        unique("relevant_tokens", t.iter().map(|t| t.to_string()))?;
        let shortest = p
            .lengths
            .iter()
            .filter_map(|l| l.tokens())
            .min()
            .unwrap_or(0);
        if let Some(big) = t.iter().filter_map(|t| t.tokens()).find(|&t| t > shortest) {
            return Err(GenerateError::param(
                "relevant_tokens",
                format!("{big} relevant tokens do not fit the shortest length, {shortest} (2k is the default; pass a smaller --relevant-tokens, or --density)"),
            ));
        }
    }
    if let Some(d) = &p.density {
        if d.is_empty() {
            return Err(GenerateError::param(
                "density",
                "give at least one share, e.g. 0.5",
            ));
        }
        if let Some(bad) = d.iter().find(|d| !(**d > 0.0 && **d <= 1.0)) {
            return Err(GenerateError::param(
                "density",
                format!("{bad} is not a share of the context in (0, 1]"),
            ));
        }
        unique("density", d.iter().map(|d| d.to_string()))?;
    }
    if !(0.0..=1.0).contains(&p.near_miss) {
        return Err(GenerateError::param(
            "near_miss",
            format!("{} is not a share in [0, 1]", p.near_miss),
        ));
    }
    if p.count == 0 {
        return Err(GenerateError::param("count", "must be at least 1"));
    }
    Ok(())
}
