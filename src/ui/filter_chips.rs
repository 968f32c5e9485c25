//! The active filters as removable chips, and "Clear all".

use leptos::prelude::*;

use crate::domain::display::documents::DocumentKind;
use crate::domain::display::documents::DocumentRef;
use crate::domain::display::names::UserNames;
use crate::domain::i18n::{fill, Lang, Texts};
use crate::domain::methods::lookups::Templates;
use crate::domain::table::filters::{Chip, Filter};
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::lang;
use crate::ui::names::Names;

/// The display name a chip uses for its filter's template, user or
/// document, when known. Templates the list does not hold are automation
/// rules or robots; a document reads as "Deal 1633" (its kind alone when
/// no document is chosen); one the app cannot read keeps its raw values.
pub fn chip_name(
    filter: &Filter,
    templates: Option<&Templates>,
    users: &UserNames,
    t: &Texts,
) -> Option<String> {
    match filter {
        Filter::Template { id, .. } => templates.map(|list| list.label(*id, t)),
        Filter::StartedBy(u) if u.is_system() => Some(t.user_system.to_owned()),
        Filter::StartedBy(u) => users.name(*u, t),
        Filter::Document(d) => match d.document() {
            Some(doc) => DocumentRef::parse(d.module(), d.entity(), doc)
                .ok()
                .map(|r| r.label(t)),
            None => DocumentKind::of(d.module(), d.entity()).map(|k| k.name(t).to_owned()),
        },
        _ => None,
    }
}

/// `1 filter applied`, `3 filters applied`, `No filters`.
pub fn filters_summary(count: usize, lang: Lang) -> String {
    let t = lang.texts();
    match count {
        0 => t.no_filters.to_owned(),
        n => lang.plural(n as u64, &t.filters_applied),
    }
}

/// One chip per active filter, each with its remove button, then "Clear all".
#[component]
pub fn FilterChips(
    /// The filters shown; applies removals.
    change: FilterChange,
    /// The session's names (a user restored from a saved view is named
    /// by the page's `user.get` for its screen).
    names: Names,
) -> impl IntoView {
    let lang = lang();
    let view = change.screen().view;
    let chips = move || {
        let t = lang.texts();
        names.with(|known| {
            let (list, users) = (known.templates(), &known.users);
            view.with(|v| v.chips(&|f: &Filter| chip_name(f, list, users, t), lang))
        })
    };
    let count = move || view.with(|v| v.filters().len());
    view! {
        <div class="wm-chips">
            <p class="wm-visually-hidden" aria-live="polite">{move || filters_summary(count(), lang)}</p>
            <ul class="wm-chips__list" aria-label=lang.texts().active_filters>
                <For each=chips key=|c| (c.kind, c.label.clone()) children=move |chip: Chip| {
                    let remove = fill(lang.texts().remove_filter, &[("label", &chip.label)]);
                    view! {
                        <li class="wm-chip">
                            <span class="wm-chip__label">{chip.label}</span>
                            <button
                                type="button"
                                class="wm-chip__remove"
                                aria-label=remove.clone()
                                title=remove
                                on:click=move |_| change.remove(chip.kind)
                            >
                                "×"
                            </button>
                        </li>
                    }
                }/>
            </ul>
            <Show when=move || { count() > 0 }>
                <button
                    type="button"
                    class="wm-chips__clear"
                    on:click=move |_| change.clear()
                >
                    {lang.texts().clear_all}
                </button>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::{EN, RU};
    use crate::domain::methods::instances::{TemplateId, UserId};
    use crate::domain::methods::lookups::{TemplateInfo, UserInfo};
    use crate::domain::table::filters::DocumentFilter;

    #[test]
    fn chips_name_templates_users_and_the_system() {
        let templates = Templates::new(vec![TemplateInfo {
            id: TemplateId(3),
            name: "Approve deal".into(),
            document_type: None,
        }]);
        let mut users = UserNames::new();
        users.insert(&UserInfo {
            id: UserId(5),
            name: "Ann Lee".into(),
        });
        let name = |f: Filter| chip_name(&f, Some(&templates), &users, &EN);
        let tpl = |id| Filter::Template {
            id: TemplateId(id),
            exclude: false,
        };
        assert_eq!(name(tpl(3)).as_deref(), Some("Approve deal"));
        assert_eq!(
            name(tpl(9)).as_deref(),
            Some("Automation rule or robot (template 9)")
        );
        assert_eq!(chip_name(&tpl(3), None, &users, &EN), None);
        assert_eq!(
            name(Filter::StartedBy(UserId(5))).as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(name(Filter::StartedBy(UserId(6))), None);
        assert_eq!(
            name(Filter::StartedBy(UserId(0))).as_deref(),
            Some("System / automation")
        );
        let label = tpl(3).chip_label(name(tpl(3)).as_deref(), Lang::En);
        assert_eq!(label, "Template is Approve deal");
        assert_eq!(
            chip_name(&Filter::StartedBy(UserId(0)), None, &users, &RU).as_deref(),
            Some("Система / автоматизация")
        );
    }

    #[test]
    fn document_chips_read_as_the_document() {
        let users = UserNames::new();
        let doc = |m: &str, e: &str, d: Option<&str>| {
            let Ok(f) = DocumentFilter::new(m, e, d) else {
                panic!("a document filter");
            };
            let filter = Filter::Document(f);
            let name = chip_name(&filter, None, &users, &EN);
            filter.chip_label(name.as_deref(), Lang::En)
        };
        assert_eq!(
            doc("crm", "CCrmDocumentDeal", Some("DEAL_1633")),
            "Document is Deal 1633"
        );
        assert_eq!(
            doc(
                "crm",
                "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
                Some("DYNAMIC_147_1")
            ),
            "Document is Smart process 147 · item 1"
        );
        assert_eq!(
            doc("crm", "CCrmDocumentLead", None),
            "Document kind is Lead"
        );
        assert_eq!(
            doc("crm", "CCrmDocumentDeal", Some("<b>x</b>")),
            "Document is <b>x</b> (Deal)"
        );
        assert_eq!(
            doc("iblock", "CIBlockDocument", Some("5")),
            "Document is 5 (iblock / CIBlockDocument)"
        );
        let deal = Filter::Document(
            DocumentFilter::new("crm", "CCrmDocumentDeal", Some("DEAL_1633")).expect("deal"),
        );
        let name = chip_name(&deal, None, &users, &RU);
        assert_eq!(
            deal.chip_label(name.as_deref(), Lang::Ru),
            "Документ: Сделка 1633"
        );
    }

    #[test]
    fn the_count_is_announced_in_words() {
        assert_eq!(filters_summary(0, Lang::En), "No filters");
        assert_eq!(filters_summary(1, Lang::En), "1 filter applied");
        assert_eq!(filters_summary(4, Lang::En), "4 filters applied");
        assert_eq!(filters_summary(3, Lang::Ru), "применено 3 фильтра");
    }
}
