//! LongProc (Princeton; Ye et al., 2025, "LongProc: Benchmarking Long-Context Language Models
//! on Long Procedural Generation"): tasks whose answer is a long, structured procedure that a
//! rule can check line by line.
//!
//! The original releases fixed data; longforge generates every task from a seed. A grid cell is
//! (level, difficulty); `--count` samples per cell. A level is the length of the REFERENCE
//! OUTPUT in tokens of the dataset's tokenizer (`0.5k`, `2k`, `8k`, as the paper's levels), and
//! every generated reference is within [`TOLERANCE`] of it: each task grows or shrinks its
//! problem (route steps, search nodes) until the measured reference fits, redrawing the
//! instance if need be.
//!
//! Tasks (each one file implementing [`Procedure`]):
//! - `path-traversal` (`path.rs`): a network of invented cities, each with exactly one onward
//!   connection, among distractor cities; the answer is the unique route from A to B, one step
//!   per line in a `<Route>` block. Dial: `--distractors`, distractor cities per route city.
//! - `countdown` (`countdown.rs`): numbers and a target; the answer is the depth-first search
//!   trace of the procedure the prompt states, then a `<Solution>`. Dial: `--numbers`.
//! - `html-to-tsv` (`html.rs`, its page's markup in `html/page.rs`): a web page's HTML listing
//!   invented entities in varied markup, among ads and page chrome; the answer is a TSV table of
//!   the requested fields, filtered by a stated condition. Dial: `--noise`, the share of listed
//!   entities failing the condition.
//! - `tom-tracking` (`tom.rs`): agents walk between rooms, move objects between containers and
//!   tell each other where things are, over numbered steps; the answer is one agent's belief
//!   about one object after every step, then a final answer. Dial: `--agents`.
//! - `travel-planning` (`travel.rs`): cities with stay lengths, fixed-date events and direct
//!   flights; the answer is the stated depth-first search in a `<Solving Procedure>` block, then
//!   the only valid trip in a `<Plan>` block. Dial: `--fixed`, the share of fixed-date cities.
//! - `pseudo-to-code` (`pseudo.rs`, programs in `program.rs`, run by `interpret.rs`): SPoC-style
//!   pseudocode of a generated program; the answer is a C++ program passing its test cases, whose expected
//!   outputs come from interpreting the program. Dial: `--tests`, test cases per program.
//!
//! `import.rs` reads the original's published data (`longforge import longproc`) into samples
//! scored by the same checkers.
//!
//! Every sample's `meta` holds `axes` (`level`, `difficulty`), `difficulty` (the dial's name and
//! value), `baseline`, `target_tokens` (the level), `output_tokens` (the reference's measured
//! length), `context_tokens` (0 without a context), `attempts` (instances drawn before one
//! fitted), and the facts its checker needs (the route; the numbers and target; the cities,
//! flights and plan).

mod countdown;
mod html;
mod import;
mod interpret;
mod params;
mod path;
mod places;
mod program;
mod pseudo;
mod tom;
mod travel;

pub use params::{dial_label, Level, Params, Task};

use longforge_datasets::{derive_seed, Evidence, Reference, Sample, SeededRng, TokenCounter};
use serde_json::{json, Map, Value};

use crate::{
    Family, GenerateError, Importer, Inputs, ParamInfo, ParamKind, SampleSource, TaskInfo,
};

/// The LongProc family (`longforge generate longproc --task ...`).
pub struct LongProc;

const FAMILY: &str = "longproc";

/// A generated reference output is within this share of its level.
pub const TOLERANCE: f64 = 0.25;
/// The share aimed at first; wider only after [`TIGHT_ATTEMPTS`] instances missed it.
const TIGHT: f64 = 0.10;
const TIGHT_ATTEMPTS: usize = 4;
/// Instances drawn per sample before giving up (each re-aimed by what the last one measured).
const ATTEMPTS: usize = 16;

const TASKS: &[TaskInfo] = &[
    TaskInfo {
        name: "path-traversal",
        summary: "follow one-way connections between invented cities from A to B; the route, one step a line",
        grid: "level x distractors",
        scorer: "route",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "countdown",
        summary: "combine numbers to reach a target; the depth-first search trace, then a solution",
        grid: "level x numbers",
        scorer: "countdown",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "html-to-tsv",
        summary: "extract the listed entities of a web page's HTML as a TSV table, optionally filtered",
        grid: "level x noise",
        scorer: "tsv",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "tom-tracking",
        summary: "track where one agent believes an object is, step by step, as agents move things unseen",
        grid: "level x agents",
        scorer: "tom",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "travel-planning",
        summary: "plan a trip through invented cities with stays, fixed-date events and direct flights; the search trace, then the plan",
        grid: "level x fixed",
        scorer: "travel_plan",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "pseudo-to-code",
        summary: "translate SPoC-style pseudocode into a C++ program that passes its test cases",
        grid: "level x tests",
        scorer: "cpp",
        metrics: &["mean"],
    },
];

