//! Answering a dataset with a model: every sample's prompt as one user turn (or, for an answering
//! system that reads a book in parts, a [`Plan`] of several), answers taken from the store where
//! it has them, asked otherwise, and every outcome recorded as a [`Prediction`].
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

/// What a model is asked for one sample: how an answering system reads the book.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// One prompt; its reply is the answer.
    Ask(String),
    /// A prompt per part of the book (map), each reply a note on that part; then one prompt made
    /// of `reduce.0`, the notes in book order, and `reduce.1`, whose reply is the answer. A map
    /// reply that is only `NONE` (any case, any punctuation) says the part holds nothing and is
    /// left out of the notes.
    MapReduce {
        maps: Vec<String>,
        reduce: (String, String),
    },
}

/// One sample's plan: the id its prediction carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub sample_id: String,
    pub plan: Plan,
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
    let planned = samples
        .iter()
        .map(|s| Planned {
            sample_id: s.id.clone(),
            plan: Plan::Ask(s.prompt.clone()),
        })
        .collect();
    answer_planned(Arc::new(planned), model, store, sampling, on_done).await
}

/// Answers each plan with `model`, as [`answer_all`] does samples: every request through the
/// store, so a rerun (or a resumed map-reduce) asks only what it has not asked before.
pub async fn answer_planned(
    planned: Arc<Vec<Planned>>,
    model: Arc<ModelRun>,
    store: Arc<Store>,
    sampling: Sampling,
    on_done: Arc<dyn Fn(&Prediction) + Send + Sync>,
) -> Vec<Prediction> {
    let indices: Vec<usize> = (0..planned.len()).collect();
    let mut out = for_each_concurrently(
        indices,
        move |index| {
            let (planned, model, store) = (planned.clone(), model.clone(), store.clone());
            async move {
                let p = &planned[index];
                match &p.plan {
                    Plan::Ask(prompt) => {
                        answer_one(&p.sample_id, prompt, &model, &store, sampling).await
                    }
                    Plan::MapReduce { maps, reduce } => {
                        map_reduce(&p.sample_id, maps, reduce, &model, &store, sampling).await
                    }
                }
            }
        },
        on_done,
    )
    .await;
    out.sort_by(|a, b| a.sample_id.cmp(&b.sample_id));
    out
}

/// Asks every map prompt in book order, then the reduce prompt with their notes; the first step
/// that fails or does not fit the context decides the prediction, naming the step.
async fn map_reduce(
    sample_id: &str,
    maps: &[String],
    reduce: &(String, String),
    model: &ModelRun,
    store: &Store,
    sampling: Sampling,
) -> Prediction {
    let mut notes = Vec::new();
    let mut prompt_tokens = 0u64;
    let mut completion_tokens = 0u64;
    let mut latency = 0.0;
    let mut add_usage = |p: &Prediction| {
        let get = |k: &str| {
            p.usage
                .as_ref()
                .and_then(|u| u.get(k))
                .and_then(Value::as_u64)
                .unwrap_or(0)
        };
        prompt_tokens += get("prompt_tokens");
        completion_tokens += get("completion_tokens");
        latency += p.latency_ms.unwrap_or(0.0);
    };
    for (i, prompt) in maps.iter().enumerate() {
        let mut step = answer_one(sample_id, prompt, model, store, sampling).await;
        if step.status != Status::Answered {
            step.error = Some(format!(
                "map step {} of {}: {}",
                i + 1,
                maps.len(),
                step.error.unwrap_or_default()
            ));
            return step;
        }
        add_usage(&step);
        let reply = step.text().trim();
        if !says_none(reply) {
            notes.push(format!("Part {} of {}:\n{reply}", i + 1, maps.len()));
        }
    }
    let notes = if notes.is_empty() {
        "(No part of the book bears on the question.)".to_string()
    } else {
        notes.join("\n\n")
    };
    let prompt = format!("{}{notes}{}", reduce.0, reduce.1);
    let mut last = answer_one(sample_id, &prompt, model, store, sampling).await;
    if last.status != Status::Answered {
        last.error = Some(format!("reduce step: {}", last.error.unwrap_or_default()));
        return last;
    }
    add_usage(&last);
    last.usage = Some(json!({
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "requests": maps.len() + 1,
    }));
    last.latency_ms = Some(latency);
    last
}

