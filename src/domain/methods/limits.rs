//! Rate-limit and retry arithmetic (fact sheet §3, §6, §8.6): the portal's
//! leaky bucket mirrored on the client, the plan that sets its size, the
//! per-method operating-time budget, the backoff policy, and what each
//! error means for a retry. Pure: time (unix milliseconds) and the jitter
//! (a number in `0..1`) are passed in, never read.
//!
//! The REST client owns one [`Limits`] for every request the app makes;
//! it asks [`Limits::pause_before`] and [`Limits::reserve`] before each
//! send, and [`Limits::on_success`] / [`Limits::on_failure`] after it.

use std::collections::HashMap;

use serde_json::Value;

use crate::domain::i18n::{fill, Lang};
use crate::domain::wire::errors::{CallTime, ErrorCode, RestError};

/// A leaky bucket's size and how fast it drains (§3.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// How many requests fit before the portal answers 503 (`X`).
    pub capacity: f64,
    /// Requests drained per second (`Y`).
    pub drain_per_s: f64,
}

impl Rate {
    /// Every plan but Enterprise: 50 requests, 2 per second.
    pub const STANDARD: Rate = Rate {
        capacity: 50.0,
        drain_per_s: 2.0,
    };
    /// Enterprise: 250 requests, 5 per second.
    pub const ENTERPRISE: Rate = Rate {
        capacity: 250.0,
        drain_per_s: 5.0,
    };
}

/// The method that tells the app its plan (`LICENSE`, §3.1, §7.1).
pub const APP_INFO_METHOD: &str = "app.info";

/// The portal's plan, as far as the limits care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Plan {
    /// Any plan but Enterprise, and any plan the app cannot read: the
    /// smaller bucket is the safe guess.
    #[default]
    Standard,
    /// An Enterprise plan (`app.info` `LICENSE` like `de_ent250`).
    Enterprise,
}

impl Plan {
    /// The plan for an `app.info` `LICENSE` (§3.1, §7.1): Enterprise
    /// licences are `ent<users>` after an optional language prefix
    /// (`de_ent250`, `ru_ent1000`, `ent500`), or spelled out
    /// (`enterprise`, `en_enterprise`). Anything else, including the
    /// empty string, is [`Plan::Standard`].
    pub fn from_license(license: &str) -> Plan {
        let license = license.trim().to_ascii_lowercase();
        let name = match license.split_once('_') {
            Some((prefix, rest)) if prefix.len() == 2 => rest,
            _ => license.as_str(),
        };
        let numbered_ent = name
            .strip_prefix("ent")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if numbered_ent || name == "enterprise" || license.ends_with("_enterprise") {
            Plan::Enterprise
        } else {
            Plan::Standard
        }
    }

    /// The plan from an `app.info` result (`{"LICENSE": "..."}`); a result
    /// without a readable `LICENSE` is [`Plan::Standard`].
    pub fn from_app_info(result: &Value) -> Plan {
        result
            .get("LICENSE")
            .and_then(Value::as_str)
            .map_or(Plan::Standard, Plan::from_license)
    }

    /// The plan's leaky bucket.
    pub fn rate(self) -> Rate {
        match self {
            Plan::Standard => Rate::STANDARD,
            Plan::Enterprise => Rate::ENTERPRISE,
        }
    }
}

/// The portal's leaky bucket as this client fills it: every request the
/// app sends takes a slot, slots drain at the plan's rate, and a request
/// that would overflow waits until a slot has drained.
///
/// A tenth of the bucket is kept free: the portal counts requests when
/// they arrive, not when they leave, and shares the bucket with every other
/// app on the same IP (§3.1); the headroom absorbs both.
#[derive(Debug, Clone, PartialEq)]
pub struct LeakyBucket {
    rate: Rate,
    level: f64,
    drained_at_ms: f64,
}

impl LeakyBucket {
    /// An empty bucket of `rate`.
    pub fn new(rate: Rate) -> LeakyBucket {
        LeakyBucket {
            rate,
            level: 0.0,
            drained_at_ms: 0.0,
        }
    }

    /// The slots this client uses: the capacity less a tenth.
    pub fn usable(&self) -> f64 {
        (self.rate.capacity * 0.9).floor().max(1.0)
    }

    /// Switches to another rate (the plan became known), keeping the level.
    pub fn set_rate(&mut self, rate: Rate) {
        self.rate = rate;
    }

