//! The side-by-side job "stop 2,500 workflows selected by a filter"
//! (issue 14, item 9): our app against the official JS SDK doing the same
//! in the same emulator (100 ms latency, the real 2/s bucket with a burst
//! of 50), each run on a fresh emulator holding exactly 2,500 workflows
//! started by automation among others.
//!
//! - **Ours**, as an admin does it: the preset "Started by automation",
//!   "Select all on this page", "Select all 2,500 matching", **Stop…**,
//!   the confirmation's "Stop 2,500 workflows", until the result panel.
//!   Its wall time is (Stop… → dialog ready) + (confirm → result shown):
//!   the admin's time in the dialog is not the app's.
//! - **The SDK** (`sdk-page/bench.html`, job `stop-batch`): the filter's
//!   first page (it tells the total), the other pages in one
//!   `actions.v2.batchByChunk`, then `batchByChunk` of 2,500
//!   `bizproc.workflow.terminate`; from its start to its status painted.
//!   The job `stop-calllist` lists with the SDK's own `actions.v2.callList`
//!   instead.
//!
//! Each run is checked against the emulator's log of terminate and kill
//! (`/_emulator/actions`): exactly the filter's 2,500 IDs, each stopped
//! once. A run that stopped anything else is an error, not a figure.
//!
//! The pure parts (the portal's size, which request belongs to which part
//! of the job, the check) are tested natively.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use portal_emulator::data::Directory;
use portal_emulator::state::{ActionEntry, ActionOutcome};
use portal_emulator::store::Store;
use portal_emulator::Config;
use serde_json::{json, Value};

use crate::bench::browser;
use crate::bench::waves::{Exchange, ARRIVAL_RESOLUTION_MS};
use crate::table::{grouped, TablePage};
use crate::{wait_for_within, Harness, HarnessError, Result};

/// How many workflows the filter selects.
pub const MATCHING: usize = 2_500;

/// The app's preset that is the filter: `STARTED_BY` 0. The SDK page
/// sends the same filter.
pub const PRESET: &str = "Started by automation";

/// The method the job runs on every workflow.
pub const TERMINATE: &str = "bizproc.workflow.terminate";

/// How long one side's run may take before the bench gives up on it.
const RUN_PATIENCE: Duration = Duration::from_secs(240);

/// How many workflows a portal generated from `seed` (anchored at
/// `epoch`) must hold for exactly `matching` of them to be started by
/// automation. The emulator's generator draws each row from the rows
/// before it, so a larger portal starts with the same rows: the answer is
/// the position of the `matching`-th automation row. `None` if a million
/// rows do not hold that many.
pub fn portal_size(seed: u64, epoch: i64, matching: usize) -> Option<usize> {
    if matching == 0 {
        return Some(0);
    }
    let directory = Directory::generate(seed);
    let mut n = matching.saturating_mul(4);
    while n <= 1_000_000 {
        let store = Store::generate(&directory, n, seed, epoch);
        let at = store
            .rows()
            .iter()
            .enumerate()
            .filter(|(_, w)| w.started_by == 0)
            .nth(matching - 1)
            .map(|(i, _)| i + 1);
        if at.is_some() {
            return at;
        }
        n *= 2;
    }
    None
}

/// The IDs the filter selects on this portal, read from the emulator's
/// own store (not through REST, so it costs the bucket nothing).
pub fn filter_ids(h: &Harness) -> BTreeSet<String> {
    h.emulator
        .state
        .store()
        .rows()
        .iter()
        .filter(|w| w.started_by == 0)
        .map(|w| w.id.clone())
        .collect()
}

/// When the admin acted and when the app answered, Unix ms (the frame's
/// clock, which is the log's).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Just before the click on **Stop…**.
    pub stop_click: f64,
    /// The dialog with its button enabled, painted.
    pub dialog_ready: f64,
    /// Just before the click on "Stop 2,500 workflows".
    pub confirm_click: f64,
    /// The result panel, painted.
    pub result_shown: f64,
}

impl Moments {
    /// Stop… → dialog ready.
    pub fn to_dialog_ms(&self) -> f64 {
        self.dialog_ready - self.stop_click
    }

    /// Confirm → result shown.
    pub fn run_ms(&self) -> f64 {
        self.result_shown - self.confirm_click
    }

