//! The session's names, shared by the table, the pickers and the chips:
//! every template (one `template.list`, started with the first page of
//! rows) and the users met so far, as the screen core knows them
//! (`domain::screen::Names`). Failures leave ids on screen and a quiet
//! note; they never block the table.

use leptos::prelude::*;

use crate::domain::i18n::fill;
use crate::domain::methods::lookups::{Templates, UserInfo};
use crate::domain::screen::{self, Event};
use crate::ui::i18n::texts;
use crate::ui::screen::ScreenHandle;

/// The session's names, as one slice of the screen: cheap to copy into
/// every cell. One slice, not one per part: every reader of the users
/// also reads the templates, and each slice costs code in the wasm.
#[derive(Clone, Copy)]
pub struct Names {
    known: Memo<screen::Names>,
    screen: ScreenHandle,
}

impl Names {
    /// The names of `screen`.
    pub fn of(screen: ScreenHandle) -> Names {
        Names {
            known: screen.slice(|s| s.names().clone()),
            screen,
        }
    }

    /// Runs `f` with the names known (tracked).
    pub fn with<R>(self, f: impl FnOnce(&screen::Names) -> R) -> R {
        self.known.with(f)
    }

    /// Runs `f` with the templates, once loaded without error (tracked).
    pub fn with_templates<R>(self, f: impl FnOnce(Option<&Templates>) -> R) -> R {
        self.with(|n| f(n.templates()))
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
        names.with(|n| {
            if let Some(Err(e)) = &n.templates {
                out.push(fill(t.names_templates_failed, &[("error", &e.to_string())]));
            }
            if let Some(e) = &n.users_error {
                out.push(fill(t.names_users_failed, &[("error", &e.to_string())]));
            }
        });
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
