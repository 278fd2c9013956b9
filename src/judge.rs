use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Result};
use longforge_datasets::{atomic, jsonl, Judgment, Verdict};
use longforge_judges::pairwise::{
    self, contests, judge_all, matchups, position_bias, Evaluator, PairTexts, Pairing,
    PositionBias, Purpose, Showing, Template, VerdictMode, RULE_JUDGE,
};
use longforge_judges::{AnswerSheet, Scoring};
use longforge_llm::{Client, ServerKind};
use longforge_reports::value_text;

use crate::serving::{group_endpoints, until_interrupted, EvaluatorSampling, ServerArgs};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset the predictions answer.
    #[arg(long)]
    dataset: PathBuf,
    /// Prediction files (from `run`), any number; each model may answer a sample once.
    #[arg(long, num_args = 1.., required = true)]
    predictions: Vec<PathBuf>,
    /// `rule` (the offline judge: the task's scorer decides) or
    /// NAME=BASE_URL[,model=SERVED_NAME][,key_env=VAR][,revision=TEXT]; repeat with the same
    /// NAME to spread requests over several servers.
    #[arg(long = "judge", required = true)]
    judges: Vec<String>,
    /// Judgments, one JSON object per line; position bias is written beside it (.bias.json).
    #[arg(long)]
    out: PathBuf,
    /// Compare each model against this one only (default: all pairs).
    #[arg(long, conflicts_with = "pairs_per_question")]
    baseline: Option<String>,
    /// Compare K pairs per question, drawn with --seed (default: all pairs).
    #[arg(long)]
    pairs_per_question: Option<usize>,
    /// A minijinja prompt template (variables: question, reference, answer_a, answer_b, tag,
    /// verdict_mode) instead of the shipped one.
    #[arg(long)]
    template: Option<PathBuf>,
    /// Use the shipped template without the reference answer.
    #[arg(long)]
    no_reference: bool,
    /// label: free text ending in [[A>B]]-style labels; logprob: one code 1-5 under constrained
    /// decoding, with a soft verdict from the codes' log-probabilities.
    #[arg(long, value_enum, default_value_t = VerdictModeArg::Label)]
    verdict_mode: VerdictModeArg,
    #[command(flatten)]
    server: ServerArgs,
    #[command(flatten)]
    sampling: EvaluatorSampling,
    /// Print the first request that would be sent, and exit.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum VerdictModeArg {
    Label,
    Logprob,
}