    /// The app's time: both parts, without the admin's time in the dialog.
    pub fn wall_ms(&self) -> f64 {
        self.to_dialog_ms() + self.run_ms()
    }
}

/// The requests of our side from the Stop… click on, by what they were
/// for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parts {
    /// Sent before the confirmation: re-reading the set.
    pub recheck: Vec<Exchange>,
    /// Sent after it up to the answer of the last terminate: the batches
    /// of terminate (with the journal's command riding in them) and any
    /// re-read between them.
    pub run: Vec<Exchange>,
    /// Any other `entity.*` request (the run journal in the app's
    /// storage: its setup, start and close), whenever it was sent.
    pub journal: Vec<Exchange>,
    /// Sent after the last terminate was answered: the table and its
    /// counts again.
    pub refresh: Vec<Exchange>,
}

fn calls_any(e: &Exchange, wanted: impl Fn(&str) -> bool) -> bool {
    wanted(&e.method) || e.batch_methods.iter().any(|m| wanted(m))
}

/// Whether `e` stops or deletes workflows.
pub fn acts(e: &Exchange) -> bool {
    calls_any(e, |m| {
        m.eq_ignore_ascii_case(TERMINATE) || m.eq_ignore_ascii_case("bizproc.workflow.kill")
    })
}

/// Whether `e` reads or writes the app's storage.
pub fn journals(e: &Exchange) -> bool {
    calls_any(e, |m| m.to_ascii_lowercase().starts_with("entity."))
}

impl Parts {
    /// Sorts `exchanges` (the whole log of the page) into the parts of the
    /// job; what arrived before the Stop… click is not the job's. A
    /// re-read sent after the last terminate was answered would count as
    /// the refresh: on this portal (no faults) every answer settles its
    /// rows and there is none.
    pub fn of(exchanges: &[Exchange], m: &Moments) -> Parts {
        let mut parts = Parts::default();
        let after_confirm = |e: &Exchange| e.arrived_ms + ARRIVAL_RESOLUTION_MS >= m.confirm_click;
        let last_act = exchanges
            .iter()
            .filter(|e| after_confirm(e) && acts(e))
            .map(|e| e.answered_ms)
            .reduce(f64::max);
        for e in exchanges
            .iter()
            .filter(|e| e.arrived_ms + ARRIVAL_RESOLUTION_MS >= m.stop_click)
        {
            let part = if after_confirm(e) && acts(e) {
                &mut parts.run
            } else if journals(e) {
                &mut parts.journal
            } else if !after_confirm(e) {
                &mut parts.recheck
            } else if last_act.is_some_and(|t| e.arrived_ms < t) {
                &mut parts.run
            } else {
                &mut parts.refresh
            };
            part.push(e.clone());
        }
        parts
    }

    /// The job's own requests: recheck, run and journal (what the SDK's
    /// side also has to do, and the journal it does not keep); the
    /// refresh is the table's upkeep and is reported apart.
    pub fn job(&self) -> Vec<Exchange> {
        let mut all: Vec<Exchange> = self
            .recheck
            .iter()
            .chain(&self.run)
            .chain(&self.journal)
            .cloned()
            .collect();
        all.sort_by(|a, b| a.arrived_ms.total_cmp(&b.arrived_ms));
        all
    }
}

/// Where the time of a chain of requests went: the portal's (each
/// request's arrival to its answer leaving, latency included) and the
/// client's (from the previous answer leaving to the next arrival: its
/// parsing, its rendering, its pacing).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Split {
    /// The portal's time, summed over the requests.
    pub portal_ms: f64,
    /// The client's time between consecutive requests, summed.
    pub between_ms: f64,
    /// The longest single gap between an answer and the next request.
    pub longest_gap_ms: f64,
}

impl Split {
    /// The split of `exchanges` taken as one chain (see [`gaps`]).
    pub fn of(exchanges: &[Exchange]) -> Split {
        let gaps = gaps(exchanges);
        Split {
            portal_ms: exchanges.iter().map(|e| e.answered_ms - e.arrived_ms).sum(),
            between_ms: gaps.iter().sum(),
            longest_gap_ms: gaps.iter().copied().fold(0.0, f64::max),
        }
    }
}

