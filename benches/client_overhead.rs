//! Client overhead: requests per second at 64 in flight against a loopback server that answers
//! instantly, longforge's client beside the Python `openai` package's `AsyncOpenAI` in the same
//! run, against the same server. Run through `just bench` (it makes the venv with `openai`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use longforge_llm::{ChatRequest, Client, ClientOptions, Endpoint, Message, Sampling, ServerKind};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const CONCURRENCY: usize = 64;
const RUST_REQUESTS: usize = 40_000;
const PYTHON_REQUESTS: usize = 5_000;
const REPLY: &str = r#"{"id":"x","object":"chat.completion","created":0,"model":"instant","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"#;

fn main() {
    let python = std::env::var("LONGFORGE_BENCH_PYTHON").unwrap_or_else(|_| {
        eprintln!(
            "LONGFORGE_BENCH_PYTHON is not set: run `just bench`, which makes the venv with openai"
        );
        std::process::exit(2);
    });
    // The server gets a runtime (and thread) of its own, so both clients meet the same server.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let url = server.block_on(serve());

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let endpoint = Endpoint::parse(&format!("instant={url}")).expect("endpoint");
    let options = ClientOptions {
        concurrency: CONCURRENCY,
        server_kind: Some(ServerKind::OpenAi),
        timeout: Duration::from_secs(30),
        ..ClientOptions::default()
    };
    let client = Arc::new(Client::new(vec![endpoint], options).expect("client"));
    let request = Arc::new(ChatRequest {
        messages: vec![Message::user("hi")],
        sampling: Sampling {
            max_tokens: 16,
            ..Sampling::default()
        },
        top_logprobs: None,
        constraint: None,
    });
    let rust_rate = client_rt.block_on(async {
        run(&client, &request, CONCURRENCY).await; // warm the pool
        let start = Instant::now();
        run(&client, &request, RUST_REQUESTS).await;
        RUST_REQUESTS as f64 / start.elapsed().as_secs_f64()
    });

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/client_overhead.py");
    let out = std::process::Command::new(&python)
        .args([
            script,
            &url,
            &PYTHON_REQUESTS.to_string(),
            &CONCURRENCY.to_string(),
        ])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "python client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("python prints JSON");
    let python_rate = report["per_second"].as_f64().unwrap_or(f64::NAN);
    println!("| client | requests | requests/s at {CONCURRENCY} in flight |");
    println!("|---|---:|---:|");
    println!("| longforge-llm (1 tokio worker) | {RUST_REQUESTS} | {rust_rate:.0} |");
    println!(
        "| openai AsyncOpenAI ({}) | {PYTHON_REQUESTS} | {python_rate:.0} |",
        report
            .get("version")
            .and_then(|v| v.as_str())
            .unwrap_or("python")
    );
    println!("\nlongforge / python: {:.1}x", rust_rate / python_rate);
}

async fn run(client: &Arc<Client>, request: &Arc<ChatRequest>, n: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (client, request) = (client.clone(), request.clone());
        tasks.spawn(async move { client.complete(&request).await.map(|a| a.response.text) });
    }
    while let Some(done) = tasks.join_next().await {
        let text = done.expect("task").expect("answered");
        assert_eq!(text, "ok");
    }
}

/// HTTP/1.1 with keep-alive; answers every request with the same completion.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                let response = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{REPLY}", REPLY.len());
                let mut line = String::new();
                loop {
                    let mut length = 0usize;
                    loop {
                        line.clear();
                        match reader.read_line(&mut line).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if line.len() > 15 && line[..15].eq_ignore_ascii_case("content-length:") {
                            length = line[15..].trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0u8; length];
                    if reader.read_exact(&mut body).await.is_err()
                        || write.write_all(response.as_bytes()).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    url
}
