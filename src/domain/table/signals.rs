//! Stuck and idle workflows: the rules, the badges a row gets with their
//! explanations, and the counts of the summary line above the table.
//!
//! - **Stuck** is the method's own definition (§1.3): the lock
//!   (`OWNED_UNTIL`) expired more than 5 minutes ago. No lock is not stuck.
//! - **Idle**: not modified for more than 7 days.
//!
//! Both are judged against a `now` passed in, with the same strict "more
//! than" the presets send (`<OWNED_UNTIL now−5 min`, `<MODIFIED now−7 d`),
//! so a badge and the preset's rows agree at the boundary.
//!
//! The counts come from the portal, never from the rows on screen: one
//! `batch` of two list commands under the current filters with the
//! preset's filter set, each read for its `total` only ([`CountsRequest`]).
//! A count whose preset is already active is the list's own total, and is
//! not asked for.

use serde_json::Value;

use crate::domain::i18n::{fill, Lang};
use crate::domain::methods::instances::{
    Field, InstancesQuery, SortDir, WorkflowPage, WorkflowRow, INSTANCES_METHOD,
};
use crate::domain::table::filters::{Filters, Preset, STUCK_AFTER_S};
use crate::domain::time::format::{relative_text, span_text};
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{BatchCommand, BatchRequest, BatchResponse, CommandKey};
use crate::domain::wire::errors::{ParseError, RestError};

/// Seven days: unchanged for longer than this is idle.
pub const IDLE_AFTER_S: u64 = 7 * 86_400;

/// Which signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignalKind {
    /// The lock expired more than 5 minutes ago.
    Stuck,
    /// Not modified for more than 7 days.
    Idle,
}

impl SignalKind {
    /// Both, in the summary's order.
    pub const ALL: [SignalKind; 2] = [SignalKind::Stuck, SignalKind::Idle];

    /// The preset that lists exactly these workflows.
    pub fn preset(self) -> Preset {
        match self {
            SignalKind::Stuck => Preset::Stuck,
            SignalKind::Idle => Preset::IdleFor7Days,
        }
    }

    /// The signal of this kind on `row` at `now` ([`stuck`], [`idle`]).
    pub fn of(self, row: &WorkflowRow, now: i64) -> Option<RowSignal> {
        match self {
            SignalKind::Stuck => stuck(row, now),
            SignalKind::Idle => idle(row, now),
        }
    }

    /// The key of its command in the counts batch.
    pub fn command_key(self) -> &'static str {
        match self {
            SignalKind::Stuck => "stuck",
            SignalKind::Idle => "idle",
        }
    }

    /// The badge text: `Stuck`, `Idle`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SignalKind::Stuck => lang.texts().badge_stuck,
            SignalKind::Idle => lang.texts().badge_idle,
        }
    }

    /// The summary's count: `12 stuck`, `40 idle > 7 days`.
    pub fn count_text(self, n: u64, lang: Lang) -> String {
        let t = lang.texts();
        match self {
            SignalKind::Stuck => lang.plural(n, &t.count_stuck),
            SignalKind::Idle => lang.plural(n, &t.count_idle),
        }
    }

    /// What pressing the count does.
    pub fn count_hint(self, lang: Lang) -> &'static str {
        match self {
            SignalKind::Stuck => lang.texts().count_stuck_hint,
            SignalKind::Idle => lang.texts().count_idle_hint,
        }
    }
}

/// One signal on one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSignal {
    /// Which.
    pub kind: SignalKind,
    /// Since when (Unix seconds): the lock's expiry, or the last change.
    pub since: i64,
    /// The `now` it was judged at.
    pub now: i64,
}

impl RowSignal {
    /// For the tooltip: "Stuck: the lock expired 2 h ago (more than 5
    /// minutes). The workflow is probably hung."
    pub fn explanation(&self, lang: Lang) -> String {
        let t = lang.texts();
        match self.kind {
            SignalKind::Stuck => fill(
                t.stuck_explained,
                &[("ago", &relative_text(self.since, self.now, lang))],
            ),
            SignalKind::Idle => fill(
                t.idle_explained,
                &[("span", &span_text(self.now.abs_diff(self.since), lang))],
            ),
        }
    }
}

/// Whether `since` lies more than `limit` seconds before `now`.
fn more_than(since: i64, now: i64, limit: u64) -> bool {
    i128::from(now) - i128::from(since) > i128::from(limit)
}

