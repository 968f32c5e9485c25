//! The session's names, shared by the table, the pickers and the chips:
//! every template (one `template.list`, started with the first page of
//! rows) and the users met so far, as the screen core knows them
//! (`domain::screen::Names`). Failures leave ids on screen and a quiet
//! note; they never block the table.

use leptos::prelude::*;

use crate::domain::display::names::UserNames;
use crate::domain::i18n::fill;
use crate::domain::methods::lookups::{Templates, UserInfo};
use crate::domain::screen::Event;
use crate::domain::wire::errors::RestError;
use crate::ui::i18n::texts;
use crate::ui::screen::ScreenHandle;

/// The session's names, as slices of the screen: cheap to copy into
/// every cell.
#[derive(Clone, Copy)]
pub struct Names {
    /// Every template the portal lists; `None` while the list loads.
    pub templates: Memo<Option<Result<Templates, RestError>>>,
    /// The users met in this session.
    pub users: Memo<UserNames>,
    /// The last `user.get` failure, until one succeeds.
    pub users_error: Memo<Option<RestError>>,
    screen: ScreenHandle,
}

impl Names {
    /// The names of `screen`.
    pub fn of(screen: ScreenHandle) -> Names {
        Names {
            templates: screen.slice(|s| s.names().templates.clone()),
            users: screen.slice(|s| s.names().users.clone()),
            users_error: screen.slice(|s| s.names().users_error.clone()),
            screen,
        }
    }

    /// Runs `f` with the templates, once loaded without error (tracked).
    pub fn with_templates<R>(self, f: impl FnOnce(Option<&Templates>) -> R) -> R {
        self.templates
            .with(|t| f(t.as_ref().and_then(|r| r.as_ref().ok())))
    }

    /// Remembers a user picked in the search.
    pub fn remember(self, user: &UserInfo) {
        self.screen.dispatch(Event::UserPicked(user.clone()));
    }
}

/// The quiet note under the filters when names could not be loaded: the
/// table goes on with ids.
#[component]
pub fn NamesNote(
    /// The session's names.
    names: Names,
) -> impl IntoView {
    let notes = move || {
        let t = texts();
        let mut out = Vec::new();
        if let Some(Err(e)) = names.templates.get() {
            out.push(fill(t.names_templates_failed, &[("error", &e.to_string())]));
        }
        if let Some(e) = names.users_error.get() {
            out.push(fill(t.names_users_failed, &[("error", &e.to_string())]));
        }
        out
    };
    view! {
        <div class="wm-names-note" role="status">
            {move || {
                notes()
                    .into_iter()
                    .map(|n| view! { <p class="wm-names-note__text">{n}</p> })
                    .collect_view()
            }}
        </div>
    }
}