    /// The current rate.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    fn drain(&mut self, now_ms: f64) {
        if now_ms > self.drained_at_ms {
            let drained = (now_ms - self.drained_at_ms) / 1000.0 * self.rate.drain_per_s;
            self.level = (self.level - drained).max(0.0);
            self.drained_at_ms = now_ms;
        }
    }

    /// Takes a slot for one request and says how many milliseconds it must
    /// wait before it is sent (0: at once). Later reservations queue behind
    /// earlier ones, so concurrent requests are spaced at the drain rate.
    pub fn reserve(&mut self, now_ms: f64) -> u32 {
        self.drain(now_ms);
        self.level += 1.0;
        let over = self.level - self.usable();
        if over <= 0.0 {
            0
        } else {
            (over / self.rate.drain_per_s * 1000.0).ceil() as u32
        }
    }

    /// Gives back a slot reserved for a request that was never sent (its
    /// caller gave up while it waited).
    pub fn release(&mut self, now_ms: f64) {
        self.drain(now_ms);
        self.level = (self.level - 1.0).max(0.0);
    }

    /// The portal said its bucket is full (503 `QUERY_LIMIT_EXCEEDED`):
    /// count it full here too, so that what follows is paced.
    pub fn fill(&mut self, now_ms: f64) {
        self.drain(now_ms);
        self.level = self.level.max(self.usable());
    }

    /// The current level (slots taken), for tests and diagnostics.
    pub fn level(&self) -> f64 {
        self.level
    }
}

/// Why the app waits before trying again (shown to the admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusyReason {
    /// 503 `QUERY_LIMIT_EXCEEDED`: too many requests.
    RateLimited,
    /// 429 `OPERATION_TIME_LIMIT`: the method used up its server time.
    Paused,
    /// A 5xx, a network failure or a timeout.
    Unavailable,
}

/// The app waits before sending again: what the busy line shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Busy {
    /// Why.
    pub reason: BusyReason,
    /// When the wait ends (unix ms).
    pub until_ms: f64,
    /// Sends made so far for the call that waits.
    pub attempt: u32,
}

impl Busy {
    /// Whole seconds left, rounded up, at least 1 (a countdown never shows 0).
    pub fn seconds_left(&self, now_ms: f64) -> u64 {
        ((self.until_ms - now_ms) / 1000.0).ceil().max(1.0) as u64
    }

    /// "Portal is busy, retrying in 3 s…" in `lang`, at `now_ms`.
    pub fn text(&self, lang: Lang, now_ms: f64) -> String {
        let t = lang.texts();
        let template = match self.reason {
            BusyReason::RateLimited => t.busy_rate_limited,
            BusyReason::Paused => t.busy_paused,
            BusyReason::Unavailable => t.busy_unavailable,
        };
        let seconds = lang.plural(self.seconds_left(now_ms), &t.busy_seconds);
        fill(template, &[("seconds", &seconds)])
    }
}

/// What an error means for trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    /// Back off with a growing delay and retry (503 `QUERY_LIMIT_EXCEEDED`).
    Backoff,
    /// Pause the method until its budget frees up, then retry (429).
    Pause,
    /// A passing failure (5xx, network, timeout): a few retries with backoff.
    Transient,
    /// Retrying cannot help (§6: access, scope, auth, method not found,
    /// bad parameters, `OVERLOAD_LIMIT`, …). An expired or invalid token is
    /// renewed and replayed once by the client before it gets here.
    Hard,
}

/// How the app reacts to `err`.
pub fn reaction(err: &RestError) -> Reaction {
    match err {
        e if e.is(ErrorCode::QueryLimitExceeded) => Reaction::Backoff,
        e if e.is_operating_limit() => Reaction::Pause,
        RestError::HttpStatus { status: 429 } => Reaction::Pause,
        RestError::Cancelled => Reaction::Hard,
        e if e.is_retryable() => Reaction::Transient,
        _ => Reaction::Hard,
    }
}