/// The gaps of a chain of requests, in arrival order: from each answer
/// leaving to the next request's arrival (0 for a request sent before the
/// previous answer left).
pub fn gaps(exchanges: &[Exchange]) -> Vec<f64> {
    let mut sorted: Vec<&Exchange> = exchanges.iter().collect();
    sorted.sort_by(|a, b| a.arrived_ms.total_cmp(&b.arrived_ms));
    sorted
        .windows(2)
        .map(|w| (w[1].arrived_ms - w[0].answered_ms).max(0.0))
        .collect()
}

/// Checks the emulator's log of terminate and kill against the filter's
/// set: every entry a terminate of one of `expected`, each ID once, each
/// stopped. The error says what went wrong, with examples.
pub fn check_stopped(
    actions: &[ActionEntry],
    expected: &BTreeSet<String>,
) -> std::result::Result<(), String> {
    let mut by_id: BTreeMap<&str, Vec<&ActionEntry>> = BTreeMap::new();
    for a in actions {
        by_id.entry(a.id.as_str()).or_default().push(a);
    }
    let mut problems = Vec::new();
    let mut say = |what: &str, ids: Vec<&str>| {
        if !ids.is_empty() {
            let sample: Vec<&str> = ids.iter().take(3).copied().collect();
            problems.push(format!("{} {what} (e.g. {})", ids.len(), sample.join(", ")));
        }
    };
    say(
        "outside the filter's set",
        by_id
            .keys()
            .filter(|id| !expected.contains(**id))
            .copied()
            .collect(),
    );
    say(
        "never stopped",
        expected
            .iter()
            .filter(|id| !by_id.contains_key(id.as_str()))
            .map(String::as_str)
            .collect(),
    );
    say(
        "sent more than once",
        by_id
            .iter()
            .filter(|(_, calls)| calls.len() > 1)
            .map(|(id, _)| *id)
            .collect(),
    );
    say(
        "not a terminate",
        actions
            .iter()
            .filter(|a| !a.method.eq_ignore_ascii_case(TERMINATE))
            .map(|a| a.id.as_str())
            .collect(),
    );
    say(
        "not stopped by the portal",
        actions
            .iter()
            .filter(|a| a.outcome != ActionOutcome::Ok)
            .map(|a| a.id.as_str())
            .collect(),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the portal's log of terminate/kill ({} entries, {} expected) does not match: {}",
            actions.len(),
            expected.len(),
            problems.join("; ")
        ))
    }
}

/// The emulator for one run of either side: `base` (the bench's bucket
/// and dist) with `workflows` rows and the latency from the start.
pub fn run_config(base: &Config, dist: &Path, workflows: usize, latency_ms: u64) -> Config {
    let mut config = base.clone();
    config.dist = Some(dist.to_path_buf());
    config.workflows = workflows;
    config.latency_ms = latency_ms;
    config
}

/// A fresh emulator holding exactly [`MATCHING`] workflows for the filter:
/// its browser, and that set.
async fn fresh_portal(label: &str, config: Config) -> Result<(Harness, BTreeSet<String>)> {
    let h = Harness::start(label, config).await?;
    let expected = filter_ids(&h);
    if expected.len() != MATCHING {
        let n = expected.len();
        h.finish().await?;
        return Err(HarnessError::Unexpected(format!(
            "the portal holds {n} workflows started by automation, not {MATCHING}"
        )));
    }
    Ok((h, expected))
}

/// Checks the run against the portal's log of terminate and kill.
async fn verify(h: &Harness, expected: &BTreeSet<String>, side: &str) -> Result<usize> {
    let actions = h.control.actions().await?;
    check_stopped(&actions, expected)
        .map_err(|e| HarnessError::Unexpected(format!("{side}: {e}")))?;
    Ok(actions.len())
}

// ---------------------------------------------------------------------------
// Ours

/// One run of ours.
#[derive(Debug, Clone)]
pub struct AppRun {
    /// The clicks and the answers.
    pub moments: Moments,
    /// Its requests, by part.
    pub parts: Parts,
    /// The dialog's text as shown.
    pub dialog: String,
    /// The result panel's text.
    pub result: String,
}

impl AppRun {
    /// Where the run's time (confirm → result) went: before the first
    /// batch arrived, the chain of batches, after the last answer left.
    pub fn run_time(&self) -> RunTime {
        RunTime::of(
            &self.parts.run,
            self.moments.confirm_click,
            self.moments.result_shown,
        )
    }
}

