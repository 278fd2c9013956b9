//! `longforge import FAMILY FILE... --out DIR`: the original benchmark's published files read by
//! the family's importer into a dataset folder, so published data and answers are scored with
//! longforge's checkers.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Arg, ArgAction};
use longforge_datasets::{
    atomic::{self, StagedDir},
    jsonl,
};
use longforge_generators::{import_params, write_source, Inputs, ParamKind, Registry};
use longforge_reports::write_card;

use crate::generate::{flag, params_from, FamilyLine};
use crate::paths::refuse_overwriting_inputs;
use crate::progress::Progress;

#[derive(clap::Args)]
pub struct Args {
    /// FAMILY FILE... --out DIR [IMPORTER FLAGS]: see `import FAMILY --help`.
    #[command(subcommand)]
    family: Option<FamilyLine>,
}

pub fn run(registry: &Registry, args: Args) -> Result<ExitCode> {
    let Some(family_line) = &args.family else {
        bail!("name a family and its original files: `longforge import FAMILY FILE... --out DIR`");
    };
    let (family, line) = family_line.family(registry)?;
    let name = family.name();
    let importer = family.importer().ok_or_else(|| {
        let with: Vec<&str> = registry
            .all()
            .iter()
            .filter(|f| f.importer().is_some())
            .map(|f| f.name())
            .collect();
        anyhow!(
            "{name} reads no original files; families with an importer: {}",
            if with.is_empty() {
                "none yet".to_string()
            } else {
                with.join(", ")
            }
        )
    })?;
    // Only the flags the importer declares: the family's generation flags (lengths, seed,
    // dials) change nothing in published data, so `import FAMILY --help` must not offer them
    // and the parser refuses them, naming the flag.
    let flags = importer.params().iter();
    // An importer that names its files by flag (`--claims FILE`) may take none by position.
    let file_flags: Vec<&str> = flags
        .clone()
        .filter(|p| p.kind == ParamKind::File)
        .map(|p| p.name)
        .collect();
    let mut cmd = clap::Command::new(name.to_string())
        .bin_name(format!("longforge import {name}"))
        .about(format!("Import {name} from {}", importer.formats()))
        .arg(
            Arg::new("files")
                .required(file_flags.is_empty())
                .num_args(1..)
                .value_parser(clap::value_parser!(PathBuf))
                .help(importer.formats().to_string()),
        )
        .arg(
            Arg::new("predictions_out")
                .long("predictions-out")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Also write the models' answers the files hold, one prediction per model and sample, for `score` (JSON Lines)"),
        )
        .arg(
            Arg::new("out")
                .long("out")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("Output folder; must not exist or be empty, unless --force"),
        )
        .arg(
            Arg::new("force")
                .long("force")
                .action(ArgAction::SetTrue)
                .help("Replace a non-empty output folder"),
        );
    for p in flags.clone() {
        cmd = cmd.arg(flag(p));
    }
    let m = match cmd.try_get_matches_from(line) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return Ok(ExitCode::from(e.exit_code() as u8));
        }
    };
    let files: Vec<PathBuf> = m
        .get_many::<PathBuf>("files")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let out = m
        .get_one::<PathBuf>("out")
        .cloned()
        .context("pass --out DIR")?;
    let (given, inputs) = params_from(family, flags, &m)?;
    // Files named by flag follow those given by position, in the importer's declared order.
    let mut files = files;
    files.extend(
        file_flags
            .iter()
            .filter_map(|f| inputs.file(f))
            .map(PathBuf::from),
    );
    if files.is_empty() {
        bail!("give the files to import: {}", importer.formats());
    }
    let predictions_out = m.get_one::<PathBuf>("predictions_out").cloned();
    // Before anything is read or written: no output may be an input, and the predictions'
    // path must be writable, so a failure leaves nothing behind.
    refuse_overwriting_inputs(&out, predictions_out.as_deref(), &files)?;
    if let Some(path) = &predictions_out {
        atomic::check_writable(path).context("--predictions-out")?;
    }
    let imported = importer.import(&files, &given)?;
    // The files the importer read beside those given (templates, pages) are inputs too.
    let companions: Vec<PathBuf> = imported.companions.iter().map(|c| c.path.clone()).collect();
    refuse_overwriting_inputs(&out, predictions_out.as_deref(), &companions)?;
    let params = import_params(&files, &imported.companions, &given)?;
    let stage = StagedDir::new(&out, m.get_flag("force"))?;
    let mut progress = Progress::new(&format!("importing {name}"));
    let manifest = write_source(
        family,
        &imported.generated,
        &params,
        stage.path(),
        None,
        None,
        &mut |d, t| progress.update(d, t),
    )?;
    // The predictions are written aside before the dataset is put in place, and put in place
    // after it: a failure in either leaves neither.
    let mut predictions = imported.predictions;
    predictions.sort_by(|a, b| (&a.model, &a.sample_id).cmp(&(&b.model, &b.sample_id)));
    let staged_predictions = match &predictions_out {
        Some(path) => Some(
            atomic::StagedFile::new(path, &jsonl::to_bytes(&predictions))
                .context("--predictions-out")?,
        ),
        None => None,
    };
    let counter = Inputs::default().counter(&manifest.tokenizer)?;
    write_card(stage.path(), family, &counter)?;
    stage.commit()?;
    if let Some(staged) = staged_predictions {
        staged.commit().context("--predictions-out")?;
    }
    // Original data kept as published but known to be wrong: named, so no one reads its scores
    // as a model's fault.
    for s in imported.generated.samples.iter() {
        if let Some(defect) = s.meta.get("defect") {
            eprintln!(
                "defective in the original: {}: {}",
                s.id,
                defect
                    .as_str()
                    .map_or_else(|| defect.to_string(), str::to_string)
            );
        }
    }
    for why in &imported.left_out {
        eprintln!("left out: {why}");
    }
    match &predictions_out {
        Some(path) => {
            eprintln!(
                "{} predictions of {} models -> {}",
                predictions.len(),
                predictions
                    .iter()
                    .map(|p| &p.model)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
                path.display()
            );
        }
        None if !predictions.is_empty() => eprintln!(
            "the files hold {} models' answers; pass --predictions-out FILE to keep them for `score`",
            predictions
                .iter()
                .map(|p| &p.model)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        ),
        None => {}
    }
    eprintln!(
        "imported {} samples from {} files to {}",
        manifest.counts.get("samples").copied().unwrap_or(0),
        files.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
