//! Where a model is served, as the user names it on the command line:
//! `NAME=BASE_URL[,model=SERVED_NAME][,key_env=VAR][,max_context=TOKENS][,tokenizer=NAME_OR_PATH][,revision=TEXT]`.

use serde::{Deserialize, Serialize};

use crate::LlmError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The name predictions are recorded under; several endpoints may share it.
    pub name: String,
    /// Up to and including `/v1`, without a trailing slash.
    pub base_url: String,
    /// The model name the server knows; defaults to `name`.
    pub served_model: String,
    /// The environment variable that holds the API key. The key itself is read when requests
    /// are made and is never written anywhere.
    pub key_env: Option<String>,
    pub max_context: Option<usize>,
    pub tokenizer: Option<String>,
    /// Part of every fingerprint: bump it when the weights behind a served name change.
    pub revision: Option<String>,
}

/// Which dialect of the API a server speaks, for the fields that differ (output constraints).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServerKind {
    /// vLLM 0.12 and later: `structured_outputs`.
    Vllm,
    /// vLLM before 0.12: `guided_choice` / `guided_json`.
    VllmLegacy,
    /// llama.cpp's server and llama-cpp-python's: `response_format` with a `schema`.
    LlamaCpp,
    /// OpenAI and compatible hosted APIs: `response_format` of type `json_schema`.
    OpenAi,
}

impl Endpoint {
    pub fn parse(spec: &str) -> Result<Self, LlmError> {
        let bad = |message: String| LlmError::Endpoint {
            spec: redact(spec),
            message,
        };
        let (name, rest) = spec.split_once('=').ok_or_else(|| {
            bad("write NAME=BASE_URL, e.g. judge=http://127.0.0.1:8000/v1".into())
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad("the name before `=` is empty".into()));
        }
        let mut parts = rest.split(',');
        let base_url = parts
            .next()
            .unwrap_or_default()
            .trim()
            .trim_end_matches('/')
            .to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(bad(format!("`{base_url}` is not an http(s) URL")));
        }
        let mut endpoint = Endpoint {
            name: name.to_string(),
            base_url,
            served_model: name.to_string(),
            key_env: None,
            max_context: None,
            tokenizer: None,
            revision: None,
        };
        for part in parts {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| bad(format!("`{part}` is not KEY=VALUE")))?;
            let value = value.trim().to_string();
            match key.trim() {
                "model" => endpoint.served_model = value,
                "key_env" => endpoint.key_env = Some(value),
                "max_context" => {
                    endpoint.max_context = Some(value.parse().map_err(|_| bad(format!("max_context `{value}` is not a whole number of tokens")))?)
                }
                "tokenizer" => endpoint.tokenizer = Some(value),
                "revision" => endpoint.revision = Some(value),
                other => {
                    return Err(bad(format!(
                        "unknown option `{other}`; use model, key_env, max_context, tokenizer or revision"
                    )))
                }
            }
        }
        Ok(endpoint)
    }

    /// The API key, if the endpoint names a variable; an unset variable is an error so that a
    /// typo does not silently send unauthenticated requests.
    pub fn key(&self) -> Result<Option<String>, LlmError> {
        match &self.key_env {
            None => Ok(None),
            Some(var) => std::env::var(var)
                .map(Some)
                .map_err(|_| LlmError::Endpoint {
                    spec: self.name.clone(),
                    message: format!("key_env names ${var}, which is not set"),
                }),
        }
    }
}

/// Specs never carry keys (only variable names), but a user may paste one by mistake: show at
/// most the name and URL.
fn redact(spec: &str) -> String {
    spec.split(',').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_option() {
        let e = Endpoint::parse("judge=http://127.0.0.1:8000/v1/,model=Qwen/Qwen3-8B,key_env=JUDGE_KEY,max_context=32768,tokenizer=o200k_base,revision=r2").unwrap();
        assert_eq!(e.name, "judge");
        assert_eq!(e.base_url, "http://127.0.0.1:8000/v1");
        assert_eq!(e.served_model, "Qwen/Qwen3-8B");
        assert_eq!(e.key_env.as_deref(), Some("JUDGE_KEY"));
        assert_eq!(e.max_context, Some(32768));
        assert_eq!(e.tokenizer.as_deref(), Some("o200k_base"));
        assert_eq!(e.revision.as_deref(), Some("r2"));
        assert_eq!(Endpoint::parse("m=http://h/v1").unwrap().served_model, "m");
    }

    #[test]
    fn bad_specs_say_what_to_write() {
        for (spec, want) in [
            ("judge", "NAME=BASE_URL"),
            ("j=ftp://x", "not an http(s) URL"),
            ("j=http://x,temperature=1", "unknown option `temperature`"),
            ("j=http://x,max_context=lots", "not a whole number"),
            ("=http://x", "empty"),
        ] {
            let err = Endpoint::parse(spec).unwrap_err().to_string();
            assert!(err.contains(want), "{spec}: {err}");
        }
    }
}
