//! One run at a time per browser: a run holds a lease, kept in the app's
//! `localStorage` (shared by every tab of the app in this browser) and
//! renewed with every request it sends. Another tab that finds a lease
//! still valid does not start: the two could otherwise send the same
//! workflows. A tab closed mid-run leaves a lease that lapses on its own.
//!
//! The value is `<tab>|<until, unix ms>`; anything else is no lease (a
//! damaged value never blocks the admin for good).

/// How long a lease lasts without renewal: longer than any one request
/// may wait for the portal (a paused run renews nothing, so a paused run
/// in another tab blocks for at most this long after its last request).
pub const LEASE_MS: i64 = 120_000;

/// The storage key.
pub const LEASE_KEY: &str = "wm_run_lease";

/// The lease of `tab` from `now_ms`.
pub fn lease(tab: &str, now_ms: i64) -> String {
    format!("{tab}|{}", now_ms.saturating_add(LEASE_MS))
}

/// Whether `tab` may run now, given the `stored` lease: `Err(seconds)`
/// until another tab's lease lapses.
pub fn may_run(stored: Option<&str>, tab: &str, now_ms: i64) -> Result<(), u64> {
    let Some((holder, until)) = stored.and_then(|s| s.rsplit_once('|')) else {
        return Ok(());
    };
    let Ok(until) = until.parse::<i64>() else {
        return Ok(());
    };
    if holder == tab || until <= now_ms {
        return Ok(());
    }
    // Never longer than one lease, whatever the stored time says.
    let left = (until - now_ms).min(LEASE_MS);
    Err(u64::try_from(left).unwrap_or(0).div_ceil(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_tabs_valid_lease_blocks_and_lapses() {
        let held = lease("a", 1_000);
        assert_eq!(may_run(Some(&held), "b", 2_000), Err(119));
        assert_eq!(may_run(Some(&held), "a", 2_000), Ok(()), "its own lease");
        assert_eq!(may_run(Some(&held), "b", 1_000 + LEASE_MS), Ok(()));
        assert_eq!(may_run(None, "b", 0), Ok(()));
    }

    #[test]
    fn a_damaged_or_far_future_lease_never_blocks_for_good() {
        for junk in ["", "x", "a|", "a|soon", "|"] {
            assert_eq!(may_run(Some(junk), "b", 0), Ok(()), "{junk:?}");
        }
        let far = format!("a|{}", i64::MAX);
        assert_eq!(may_run(Some(&far), "b", 0), Err(120));
    }
}
