//! The Document filter: the kind of document (deal, lead, smart process…),
//! then, optionally, one document's id.

use leptos::prelude::*;

use crate::domain::display::documents::DocumentKind;
use crate::domain::table::filters::{DocumentFilter, Filter, FilterKind};
use crate::ui::filter_editor::TYPING_PAUSE;
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::{lang, texts};

/// The `<select>` value of an active document filter: a kind's slug, or
/// `other` for a module and entity the menu does not name.
pub fn kind_value(filter: Option<&DocumentFilter>) -> String {
    match filter {
        None => String::new(),
        Some(d) => DocumentKind::of(d.module(), d.entity())
            .map_or_else(|| "other".to_owned(), |k| k.slug().to_owned()),
    }
}

/// A select labelled "Document" and an input labelled "Document ID".
#[component]
pub fn DocumentPicker(
    /// Applies changes.
    change: FilterChange,
) -> impl IntoView {
    let current = Memo::new(move |_| match change.current(FilterKind::Document) {
        Some(Filter::Document(d)) => Some(d),
        _ => None,
    });
    let kind = move || {
        current.with(|d| {
            d.as_ref()
                .and_then(|d| DocumentKind::of(d.module(), d.entity()))
        })
    };
    let error = RwSignal::new(None::<String>);
    let apply = move |k: DocumentKind, typed: &str| match k.filter(typed) {
        Ok(f) => {
            error.set(None);
            change.set(f);
        }
        Err(e) => error.set(Some(e.message(lang()))),
    };
    let pick_kind = move |value: String| match DocumentKind::from_slug(&value) {
        // Another kind's document id means nothing for this one.
        Some(k) => apply(k, ""),
        None if value.is_empty() => change.remove(FilterKind::Document),
        // "other": the restored filter stays as it is.
        None => {}
    };
    let mut typed = debounce(TYPING_PAUSE, move |text: String| {
        let Some(k) = kind() else {
            error.set(Some(texts().choose_kind_first.to_owned()));
            return;
        };
        apply(k, &text);
    });
    let other = move || {
        current.get().and_then(|d| {
            DocumentKind::of(d.module(), d.entity()).is_none().then(|| {
                let text = format!("{} / {}", d.module(), d.entity());
                view! { <option value="other" selected=true>{text}</option> }
            })
        })
    };
    let hint = move || kind().map_or(texts().choose_kind_hint, |k| k.id_hint(texts()));
    view! {
        <div class="wm-field">
            <label class="wm-field__stack">
                <span class="wm-field__label">{texts().field_document}</span>
                <select
                    class="wm-input"
                    prop:value=move || current.with(|d| kind_value(d.as_ref()))
                    on:change=move |ev| pick_kind(event_target_value(&ev))
                >
                    <option value="">{texts().any_document}</option>
                    {DocumentKind::ALL
                        .into_iter()
                        .map(|k| {
                            let selected = move || kind() == Some(k);
                            view! { <option value=k.slug() selected=selected>{k.name(texts())}</option> }
                        })
                        .collect_view()}
                    {other}
                </select>
            </label>
            <label class="wm-field__stack">
                <span class="wm-field__label">{texts().document_id}</span>
                <input
                    class="wm-input"
                    type="text"
                    autocomplete="off"
                    placeholder=hint
                    prop:value=move || current.with(|d| d.as_ref().and_then(|d| d.document().map(str::to_owned)).unwrap_or_default())
                    on:input=move |ev| typed(event_target_value(&ev))
                />
            </label>
            <p class="wm-field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_select_shows_a_known_kind_or_other() {
        assert_eq!(kind_value(None), "");
        let deal = DocumentFilter::new("crm", "CCrmDocumentDeal", Some("DEAL_1")).expect("deal");
        assert_eq!(kind_value(Some(&deal)), "deal");
        let odd = DocumentFilter::new("iblock", "CIBlockDocument", None).expect("odd");
        assert_eq!(kind_value(Some(&odd)), "other");
    }
}
