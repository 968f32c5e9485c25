//! One HTTP exchange: POST a JSON body, get the status and the body text.
//! Nothing here decides anything; `domain::wire::errors::classify` reads the reply.

use futures::future::{self, Either, FutureExt, LocalBoxFuture};
use gloo_net::http::Request;
use web_sys::{AbortController, RequestCredentials, RequestRedirect, ResponseType};

use super::envelope::CONTENT_TYPE;
use crate::domain::wire::errors::RestError;

/// What came back: the HTTP status and the body as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text (it may not be JSON).
    pub body: String,
}

/// Sends one POST with a JSON body. [`FetchTransport`] in the browser; a
/// scripted one in native tests.
pub trait Transport {
    /// POSTs `body` to `url` with `Content-Type: application/json` and no
    /// other header; gives up after `timeout_ms` with
    /// [`RestError::Timeout`], and maps transport failures to
    /// [`RestError::Network`] or [`RestError::Redirected`].
    fn post_json(
        &self,
        url: &str,
        body: String,
        timeout_ms: u32,
    ) -> LocalBoxFuture<'static, Result<HttpReply, RestError>>;
}

/// The browser's `fetch`, through gloo-net.
///
/// - No credentials (cookies): token auth needs none, and the portal's
///   `Access-Control-Allow-Origin: *` forbids them (§4.5).
/// - Redirects are not followed (`redirect: "manual"`): a 307/308 would
///   re-send the body, token included, to wherever it points.
/// - An `AbortController` cancels the request on timeout, and when the
///   caller drops the future (a stale request the UI no longer wants).
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

/// Aborts the fetch when dropped: after a timeout, or when the caller drops
/// the future. Aborting a finished request does nothing.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn network(err: impl std::fmt::Display) -> RestError {
    RestError::Network {
        detail: err.to_string(),
    }
}

impl Transport for FetchTransport {
    fn post_json(
        &self,
        url: &str,
        body: String,
        timeout_ms: u32,
    ) -> LocalBoxFuture<'static, Result<HttpReply, RestError>> {
        let url = url.to_owned();
        async move {
            let controller = AbortController::new().map_err(|_| RestError::Network {
                detail: "this browser cannot abort requests (no AbortController)".to_owned(),
            })?;
            let guard = AbortOnDrop(controller);
            let request = Request::post(&url)
                .header("Content-Type", CONTENT_TYPE)
                .credentials(RequestCredentials::Omit)
                .redirect(RequestRedirect::Manual)
                .abort_signal(Some(&guard.0.signal()))
                .body(body)
                .map_err(network)?;
            let exchange = async move {
                let response = request.send().await.map_err(network)?;
                if response.type_() == ResponseType::Opaqueredirect {
                    return Err(RestError::Redirected);
                }
                let status = response.status();
                let body = response.text().await.map_err(network)?;
                Ok(HttpReply { status, body })
            };
            let timeout = gloo_timers::future::TimeoutFuture::new(timeout_ms);
            let outcome = match future::select(exchange.boxed_local(), timeout).await {
                Either::Left((reply, _)) => reply,
                Either::Right(((), _)) => Err(RestError::Timeout {
                    after_ms: timeout_ms,
                }),
            };
            drop(guard);
            outcome
        }
        .boxed_local()
    }
}
