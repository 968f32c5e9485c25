//! The names the table shows instead of ids: who started a workflow
//! (`user.get`, fact sheet §7.2, §10) and which template it runs (the
//! session's `template.list`, `domain::methods::lookups::Templates`).
//!
//! [`UserNames`] is the session's cache of user names, shared by the table,
//! the "Started by" picker and the chips. It decides which ids a screen
//! still has to ask for (each id once per session, all of a screen's in one
//! request), records what `user.get` answered (an id it did not return is
//! a dismissed or integrator account: "User 77", never an error) and names
//! every id for display.

use std::collections::HashMap;

use crate::domain::i18n::{fill, Texts};
use crate::domain::methods::instances::{TemplateId, UserId, WorkflowRow};
use crate::domain::methods::lookups::{user_fallback, Templates, UserInfo};

/// What the session knows about one user id.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Known {
    /// A request for it is out.
    Asking,
    /// `user.get` returned it (the name may be empty).
    Named(String),
    /// `user.get` was asked and did not return it.
    Gone,
}

/// How a user id reads in a cell, chip or picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserLabel {
    /// `STARTED_BY` 0: "System / automation".
    System(String),
    /// The user's name (or "User 77" for a user the portal does not
    /// return); final.
    Named(String),
    /// Not known yet (being asked, or the request failed): the id, shown
    /// as a muted placeholder.
    Pending(String),
}

impl UserLabel {
    /// The text shown.
    pub fn text(&self) -> &str {
        match self {
            UserLabel::System(s) | UserLabel::Named(s) | UserLabel::Pending(s) => s,
        }
    }

    /// Whether this is a placeholder that a name will replace.
    pub fn is_pending(&self) -> bool {
        matches!(self, UserLabel::Pending(_))
    }
}

/// The session's user names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserNames {
    known: HashMap<UserId, Known>,
}

impl UserNames {
    /// An empty cache.
    pub fn new() -> UserNames {
        UserNames::default()
    }

