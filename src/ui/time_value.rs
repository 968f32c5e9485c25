//! A date as the admin reads it: in their time zone and language, with how
//! long ago (or how soon) it is; the exact value as the portal sent it
//! (ISO 8601 with the portal's offset) on hover and on keyboard focus.

use leptos::prelude::*;

use crate::domain::filters::TimeContext;
use crate::domain::time_format::{absolute_text, relative_text, DateValue};
use crate::ui::i18n::lang;
use crate::ui::tip::tip_id;

/// One date. The relative form follows `now`, as text only: the focused
/// element stays when the clock moves on.
#[component]
pub fn TimeValue(
    /// The value of the row's date field.
    value: DateValue,
    /// Now, and the admin's UTC offset.
    now: Signal<TimeContext>,
    /// Whether Tab stops here (the table's one stop, `ui::cell_focus`);
    /// otherwise the arrow keys reach it.
    tab_stop: bool,
) -> impl IntoView {
    let tabindex = if tab_stop { "0" } else { "-1" };
    let lang = lang();
    match value {
        DateValue::Empty => ().into_any(),
        DateValue::Raw(raw) => {
            let id = tip_id();
            view! {
                <span class="wm-time">
                    <span
                        class="wm-time__raw"
                        data-wm-focus=""
                        tabindex=tabindex
                        aria-describedby=id.clone()
                    >
                        {raw}
                    </span>
                    <span class="wm-tip" role="tooltip" id=id>
                        {lang.texts().time_unreadable}
                    </span>
                </span>
            }
            .into_any()
        }
        DateValue::Stamp(t) => {
            let id = tip_id();
            let exact = t.to_iso8601();
            let absolute = move || absolute_text(t.unix_s, now.get().offset_minutes, lang);
            let relative = move || relative_text(t.unix_s, now.get().now, lang);
            view! {
                <span class="wm-time">
                    <time
                        class="wm-time__value"
                        datetime=exact.clone()
                        data-wm-focus=""
                        tabindex=tabindex
                        aria-describedby=id.clone()
                    >
                        <span class="wm-time__abs">{absolute}</span>
                        " "
                        <span class="wm-time__rel">{relative}</span>
                    </time>
                    <span class="wm-tip" role="tooltip" id=id>
                        {exact}
                    </span>
                </span>
            }
            .into_any()
        }
    }
}
