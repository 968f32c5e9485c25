//! The Started, Modified and Locked until cells: the date
//! ([`TimeValue`]) and, beside the value it is about, the row's signal:
//! Stuck next to the lock, Idle next to the last change.

use leptos::prelude::*;

use crate::domain::filters::TimeContext;
use crate::domain::signals::SignalKind;
use crate::domain::time_format::{date_value, DateValue};
use crate::domain::workflows::{Field, WorkflowRow};
use crate::ui::signal_badge::SignalBadge;
use crate::ui::time_value::TimeValue;

/// The signal shown in `field`'s cell, if any.
pub fn signal_beside(field: Field) -> Option<SignalKind> {
    match field {
        Field::OwnedUntil => Some(SignalKind::Stuck),
        Field::Modified => Some(SignalKind::Idle),
        _ => None,
    }
}

/// The date Tab first stops at in the table: the first value any row
/// shows in a date column, in reading order. `None` when no row shows one.
pub fn first_tab_stop(rows: &[WorkflowRow], columns: &[Field]) -> Option<(usize, Field)> {
    rows.iter().enumerate().find_map(|(i, row)| {
        columns
            .iter()
            .find(|f| date_value(row, **f) != DateValue::Empty)
            .map(|f| (i, *f))
    })
}

/// A date cell (`<td>`).
#[component]
pub fn DateCell(
    /// The row.
    row: WorkflowRow,
    /// Started, Modified or Locked until.
    field: Field,
    /// Now, and the admin's UTC offset.
    now: Signal<TimeContext>,
    /// Whether the date is the table's one Tab stop (`ui::cell_focus`).
    tab_stop: bool,
) -> impl IntoView {
    let value = date_value(&row, field);
    let badge = signal_beside(field).map(|kind| view! { <SignalBadge kind=kind row=row now=now/> });
    view! {
        <td class="wm-table__td wm-table__td--date">
            <TimeValue value=value now=now tab_stop=tab_stop/>
            {badge}
        </td>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stuck_sits_by_the_lock_and_idle_by_the_last_change() {
        assert_eq!(signal_beside(Field::OwnedUntil), Some(SignalKind::Stuck));
        assert_eq!(signal_beside(Field::Modified), Some(SignalKind::Idle));
        assert_eq!(signal_beside(Field::Started), None);
    }

    #[test]
    fn tab_first_stops_at_the_first_date_shown() {
        let row = |v: serde_json::Value| WorkflowRow::from_value(&v).expect("row");
        let rows = [
            row(serde_json::json!({"ID": "a", "OWNED_UNTIL": null})),
            row(serde_json::json!({"ID": "b", "MODIFIED": "2026-01-01T00:00:00Z", "STARTED": "x"})),
        ];
        let dates = [Field::OwnedUntil, Field::Started, Field::Modified];
        assert_eq!(first_tab_stop(&rows, &dates), Some((1, Field::Started)));
        assert_eq!(first_tab_stop(&rows, &[Field::OwnedUntil]), None);
        assert_eq!(first_tab_stop(&[], &dates), None);
    }
}
