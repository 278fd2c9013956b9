use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use longforge_datasets::{atomic::StagedDir, render, GeneratorInfo, Provenance, TokenizerSpec};
use longforge_generators::{families, family, scoring_of, Family, Inputs};
use serde_json::{Map, Value};

use crate::progress::Progress;

#[derive(clap::Args)]
pub struct Args {
    /// Benchmark family (see --list).
    family: Option<String>,
    /// List every family, task and parameter, and exit.
    #[arg(long)]
    list: bool,
    #[arg(long)]
    task: Option<String>,
    /// Context lengths in tokens: 512, 4k, 128k, 1m, or `none` (atc without filler).
    #[arg(long, value_delimiter = ',')]
    lengths: Option<Vec<String>>,
    /// Needle depths, percent of the haystack from its start.
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
    depths: Option<Vec<f64>>,
    /// Kinship links per puzzle (atc, multi-reasoning).
    #[arg(long, value_delimiter = ',')]
    needles: Option<Vec<usize>>,
    /// Near-miss needles per retrieval sample (0 = the original).
    #[arg(long)]
    distractors: Option<usize>,
    /// The original's single chain, without distractor families or branches.
    #[arg(long)]
    plain_chain: bool,
    /// Question types for kinship tasks, in rotation.
    #[arg(long, value_delimiter = ',')]
    questions: Option<Vec<String>>,
    /// Samples per grid cell.
    #[arg(long)]
    count: Option<usize>,
    #[arg(long)]
    seed: Option<u64>,
    #[arg(long)]
    lang: Option<String>,
    /// cl100k_base, o200k_base, or a path to a Hugging Face tokenizer.json.
    #[arg(long)]
    tokenizer: Option<String>,
    /// Your own filler: plain text or JSON Lines with a `text` field.
    #[arg(long)]
    haystack: Option<PathBuf>,
    /// Output folder; must not exist or be empty, unless --force.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace a non-empty output folder.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<()> {
    if args.list {
        print!("{}", listing());
        return Ok(());
    }
    let name = args.family.as_deref().context("name a family (e.g. `longforge generate needlebench --task single --out DIR`), or pass --list")?;
    let family = family(name)?;
    let out = args
        .out
        .clone()
        .context("pass --out DIR, the folder to write the dataset to")?;
    let (params, inputs) = params_from(&args);
    let mut progress = Progress::new(&format!("generating {name}"));
    let written = generate_into(family, params, &inputs, &out, args.force, &mut |d, t| {
        progress.update(d, t)
    })?;
    eprintln!("wrote {written} samples to {}", out.display());
    Ok(())
}

/// Parameters as JSON, only those given: the family fills the defaults and checks them.
fn params_from(args: &Args) -> (Value, Inputs) {
    let mut p = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            p.insert(k.to_string(), v);
        }
    };
    put("task", args.task.clone().map(Value::from));
    put("lang", args.lang.clone().map(Value::from));
    put("lengths", args.lengths.clone().map(Value::from));
    put("depths", args.depths.clone().map(Value::from));
    put("needles", args.needles.clone().map(Value::from));
    put("distractors", args.distractors.map(Value::from));
    put("plain_chain", args.plain_chain.then_some(Value::Bool(true)));
    put("questions", args.questions.clone().map(Value::from));
    put("count", args.count.map(Value::from));
    put("seed", args.seed.map(Value::from));
    let mut inputs = Inputs {
        haystack: args.haystack.clone(),
        tokenizer: None,
    };
    match args.tokenizer.as_deref() {
        Some(t @ ("cl100k_base" | "o200k_base")) => put("tokenizer", Some(t.into())),
        Some(path) => inputs.tokenizer = Some(TokenizerSpec::parse(path)),
        None => {}
    }
    (Value::Object(p), inputs)
}

/// Generates into a staging folder and renames it to `out` only when complete: a failure
/// leaves nothing behind. Returns the number of samples.
pub fn generate_into(
    family: &dyn Family,
    params: Value,
    inputs: &Inputs,
    out: &Path,
    force: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize> {
    let resolved = family.resolve(params, inputs)?;
    let stage = StagedDir::new(out, force)?;
    let generated = family.generate(&resolved, inputs, progress)?;
    let scoring = scoring_of(family, &generated.samples)?;
    let rendered = render(
        &generated.samples,
        Provenance {
            generator: GeneratorInfo {
                name: family.name().into(),
                version: family.version().into(),
            },
            params: resolved,
            scoring,
            seed: generated.seed,
            tokenizer: generated.tokenizer,
        },
    )?;
    rendered.write(stage.path())?;
    stage.commit()?;
    Ok(generated.samples.len())
}

fn listing() -> String {
    let mut out = String::new();
    for f in families() {
        out.push_str(&format!(
            "{} (generator {})\n  tasks:\n",
            f.name(),
            f.version()
        ));
        for t in f.tasks() {
            out.push_str(&format!(
                "    {:<16} {} [grid: {}; scored by {}, {}]\n",
                t.name,
                t.summary,
                t.grid,
                t.scorer,
                t.metrics.join(", ")
            ));
        }
        out.push_str("  parameters:\n");
        for p in f.params() {
            out.push_str(&format!(
                "    {:<15} {:<26} {}\n",
                p.flag,
                format!("(default {})", p.default),
                p.help
            ));
        }
    }
    out
}
