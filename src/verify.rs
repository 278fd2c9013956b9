use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Arg, ArgAction};
use longforge_datasets::{
    render, Manifest, Provenance, TokenizerSpec, MANIFEST_FILE, SAMPLES_JSONL,
};
use longforge_generators::{as_version, resolve, scoring_of, Inputs, ParamKind, Registry};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset folder.
    dir: PathBuf,
    /// The tokenizer.json the dataset was counted with, when it was not a built-in one.
    #[arg(long)]
    tokenizer: Option<String>,
    /// The input files the dataset was made from, by the family's flag (`--haystack FILE`).
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "--FILE-FLAG PATH"
    )]
    files: Vec<OsString>,
}

/// Checks the files against the manifest's digests, then regenerates everything from the
/// manifest's parameters and compares byte for byte: a sample edited together with its digest
/// still fails.
pub fn run(registry: &Registry, args: Args) -> Result<ExitCode> {
    let manifest = Manifest::read(&args.dir)?;
    manifest.check_files(&args.dir)?;
    let family = registry.get(&manifest.generator.name)?;
    // Fails early, naming the versions this longforge reproduces, before any work.
    as_version(family, &manifest.generator.version, &mut [])
        .with_context(|| args.dir.display().to_string())?;
    // The family's file flags, and nothing else, may follow the folder.
    let mut files = clap::Command::new("verify").no_binary_name(true);
    for p in family.params().iter().filter(|p| p.kind == ParamKind::File) {
        files = files.arg(
            Arg::new(p.name)
                .long(p.flag())
                .action(ArgAction::Set)
                .value_parser(clap::value_parser!(PathBuf)),
        );
    }
    let given = match files.try_get_matches_from(&args.files) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return Ok(ExitCode::from(e.exit_code() as u8));
        }
    };
    let mut inputs = Inputs {
        tokenizer: args.tokenizer.as_deref().map(TokenizerSpec::parse),
        ..Inputs::default()
    };
    for p in family.params().iter().filter(|p| p.kind == ParamKind::File) {
        if let Some(path) = given.get_one::<PathBuf>(p.name) {
            inputs.files.insert(p.name.to_string(), path.clone());
        }
    }
    let resolved = resolve(family, manifest.params.clone(), &inputs)?;
    if resolved != manifest.params {
        bail!(
            "{}: `params` are not what generator {} would record for them; the manifest was edited",
            args.dir.join(MANIFEST_FILE).display(),
            family.version()
        );
    }
    let mut generated = family.generate(&resolved, &inputs, &mut |_, _| {})?;
    let recorded_scoring = as_version(family, &manifest.generator.version, &mut generated.samples)?;
    let scoring = if recorded_scoring {
        scoring_of(family, &generated.samples)?
    } else {
        Default::default()
    };
    let rendered = render(
        &generated.samples,
        Provenance {
            generator: manifest.generator.clone(),
            params: resolved,
            scoring,
            seed: generated.seed,
            tokenizer: generated.tokenizer,
        },
    )?;
    for (name, bytes) in &rendered.files {
        let path = args.dir.join(name);
        let on_disk =
            std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        if &on_disk == bytes {
            continue;
        }
        if name == SAMPLES_JSONL {
            let fresh = String::from_utf8_lossy(bytes);
            let disk = String::from_utf8_lossy(&on_disk);
            for (i, (a, b)) in fresh.lines().zip(disk.lines()).enumerate() {
                if a != b {
                    let id = generated.samples.get(i).map_or("?", |s| s.id.as_str());
                    bail!(
                        "{}: line {} (sample `{id}`) differs from what the manifest regenerates",
                        path.display(),
                        i + 1
                    );
                }
            }
            bail!(
                "{}: holds {} lines, the manifest regenerates {}",
                path.display(),
                disk.lines().count(),
                fresh.lines().count()
            );
        }
        bail!(
            "{} differs from what the manifest regenerates",
            path.display()
        );
    }
    if rendered.manifest != manifest {
        bail!(
            "{}: differs from the regenerated manifest (counts or digests were edited)",
            args.dir.join(MANIFEST_FILE).display()
        );
    }
    println!(
        "ok: {} ({} samples) regenerates byte for byte",
        args.dir.display(),
        generated.samples.len()
    );
    Ok(ExitCode::SUCCESS)
}
