//! The emulator's shared state: one value behind an `Arc`, handed to every
//! route of both origins.

use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::auth::{TokenStore, UserId};
use crate::config::{Config, Knobs};
use crate::data::Directory;
use crate::entity::EntityStore;
use crate::limits::Limits;
use crate::store::Store;

/// Milliseconds since the Unix epoch, from the system clock.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// One REST request as the portal saw it (`GET /_emulator/log`).
#[derive(Debug, Clone, Serialize)]
pub struct RestLogEntry {
    pub seq: u64,
    /// Unix ms when the request arrived.
    pub at_ms: i64,
    pub method: String,
    /// The decoded parameters (query and body merged), token values redacted.
    pub params: Value,
    /// Where the token came from: `auth`, `access_token`, `header`, or null.
    pub auth_source: Option<String>,
    pub content_type: Option<String>,
    pub authorization_header: bool,
    /// Header names outside the CORS-safelisted set and `origin`, `content-type`, `accept`.
    pub custom_headers: Vec<String>,
    pub origin: Option<String>,
    pub status: u16,
    /// The error code, `""` for an empty code, null on success.
    pub error: Option<String>,
    /// For `batch`: the method of every sub-command, in order.
    pub batch_methods: Vec<String>,
    /// For `batch`: the error code of every sub-command that failed, by
    /// its key.
    pub batch_errors: std::collections::BTreeMap<String, String>,
    /// The answer was a fault injected by a knob (`inject_503_rate`,
    /// `network_down`), not the portal's own doing. (`fail_rate`'s 500s
    /// pass the bucket first, as a crash on the server would, and are
    /// told by their status.)
    pub injected: bool,
    pub duration_ms: f64,
}

/// How a terminate or kill command ended (`GET /_emulator/actions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionOutcome {
    /// The workflow was stopped and left the list.
    Ok,
    /// A failure injected by the knob `fail_stop` (empty code, HTTP 400).
    Failed,
    /// No running workflow has that ID (empty code, HTTP 400).
    NotFound,
    /// The caller is not an administrator (403 `ACCESS_DENIED`).
    AccessDenied,
    /// No ID was sent (400 `ERROR_WRONG_WORKFLOW_ID`).
    EmptyId,
}

/// One terminate or kill command the portal executed, at the top level or
/// inside a batch: the oracle of what the app really did to workflows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionEntry {
    pub seq: u64,
    /// Unix ms when the command ran.
    pub at_ms: i64,
    /// `bizproc.workflow.terminate` or `bizproc.workflow.kill` (lower case).
    pub method: String,
    /// The ID as sent (after `$result[…]` references were resolved).
    pub id: String,
    /// terminate's `STATUS`, if one was sent.
    pub status: Option<String>,
    /// The key of the batch command, or null for a top-level call.
    pub batch_key: Option<String>,
    pub outcome: ActionOutcome,
    /// The error description of a failed command.
    pub message: Option<String>,
}

/// User and app options saved by the frame's setUserOption / setAppOption.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Options {
    pub user: Map<String, Value>,
    pub app: Map<String, Value>,
    /// Whether the app finished installation (setInstallFinish).
    pub installed: bool,
}

