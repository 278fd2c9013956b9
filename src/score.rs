use std::path::PathBuf;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Result};
use longforge_datasets::{atomic, jsonl};
use longforge_llm::{ask, for_each_concurrently, ChatRequest, Client};

use crate::serving::{group_endpoints, until_interrupted, EvaluatorSampling, ServerArgs};
use longforge_judges::{summarise, AnswerSheet};
use longforge_reports::{markdown, score_table, DatasetLine};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset folder.
    #[arg(long)]
    dataset: PathBuf,
    /// Prediction files (JSON Lines), one or more; each model may answer a sample once.
    #[arg(long, num_args = 1.., required = true)]
    predictions: Vec<PathBuf>,
    /// Scores, one JSON object per line and per value of the task's scorer (headline first),
    /// sorted by model then sample id.
    #[arg(long)]
    out: PathBuf,
    /// Also write every figure here, one JSON object per line: model, family, task, metric,
    /// value, n, ci_low, ci_high, level, axes ({} for the whole task), missing.
    #[arg(long)]
    summary: Option<PathBuf>,
    /// Also write a Markdown report here.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Confidence level of the intervals, between 0 and 1.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// Score every task with this registered scorer instead of its own: a second opinion, such
    /// as `row_judge` (which asks the --judge model) beside HoloBench's rule-based `rows`.
    #[arg(long)]
    scorer: Option<String>,
    /// Compile and run no model-written code: tasks scored by `cpp` (LongProc pseudo-to-code)
    /// are scored by `cpp_no_exec` instead, line credit on the code only, and every row says so.
    #[arg(long, conflicts_with = "scorer")]
    no_exec: bool,
    /// The evaluator for tasks whose scorer asks a model (`llm_rubric`, `row_judge`):
    /// NAME=BASE_URL[,model=...][,key_env=...]; repeat with one NAME to spread requests.
    #[arg(long = "judge")]
    judges: Vec<String>,
    #[command(flatten)]
    server: ServerArgs,
    #[command(flatten)]
    sampling: EvaluatorSampling,
}

/// Exit status: 0, or 3 when some answers could not be scored because the evaluator failed
/// (they are left out, counted as missing, and asked again on the next run).
pub fn run(registry: &crate::Registry, args: Args) -> Result<ExitCode> {
    crate::serving::check_sampling(&args.sampling.sampling())?;
    if !(args.level > 0.0 && args.level < 1.0) {
        bail!("--level {} must lie strictly between 0 and 1", args.level);
    }
    let mut outputs = vec![("--out", args.out.as_path())];
    outputs.extend(args.summary.as_deref().map(|p| ("--summary", p)));
    outputs.extend(args.report.as_deref().map(|p| ("--report", p)));
    let mut inputs = vec![args.dataset.as_path()];
    inputs.extend(args.predictions.iter().map(PathBuf::as_path));
    crate::paths::refuse_clobbering(&outputs, &inputs)?;
    crate::paths::refuse_store_clashes(&args.server.store_dir(), &outputs, &inputs)?;
    let dataset = longforge_datasets::Dataset::open(&args.dataset)?;
    let scoring =
        crate::scoring::with_scorer(registry, &dataset, args.scorer.as_deref(), args.no_exec)?;
    let sheet = AnswerSheet::read(&dataset.samples, &args.predictions)?;
    sheet.check_dataset(&args.dataset, dataset.manifest.samples_sha256())?;
    let mut scores = Vec::new();
    let mut asks = Vec::new();
    for (sample, answer) in sheet.with_samples(&dataset.samples) {
        match scoring.question_for_model(sample, &answer.prediction)? {
            None => scores.extend(scoring.score(sample, &answer.prediction)?),
            Some(question) => asks.push((sample, &answer.prediction, question)),
        }
    }
    if asks.is_empty() && !args.judges.is_empty() {
        bail!("--judge is for tasks whose scorer asks a model; this dataset's tasks are scored by rules (see `longforge generate --list`)");
    }
    let mut unscored = 0;
    if !asks.is_empty() {
        let Some(replies) = ask_evaluator(&args, asks.iter().map(|a| a.2.clone()).collect())?
        else {
            return Ok(ExitCode::from(130));
        };
        for ((sample, prediction, _), reply) in asks.iter().zip(replies) {
            match reply {
                Ok(text) => scores.extend(scoring.score_reply(sample, prediction, &text)?),
                Err(cause) => {
                    if unscored == 0 {
                        eprintln!("first evaluator failure: {cause}");
                    }
                    unscored += 1;
                }
            }
        }
    }
    // Stable: a sample's values keep the scorer's order, headline first.
    scores.sort_by(|a, b| (&a.model, &a.sample_id).cmp(&(&b.model, &b.sample_id)));
    jsonl::write(&args.out, &scores)?;
    let rows = summarise(&dataset.samples, &scores, &scoring, args.level)?;
    print!("{}", score_table(&rows).to_text());
    if let Some(path) = &args.summary {
        jsonl::write(path, &rows)?;
        eprintln!("summary -> {}", path.display());
    }
    if let Some(path) = &args.report {
        let report = markdown(
            "longforge scores",
            &[DatasetLine::from_manifest(
                &dataset.name(),
                &dataset.manifest,
            )],
            &rows,
            None,
        )?;
        atomic::write(path, report.as_bytes())?;
        eprintln!("report -> {}", path.display());
    }
    if unscored > 0 {
        eprintln!("{unscored} answers not scored: the evaluator failed on them; run again to ask what is missing");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks the evaluator every question, through the request store, in the order given. `None`
/// when interrupted; each reply is its text or the failure's cause.
fn ask_evaluator(
    args: &Args,
    questions: Vec<String>,
) -> Result<Option<Vec<Result<String, String>>>> {
    let groups = group_endpoints(&args.judges)?;
    let Some((name, endpoints)) = groups.into_iter().next() else {
        bail!("the scorer asks an evaluator model: pass --judge NAME=BASE_URL, a server of the OpenAI chat API (see `longforge judge`)");
    };
    let client = Arc::new(Client::new(endpoints, args.server.client_options())?);
    let store = Arc::new(args.server.open_store()?);
    let sampling = args.sampling.sampling();
    let runtime = tokio::runtime::Runtime::new()?;
    let total = questions.len();
    let indexed: Vec<(usize, String)> = questions.into_iter().enumerate().collect();
    let done = until_interrupted(&runtime, &name, total, &store, "grade", |on_done| {
        let store = store.clone();
        for_each_concurrently(
            indexed,
            move |(i, question)| {
                let (client, store) = (client.clone(), store.clone());
                async move {
                    let request = ChatRequest::user(question, sampling);
                    let reply = ask(&client, &store, &request)
                        .await
                        .map(|a| a.response.text)
                        .map_err(|(_, failure)| failure.cause);
                    (i, reply)
                }
            },
            on_done,
        )
    });
    Ok(done.map(|mut replies| {
        replies.sort_by_key(|r| r.0);
        replies.into_iter().map(|r| r.1).collect()
    }))
}
