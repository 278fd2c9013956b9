//! The request store: every answer a model gave, under the fingerprint of the request, in one
//! append-only JSON Lines file per store folder.
//!
//! Why a JSON Lines file rather than SQLite: appends are one `write` of one line to a file opened
//! for appending, so a `kill -9` can lose only the lines being written and can tear at most the
//! last one; a torn line is detected on open, reported and skipped, and the next append starts on
//! a fresh line. The file is readable with any JSON tool, needs no C library, and a store is
//! loaded once per run into a hash map (a million answers is a few hundred MB at most).
//! Failures are not stored, so a rerun asks again exactly what failed.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use serde::{Deserialize, Serialize};

use crate::{ChatResponse, LlmError};

const FILE: &str = "answers.jsonl";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAnswer {
    pub fingerprint: String,
    pub served_model: String,
    pub response: ChatResponse,
    pub latency_ms: f64,
}

pub struct Store {
    path: PathBuf,
    answers: RwLock<HashMap<String, StoredAnswer>>,
    file: Mutex<std::fs::File>,
    /// One lock per fingerprint being asked, so identical requests in flight at the same time
    /// (two showings whose answers are the same text, say) are sent once.
    flights: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// `$XDG_CACHE_HOME/longforge/requests`, else `~/.cache/longforge/requests`.
pub fn default_store_path() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    base.join("longforge").join("requests")
}

impl Store {
    /// Opens (or creates) the store in folder `dir`. Returns the store and a warning for each
    /// line that could not be read (a torn last line from an interrupted run, say).
    pub fn open(dir: &Path) -> Result<(Self, Vec<String>), LlmError> {
        let path = dir.join(FILE);
        let err = |message: String| LlmError::Store {
            path: path.clone(),
            message,
        };
        std::fs::create_dir_all(dir).map_err(|e| err(format!("cannot create the folder: {e}")))?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(|e| err(format!("cannot open: {e}")))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| err(format!("cannot read: {e}")))?;
        let mut answers = HashMap::new();
        let mut warnings = Vec::new();
        let torn = !bytes.is_empty() && !bytes.ends_with(b"\n");
        let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        let complete = lines.len().saturating_sub(1); // the piece after the last newline
        for (i, line) in lines.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            if i == complete && torn {
                warnings.push(format!(
                    "{}: the last line ({} bytes) was cut off by an interrupted run; skipped, its request will be asked again",
                    path.display(),
                    line.len()
                ));
                continue;
            }
            match serde_json::from_slice::<StoredAnswer>(line) {
                Ok(a) => {
                    answers.insert(a.fingerprint.clone(), a);
                }
                Err(e) => warnings.push(format!(
                    "{}:{}: unreadable answer skipped ({e})",
                    path.display(),
                    i + 1
                )),
            }
        }
        if torn {
            // Close the torn line so the next answer starts on a line of its own.
            file.write_all(b"\n")
                .map_err(|e| err(format!("cannot append: {e}")))?;
        }
        Ok((
            Store {
                path,
                answers: RwLock::new(answers),
                file: Mutex::new(file),
                flights: Mutex::new(HashMap::new()),
            },
            warnings,
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn len(&self) -> usize {
        self.answers.read().map(|a| a.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lock to hold while asking `fingerprint`: whoever holds it asks; whoever waited for it
    /// finds the answer stored (or, after a failure, asks in turn).
    pub(crate) fn flight(&self, fingerprint: &str) -> Arc<tokio::sync::Mutex<()>> {
        match self.flights.lock() {
            Ok(mut f) => f.entry(fingerprint.to_string()).or_default().clone(),
            // A panicked holder only costs the deduplication, never an answer.
            Err(_) => Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    pub fn get(&self, fingerprint: &str) -> Option<StoredAnswer> {
        self.answers.read().ok()?.get(fingerprint).cloned()
    }

    /// Appends one answer as one line, in one write.
    pub fn put(&self, answer: StoredAnswer) -> Result<(), LlmError> {
        let mut line = serde_json::to_vec(&answer).map_err(|e| LlmError::Store {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        line.push(b'\n');
        {
            let mut file = self.file.lock().map_err(|_| LlmError::Store {
                path: self.path.clone(),
                message: "a writer panicked".into(),
            })?;
            file.write_all(&line)
                .and_then(|_| file.flush())
                .map_err(|e| LlmError::Store {
                    path: self.path.clone(),
                    message: format!("cannot append: {e}"),
                })?;
        }
        if let Ok(mut answers) = self.answers.write() {
            answers.insert(answer.fingerprint.clone(), answer);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(fp: &str) -> StoredAnswer {
        StoredAnswer {
            fingerprint: fp.into(),
            served_model: "m".into(),
            response: ChatResponse {
                text: format!("answer {fp}"),
                logprobs: None,
                usage: None,
                finish_reason: Some("stop".into()),
                reasoning: None,
            },
            latency_ms: 1.5,
        }
    }

    #[test]
    fn answers_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let (store, warnings) = Store::open(dir.path()).unwrap();
        assert!(warnings.is_empty() && store.is_empty());
        store.put(answer("a")).unwrap();
        store.put(answer("b")).unwrap();
        drop(store);
        let (store, warnings) = Store::open(dir.path()).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(store.len(), 2);
        assert_eq!(store.get("b").unwrap().response.text, "answer b");
    }

    #[test]
    fn latencies_round_trip_exactly() {
        // serde_json needs `float_roundtrip` for this; without it 941.538018 came back changed,
        // and a resumed run wrote different bytes.
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path()).unwrap();
        let mut a = answer("f");
        a.latency_ms = 941.538018;
        store.put(a.clone()).unwrap();
        drop(store);
        let (store, _) = Store::open(dir.path()).unwrap();
        assert_eq!(store.get("f").unwrap(), a);
    }

    #[test]
    fn a_torn_last_line_is_reported_skipped_and_closed() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path()).unwrap();
        store.put(answer("a")).unwrap();
        drop(store);
        let path = dir.path().join(FILE);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(br#"{"fingerprint":"b","served_mod"#).unwrap();
        drop(f);
        let (store, warnings) = Store::open(dir.path()).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("cut off"), "{warnings:?}");
        assert_eq!(store.len(), 1);
        store.put(answer("c")).unwrap();
        drop(store);
        let (store, warnings) = Store::open(dir.path()).unwrap();
        assert_eq!(
            warnings.len(),
            1,
            "the torn line stays skipped: {warnings:?}"
        );
        assert!(warnings[0].contains(":2:"), "{warnings:?}");
        assert_eq!(store.len(), 2);
        assert!(store.get("c").is_some());
    }
}
