//! Asking models: endpoints, the OpenAI-compatible chat client, and the request store that makes
//! every run resumable.
//!
//! Models and the evaluator alike are reached through the chat-completions API that vLLM, SGLang,
//! llama.cpp, Ollama and hosted services serve. A request is fingerprinted by the served model
//! name, the endpoint's revision and the full request body (never the URL or port, so a moved
//! server keeps its answers); the [`Store`] keeps every answer under its fingerprint, and nothing
//! stored is ever asked again.
//!
//! Failures are values, not panics or aborts: a request that still fails after its retries comes
//! back as a [`Failure`] with its cause, and the caller records it.

mod ask;
mod client;
mod concurrent;
mod endpoint;
mod error;
mod request;
mod response;
pub mod runner;
mod store;

pub use ask::{ask, fingerprint_for, Asked};
pub use client::{Answer, Client, ClientOptions, Failure};
pub use concurrent::{for_each_concurrently, OnDone};
pub use endpoint::{Endpoint, ServerKind};
pub use error::LlmError;
pub use request::{ChatRequest, Constraint, Message, Sampling};
pub use response::ChatResponse;
pub use store::{default_store_path, Store, StoredAnswer};