/// The time of a run of terminate batches, from the click (or the IDs in
/// hand) to the result on screen.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RunTime {
    /// From the start to the first batch's arrival.
    pub lead_in_ms: f64,
    /// The chain of batches.
    pub chain: Split,
    /// From the last answer leaving to the result painted.
    pub tail_ms: f64,
}

impl RunTime {
    /// The run time of the terminate batches among `exchanges`, between
    /// `from` and `to` (Unix ms).
    pub fn of(exchanges: &[Exchange], from: f64, to: f64) -> RunTime {
        let batches: Vec<Exchange> = exchanges.iter().filter(|e| acts(e)).cloned().collect();
        let first = batches.iter().map(|e| e.arrived_ms).reduce(f64::min);
        let last = batches.iter().map(|e| e.answered_ms).reduce(f64::max);
        RunTime {
            lead_in_ms: first.map_or(0.0, |t| t - from),
            chain: Split::of(&batches),
            tail_ms: last.map_or(0.0, |t| to - t),
        }
    }
}

/// Records, in the app frame, when the dialog (with its button enabled)
/// and then the result panel appear, each timed to the first task after
/// the next paint as the app's own marks are: no polling delay.
const WATCH_JS: &str = "
const now = () => performance.timeOrigin + performance.now();
const a = { dialog: null, dialogSeen: null, confirmed: null, result: null, resultSeen: null };
window.__benchStop = a;
const afterPaint = key => requestAnimationFrame(() => setTimeout(() => { a[key] = now(); }, 0));
const look = () => {
  if (a.dialogSeen === null) {
    const d = document.querySelector('[role=dialog]');
    const b = d && Array.from(d.querySelectorAll('button')).pop();
    if (b && !b.disabled) { a.dialogSeen = now(); afterPaint('dialog'); }
  }
  if (a.confirmed !== null && a.resultSeen === null && document.querySelector('.wm-run--result')) {
    a.resultSeen = now(); afterPaint('result');
  }
};
if (window.__benchStopWatch) window.__benchStopWatch.disconnect();
const watch = new MutationObserver(look);
watch.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
window.__benchStopWatch = watch;
return true;";

/// Clicks Stop… (by its id); the time just before.
const STOP_JS: &str = "
const b = document.getElementById('wm-act-stop');
if (!b || b.disabled) return 'no enabled Stop… button';
const t = performance.timeOrigin + performance.now();
b.click();
return t;";

/// Clicks the dialog's last button if it says `arguments[0]`; the time
/// just before.
const CONFIRM_JS: &str = "
const d = document.querySelector('[role=dialog]');
const b = d && Array.from(d.querySelectorAll('button')).pop();
if (!b || b.disabled) return 'no enabled confirm button';
const said = b.textContent.replace(/\\s+/g, ' ').trim();
if (said !== arguments[0]) return 'the confirm button says ' + said;
const t = performance.timeOrigin + performance.now();
window.__benchStop.confirmed = t;
b.click();
return t;";

/// Runs `script` in the app frame; a number is a time, a string what was
/// missing.
async fn timed_click(h: &Harness, script: &str, args: Vec<Value>) -> Result<f64> {
    let v = browser::in_app(h, script, args).await?;
    v.as_f64()
        .ok_or_else(|| HarnessError::Unexpected(format!("click: {v}")))
}

/// Waits for `__benchStop[key]` (a painted moment).
async fn watched(h: &Harness, key: &str) -> Result<f64> {
    wait_for_within(RUN_PATIENCE, &format!("the {key} on screen"), || async {
        let v = browser::in_app(
            h,
            "return window.__benchStop ? window.__benchStop[arguments[0]] : null;",
            vec![json!(key)],
        )
        .await?;
        Ok(v.as_f64())
    })
    .await
}

