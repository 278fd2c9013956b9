//! `longforge generate`: the common flags, plus the family's own flags built at run time from
//! its declared parameters, so no family flag lives in the binary.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Arg, ArgAction, ArgMatches};
use longforge_datasets::{atomic::StagedDir, TokenizerSpec};
use longforge_generators::{
    resolve, write_dataset, Family, Inputs, ParamInfo, ParamKind, Registry, COMMON_PARAMS,
};
use longforge_reports::write_card;
use serde_json::{Map, Value};

use crate::progress::{stop_if_interrupted, watch_interrupts, Progress};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    /// List every family, task and parameter, and exit.
    #[arg(long)]
    list: bool,
    /// FAMILY [FLAGS]: the family (see --list) and its flags (see `generate FAMILY --help`).
    #[command(subcommand)]
    family: Option<FamilyLine>,
}

/// `FAMILY [FLAGS...]` taken whole, to be parsed with the family's own flags.
#[derive(clap::Subcommand)]
pub(crate) enum FamilyLine {
    #[command(external_subcommand)]
    Family(Vec<OsString>),
}

impl FamilyLine {
    /// The named family and the whole line (its first word is the family's name).
    pub(crate) fn family<'a>(
        &'a self,
        registry: &Registry,
    ) -> Result<(&'static dyn Family, &'a [OsString])> {
        let FamilyLine::Family(line) = self;
        let name = line
            .first()
            .and_then(|n| n.to_str())
            .context("the family name is not UTF-8")?;
        Ok((registry.get(name)?, line))
    }
}

