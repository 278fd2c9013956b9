//! `longforge`: the command line. Each subcommand lives in its own file and only wires the
//! crates together; no benchmark logic lives here. It is a library as well as the binary so
//! that a test (or a program embedding longforge) can run the very same commands with families
//! of its own added to the registry ([`run_cli`]).

mod agree;
mod asker;
mod demo;
mod generate;
mod grade;
mod import;
mod judge;
mod merge;
mod paths;
mod progress;
mod rank;
mod reliability;
mod report;
mod run;
mod score;
mod scoring;
mod serving;
mod verify;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
pub use longforge_generators::Registry;

/// Regenerate long-context benchmarks from a seed, answer them, and score the answers.
#[derive(Parser)]
#[command(name = "longforge", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a dataset folder (samples.jsonl, samples.parquet, manifest.json); `generate FAMILY --help` lists its flags.
    Generate(generate::Args),
    /// Read an original benchmark's published files into a dataset folder (the family's importer).
    Import(import::Args),
    /// Regenerate a dataset from its manifest and check that every file, its card included, is identical.
    Verify(verify::Args),
    /// Answer a dataset with models behind OpenAI-compatible endpoints, or a built-in baseline.
    Run(run::Args),
    /// Score predictions against a dataset; print and write figures by model, task and cell.
    Score(score::Args),
    /// Compare models' answers in pairs, in both orders, with an LLM evaluator or the rule judge.
    Judge(judge::Args),
    /// Grade each answer alone on a 1-10 rubric, with an LLM evaluator or the rule grader.
    Grade(grade::Args),
    /// Agreement between two judgment files: raw agreement, Cohen's kappa, flip rate.
    Agree(agree::Args),
    /// Split-half reliability and separation of the relative (Bradley-Terry) and absolute (grade) methods on the same run.
    Reliability(reliability::Args),
    /// Join the shards of one generation into the folder a single run writes.
    Merge(merge::Args),
    /// Rank models from battles with a Bradley-Terry fit and bootstrap intervals.
    Rank(rank::Args),
    /// Publish a static leaderboard site (HTML, Markdown, CSV, JSON, SVG pictures) from summaries, ratings and judgments.
    Report(report::Args),
    /// Generate small NeedleBench datasets, answer them with the baselines, score, and report.
    Demo(demo::Args),
}

/// Refuses an output path that cannot take a file (an existing folder) before any work is done,
/// so a command never fails after writing some of its outputs.
pub(crate) fn check_output(path: &std::path::Path) -> anyhow::Result<()> {
    if path.is_dir() {
        anyhow::bail!(
            "{} is a folder; give the path of a file to write",
            path.display()
        );
    }
    Ok(())
}

/// Runs one longforge command line (`args[0]` is the program name) with the families of
/// `registry`, returning the exit status: 0 success, 1 bad input or failure, 2 usage, 3 some
/// requests failed, 130 interrupted.
pub fn run_cli(registry: &Registry, args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let done = |r: anyhow::Result<()>| r.map(|()| ExitCode::SUCCESS);
    let result = match cli.command {
        Command::Generate(a) => generate::run(registry, a),
        Command::Verify(a) => verify::run(registry, a),
        Command::Import(a) => import::run(registry, a),
        Command::Run(a) => run::run(registry, a),
        Command::Judge(a) => judge::run(registry, a),
        Command::Agree(a) => done(agree::run(a)),
        Command::Reliability(a) => done(reliability::run(a)),
        Command::Grade(a) => grade::run(registry, a),
        Command::Score(a) => score::run(registry, a),
        Command::Demo(a) => done(demo::run(registry, a)),
        Command::Rank(a) => done(rank::run(a)),
        Command::Report(a) => done(report::run(a)),
        Command::Merge(a) => done(merge::run(registry, a)),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
