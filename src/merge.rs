use std::path::PathBuf;

use anyhow::Result;
use longforge_datasets::atomic::StagedDir;

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
}

pub fn run(args: Args) -> Result<()> {
    let stage = StagedDir::new(&args.out, args.force)?;
    let manifest = longforge_datasets::merge(&args.shards, stage.path())?;
    stage.commit()?;
    eprintln!(
        "merged {} shards, {} samples -> {}",
        args.shards.len(),
        manifest.counts.get("samples").copied().unwrap_or(0),
        args.out.display()
    );
    Ok(())
}
