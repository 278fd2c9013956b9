//! Answering a dataset with a model: every sample's prompt as one user turn, answers taken from
//! the store where it has them, asked otherwise, and every outcome recorded as a [`Prediction`].
//!
//! A sample whose prompt and `max_tokens` do not fit the model's context is recorded as skipped
//! and never sent. The prompt is counted with the endpoint's tokenizer; without one, by the
//! server where it can count (llama-cpp-python), else with `cl100k_base` plus a safety margin of
//! [`UNKNOWN_TOKENIZER_MARGIN`], since another model's tokenizer may count more.

use std::sync::Arc;

use longforge_datasets::{Prediction, Sample, Status, TokenCounter, TokenizerSpec};
use serde_json::{json, Value};

use crate::{
    ask, fingerprint_for, for_each_concurrently, ChatRequest, ChatResponse, Client, LlmError,
    Sampling, Store,
};

/// Added to a `cl100k_base` count when the model's own tokenizer is unknown.
pub const UNKNOWN_TOKENIZER_MARGIN: f64 = 0.25;

/// One model to run: its name in predictions, its client, and how its prompts are counted.
pub struct ModelRun {
    pub name: String,
    pub client: Client,
    pub max_context: Option<usize>,
    /// The endpoint's tokenizer, if it names one.
    pub tokenizer: Option<TokenCounter>,
}

impl ModelRun {
    pub fn new(name: String, client: Client) -> Result<Self, LlmError> {
        let first = client.endpoints().next().cloned();
        let max_context = first.as_ref().and_then(|e| e.max_context);
        let tokenizer =
            match first.as_ref().and_then(|e| e.tokenizer.clone()) {
                Some(spec) => Some(TokenCounter::load(&TokenizerSpec::parse(&spec)).map_err(
                    |e| LlmError::Endpoint {
                        spec: name.clone(),
                        message: e.to_string(),
                    },
                )?),
                None => None,
            };
        Ok(ModelRun {
            name,
            client,
            max_context,
            tokenizer,
        })
    }
}

/// The request a sample becomes.
pub fn request_for(sample: &Sample, sampling: Sampling) -> ChatRequest {
    ChatRequest::user(sample.prompt.clone(), sampling)
}

/// Answers `samples` with `model`; `on_done` is called once per sample (for progress). Dropping
/// the returned future (on Ctrl-C) aborts every request still in flight.
pub async fn answer_all(
    samples: Arc<Vec<Sample>>,
    model: Arc<ModelRun>,
    store: Arc<Store>,
    sampling: Sampling,
    on_done: Arc<dyn Fn(&Prediction) + Send + Sync>,
) -> Vec<Prediction> {
    let indices: Vec<usize> = (0..samples.len()).collect();
    let mut out = for_each_concurrently(
        indices,
        move |index| {
            let (samples, model, store) = (samples.clone(), model.clone(), store.clone());
            async move { answer_one(&samples[index], &model, &store, sampling).await }
        },
        on_done,
    )
    .await;
    out.sort_by(|a, b| a.sample_id.cmp(&b.sample_id));
    out
}

async fn answer_one(
    sample: &Sample,
    model: &ModelRun,
    store: &Store,
    sampling: Sampling,
) -> Prediction {
    let request = request_for(sample, sampling);
    let fingerprint = fingerprint_for(&model.client, &request);
    let answered = |response: ChatResponse, latency_ms: f64, error: Option<String>| Prediction {
        status: Status::Answered,
        finish_reason: response.finish_reason,
        reasoning: response.reasoning,
        usage: response.usage,
        latency_ms: Some(latency_ms),
        error,
        fingerprint: Some(fingerprint.clone()),
        ..Prediction::answered(&sample.id, &model.name, response.text)
    };
    let unanswered = |status: Status, usage: Option<Value>, error: String| Prediction {
        status,
        output: None,
        usage,
        error: Some(error),
        fingerprint: Some(fingerprint.clone()),
        ..Prediction::answered(&sample.id, &model.name, "")
    };
    if let Some(stored) = store.get(&fingerprint) {
        return answered(stored.response, stored.latency_ms, None);
    }
    if let Some(limit) = model.max_context {
        let (tokens, how) = match &model.tokenizer {
            Some(t) => (t.count(&sample.prompt).ok(), t.name().to_string()),
            None => match model.client.server_token_count(&sample.prompt).await {
                Some(n) => (Some(n), "the server".to_string()),
                None => {
                    let n = TokenCounter::load(&TokenizerSpec::Cl100kBase)
                        .ok()
                        .and_then(|c| c.count(&sample.prompt).ok());
                    (
                        n.map(|n| (n as f64 * (1.0 + UNKNOWN_TOKENIZER_MARGIN)).ceil() as usize),
                        format!("cl100k_base + {:.0}%", UNKNOWN_TOKENIZER_MARGIN * 100.0),
                    )
                }
            },
        };
        if let Some(tokens) = tokens {
            if tokens + sampling.max_tokens as usize > limit {
                let why = format!(
                    "skipped for context: prompt {tokens} tokens (counted with {how}) + max_tokens {} > max_context {limit}",
                    sampling.max_tokens
                );
                return unanswered(
                    Status::Skipped,
                    Some(json!({"prompt_tokens_counted": tokens})),
                    why,
                );
            }
        }
    }
    match ask(&model.client, store, &request).await {
        Ok(asked) => answered(
            asked.response,
            asked.latency_ms,
            asked
                .store_error
                .map(|e| format!("answered, but not stored: {e}")),
        ),
        Err((_, failure)) => unanswered(Status::Failed, None, failure.cause),
    }
}
