//! The Started by filter: type part of a name, pick a match; or pick
//! "System / automation" (`STARTED_BY` 0).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::i18n::{fill, Lang};
use crate::domain::methods::instances::UserId;
use crate::domain::methods::lookups::UserInfo;
use crate::domain::table::filters::{Filter, FilterKind};
use crate::rest::lookups::search_users;
use crate::rest::RestClient;
use crate::ui::filter_editor::TYPING_PAUSE;
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::{lang, texts};
use crate::ui::names::Names;

/// Where a search stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// Nothing typed.
    Idle,
    /// A request is out.
    Searching,
    /// The matches.
    Found(Vec<UserInfo>),
    /// Why the search failed, for the admin.
    Failed(String),
}

/// The status line read out after a search.
pub fn search_status(search: &Search, lang: Lang) -> String {
    let t = lang.texts();
    match search {
        Search::Idle => String::new(),
        Search::Searching => t.searching.to_owned(),
        Search::Found(u) if u.is_empty() => t.no_users_match.to_owned(),
        Search::Found(u) => lang.plural(u.len() as u64, &t.users_found),
        Search::Failed(e) => fill(t.user_search_failed, &[("reason", e)]),
    }
}

/// A search box labelled "Started by", its matches, and the fixed
/// "System / automation" choice.
#[component]
pub fn UserPicker(
    /// Applies changes.
    change: FilterChange,
    /// The session's names; a pick adds to them (for the chip and table).
    names: Names,
    /// For `user.search`.
    rest: Rc<RestClient>,
) -> impl IntoView {
    let lang = lang();
    let chosen = Memo::new(move |_| match change.current(FilterKind::StartedBy) {
        Some(Filter::StartedBy(u)) => Some(u),
        _ => None,
    });
    let query = RwSignal::new(String::new());
    let search = RwSignal::new(Search::Idle);
    // Only the latest search may show its answer.
    let generation = StoredValue::new(0_u64);
    let mut run = debounce(TYPING_PAUSE, move |text: String| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if text.trim().is_empty() {
            search.set(Search::Idle);
            return;
        }
        search.set(Search::Searching);
        let rest = Rc::clone(&rest);
        spawn_local(async move {
            let outcome = search_users(&rest, &text).await;
            if generation.get_value() != mine {
                return;
            }
            search.set(match outcome {
                Ok(found) => Search::Found(found),
                Err(e) => Search::Failed(e.message(lang)),
            });
        });
    });
    let pick = move |id: UserId, name: String| {
        if !id.is_system() {
            names.remember(&UserInfo { id, name });
        }
        change.set(Filter::StartedBy(id));
    };
    // `name` is the portal's (maybe empty); `text` what the button says.
    let option = move |id: UserId, name: String, text: String| {
        view! {
            <li>
                <button
                    type="button"
                    class="wm-option"
                    aria-pressed=move || (chosen.get() == Some(id)).to_string()
                    on:click=move |_| pick(id, name.clone())
                >
                    {text}
                </button>
            </li>
        }
    };
    let matches = move || match search.get() {
        Search::Found(found) => found
            .into_iter()
            .map(|u| {
                let text = u.label(texts());
                option(u.id, u.name, text)
            })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };
    view! {
        <div class="wm-field">
            <label class="wm-field__stack">
                <span class="wm-field__label">{texts().field_started_by}</span>
                <input
                    class="wm-input"
                    type="search"
                    autocomplete="off"
                    placeholder=texts().type_a_name
                    prop:value=move || query.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        query.set(text.clone());
                        run(text);
                    }
                />
            </label>
            <ul class="wm-options" aria-label=texts().started_by_choices>
                {option(UserId(0), String::new(), texts().user_system.to_owned())}
                {matches}
            </ul>
            <p class="wm-field__status" aria-live="polite">{move || search.with(|s| search_status(s, lang))}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_counts_matches_and_explains_failures() {
        let en = |s: &Search| search_status(s, Lang::En);
        assert_eq!(en(&Search::Idle), "");
        assert_eq!(en(&Search::Found(vec![])), "No users match.");
        let ann = UserInfo {
            id: UserId(5),
            name: "Ann Lee".into(),
        };
        assert_eq!(en(&Search::Found(vec![ann.clone()])), "1 user found.");
        assert_eq!(
            search_status(&Search::Found(vec![ann.clone(), ann.clone()]), Lang::Ru),
            "Найдено 2 пользователя."
        );
        assert_eq!(en(&Search::Found(vec![ann.clone(), ann])), "2 users found.");
        assert_eq!(
            en(&Search::Failed("the portal is busy".into())),
            "Could not search users: the portal is busy"
        );
    }
}
