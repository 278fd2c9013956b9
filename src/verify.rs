use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Arg, ArgAction};
use longforge_datasets::{
    digest_file, Manifest, TokenCounter, TokenizerSpec, MANIFEST_FILE, SAMPLES_JSONL,
};
use longforge_generators::{
    as_version, import_params, resolve, write_dataset, write_source, Family, InputRef, Inputs,
    ParamKind, Registry,
};
use longforge_reports::{Card, CARD_FILE, EVIDENCE_SVG};

#[derive(clap::Args)]
pub struct Args {
    /// The dataset folder.
    dir: PathBuf,
    /// The tokenizer.json the dataset was counted with, when it was not a built-in one.
    #[arg(long)]
    tokenizer: Option<String>,
    /// The input files the dataset was made from, by the family's flag (`--haystack FILE`); for
    /// a dataset a model wrote (longspan --book), also `--generator NAME=URL --store STORE`: the
    /// generator's replies come from the store, and nothing is asked of any server.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "--FILE-FLAG PATH"
    )]
    files: Vec<OsString>,
}

/// Checks the files against the manifest's digests, then regenerates everything from the
/// manifest's parameters and compares byte for byte: a sample edited together with its digest
/// still fails. The dataset card, which the manifest does not list, is made again from the
/// regenerated folder and compared too, when the folder has one.
pub fn run(registry: &Registry, args: Args) -> Result<ExitCode> {
    let manifest = Manifest::read(&args.dir)?;
    // A file that fails its digest is reported after the regeneration below, which names the
    // first differing sample when there is one.
    let digests = manifest.check_files(&args.dir);
    let family = registry.get(&manifest.generator.name)?;
    // Fails early, naming the versions this longforge reproduces, before any work.
    as_version(family, &manifest.generator.version, &mut [])
        .with_context(|| args.dir.display().to_string())?;
    // The family's file flags (and --from for an imported folder), nothing else, may follow.
    let files = clap::Command::new("verify").no_binary_name(true).arg(
        Arg::new("from")
            .long("from")
            .num_args(1..)
            .value_parser(clap::value_parser!(PathBuf)),
    );
    let mut files = files
        .arg(
            Arg::new("generator")
                .long("generator")
                .value_name("NAME=URL"),
        )
        .arg(
            Arg::new("store")
                .long("store")
                .value_parser(clap::value_parser!(PathBuf)),
        );
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
    let scratch = tempfile::tempdir()?;
    let reproduce = Some((
        manifest.generator.version.as_str(),
        manifest.manifest_version,
    ));
    // The tokenizer that counts the card's evidence tokens.
    let mut inputs = Inputs {
        tokenizer: args.tokenizer.as_deref().map(TokenizerSpec::parse),
        ..Inputs::default()
    };
    if let Some(spec) = given.get_one::<String>("generator") {
        inputs.asker = Some(crate::asker::open(
            spec,
            given.get_one::<PathBuf>("store").cloned(),
            crate::asker::Reach::StoreOnly,
        )?);
    }
    let fresh = if let Some(recorded) = manifest.params.get("imported") {
        let from: Vec<PathBuf> = given
            .get_many::<PathBuf>("from")
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let recorded: Vec<InputRef> =
            serde_json::from_value(recorded.clone()).with_context(|| {
                format!(
                    "{}: `params.imported`",
                    args.dir.join(MANIFEST_FILE).display()
                )
            })?;
        if from.is_empty() {
            bail!(
                "{} was imported from {}; pass them again, in that order, with --from FILE... to re-import and compare",
                args.dir.display(),
                recorded.iter().map(|r| r.file.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
        let mut given_params = manifest.params.clone();
        if let Some(p) = given_params.as_object_mut() {
            p.shift_remove("imported");
            p.shift_remove("companions");
        }
        // The files given, by SHA-256 and in order, before anything is imported: an edited one
        // is named, whatever the import would make of it.
        let given_refs = refs_of(&import_params(&from, &[], &given_params)?, "imported");
        compare_given(&args.dir, &recorded, &given_refs, &from)?;
        let importer = family
            .importer()
            .with_context(|| format!("{} has no importer in this longforge", family.name()))?;
        let imported = importer.import(&from, &given_params)?;
        let mut params = import_params(&from, &imported.companions, &given_params)?;
        compare_companions(
            &args.dir,
            &refs_of(&manifest.params, "companions"),
            &refs_of(&params, "companions"),
            &imported.companions,
        )?;
        // Only the names may differ now, and they are the recorded ones.
        if let Some(p) = params.as_object_mut() {
            for key in ["imported", "companions"] {
                if let Some(v) = manifest.params.get(key) {
                    p.insert(key.into(), v.clone());
                }
            }
        }
        if params != manifest.params {
            bail!(
                "{}: `params` are not what importing these files records; the manifest was edited",
                args.dir.join(MANIFEST_FILE).display()
            );
        }
        write_source(
            family,
            &imported.generated,
            &manifest.params,
            scratch.path(),
            None,
            reproduce,
            &mut |_, _| {},
        )?
    } else {
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
        write_dataset(
            family,
            &resolved,
            &inputs,
            scratch.path(),
            manifest.shard.map(|s| (s.index, s.count)),
            reproduce,
            &mut |_, _| {},
        )?
    };
    for file in &fresh.files {
        let path = args.dir.join(&file.name);
        let on_disk = digest_file(&args.dir, &file.name)?;
        if &on_disk == file {
            continue;
        }
        // Both what the digests say and where the content first differs.
        let found = if file.name == SAMPLES_JSONL {
            first_difference(&path, &scratch.path().join(SAMPLES_JSONL)).err()
        } else {
            None
        }
        .unwrap_or_else(|| {
            anyhow::anyhow!(
                "{} differs from what the manifest regenerates",
                path.display()
            )
        });
        match &digests {
            Err(d) => bail!("{d}; {found}"),
            Ok(()) => return Err(found),
        }
    }
    digests?;
    if fresh != manifest {
        bail!(
            "{}: differs from the regenerated manifest (counts or digests were edited)",
            args.dir.join(MANIFEST_FILE).display()
        );
    }
    let card = check_card(
        &args.dir,
        manifest.manifest_version,
        scratch.path(),
        family,
        &inputs.counter(&manifest.tokenizer)?,
    )?;
    let samples = fresh.counts.get("samples").copied().unwrap_or(0);
    println!(
        "ok: {} ({samples} sample{}) regenerates byte for byte; {card}",
        args.dir.display(),
        if samples == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}

/// Compares the folder's dataset card (`README.md`, and `evidence.svg` beside it) with the card
/// the regenerated folder `fresh` makes, naming the file that differs. A folder without
/// `README.md` (made before cards existed) passes, and the returned note says so.
fn check_card(
    dir: &Path,
    manifest_version: u32,
    fresh: &Path,
    family: &dyn Family,
    counter: &TokenCounter,
) -> Result<String> {
    let readme = dir.join(CARD_FILE);
    if !readme.exists() {
        // From manifest version 4 on, the card is part of the folder.
        if manifest_version >= 4 {
            bail!(
                "{}: missing; a folder of manifest version {manifest_version} carries its dataset card",
                readme.display()
            );
        }
        return Ok(format!(
            "no {CARD_FILE} here (a folder of manifest version {manifest_version}, made before dataset cards), so no card was checked"
        ));
    }
    let card = Card::of(fresh, family, counter)?;
    let differs = |path: &Path, on_disk: &[u8], fresh: &str| {
        // The first line that differs, counted from 1.
        let disk = String::from_utf8_lossy(on_disk);
        let line = disk
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| disk.lines().count().min(fresh.lines().count()))
            + 1;
        anyhow::anyhow!(
            "{}: line {line} differs from the dataset card the regenerated folder makes (edited after it was written, or written by another longforge)",
            path.display()
        )
    };
    let on_disk = std::fs::read(&readme).with_context(|| readme.display().to_string())?;
    if on_disk != card.readme.as_bytes() {
        return Err(differs(&readme, &on_disk, &card.readme));
    }
    let svg = dir.join(EVIDENCE_SVG);
    match (&card.evidence_svg, svg.exists()) {
        (Some(text), true) => {
            let on_disk = std::fs::read(&svg).with_context(|| svg.display().to_string())?;
            if on_disk != text.as_bytes() {
                return Err(differs(&svg, &on_disk, text));
            }
        }
        (Some(_), false) => bail!(
            "{}: missing; the card draws the samples' evidence there",
            svg.display()
        ),
        (None, true) => bail!(
            "{}: no sample has evidence to draw, so the regenerated card has no picture",
            svg.display()
        ),
        (None, false) => {}
    }
    Ok(format!(
        "so does its card ({CARD_FILE}{})",
        if card.evidence_svg.is_some() {
            format!(", {EVIDENCE_SVG}")
        } else {
            String::new()
        }
    ))
}

/// Fails naming the first line (and its sample) where `disk` and `fresh` differ.
fn first_difference(disk: &Path, fresh: &Path) -> Result<()> {
    let open = |p: &Path| -> Result<std::io::Lines<BufReader<std::fs::File>>> {
        Ok(
            BufReader::new(std::fs::File::open(p).with_context(|| p.display().to_string())?)
                .lines(),
        )
    };
    let (mut a, mut b) = (open(disk)?, open(fresh)?);
    let mut line = 0;
    loop {
        line += 1;
        match (a.next().transpose()?, b.next().transpose()?) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(_), Some(y)) => {
                let id = serde_json::from_str::<serde_json::Value>(&y)
                    .ok()
                    .and_then(|v| v["id"].as_str().map(str::to_string))
                    .unwrap_or_else(|| "?".into());
                bail!(
                    "{}: line {line} (sample `{id}`) differs from what the manifest regenerates",
                    disk.display()
                );
            }
            (None, None) => return Ok(()),
            _ => bail!(
                "{}: holds a different number of lines than the manifest regenerates (first missing or extra at line {line})",
                disk.display()
            ),
        }
    }
}

/// The file references under `key` of import parameters (none if absent).
fn refs_of(params: &serde_json::Value, key: &str) -> Vec<InputRef> {
    params
        .get(key)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// The files given with `--from` against those recorded under `params.imported`, in order and
/// by SHA-256. A file whose content matches under another name is accepted, with a note: the
/// content is what the dataset depends on, and a file may be renamed or moved.
fn compare_given(
    dir: &Path,
    recorded: &[InputRef],
    given: &[InputRef],
    paths: &[PathBuf],
) -> Result<()> {
    let names = |refs: &[InputRef]| {
        refs.iter()
            .map(|r| format!("`{}`", r.file))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if recorded.len() != given.len() {
        bail!(
            "{} was imported from {} ({}); --from gives {}: pass them again, in that order",
            dir.display(),
            plural(recorded.len(), "file"),
            names(recorded),
            plural(given.len(), "file")
        );
    }
    for (i, ((r, g), path)) in recorded.iter().zip(given).zip(paths).enumerate() {
        if r.sha256 != g.sha256 {
            let other = recorded
                .iter()
                .find(|o| o.sha256 == g.sha256)
                .map(|o| format!(" (it is `{}`, recorded in another place: give the files in the recorded order)", o.file))
                .unwrap_or_default();
            bail!(
                "{} (file {} of --from) is not the `{}` {} was imported from: its SHA-256 is {}, the manifest records {} (`params.imported`){other}",
                path.display(),
                i + 1,
                r.file,
                dir.display(),
                g.sha256,
                r.sha256
            );
        }
        if r.file != g.file {
            eprintln!(
                "note: {} has the content of `{}` that {} was imported from (same SHA-256), under another name; accepted",
                path.display(),
                r.file,
                dir.display()
            );
        }
    }
    Ok(())
}

/// The files the import read beside those given (templates, pages, worked examples) against
/// those recorded under `params.companions`, by name and SHA-256.
fn compare_companions(
    dir: &Path,
    recorded: &[InputRef],
    read: &[InputRef],
    companions: &[longforge_generators::Companion],
) -> Result<()> {
    let path_of = |name: &str| {
        companions
            .iter()
            .find(|c| c.name == name)
            .map_or_else(|| name.to_string(), |c| c.path.display().to_string())
    };
    for r in recorded {
        match read.iter().find(|g| g.file == r.file) {
            None => bail!(
                "the import no longer reads `{}` beside the files given; {} was imported with it (`params.companions`)",
                r.file,
                dir.display()
            ),
            Some(g) if g.sha256 != r.sha256 => bail!(
                "`{}` ({}), read beside the files given, is not the one {} was imported with: its SHA-256 is {}, `params.companions` records {}",
                r.file,
                path_of(&r.file),
                dir.display(),
                g.sha256,
                r.sha256
            ),
            Some(_) => {}
        }
    }
    if let Some(g) = read
        .iter()
        .find(|g| !recorded.iter().any(|r| r.file == g.file))
    {
        bail!(
            "the import now reads `{}` ({}) beside the files given, which {} was not imported with{}",
            g.file,
            path_of(&g.file),
            dir.display(),
            if recorded.is_empty() {
                String::new()
            } else {
                " (see `params.companions`)".to_string()
            }
        );
    }
    Ok(())
}

/// `1 file`, `2 files`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
