//! A run whose frame was closed or reloaded before it ended: its header
//! still says running. Opening the app reads the running runs and their
//! journals; a run nobody has written to for [`QUIET_AFTER_S`] is
//! interrupted (a banner with Resume and Dismiss), a run written to more
//! recently may be going on in another tab or for another admin and is
//! only reported. Nothing is sent on open: Resume rechecks
//! [`RunRecord::unsettled`] against the portal, then asks for a new
//! confirmation.

use crate::domain::actions::run::Action;
use crate::domain::i18n::{fill, Lang};
use crate::domain::time::format::{absolute_text, relative_text};
use crate::domain::time::TimeContext;

use super::read::{RunRecord, Stored};
use super::record::{RunHeader, RunState};

/// How long a running run may go unwritten before it counts as
/// interrupted. A batch and its journal take seconds; retries after a
/// full bucket or a busy portal may take a minute.
pub const QUIET_AFTER_S: i64 = 120;

/// What a running run found at open time is.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Nobody has written to it for [`QUIET_AFTER_S`] or more.
    Interrupted(Banner),
    /// Written to recently: maybe running in another tab or for another
    /// admin. Not to be resumed.
    Active(Banner),
}

/// The facts of a banner about a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    /// The run's header, with its item id (for Dismiss).
    pub header: Stored<RunHeader>,
    /// How many workflows have a recorded outcome (`k`).
    pub recorded: usize,
    /// The run's latest write, Unix seconds of the portal's clock.
    pub last_write: Option<i64>,
}

/// The running runs among `runs` (a page's, newest first), in that
/// order: those whose journals to read.
pub fn running(runs: &[Stored<RunHeader>]) -> Vec<&Stored<RunHeader>> {
    runs.iter()
        .filter(|r| r.value.state == RunState::Running)
        .collect()
}

/// What `record` (a run whose header says running) is at `now` (Unix
/// seconds of the portal's clock, e.g. the client's corrected by the
/// latest answer's `time`); `None` when it is not running.
pub fn assess(record: &RunRecord, now: i64) -> Option<Found> {
    if record.header.value.state != RunState::Running {
        return None;
    }
    // Without any portal time, the run's own start (the starter's clock).
    let last = record
        .last_write
        .unwrap_or(record.header.value.started_at_ms.div_euclid(1000));
    let banner = Banner {
        header: record.header.clone(),
        recorded: record.tally().recorded(),
        last_write: Some(last),
    };
    Some(if now - last >= QUIET_AFTER_S {
        Found::Interrupted(banner)
    } else {
        Found::Active(banner)
    })
}

impl Found {
    /// The banner's sentence in `lang`, times in the admin's zone.
    pub fn text(&self, lang: Lang, ctx: TimeContext) -> String {
        let t = lang.texts();
        let (template, b) = match self {
            Found::Interrupted(b) => (t.history_interrupted, b),
            Found::Active(b) => (t.history_running_elsewhere, b),
        };
        let h = &b.header.value;
        let action = match h.action {
            Action::Stop { .. } => t.history_action_stop,
            Action::Delete => t.history_action_delete,
        };
        let n = lang.plural(h.total as u64, &t.workflows);
        let time = absolute_text(h.started_at_ms.div_euclid(1000), ctx.offset_minutes, lang);
        let name = if h.who.name.trim().is_empty() {
            format!("#{}", h.who.id.0)
        } else {
            h.who.name.clone()
        };
        let ago = b
            .last_write
            .map(|at| relative_text(at, ctx.now, lang))
            .unwrap_or_default();
        fill(
            template,
            &[
                ("action", action),
                ("n", &n),
                ("time", &time),
                ("name", &name),
                ("k", &lang.number(b.recorded as u64)),
                ("ago", &ago),
            ],
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::actions::history::journal::tests::{header, row};
    use crate::domain::actions::history::journal::Journal;
    use crate::domain::actions::history::read::tests::{raw, stored};
    use crate::domain::actions::history::read::Page;
    use crate::domain::actions::history::record::Snapshot;
    use crate::domain::actions::run::Outcome;
    use crate::domain::wire::batch::BatchRequest;

    pub const AT: i64 = 1_726_229_165;

    /// The items a run of 60 left, 49 outcomes recorded, written at `AT`.
    pub fn items() -> Vec<serde_json::Value> {
        let snaps: Vec<Snapshot> = (0..60)
            .map(|i| Snapshot::of(&row(i, 3), "T", "U", "D"))
            .collect();
        let mut j = Journal::new(header(60));
        let mut requests = j.start(&snaps).expect("encodable");
        let done: Vec<(_, _)> = snaps[..49]
            .iter()
            .map(|s| (s.row.id.clone(), Outcome::Done))
            .collect();
        requests.push(BatchRequest::new(false, j.outcomes(&done).expect("encodable")).expect("ok"));
        stored(&requests, 1, AT)
    }

    /// That run, read back.
    fn record() -> RunRecord {
        let page = Page::read(&raw(items()));
        RunRecord::assemble(page.runs[0].clone(), &page.chunks)
    }

    #[test]
    fn a_quiet_running_run_is_interrupted_and_a_recent_one_is_not() {
        let r = record();
        let Some(Found::Interrupted(b)) = assess(&r, AT + QUIET_AFTER_S) else {
            panic!("quiet for the threshold: interrupted");
        };
        assert_eq!(b.recorded, 49);
        assert!(matches!(
            assess(&r, AT + QUIET_AFTER_S - 1),
            Some(Found::Active(_))
        ));
        let mut ended = r.clone();
        ended.header.value.state = RunState::Finished;
        assert_eq!(assess(&ended, AT + 10_000), None);
        let plan = r.unsettled();
        assert_eq!(plan.len(), 11, "the eleven never acted on, to recheck");
        assert_eq!(plan[0], r.rows[49].snapshot.row.id);
    }

    #[test]
    fn the_banner_tells_what_who_when_and_how_far() {
        let r = record();
        let ctx = TimeContext {
            now: AT + 600,
            offset_minutes: 180,
        };
        let found = assess(&r, ctx.now).expect("running");
        let en = found.text(Lang::En, ctx);
        assert_eq!(
            en,
            format!(
                "Deletion of 60 workflows started {} by Anna was interrupted after 49.",
                absolute_text(1_726_229_165, 180, Lang::En)
            )
        );
        let ru = found.text(Lang::Ru, ctx);
        assert!(
            ru.contains("Удаление") && ru.contains("60 процессов") && ru.contains("49"),
            "{ru}"
        );
        let active = assess(&r, AT + 30).expect("running").text(Lang::En, ctx);
        assert!(
            active.contains("still running") && active.contains("ago"),
            "{active}"
        );
    }

    #[test]
    fn running_runs_are_picked_in_the_pages_order() {
        let r = record();
        let mut older = r.header.clone();
        older.item_id = 0;
        let mut done = r.header.clone();
        done.item_id = 9;
        done.value.state = RunState::Finished;
        let runs = [done, r.header.clone(), older.clone()];
        let picked: Vec<u64> = running(&runs).iter().map(|h| h.item_id).collect();
        assert_eq!(picked, [r.header.item_id, 0]);
    }
}
