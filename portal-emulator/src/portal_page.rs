//! The portal page that hosts the app frame (fact sheet §4.1) and the parent
//! side of the frame protocol (§4.2). (Being written.)

use crate::Shared;

/// Path of the portal page that shows the app, as in Bitrix24 (`/marketplace/app/<ID>/`).
pub const APP_PAGE_PATH: &str = "/marketplace/app/1/";

pub fn routes() -> axum::Router<Shared> {
    axum::Router::new()
}