    /// The ids among `ids` still to ask for: people (not 0), neither known
    /// nor being asked, each once, in the order met.
    pub fn wanted(&self, ids: impl IntoIterator<Item = UserId>) -> Vec<UserId> {
        let mut out: Vec<UserId> = Vec::new();
        for id in ids {
            if !id.is_system() && !self.known.contains_key(&id) && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// Marks `ids` as asked for (so another screen does not ask again).
    pub fn asking(&mut self, ids: &[UserId]) {
        for id in ids {
            self.known.entry(*id).or_insert(Known::Asking);
        }
    }

    /// Records `user.get`'s answer for `asked`: the users it returned are
    /// named, the others are gone. A name met elsewhere (the picker) stays.
    pub fn answered(&mut self, asked: &[UserId], found: &[UserInfo]) {
        for user in found {
            self.known.insert(user.id, Known::Named(user.name.clone()));
        }
        for id in asked {
            let entry = self.known.entry(*id).or_insert(Known::Gone);
            if *entry == Known::Asking {
                *entry = Known::Gone;
            }
        }
    }

    /// Forgets that `asked` were being asked (the request failed): they
    /// show their ids, and the next screen that has them asks again.
    pub fn failed(&mut self, asked: &[UserId]) {
        for id in asked {
            if self.known.get(id) == Some(&Known::Asking) {
                self.known.remove(id);
            }
        }
    }

    /// Whether nobody is known or being asked for yet (a first screen).
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Remembers a name met elsewhere (a user picked in the search, the
    /// people a page's batch named).
    pub fn insert(&mut self, user: &UserInfo) {
        self.known.insert(user.id, Known::Named(user.name.clone()));
    }

    /// The name of a person, when known: `user.get`'s name, or "User 77"
    /// for one it did not return. `None` for 0 and for ids not known yet.
    pub fn name(&self, id: UserId, t: &Texts) -> Option<String> {
        match self.known.get(&id)? {
            Known::Asking => None,
            _ if id.is_system() => None,
            Known::Named(name) if !name.is_empty() => Some(name.clone()),
            Known::Named(_) | Known::Gone => Some(user_fallback(id, t)),
        }
    }

    /// How `id` reads now.
    pub fn label(&self, id: UserId, t: &Texts) -> UserLabel {
        if id.is_system() {
            return UserLabel::System(t.user_system.to_owned());
        }
        match self.name(id, t) {
            Some(name) => UserLabel::Named(name),
            None => UserLabel::Pending(id.0.to_string()),
        }
    }
}

/// The `STARTED_BY` ids of `rows`, in row order (with repeats; see
/// [`UserNames::wanted`]).
pub fn started_by(rows: &[WorkflowRow]) -> impl Iterator<Item = UserId> + '_ {
    rows.iter().filter_map(|r| r.started_by)
}

/// How a template id reads in a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateLabel {
    /// Its name, or the automation rule / robot label; final.
    Named(String),
    /// The list has not arrived (or failed): the id as a muted placeholder.
    Pending(String),
}

impl TemplateLabel {
    /// The text shown.
    pub fn text(&self) -> &str {
        match self {
            TemplateLabel::Named(s) | TemplateLabel::Pending(s) => s,
        }
    }
}

/// How `id` reads with the session's templates, if they have arrived.
pub fn template_label(templates: Option<&Templates>, id: TemplateId, t: &Texts) -> TemplateLabel {
    match templates {
        Some(list) => TemplateLabel::Named(list.label(id, t)),
        None => TemplateLabel::Pending(id.0.to_string()),
    }
}

/// The tooltip of a name cell: "User ID 5", "Template ID 9".
pub fn id_title(template: &str, id: u64) -> String {
    fill(template, &[("id", &id.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::{EN, RU};
    use crate::domain::methods::instances::WorkflowId;
    use crate::domain::methods::lookups::TemplateInfo;

    fn user(id: u64, name: &str) -> UserInfo {
        UserInfo {
            id: UserId(id),
            name: name.into(),
        }
    }

    fn row(by: Option<u64>) -> WorkflowRow {
        WorkflowRow {
            id: WorkflowId::new("a"),
            modified: None,
            owned_until: None,
            module_id: None,
            entity: None,
            document_id: None,
            started: None,
            started_by: by.map(UserId),
            template_id: None,
            unparsed: Vec::new(),
        }
    }

    fn ids(list: &[u64]) -> Vec<UserId> {
        list.iter().copied().map(UserId).collect()
    }

    #[test]
    fn a_screen_asks_once_for_each_unknown_person() {
        let names = UserNames::new();
        let rows = [
            row(Some(5)),
            row(Some(0)),
            row(Some(7)),
            row(Some(5)),
            row(None),
        ];
        assert_eq!(names.wanted(started_by(&rows)), ids(&[5, 7]));
    }

    #[test]
    fn ids_being_asked_or_known_are_not_asked_again() {
        let mut names = UserNames::new();
        names.asking(&ids(&[5, 7]));
        assert_eq!(names.wanted(ids(&[5, 7, 9])), ids(&[9]));
        names.answered(&ids(&[5, 7]), &[user(5, "Ann Lee")]);
        assert_eq!(names.wanted(ids(&[5, 7, 9])), ids(&[9]));
        assert_eq!(names.wanted(ids(&[5, 7])), Vec::<UserId>::new());
    }

    #[test]
    fn labels_name_people_the_system_and_the_users_the_portal_lost() {
        let mut names = UserNames::new();
        names.asking(&ids(&[5, 77, 6]));
        assert_eq!(names.label(UserId(5), &EN), UserLabel::Pending("5".into()));
        names.answered(&ids(&[5, 77, 6]), &[user(5, "Ann Lee"), user(6, "")]);
        assert_eq!(
            names.label(UserId(5), &EN),
            UserLabel::Named("Ann Lee".into())
        );
        assert_eq!(
            names.label(UserId(77), &EN),
            UserLabel::Named("User 77".into())
        );
        assert_eq!(
            names.label(UserId(77), &RU),
            UserLabel::Named("Пользователь 77".into())
        );
        assert_eq!(
            names.label(UserId(6), &EN),
            UserLabel::Named("User 6".into())
        );
        assert_eq!(
            names.label(UserId(0), &EN),
            UserLabel::System("System / automation".into())
        );
        assert_eq!(
            names.label(UserId(0), &RU).text(),
            "Система / автоматизация"
        );
        assert!(names.label(UserId(9), &EN).is_pending());
        assert_eq!(names.name(UserId(0), &EN), None);
    }

    #[test]
    fn a_failed_request_leaves_ids_to_ask_again_on_the_next_screen() {
        let mut names = UserNames::new();
        names.asking(&ids(&[5, 7]));
        names.insert(&user(7, "Picked Person"));
        names.failed(&ids(&[5, 7]));
        assert_eq!(names.label(UserId(5), &EN), UserLabel::Pending("5".into()));
        assert_eq!(names.name(UserId(7), &EN).as_deref(), Some("Picked Person"));
        assert_eq!(names.wanted(ids(&[5, 7])), ids(&[5]));
    }

    #[test]
    fn a_picked_name_survives_a_later_answer_that_lacks_it() {
        let mut names = UserNames::new();
        names.insert(&user(8, "Olga Popov"));
        names.answered(&ids(&[8]), &[]);
        assert_eq!(names.name(UserId(8), &EN).as_deref(), Some("Olga Popov"));
    }

    #[test]
    fn templates_read_as_names_robots_or_pending_ids() {
        let list = Templates::new(vec![TemplateInfo {
            id: TemplateId(3),
            name: "Deal approval".into(),
            document_type: Some("DEAL".into()),
        }]);
        assert_eq!(
            template_label(Some(&list), TemplateId(3), &EN),
            TemplateLabel::Named("Deal approval".into())
        );
        assert_eq!(
            template_label(Some(&list), TemplateId(4), &EN).text(),
            "Automation rule or robot (template 4)"
        );
        assert_eq!(
            template_label(None, TemplateId(3), &EN),
            TemplateLabel::Pending("3".into())
        );
        assert_eq!(id_title(EN.user_title, 5), "User ID 5");
        assert_eq!(id_title(RU.template_title, 9), "ID шаблона 9");
    }
}