const PARAMS: &[ParamInfo] = &[
    ParamInfo {
        name: "levels",
        kind: ParamKind::Texts,
        default: "0.5k,2k,8k",
        help: "reference OUTPUT lengths in tokens (each reference within 25%): 0.5k, 2k, 8k, 1500",
    },
    ParamInfo {
        name: "distractors",
        kind: ParamKind::Floats,
        default: "1",
        help: "path-traversal: distractor cities per city of the route, a list (0-8)",
    },
    ParamInfo {
        name: "numbers",
        kind: ParamKind::Ints,
        default: "4",
        help:
            "countdown: how many numbers to combine, a list (3-6; 3 numbers reach about 0.5k only)",
    },
    ParamInfo {
        name: "noise",
        kind: ParamKind::Floats,
        default: "0.3",
        help: "html-to-tsv: share of the listed entities failing the stated condition, a list (0-0.6; 0 states none)",
    },
    ParamInfo {
        name: "agents",
        kind: ParamKind::Ints,
        default: "3",
        help: "tom-tracking: agents walking, moving objects and talking in the story, a list (2-6)",
    },
    ParamInfo {
        name: "fixed",
        kind: ParamKind::Floats,
        default: "0.3",
        help: "travel-planning: share of the cities with a fixed-date event, a list (0.1-0.6; at least one city)",
    },
    ParamInfo {
        name: "tests",
        kind: ParamKind::Ints,
        default: "10",
        help: "pseudo-to-code: test cases per program, a list (1-100)",
    },
];

/// One LongProc task: how to make an instance of one difficulty with a reference output of
/// about `aim` tokens.
pub(crate) trait Procedure: Sync {
    /// Makes an instance whose reference output the task estimates at about `aim` tokens. The
    /// caller measures the reference with the real tokenizer and asks again with a corrected
    /// `aim`, so the estimate need only be proportional. `dial` is the task's difficulty value,
    /// already checked against its [`params::Dial`] bounds. Errors name the parameter that
    /// cannot be met (a level the dial cannot reach).
    fn instance(
        &self,
        dial: f64,
        aim: f64,
        level: Level,
        rng: &mut SeededRng,
    ) -> Result<Instance, GenerateError>;
}

/// What a task makes; the family adds the common keys.
pub(crate) struct Instance {
    /// The long input, when there is one (the network of cities); `None` for Countdown.
    pub context: Option<String>,
    pub question: String,
    pub prompt: String,
    /// The reference output: exactly what a perfect model writes, and what the level measures.
    pub output: String,
    /// The reference kind its scorer reads; the value is `output`.
    pub kind: &'static str,
    /// Task facts for the checker and for re-deriving the reference.
    pub meta: Map<String, Value>,
    pub evidence: Vec<Evidence>,
    /// `meta.baseline`: candidates, picks, shortcut.
    pub baseline: Value,
}

fn procedure(task: Task) -> &'static dyn Procedure {
    match task {
        Task::PathTraversal => &path::PathTraversal,
        Task::Countdown => &countdown::Countdown,
        Task::HtmlToTsv => &html::HtmlToTsv,
        Task::TomTracking => &tom::TomTracking,
        Task::TravelPlanning => &travel::TravelPlanning,
        Task::PseudoToCode => &pseudo::PseudoToCode,
    }
}

