//! Command-line configuration and the runtime knobs that tests can change.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use serde::{Deserialize, Serialize};

/// How the emulated portal is started. Every flag has the production value as
/// its default where one exists (fact sheet §3.1: 2 requests/s, burst 50;
/// §4.1: access tokens live one hour).
#[derive(Debug, Clone, Parser)]
#[command(
    name = "portal-emulator",
    about = "A local Bitrix24 portal: the page that hosts the app frame, the REST API, its limits and faults"
)]
pub struct Config {
    /// Address of the portal (the page with the app frame and the REST API).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub portal_addr: SocketAddr,
    /// Address of the app host (a second origin, as in production).
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub app_addr: SocketAddr,
    /// Directory with the app build to serve; without it a placeholder app page is served.
    #[arg(long)]
    pub dist: Option<PathBuf>,
    /// Number of running workflows to generate.
    #[arg(long, default_value_t = 2500)]
    pub workflows: usize,
    /// Seed for the generated data and for injected faults.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Portal language passed to the app (LANG): en, ru, de, ...
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Open the app as a user who is not a portal administrator.
    #[arg(long)]
    pub non_admin: bool,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub token_ttl: u64,
    /// Leaky bucket drain rate, requests per second (0 disables the limit).
    #[arg(long, default_value_t = 2.0)]
    pub rate: f64,
    /// Leaky bucket size (burst).
    #[arg(long, default_value_t = 50.0)]
    pub burst: f64,
    /// Added latency for every REST response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Probability (0..1) that a REST request fails with 500 INTERNAL_SERVER_ERROR.
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Load the app frame with GET instead of a POSTed form, as for ZIP-uploaded static apps.
    #[arg(long)]
    pub static_app: bool,
    /// Emulate a plan without the business-process feature: bizproc.* methods do not exist.
    #[arg(long)]
    pub plan_without_bizproc: bool,
    /// The app is registered with an installer path (its own URL) and is not
    /// installed yet: admins get INSTALL=true until setInstallFinish (§7.1).
    #[arg(long)]
    pub install_pending: bool,
    /// Unix time the generated data is anchored to (default: now). Fixes workflow IDs across runs.
    #[arg(long)]
    pub epoch: Option<i64>,
    /// The portal server's UTC offset in minutes, used for every date it returns.
    #[arg(long, default_value_t = 180, allow_negative_numbers = true)]
    pub server_offset_minutes: i32,
    /// The scopes the app is installed with, comma-separated (§7.2; `entity`
    /// for the app's storage of bulk-action history).
    #[arg(long, default_value = DEFAULT_SCOPES)]
    pub scopes: String,
    /// A user option the admin has already saved, as `NAME=VALUE`
    /// (repeatable): what `setUserOption` would have stored, handed to the
    /// app at load like any other (the demo opens the overview with it).
    #[arg(long = "user-option", value_parser = parse_user_option)]
    pub user_options: Vec<(String, String)>,
}

/// `NAME=VALUE` of `--user-option`.
pub fn parse_user_option(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got \"{arg}\"")),
    }
}

/// The scopes the app is registered with by default (§7.2, plus `entity`).
pub const DEFAULT_SCOPES: &str = "bizproc,user_brief,entity";

/// Splits a comma-separated scope list, dropping blanks and duplicates.
pub fn parse_scopes(list: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for scope in list.split(',').map(|s| s.trim().to_lowercase()) {
        if !scope.is_empty() && !out.contains(&scope) {
            out.push(scope);
        }
    }
    out
}

impl Config {
    /// A configuration for tests: ephemeral ports, no rate limit, small data.
    pub fn for_tests(workflows: usize) -> Self {
        let mut config = Config::parse_from(["portal-emulator"]);
        config.portal_addr = ([127, 0, 0, 1], 0).into();
        config.app_addr = ([127, 0, 0, 1], 0).into();
        config.workflows = workflows;
        config.rate = 0.0;
        config.epoch = Some(1_767_225_600); // 2026-01-01T00:00:00Z
        config
    }
}

/// Which unconfirmed server behaviour the emulator shows for a `STARTED` filter
/// value (fact sheet §1.3, §9.2: the server source converts dates only for
/// MODIFIED and OWNED_UNTIL; the official tutorial filters STARTED with ISO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartedFilter {
    /// ISO values work like on MODIFIED (what the tutorial implies).
    Convert,
    /// The condition is silently dropped (the portal returns unfiltered rows).
    Ignore,
}

/// Where the operating-time budget of a batch is charged (fact sheet §2.3, §9.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchBilling {
    /// Each nested method is charged, the outer batch is not (docs, LoadLimiter source).
    Nested,
    /// The outer `batch` is charged (b24jssdk PR #539's live measurement).
    Batch,
}

/// What the application storage does with a string property value longer
/// than `entity_value_max_bytes` (UNCONFIRMED: the value sits in an iblock
/// property, a MySQL `text` column of 65,535 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueOverflow {
    /// The value is cut at the limit (on a UTF-8 boundary), without an error,
    /// as MySQL does outside strict mode.
    Truncate,
    /// The write fails as the server's `SqlQueryException` branch answers:
    /// 400 `ERROR_CORE` "Internal error adding entity item. Try adding again."
    Error,
}

