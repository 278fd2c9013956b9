use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Result};
use longforge_baselines::{answer_all, Baseline};
use longforge_datasets::{
    jsonl, Dataset, Manifest, Prediction, Status, TokenCounter, TokenizerSpec,
};
use longforge_llm::runner::{self, ModelRun, Plan, Planned};
use longforge_llm::{ChatRequest, Client, Sampling, ServerKind};
use longforge_retrieval::{Planner, System};

use crate::serving::{group_endpoints, until_interrupted, ServerArgs};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset folder.
    #[arg(long)]
    dataset: PathBuf,
    /// A built-in responder instead of a model: oracle, random, shortcut or noisy-oracle.
    #[arg(long, conflicts_with = "models")]
    baseline: Option<String>,
    /// For noisy-oracle: the probability of a random answer (default 0.3).
    #[arg(long)]
    error_rate: Option<f64>,
    /// NAME=BASE_URL[,model=SERVED_NAME][,key_env=VAR][,max_context=TOKENS][,tokenizer=NAME_OR_PATH][,revision=TEXT];
    /// repeat it; one name with several URLs spreads its requests over them.
    #[arg(long = "model", id = "models")]
    models: Vec<String>,
    /// Predictions, one JSON object per line, sorted by model then sample id.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    server: ServerArgs,
    #[arg(long, default_value_t = 0.0)]
    temperature: f64,
    #[arg(long, default_value_t = 1.0)]
    top_p: f64,
    #[arg(long, default_value_t = 512)]
    max_tokens: u32,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Only the first N samples (by id).
    #[arg(long)]
    limit: Option<usize>,
    /// Answer through an answering system, for datasets whose samples share a book
    /// (longspan, nocha): no-context, retrieval, full or map-reduce; repeat it to run each
    /// model with several. Each prediction's model is MODEL@SYSTEM (retrieval-k5-c512, ...).
    #[arg(long = "system", id = "systems", conflicts_with = "baseline")]
    systems: Vec<String>,
    /// Retrieval: passages put in the prompt (default 5).
    #[arg(long)]
    top_k: Option<usize>,
    /// Retrieval and map-reduce: chunk size in the dataset's tokens (default 512 for retrieval,
    /// 4096 for map-reduce).
    #[arg(long)]
    chunk_tokens: Option<usize>,
    /// Print the first request that would be sent, and exit.
    #[arg(long)]
    dry_run: bool,
}

