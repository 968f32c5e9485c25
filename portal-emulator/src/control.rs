//! Control API. (Being written.)
use crate::Shared;

pub fn routes() -> axum::Router<Shared> {
    axum::Router::new()
}
