//! The client against a loopback server that misbehaves on purpose: 500s, 429 with Retry-After,
//! a hang past the time-out, a connection closed mid-body, invalid JSON, empty choices, and no
//! server at all. Every request ends answered or as a failure naming its cause.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use longforge_datasets::{Reference, Sample};
use longforge_llm::runner::{answer_all, ModelRun};
use longforge_llm::{
    ask, ChatRequest, Client, ClientOptions, Endpoint, Message, Sampling, ServerKind, Store,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const OK_BODY: &str = r#"{"choices":[{"message":{"role":"assistant","content":"\\boxed{fine}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}"#;

#[derive(Clone)]
enum Reply {
    Status(u16, &'static str, String),
    /// A normal answer, after a pause.
    Slow(Duration),
    Hang,
    CutBody,
}

fn ok() -> Reply {
    Reply::Status(200, "", OK_BODY.to_string())
}

/// Serves `script(n)` for the n-th request (0-based) until the test ends; returns the base URL
/// and the request counter.
async fn serve(
    script: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let (script, counter) = (Arc::new(script), count.clone());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (script, counter) = (script.clone(), counter.clone());
            tokio::spawn(async move { handle(stream, script, counter).await });
        }
    });
    (url, count)
}

async fn handle(
    mut stream: TcpStream,
    script: Arc<dyn Fn(usize) -> Reply + Send + Sync>,
    counter: Arc<AtomicUsize>,
) {
    loop {
        // Read one request: headers, then Content-Length bytes of body.
        let mut buf = Vec::new();
        let mut byte = [0u8; 1];
        while !buf.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte).await {
                Ok(1) => buf.push(byte[0]),
                _ => return,
            }
        }
        let head = String::from_utf8_lossy(&buf).to_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("content-length:")
                    .map(|v| v.trim().parse().unwrap_or(0))
            })
            .unwrap_or(0);
        let mut body = vec![0u8; length];
        if stream.read_exact(&mut body).await.is_err() {
            return;
        }
        let n = counter.fetch_add(1, Ordering::SeqCst);
        match script(n) {
            Reply::Status(code, extra, body) => {
                let reply = format!("HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n{body}", body.len());
                if stream.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
            Reply::Slow(pause) => {
                tokio::time::sleep(pause).await;
                let reply = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{OK_BODY}", OK_BODY.len());
                if stream.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
            Reply::Hang => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return;
            }
            Reply::CutBody => {
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"choices\":[").await;
                let _ = stream.shutdown().await;
                return;
            }
        }
    }
}

fn client(url: &str, attempts: u32, timeout_ms: u64) -> Client {
    let endpoint = Endpoint::parse(&format!("m={url}")).unwrap();
    Client::new(
        vec![endpoint],
        ClientOptions {
            concurrency: 4,
            timeout: Duration::from_millis(timeout_ms),
            max_attempts: attempts,
            backoff_base: Duration::from_millis(10),
            backoff_max: Duration::from_millis(100),
            server_kind: Some(ServerKind::OpenAi),
        },
    )
    .unwrap()
}

fn request() -> ChatRequest {
    ChatRequest {
        messages: vec![Message::user("hi")],
        sampling: Sampling::default(),
        top_logprobs: None,
        constraint: None,
    }
}

