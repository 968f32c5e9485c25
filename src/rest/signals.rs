//! The counts of stuck and idle workflows for the summary line: one
//! `batch`, or nothing when both are the list's own total. What to send
//! and how to read it is in `domain::table::signals`.

use crate::domain::table::signals::{CountsRequest, SignalCounts};
use crate::domain::wire::errors::RestError;

use super::RestClient;

/// Asks the portal for `request`'s counts (at most one request).
pub async fn count_signals(
    rest: &RestClient,
    request: &CountsRequest,
) -> Result<SignalCounts, RestError> {
    match request.batch() {
        None => request.read(None),
        Some(batch) => {
            let answer = rest.batch(batch).await?;
            request.read(Some(&answer))
        }
    }
}
