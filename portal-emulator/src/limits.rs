//! The portal's two REST limits (fact sheet §3): the request-intensity leaky
//! bucket (503 `QUERY_LIMIT_EXCEEDED`) and the per-method operating-time
//! budget (429 `OPERATION_TIME_LIMIT`). Time is passed in, never read.

use std::collections::HashMap;

/// Length of one operating-time bucket and how many are kept (§3.2, S10).
const BUCKET_MS: i64 = 60_000;
const BUCKETS: i64 = 10;
/// The shortest bucket the `operating_window_s` knob can ask for.
const MIN_BUCKET_MS: i64 = 100;
/// Calls faster than this are not recorded at all (`$minimalFixTime`, §3.2).
const MINIMAL_FIX_S: f64 = 0.1;

/// Both limits' counters.
#[derive(Debug, Default)]
pub struct Limits {
    /// Leaky bucket level and the time it was last drained.
    level: f64,
    drained_at_ms: i64,
    /// Per method: (bucket start ms, seconds used), oldest first.
    operating: HashMap<String, Vec<(i64, f64)>>,
    /// Length of one operating bucket; 0 means the portal's 60 s.
    bucket_ms: i64,
}

/// What the portal reports about a method's budget in the `time` object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operating {
    /// Seconds used in the last ten minutes.
    pub used_s: f64,
    /// Unix seconds when the oldest non-empty bucket expires, if any.
    pub reset_at: Option<i64>,
}

impl Limits {
    /// Admits one request into the leaky bucket (`burst` deep, draining
    /// `rate` per second), or refuses it. A refused request does not fill the
    /// bucket. A rate of 0 turns the limit off.
    pub fn admit(&mut self, now_ms: i64, rate: f64, burst: f64) -> bool {
        if rate <= 0.0 {
            return true;
        }
        let elapsed_s = (now_ms - self.drained_at_ms).max(0) as f64 / 1000.0;
        self.level = (self.level - elapsed_s * rate).max(0.0);
        self.drained_at_ms = now_ms;
        if self.level + 1.0 > burst {
            return false;
        }
        self.level += 1.0;
        true
    }

    /// The current bucket level (for `/_emulator/stats`).
    pub fn level(&self) -> f64 {
        self.level
    }

    /// Empties the leaky bucket and forgets all operating time.
    pub fn reset(&mut self) {
        *self = Limits::default();
    }

    /// Sets the operating-time window (ten buckets) in seconds; 600 on
    /// every portal (knob `operating_window_s`).
    pub fn set_operating_window(&mut self, window_s: f64) {
        let bucket = (window_s * 1000.0 / BUCKETS as f64).round() as i64;
        self.bucket_ms = bucket.max(MIN_BUCKET_MS);
    }

    fn bucket_ms(&self) -> i64 {
        if self.bucket_ms > 0 {
            self.bucket_ms
        } else {
            BUCKET_MS
        }
    }

    fn live(&mut self, method: &str, now_ms: i64) -> &mut Vec<(i64, f64)> {
        let window = self.bucket_ms() * BUCKETS;
        let buckets = self.operating.entry(method.to_owned()).or_default();
        buckets.retain(|(start, _)| start + window > now_ms);
        buckets
    }

    /// The method's budget as the portal reports it.
    pub fn operating(&mut self, method: &str, now_ms: i64) -> Operating {
        let window = self.bucket_ms() * BUCKETS;
        let buckets = self.live(method, now_ms);
        let used_s = buckets.iter().map(|(_, s)| s).sum();
        let reset_at = buckets
            .iter()
            .find(|(_, s)| *s > 0.0)
            .map(|(start, _)| (start + window) / 1000);
        Operating { used_s, reset_at }
    }

    /// Whether the method is blocked: checked before the call runs (§3.2).
    pub fn blocked(&mut self, method: &str, now_ms: i64, limit_s: f64) -> bool {
        self.operating(method, now_ms).used_s >= limit_s
    }

    /// Records a call's execution time, if it is long enough to count.
    pub fn charge(&mut self, method: &str, now_ms: i64, seconds: f64) {
        if seconds <= MINIMAL_FIX_S {
            return;
        }
        let bucket_start = now_ms - now_ms.rem_euclid(self.bucket_ms());
        let buckets = self.live(method, now_ms);
        match buckets.last_mut() {
            Some((start, used)) if *start == bucket_start => *used += seconds,
            _ => buckets.push((bucket_start, seconds)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_a_burst_then_refuses_until_it_drains() {
        let mut l = Limits::default();
        let t0 = 1_000_000;
        for i in 0..50 {
            assert!(l.admit(t0, 2.0, 50.0), "request {i}");
        }
        assert!(!l.admit(t0, 2.0, 50.0), "51st in the same instant");
        assert!(!l.admit(t0 + 400, 2.0, 50.0), "drained only 0.8");
        assert!(l.admit(t0 + 500, 2.0, 50.0), "one slot after 0.5 s at 2/s");
        assert!(!l.admit(t0 + 500, 2.0, 50.0));
        // Refused requests did not fill the bucket: after 10 s, 20 fit.
        let t1 = t0 + 10_500;
        for _ in 0..20 {
            assert!(l.admit(t1, 2.0, 50.0));
        }
        assert!(!l.admit(t1, 2.0, 50.0));
    }

    #[test]
    fn enterprise_figures_and_zero_rate() {
        let mut l = Limits::default();
        for _ in 0..250 {
            assert!(l.admit(0, 5.0, 250.0));
        }
        assert!(!l.admit(0, 5.0, 250.0));
        assert!(l.admit(200, 5.0, 250.0));
        let mut off = Limits::default();
        for _ in 0..10_000 {
            assert!(off.admit(0, 0.0, 1.0));
        }
    }

    #[test]
    fn operating_time_blocks_a_method_until_its_buckets_expire() {
        let mut l = Limits::default();
        let t0 = 6_000_000; // a bucket boundary
        assert_eq!(
            l.operating("m", t0),
            Operating {
                used_s: 0.0,
                reset_at: None
            }
        );
        l.charge("m", t0 + 1_000, 300.0);
        l.charge("m", t0 + 61_000, 200.0);
        l.charge("m", t0 + 62_000, 0.05); // too short to count
        let op = l.operating("m", t0 + 62_000);
        assert_eq!(op.used_s, 500.0);
        assert_eq!(op.reset_at, Some((t0 + 600_000) / 1000));
        assert!(l.blocked("m", t0 + 62_000, 480.0));
        assert!(!l.blocked("other", t0 + 62_000, 480.0), "per method");
        // The first bucket expires 600 s after it began.
        assert!(!l.blocked("m", t0 + 600_000, 480.0));
        assert_eq!(l.operating("m", t0 + 600_000).used_s, 200.0);
    }

    #[test]
    fn a_shorter_window_frees_the_budget_sooner() {
        let mut l = Limits::default();
        l.set_operating_window(5.0); // buckets of 500 ms
        let t0 = 6_000_000;
        l.charge("m", t0 + 100, 2.0);
        let op = l.operating("m", t0 + 100);
        assert_eq!(op.used_s, 2.0);
        assert_eq!(op.reset_at, Some((t0 + 5_000) / 1000));
        assert!(l.blocked("m", t0 + 4_999, 1.0));
        assert!(!l.blocked("m", t0 + 5_000, 1.0));
        l.set_operating_window(0.0);
        assert_eq!(l.bucket_ms(), MIN_BUCKET_MS, "never a zero-length bucket");
    }
}
