//! The portal emulator: a local stand-in for a Bitrix24 portal.
//!
//! It serves two origins, as production does: the portal (the page that hosts
//! the app frame, the REST API under `/rest/`, and the control API under
//! `/_emulator/`) and the app host (the app build, answering GET and POST).
//!
//! It is built from `shared/reference/bitrix24-protocol.md` (cited as §N) on
//! its own types. It deliberately shares no query-building or parsing code
//! with the app, so that a misunderstanding on one side cannot pass both
//! sides' tests.

pub mod app_host;
pub mod auth;
pub mod config;
pub mod control;
pub mod data;
pub mod entity;
pub mod limits;
pub mod php;
pub mod portal_page;
pub mod rest;
pub mod state;
pub mod store;
pub mod tasks;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{Config, Knobs};
pub use state::Emulator;

/// The state every route receives.
pub type Shared = Arc<Emulator>;

/// A running emulator. Dropping it does not stop the servers; call [`Running::stop`].
pub struct Running {
    pub state: Shared,
    pub portal_addr: SocketAddr,
    pub app_addr: SocketAddr,
    shutdown: Vec<oneshot::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// `http://host:port` of the portal.
    pub fn portal_url(&self) -> String {
        self.state.portal_origin.clone()
    }

    /// The portal page that hosts the app (the URL to open).
    pub fn app_page_url(&self) -> String {
        format!("{}{}", self.state.portal_origin, portal_page::APP_PAGE_PATH)
    }

    /// Stops both servers and waits for them to finish.
    pub async fn stop(mut self) {
        for tx in self.shutdown.drain(..) {
            let _ = tx.send(());
        }
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

/// The routes of the portal origin.
pub fn portal_router(state: Shared) -> axum::Router {
    axum::Router::new()
        .merge(rest::routes())
        .merge(control::routes())
        .merge(portal_page::routes())
        .with_state(state)
}

/// The routes of the app host origin.
pub fn app_router(state: Shared) -> axum::Router {
    app_host::routes().with_state(state)
}

/// Binds both addresses, generates the data and starts serving.
pub async fn start(config: Config) -> std::io::Result<Running> {
    let portal = TcpListener::bind(config.portal_addr).await?;
    let app = TcpListener::bind(config.app_addr).await?;
    let portal_addr = portal.local_addr()?;
    let app_addr = app.local_addr()?;
    let portal_origin = format!("http://{portal_addr}");
    let app_url = format!("http://{app_addr}/");
    let state: Shared = Arc::new(Emulator::new(config, portal_origin, app_url));

    let mut shutdown = Vec::new();
    let mut tasks = Vec::new();
    for (listener, router) in [
        (portal, portal_router(state.clone())),
        (app, app_router(state.clone())),
    ] {
        let (tx, rx) = oneshot::channel::<()>();
        shutdown.push(tx);
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        tasks.push(tokio::spawn(async move {
            let served = axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
            if let Err(err) = served {
                eprintln!("portal-emulator: server error: {err}");
            }
        }));
    }
    Ok(Running {
        state,
        portal_addr,
        app_addr,
        shutdown,
        tasks,
    })
}