/// Whether a map reply says its part holds nothing: `NONE`, alone but for punctuation.
fn says_none(reply: &str) -> bool {
    reply
        .trim_matches(|c: char| !c.is_alphanumeric())
        .eq_ignore_ascii_case("none")
}

async fn answer_one(
    sample_id: &str,
    prompt: &str,
    model: &ModelRun,
    store: &Store,
    sampling: Sampling,
) -> Prediction {
    let request = ChatRequest::user(prompt.to_string(), sampling);
    let fingerprint = fingerprint_for(&model.client, &request);
    let answered = |response: ChatResponse, latency_ms: f64, error: Option<String>| Prediction {
        status: Status::Answered,
        finish_reason: response.finish_reason,
        reasoning: response.reasoning,
        usage: response.usage,
        latency_ms: Some(latency_ms),
        error,
        fingerprint: Some(fingerprint.clone()),
        ..Prediction::answered(sample_id, &model.name, response.text)
    };
    let unanswered = |status: Status, usage: Option<Value>, error: String| Prediction {
        status,
        output: None,
        usage,
        error: Some(error),
        fingerprint: Some(fingerprint.clone()),
        ..Prediction::answered(sample_id, &model.name, "")
    };
    // A prompt that, with `max_tokens`, does not fit the model's context: never sent.
    let too_long = |tokens: usize, how: &str| {
        let limit = model
            .max_context
            .filter(|&limit| tokens + sampling.max_tokens as usize > limit)?;
        Some(unanswered(
            Status::Skipped,
            Some(json!({"prompt_tokens_counted": tokens})),
            format!(
                "skipped for context: prompt {tokens} tokens (counted {how}) + max_tokens {} > max_context {limit}",
                sampling.max_tokens
            ),
        ))
    };
    if let Some(stored) = store.get(&fingerprint) {
        // The stored reply says how many tokens the server counted in the prompt: a context
        // given smaller since skips it, as it would have been skipped had it not been asked.
        let counted = stored
            .response
            .usage
            .as_ref()
            .and_then(|u| u.get("prompt_tokens"))
            .and_then(Value::as_u64);
        if let Some(skipped) =
            counted.and_then(|t| too_long(t as usize, "by the server when it was asked"))
        {
            return skipped;
        }
        return answered(stored.response, stored.latency_ms, None);
    }
    if model.max_context.is_some() {
        let (tokens, how) = match &model.tokenizer {
            Some(t) => (t.count(prompt).ok(), t.name().to_string()),
            None => match model.client.server_token_count(prompt).await {
                Some(n) => (Some(n), "the server".to_string()),
                None => {
                    let n = TokenCounter::load(&TokenizerSpec::Cl100kBase)
                        .ok()
                        .and_then(|c| c.count(prompt).ok());
                    (
                        n.map(|n| (n as f64 * (1.0 + UNKNOWN_TOKENIZER_MARGIN)).ceil() as usize),
                        format!("cl100k_base + {:.0}%", UNKNOWN_TOKENIZER_MARGIN * 100.0),
                    )
                }
            },
        };
        if let Some(skipped) = tokens.and_then(|t| too_long(t, &format!("with {how}"))) {
            return skipped;
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

#[cfg(test)]
mod tests {
    use super::says_none;

    #[test]
    fn only_a_bare_none_says_a_part_holds_nothing() {
        for none in ["NONE", "none.", "  **None**  ", "\"NONE\""] {
            assert!(says_none(none), "{none}");
        }
        for some in ["None of them met.", "Nora gave it away; none else", ""] {
            assert!(!says_none(some), "{some}");
        }
    }
}
