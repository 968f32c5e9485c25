//! The performance budgets (issue 7, part 2), each evaluated from measured
//! values as PASS or FAIL. They are reported by the bench, never asserted
//! in tests: a slow machine must not fail a build.

use serde_json::{json, Value};

/// The outcome of one budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The measured value is within the budget.
    Pass,
    /// It is not.
    Fail,
    /// Nothing was measured (a step failed or was skipped).
    Unmeasured,
}

impl Verdict {
    /// `PASS`, `FAIL` or `n/a`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::Unmeasured => "n/a",
        }
    }
}

/// How the measured value must compare with the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `measured <= limit`.
    AtMost,
    /// `measured < limit`.
    Under,
    /// `measured == limit`.
    Exactly,
}

impl Rule {
    fn holds(self, measured: f64, limit: f64) -> bool {
        match self {
            Rule::AtMost => measured <= limit,
            Rule::Under => measured < limit,
            Rule::Exactly => measured == limit,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Rule::AtMost => "≤",
            Rule::Under => "<",
            Rule::Exactly => "=",
        }
    }
}

/// One budget with what was measured against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// What is budgeted ("500 rows painted").
    pub name: String,
    /// The rule.
    pub rule: Rule,
    /// The limit, in `unit`.
    pub limit: f64,
    /// The unit of limit and value ("ms", "round trips", "KB").
    pub unit: &'static str,
    /// The value compared (`None`: not measured).
    pub measured: Option<f64>,
    /// Which value of the runs was compared ("worst of 5", "median of 5").
    pub basis: String,
}

impl Budget {
    /// A budget of `name`: `measured` `rule` `limit` `unit`.
    pub fn new(
        name: impl Into<String>,
        rule: Rule,
        limit: f64,
        unit: &'static str,
        measured: Option<f64>,
        basis: impl Into<String>,
    ) -> Budget {
        Budget {
            name: name.into(),
            rule,
            limit,
            unit,
            measured,
            basis: basis.into(),
        }
    }

    /// Whether the measured value keeps the budget.
    pub fn verdict(&self) -> Verdict {
        match self.measured {
            Some(v) if v.is_finite() => {
                if self.rule.holds(v, self.limit) {
                    Verdict::Pass
                } else {
                    Verdict::Fail
                }
            }
            _ => Verdict::Unmeasured,
        }
    }

    /// `≤ 150 KB`.
    pub fn limit_text(&self) -> String {
        format!(
            "{} {} {}",
            self.rule.symbol(),
            number(self.limit),
            self.unit
        )
    }

    /// `143.2 KB (worst of 5)`, or `not measured`.
    pub fn measured_text(&self) -> String {
        match self.measured {
            Some(v) if v.is_finite() => format!("{} {} ({})", number(v), self.unit, self.basis),
            _ => "not measured".to_owned(),
        }
    }

    /// The budget as JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "budget": self.name,
            "limit": self.limit_text(),
            "measured": self.measured,
            "unit": self.unit,
            "basis": self.basis,
            "verdict": self.verdict().as_str(),
        })
    }
}

/// A number as a person writes it: whole numbers without decimals, others
/// with one.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The worst (largest) of `values`: a round-trip budget must hold in every
/// run. `None` when there are none.
pub fn worst(values: &[f64]) -> Option<f64> {
    values
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .reduce(f64::max)
}

/// Whether a heap is flat: it grew by at most `tolerance` bytes between the
/// first and the last sample (both taken after a forced garbage collection).
/// Returns the growth, compared as a budget of at most `tolerance`.
pub fn heap_growth(samples: &[f64]) -> Option<f64> {
    Some(samples.last()? - samples.first()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_within_and_fails_beyond_the_limit() {
        let b = |v| Budget::new("x", Rule::AtMost, 2.0, "round trips", Some(v), "worst of 3");
        assert_eq!(b(2.0).verdict(), Verdict::Pass);
        assert_eq!(b(3.0).verdict(), Verdict::Fail);
        let under = |v| Budget::new("x", Rule::Under, 50.0, "ms", Some(v), "median");
        assert_eq!(under(49.9).verdict(), Verdict::Pass);
        assert_eq!(under(50.0).verdict(), Verdict::Fail);
        let exactly = |v| Budget::new("x", Rule::Exactly, 1.0, "round trips", Some(v), "every run");
        assert_eq!(exactly(1.0).verdict(), Verdict::Pass);
        assert_eq!(exactly(0.0).verdict(), Verdict::Fail);
    }

    #[test]
    fn a_budget_without_a_measurement_is_neither_kept_nor_broken() {
        let b = Budget::new("x", Rule::AtMost, 1.0, "ms", None, "");
        assert_eq!(b.verdict(), Verdict::Unmeasured);
        assert_eq!(b.measured_text(), "not measured");
        let nan = Budget::new("x", Rule::AtMost, 1.0, "ms", Some(f64::NAN), "");
        assert_eq!(nan.verdict(), Verdict::Unmeasured);
    }

    #[test]
    fn says_limit_and_value_as_a_person_reads_them() {
        let b = Budget::new(
            "transfer",
            Rule::AtMost,
            150.0,
            "KB",
            Some(143.25),
            "brotli",
        );
        assert_eq!(b.limit_text(), "≤ 150 KB");
        assert_eq!(b.measured_text(), "143.2 KB (brotli)");
        assert_eq!(b.to_json()["verdict"], "PASS");
    }

    #[test]
    fn the_worst_run_is_the_largest_value() {
        assert_eq!(worst(&[1.0, 3.0, 2.0]), Some(3.0));
        assert_eq!(worst(&[]), None);
    }

    #[test]
    fn heap_growth_is_last_minus_first() {
        assert_eq!(heap_growth(&[10.0, 12.0, 11.0]), Some(1.0));
        assert_eq!(heap_growth(&[]), None);
    }
}
