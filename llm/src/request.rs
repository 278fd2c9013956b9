//! A chat request, independent of the server that will answer it: its body is rendered per
//! server dialect when it is sent, and its fingerprint never depends on the dialect, the URL or
//! the port.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::ServerKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn user(content: impl Into<String>) -> Self {
        Message {
            role: "user".into(),
            content: content.into(),
        }
    }
}

/// Every sampling field is sent explicitly: servers fill missing ones from the model's own
/// generation config (vLLM) or from their own defaults (llama.cpp: temperature 0.8, a random
/// seed), which would make a run depend on the server.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sampling {
    pub temperature: f64,
    pub top_p: f64,
    pub max_tokens: u32,
    pub seed: u64,
}

impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            temperature: 0.0,
            top_p: 1.0,
            max_tokens: 512,
            seed: 0,
        }
    }
}

/// What the output must look like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// A JSON value matching this schema.
    JsonSchema(Value),
    /// Exactly one of these strings.
    Choice(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    pub sampling: Sampling,
    /// Ask for log-probabilities with this many alternatives per token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_logprobs: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<Constraint>,
}

impl ChatRequest {
    /// One user turn, no log-probabilities and no output constraint: how `run`, `grade` and a
    /// scorer that asks a model put their prompts.
    pub fn user(prompt: impl Into<String>, sampling: Sampling) -> Self {
        ChatRequest {
            messages: vec![Message::user(prompt.into())],
            sampling,
            top_logprobs: None,
            constraint: None,
        }
    }

    /// SHA-256 of the served model name, the revision and this request, as canonical JSON.
    pub fn fingerprint(&self, served_model: &str, revision: Option<&str>) -> String {
        let canonical = json!({"model": served_model, "revision": revision, "request": self});
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }

    /// The body sent to `/chat/completions` on a server of `kind`.
    pub fn body(&self, served_model: &str, kind: ServerKind) -> Value {
        let mut body = json!({
            "model": served_model,
            "messages": self.messages,
            "temperature": self.sampling.temperature,
            "top_p": self.sampling.top_p,
            "max_tokens": self.sampling.max_tokens,
            "seed": self.sampling.seed,
            "stream": false,
        });
        if let Some(n) = self.top_logprobs {
            body["logprobs"] = json!(true);
            body["top_logprobs"] = json!(n);
        }
        match (&self.constraint, kind) {
            (None, _) => {}
            (Some(Constraint::Choice(options)), ServerKind::Vllm) => {
                body["structured_outputs"] = json!({"choice": options});
            }
            (Some(Constraint::Choice(options)), ServerKind::VllmLegacy) => {
                body["guided_choice"] = json!(options);
            }
            (Some(Constraint::JsonSchema(schema)), ServerKind::Vllm) => {
                body["structured_outputs"] = json!({"json": schema});
            }
            (Some(Constraint::JsonSchema(schema)), ServerKind::VllmLegacy) => {
                body["guided_json"] = schema.clone();
            }
            (Some(c), ServerKind::LlamaCpp) => {
                body["response_format"] = json!({"type": "json_object", "schema": schema_of(c)});
            }
            (Some(c), ServerKind::OpenAi) => {
                body["response_format"] = json!({
                    "type": "json_schema",
                    "json_schema": {"name": "answer", "schema": schema_of(c), "strict": true},
                });
            }
        }
        body
    }
}

/// A choice, where a server has no choice constraint, is a JSON string from a fixed set.
fn schema_of(c: &Constraint) -> Value {
    match c {
        Constraint::JsonSchema(s) => s.clone(),
        Constraint::Choice(options) => json!({"type": "string", "enum": options}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> ChatRequest {
        ChatRequest {
            messages: vec![Message::user("Which is better?")],
            sampling: Sampling::default(),
            top_logprobs: Some(20),
            constraint: Some(Constraint::Choice(vec!["1".into(), "2".into()])),
        }
    }

    #[test]
    fn fingerprint_depends_on_model_revision_and_body_only() {
        let r = request();
        let a = r.fingerprint("m", None);
        assert_eq!(a, r.fingerprint("m", None));
        assert_ne!(a, r.fingerprint("m2", None));
        assert_ne!(a, r.fingerprint("m", Some("r1")));
        let mut hotter = r.clone();
        hotter.sampling.temperature = 0.7;
        assert_ne!(a, hotter.fingerprint("m", None));
    }

    #[test]
    fn every_sampling_field_is_sent_and_constraints_follow_the_dialect() {
        let r = request();
        let body = r.body("m", ServerKind::LlamaCpp);
        for key in ["temperature", "top_p", "max_tokens", "seed"] {
            assert!(body.get(key).is_some(), "{key} missing");
        }
        assert_eq!(body["top_logprobs"], 20);
        assert_eq!(body["response_format"]["schema"]["enum"], json!(["1", "2"]));
        assert_eq!(
            r.body("m", ServerKind::Vllm)["structured_outputs"]["choice"],
            json!(["1", "2"])
        );
        assert_eq!(
            r.body("m", ServerKind::VllmLegacy)["guided_choice"],
            json!(["1", "2"])
        );
        assert_eq!(
            r.body("m", ServerKind::OpenAi)["response_format"]["type"],
            "json_schema"
        );
    }
}
