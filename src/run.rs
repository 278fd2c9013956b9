use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Result};
use longforge_baselines::{answer_all, Baseline};
use longforge_datasets::{jsonl, Prediction, Status};
use longforge_llm::runner::{self, request_for, ModelRun};
use longforge_llm::{Client, Sampling, ServerKind};

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
    /// Print the first request that would be sent, and exit.
    #[arg(long)]
    dry_run: bool,
}

/// Exit status: 0 when every sample was answered, 3 when the run finished with recorded failures
/// or skips, 1 on a usage or input error, 130 when interrupted.
pub fn run(registry: &crate::Registry, args: Args) -> Result<ExitCode> {
    crate::check_output(&args.out)?;
    let (mut dataset, scoring) = crate::scoring::open(registry, &args.dataset)?;
    // A sample that reads a shared context is asked with the context in its prompt.
    for i in 0..dataset.samples.len() {
        if dataset.samples[i].context_id.is_some() {
            let prompt = dataset.prompt(&dataset.samples[i])?.into_owned();
            dataset.samples[i].prompt = prompt;
        }
    }
    let mut samples = dataset.samples;
    samples.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(n) = args.limit {
        samples.truncate(n);
    }
    if let Some(name) = &args.baseline {
        let baseline = Baseline::parse(name, args.error_rate)?;
        let predictions = answer_all(baseline, &samples, &scoring)?;
        jsonl::write(&args.out, &predictions)?;
        eprintln!(
            "{}: answered {} samples -> {}",
            baseline.model_name(),
            predictions.len(),
            args.out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
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
    let server_kind = args.server.server_kind();
    if args.dry_run {
        let (name, endpoints) = groups.iter().next().expect("at least one model");
        let Some(sample) = samples.first() else {
            bail!("the dataset has no samples")
        };
        let e = &endpoints[0];
        let body = request_for(sample, sampling)
            .body(&e.served_model, server_kind.unwrap_or(ServerKind::OpenAi));
        println!(
            "POST {}/chat/completions  (model {name}, sample {})",
            e.base_url, sample.id
        );
        println!("{}", serde_json::to_string_pretty(&body)?);
        return Ok(ExitCode::SUCCESS);
    }
    let options = args.server.client_options();
    let store = args.server.open_store()?;
    let store = Arc::new(store);
    let samples = Arc::new(samples);
    let runtime = tokio::runtime::Runtime::new()?;
    let mut predictions: Vec<Prediction> = Vec::new();
    for (name, endpoints) in groups {
        let client = Client::new(endpoints, options.clone())?;
        let model = Arc::new(ModelRun::new(name.clone(), client)?);
        let done = until_interrupted(
            &runtime,
            &name,
            samples.len(),
            &store,
            "answer",
            |on_done| runner::answer_all(samples.clone(), model, store.clone(), sampling, on_done),
        );
        let Some(done) = done else {
            return Ok(ExitCode::from(130));
        };
        report(&name, &done);
        predictions.extend(done);
    }
    predictions.sort_by(|a, b| (&a.model, &a.sample_id).cmp(&(&b.model, &b.sample_id)));
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
