//! Min / median / max over the runs of one measurement.

use serde_json::{json, Value};

/// The spread of one measurement over its runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// How many runs.
    pub n: usize,
    /// The smallest value.
    pub min: f64,
    /// The middle value (the mean of the two middle ones for an even count).
    pub median: f64,
    /// The largest value.
    pub max: f64,
}

impl Summary {
    /// The summary of `values`, ignoring NaNs; `None` when nothing is left.
    pub fn of(values: &[f64]) -> Option<Summary> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Summary {
            n,
            min: sorted[0],
            median,
            max: sorted[n - 1],
        })
    }

    /// `{"n", "min", "median", "max"}`.
    pub fn to_json(self) -> Value {
        json!({ "n": self.n, "min": self.min, "median": self.median, "max": self.max })
    }
}

/// A summary as JSON, `null` when there was nothing to summarise.
pub fn summary_json(values: &[f64]) -> Value {
    Summary::of(values).map_or(Value::Null, Summary::to_json)
}

/// Least-squares slope of `y` over `x` (units of y per unit of x); `None`
/// for fewer than two distinct `x`.
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    Some(sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises_an_odd_count_by_its_middle_value() {
        let s = Summary::of(&[30.0, 10.0, 20.0]).unwrap();
        assert_eq!((s.n, s.min, s.median, s.max), (3, 10.0, 20.0, 30.0));
    }

    #[test]
    fn summarises_an_even_count_by_the_mean_of_its_middle_values() {
        let s = Summary::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((s.min, s.median, s.max), (1.0, 2.5, 4.0));
    }

    #[test]
    fn has_no_summary_without_values() {
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[f64::NAN]), None);
        assert_eq!(summary_json(&[]), Value::Null);
    }

    #[test]
    fn a_flat_series_has_no_slope_and_a_line_its_own() {
        assert_eq!(slope(&[(0.0, 5.0), (1.0, 5.0), (2.0, 5.0)]), Some(0.0));
        assert_eq!(slope(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]), Some(2.0));
        assert_eq!(slope(&[(1.0, 1.0), (1.0, 3.0)]), None);
        assert_eq!(slope(&[(1.0, 1.0)]), None);
    }
}