/// How long and how often to retry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Sends per call at most, the first included.
    pub max_attempts: u32,
    /// Backoff retries stop once this much time has passed since the first send.
    pub max_total_ms: f64,
    /// The first backoff's upper bound (§8.6: 1.5 s).
    pub base_ms: f64,
    /// Each further backoff's bound grows by this factor (§8.6: 1.5).
    pub factor: f64,
    /// No backoff is longer than this.
    pub cap_ms: f64,
    /// No backoff is shorter than this (one slot drains in 500 ms at 2/s).
    pub floor_ms: f64,
    /// A 429 pauses the method at least this long (§8.6: ≥ 10 s).
    pub min_pause_ms: f64,
    /// A 429 whose budget frees up later than this is not waited for.
    pub max_pause_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 7,
            max_total_ms: 60_000.0,
            base_ms: 1_500.0,
            factor: 1.5,
            cap_ms: 15_000.0,
            floor_ms: 500.0,
            min_pause_ms: 10_000.0,
            max_pause_ms: 120_000.0,
        }
    }
}

impl RetryPolicy {
    /// The delay before retry number `retry` (1 for the first retry):
    /// "equal jitter" — half of a bound that grows from `base_ms` by
    /// `factor` up to `cap_ms`, plus a random share of the other half, never
    /// below the floor. Half fixed, the waits add up to a known minimum:
    /// the six waits before the seventh send span at least 15.6 s, so a
    /// network outage of 10 s cannot use up the seven sends. `jitter` is a random
    /// number in `0..1` (clamped), passed in so that tests are deterministic.
    pub fn backoff_ms(&self, retry: u32, jitter: f64) -> u32 {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let bound = (self.base_ms * self.factor.powi(exponent)).min(self.cap_ms);
        let j = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        (bound * (1.0 + j) / 2.0).max(self.floor_ms).round() as u32
    }
}

/// What the client should do after a failed send.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Wait `after_ms`, then send again.
    Retry {
        /// How long to wait.
        after_ms: u32,
        /// Why, for the admin.
        reason: BusyReason,
    },
    /// Return the error.
    GiveUp,
}

/// A wait before a send, because of a method's budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BudgetWait {
    /// How long.
    pub ms: u32,
    /// `true` when the method is paused (show it); `false` for a quiet
    /// slow-down near the budget.
    pub paused: bool,
}

/// What the app knows about one method's operating-time budget.
#[derive(Debug, Clone, Default, PartialEq)]
struct MethodBudget {
    /// `time.operating` of the last answer, seconds.
    operating_s: f64,
    /// `time.operating_reset_at` of the last answer, unix ms.
    reset_at_ms: Option<f64>,
    /// After a 429: no call before this (unix ms).
    paused_until_ms: Option<f64>,
}

/// Per-method operating budgets (§3.2): fed with the `time` of every
/// answer, they pause a method after a 429 and slow it down near its limit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperatingBudgets {
    methods: HashMap<String, MethodBudget>,
}

impl OperatingBudgets {
    /// The budget per method and 10 minutes, seconds (docs: 480; the
    /// source's default is 420, and the cloud sets its own, §3.2, §9.4).
    pub const LIMIT_S: f64 = 480.0;
    /// Above this share of the limit, calls to the method are slowed.
    pub const SLOW_SHARE: f64 = 0.8;
    /// This close to the limit, the method waits for its reset.
    pub const NEAR_S: f64 = 5.0;
    /// The slow-down: this share of the time left until the reset…
    pub const SLOW_COEFFICIENT: f64 = 0.01;
    /// …and never more than this (b24jssdk's figures, §3.4).
    pub const MAX_SLOW_MS: f64 = 7_000.0;
    /// Near the limit with no reset time known: wait this long.
    pub const UNKNOWN_RESET_MS: f64 = 5_000.0;

    /// Records what an answer from `method` said about its budget.
    pub fn observe(&mut self, method: &str, time: &CallTime) {
        let Some(operating) = time.operating else {
            return;
        };
        let budget = self.methods.entry(method.to_owned()).or_default();
        budget.operating_s = operating.max(0.0);
        budget.reset_at_ms = time.operating_reset_at.map(|s| s as f64 * 1000.0);
    }