/// The Stuck signal of `row` at `now`: its lock expired more than
/// [`STUCK_AFTER_S`] ago. `None` without a lock, with a lock that could
/// not be read (unknown is not stuck), or when the lock is newer.
pub fn stuck(row: &WorkflowRow, now: i64) -> Option<RowSignal> {
    let lock = row.owned_until?;
    more_than(lock.unix_s, now, STUCK_AFTER_S).then_some(RowSignal {
        kind: SignalKind::Stuck,
        since: lock.unix_s,
        now,
    })
}

/// The Idle signal of `row` at `now`: not modified for more than
/// [`IDLE_AFTER_S`]. `None` without a readable `MODIFIED`.
pub fn idle(row: &WorkflowRow, now: i64) -> Option<RowSignal> {
    let modified = row.modified?;
    more_than(modified.unix_s, now, IDLE_AFTER_S).then_some(RowSignal {
        kind: SignalKind::Idle,
        since: modified.unix_s,
        now,
    })
}

/// One count of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// The portal's `total` for the count's query.
    Known(u64),
    /// The list's own total: its filters already include the condition.
    ListTotal,
}

impl Count {
    /// The number, given the total of the list under the same filters.
    pub fn resolve(self, list_total: Option<u64>) -> Option<u64> {
        match self {
            Count::Known(n) => Some(n),
            Count::ListTotal => list_total,
        }
    }
}

/// The counts of the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalCounts {
    /// Stuck workflows under the current filters.
    pub stuck: Count,
    /// Idle workflows under the current filters.
    pub idle: Count,
}

impl SignalCounts {
    /// The count of `kind`.
    pub fn get(&self, kind: SignalKind) -> Count {
        match kind {
            SignalKind::Stuck => self.stuck,
            SignalKind::Idle => self.idle,
        }
    }
}

/// What the summary needs from the portal for one filter set, at one
/// moment: a batch of up to two commands, or nothing at all.
#[derive(Debug, Clone, PartialEq)]
pub struct CountsRequest {
    batch: Option<BatchRequest>,
    /// The kinds asked for in the batch, in order, with each command's
    /// parameters.
    asked: Vec<(SignalKind, Value)>,
}

impl CountsRequest {
    /// The counts under `filters` at `ctx`. Each kind is the list with
    /// the kind's preset set in its slot, exactly what pressing the count
    /// shows: the other filters stay, and a filter of the same kind (a
    /// Locked until range beside Stuck) gives way to the preset, so its
    /// `<OWNED_UNTIL` never collides with the condition's in one FILTER
    /// object. A kind whose preset is already active is the list's total
    /// and is not asked for.
    ///
    /// Each command selects only `ID`, in `ID` order (the cheapest sort),
    /// from `start` 0; only its `total` is read.
    pub fn new(filters: &Filters, ctx: TimeContext) -> CountsRequest {
        let mut commands = Vec::new();
        let mut asked = Vec::new();
        for kind in SignalKind::ALL {
            let mut with = filters.clone();
            if !with.set(kind.preset().filter()) {
                continue;
            }
            let query = InstancesQuery {
                order: vec![(Field::Id, SortDir::Asc)],
                start: 0,
                select: vec![Field::Id],
                filter: with.conditions(ctx),
            };
            let Ok(key) = CommandKey::new(kind.command_key()) else {
                continue;
            };
            let params = query.to_params();
            commands.push(BatchCommand {
                key,
                method: INSTANCES_METHOD.to_owned(),
                params: params.clone(),
            });
            asked.push((kind, params));
        }
        // Unreachable failure: two commands with fixed, valid keys and
        // encodable params. Without a batch the summary says its counts
        // are unavailable instead of showing a wrong number.
        let batch = if commands.is_empty() {
            None
        } else {
            BatchRequest::new(true, commands).ok()
        };
        if batch.is_none() {
            asked.clear();
        }
        CountsRequest { batch, asked }
    }

    /// The batch to send; `None` when both counts are the list's total.
    pub fn batch(&self) -> Option<&BatchRequest> {
        self.batch.as_ref()
    }

    /// The parameters of the command for `kind`, as for a single call;
    /// `None` when it is not asked for.
    pub fn params(&self, kind: SignalKind) -> Option<&Value> {
        self.asked.iter().find(|(k, _)| *k == kind).map(|(_, p)| p)
    }