/// Exit status: 0 when every sample was answered, 3 when the run finished with recorded failures
/// or skips, 1 on a usage or input error, 130 when interrupted.
pub fn run(registry: &crate::Registry, args: Args) -> Result<ExitCode> {
    let (outputs, inputs) = ([("--out", args.out.as_path())], [args.dataset.as_path()]);
    crate::paths::refuse_clobbering(&outputs, &inputs)?;
    crate::paths::refuse_store_clashes(&args.server.store_dir(), &outputs, &inputs)?;
    let (mut dataset, scoring) = crate::scoring::open(registry, &args.dataset)?;
    dataset.samples.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(n) = args.limit {
        dataset.samples.truncate(n);
    }
    if let Some(name) = &args.baseline {
        // Baselines answer from each sample's meta; the prompt they record has its book in place.
        for i in 0..dataset.samples.len() {
            if dataset.samples[i].context_id.is_some() {
                let prompt = dataset.prompt(&dataset.samples[i])?.into_owned();
                dataset.samples[i].prompt = prompt;
            }
        }
        let samples = dataset.samples;
        let baseline = Baseline::parse(name, args.error_rate)?;
        let mut predictions = answer_all(baseline, &samples, &scoring)?;
        stamp(&mut predictions, &dataset.manifest);
        jsonl::write(&args.out, &predictions)?;
        eprintln!(
            "{}: answered {} samples -> {}",
            baseline.model_name(),
            predictions.len(),
            args.out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let systems = args
        .systems
        .iter()
        .map(|name| System::parse(name, args.top_k, args.chunk_tokens))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(twice) = systems
        .iter()
        .enumerate()
        .find_map(|(i, s)| systems[..i].contains(s).then_some(s))
    {
        bail!(
            "--system {} is given twice; give each system once",
            twice.label()
        );
    }
    if systems.is_empty() && (args.top_k.is_some() || args.chunk_tokens.is_some()) {
        bail!("--top-k and --chunk-tokens set an answering system; give --system retrieval or map-reduce");
    }
    // What each (system, sample) asks, planned before any request so a bad sample stops the
    // run before it starts.
    let plans: Vec<(Option<System>, Arc<Vec<Planned>>)> = if systems.is_empty() {
        vec![(None, Arc::new(plain_plans(&dataset)?))]
    } else {
        let counter = chunk_counter(&dataset.manifest.tokenizer)?;
        let mut planner = Planner::new(&counter, &dataset.contexts);
        let mut out = Vec::new();
        for &system in &systems {
            let planned = dataset
                .samples
                .iter()
                .map(|s| planner.plan(system, s))
                .collect::<Result<Vec<_>, _>>()?;
            out.push((Some(system), Arc::new(planned)));
        }
        out
    };
    if args.models.is_empty() {
        bail!("give --model NAME=BASE_URL (repeatable) or --baseline NAME");
    }
    let groups = group_endpoints(&args.models)?;
    let sampling = Sampling {
        temperature: args.temperature,
        top_p: args.top_p,
        max_tokens: args.max_tokens,
        seed: args.seed,
    };
    crate::serving::check_sampling(&sampling)?;
    let server_kind = args.server.server_kind();
    if args.dry_run {
        let (name, endpoints) = groups.iter().next().expect("at least one model");
        let (system, planned) = &plans[0];
        let Some(first) = planned.first() else {
            bail!("the dataset has no samples")
        };
        let prompt = match &first.plan {
            Plan::Ask(prompt) => prompt.as_str(),
            Plan::MapReduce { maps, .. } => maps.first().map_or("", String::as_str),
        };
        let e = &endpoints[0];
        let body = ChatRequest::user(prompt, sampling)
            .body(&e.served_model, server_kind.unwrap_or(ServerKind::OpenAi));
        println!(
            "POST {}/chat/completions  (model {}, sample {})",
            e.base_url,
            model_name(name, *system),
            first.sample_id
        );
        println!("{}", serde_json::to_string_pretty(&body)?);
        return Ok(ExitCode::SUCCESS);
    }
    let options = args.server.client_options();
    let store = args.server.open_store()?;
    let store = Arc::new(store);
    let runtime = tokio::runtime::Runtime::new()?;
    let mut predictions: Vec<Prediction> = Vec::new();
    for (name, endpoints) in groups {
        for (system, planned) in &plans {
            let client = Client::new(endpoints.clone(), options.clone())?;
            let name = model_name(&name, *system);
            let model = Arc::new(ModelRun::new(name.clone(), client)?);
            let done = until_interrupted(
                &runtime,
                &name,
                planned.len(),
                &store,
                "answer",
                |on_done| {
                    runner::answer_planned(planned.clone(), model, store.clone(), sampling, on_done)
                },
            );
            let Some(done) = done else {
                return Ok(ExitCode::from(130));
            };
            report(&name, &done);
            predictions.extend(done);
        }
    }
    predictions.sort_by(|a, b| (&a.model, &a.sample_id).cmp(&(&b.model, &b.sample_id)));
    stamp(&mut predictions, &dataset.manifest);
    jsonl::write(&args.out, &predictions)?;
    let failed = predictions
        .iter()
        .filter(|p| p.status != Status::Answered)
        .count();
    eprintln!(
        "{} predictions -> {}",
        predictions.len(),
        args.out.display()
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

/// Names the dataset each prediction answers (its samples' SHA-256), so `score`, `judge` and
/// `grade` refuse it against another dataset whose sample ids happen to match.
fn stamp(predictions: &mut [Prediction], manifest: &Manifest) {
    let digest = manifest.samples_sha256().map(str::to_string);
    for p in predictions {
        p.dataset.clone_from(&digest);
    }
}

/// Each sample's own prompt, with its shared book in place.
fn plain_plans(dataset: &Dataset) -> Result<Vec<Planned>> {
    dataset
        .samples
        .iter()
        .map(|s| {
            Ok(Planned {
                sample_id: s.id.clone(),
                plan: Plan::Ask(dataset.prompt(s)?.into_owned()),
            })
        })
        .collect()
}

/// The model's name in predictions: `MODEL@SYSTEM` when it answers through a system.
fn model_name(model: &str, system: Option<System>) -> String {
    match system {
        Some(s) => format!("{model}@{}", s.label()),
        None => model.to_string(),
    }
}

/// The counter chunks are measured with: the dataset's own tokenizer where it is built in; for
/// a dataset counted with a tokenizer file, cl100k_base (a chunk's size only needs to be about
/// right), said on stderr.
fn chunk_counter(recorded: &str) -> Result<TokenCounter> {
    let spec = match recorded {
        "cl100k_base" | "o200k_base" => TokenizerSpec::parse(recorded),
        other => {
            eprintln!("chunks are measured with cl100k_base (the dataset was counted with {other}, a tokenizer file)");
            TokenizerSpec::Cl100kBase
        }
    };
    Ok(TokenCounter::load(&spec)?)
}

fn report(model: &str, predictions: &[Prediction]) {
    let count = |status: Status| predictions.iter().filter(|p| p.status == status).count();
    let truncated = predictions.iter().filter(|p| p.truncated()).count();
    eprintln!(
        "{model}: {} answered ({truncated} cut off by --max-tokens), {} failed, {} skipped for context",
        count(Status::Answered),
        count(Status::Failed),
        count(Status::Skipped)
    );
    if let Some(first) = predictions
        .iter()
        .filter(|p| p.status == Status::Failed)
        .find_map(|p| p.error.as_deref())
    {
        eprintln!("{model}: first failure: {first}");
    }
}
