//! A loopback chat-completions server for the end-to-end tests: answers every request with
//! `\boxed{x}` after a delay, or as a test scripts it, keeping the header lines it saw and
//! counting chat requests.
// Each test file uses a different part of it.
#![allow(dead_code)]

pub mod cli;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
pub struct Seen {
    pub headers: Mutex<Vec<String>>,
    chats: AtomicUsize,
}

impl Seen {
    /// POSTs to `/chat/completions` so far (token-count requests are not counted).
    pub fn chats(&self) -> usize {
        self.chats.load(Ordering::SeqCst)
    }
}

/// A server that answers every chat request with `\boxed{x}` after `delay`.
pub fn chat_server(delay: Duration) -> (String, Arc<Seen>) {
    serve(delay, |_| {
        serde_json::json!({
            "choices": [{"message": {"role": "assistant", "content": "\\boxed{x}"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1},
        })
    })
}

/// A server whose reply body `respond` makes from the request body.
pub fn scripted_server(
    respond: fn(&serde_json::Value) -> serde_json::Value,
) -> (String, Arc<Seen>) {
    serve(Duration::ZERO, respond)
}

fn serve(
    delay: Duration,
    respond: fn(&serde_json::Value) -> serde_json::Value,
) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut stream = stream;
                loop {
                    let (mut length, mut chat) = (0usize, false);
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        chat |= line.starts_with("POST ") && line.contains("/chat/completions");
                        log.headers.lock().unwrap().push(line.trim().to_string());
                        if let Some(v) = line.to_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    if chat {
                        log.chats.fetch_add(1, Ordering::SeqCst);
                    }
                    std::thread::sleep(delay);
                    let request: serde_json::Value =
                        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
                    let reply = respond(&request).to_string();
                    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", reply.len());
                    if stream
                        .write_all(head.as_bytes())
                        .and_then(|_| stream.write_all(reply.as_bytes()))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}
