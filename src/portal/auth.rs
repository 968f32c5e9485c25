//! A new access token from the portal page (`refreshAuth`, §4.3), one at a
//! time however many callers need it.

use std::time::Duration;

use futures::future::{FutureExt, Shared, WeakShared};

use crate::domain::frame::{self, Command};
use crate::domain::session::Credentials;

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
            .call(
                Command::RefreshAuth.as_str(),
                Some(frame::no_params()),
                timeout,
            )
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
