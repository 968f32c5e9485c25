//! The names the screen knows: every template (one load per session) and
//! the people met so far. Failures leave ids on screen and a quiet note;
//! they never block the table.

use crate::domain::display::names::{started_by, UserNames};
use crate::domain::i18n::Texts;
use crate::domain::methods::instances::{UserId, WorkflowRow};
use crate::domain::methods::lookups::{Templates, UserInfo};
use crate::domain::wire::errors::RestError;

/// The session's names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    /// Every template the portal lists; `None` while the list loads.
    pub templates: Option<Result<Templates, RestError>>,
    /// The users met in this session.
    pub users: UserNames,
    /// The last `user.get` failure, until one succeeds.
    pub users_error: Option<RestError>,
}

impl Names {
    /// The templates, once loaded without error.
    pub fn templates(&self) -> Option<&Templates> {
        self.templates.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// The people among `ids` to ask `user.get` for now, marked as asked;
    /// empty when all are known or being asked.
    pub(super) fn ask(&mut self, ids: impl IntoIterator<Item = UserId>) -> Vec<UserId> {
        let wanted = self.users.wanted(ids);
        self.users.asking(&wanted);
        wanted
    }

    /// Records `user.get`'s answer for `asked`.
    pub(super) fn answered(&mut self, asked: &[UserId], result: Result<Vec<UserInfo>, RestError>) {
        match result {
            Ok(found) => {
                self.users.answered(asked, &found);
                self.users_error = None;
            }
            Err(err) => {
                self.users.failed(asked);
                self.users_error = Some(err);
            }
        }
    }

    /// Remembers people named elsewhere (a page's own batch, the picker).
    pub(super) fn remember(&mut self, people: &[UserInfo]) {
        people.iter().for_each(|user| self.users.insert(user));
    }

    /// Remembers a page's people, and takes those of `settled` it does
    /// not name for gone.
    pub(super) fn settle(&mut self, settled: &[UserId], people: &[UserInfo]) {
        self.remember(people);
        self.users.answered(settled, people);
    }

    /// Whether every template and person `rows` name is known: the
    /// template list has loaded and no "Started by" waits for a name.
    pub fn all_named(&self, rows: &[WorkflowRow], texts: &Texts) -> bool {
        matches!(self.templates, Some(Ok(_)))
            && started_by(rows).all(|id| !self.users.label(id, texts).is_pending())
    }
}
