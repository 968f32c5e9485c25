//! The Age and Idle cells: how long since the workflow started, or since
//! it last changed (`3 h`, `12 d`), following the clock.

use leptos::prelude::*;

use crate::domain::filters::TimeContext;
use crate::domain::time::Timestamp;
use crate::domain::time_format::elapsed_text;
use crate::ui::i18n::lang;

/// A span cell (`<td>`).
#[component]
pub fn SpanCell(
    /// Started (Age) or Modified (Idle); `None` when the row has no
    /// readable value (the cell stays empty).
    since: Option<Timestamp>,
    /// Now.
    now: Signal<TimeContext>,
) -> impl IntoView {
    let lang = lang();
    view! {
        <td class="wm-table__td wm-table__td--num wm-table__td--span">
            {move || elapsed_text(since, now.get().now, lang)}
        </td>
    }
}