/// The shared state of a running emulator.
#[derive(Debug)]
pub struct Emulator {
    pub config: Config,
    /// `http://host:port` of the portal, as the browser sees it.
    pub portal_origin: String,
    /// The app's handler URL on the app host (with a trailing `/`).
    pub app_url: String,
    pub directory: Directory,
    knobs: RwLock<Knobs>,
    /// A list command inside the batch being run answered: the knob
    /// `finish_after_list` fires once the whole batch has.
    listed_in_batch: std::sync::atomic::AtomicBool,
    store: RwLock<Store>,
    tokens: Mutex<TokenStore>,
    limits: Mutex<Limits>,
    options: Mutex<Options>,
    rest_log: Mutex<Vec<RestLogEntry>>,
    frame_log: Mutex<Vec<Value>>,
    actions: Mutex<Vec<ActionEntry>>,
    entities: Mutex<EntityStore>,
    faults: Mutex<ChaCha8Rng>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in one request must not take every later request down with it.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Emulator {
    /// Builds the state: generates the data from the seed.
    pub fn new(config: Config, portal_origin: String, app_url: String) -> Self {
        let epoch = config.epoch.unwrap_or_else(|| now_ms() / 1000);
        let directory = Directory::generate(config.seed);
        let store = Store::generate(&directory, config.workflows, config.seed, epoch);
        let knobs = Knobs::from_config(&config);
        let mut options = Options::default();
        for (name, value) in &config.user_options {
            options
                .user
                .insert(name.clone(), Value::String(value.clone()));
        }
        Emulator {
            tokens: Mutex::new(TokenStore::new(ChaCha8Rng::seed_from_u64(
                config.seed ^ 0x70_6b_65_6e,
            ))),
            faults: Mutex::new(ChaCha8Rng::seed_from_u64(config.seed ^ 0x66_61_75_6c)),
            limits: Mutex::new(Limits::default()),
            options: Mutex::new(options),
            rest_log: Mutex::new(Vec::new()),
            frame_log: Mutex::new(Vec::new()),
            actions: Mutex::new(Vec::new()),
            entities: Mutex::new(EntityStore::default()),
            knobs: RwLock::new(knobs),
            listed_in_batch: std::sync::atomic::AtomicBool::new(false),
            store: RwLock::new(store),
            directory,
            portal_origin,
            app_url,
            config,
        }
    }

    /// The portal's host as `host:port`, the DOMAIN the app receives.
    pub fn domain(&self) -> &str {
        self.portal_origin
            .split_once("://")
            .map_or(self.portal_origin.as_str(), |(_, host)| host)
    }

    /// The user who opens the app: 1 (an administrator) or, with non-admin, 7.
    pub fn current_user(&self) -> UserId {
        if self.knobs().non_admin {
            crate::data::NON_ADMIN_USER
        } else {
            crate::data::ADMIN_USER
        }
    }

    /// Whether the app counts as installed: it has no installer, or its
    /// installer finished (setInstallFinish → `set_installed`).
    pub fn installed(&self) -> bool {
        !self.knobs().install_pending || self.options().installed
    }

    pub fn knobs(&self) -> Knobs {
        self.knobs.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_knobs(&self, knobs: Knobs) {
        *self.knobs.write().unwrap_or_else(|p| p.into_inner()) = knobs;
    }

    /// Ends the workflows of the knob `finish_after_list` (one-shot).
    pub fn finish_listed(&self) {
        for id in self.take_finish_after_list() {
            self.store_mut().remove(&id);
        }
    }

    /// A list command inside a batch answered (see [`Self::after_batch`]).
    pub fn listed_in_batch(&self) {
        self.listed_in_batch
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// A batch ended: the knob `finish_after_list` fires now if one of
    /// its commands listed (so "between listing and acting" is between
    /// two requests, never inside one listing).
    pub fn after_batch(&self) {
        if self
            .listed_in_batch
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            self.finish_listed();
        }
    }

    /// Takes the knob `finish_after_list`, leaving it empty (one-shot).
    pub fn take_finish_after_list(&self) -> Vec<String> {
        let mut knobs = self.knobs.write().unwrap_or_else(|p| p.into_inner());
        std::mem::take(&mut knobs.finish_after_list)
    }

    pub fn store(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn store_mut(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|p| p.into_inner())
    }

    pub fn tokens(&self) -> MutexGuard<'_, TokenStore> {
        lock(&self.tokens)
    }

    pub fn limits(&self) -> MutexGuard<'_, Limits> {
        lock(&self.limits)
    }

    pub fn options(&self) -> MutexGuard<'_, Options> {
        lock(&self.options)
    }

    pub fn faults(&self) -> MutexGuard<'_, ChaCha8Rng> {
        lock(&self.faults)
    }

    /// Appends a REST log entry, numbering it.
    pub fn log_rest(&self, mut entry: RestLogEntry) {
        let mut log = lock(&self.rest_log);
        entry.seq = log.len() as u64 + 1;
        log.push(entry);
    }

    pub fn rest_log(&self) -> Vec<RestLogEntry> {
        lock(&self.rest_log).clone()
    }

    pub fn clear_rest_log(&self) {
        lock(&self.rest_log).clear();
    }

    /// Records a terminate or kill command, numbering it.
    pub fn log_action(&self, mut entry: ActionEntry) {
        let mut log = lock(&self.actions);
        entry.seq = log.len() as u64 + 1;
        log.push(entry);
    }

    pub fn actions(&self) -> Vec<ActionEntry> {
        lock(&self.actions).clone()
    }

    pub fn clear_actions(&self) {
        lock(&self.actions).clear();
    }

    /// The application storage (`entity.*`) of every app on the portal.
    pub fn entities(&self) -> MutexGuard<'_, EntityStore> {
        lock(&self.entities)
    }

    /// Appends an entry of the portal page's frame-message log.
    pub fn log_frame(&self, entry: Value) {
        lock(&self.frame_log).push(entry);
    }

    pub fn frame_log(&self) -> Vec<Value> {
        lock(&self.frame_log).clone()
    }

    pub fn clear_frame_log(&self) {
        lock(&self.frame_log).clear();
    }
}