pub fn run(registry: &Registry, args: Args) -> Result<ExitCode> {
    if args.list {
        print!("{}", listing(registry));
        return Ok(ExitCode::SUCCESS);
    }
    let Some(family_line) = &args.family else {
        bail!("name a family (e.g. `longforge generate needlebench --task single --out DIR`), or pass --list");
    };
    let (family, line) = family_line.family(registry)?;
    let name = family.name();
    let matches = match command(family).try_get_matches_from(line) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return Ok(ExitCode::from(e.exit_code() as u8));
        }
    };
    let out: PathBuf = matches
        .get_one::<PathBuf>("out")
        .cloned()
        .context("pass --out DIR, the folder to write the dataset to")?;
    let (params, mut inputs) = params_from(
        family,
        COMMON_PARAMS.iter().chain(family.params()),
        &matches,
    )?;
    if let Some(spec) = matches.get_one::<String>("generator") {
        let store = matches
            .get_one::<PathBuf>("store")
            .cloned()
            .unwrap_or_else(longforge_llm::default_store_path);
        // The store holds the generator's replies, which `verify` reads: --out must spare it.
        crate::paths::refuse_overwriting_inputs(&out, None, std::slice::from_ref(&store))?;
        inputs.asker = Some(crate::asker::open(
            spec,
            Some(store),
            crate::asker::Reach::Server,
        )?);
    } else if matches.get_one::<PathBuf>("store").is_some() {
        bail!("--store keeps a generator's replies; give --generator NAME=URL with it");
    }
    let shard = matches
        .get_one::<String>("shard")
        .map(|s| parse_shard(s))
        .transpose()?;
    let mut progress = Progress::new(&format!("generating {name}"));
    let written = generate_into(
        family,
        params,
        &inputs,
        &out,
        matches.get_flag("force"),
        shard,
        &mut |d, t| progress.update(d, t),
    )?;
    eprintln!(
        "wrote {written} sample{} to {}",
        if written == 1 { "" } else { "s" },
        out.display()
    );
    // A whole generation whose every candidate was set aside (a generator model too weak to
    // quote its book) leaves the folder, with why, but does not pass for a dataset. A shard may
    // rightly hold nothing.
    if written == 0 && shard.is_none() {
        eprintln!("no sample was kept: the folder holds only what was set aside, and why");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

/// The command line of one family: the common flags, then the family's.
fn command(family: &dyn Family) -> clap::Command {
    let mut cmd = clap::Command::new(family.name().to_string())
        .bin_name(format!("longforge generate {}", family.name()))
        .about(format!(
            "Generate a {} dataset (generator {}); tasks: {}",
            family.name(),
            family.version(),
            family
                .tasks()
                .iter()
                .map(|t| t.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .arg(
            Arg::new("out")
                .long("out")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Output folder; must not exist or be empty, unless --force"),
        )
        .arg(
            Arg::new("force")
                .long("force")
                .action(ArgAction::SetTrue)
                .help("Replace a non-empty output folder"),
        )
        .arg(
            Arg::new("tokenizer").long("tokenizer").help(
                "cl100k_base (default), o200k_base, or a path to a Hugging Face tokenizer.json",
            ),
        )
        .arg(
            Arg::new("shard")
                .long("shard")
                .value_name("I/N")
                .help("Only shard I of N (1 <= I <= N): the samples a single run places there; join shards with `longforge merge`"),
        )
        .arg(
            Arg::new("generator")
                .long("generator")
                .value_name("NAME=URL")
                .help("The model that writes the questions, for a task written by a model (longspan --book): NAME=BASE_URL[,model=SERVED_NAME][,key_env=VAR]"),
        )
        .arg(
            Arg::new("store")
                .long("store")
                .value_parser(clap::value_parser!(PathBuf))
                .help("The request store the generator's replies are kept in, so a rerun asks nothing (default: $XDG_CACHE_HOME/longforge/requests)"),
        )
        .arg(
            Arg::new("params")
                .long("params")
                .value_parser(clap::value_parser!(PathBuf))
                .help(
                    "A JSON object of parameters (as the manifest records them); flags override it",
                ),
        );
    for p in COMMON_PARAMS.iter().chain(family.params()) {
        cmd = cmd.arg(flag(p));
    }
    cmd
}

pub(crate) fn flag(p: &ParamInfo) -> Arg {
    let arg = Arg::new(p.name)
        .long(p.flag())
        .help(format!("{} [default: {}]", p.help, p.default));
    match p.kind {
        ParamKind::Bool => arg.action(ArgAction::SetTrue),
        // Negative numbers reach the parser, which names the flag, rather than being taken for
        // flags of their own ("unexpected argument '-1'").
        ParamKind::Int => arg
            .value_parser(clap::value_parser!(u64))
            .allow_negative_numbers(true),
        ParamKind::Float => arg.value_parser(finite).allow_negative_numbers(true),
        ParamKind::Text => arg,
        ParamKind::Ints => arg
            .value_parser(clap::value_parser!(u64))
            .value_delimiter(',')
            .allow_negative_numbers(true),
        ParamKind::Floats => arg
            .value_parser(finite)
            .value_delimiter(',')
            .allow_negative_numbers(true),
        ParamKind::Texts => arg.value_delimiter(','),
        ParamKind::File => arg.value_parser(clap::value_parser!(PathBuf)),
    }
}

/// A finite number: `nan` and `inf` are refused here, since JSON cannot carry them.
fn finite(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("`{text}` is not a finite number")),
        Err(e) => Err(format!("`{text}`: {e}")),
    }
}

/// Parameters as JSON, only those given (from `--params`, then flags): the family fills the
/// defaults and checks them. File parameters become inputs, named in the manifest by content.
pub(crate) fn params_from<'a>(
    family: &dyn Family,
    flags: impl Iterator<Item = &'a ParamInfo>,
    m: &ArgMatches,
) -> Result<(Value, Inputs)> {
    let mut params = Map::new();
    let mut inputs = Inputs::default();
    if let Some(path) = m.try_get_one::<PathBuf>("params").ok().flatten() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading --params {}", path.display()))?;
        let Value::Object(given) = serde_json::from_str(&text)
            .with_context(|| format!("--params {}: not JSON", path.display()))?
        else {
            bail!(
                "--params {}: must hold a JSON object of parameters",
                path.display()
            );
        };
        for (key, value) in given {
            let file = family
                .params()
                .iter()
                .any(|p| p.name == key && p.kind == ParamKind::File);
            match (&value, file) {
                (Value::String(p), true) => {
                    inputs.files.insert(key, PathBuf::from(p));
                }
                _ => {
                    params.insert(key, value);
                }
            }
        }
    }
    for p in flags {
        let value = match p.kind {
            ParamKind::Bool => m.get_flag(p.name).then_some(Value::Bool(true)),
            ParamKind::Int => m.get_one::<u64>(p.name).map(|v| (*v).into()),
            ParamKind::Float => m.get_one::<f64>(p.name).map(|v| (*v).into()),
            ParamKind::Text => m.get_one::<String>(p.name).map(|v| v.clone().into()),
            ParamKind::Ints => many::<u64>(m, p.name),
            ParamKind::Floats => many::<f64>(m, p.name),
            ParamKind::Texts => many::<String>(m, p.name),
            ParamKind::File => {
                if let Some(path) = m.get_one::<PathBuf>(p.name) {
                    inputs.files.insert(p.name.to_string(), path.clone());
                }
                None
            }
        };
        if let Some(v) = value {
            params.insert(p.name.to_string(), v);
        }
    }
    match m
        .try_get_one::<String>("tokenizer")
        .ok()
        .flatten()
        .map(String::as_str)
    {
        Some(t @ ("cl100k_base" | "o200k_base")) => {
            params.insert("tokenizer".into(), t.into());
        }
        Some(path) => inputs.tokenizer = Some(TokenizerSpec::parse(path)),
        None => {}
    }
    Ok((Value::Object(params), inputs))
}

