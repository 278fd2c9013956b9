//! The one concurrent request loop: `run`, `judge`, `grade` and any question-writing generator
//! hand it their items and the work to do for each. How many requests are in flight at once is
//! the client's business (its per-endpoint limits); this loop only starts every item, reports
//! each as it finishes, and gathers the results.

use std::future::Future;
use std::sync::Arc;

/// Called once per finished item, from whichever task finished it (for progress bars).
pub type OnDone<T> = Arc<dyn Fn(&T) + Send + Sync>;

/// Runs `work` on every item concurrently and returns the results in the order they finished
/// (callers sort them for writing). Dropping the returned future, as Ctrl-C does, aborts every
/// item still in flight; a task that panicked is left out rather than taking the run down.
pub async fn for_each_concurrently<I, T, F, Fut>(
    items: Vec<I>,
    work: F,
    on_done: OnDone<T>,
) -> Vec<T>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let work = Arc::new(work);
    let mut tasks = tokio::task::JoinSet::new();
    let total = items.len();
    for item in items {
        let (work, on_done) = (work.clone(), on_done.clone());
        tasks.spawn(async move {
            let result = work(item).await;
            on_done(&result);
            result
        });
    }
    let mut out = Vec::with_capacity(total);
    while let Some(done) = tasks.join_next().await {
        if let Ok(result) = done {
            out.push(result);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_item_is_done_once_and_reported_once() {
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut out = runtime.block_on(for_each_concurrently(
            (0..50u64).collect(),
            |i| async move {
                tokio::time::sleep(std::time::Duration::from_millis(50 - i)).await;
                i * 2
            },
            Arc::new(move |_: &u64| {
                counter.fetch_add(1, Ordering::SeqCst);
            }),
        ));
        assert_eq!(seen.load(Ordering::SeqCst), 50);
        assert_ne!(
            out,
            (0..50).map(|i| i * 2).collect::<Vec<_>>(),
            "concurrent, not in order"
        );
        out.sort();
        assert_eq!(out, (0..50).map(|i| i * 2).collect::<Vec<_>>());
    }
}
