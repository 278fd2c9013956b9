//! What `run`, `judge` and `grade` share about reaching models: endpoint specs grouped by name,
//! client options, the request store, and a progress bar.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use longforge_llm::{default_store_path, ClientOptions, Endpoint, Sampling, ServerKind, Store};

/// `--server-kind`: how output constraints are written; auto asks the server.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ServerKindArg {
    Auto,
    Vllm,
    VllmLegacy,
    Llamacpp,
    Openai,
}

#[derive(clap::Args, Clone)]
pub struct ServerArgs {
    /// The request store folder (default: $XDG_CACHE_HOME/longforge/requests).
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// auto asks the server on the first request that is really sent.
    #[arg(long, value_enum, default_value_t = ServerKindArg::Auto)]
    pub server_kind: ServerKindArg,
    /// Requests in flight per endpoint.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Seconds for one attempt.
    #[arg(long, default_value_t = 600.0)]
    pub timeout: f64,
    #[arg(long, default_value_t = 5)]
    pub max_attempts: u32,
}

impl ServerArgs {
    pub fn server_kind(&self) -> Option<ServerKind> {
        match self.server_kind {
            ServerKindArg::Auto => None,
            ServerKindArg::Vllm => Some(ServerKind::Vllm),
            ServerKindArg::VllmLegacy => Some(ServerKind::VllmLegacy),
            ServerKindArg::Llamacpp => Some(ServerKind::LlamaCpp),
            ServerKindArg::Openai => Some(ServerKind::OpenAi),
        }
    }

    pub fn client_options(&self) -> ClientOptions {
        ClientOptions {
            concurrency: self.concurrency,
            timeout: Duration::from_secs_f64(self.timeout),
            max_attempts: self.max_attempts,
            server_kind: self.server_kind(),
            ..ClientOptions::default()
        }
    }

    /// The store's folder: `--store`, or the default.
    pub fn store_dir(&self) -> PathBuf {
        self.store.clone().unwrap_or_else(default_store_path)
    }

    /// Opens the store, printing what was repaired in it.
    pub fn open_store(&self) -> Result<Store> {
        let dir = self.store.clone().unwrap_or_else(default_store_path);
        let (store, warnings) = Store::open(&dir)?;
        for w in warnings {
            eprintln!("warning: {w}");
        }
        Ok(store)
    }
}

/// How the evaluator samples, for `judge` and `grade` (top_p is 1: the temperature says it).
#[derive(clap::Args, Clone)]
pub struct EvaluatorSampling {
    #[arg(long, default_value_t = 0.0)]
    pub temperature: f64,
    #[arg(long, default_value_t = 1024)]
    pub max_tokens: u32,
    /// Seeds the evaluator's sampling (and, for `judge`, the draw of --pairs-per-question).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Refuses sampling a server would not read as meant: a temperature that is not a number from 0
/// to 2 (OpenAI's range; NaN would be sent as null, and the server's default used), a top_p
/// outside (0, 1], or no tokens to write.
pub fn check_sampling(s: &Sampling) -> Result<()> {
    if !(0.0..=2.0).contains(&s.temperature) {
        anyhow::bail!(
            "--temperature {} must be a number from 0 to 2",
            s.temperature
        );
    }
    if !(s.top_p > 0.0 && s.top_p <= 1.0) {
        anyhow::bail!("--top-p {} must be above 0 and at most 1", s.top_p);
    }
    if s.max_tokens == 0 {
        anyhow::bail!("--max-tokens must be at least 1");
    }
    Ok(())
}

impl EvaluatorSampling {
    pub fn sampling(&self) -> Sampling {
        Sampling {
            temperature: self.temperature,
            top_p: 1.0,
            max_tokens: self.max_tokens,
            seed: self.seed,
        }
    }
}

/// Endpoint specs grouped by model name; one name with several URLs spreads its requests.
pub fn group_endpoints(specs: &[String]) -> Result<BTreeMap<String, Vec<Endpoint>>> {
    let mut groups: BTreeMap<String, Vec<Endpoint>> = BTreeMap::new();
    for spec in specs {
        let e = Endpoint::parse(spec)?;
        groups.entry(e.name.clone()).or_default().push(e);
    }
    Ok(groups)
}

pub fn progress_bar(name: &str, len: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{prefix} [{bar:30}] {pos}/{len} {per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(name.to_string());
    bar
}

/// Runs the asking work that `start` builds, with a progress bar of `total` steps advanced by
/// the callback `start` is given, until it finishes or Ctrl-C comes first. On Ctrl-C the work is
/// dropped (aborting requests in flight), the user is told that every `what` received so far is
/// in the store, and None comes back.
pub fn until_interrupted<T, R, F>(
    runtime: &tokio::runtime::Runtime,
    name: &str,
    total: usize,
    store: &Store,
    what: &str,
    start: impl FnOnce(Arc<dyn Fn(&T) + Send + Sync>) -> F,
) -> Option<R>
where
    T: 'static,
    F: Future<Output = R>,
{
    let bar = progress_bar(name, total);
    let on_done = {
        let bar = bar.clone();
        Arc::new(move |_: &T| bar.inc(1))
    };
    let work = start(on_done);
    let done = runtime.block_on(async {
        tokio::select! {
            done = work => Some(done),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    bar.finish_and_clear();
    if done.is_none() {
        eprintln!(
            "interrupted: every {what} received so far is in {}; run the same command again to resume",
            store.path().display()
        );
    }
    done
}