/// Exit status: 0 when every showing was judged (valid or invalid), 3 when some requests failed,
/// 1 on a usage or input error, 130 when interrupted.
pub fn run(registry: &crate::Registry, args: Args) -> Result<ExitCode> {
    crate::serving::check_sampling(&args.sampling.sampling())?;
    let (bias, settings) = (
        args.out.with_extension("bias.json"),
        args.out.with_extension("judge.json"),
    );
    let mut inputs = vec![args.dataset.as_path()];
    inputs.extend(args.predictions.iter().map(PathBuf::as_path));
    inputs.extend(args.template.as_deref());
    let outputs = [
        ("--out", args.out.as_path()),
        ("the position bias beside --out", bias.as_path()),
        ("the judge's settings beside --out", settings.as_path()),
    ];
    crate::paths::refuse_clobbering(&outputs, &inputs)?;
    crate::paths::refuse_store_clashes(&args.server.store_dir(), &outputs, &inputs)?;
    let (dataset, scoring) = crate::scoring::open(registry, &args.dataset)?;
    let samples = &dataset.samples;
    let sheet = AnswerSheet::read(samples, &args.predictions)?;
    sheet.check_dataset(&args.dataset, dataset.manifest.samples_sha256())?;
    let pairing = match (&args.baseline, args.pairs_per_question) {
        (Some(b), _) => Pairing::Baseline(b.clone()),
        (None, Some(0)) => bail!("--pairs-per-question must be at least 1"),
        (None, Some(k)) => Pairing::Sample {
            per_question: k,
            seed: args.sampling.seed,
        },
        (None, None) => Pairing::All,
    };
    let matchups = matchups(&sheet, &pairing)?;
    let rule = args.judges == [RULE_JUDGE];
    if rule
        && (args.template.is_some() || args.verdict_mode != VerdictModeArg::Label || args.dry_run)
    {
        bail!("--judge rule asks no model: --template, --verdict-mode and --dry-run apply to an LLM judge (--judge NAME=URL)");
    }
    let judgments = if rule {
        pairwise::rule::judge_all(&scoring, samples, &sheet, &matchups)?
    } else {
        let Some(judgments) = ask_evaluator(&args, &scoring, samples, &sheet, &matchups)? else {
            return Ok(ExitCode::from(130));
        };
        judgments
    };
    if judgments.is_empty() {
        // Only a dry run gets here.
        return Ok(ExitCode::SUCCESS);
    }
    jsonl::write(&args.out, &judgments)?;
    // How it judged, beside the judgments, for the leaderboard's methodology.
    let settings = if rule {
        pairwise::rule::settings()
    } else {
        evaluator_settings(&args)?
    };
    let mut text = serde_json::to_vec_pretty(&settings)?;
    text.push(b'\n');
    atomic::write(&args.out.with_extension("judge.json"), &text)?;
    let bias = position_bias(&judgments);
    let bias_path = args.out.with_extension("bias.json");
    let mut text = serde_json::to_vec_pretty(&bias)?;
    text.push(b'\n');
    atomic::write(&bias_path, &text)?;
    print_bias(&bias);
    let failed = judgments
        .iter()
        .filter(|j| j.error.is_some() && j.raw.is_none())
        .count();
    let invalid = judgments
        .iter()
        .filter(|j| j.verdict == Verdict::Invalid)
        .count();
    eprintln!(
        "{} judgments ({} matchups, both orders), {invalid} invalid of which {failed} failed requests -> {}",
        judgments.len(),
        matchups.len(),
        args.out.display()
    );
    if let Some(first) = judgments.iter().find_map(|j| j.error.as_deref()) {
        eprintln!("first failure: {first}");
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

/// The evaluator's settings as `FILE.judge.json` records them: the judge's name (never its
/// URL), the template (where it came from, its SHA-256 and its text), the verdict mode, whether
/// the reference was shown, and the sampling.
fn evaluator_settings(args: &Args) -> Result<serde_json::Value> {
    let template = match &args.template {
        Some(path) => Template::from_file(path, Purpose::Pairwise)?,
        None => Template::pairwise(!args.no_reference),
    };
    let names: Vec<&str> = args
        .judges
        .iter()
        .map(|j| j.split_once('=').map_or(j.as_str(), |(name, _)| name))
        .collect();
    let sampling = args.sampling.sampling();
    Ok(serde_json::json!({
        "judge": names.join(", "),
        "template": template.origin(),
        "template_sha256": longforge_datasets::sha256_hex(template.source().as_bytes()),
        "template_text": template.source(),
        "verdict_mode": match args.verdict_mode {
            VerdictModeArg::Label => "label: the verdict read from the reply's text",
            VerdictModeArg::Logprob => "logprob: the verdict's probabilities from the top log-probabilities",
        },
        "reference": !args.no_reference,
        "sampling": format!(
            "temperature {}, top_p {}, max_tokens {}, seed {}",
            sampling.temperature, sampling.top_p, sampling.max_tokens, sampling.seed
        ),
    }))
}

/// Renders every showing (a template error stops the run before anything is sent), then asks
/// the evaluator. None when interrupted; an empty list after a dry run.
fn ask_evaluator(
    args: &Args,
    scoring: &Scoring,
    samples: &[longforge_datasets::Sample],
    sheet: &AnswerSheet,
    matchups: &[pairwise::Matchup],
) -> Result<Option<Vec<Judgment>>> {
    let groups = group_endpoints(&args.judges)?;
    if groups.len() != 1 {
        bail!(
            "--judge names {} judges ({}); judge with one at a time, and compare them with `longforge agree`",
            groups.len(),
            groups.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let Some((name, endpoints)) = groups.into_iter().next() else {
        bail!("give --judge rule or --judge NAME=BASE_URL");
    };
    let template = match &args.template {
        Some(path) => Template::from_file(path, Purpose::Pairwise)?,
        None => Template::pairwise(!args.no_reference),
    };
    let mode = match args.verdict_mode {
        VerdictModeArg::Label => VerdictMode::Label,
        VerdictModeArg::Logprob => VerdictMode::Logprob,
    };
    let mut showings = Vec::with_capacity(matchups.len() * 2);
    for c in contests(samples, sheet, matchups) {
        let (sample, a, b) = (c.sample, c.answer_a, c.answer_b);
        let reference = scoring.task(sample)?.scorer.reference_text(sample)?;
        let texts = PairTexts {
            question: &sample.question,
            reference: (!args.no_reference).then_some(reference.as_str()),
            answer_a: a.text(),
            answer_b: b.text(),
        };
        for (m, order) in c.matchup.orders() {
            showings.push(Showing::render(&template, mode, &m, order, &texts)?);
        }
    }
    let evaluator = Evaluator {
        name: name.clone(),
        client: Client::new(endpoints, args.server.client_options())?,
        template,
        mode,
        sampling: args.sampling.sampling(),
    };
    if args.dry_run {
        let (Some(showing), Some(e)) = (showings.first(), evaluator.client.endpoints().next())
        else {
            bail!("nothing to judge");
        };
        let kind = args.server.server_kind().unwrap_or(ServerKind::OpenAi);
        println!(
            "POST {}/chat/completions  (judge {name}, question {}, {} vs {}, order {:?})",
            e.base_url,
            showing.matchup.question_id,
            showing.matchup.model_a,
            showing.matchup.model_b,
            showing.order
        );
        println!(
            "{}",
            serde_json::to_string_pretty(&evaluator.request(showing).body(&e.served_model, kind))?
        );
        return Ok(Some(Vec::new()));
    }
    let store = Arc::new(args.server.open_store()?);
    let runtime = tokio::runtime::Runtime::new()?;
    let total = showings.len();
    Ok(until_interrupted(
        &runtime,
        &name,
        total,
        &store,
        "verdict",
        |on_done| judge_all(showings, Arc::new(evaluator), store.clone(), on_done),
    ))
}

fn print_bias(bias: &[PositionBias]) {
    println!("| judge | judgments | invalid | pairs in both orders | flip rate | reversed | first-shown win rate |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for b in bias {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            b.judge,
            b.judgments,
            b.invalid,
            b.pairs,
            value_text(b.flip_rate),
            b.reversed,
            value_text(b.first_shown_win_rate)
        );
    }
}
