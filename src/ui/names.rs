//! The session's names, shared by the table, the pickers and the chips:
//! every template (one `template.list`, started with the first page of
//! rows), and the users met so far (one `user.get` per screen, for the ids
//! not asked before). Failures leave ids on screen and a quiet note; they
//! never block the table.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::display::names::{started_by, UserNames};
use crate::domain::i18n::fill;
use crate::domain::methods::instances::{UserId, WorkflowRow};
use crate::domain::methods::lookups::{Templates, UserInfo};
use crate::domain::wire::errors::RestError;
use crate::rest::lookups::{get_users, load_templates};
use crate::rest::RestClient;
use crate::ui::i18n::texts;

/// The session's names, as signals: cheap to copy into every cell.
#[derive(Clone, Copy)]
pub struct Names {
    /// Every template the portal lists; `None` while the list loads.
    pub templates: RwSignal<Option<Result<Templates, RestError>>>,
    /// The users met in this session.
    pub users: RwSignal<UserNames>,
    /// The last `user.get` failure, until one succeeds.
    pub users_error: RwSignal<Option<RestError>>,
}

impl Names {
    /// Starts loading the templates at once, so that `template.list` goes
    /// out beside the first page of rows, and only once per session.
    pub fn load(rest: &Rc<RestClient>) -> Names {
        let names = Names {
            templates: RwSignal::new(None),
            users: RwSignal::new(UserNames::new()),
            users_error: RwSignal::new(None),
        };
        let rest = Rc::clone(rest);
        spawn_local(async move {
            let loaded = load_templates(&rest).await;
            names.templates.set(Some(loaded));
        });
        names
    }

    /// Runs `f` with the templates, once loaded without error (tracked).
    pub fn with_templates<R>(self, f: impl FnOnce(Option<&Templates>) -> R) -> R {
        self.templates
            .with(|t| f(t.as_ref().and_then(|r| r.as_ref().ok())))
    }

    /// Asks `user.get` for the people among `ids` this session has not
    /// asked for yet, in one request; nothing when there are none. Called
    /// once a screen's rows are shown: names never delay the rows.
    pub fn ask_users(self, rest: &Rc<RestClient>, ids: impl IntoIterator<Item = UserId>) {
        let wanted = self.users.with_untracked(|u| u.wanted(ids));
        if wanted.is_empty() {
            return;
        }
        self.users.update(|u| u.asking(&wanted));
        let rest = Rc::clone(rest);
        spawn_local(async move {
            match get_users(&rest, &wanted).await {
                Ok(found) => {
                    self.users.update(|u| u.answered(&wanted, &found));
                    self.users_error.set(None);
                }
                Err(err) => {
                    self.users.update(|u| u.failed(&wanted));
                    self.users_error.set(Some(err));
                }
            }
        });
    }

    /// Whether every template and person `rows` name is known (tracked):
    /// the template list has loaded and no "Started by" waits for a name.
    pub fn all_named(self, rows: &[WorkflowRow]) -> bool {
        let templates = self.templates.with(|t| matches!(t, Some(Ok(_))));
        templates
            && self
                .users
                .with(|u| started_by(rows).all(|id| !u.label(id, texts()).is_pending()))
    }

    /// Remembers the people a page's own batch named (one update).
    pub fn remember_all(self, users: &[UserInfo]) {
        if !users.is_empty() {
            self.users
                .update(|u| users.iter().for_each(|user| u.insert(user)));
        }
    }

    /// Remembers a user picked in the search.
    pub fn remember(self, user: &UserInfo) {
        self.users.update(|u| u.insert(user));
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