fn many<T: Clone + Into<Value> + Send + Sync + 'static>(
    m: &ArgMatches,
    name: &str,
) -> Option<Value> {
    m.get_many::<T>(name)
        .map(|vs| Value::Array(vs.cloned().map(Into::into).collect()))
}

/// `3/8` as (3, 8).
fn parse_shard(text: &str) -> Result<(usize, usize)> {
    let parsed = text
        .split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((i, n)) if i >= 1 && i <= n => Ok((i, n)),
        _ => bail!("--shard {text}: give I/N with 1 <= I <= N, e.g. --shard 3/8"),
    }
}

/// Generates into a staging folder, streaming samples to disk, writes the dataset card beside
/// them, and renames the folder to `out` only when complete: a failure leaves nothing behind.
/// Returns the number of samples.
pub fn generate_into(
    family: &dyn Family,
    params: Value,
    inputs: &Inputs,
    out: &Path,
    force: bool,
    shard: Option<(usize, usize)>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<u64> {
    let resolved = resolve(family, params, inputs)?;
    if inputs.asker.is_some() && resolved.get("generator").is_none() {
        bail!(
            "--generator is for a task a model writes (longspan --book FILE); {} asks no model",
            family.name()
        );
    }
    // The files read (a haystack, a tokenizer) must survive `--out ... --force`.
    let mut read: Vec<PathBuf> = inputs.files.values().cloned().collect();
    if let Some(longforge_datasets::TokenizerSpec::HuggingFace(path)) = &inputs.tokenizer {
        read.push(path.clone());
    }
    crate::paths::refuse_overwriting_inputs(out, None, &read)?;
    let stage = StagedDir::new(out, force)?;
    // Ctrl-C or SIGTERM between two samples removes the staging folder: nothing half-written.
    watch_interrupts();
    let staging = stage.path().to_path_buf();
    let written = write_dataset(
        family,
        &resolved,
        inputs,
        &staging,
        shard,
        None,
        &mut |d, t| {
            stop_if_interrupted(&staging);
            progress(d, t)
        },
    );
    // A family that asks a model before its first sample (longspan --book) stops at Ctrl-C
    // with an error; it ends as any interrupted generation does.
    stop_if_interrupted(&staging);
    let manifest = written?;
    write_card(&staging, family, &inputs.counter(&manifest.tokenizer)?)?;
    stage.commit()?;
    // Files a generation writes beside its samples say what it set aside (rejected questions).
    for f in &manifest.files {
        if !f.name.starts_with("samples.") && !f.name.starts_with("contexts.") {
            let lines = std::fs::read_to_string(out.join(&f.name)).map_or(0, |t| t.lines().count());
            eprintln!(
                "{}: {lines} set aside, each with why",
                out.join(&f.name).display()
            );
        }
    }
    Ok(manifest.counts.get("samples").copied().unwrap_or(0))
}

fn listing(registry: &Registry) -> String {
    let line = |p: &ParamInfo| {
        format!(
            "    --{:<15} {:<28} {}\n",
            p.flag(),
            format!("(default {})", p.default),
            p.help
        )
    };
    let mut out = String::from("common flags:\n");
    for p in COMMON_PARAMS {
        out.push_str(&line(p));
    }
    out.push_str("    --tokenizer       (default cl100k_base)        cl100k_base | o200k_base | path to a tokenizer.json\n");
    out.push_str("    --params FILE.json, --out DIR, --force\n");
    for f in registry.all() {
        out.push_str(&format!(
            "{} (generator {})\n  tasks:\n",
            f.name(),
            f.version()
        ));
        for t in f.tasks() {
            out.push_str(&format!(
                "    {:<16} {} [grid: {}; scored by {}; {}]\n",
                t.name,
                t.summary,
                t.grid,
                t.scorer,
                t.metrics.join(", ")
            ));
        }
        out.push_str("  parameters:\n");
        for p in f.params() {
            out.push_str(&line(p));
        }
    }
    out
}