    /// The counts from the batch's answer (`None` when nothing was sent).
    /// A command that failed or did not run fails the counts: the summary
    /// shows both or neither.
    pub fn read(&self, answer: Option<&BatchResponse>) -> Result<SignalCounts, RestError> {
        let mut counts = SignalCounts {
            stuck: Count::ListTotal,
            idle: Count::ListTotal,
        };
        for &(kind, _) in &self.asked {
            let Some(answer) = answer else {
                return Err(RestError::BadResponse(ParseError::MissingResult));
            };
            let total = match answer.get(kind.command_key()) {
                Some(Ok(raw)) => WorkflowPage::from_raw(raw)?.total,
                Some(Err(e)) => return Err(e.clone()),
                None => return Err(RestError::BadResponse(ParseError::MissingResult)),
            };
            match kind {
                SignalKind::Stuck => counts.stuck = Count::Known(total),
                SignalKind::Idle => counts.idle = Count::Known(total),
            }
        }
        Ok(counts)
    }
}

/// How long counts stay good for the same filters without a refresh.
pub const COUNTS_BUCKET_S: i64 = 60;

/// What a set of counts answers: the filters and the minute they were
/// asked at. Paging, sorting and columns do not change it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountsKey {
    filters: Filters,
    bucket: i64,
}

impl CountsKey {
    /// The key for `filters` at `ctx`.
    pub fn new(filters: &Filters, ctx: TimeContext) -> CountsKey {
        CountsKey {
            filters: filters.clone(),
            bucket: ctx.now.div_euclid(COUNTS_BUCKET_S),
        }
    }
}

/// The last few counts, so that going back to a filter set within the
/// same minute costs nothing. A refresh empties it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountsCache {
    entries: Vec<(CountsKey, SignalCounts)>,
}

impl CountsCache {
    /// How many filter sets it remembers.
    pub const CAPACITY: usize = 8;

