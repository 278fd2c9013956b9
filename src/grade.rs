use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Result};
use longforge_datasets::{jsonl, Grade};
use longforge_judges::absolute::{
    grade_all, mean_grades, rule_grade, GradeShowing, Grader, RULE_GRADER,
};
use longforge_judges::pairwise::{Purpose, Template};
use longforge_judges::AnswerSheet;
use longforge_llm::Client;

use crate::serving::{group_endpoints, until_interrupted, EvaluatorSampling, ServerArgs};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset the predictions answer.
    #[arg(long)]
    dataset: PathBuf,
    /// Prediction files (from `run`).
    #[arg(long, num_args = 1.., required = true)]
    predictions: Vec<PathBuf>,
    /// `rule` (1 + 9 x the task's own score) or NAME=BASE_URL[,model=...][,key_env=...].
    #[arg(long = "judge", required = true)]
    judges: Vec<String>,
    /// Grades, one JSON object per line.
    #[arg(long)]
    out: PathBuf,
    /// A minijinja rubric template (variables: question, reference, answer, tag).
    #[arg(long)]
    template: Option<PathBuf>,
    /// Do not show the reference answer to the grader.
    #[arg(long)]
    no_reference: bool,
    #[command(flatten)]
    server: ServerArgs,
    #[command(flatten)]
    sampling: EvaluatorSampling,
}

/// Exit status as for `judge`: 3 when some requests failed.
pub fn run(registry: &crate::Registry, args: Args) -> Result<ExitCode> {
    crate::serving::check_sampling(&args.sampling.sampling())?;
    let mut inputs = vec![args.dataset.as_path()];
    inputs.extend(args.predictions.iter().map(PathBuf::as_path));
    inputs.extend(args.template.as_deref());
    let outputs = [("--out", args.out.as_path())];
    crate::paths::refuse_clobbering(&outputs, &inputs)?;
    crate::paths::refuse_store_clashes(&args.server.store_dir(), &outputs, &inputs)?;
    let (dataset, scoring) = crate::scoring::open(registry, &args.dataset)?;
    let samples = &dataset.samples;
    let sheet = AnswerSheet::read(samples, &args.predictions)?;
    sheet.check_dataset(&args.dataset, dataset.manifest.samples_sha256())?;
    let answers = sheet.with_samples(samples);
    if answers.is_empty() {
        bail!("no answers to grade");
    }
    let grades: Vec<Grade> = if args.judges == [RULE_GRADER] {
        answers
            .iter()
            .map(|(s, a)| rule_grade(&scoring, s, a))
            .collect::<Result<_, _>>()?
    } else {
        let groups = group_endpoints(&args.judges)?;
        if groups.len() != 1 {
            bail!(
                "--judge names {} graders; grade with one at a time",
                groups.len()
            );
        }
        let Some((name, endpoints)) = groups.into_iter().next() else {
            bail!("give --judge rule or --judge NAME=BASE_URL");
        };
        let template = match &args.template {
            Some(path) => Template::from_file(path, Purpose::Grade)?,
            None => Template::grade(),
        };
        let showings = answers
            .iter()
            .map(|(s, a)| {
                let reference = scoring.task(s)?.scorer.reference_text(s)?;
                GradeShowing::render(
                    &template,
                    s,
                    (!args.no_reference).then_some(reference.as_str()),
                    a,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let grader = Arc::new(Grader {
            name: name.clone(),
            client: Client::new(endpoints, args.server.client_options())?,
            sampling: args.sampling.sampling(),
        });
        let store = Arc::new(args.server.open_store()?);
        let runtime = tokio::runtime::Runtime::new()?;
        let total = showings.len();
        let done = until_interrupted(&runtime, &name, total, &store, "grade", |on_done| {
            grade_all(showings, grader, store.clone(), on_done)
        });
        let Some(done) = done else {
            return Ok(ExitCode::from(130));
        };
        done
    };
    jsonl::write(&args.out, &grades)?;
    println!("| model | mean grade | graded | without a grade |\n|---|---:|---:|---:|");
    for g in mean_grades(&grades) {
        let mean = g.mean.map_or_else(
            || longforge_reports::UNDEFINED.to_string(),
            |m| format!("{m:.2}"),
        );
        println!(
            "| {} | {mean} | {} | {} |",
            g.model, g.graded, g.without_grade
        );
    }
    let failed = grades.iter().filter(|g| g.raw.is_none()).count();
    eprintln!("{} grades -> {}", grades.len(), args.out.display());
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
