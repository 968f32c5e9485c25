//! Round trips, measured from the emulator's request log rather than
//! assumed.
//!
//! The log gives, for every REST request, when it arrived (`at_ms`, Unix
//! milliseconds, whole) and how long the portal took to answer it
//! (`duration_ms`, latency included), so when its answer left. A request
//! that arrived after the answer to another one had left may have waited
//! for that answer; one that arrived before cannot have. So:
//!
//! - a request is in **wave 1** unless it arrived after some other
//!   request's answer had left;
//! - otherwise it is in wave `1 + w`, where `w` is the highest wave among
//!   the requests whose answers had left by the time it arrived.
//!
//! The **round trips** of a set of requests are its highest wave (0 for
//! none): the length of the longest chain of requests each sent after the
//! previous one's answer. Requests sent side by side count once; a request
//! a client delays for any reason after an answer (pacing included) counts
//! as a later round trip, which is the honest reading for a budget. "After"
//! allows [`ARRIVAL_RESOLUTION_MS`] because arrivals are logged in whole
//! milliseconds: at the 100 ms latency the budgets are read at, requests
//! sent side by side arrive within a few ms of each other and answers leave
//! 100 ms later, so the allowance cannot merge two waves.

use serde_json::Value;

/// The resolution of the log's arrival times.
pub const ARRIVAL_RESOLUTION_MS: f64 = 1.0;

/// One request as the portal saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// The log's sequence number.
    pub seq: u64,
    /// The REST method (`batch` for a batch).
    pub method: String,
    /// For a batch, the method of each command.
    pub batch_methods: Vec<String>,
    /// Unix ms when the request arrived.
    pub arrived_ms: f64,
    /// Unix ms when its answer left.
    pub answered_ms: f64,
}

impl Exchange {
    /// An entry of `GET /_emulator/log`; `None` when it lacks the times.
    pub fn from_log(entry: &Value) -> Option<Exchange> {
        let arrived_ms = entry["at_ms"].as_f64()?;
        let duration = entry["duration_ms"].as_f64()?;
        Some(Exchange {
            seq: entry["seq"].as_u64().unwrap_or(0),
            method: entry["method"].as_str().unwrap_or_default().to_owned(),
            batch_methods: entry["batch_methods"]
                .as_array()
                .map(|m| {
                    m.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            arrived_ms,
            answered_ms: arrived_ms + duration,
        })
    }

    /// `bizproc.workflow.instances`, or `batch(10× bizproc.workflow.instances)`.
    pub fn describe(&self) -> String {
        if self.method != "batch" {
            return self.method.clone();
        }
        let mut parts: Vec<(String, usize)> = Vec::new();
        for m in &self.batch_methods {
            match parts.iter_mut().find(|(name, _)| name == m) {
                Some((_, count)) => *count += 1,
                None => parts.push((m.clone(), 1)),
            }
        }
        let inner: Vec<String> = parts
            .iter()
            .map(|(m, c)| {
                if *c == 1 {
                    m.clone()
                } else {
                    format!("{c}× {m}")
                }
            })
            .collect();
        format!("batch({})", inner.join(", "))
    }
}

/// The wave of each request of `exchanges` (same order), per the module's
/// definition.
pub fn waves(exchanges: &[Exchange]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..exchanges.len()).collect();
    order.sort_by(|&a, &b| exchanges[a].arrived_ms.total_cmp(&exchanges[b].arrived_ms));
    let mut wave = vec![0u32; exchanges.len()];
    for &i in &order {
        let before = exchanges
            .iter()
            .enumerate()
            .filter(|(j, e)| {
                *j != i
                    && wave[*j] > 0
                    && e.answered_ms <= exchanges[i].arrived_ms + ARRIVAL_RESOLUTION_MS
                    && e.arrived_ms < exchanges[i].arrived_ms
            })
            .map(|(j, _)| wave[j])
            .max()
            .unwrap_or(0);
        wave[i] = before + 1;
    }
    wave
}

/// The round trips of `exchanges`: their highest wave, 0 for none.
pub fn round_trips(exchanges: &[Exchange]) -> u32 {
    waves(exchanges).into_iter().max().unwrap_or(0)
}

/// The requests that arrived at or after `from_ms` and were answered by
/// `until_ms` (Unix ms): what something shown at `until_ms` can have
/// waited for, since `from_ms`.
pub fn within(exchanges: &[Exchange], from_ms: f64, until_ms: f64) -> Vec<Exchange> {
    exchanges
        .iter()
        .filter(|e| e.arrived_ms + ARRIVAL_RESOLUTION_MS >= from_ms && e.answered_ms <= until_ms)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(seq: u64, arrived: f64, answered: f64) -> Exchange {
        Exchange {
            seq,
            method: "m".into(),
            batch_methods: Vec::new(),
            arrived_ms: arrived,
            answered_ms: answered,
        }
    }

    #[test]
    fn requests_sent_side_by_side_are_one_round_trip() {
        let log = [
            ex(1, 1000.0, 1100.0),
            ex(2, 1002.0, 1103.0),
            ex(3, 1003.0, 1110.0),
        ];
        assert_eq!(waves(&log), [1, 1, 1]);
        assert_eq!(round_trips(&log), 1);
    }

    #[test]
    fn a_request_sent_after_an_answer_is_a_later_round_trip() {
        // Rows and templates together, then names and the prefetch after
        // the rows came back, then a request after the names.
        let log = [
            ex(1, 1000.0, 1100.0),
            ex(2, 1001.0, 1150.0),
            ex(3, 1105.0, 1205.0),
            ex(4, 1106.0, 1206.0),
            ex(5, 1210.0, 1310.0),
        ];
        assert_eq!(waves(&log), [1, 1, 2, 2, 3]);
        assert_eq!(round_trips(&log), 3);
    }

    #[test]
    fn arrivals_within_the_log_resolution_of_an_answer_count_as_after_it() {
        // Logged at 1100 (whole ms), sent when the answer left at 1100.6.
        let log = [ex(1, 1000.0, 1100.6), ex(2, 1100.0, 1200.0)];
        assert_eq!(waves(&log), [1, 2]);
    }

    #[test]
    fn waves_do_not_depend_on_the_log_order() {
        let log = [ex(2, 1105.0, 1205.0), ex(1, 1000.0, 1100.0)];
        assert_eq!(waves(&log), [2, 1]);
    }

    #[test]
    fn no_requests_are_no_round_trips() {
        assert_eq!(round_trips(&[]), 0);
    }

    #[test]
    fn keeps_the_requests_sent_since_and_answered_by_a_moment() {
        let log = [
            ex(1, 900.0, 950.0),
            ex(2, 1000.0, 1100.0),
            ex(3, 1105.0, 1205.0),
        ];
        let kept: Vec<u64> = within(&log, 1000.0, 1150.0).iter().map(|e| e.seq).collect();
        assert_eq!(kept, [2]);
    }

    #[test]
    fn reads_a_log_entry_and_names_a_batch_by_its_commands() {
        let entry = serde_json::json!({
            "seq": 7, "at_ms": 1000, "duration_ms": 100.5, "method": "batch",
            "batch_methods": ["bizproc.workflow.instances", "bizproc.workflow.instances", "user.get"]
        });
        let e = Exchange::from_log(&entry).unwrap();
        assert_eq!((e.seq, e.arrived_ms, e.answered_ms), (7, 1000.0, 1100.5));
        assert_eq!(
            e.describe(),
            "batch(2× bizproc.workflow.instances, user.get)"
        );
        assert_eq!(Exchange::from_log(&serde_json::json!({"seq": 1})), None);
    }
}