impl Family for LongProc {
    fn name(&self) -> &'static str {
        FAMILY
    }

    fn version(&self) -> &'static str {
        "0.1.0"
    }

    fn tasks(&self) -> &'static [TaskInfo] {
        TASKS
    }

    /// Every task asks for a long structured output (a route, a search trace, a table, a
    /// program), not a short answer.
    fn task_categories(&self, _task: &str) -> &'static [&'static str] {
        &["text-generation"]
    }

    fn params(&self) -> &'static [ParamInfo] {
        PARAMS
    }

    fn importer(&self) -> Option<&dyn Importer> {
        Some(&import::LongProcImporter)
    }

    fn example(&self, task: &str) -> Value {
        match task {
            "countdown" => json!({"task": task, "levels": ["0.5k", "1k"], "count": 2}),
            "html-to-tsv" => json!({"task": task, "levels": ["0.5k", "1k"], "noise": [0, 0.5]}),
            "tom-tracking" => json!({"task": task, "levels": ["0.5k", "1k"], "agents": [2, 4]}),
            "travel-planning" => {
                json!({"task": task, "levels": ["0.5k", "1k"], "fixed": [0.2, 0.5]})
            }
            // One sample: checking it compiles C++ (about a second).
            "pseudo-to-code" => json!({"task": task, "levels": ["0.5k"], "tests": [5]}),
            _ => {
                json!({"task": task, "levels": ["0.5k", "1k"], "distractors": [0.5, 2], "count": 1})
            }
        }
    }

    fn resolve(&self, params: Value, inputs: &Inputs) -> Result<Value, GenerateError> {
        let named = params.get("tokenizer").is_some();
        let mut p = params::with_defaults(params)?;
        let counter = inputs.settle_tokenizer(named, &mut p.tokenizer)?;
        // A level the dial cannot reach fails now, before anything is written: the first
        // sample of each cell is made (and thrown away).
        let samples = Samples::new(p.clone(), counter);
        for (i, cell) in samples.cells.iter().enumerate() {
            if cell.index == 0 {
                SampleSource::sample(&samples, i)?;
            }
        }
        Ok(serde_json::to_value(&p).expect("params serialise"))
    }

    fn prepare<'a>(
        &'a self,
        params: &Value,
        inputs: &Inputs,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError> {
        let p: Params = serde_json::from_value(params.clone()).map_err(|e| {
            GenerateError::param("(all)", format!("not resolved LongProc parameters: {e}"))
        })?;
        let counter = inputs.counter(&p.tokenizer)?;
        Ok(Box::new(Samples::new(p, counter)))
    }
}

/// A grid cell and the sample's index within it.
struct Cell {
    level: Level,
    dial: f64,
    index: usize,
}

struct Samples {
    p: Params,
    counter: TokenCounter,
    cells: Vec<Cell>,
}

impl Samples {
    fn new(p: Params, counter: TokenCounter) -> Self {
        let mut cells = Vec::new();
        for &level in &p.levels {
            for dial in p.dials() {
                for index in 0..p.count {
                    cells.push(Cell { level, dial, index });
                }
            }
        }
        Samples { p, counter, cells }
    }

    fn make(&self, cell: &Cell) -> Result<Sample, GenerateError> {
        let task = self.p.task;
        let id = format!(
            "{FAMILY}/{}/{}/{}{}/{}",
            task.name(),
            cell.level,
            task.dial().id_prefix,
            dial_label(cell.dial),
            cell.index
        );
        let seed = derive_seed(self.p.seed, &id);
        let want = cell.level.0 as f64;
        let mut aim = want;
        let mut last = 0;
        for attempt in 0..ATTEMPTS {
            let mut rng = SeededRng::new(match attempt {
                0 => seed,
                n => derive_seed(seed, &format!("attempt/{n}")),
            });
            let instance = procedure(task).instance(cell.dial, aim, cell.level, &mut rng)?;
            let tokens = self.counter.count(&instance.output)?;
            let off = (tokens as f64 - want).abs() / want;
            let allowed = if attempt < TIGHT_ATTEMPTS {
                TIGHT
            } else {
                TOLERANCE
            };
            if off <= allowed {
                return self.assemble(id, seed, cell, instance, tokens, attempt + 1);
            }
            last = tokens;
            // Re-aim by what the estimate got wrong, damped so one odd draw does not swing it.
            aim *= (want / tokens.max(1) as f64).clamp(0.5, 2.0);
        }
        Err(GenerateError::NoConvergence {
            target: cell.level.0 as usize,
            got: last,
        })
    }

    fn assemble(
        &self,
        id: String,
        seed: u64,
        cell: &Cell,
        instance: Instance,
        tokens: usize,
        attempts: usize,
    ) -> Result<Sample, GenerateError> {
        let task = self.p.task;
        let dial = task.dial();
        let context_tokens = match &instance.context {
            Some(c) => self.counter.count(c)?,
            None => 0,
        };
        let mut axes = Map::new();
        axes.insert("level".into(), json!(cell.level.to_string()));
        axes.insert(
            "difficulty".into(),
            json!(format!("{}={}", dial.name, dial_label(cell.dial))),
        );
        let mut meta = Map::new();
        meta.insert("target_tokens".into(), json!(cell.level.0));
        meta.insert("output_tokens".into(), json!(tokens));
        meta.insert("context_tokens".into(), json!(context_tokens));
        meta.insert("tokenizer".into(), json!(self.counter.name()));
        meta.insert("seed".into(), json!(seed));
        meta.insert("attempts".into(), json!(attempts));
        let mut difficulty = Map::new();
        difficulty.insert(dial.name.into(), json!(cell.dial));
        meta.insert("difficulty".into(), Value::Object(difficulty));
        meta.insert("evidence".into(), json!(instance.evidence));
        meta.extend(instance.meta);
        meta.insert("axes".into(), Value::Object(axes));
        meta.insert("baseline".into(), instance.baseline);
        Ok(Sample {
            id,
            family: FAMILY.into(),
            task: task.name().into(),
            lang: "en".into(),
            context: instance.context,
            context_id: None,
            question: instance.question,
            prompt: instance.prompt,
            reference: Reference {
                kind: instance.kind.into(),
                value: Value::String(instance.output),
            },
            meta,
        })
    }
}

