//! The active filters as removable chips, and "Clear all".

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::errors::RestError;
use crate::domain::filters::{Chip, Filter, FilterKind};
use crate::domain::i18n::{fill, Lang};
use crate::domain::lookups::{Templates, SYSTEM_USER_LABEL};
use crate::domain::view::ViewState;
use crate::domain::workflows::UserId;
use crate::rest::lookups::get_users;
use crate::rest::RestClient;
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::lang;

/// The display name a chip uses for its filter's template or user, when
/// known. Templates the list does not hold are automation rules or robots.
pub fn chip_name(
    filter: &Filter,
    templates: Option<&Templates>,
    users: &HashMap<UserId, String>,
) -> Option<String> {
    match filter {
        Filter::Template { id, .. } => templates.map(|t| t.label(*id)),
        Filter::StartedBy(u) if u.is_system() => Some(SYSTEM_USER_LABEL.to_owned()),
        Filter::StartedBy(u) => users.get(u).cloned(),
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
    /// The view whose filters are shown.
    view: RwSignal<ViewState>,
    /// Applies removals.
    change: FilterChange,
    /// The portal's templates, for names.
    templates: LocalResource<Result<Templates, RestError>>,
    /// Names of users met in this session; a user restored from a saved
    /// view is looked up once with `user.get`.
    users: RwSignal<HashMap<UserId, String>>,
    /// For looking up a restored user's name.
    rest: Rc<RestClient>,
) -> impl IntoView {
    let lang = lang();
    // A Started by filter restored from the URL or saved view names a user
    // this session has not met: fetch the name (failure keeps "user 77").
    Effect::new(move || {
        let wanted = match change.current(FilterKind::StartedBy) {
            Some(Filter::StartedBy(u)) if !u.is_system() => Some(u),
            _ => None,
        }
        .filter(|u| !users.with_untracked(|m| m.contains_key(u)));
        let Some(u) = wanted else { return };
        let rest = Rc::clone(&rest);
        spawn_local(async move {
            if let Ok(found) = get_users(&rest, &[u]).await {
                users.update(|m| m.extend(found.into_iter().map(|f| (f.id, f.name))));
            }
        });
    });
    let chips = move || {
        let loaded = templates.get().and_then(Result::ok);
        users.with(|names| {
            view.with(|v| v.chips(&|f: &Filter| chip_name(f, loaded.as_ref(), names), lang))
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
                    on:click=move |_| change.apply(ViewState::clear_filters)
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
    use crate::domain::lookups::TemplateInfo;
    use crate::domain::workflows::TemplateId;

    #[test]
    fn chips_name_templates_users_and_the_system() {
        let templates = Templates::new(vec![TemplateInfo {
            id: TemplateId(3),
            name: "Approve deal".into(),
            document_type: None,
        }]);
        let users = HashMap::from([(UserId(5), "Ann Lee".to_owned())]);
        let name = |f: Filter| chip_name(&f, Some(&templates), &users);
        let tpl = |id| Filter::Template {
            id: TemplateId(id),
            exclude: false,
        };
        assert_eq!(name(tpl(3)).as_deref(), Some("Approve deal"));
        assert_eq!(
            name(tpl(9)).as_deref(),
            Some("automation rule or robot (template 9)")
        );
        assert_eq!(chip_name(&tpl(3), None, &users), None);
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
    }

    #[test]
    fn the_count_is_announced_in_words() {
        assert_eq!(filters_summary(0, Lang::En), "No filters");
        assert_eq!(filters_summary(1, Lang::En), "1 filter applied");
        assert_eq!(filters_summary(4, Lang::En), "4 filters applied");
        assert_eq!(filters_summary(3, Lang::Ru), "применено 3 фильтра");
    }
}
