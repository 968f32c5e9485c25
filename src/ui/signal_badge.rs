//! The Stuck badge and the quieter Idle mark of a row, each explained in a
//! tooltip that the keyboard reaches too.

use leptos::prelude::*;

use crate::domain::filters::TimeContext;
use crate::domain::signals::SignalKind;
use crate::domain::workflows::WorkflowRow;
use crate::ui::i18n::lang;
use crate::ui::tip::tip_id;

/// The badge of `kind` on `row`, while the row has that signal at `now`.
#[component]
pub fn SignalBadge(
    /// Stuck or Idle.
    kind: SignalKind,
    /// The row judged.
    row: WorkflowRow,
    /// Now: a lock may expire while the admin watches.
    now: Signal<TimeContext>,
) -> impl IntoView {
    let lang = lang();
    let judged = Memo::new(move |_| kind.of(&row, now.get().now));
    // A separate yes/no, so the badge (and a focus on it) stays while
    // only its explanation's "2 h ago" moves on.
    let shown = Memo::new(move |_| judged.with(Option::is_some));
    let class = match kind {
        SignalKind::Stuck => "wm-badge wm-badge--danger wm-signal",
        SignalKind::Idle => "wm-badge wm-badge--muted wm-signal",
    };
    let id = tip_id();
    view! {
        <Show when=move || shown.get()>
            <span class="wm-signal-wrap">
                // Reached with the arrow keys from the dates (`ui::cell_focus`).
                <span class=class data-wm-focus="" tabindex="-1" aria-describedby=id.clone()>
                    {kind.label(lang)}
                </span>
                <span class="wm-tip" role="tooltip" id=id.clone()>
                    {move || judged.get().map(|s| s.explanation(lang))}
                </span>
            </span>
        </Show>
    }
}
