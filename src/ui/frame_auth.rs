//! Lends the frame client's tokens to the REST client: `rest` may not depend
//! on `portal`, so the UI joins them.

use futures::future::{FutureExt, LocalBoxFuture};

use crate::domain::i18n::Lang;
use crate::domain::methods::session::Credentials;
use crate::domain::wire::errors::RefreshError;
use crate::portal::FrameClient;
use crate::rest::Auth;

/// The REST client's token source, backed by the portal frame.
pub struct FrameAuth {
    client: FrameClient,
    lang: Lang,
}

impl FrameAuth {
    /// Lends `client`'s tokens; a failed renewal is explained in `lang`
    /// (the reason is shown to the admin as it is).
    pub fn new(client: FrameClient, lang: Lang) -> Self {
        FrameAuth { client, lang }
    }
}

impl Auth for FrameAuth {
    fn credentials(&self) -> Credentials {
        self.client.credentials()
    }

    fn refresh(&self) -> LocalBoxFuture<'static, Result<Credentials, RefreshError>> {
        let client = self.client.clone();
        let lang = self.lang;
        async move {
            client.refresh_auth().await.map_err(|e| RefreshError {
                reason: e.message(lang),
            })
        }
        .boxed_local()
    }
}