    /// The counts for `key`, if remembered.
    pub fn get(&self, key: &CountsKey) -> Option<SignalCounts> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, c)| *c)
    }

    /// Remembers `counts` for `key`, forgetting the oldest beyond
    /// [`CountsCache::CAPACITY`].
    pub fn put(&mut self, key: CountsKey, counts: SignalCounts) {
        self.entries.retain(|(k, _)| *k != key);
        self.entries.push((key, counts));
        if self.entries.len() > Self::CAPACITY {
            self.entries.remove(0);
        }
    }

    /// Forgets everything (a refresh).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::domain::methods::instances::{TemplateId, UserId};
    use crate::domain::table::filters::{DateBound, DateRange, Filter, WallTime};
    use crate::domain::wire::batch::parse_batch;
    use crate::domain::wire::errors::{ErrorCode, PortalError};

    /// 2025-01-01T00:00:00Z, an administrator in Moscow.
    const CTX: TimeContext = TimeContext {
        now: 1_735_689_600,
        offset_minutes: 180,
    };
    const NOW: i64 = CTX.now;

    fn row(v: Value) -> WorkflowRow {
        WorkflowRow::from_value(&v).expect("a row")
    }

    fn iso(unix_s: i64) -> String {
        crate::domain::time::instant::Timestamp {
            unix_s,
            offset_minutes: 180,
        }
        .to_iso8601()
    }

    #[test]
    fn stuck_means_the_lock_expired_more_than_five_minutes_ago() {
        // (seconds since the lock expired, stuck?)
        for (ago, want) in [
            (299, false),
            (300, false),
            (301, true),
            (7_200, true),
            (-600, false),
            (0, false),
        ] {
            let r = row(json!({"ID": "a", "OWNED_UNTIL": iso(NOW - ago)}));
            assert_eq!(stuck(&r, NOW).is_some(), want, "{ago} s ago");
        }
        let unlocked = row(json!({"ID": "a", "OWNED_UNTIL": null}));
        assert_eq!(stuck(&unlocked, NOW), None, "no lock is not stuck");
        let unreadable = row(json!({"ID": "a", "OWNED_UNTIL": "soon"}));
        assert_eq!(stuck(&unreadable, NOW), None, "unknown is not stuck");
        let not_selected = row(json!({"ID": "a"}));
        assert_eq!(stuck(&not_selected, NOW), None);
    }

    #[test]
    fn idle_means_unchanged_for_more_than_seven_days() {
        let day = 86_400;
        for (ago, want) in [
            (7 * day - 1, false),
            (7 * day, false),
            (7 * day + 1, true),
            (400 * day, true),
            (-day, false),
        ] {
            let r = row(json!({"ID": "a", "MODIFIED": iso(NOW - ago)}));
            assert_eq!(idle(&r, NOW).is_some(), want, "{ago} s ago");
        }
        let unreadable = row(json!({"ID": "a", "MODIFIED": "last week"}));
        assert_eq!(idle(&unreadable, NOW), None);
        assert_eq!(idle(&row(json!({"ID": "a", "MODIFIED": null})), NOW), None);
    }

    #[test]
    fn the_rules_agree_with_the_presets_at_their_boundaries() {
        // The preset sends `<FIELD now−limit`: a row is listed exactly when
        // its badge shows.
        for (preset, field, limit) in [
            (Preset::Stuck, Field::OwnedUntil, STUCK_AFTER_S),
            (Preset::IdleFor7Days, Field::Modified, IDLE_AFTER_S),
        ] {
            let conditions = preset.filter().conditions(CTX);
            assert_eq!(conditions.len(), 1);
            assert_eq!(conditions[0].key(), format!("<{}", field.as_str()));
            for delta in [-1, 0, 1] {
                let at = NOW - limit as i64 + delta;
                let r = row(json!({"ID": "a", field.as_str(): iso(at)}));
                let listed = at < NOW - limit as i64;
                let kind = match preset {
                    Preset::Stuck => SignalKind::Stuck,
                    _ => SignalKind::Idle,
                };
                let badge = kind.of(&r, NOW);
                assert_eq!(badge.is_some(), listed, "{preset:?} {delta}");
            }
        }
    }

    #[test]
    fn explanations_say_how_long_in_each_language() {
        let s = RowSignal {
            kind: SignalKind::Stuck,
            since: NOW - 2 * 3_600,
            now: NOW,
        };
        assert_eq!(
            s.explanation(Lang::En),
            "Stuck: the lock expired 2 h ago (more than 5 minutes). The workflow is probably hung."
        );
        assert_eq!(
            s.explanation(Lang::Ru),
            "Завис: блокировка истекла 2 ч назад (более 5 минут). Вероятно, процесс завис."
        );
        let i = RowSignal {
            kind: SignalKind::Idle,
            since: NOW - 9 * 86_400,
            now: NOW,
        };
        assert_eq!(
            i.explanation(Lang::En),
            "Idle: no change for 9 d (more than 7 days)."
        );
        assert_eq!(
            i.explanation(Lang::Ru),
            "Простаивает: без изменений 9 дней (более 7 дней)."
        );
        assert_eq!(SignalKind::Stuck.label(Lang::Ru), "Завис");
        assert_eq!(SignalKind::Stuck.count_text(12, Lang::En), "12 stuck");
        assert_eq!(
            SignalKind::Idle.count_text(1_040, Lang::En),
            "1,040 idle > 7 days"
        );
        assert_eq!(SignalKind::Stuck.count_text(21, Lang::Ru), "21 зависший");
        assert_eq!(
            SignalKind::Idle.count_text(3, Lang::Ru),
            "3 простаивают > 7 дней"
        );
    }

    fn filter_of(req: &CountsRequest, kind: SignalKind) -> Value {
        req.params(kind)
            .map_or(Value::Null, |p| p["filter"].clone())
    }

    #[test]
    fn without_filters_one_batch_asks_both_totals_selecting_only_id() {
        let req = CountsRequest::new(&Filters::new(), CTX);
        let Some(batch) = req.batch() else {
            panic!("a batch");
        };
        // now−5 min and now−7 days, written in the admin's offset.
        assert_eq!(iso(NOW - 300), "2025-01-01T02:55:00+03:00");
        assert_eq!(iso(NOW - 7 * 86_400), "2024-12-25T03:00:00+03:00");
        assert_eq!(
            batch.to_params(),
            json!({"halt": 1, "cmd": {
                "stuck": "bizproc.workflow.instances?select[0]=ID&order[ID]=ASC&filter[%3COWNED_UNTIL]=2025-01-01T02%3A55%3A00%2B03%3A00&start=0",
                "idle": "bizproc.workflow.instances?select[0]=ID&order[ID]=ASC&filter[%3CMODIFIED]=2024-12-25T03%3A00%3A00%2B03%3A00&start=0"
            }})
        );
    }

    #[test]
    fn the_current_filters_are_merged_with_each_condition() {
        let mut filters = Filters::new();
        filters.set(Filter::Template {
            id: TemplateId(212),
            exclude: false,
        });
        filters.set(Filter::StartedBy(UserId(0)));
        let req = CountsRequest::new(&filters, CTX);
        // Exact keys, in the order sent.
        assert_eq!(
            filter_of(&req, SignalKind::Stuck).to_string(),
            format!(
                r#"{{"<OWNED_UNTIL":"{}","TEMPLATE_ID":212,"STARTED_BY":0}}"#,
                iso(NOW - 300)
            )
        );
        assert_eq!(
            filter_of(&req, SignalKind::Idle).to_string(),
            format!(
                r#"{{"<MODIFIED":"{}","TEMPLATE_ID":212,"STARTED_BY":0}}"#,
                iso(NOW - 7 * 86_400)
            )
        );
        for kind in SignalKind::ALL {
            let params = req.params(kind).cloned().unwrap_or_default();
            assert_eq!(params["select"], json!(["ID"]));
            assert_eq!(params["order"], json!({"ID": "ASC"}));
        }
    }

    #[test]
    fn a_locked_until_range_gives_way_to_the_stuck_condition_as_the_button_does() {
        let at = |s: &str| DateBound::At(WallTime::parse(s).expect(s));
        let mut filters = Filters::new();
        filters.set(Filter::LockedUntil(DateRange {
            from: Some(at("2024-12-01")),
            to: Some(at("2025-02-01")),
        }));
        let req = CountsRequest::new(&filters, CTX);
        // One `<OWNED_UNTIL`, the condition's: never two values fighting
        // for one key of the FILTER object.
        assert_eq!(
            filter_of(&req, SignalKind::Stuck),
            json!({"<OWNED_UNTIL": iso(NOW - 300)})
        );
        // The idle count keeps the range: it is another kind of filter.
        assert_eq!(
            filter_of(&req, SignalKind::Idle),
            json!({
                ">=OWNED_UNTIL": "2024-12-01T00:00:00+03:00",
                "<OWNED_UNTIL": "2025-02-02T00:00:00+03:00",
                "<MODIFIED": iso(NOW - 7 * 86_400)
            })
        );
        // The stuck count is what pressing it lists.
        let mut pressed = filters.clone();
        pressed.set(Preset::Stuck.filter());
        let listed = InstancesQuery {
            filter: pressed.conditions(CTX),
            ..InstancesQuery::default()
        };
        assert_eq!(
            listed.to_params()["filter"],
            filter_of(&req, SignalKind::Stuck)
        );
    }

    #[test]
    fn a_count_whose_preset_is_active_is_the_lists_total_and_not_asked() {
        let mut filters = Filters::new();
        filters.set(Preset::Stuck.filter());
        let req = CountsRequest::new(&filters, CTX);
        let keys: Vec<String> = req
            .batch()
            .map(|b| b.keys().map(str::to_owned).collect())
            .unwrap_or_default();
        assert_eq!(keys, ["idle"]);
        assert_eq!(
            filter_of(&req, SignalKind::Idle),
            json!({"<OWNED_UNTIL": iso(NOW - 300), "<MODIFIED": iso(NOW - 7 * 86_400)})
        );
        let answer = parse_batch(&json!({"result": {
            "result": {"idle": [{"ID": "a"}]}, "result_error": [],
            "result_total": {"idle": 7}, "result_next": [], "result_time": []
        }}))
        .expect("batch");
        let counts = req.read(Some(&answer)).expect("counts");
        assert_eq!(counts.stuck, Count::ListTotal);
        assert_eq!(counts.idle, Count::Known(7));
        assert_eq!(counts.stuck.resolve(Some(40)), Some(40));
        assert_eq!(counts.stuck.resolve(None), None);

        filters.set(Preset::IdleFor7Days.filter());
        let both = CountsRequest::new(&filters, CTX);
        assert_eq!(both.batch(), None, "nothing to ask");
        assert_eq!(
            both.read(None),
            Ok(SignalCounts {
                stuck: Count::ListTotal,
                idle: Count::ListTotal
            })
        );
    }

    #[test]
    fn counts_are_the_totals_and_a_failed_command_fails_both() {
        let req = CountsRequest::new(&Filters::new(), CTX);
        let ok = parse_batch(&json!({"result": {
            "result": {"stuck": [{"ID": "a"}], "idle": []},
            "result_error": [],
            "result_total": {"stuck": "12", "idle": 0},
            "result_next": {"stuck": 50}, "result_time": []
        }}))
        .expect("batch");
        assert_eq!(
            req.read(Some(&ok)),
            Ok(SignalCounts {
                stuck: Count::Known(12),
                idle: Count::Known(0)
            })
        );
        let failed = parse_batch(&json!({"result": {
            "result": {"stuck": []},
            "result_error": {"idle": {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}},
            "result_total": {"stuck": 0}, "result_next": [], "result_time": []
        }}))
        .expect("batch");
        assert!(matches!(
            req.read(Some(&failed)),
            Err(RestError::Portal(PortalError {
                code: ErrorCode::QueryLimitExceeded,
                ..
            })) | Err(RestError::Portal(PortalError {
                code: ErrorCode::Other,
                ..
            }))
        ));
        let halted = parse_batch(&json!({"result": {
            "result": {"stuck": []}, "result_error": [],
            "result_total": {"stuck": 0}, "result_next": [], "result_time": []
        }}))
        .expect("batch");
        assert_eq!(
            req.read(Some(&halted)),
            Err(RestError::BadResponse(ParseError::MissingResult))
        );
        assert!(req.read(None).is_err());
    }

    #[test]
    fn the_cache_keys_on_filters_and_the_minute() {
        let mut cache = CountsCache::default();
        let counts = SignalCounts {
            stuck: Count::Known(1),
            idle: Count::Known(2),
        };
        let key = CountsKey::new(&Filters::new(), CTX);
        cache.put(key.clone(), counts);
        let later = TimeContext {
            now: NOW + 59,
            ..CTX
        };
        assert_eq!(
            cache.get(&CountsKey::new(&Filters::new(), later)),
            Some(counts)
        );
        let next_minute = TimeContext {
            now: NOW + 60,
            ..CTX
        };
        assert_eq!(
            cache.get(&CountsKey::new(&Filters::new(), next_minute)),
            None
        );
        let mut filtered = Filters::new();
        filtered.set(Filter::StartedBy(UserId(0)));
        assert_eq!(cache.get(&CountsKey::new(&filtered, CTX)), None);
        for i in 0..CountsCache::CAPACITY as i64 {
            let t = TimeContext {
                now: NOW + 60 * (i + 1),
                ..CTX
            };
            cache.put(CountsKey::new(&Filters::new(), t), counts);
        }
        assert_eq!(cache.get(&key), None, "the oldest is forgotten");
        cache.clear();
        assert_eq!(cache, CountsCache::default());
    }

    #[test]
    fn paging_sorting_and_columns_keep_the_counts_key_and_a_filter_changes_it() {
        use crate::domain::table::paging::PageSize;
        use crate::domain::table::view::{Column, PageTarget, ViewState};
        let mut v = ViewState::default();
        let key = CountsKey::new(v.filters(), CTX);
        v.go_to(PageTarget::Next, 1_000);
        v.sort_by(Column::Age);
        v.then_sort_by(Field::TemplateId);
        v.set_page_size(PageSize::Hundred);
        v.set_column_visible(Column::Idle, true);
        v.move_column(Field::Modified, 0);
        assert_eq!(CountsKey::new(v.filters(), CTX), key);
        v.apply_preset(Preset::StartedByAutomation);
        assert_ne!(CountsKey::new(v.filters(), CTX), key);
    }

    #[test]
    fn the_idle_preset_is_seven_days() {
        assert_eq!(
            Preset::IdleFor7Days.filter(),
            Filter::Modified(DateRange {
                from: None,
                to: Some(DateBound::Ago(IDLE_AFTER_S)),
            })
        );
        assert_eq!(SignalKind::Idle.preset(), Preset::IdleFor7Days);
        assert_eq!(SignalKind::Stuck.preset(), Preset::Stuck);
    }
}
