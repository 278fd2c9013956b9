use std::path::PathBuf;

use anyhow::Result;
use longforge_datasets::{atomic::StagedDir, TokenizerSpec};
use longforge_generators::{Inputs, Registry};
use longforge_reports::write_card;

#[derive(clap::Args)]
pub struct Args {
    /// The shard folders (`generate --shard I/N`), every one of 1 to N, in any order.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// The folder to write: byte-identical to the single run's.
    #[arg(long)]
    out: PathBuf,
    /// Replace a non-empty output folder.
    #[arg(long)]
    force: bool,
    /// The tokenizer.json the shards were counted with, when it was not a built-in one (the
    /// dataset card counts evidence tokens with it).
    #[arg(long)]
    tokenizer: Option<String>,
}

pub fn run(registry: &Registry, args: Args) -> Result<()> {
    crate::paths::refuse_overwriting_inputs(&args.out, None, &args.shards)?;
    let stage = StagedDir::new(&args.out, args.force)?;
    let manifest = longforge_datasets::merge(&args.shards, stage.path())?;
    let family = registry.get(&manifest.generator.name)?;
    let inputs = Inputs {
        tokenizer: args.tokenizer.as_deref().map(TokenizerSpec::parse),
        ..Inputs::default()
    };
    write_card(stage.path(), family, &inputs.counter(&manifest.tokenizer)?)?;
    stage.commit()?;
    eprintln!(
        "merged {} shards, {} samples -> {}",
        args.shards.len(),
        manifest.counts.get("samples").copied().unwrap_or(0),
        args.out.display()
    );
    Ok(())
}