#[tokio::test]
async fn server_errors_are_retried_until_answered() {
    let (url, count) = serve(|n| {
        if n < 2 {
            Reply::Status(500, "", "boom".into())
        } else {
            ok()
        }
    })
    .await;
    let answer = client(&url, 5, 2000).complete(&request()).await.unwrap();
    assert_eq!(answer.response.text, "\\boxed{fine}");
    assert_eq!(answer.attempts, 3);
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (url, _) = serve(|n| {
        if n == 0 {
            Reply::Status(429, "retry-after: 1\r\n", "slow down".into())
        } else {
            ok()
        }
    })
    .await;
    let started = Instant::now();
    // Backoff alone would wait at most 10-20 ms here; the server asked for a second.
    let endpoint = Endpoint::parse(&format!("m={url}")).unwrap();
    let slow_cap = Client::new(
        vec![endpoint],
        ClientOptions {
            backoff_max: Duration::from_secs(5),
            backoff_base: Duration::from_millis(10),
            max_attempts: 3,
            timeout: Duration::from_secs(2),
            server_kind: Some(ServerKind::OpenAi),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let answer = slow_cap.complete(&request()).await.unwrap();
    assert_eq!(answer.attempts, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited only {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn every_fault_ends_as_a_failure_with_its_cause() {
    let cases: Vec<(Reply, u32, &str)> = vec![
        (Reply::Status(503, "", "overloaded".into()), 3, "HTTP 503"),
        (Reply::Hang, 3, "timed out"),
        (Reply::CutBody, 3, "connection dropped"),
        (
            Reply::Status(200, "", "this is not json".into()),
            1,
            "not JSON",
        ),
        (
            Reply::Status(200, "", r#"{"choices":[]}"#.into()),
            1,
            "no choices",
        ),
        (
            Reply::Status(400, "", r#"{"error":"bad request"}"#.into()),
            1,
            "HTTP 400",
        ),
    ];
    for (reply, attempts, cause) in cases {
        let r = reply.clone();
        let (url, count) = serve(move |_| r.clone()).await;
        let failure = client(&url, 3, 300).complete(&request()).await.unwrap_err();
        assert!(
            failure.cause.contains(cause),
            "expected `{cause}` in `{}`",
            failure.cause
        );
        assert_eq!(failure.attempts, attempts, "{cause}");
        assert_eq!(count.load(Ordering::SeqCst), attempts as usize, "{cause}");
    }
}

#[tokio::test]
async fn an_unreachable_server_fails_every_sample_and_nothing_is_stored() {
    // Bind then drop: the port is closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/v1");
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(dir.path()).unwrap();
    let samples: Vec<Sample> = (0..5).map(|i| sample(&format!("s{i}"))).collect();
    let model = ModelRun::new("m".into(), client(&url, 2, 500)).unwrap();
    let predictions = answer_all(
        Arc::new(samples),
        Arc::new(model),
        Arc::new(store),
        Sampling::default(),
        Arc::new(|_| {}),
    )
    .await;
    assert_eq!(predictions.len(), 5);
    for p in &predictions {
        assert!(p.output.is_none());
        assert!(
            p.error.as_deref().unwrap().contains("cannot connect"),
            "{:?}",
            p.error
        );
    }
    let (store, _) = Store::open(dir.path()).unwrap();
    assert!(
        store.is_empty(),
        "failures are not stored, so a rerun asks again"
    );
}

#[tokio::test]
async fn mixed_faults_in_one_run_are_all_recorded_and_the_rerun_asks_only_what_failed() {
    // Every third request gets invalid JSON; the rest are answered.
    let (url, count) = serve(|n| {
        if n % 3 == 2 {
            Reply::Status(200, "", "garbage".into())
        } else {
            ok()
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let samples = Arc::new(
        (0..12)
            .map(|i| sample(&format!("s{i:02}")))
            .collect::<Vec<_>>(),
    );
    let run = |store| {
        let model = ModelRun::new("m".into(), client(&url, 3, 2000)).unwrap();
        answer_all(
            samples.clone(),
            Arc::new(model),
            Arc::new(store),
            Sampling::default(),
            Arc::new(|_| {}),
        )
    };
    let first = run(Store::open(dir.path()).unwrap().0).await;
    let failed = first.iter().filter(|p| p.error.is_some()).count();
    assert_eq!(failed, 4);
    assert!(
        first.windows(2).all(|w| w[0].sample_id < w[1].sample_id),
        "sorted by sample id"
    );
    let asked = count.load(Ordering::SeqCst);
    let second = run(Store::open(dir.path()).unwrap().0).await;
    assert_eq!(
        count.load(Ordering::SeqCst) - asked,
        failed,
        "only the failures are asked again"
    );
    assert!(second.iter().filter(|p| p.error.is_none()).count() >= 12 - failed);
}

fn sample(id: &str) -> Sample {
    Sample {
        id: id.into(),
        family: "test".into(),
        task: "t".into(),
        lang: "en".into(),
        context: Some("c".into()),
        context_id: None,
        question: "q".into(),
        prompt: format!("prompt for {id}"),
        reference: Reference::exact("fine"),
        meta: Default::default(),
    }
}

#[tokio::test]
async fn identical_requests_in_flight_together_are_sent_once() {
    // Slow answers, so the eight identical requests overlap.
    let (url, count) = serve(|_| Reply::Slow(Duration::from_millis(200))).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap().0);
    let client = Arc::new(client(&url, 1, 2000));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (client, store) = (client.clone(), store.clone());
        tasks.spawn(async move { ask(&client, &store, &request()).await });
    }
    let mut from_store = 0;
    while let Some(done) = tasks.join_next().await {
        let asked = done.unwrap().unwrap();
        from_store += usize::from(asked.from_store);
    }
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "one request reached the server"
    );
    assert_eq!(from_store, 7);
    assert_eq!(store.len(), 1);
}