/// The text of the first element matching `selector` in the app frame.
async fn text_of(h: &Harness, selector: &str) -> Result<String> {
    let v = browser::in_app(
        h,
        "const e = document.querySelector(arguments[0]);
         return e ? e.textContent.replace(/\\s+/g, ' ').trim() : '';",
        vec![json!(selector)],
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Waits until the page has sent nothing for `quiet` and has every answer.
async fn wait_quiet(h: &Harness, quiet: Duration) -> Result<()> {
    let deadline = Instant::now() + RUN_PATIENCE;
    let mut seen = browser::exchanges(h).await?.len();
    let mut since = Instant::now();
    while since.elapsed() < quiet {
        if Instant::now() > deadline {
            return Err(HarnessError::Timeout(
                RUN_PATIENCE,
                "the page to go quiet".into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = browser::exchanges(h).await?.len();
        if now != seen {
            seen = now;
            since = Instant::now();
        }
    }
    browser::wait_settled(h).await
}

/// One run of ours on a fresh portal: open, the preset, select all
/// matching, then (once the app's own bucket has drained, so the job
/// starts from a full burst, as the SDK page does) Stop… and confirm;
/// until the result, then the refresh. Checked against the portal's log.
pub async fn app_run(config: Config) -> Result<AppRun> {
    let (h, expected) = fresh_portal("bench-stop-app", config).await?;
    let t0 = browser::open_portal(&h, "").await?;
    browser::wait_mark_after(&h, "wm:named", t0).await?;
    let table = TablePage::of(&h).patient(browser::PATIENCE);
    table.apply_preset(PRESET).await?;
    let all = grouped(MATCHING as u64);
    table
        .wait_showing(&format!("Showing 1–50 of {all}"))
        .await?;
    table.set_checked("Select all on this page", true).await?;
    let offer = format!("Select all {all} matching");
    wait_for_within(browser::PATIENCE, &offer, || async {
        Ok(table.press(&offer).await.ok())
    })
    .await?;
    let selected = format!("All {all} matching the filters selected");
    wait_for_within(browser::PATIENCE, &selected, || async {
        let bar = text_of(&h, ".wm-selbar[role=toolbar]").await?;
        Ok(bar.starts_with(&selected).then_some(()))
    })
    .await?;
    wait_quiet(&h, Duration::from_millis(500)).await?;
    // The app's limiter keeps its own model of the portal's bucket: half a
    // second per request made so far empties both.
    let made = browser::exchanges(&h).await?.len() as u64;
    tokio::time::sleep(Duration::from_millis(500 * made + 1_000)).await;

    browser::in_app(&h, WATCH_JS, vec![]).await?;
    let stop_click = timed_click(&h, STOP_JS, vec![]).await?;
    let dialog_ready = watched(&h, "dialog").await?;
    let dialog = text_of(&h, "[role=dialog]").await?;
    if !dialog.contains(&format!("{all} workflows will be stopped.")) {
        return Err(HarnessError::Unexpected(format!(
            "the dialog says {dialog}"
        )));
    }
    let button = format!("Stop {all} workflows");
    let confirm_click = timed_click(&h, CONFIRM_JS, vec![json!(button)]).await?;
    let result_shown = watched(&h, "result").await?;
    let result = text_of(&h, ".wm-run--result").await?;
    // The refresh: the (now empty) list painted again, its counts asked.
    browser::wait_mark_after(&h, "wm:rows", confirm_click).await?;
    wait_quiet(&h, Duration::from_millis(1_500)).await?;
    let moments = Moments {
        stop_click,
        dialog_ready,
        confirm_click,
        result_shown,
    };
    let parts = Parts::of(&browser::exchanges(&h).await?, &moments);
    verify(&h, &expected, "ours").await?;
    if !result.contains(&format!("stopped: {all}")) {
        return Err(HarnessError::Unexpected(format!(
            "the result panel says {result}"
        )));
    }
    h.finish().await?;
    Ok(AppRun {
        moments,
        parts,
        dialog,
        result,
    })
}

// ---------------------------------------------------------------------------
// The SDK

/// One run of an SDK job.
#[derive(Debug, Clone)]
pub struct SdkRun {
    /// The job's `sdk:start` mark (Unix ms): after the SDK's handshake.
    pub start: f64,
    /// `sdk:listed`: every ID in hand.
    pub listed: Option<f64>,
    /// `sdk:done`: the status painted after the last terminate.
    pub done: Option<f64>,
    /// The requests the page sent from `start` on.
    pub requests: Vec<Exchange>,
    /// The SDK's error when the job failed (the page's `sdkBench.error`).
    pub failed: Option<String>,
    /// How many IDs the listing found.
    pub listed_ids: u64,
    /// How many terminate and kill commands the portal ran.
    pub actions: usize,
}

impl SdkRun {
    /// Start → listed.
    pub fn list_ms(&self) -> Option<f64> {
        self.listed.map(|t| t - self.start)
    }

    /// Listed → done.
    pub fn terminate_ms(&self) -> Option<f64> {
        self.listed.zip(self.done).map(|(l, d)| d - l)
    }

    /// Start → done.
    pub fn wall_ms(&self) -> Option<f64> {
        self.done.map(|d| d - self.start)
    }

    /// Where the terminate part's time (listed → done) went.
    pub fn run_time(&self) -> Option<RunTime> {
        self.listed
            .zip(self.done)
            .map(|(l, d)| RunTime::of(&self.requests, l, d))
    }
}

/// One run of the SDK page's `job` (`stop-batch`, `stop-calllist`) on a
/// fresh portal. A job that finished is checked against the portal's log
/// (an error when it stopped anything but the filter's set, each once); a
/// job that failed must have stopped nothing, and says why it failed.
pub async fn sdk_run(config: Config, job: &str) -> Result<SdkRun> {
    let (h, expected) = fresh_portal("bench-stop-sdk", config).await?;
    browser::open_portal(&h, &format!("?job={job}")).await?;
    let state = wait_for_within(
        RUN_PATIENCE,
        &format!("the SDK page's job {job}"),
        || async {
            let v = browser::in_app(&h, "return window.sdkBench || null;", vec![])
                .await
                .unwrap_or(Value::Null);
            Ok(match v["state"].as_str() {
                Some("done") | Some("failed") => Some(v),
                _ => None,
            })
        },
    )
    .await?;
    let start = browser::mark(&h, "sdk:start")
        .await?
        .ok_or_else(|| HarnessError::Unexpected(format!("{job}: no sdk:start mark")))?;
    let listed = browser::mark(&h, "sdk:listed").await?;
    let done = browser::mark(&h, "sdk:done").await?;
    let failed = (state["state"] != "done").then(|| {
        state["error"]
            .as_str()
            .unwrap_or("no error given")
            .to_owned()
    });
    let until = done.unwrap_or(f64::INFINITY);
    let requests = browser::exchanges(&h)
        .await?
        .into_iter()
        .filter(|e| e.arrived_ms + ARRIVAL_RESOLUTION_MS >= start && e.arrived_ms <= until)
        .collect();
    let actions = if failed.is_some() {
        h.control.actions().await?.len()
    } else {
        verify(&h, &expected, &format!("SDK {job}")).await?
    };
    h.finish().await?;
    Ok(SdkRun {
        start,
        listed,
        done,
        requests,
        failed,
        listed_ids: state["listed"].as_u64().unwrap_or(0),
        actions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(seq: u64, methods: &[&str], arrived: f64, answered: f64) -> Exchange {
        let (method, batch_methods) = match methods {
            [one] => ((*one).to_owned(), Vec::new()),
            many => (
                "batch".to_owned(),
                many.iter().map(|m| (*m).to_owned()).collect(),
            ),
        };
        Exchange {
            seq,
            method,
            batch_methods,
            arrived_ms: arrived,
            answered_ms: answered,
        }
    }

    const LIST: &str = "bizproc.workflow.instances";

    fn moments() -> Moments {
        Moments {
            stop_click: 1_000.0,
            dialog_ready: 1_200.0,
            confirm_click: 2_000.0,
            result_shown: 2_500.0,
        }
    }

    #[test]
    fn the_app_time_leaves_out_the_admins_time_in_the_dialog() {
        let m = moments();
        assert_eq!(
            (m.to_dialog_ms(), m.run_ms(), m.wall_ms()),
            (200.0, 500.0, 700.0)
        );
    }

    #[test]
    fn sorts_the_requests_into_recheck_run_journal_and_refresh() {
        let log = [
            ex(1, &[LIST], 500.0, 600.0),
            ex(2, &[LIST, LIST], 1_001.0, 1_150.0),
            ex(3, &["entity.item.add"], 1_990.0, 2_100.0),
            ex(4, &[TERMINATE, TERMINATE], 2_001.0, 2_110.0),
            ex(5, &[LIST], 2_111.0, 2_200.0),
            ex(6, &["entity.item.add", TERMINATE], 2_201.0, 2_310.0),
            ex(7, &[LIST, "user.get"], 2_312.0, 2_420.0),
            ex(8, &["entity.item.update"], 2_313.0, 2_420.0),
        ];
        let p = Parts::of(&log, &moments());
        let seqs = |v: &[Exchange]| v.iter().map(|e| e.seq).collect::<Vec<_>>();
        assert_eq!(seqs(&p.recheck), [2], "before the click is not the job's");
        assert_eq!(
            seqs(&p.run),
            [4, 5, 6],
            "a re-read between batches and a batch carrying the journal's command are the run's"
        );
        assert_eq!(seqs(&p.journal), [3, 8]);
        assert_eq!(seqs(&p.refresh), [7]);
        assert_eq!(seqs(&p.job()), [2, 3, 4, 5, 6, 8]);
    }

    #[test]
    fn splits_a_chain_into_the_portals_time_and_the_clients() {
        let chain = [
            ex(2, &[TERMINATE], 1_130.0, 1_240.0),
            ex(1, &[TERMINATE], 1_000.0, 1_110.0),
            ex(3, &[TERMINATE], 1_300.0, 1_400.0),
        ];
        let s = Split::of(&chain);
        assert_eq!(
            (s.portal_ms, s.between_ms, s.longest_gap_ms),
            (320.0, 80.0, 60.0)
        );
        let side_by_side = [ex(1, &[LIST], 0.0, 100.0), ex(2, &[LIST], 1.0, 100.0)];
        assert_eq!(Split::of(&side_by_side).between_ms, 0.0);
        assert_eq!(gaps(&chain), [20.0, 60.0]);
        assert_eq!(Split::of(&[]), Split::default());
    }

    #[test]
    fn a_batch_of_kill_acts_too() {
        assert!(acts(&ex(1, &["bizproc.workflow.kill", LIST], 0.0, 1.0)));
        assert!(!acts(&ex(1, &[LIST], 0.0, 1.0)));
        assert!(journals(&ex(1, &["ENTITY.ITEM.GET"], 0.0, 1.0)));
    }

    fn entry(seq: u64, id: &str, method: &str, outcome: ActionOutcome) -> ActionEntry {
        ActionEntry {
            seq,
            at_ms: 0,
            method: method.to_owned(),
            id: id.to_owned(),
            status: None,
            batch_key: None,
            outcome,
            message: None,
        }
    }

    fn set(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn accepts_exactly_the_set_each_stopped_once() {
        let log = [
            entry(1, "a", TERMINATE, ActionOutcome::Ok),
            entry(2, "b", TERMINATE, ActionOutcome::Ok),
        ];
        assert_eq!(check_stopped(&log, &set(&["a", "b"])), Ok(()));
    }

    #[test]
    fn names_every_way_a_run_can_miss_the_set() {
        let log = [
            entry(1, "a", TERMINATE, ActionOutcome::Ok),
            entry(2, "a", TERMINATE, ActionOutcome::NotFound),
            entry(3, "x", TERMINATE, ActionOutcome::Ok),
            entry(4, "c", "bizproc.workflow.kill", ActionOutcome::Ok),
        ];
        let err = check_stopped(&log, &set(&["a", "b", "c"])).unwrap_err();
        for part in [
            "1 outside the filter's set (e.g. x)",
            "1 never stopped (e.g. b)",
            "1 sent more than once (e.g. a)",
            "1 not a terminate (e.g. c)",
            "1 not stopped by the portal (e.g. a)",
        ] {
            assert!(err.contains(part), "{part}: {err}");
        }
        assert!(check_stopped(&[], &set(&["a"])).is_err(), "nothing stopped");
    }

    #[test]
    fn the_portal_size_holds_exactly_the_matching_count() {
        let (seed, epoch) = (1, 1_767_225_600);
        let n = portal_size(seed, epoch, 300).unwrap();
        let store = Store::generate(&Directory::generate(seed), n, seed, epoch);
        let automation = |s: &Store| s.rows().iter().filter(|w| w.started_by == 0).count();
        assert_eq!(automation(&store), 300);
        assert_eq!(
            store.rows().last().map(|w| w.started_by),
            Some(0),
            "the smallest such portal"
        );
        assert!(n > 300, "others than the filter's are there too");
        assert_eq!(portal_size(seed, epoch, 0), Some(0));
    }
}