impl SampleSource for Samples {
    fn len(&self) -> usize {
        self.cells.len()
    }

    fn sample(&self, index: usize) -> Result<Sample, GenerateError> {
        let cell = self
            .cells
            .get(index)
            .ok_or_else(|| GenerateError::param("(all)", format!("no sample {index}")))?;
        self.make(cell)
    }

    fn seed(&self) -> u64 {
        self.p.seed
    }

    fn tokenizer(&self) -> String {
        self.counter.name().to_string()
    }
}

/// Renders one of the family's minijinja templates (fixed text of the module, so a failure is a
/// bug, reported as such rather than a panic).
pub(crate) fn render(template: &str, ctx: Value) -> Result<String, GenerateError> {
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    env.render_str(template, ctx).map_err(|e| {
        GenerateError::param("(all)", format!("a LongProc prompt template failed: {e}"))
    })
}

/// [`render`] with `text` in place of the template's one `{{ slot }}`, for a long text (a page
/// of HTML): the text is copied once into the prompt rather than through JSON and minijinja's
/// values and output, which was a tenth of html-to-tsv's time. The same prompt: a template's
/// output is its text between tags as written and each value as it is, so the parts around the
/// slot render as they would in the whole.
pub(crate) fn render_around(
    template: &str,
    slot: &str,
    text: &str,
    ctx: Value,
) -> Result<String, GenerateError> {
    let tag = format!("{{{{ {slot} }}}}");
    let Some((before, after)) = template.split_once(&tag) else {
        return Err(GenerateError::param(
            "(all)",
            format!("a LongProc prompt template has no {tag}; this is a bug"),
        ));
    };
    let (before, after) = (render(before, ctx.clone())?, render(after, ctx)?);
    let mut prompt = String::with_capacity(before.len() + text.len() + after.len());
    prompt.push_str(&before);
    prompt.push_str(text);
    prompt.push_str(&after);
    Ok(prompt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(params: Value) -> Vec<Sample> {
        let family = LongProc;
        let resolved = family.resolve(params, &Inputs::default()).unwrap();
        family
            .generate(&resolved, &Inputs::default(), &mut |_, _| {})
            .unwrap()
            .samples
    }

    #[test]
    fn samples_carry_axes_levels_and_fit_their_level() {
        for task in [
            "path-traversal",
            "countdown",
            "html-to-tsv",
            "tom-tracking",
            "travel-planning",
            "pseudo-to-code",
        ] {
            let samples = generate(json!({"task": task, "levels": ["0.5k", "2k"], "count": 2}));
            assert_eq!(samples.len(), 4);
            for s in &samples {
                let level = s.meta["target_tokens"].as_f64().unwrap();
                let got = s.meta["output_tokens"].as_f64().unwrap();
                assert!((got - level).abs() <= TOLERANCE * level, "{}: {got}", s.id);
                let axes = s.axes();
                assert!(axes.contains_key("level") && axes.contains_key("difficulty"));
                assert_eq!(s.reference.value.as_str().map(str::is_empty), Some(false));
            }
            assert_eq!(samples[0].meta["axes"]["level"], "0.5k");
            assert_eq!(samples[3].meta["axes"]["level"], "2k");
            assert_ne!(samples[0].prompt, samples[1].prompt);
        }
    }

    #[test]
    fn tasks_and_flags_match_the_task_enum() {
        let names: Vec<&str> = TASKS.iter().map(|t| t.name).collect();
        assert_eq!(names, Task::ALL.map(Task::name));
        for task in Task::ALL {
            assert!(PARAMS.iter().any(|p| p.name == task.dial().name));
            let example = LongProc.example(task.name());
            assert!(params::with_defaults(example).is_ok());
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_samples() {
        for task in ["countdown", "travel-planning"] {
            let p = json!({"task": task, "levels": ["0.5k"], "count": 2, "seed": 9});
            assert_eq!(generate(p.clone()), generate(p));
        }
    }

    #[test]
    fn a_level_the_dial_cannot_reach_is_refused_naming_the_dial() {
        let err = LongProc
            .resolve(
                json!({"task": "countdown", "levels": ["8k"], "numbers": [3]}),
                &Inputs::default(),
            )
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("--numbers"), "{err}");
    }
}