/// Everything a test may change while the emulator runs (`/_emulator/knobs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Knobs {
    pub rate: f64,
    pub burst: f64,
    pub latency_ms: u64,
    pub fail_rate: f64,
    /// Probability (0..1) that a REST request is answered 503
    /// `QUERY_LIMIT_EXCEEDED` whatever the bucket holds; such answers are
    /// marked `injected` in the REST log.
    pub inject_503_rate: f64,
    /// The network between the browser and the portal is gone: every REST
    /// request fails in the browser as a network error (logged `injected`,
    /// error `NETWORK_DOWN`).
    pub network_down: bool,
    pub non_admin: bool,
    pub plan_without_bizproc: bool,
    pub token_ttl: u64,
    /// The app waits for its installer to call setInstallFinish (§7.1).
    pub install_pending: bool,
    /// `app.info` LICENSE; `..._ent250` marks an Enterprise plan (§3.1).
    pub license: String,
    /// Operating-time budget per method in seconds per 10 minutes (§3.2; 480 in the docs).
    pub operating_limit_s: f64,
    /// Seconds of operating time charged to every call, on top of the real processing time.
    pub operating_charge_s: f64,
    /// Length of the operating-time window in seconds (10 buckets; 600 on
    /// every portal). Tests shorten it to see a budget free up.
    pub operating_window_s: f64,
    /// Whether `time.operating*` is reported (always in cloud, off on self-hosted, §3.2).
    pub operating_reported: bool,
    pub batch_billing: BatchBilling,
    pub started_filter: StartedFilter,
    /// Accept the `=` and `!=` prefixes (docs since 2026-08-19) instead of dropping them (source).
    pub accept_eq_operators: bool,
    /// Accept filter field names in any case (docs) instead of upper case only (source).
    pub case_insensitive_filter_fields: bool,
    /// Filter fields this portal silently ignores (to prove the app notices).
    pub ignore_filter_fields: Vec<String>,
    /// The scopes granted to the app (`scope` reports them; a method of any
    /// other scope fails with `insufficient_scope`).
    pub scopes: Vec<String>,
    /// HTTP status of `insufficient_scope` (UNCONFIRMED, §6, §9.5: 401 as
    /// OAuthException gives it in the source, 403 in the docs' table).
    pub insufficient_scope_status: u16,
    /// Workflow ID → message: terminate and kill of that workflow fail with
    /// an empty error code, HTTP 400 and the message (§1.5), and the
    /// workflow keeps running.
    pub fail_stop: BTreeMap<String, String>,
    /// Workflows finished (as `/_emulator/workflows/finish` does) right after
    /// the next `bizproc.workflow.instances` answer is computed; one-shot,
    /// cleared once applied.
    pub finish_after_list: Vec<String>,
    /// Added latency per command a `batch` executes, in milliseconds (on
    /// top of `latency_ms`, which is per response).
    pub batch_command_latency_ms: u64,
    /// Longest string property value the application storage keeps, in
    /// bytes (UNCONFIRMED; a MySQL `text` column holds 65,535).
    pub entity_value_max_bytes: usize,
    /// What happens to a longer value.
    pub entity_value_overflow: ValueOverflow,
    /// Longest storage code `ENTITY` (docs: `50 - strlen("APP_<clientId>_")`,
    /// "in most cases 13").
    pub entity_code_max_len: usize,
    /// `bizproc.task.list`: a FILTER value that is a list (`FILTER[WORKFLOW_ID][]=a`
    /// or a JSON array) means "any of" (IN), as the ORM does; when false it
    /// is compared as the string "Array", as a PHP comparison unaware of
    /// arrays would, and matches nothing (UNCONFIRMED).
    pub task_filter_lists: bool,
    /// `bizproc.task.list`: a FILTER key with an unknown field or operator
    /// fails with 400 `ERROR_ARGUMENT` instead of being dropped silently as
    /// the server source's `getFilter` does for every bizproc list (§1.3).
    pub task_filter_strict: bool,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            rate: 2.0,
            burst: 50.0,
            latency_ms: 0,
            fail_rate: 0.0,
            inject_503_rate: 0.0,
            network_down: false,
            non_admin: false,
            plan_without_bizproc: false,
            token_ttl: 3600,
            install_pending: false,
            license: "en_pro100".to_owned(),
            operating_limit_s: 480.0,
            operating_charge_s: 0.0,
            operating_window_s: 600.0,
            operating_reported: true,
            batch_billing: BatchBilling::Nested,
            started_filter: StartedFilter::Convert,
            accept_eq_operators: false,
            case_insensitive_filter_fields: false,
            ignore_filter_fields: Vec::new(),
            scopes: parse_scopes(DEFAULT_SCOPES),
            insufficient_scope_status: 401,
            fail_stop: BTreeMap::new(),
            finish_after_list: Vec::new(),
            batch_command_latency_ms: 0,
            entity_value_max_bytes: 65_535,
            entity_value_overflow: ValueOverflow::Truncate,
            entity_code_max_len: 13,
            task_filter_lists: true,
            task_filter_strict: false,
        }
    }
}

impl Knobs {
    /// The knobs a freshly started emulator has, taken from the command line.
    pub fn from_config(config: &Config) -> Self {
        Knobs {
            rate: config.rate,
            burst: config.burst,
            latency_ms: config.latency_ms,
            fail_rate: config.fail_rate,
            non_admin: config.non_admin,
            plan_without_bizproc: config.plan_without_bizproc,
            token_ttl: config.token_ttl,
            install_pending: config.install_pending,
            scopes: parse_scopes(&config.scopes),
            ..Knobs::default()
        }
    }
}
