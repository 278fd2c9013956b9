//! The generator model a family asks while it writes a dataset (`--generator NAME=URL`): the
//! llm crate's client behind the generators' blocking [`Asker`], every reply kept in the request
//! store, so a rerun, a resumed generation or `verify` asks nothing it has asked before.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Result};
use longforge_generators::{Asker, AskerRef};
use longforge_llm::{
    ask, fingerprint_for, ChatRequest, Client, ClientOptions, Constraint, Message, Sampling, Store,
};
use serde_json::Value;

use crate::progress::interrupted;
use crate::serving::group_endpoints;

/// Tokens a generator may write per reply: room for a few questions with their quotes.
const MAX_TOKENS: u32 = 1_500;

/// Whether an asker may reach its server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Ask what the store does not hold (`generate`).
    Server,
    /// Only read the store (`verify`): a reply it does not hold means the generator or store
    /// given is not the one the dataset was made with, which asking again would hide.
    StoreOnly,
}

struct StoreAsker {
    name: String,
    client: Client,
    store: Store,
    reach: Reach,
    runtime: tokio::runtime::Runtime,
}

impl Asker for StoreAsker {
    fn name(&self) -> &str {
        &self.name
    }

    fn ask(&self, prompt: &str, schema: &Value) -> Result<String, String> {
        let request = ChatRequest {
            messages: vec![Message::user(prompt)],
            // Greedy and seeded: the same prompt gets the same reply where the server allows.
            sampling: Sampling {
                temperature: 0.0,
                top_p: 1.0,
                max_tokens: MAX_TOKENS,
                seed: 0,
            },
            top_logprobs: None,
            constraint: Some(Constraint::JsonSchema(schema.clone())),
        };
        if self.reach == Reach::StoreOnly {
            return match self.store.get(&fingerprint_for(&self.client, &request)) {
                Some(stored) => Ok(stored.response.text),
                None => Err(
                    "the store holds no reply to this request: give the --generator (with its model=) and the --store the dataset was generated with"
                        .into(),
                ),
            };
        }
        if interrupted() {
            return Err("interrupted".into());
        }
        // A request may take minutes: Ctrl-C ends the wait (the reply, if it comes, is lost;
        // those already stored are kept).
        self.runtime.block_on(async {
            tokio::select! {
                asked = ask(&self.client, &self.store, &request) => {
                    asked.map(|a| a.response.text).map_err(|(_, failure)| failure.cause)
                }
                () = until_interrupted() => Err("interrupted".into()),
            }
        })
    }
}

/// Resolves when Ctrl-C or SIGTERM has raised the flag `watch_interrupts` set up.
async fn until_interrupted() {
    while !interrupted() {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The asker for `--generator NAME=URL[,model=...]` with the store at `store` (the default
/// store when `None`).
pub fn open(spec: &str, store: Option<PathBuf>, reach: Reach) -> Result<AskerRef> {
    let groups = group_endpoints(&[spec.to_string()])?;
    let Some((name, endpoints)) = groups.into_iter().next() else {
        bail!("--generator {spec}: give NAME=BASE_URL");
    };
    let dir = store.unwrap_or_else(longforge_llm::default_store_path);
    if reach == Reach::StoreOnly && !dir.is_dir() {
        bail!(
            "--store {}: no request store there; give the store the dataset was generated with",
            dir.display()
        );
    }
    let (store, warnings) = Store::open(&dir)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(AskerRef(Arc::new(StoreAsker {
        name,
        client: Client::new(endpoints, ClientOptions::default())?,
        store,
        reach,
        runtime: tokio::runtime::Runtime::new()?,
    })))
}
