//! A new access token from the portal page (`refreshAuth`, §4.3), one at a
//! time however many callers need it, and ahead of the token's expiry.

use std::time::Duration;

use futures::future::{AbortHandle, Abortable, FutureExt, Shared, WeakShared};
use gloo_timers::future::TimeoutFuture;

use crate::domain::frame::{self, Command};
use crate::domain::methods::session::{Credentials, REFRESH_RETRY_MS};

use super::client::{FrameClient, RefreshFuture};
use super::error::FrameError;

impl FrameClient {
    /// Asks the portal for a new access token. Concurrent callers share
    /// one `refreshAuth` request and its answer. The portal has the
    /// refresh timeout (10 s by default) to answer, else
    /// [`FrameError::RefreshTimeout`]; the UI then offers a reload.
    pub async fn refresh_auth(&self) -> Result<Credentials, FrameError> {
        self.refresh_in_flight().await
    }

    /// Changes how long [`FrameClient::refresh_auth`] waits (default 10 s).
    pub fn with_refresh_timeout(self, timeout: Duration) -> FrameClient {
        self.inner.refresh_timeout.set(timeout);
        self
    }

    /// Renews the token ahead of its expiry for as long as the guard
    /// lives: a minute before it runs out, or halfway for short-lived
    /// tokens ([`Credentials::refresh_delay_ms`]), and again after every
    /// renewal. A token renewed meanwhile (after an `expired_token`) is
    /// planned from anew. Uses the same coalesced `refreshAuth` as
    /// [`FrameClient::refresh_auth`].
    ///
    /// `on_outcome` hears of every planned renewal: `Some(error)` when the
    /// portal did not renew the token (then the next try is a minute
    /// later), `None` once a token is fresh again — so the UI can show,
    /// and clear, an offer to reload.
    pub fn keep_fresh(&self, on_outcome: impl Fn(Option<FrameError>) + 'static) -> FreshGuard {
        let client = self.clone();
        let (abort, registration) = AbortHandle::new_pair();
        let renewing = async move {
            loop {
                let planned = client.credentials();
                let delay = planned.refresh_delay_ms(js_sys::Date::now());
                TimeoutFuture::new(delay).await;
                if client.credentials() != planned {
                    on_outcome(None);
                    continue;
                }
                match client.refresh_auth().await {
                    Ok(_) => on_outcome(None),
                    Err(err) => {
                        on_outcome(Some(err));
                        TimeoutFuture::new(REFRESH_RETRY_MS as u32).await;
                    }
                }
            }
        };
        wasm_bindgen_futures::spawn_local(Abortable::new(renewing, registration).map(|_| ()));
        FreshGuard { abort }
    }

    /// The running refresh, or a new one. The slot holds it weakly: the
    /// callers own it, and a refresh they all dropped is gone.
    fn refresh_in_flight(&self) -> Shared<RefreshFuture> {
        let mut slot = self.inner.refresh.borrow_mut();
        let running = slot
            .as_ref()
            .and_then(WeakShared::upgrade)
            .filter(|refresh| refresh.peek().is_none());
        if let Some(refresh) = running {
            return refresh;
        }
        let client = self.clone();
        let refresh: RefreshFuture = async move {
            let result = client.refresh_once().await;
            // Done: the next caller starts a new refresh.
            client.inner.refresh.replace(None);
            result
        }
        .boxed_local();
        let shared = refresh.shared();
        *slot = shared.downgrade();
        shared
    }

    async fn refresh_once(&self) -> Result<Credentials, FrameError> {
        let timeout = self.inner.refresh_timeout.get();
        let reply = match self
            .call(Command::RefreshAuth, Some(frame::no_params()), timeout)
            .await
        {
            Err(FrameError::Timeout { .. }) => return Err(FrameError::RefreshTimeout),
            other => other?,
        };
        let credentials = frame::refreshed_credentials(&reply, js_sys::Date::now())?;
        self.inner.credentials.replace(Some(credentials.clone()));
        Ok(credentials)
    }
}

/// Keeps the token renewed ahead of its expiry while it lives; dropping
/// it stops the renewals. Returned by [`FrameClient::keep_fresh`].
#[must_use = "the token is no longer renewed ahead of time when the guard is dropped"]
pub struct FreshGuard {
    abort: AbortHandle,
}

impl Drop for FreshGuard {
    fn drop(&mut self) {
        self.abort.abort();
    }
}
