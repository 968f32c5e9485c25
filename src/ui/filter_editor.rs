//! The filter editor: one control per filterable column, each labelled
//! with the column's name, each change applied at once (no "Apply" step).

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::ui::i18n::texts;

use crate::domain::table::filters::{Filter, FilterKind};
use crate::rest::RestClient;
use crate::ui::date_range_field::DateRangeField;
use crate::ui::document_picker::DocumentPicker;
use crate::ui::filters_bar::FilterChange;
use crate::ui::names::Names;
use crate::ui::template_picker::TemplatePicker;
use crate::ui::user_picker::UserPicker;

/// How long typing must pause before a text filter applies.
pub const TYPING_PAUSE: Duration = Duration::from_millis(300);

/// What typing `text` in the workflow ID box does: a filter, or `None`
/// for removing it (an empty box).
pub fn workflow_id_filter(text: &str) -> Option<Filter> {
    Filter::workflow_id(text).ok()
}

/// Every filter control.
#[component]
pub fn FilterEditor(
    /// Applies changes.
    change: FilterChange,
    /// The session's template and user names (the user picker adds to
    /// them).
    names: Names,
    /// For the user search.
    rest: Rc<RestClient>,
) -> impl IntoView {
    view! {
        <div class="wm-filter-editor" id="wm-filter-editor">
            <DateRangeField kind=FilterKind::Started change=change/>
            <DateRangeField kind=FilterKind::Modified change=change/>
            <DateRangeField kind=FilterKind::LockedUntil change=change/>
            <TemplatePicker change=change names=names/>
            <UserPicker change=change names=names rest=rest/>
            <DocumentPicker change=change/>
            <WorkflowIdField change=change/>
        </div>
    }
}

/// The exact workflow ID, labelled "ID" like its column.
#[component]
fn WorkflowIdField(
    /// Applies changes.
    change: FilterChange,
) -> impl IntoView {
    let shown = Memo::new(move |_| match change.current(FilterKind::WorkflowId) {
        Some(Filter::WorkflowId(id)) => id.as_str().to_owned(),
        _ => String::new(),
    });
    let mut typed = debounce(TYPING_PAUSE, move |text: String| {
        match workflow_id_filter(&text) {
            Some(f) => change.set(f),
            None => change.remove(FilterKind::WorkflowId),
        }
    });
    view! {
        <label class="wm-field">
            <span class="wm-field__label">{texts().field_id}</span>
            <input
                class="wm-input wm-input--mono"
                type="text"
                autocomplete="off"
                spellcheck="false"
                placeholder=texts().workflow_id_example
                prop:value=move || shown.get()
                on:input=move |ev| typed(event_target_value(&ev))
            />
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_id_box_removes_the_filter_and_text_is_trimmed() {
        assert_eq!(workflow_id_filter("   "), None);
        let Some(Filter::WorkflowId(id)) = workflow_id_filter(" 66e4.1 ") else {
            panic!("a workflow ID filter");
        };
        assert_eq!(id.as_str(), "66e4.1");
    }
}
