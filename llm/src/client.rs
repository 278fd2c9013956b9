//! The chat client: one per model name, spreading requests over every endpoint that serves it.
//!
//! - Each endpoint has its own concurrency limit; a request goes to the endpoint with the fewest
//!   requests in flight.
//! - 429, 5xx, time-outs and dropped connections are retried with exponential backoff and full
//!   jitter, never sooner than a `Retry-After` asks; other 4xx replies, replies that are not JSON
//!   and replies without choices are not (asking again would get the same).
//! - After `max_attempts` the request comes back as a [`Failure`] naming its last cause.
//! - The server's dialect is found out on the first request that is really sent, never before,
//!   so a run answered from the store never contacts a server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use longforge_datasets::{derive_seed, SeededRng};
use serde_json::Value;
use tokio::sync::{OnceCell, Semaphore};

use crate::{ChatRequest, ChatResponse, Endpoint, LlmError, ServerKind};

#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Requests in flight per endpoint.
    pub concurrency: usize,
    /// For one attempt, from sending to the last byte of the reply.
    pub timeout: Duration,
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Skip detection and speak this dialect.
    pub server_kind: Option<ServerKind>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            concurrency: 8,
            timeout: Duration::from_secs(600),
            max_attempts: 5,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(60),
            server_kind: None,
        }
    }
}

/// A request that could not be answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub cause: String,
    pub attempts: u32,
}

/// A request that was answered.
#[derive(Debug, Clone)]
pub struct Answer {
    pub response: ChatResponse,
    pub latency_ms: f64,
    pub attempts: u32,
}

struct Route {
    endpoint: Endpoint,
    key: Option<String>,
    permits: Semaphore,
    in_flight: AtomicUsize,
    kind: OnceCell<ServerKind>,
}

pub struct Client {
    http: reqwest::Client,
    routes: Vec<Arc<Route>>,
    options: ClientOptions,
}

enum Attempt {
    Done(Answer),
    /// Worth asking again, after at least this long.
    Retry(String, Option<Duration>),
    Fatal(String),
}

impl Client {
    /// `endpoints` all serve the same model name. Keys are read from their variables now, so a
    /// missing one fails before any work.
    pub fn new(endpoints: Vec<Endpoint>, options: ClientOptions) -> Result<Self, LlmError> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(options.concurrency.max(1) * 2)
            .build()
            .map_err(|e| LlmError::Http(e.to_string()))?;
        let routes = endpoints
            .into_iter()
            .map(|endpoint| {
                let key = endpoint.key()?;
                let kind = OnceCell::new_with(options.server_kind);
                Ok(Arc::new(Route {
                    endpoint,
                    key,
                    permits: Semaphore::new(options.concurrency.max(1)),
                    in_flight: AtomicUsize::new(0),
                    kind,
                }))
            })
            .collect::<Result<Vec<_>, LlmError>>()?;
        if routes.is_empty() {
            return Err(LlmError::Http(
                "a client needs at least one endpoint".into(),
            ));
        }
        Ok(Client {
            http,
            routes,
            options,
        })
    }

    pub fn endpoints(&self) -> impl Iterator<Item = &Endpoint> {
        self.routes.iter().map(|r| &r.endpoint)
    }

    /// Asks until answered or out of attempts.
    pub async fn complete(&self, request: &ChatRequest) -> Result<Answer, Failure> {
        let first = &self.routes[0].endpoint;
        let fingerprint = request.fingerprint(&first.served_model, first.revision.as_deref());
        let mut jitter = SeededRng::new(derive_seed(0, &fingerprint));
        let mut last = String::new();
        for attempt in 1..=self.options.max_attempts.max(1) {
            let route = self.pick();
            route.in_flight.fetch_add(1, Ordering::SeqCst);
            let outcome = {
                let _permit = route.permits.acquire().await;
                self.attempt(&route, request, attempt).await
            };
            route.in_flight.fetch_sub(1, Ordering::SeqCst);
            let wait = match outcome {
                Attempt::Done(answer) => return Ok(answer),
                Attempt::Fatal(cause) => {
                    return Err(Failure {
                        cause,
                        attempts: attempt,
                    })
                }
                Attempt::Retry(cause, retry_after) => {
                    last = cause;
                    retry_after
                }
            };
            if attempt < self.options.max_attempts {
                let exp = self
                    .options
                    .backoff_base
                    .saturating_mul(1u32 << (attempt - 1).min(16));
                let cap = exp.min(self.options.backoff_max);
                let jittered = cap.mul_f64((jitter.next_u64() >> 11) as f64 / (1u64 << 53) as f64);
                let asked = wait
                    .map(|w| w.min(self.options.backoff_max))
                    .unwrap_or_default();
                tokio::time::sleep(jittered.max(asked)).await;
            }
        }
        Err(Failure {
            cause: format!(
                "{last} (gave up after {} attempts)",
                self.options.max_attempts
            ),
            attempts: self.options.max_attempts,
        })
    }

    /// The endpoint with the fewest requests in flight (the first of equals).
    fn pick(&self) -> Arc<Route> {
        self.routes
            .iter()
            .min_by_key(|r| r.in_flight.load(Ordering::SeqCst))
            .cloned()
            .unwrap_or_else(|| self.routes[0].clone())
    }

    async fn attempt(&self, route: &Route, request: &ChatRequest, attempt: u32) -> Attempt {
        let kind = match route
            .kind
            .get_or_try_init(|| detect(&self.http, route, self.options.timeout))
            .await
        {
            Ok(kind) => *kind,
            Err(cause) => return Attempt::Retry(cause, None),
        };
        let url = format!("{}/chat/completions", route.endpoint.base_url);
        let body = request.body(&route.endpoint.served_model, kind);
        let started = Instant::now();
        let mut call = self
            .http
            .post(&url)
            .timeout(self.options.timeout)
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(key) = &route.key {
            call = call.bearer_auth(key);
        }
        let reply = match call.send().await {
            Ok(r) => r,
            Err(e) => return Attempt::Retry(describe(&e, self.options.timeout), None),
        };
        let status = reply.status();
        let retry_after = reply
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        let bytes = match reply.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return Attempt::Retry(
                    format!(
                        "connection dropped while reading the reply: {}",
                        describe(&e, self.options.timeout)
                    ),
                    None,
                )
            }
        };
        if status.as_u16() == 429 || status.is_server_error() {
            return Attempt::Retry(format!("HTTP {status}: {}", head(&bytes)), retry_after);
        }
        if !status.is_success() {
            return Attempt::Fatal(format!("HTTP {status}: {}", head(&bytes)));
        }
        match ChatResponse::parse(&bytes) {
            Ok(response) => Attempt::Done(Answer {
                response,
                latency_ms: started.elapsed().as_secs_f64() * 1e3,
                attempts: attempt,
            }),
            Err(cause) => Attempt::Fatal(cause),
        }
    }

    /// The token count of `text` as llama-cpp-python's server counts it (`/extras/tokenize/count`),
    /// or `None` where the server does not offer it.
    pub async fn server_token_count(&self, text: &str) -> Option<usize> {
        let route = &self.routes[0];
        let url = format!("{}/extras/tokenize/count", root(&route.endpoint.base_url));
        let body = serde_json::json!({"input": text});
        let reply = self
            .http
            .post(url)
            .timeout(self.options.timeout)
            .body(body.to_string())
            .header("content-type", "application/json")
            .send()
            .await
            .ok()?;
        if !reply.status().is_success() {
            return None;
        }
        let v: Value = serde_json::from_slice(&reply.bytes().await.ok()?).ok()?;
        v.get("count").and_then(Value::as_u64).map(|n| n as usize)
    }
}

