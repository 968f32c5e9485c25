//! Waiting for a condition, polled until a deadline.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::{HarnessError, Result, WAIT};

/// Polls `probe` every 50 ms until it yields `Some`, or fails after `WAIT`.
pub async fn wait_for<T, F, Fut>(what: &str, probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    wait_for_within(WAIT, what, probe).await
}

/// Polls `probe` every 50 ms until it yields `Some`, or fails after `limit`
/// (for screens that legitimately take longer: retries, pauses).
pub async fn wait_for_within<T, F, Fut>(limit: Duration, what: &str, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe().await? {
            return Ok(value);
        }
        if Instant::now() > deadline {
            return Err(HarnessError::Timeout(limit, what.to_owned()));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