    /// How long a call to `method` must wait before it is sent: until a
    /// pause ends; until the reset when the budget is nearly spent; a
    /// slow-down above 80 % of it; or not at all (`None`).
    pub fn wait_before(&self, method: &str, now_ms: f64) -> Option<BudgetWait> {
        let budget = self.methods.get(method)?;
        let ms = |until: f64| (until - now_ms).ceil().max(0.0) as u32;
        if let Some(until) = budget.paused_until_ms.filter(|u| *u > now_ms) {
            return Some(BudgetWait {
                ms: ms(until),
                paused: true,
            });
        }
        if budget.reset_at_ms.is_some_and(|r| r <= now_ms) {
            // The oldest bucket has expired since: the figure is stale.
            return None;
        }
        let reset = budget.reset_at_ms;
        if budget.operating_s >= Self::LIMIT_S - Self::NEAR_S {
            let until = reset.map_or(now_ms + Self::UNKNOWN_RESET_MS, |r| r + 1_000.0);
            return Some(BudgetWait {
                ms: ms(until),
                paused: true,
            });
        }
        if budget.operating_s > Self::LIMIT_S * Self::SLOW_SHARE {
            let slow = reset.map_or(Self::MAX_SLOW_MS, |r| {
                ((r - now_ms) * Self::SLOW_COEFFICIENT).min(Self::MAX_SLOW_MS)
            });
            return Some(BudgetWait {
                ms: slow.ceil() as u32,
                paused: false,
            });
        }
        None
    }

    /// `method` was refused with 429: pauses it until the last reset time
    /// the portal reported (plus a second), at least `policy.min_pause_ms`,
    /// and returns the pause; `None` when the budget frees up later than
    /// `policy.max_pause_ms` (not worth waiting for on screen).
    pub fn pause(&mut self, method: &str, now_ms: f64, policy: &RetryPolicy) -> Option<u32> {
        let budget = self.methods.entry(method.to_owned()).or_default();
        let reset = budget.reset_at_ms.filter(|r| *r > now_ms);
        let until = reset
            .map_or(now_ms, |r| r + 1_000.0)
            .max(now_ms + policy.min_pause_ms);
        if until - now_ms > policy.max_pause_ms {
            return None;
        }
        budget.paused_until_ms = Some(until);
        Some((until - now_ms).ceil() as u32)
    }
}

/// Everything the client keeps about the portal's limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// The mirrored leaky bucket.
    pub bucket: LeakyBucket,
    /// Per-method operating budgets.
    pub budgets: OperatingBudgets,
    /// How to retry.
    pub policy: RetryPolicy,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(Plan::Standard)
    }
}

impl Limits {
    /// Limits for `plan` with the default retry policy.
    pub fn new(plan: Plan) -> Limits {
        Limits {
            bucket: LeakyBucket::new(plan.rate()),
            budgets: OperatingBudgets::default(),
            policy: RetryPolicy::default(),
        }
    }

    /// The plan became known.
    pub fn set_plan(&mut self, plan: Plan) {
        self.bucket.set_rate(plan.rate());
    }