/// The server root: the base URL without its `/v1`.
fn root(base_url: &str) -> &str {
    base_url.strip_suffix("/v1").unwrap_or(base_url)
}

/// Finds the server's dialect: vLLM says so in `/v1/models` (and its version at `/version`),
/// llama.cpp's server answers `/props`, llama-cpp-python's lists its models as owned by `me`;
/// anything else is taken to be OpenAI-like.
async fn detect(
    http: &reqwest::Client,
    route: &Route,
    timeout: Duration,
) -> Result<ServerKind, String> {
    let get = |url: String| {
        let mut call = http.get(url).timeout(timeout);
        if let Some(key) = &route.key {
            call = call.bearer_auth(key);
        }
        call.send()
    };
    let models: Value = match get(format!("{}/models", route.endpoint.base_url)).await {
        Ok(r) => {
            serde_json::from_slice(&r.bytes().await.unwrap_or_default()).unwrap_or(Value::Null)
        }
        Err(e) => {
            return Err(format!(
                "cannot reach the server: {}",
                describe(&e, timeout)
            ))
        }
    };
    let owners: Vec<&str> = models
        .get("data")
        .and_then(Value::as_array)
        .map(|d| {
            d.iter()
                .filter_map(|m| m.get("owned_by").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let base = root(&route.endpoint.base_url);
    if owners.contains(&"vllm") {
        let version: Value = match get(format!("{base}/version")).await {
            Ok(r) => {
                serde_json::from_slice(&r.bytes().await.unwrap_or_default()).unwrap_or(Value::Null)
            }
            Err(_) => Value::Null,
        };
        let legacy = version
            .get("version")
            .and_then(Value::as_str)
            .and_then(|v| {
                let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
                Some((parts.next()??, parts.next()??))
            })
            .is_some_and(|(major, minor)| (major, minor) < (0, 12));
        return Ok(if legacy {
            ServerKind::VllmLegacy
        } else {
            ServerKind::Vllm
        });
    }
    if let Ok(r) = get(format!("{base}/props")).await {
        if r.status().is_success() {
            return Ok(ServerKind::LlamaCpp);
        }
    }
    if owners.contains(&"me") || owners.contains(&"llamacpp") {
        return Ok(ServerKind::LlamaCpp);
    }
    Ok(ServerKind::OpenAi)
}

/// A transport error in words, without the request (reqwest's messages hold the URL only).
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        format!("timed out after {:.1} s", timeout.as_secs_f64())
    } else if e.is_connect() {
        format!("cannot connect: {}", source_chain(e))
    } else {
        source_chain(e)
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn head(bytes: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(bytes).chars().take(200).collect();
    text.trim().to_string()
}
