//! One request through the store: answered from it when it holds the fingerprint, asked and
//! stored otherwise, and asked once when identical requests are in flight together. `run`,
//! `judge` and `grade` all ask this way, so every one of them resumes and none pays twice.

use crate::{ChatRequest, ChatResponse, Client, Failure, Store, StoredAnswer};

/// An answered request.
#[derive(Debug, Clone)]
pub struct Asked {
    pub response: ChatResponse,
    pub latency_ms: f64,
    pub fingerprint: String,
    /// True when the answer came from the store and nothing was sent.
    pub from_store: bool,
    /// Set when the answer arrived but could not be stored (it is still returned).
    pub store_error: Option<String>,
}

/// The fingerprint `request` has for `client`: its first endpoint's served model and revision.
pub fn fingerprint_for(client: &Client, request: &ChatRequest) -> String {
    let (served, revision) = client
        .endpoints()
        .next()
        .map(|e| (e.served_model.clone(), e.revision.clone()))
        .unwrap_or_default();
    request.fingerprint(&served, revision.as_deref())
}

/// Asks `request` unless the store has it. A failure is not stored, so a rerun asks it again.
pub async fn ask(
    client: &Client,
    store: &Store,
    request: &ChatRequest,
) -> Result<Asked, (String, Failure)> {
    let fingerprint = fingerprint_for(client, request);
    let from_store = |stored: StoredAnswer, fingerprint: String| Asked {
        response: stored.response,
        latency_ms: stored.latency_ms,
        fingerprint,
        from_store: true,
        store_error: None,
    };
    if let Some(stored) = store.get(&fingerprint) {
        return Ok(from_store(stored, fingerprint));
    }
    let flight = store.flight(&fingerprint);
    let _asking = flight.lock().await;
    // An identical request may have been answered while this one waited.
    if let Some(stored) = store.get(&fingerprint) {
        return Ok(from_store(stored, fingerprint));
    }
    match client.complete(request).await {
        Ok(answer) => {
            let served = client
                .endpoints()
                .next()
                .map(|e| e.served_model.clone())
                .unwrap_or_default();
            let stored = StoredAnswer {
                fingerprint: fingerprint.clone(),
                served_model: served,
                response: answer.response,
                latency_ms: answer.latency_ms,
            };
            let store_error = store.put(stored.clone()).err().map(|e| e.to_string());
            Ok(Asked {
                response: stored.response,
                latency_ms: stored.latency_ms,
                fingerprint,
                from_store: false,
                store_error,
            })
        }
        Err(failure) => Err((fingerprint, failure)),
    }
}
