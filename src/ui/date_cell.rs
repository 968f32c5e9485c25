//! The Started, Modified and Locked until cells: the date
//! ([`TimeValue`]) and, beside the value it is about, the row's signal:
//! Stuck next to the lock, Idle next to the last change.

use leptos::prelude::*;

use crate::domain::filters::TimeContext;
use crate::domain::signals::SignalKind;
use crate::domain::time_format::date_value;
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

/// A date cell (`<td>`).
#[component]
pub fn DateCell(
    /// The row.
    row: WorkflowRow,
    /// Started, Modified or Locked until.
    field: Field,
    /// Now, and the admin's UTC offset.
    now: Signal<TimeContext>,
) -> impl IntoView {
    let value = date_value(&row, field);
    let badge = signal_beside(field).map(|kind| view! { <SignalBadge kind=kind row=row now=now/> });
    view! {
        <td class="wm-table__td wm-table__td--date">
            <TimeValue value=value now=now/>
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
}
