//! The app host: serves the app build (or a placeholder) for GET and POST. (Being written.)

use crate::Shared;

pub fn routes() -> axum::Router<Shared> {
    axum::Router::new()
}
