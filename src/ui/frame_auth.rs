//! Lends the frame client's tokens to the REST client: `rest` may not depend
//! on `portal`, so the UI joins them.

use futures::future::{FutureExt, LocalBoxFuture};

use crate::domain::errors::RefreshError;
use crate::domain::session::Credentials;
use crate::portal::FrameClient;
use crate::rest::Auth;

/// The REST client's token source, backed by the portal frame.
pub struct FrameAuth {
    client: FrameClient,
}

impl FrameAuth {
    pub fn new(client: FrameClient) -> Self {
        FrameAuth { client }
    }
}

impl Auth for FrameAuth {
    fn credentials(&self) -> Credentials {
        self.client.credentials()
    }

    fn refresh(&self) -> LocalBoxFuture<'static, Result<Credentials, RefreshError>> {
        let client = self.client.clone();
        async move {
            client.refresh_auth().await.map_err(|e| RefreshError {
                reason: e.to_string(),
            })
        }
        .boxed_local()
    }
}
