//! Where the REST client gets its token, without depending on `portal`.

use futures::future::LocalBoxFuture;

use crate::domain::methods::session::Credentials;
use crate::domain::wire::errors::RefreshError;

/// A source of access tokens. The UI adapts the portal frame client to it.
///
/// Coalescing concurrent refreshes is the implementor's job (the frame
/// client sends one `refreshAuth` for all waiting callers); the REST client
/// asks at most once per failed call, and not at all when the token has
/// already changed since the call was sent.
pub trait Auth {
    /// The token to use now.
    fn credentials(&self) -> Credentials;

    /// Renews the token (the frame's `refreshAuth`, §4.2–§4.3) and returns
    /// the new one; [`Auth::credentials`] returns it afterwards too.
    ///
    /// The error carries the reason, for the administrator ("the portal
    /// page did not answer within 10 s"); the client returns it as
    /// [`RestError::RefreshFailed`](crate::domain::wire::errors::RestError::RefreshFailed).
    fn refresh(&self) -> LocalBoxFuture<'static, Result<Credentials, RefreshError>>;
}