    /// The longest budget wait any of `methods` needs before a send (a
    /// batch checks itself and every method inside it).
    pub fn pause_before<'m>(
        &self,
        methods: impl IntoIterator<Item = &'m str>,
        now_ms: f64,
    ) -> Option<BudgetWait> {
        methods
            .into_iter()
            .filter_map(|m| self.budgets.wait_before(m, now_ms))
            .max_by_key(|w| (w.ms, w.paused))
    }

    /// Takes a bucket slot; the wait before sending (see [`LeakyBucket::reserve`]).
    pub fn reserve(&mut self, now_ms: f64) -> u32 {
        self.bucket.reserve(now_ms)
    }

    /// Records an answer's `time` for `method`.
    pub fn on_success(&mut self, method: &str, time: Option<&CallTime>) {
        if let Some(time) = time {
            self.budgets.observe(method, time);
        }
    }

    /// Decides about a failed send of `method`: `attempt` sends have been
    /// made (1 after the first), `elapsed_ms` have passed since the first,
    /// `jitter` is a random number in `0..1`.
    pub fn on_failure(
        &mut self,
        method: &str,
        err: &RestError,
        attempt: u32,
        elapsed_ms: f64,
        now_ms: f64,
        jitter: f64,
    ) -> Verdict {
        let reaction = reaction(err);
        if reaction == Reaction::Hard || attempt >= self.policy.max_attempts {
            return Verdict::GiveUp;
        }
        let backoff = |policy: &RetryPolicy, reason| {
            let after_ms = policy.backoff_ms(attempt, jitter);
            if elapsed_ms + f64::from(after_ms) > policy.max_total_ms {
                Verdict::GiveUp
            } else {
                Verdict::Retry { after_ms, reason }
            }
        };
        match reaction {
            Reaction::Backoff => {
                self.bucket.fill(now_ms);
                backoff(&self.policy, BusyReason::RateLimited)
            }
            Reaction::Transient => backoff(&self.policy, BusyReason::Unavailable),
            Reaction::Pause => match self.budgets.pause(method, now_ms, &self.policy) {
                Some(after_ms) => Verdict::Retry {
                    after_ms,
                    reason: BusyReason::Paused,
                },
                None => Verdict::GiveUp,
            },
            Reaction::Hard => Verdict::GiveUp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    const T0: f64 = 1_767_225_600_000.0;

    fn d() -> String {
        String::new()
    }

    #[test]
    fn enterprise_is_read_from_the_license_and_anything_else_is_standard() {
        for (license, plan) in [
            ("de_ent250", Plan::Enterprise),
            ("ru_ent1000", Plan::Enterprise),
            ("en_ent500", Plan::Enterprise),
            ("ent250", Plan::Enterprise),
            ("ENT2000", Plan::Enterprise),
            ("enterprise", Plan::Enterprise),
            ("en_enterprise", Plan::Enterprise),
            ("company_enterprise", Plan::Enterprise),
            ("en_pro100", Plan::Standard),
            ("ru_project", Plan::Standard),
            ("de_team", Plan::Standard),
            ("nfr", Plan::Standard),
            ("demo", Plan::Standard),
            ("ru_ent", Plan::Standard),
            ("ru_entry", Plan::Standard),
            ("", Plan::Standard),
        ] {
            assert_eq!(Plan::from_license(license), plan, "{license:?}");
        }
        assert_eq!(
            Plan::from_app_info(&json!({"LICENSE": "de_ent250", "ID": 1})),
            Plan::Enterprise
        );
        assert_eq!(Plan::from_app_info(&json!({"ID": 1})), Plan::Standard);
        assert_eq!(Plan::from_app_info(&json!([])), Plan::Standard);
        assert_eq!(Plan::Enterprise.rate(), Rate::ENTERPRISE);
        assert_eq!(Plan::default().rate(), Rate::STANDARD);
    }

    #[test]
    fn a_full_bucket_makes_the_next_request_wait_for_one_slot_to_drain() {
        let mut b = LeakyBucket::new(Rate::STANDARD);
        assert_eq!(b.usable(), 45.0);
        for i in 0..45 {
            assert_eq!(b.reserve(T0), 0, "request {i} fits the burst");
        }
        // Each further request waits one more slot: 500 ms apart at 2/s.
        let waits: Vec<u32> = (0..4).map(|_| b.reserve(T0)).collect();
        assert_eq!(waits, [500, 1000, 1500, 2000]);
    }

    #[test]
    fn the_bucket_drains_at_its_rate() {
        let mut b = LeakyBucket::new(Rate::STANDARD);
        for _ in 0..45 {
            b.reserve(T0);
        }
        // 10 s later 20 slots have drained: 20 go at once, the 21st waits.
        let t = T0 + 10_000.0;
        for _ in 0..20 {
            assert_eq!(b.reserve(t), 0);
        }
        assert_eq!(b.reserve(t), 500);
        // Time never runs backwards for the bucket.
        let level = b.level();
        b.release(T0);
        assert_eq!(b.level(), level - 1.0);
    }

    #[test]
    fn enterprise_has_a_bigger_bucket_that_drains_faster() {
        let mut b = LeakyBucket::new(Rate::ENTERPRISE);
        assert_eq!(b.usable(), 225.0);
        for _ in 0..225 {
            assert_eq!(b.reserve(T0), 0);
        }
        assert_eq!(b.reserve(T0), 200);
        assert_eq!(b.reserve(T0), 400);
        // Switching plans keeps the level and changes the pace.
        let mut s = LeakyBucket::new(Rate::STANDARD);
        for _ in 0..45 {
            s.reserve(T0);
        }
        s.set_rate(Rate::ENTERPRISE);
        assert_eq!(s.reserve(T0), 0);
    }

    #[test]
    fn an_unsent_reservation_is_given_back_and_a_503_fills_the_bucket() {
        let mut b = LeakyBucket::new(Rate::STANDARD);
        for _ in 0..46 {
            b.reserve(T0);
        }
        b.release(T0);
        assert_eq!(b.reserve(T0), 500);
        let mut fresh = LeakyBucket::new(Rate::STANDARD);
        fresh.fill(T0);
        assert_eq!(fresh.reserve(T0), 500);
        fresh.release(T0);
        fresh.release(T0);
        assert_eq!(fresh.level(), 44.0);
    }

    #[test]
    fn backoff_grows_by_its_factor_up_to_the_cap() {
        let p = RetryPolicy::default();
        let top: Vec<u32> = (1..=8).map(|r| p.backoff_ms(r, 1.0)).collect();
        assert_eq!(
            top,
            [1500, 2250, 3375, 5063, 7594, 11391, 15000, 15000],
            "1.5 s × 1.5^n, capped at 15 s"
        );
        assert_eq!(p.backoff_ms(0, 1.0), 1500, "retry 0 reads as the first");
    }

    #[test]
    fn jitter_spreads_each_backoff_over_the_upper_half_of_its_bound() {
        let p = RetryPolicy::default();
        for retry in 1..=6 {
            let low = p.backoff_ms(retry, 0.0);
            let mid = p.backoff_ms(retry, 0.5);
            let high = p.backoff_ms(retry, 1.0);
            assert!(low.abs_diff(high / 2) <= 1, "retry {retry}: {low} {high}");
            assert!(low < mid && mid < high, "retry {retry}: {low} {mid} {high}");
            assert!(mid.abs_diff((low + high) / 2) <= 1, "retry {retry}: {mid}");
        }
        for odd in [-1.0, 7.0, f64::NAN, f64::INFINITY] {
            let j = p.backoff_ms(2, odd);
            assert!((1125..=2250).contains(&j), "{odd}: {j}");
        }
        let floored = RetryPolicy {
            base_ms: 100.0,
            ..p
        };
        assert_eq!(floored.backoff_ms(1, 0.0), 500, "never below the floor");
    }

    #[test]
    fn a_ten_second_outage_cannot_use_up_the_retries() {
        let p = RetryPolicy::default();
        // The shortest possible waits (jitter 0) before the last send: a
        // call whose first send meets the outage sends again after it.
        let shortest: u32 = (1..p.max_attempts).map(|r| p.backoff_ms(r, 0.0)).sum();
        assert!(shortest >= 10_000, "{shortest} ms");
        // And the longest possible retry sequence still ends within a minute.
        let longest: u32 = (1..p.max_attempts).map(|r| p.backoff_ms(r, 1.0)).sum();
        assert!(f64::from(longest) <= p.max_total_ms, "{longest} ms");
    }

    #[test]
    fn every_error_is_retried_paused_or_final() {
        let backoff = [RestError::portal(ErrorCode::QueryLimitExceeded, d())];
        let pause = [
            RestError::portal(ErrorCode::OperationTimeLimit, d()),
            RestError::HttpStatus { status: 429 },
        ];
        let transient = [
            RestError::portal(ErrorCode::InternalServerError, d()),
            RestError::portal(ErrorCode::UnexpectedAnswer, d()),
            RestError::Network { detail: d() },
            RestError::Timeout { after_ms: 30_000 },
            RestError::HttpStatus { status: 502 },
            RestError::HttpStatus { status: 408 },
            RestError::NotJson {
                status: 504,
                excerpt: d(),
            },
            RestError::from_code("ERROR_CORE", d(), Some(500), &Map::new()),
            RestError::from_code("X", d(), Some(503), &Map::new()),
        ];
        let hard = [
            RestError::portal(ErrorCode::ExpiredToken, d()),
            RestError::portal(ErrorCode::InvalidToken, d()),
            RestError::portal(ErrorCode::NoAuthFound, d()),
            RestError::portal(ErrorCode::InsufficientScope, d()),
            RestError::portal(ErrorCode::UserAccessError, d()),
            RestError::portal(ErrorCode::AuthorizationError, d()),
            RestError::portal(ErrorCode::ApplicationNotFound, d()),
            RestError::portal(ErrorCode::ConnectionError, d()),
            RestError::portal(ErrorCode::AccessDenied, d()),
            RestError::portal(ErrorCode::RestApiNotOnPlan, d()),
            RestError::portal(ErrorCode::InvalidCredentials, d()),
            RestError::portal(ErrorCode::OverloadLimit, d()),
            RestError::portal(ErrorCode::MethodNotFound, d()),
            RestError::portal(ErrorCode::BatchLengthExceeded, d()),
            RestError::portal(ErrorCode::BatchMethodNotAllowed, d()),
            RestError::portal(ErrorCode::InvalidRequest, d()),
            RestError::portal(ErrorCode::PortalDeleted, d()),
            RestError::from_code("ERROR_CORE", d(), Some(400), &Map::new()),
            RestError::from_code("ERROR_ARGUMENT", d(), None, &Map::new()),
            RestError::portal(ErrorCode::WrongEncoding, d()),
            RestError::portal(ErrorCode::WrongWorkflowId, d()),
            RestError::portal(ErrorCode::MethodConfirmWaiting, d()),
            RestError::portal(ErrorCode::MethodConfirmDenied, d()),
            RestError::from_code(&d(), d(), Some(400), &Map::new()),
            RestError::from_code(&d(), d(), None, &Map::new()),
            RestError::Redirected,
            RestError::NotJson {
                status: 200,
                excerpt: d(),
            },
            RestError::HttpStatus { status: 404 },
            RestError::BadResponse(crate::domain::wire::errors::ParseError::MissingResult),
            RestError::RefreshFailed(crate::domain::wire::errors::RefreshError { reason: d() }),
            RestError::InvalidMethod { method: d() },
            RestError::InvalidParams { method: d() },
            RestError::Cancelled,
        ];
        for (errors, want) in [
            (&backoff[..], Reaction::Backoff),
            (&pause[..], Reaction::Pause),
            (&transient[..], Reaction::Transient),
            (&hard[..], Reaction::Hard),
        ] {
            for e in errors {
                assert_eq!(reaction(e), want, "{e:?}");
            }
        }
    }

    fn time(operating: f64, reset_at_s: Option<i64>) -> CallTime {
        CallTime {
            operating: Some(operating),
            operating_reset_at: reset_at_s,
            ..CallTime::default()
        }
    }

    #[test]
    fn a_429_pauses_the_method_until_its_reset_time_and_only_that_method() {
        let mut l = Limits::default();
        let reset_s = (T0 / 1000.0) as i64 + 30;
        l.on_success("m", Some(&time(100.0, Some(reset_s))));
        let e = RestError::portal(ErrorCode::OperationTimeLimit, d());
        let v = l.on_failure("m", &e, 1, 0.0, T0, 0.5);
        assert_eq!(
            v,
            Verdict::Retry {
                after_ms: 31_000,
                reason: BusyReason::Paused
            },
            "until the reset, plus a second"
        );
        assert_eq!(
            l.pause_before(["m"], T0 + 1_000.0),
            Some(BudgetWait {
                ms: 30_000,
                paused: true
            })
        );
        assert_eq!(l.pause_before(["other"], T0 + 1_000.0), None);
        assert_eq!(
            l.pause_before(["batch", "m"], T0).map(|w| w.ms),
            Some(31_000),
            "a batch waits for the methods inside it"
        );
        assert_eq!(l.pause_before(["m"], T0 + 31_000.0), None);
    }

    #[test]
    fn a_429_without_a_known_reset_pauses_for_the_minimum() {
        let mut l = Limits::default();
        let e = RestError::portal(ErrorCode::OperationTimeLimit, d());
        assert_eq!(
            l.on_failure("m", &e, 1, 0.0, T0, 0.0),
            Verdict::Retry {
                after_ms: 10_000,
                reason: BusyReason::Paused
            }
        );
        // A reset already past counts as unknown; one 2 s ahead still
        // pauses for the minimum 10 s.
        let mut past = Limits::default();
        past.on_success("m", Some(&time(100.0, Some((T0 / 1000.0) as i64 - 5))));
        assert_eq!(
            past.budgets.pause("m", T0, &RetryPolicy::default()),
            Some(10_000)
        );
        let mut soon = Limits::default();
        soon.on_success("m", Some(&time(1.0, Some((T0 / 1000.0) as i64 + 2))));
        assert_eq!(
            soon.budgets.pause("m", T0, &RetryPolicy::default()),
            Some(10_000)
        );
    }

    #[test]
    fn a_429_whose_reset_is_far_away_is_not_waited_for() {
        let mut l = Limits::default();
        l.on_success("m", Some(&time(480.0, Some((T0 / 1000.0) as i64 + 500))));
        let e = RestError::portal(ErrorCode::OperationTimeLimit, d());
        assert_eq!(l.on_failure("m", &e, 1, 0.0, T0, 0.0), Verdict::GiveUp);
    }

    #[test]
    fn a_method_is_slowed_near_its_budget_and_waits_at_its_edge() {
        let reset_s = (T0 / 1000.0) as i64 + 300;
        let wait = |operating: f64, reset: Option<i64>| {
            let mut b = OperatingBudgets::default();
            b.observe("m", &time(operating, reset));
            b.wait_before("m", T0)
        };
        assert_eq!(wait(0.0, Some(reset_s)), None);
        assert_eq!(wait(384.0, Some(reset_s)), None, "exactly 80 %");
        assert_eq!(
            wait(400.0, Some(reset_s)),
            Some(BudgetWait {
                ms: 3_000,
                paused: false
            }),
            "1 % of the 300 s left"
        );
        assert_eq!(
            wait(400.0, Some(reset_s + 3_000)).map(|w| w.ms),
            Some(7_000),
            "capped"
        );
        assert_eq!(wait(400.0, None).map(|w| w.ms), Some(7_000));
        assert_eq!(
            wait(476.0, Some(reset_s)),
            Some(BudgetWait {
                ms: 301_000,
                paused: true
            }),
            "within 5 s of the limit: until the reset"
        );
        assert_eq!(
            wait(476.0, None),
            Some(BudgetWait {
                ms: 5_000,
                paused: true
            })
        );
        // An answer without `operating` (self-hosted) changes nothing.
        let mut b = OperatingBudgets::default();
        b.observe("m", &time(400.0, Some(reset_s)));
        b.observe("m", &CallTime::default());
        assert!(b.wait_before("m", T0).is_some());
    }

    #[test]
    fn a_stale_budget_figure_slows_nothing() {
        let mut b = OperatingBudgets::default();
        b.observe("m", &time(479.0, Some((T0 / 1000.0) as i64 - 1)));
        assert_eq!(b.wait_before("m", T0), None);
    }

    #[test]
    fn the_busy_line_counts_down_whole_seconds_in_both_languages() {
        let busy = Busy {
            reason: BusyReason::RateLimited,
            until_ms: T0 + 2_250.0,
            attempt: 1,
        };
        assert_eq!(busy.seconds_left(T0), 3);
        assert_eq!(busy.seconds_left(T0 + 2_000.0), 1);
        assert_eq!(busy.seconds_left(T0 + 9_000.0), 1, "never 0");
        assert_eq!(busy.text(Lang::En, T0), "Portal is busy, retrying in 3 s…");
        assert_eq!(busy.text(Lang::Ru, T0), "Портал занят, повтор через 3 с…");
        let paused = Busy {
            reason: BusyReason::Paused,
            ..busy
        };
        assert!(paused.text(Lang::En, T0).ends_with("Retrying in 3 s…"));
        let down = Busy {
            reason: BusyReason::Unavailable,
            ..busy
        };
        assert_eq!(
            down.text(Lang::En, T0),
            "Portal did not answer, retrying in 3 s…"
        );
    }

    #[test]
    fn a_503_fills_the_bucket_and_backs_off_with_jitter() {
        let mut l = Limits::default();
        let e = RestError::portal(ErrorCode::QueryLimitExceeded, d());
        assert_eq!(
            l.on_failure("m", &e, 1, 0.0, T0, 1.0),
            Verdict::Retry {
                after_ms: 1_500,
                reason: BusyReason::RateLimited
            }
        );
        assert_eq!(l.reserve(T0), 500, "the next request is paced");
        assert_eq!(
            l.on_failure("m", &e, 2, 1_500.0, T0, 1.0),
            Verdict::Retry {
                after_ms: 2_250,
                reason: BusyReason::RateLimited
            }
        );
    }

    #[test]
    fn retries_stop_after_the_attempt_cap_the_time_cap_or_a_hard_error() {
        let mut l = Limits::default();
        let busy = RestError::portal(ErrorCode::InternalServerError, d());
        assert!(matches!(
            l.on_failure("m", &busy, 6, 0.0, T0, 0.0),
            Verdict::Retry {
                reason: BusyReason::Unavailable,
                ..
            }
        ));
        assert_eq!(l.on_failure("m", &busy, 7, 0.0, T0, 0.0), Verdict::GiveUp);
        assert_eq!(
            l.on_failure("m", &busy, 2, 59_000.0, T0, 1.0),
            Verdict::GiveUp,
            "the retry would end after 60 s"
        );
        let denied = RestError::portal(ErrorCode::AccessDenied, d());
        assert_eq!(l.on_failure("m", &denied, 1, 0.0, T0, 0.0), Verdict::GiveUp);
        let expired = RestError::portal(ErrorCode::ExpiredToken, d());
        assert_eq!(
            l.on_failure("m", &expired, 1, 0.0, T0, 0.0),
            Verdict::GiveUp
        );
    }
}
