//! The application storage behind `entity.*` (Bitrix24 "хранилища данных"):
//! per application (client id), shared by every user of the portal. Each
//! storage is an information block of type `rest_entity` whose code is
//! `APP_<clientId>_<ENTITY>`; its items are iblock elements with properties.
//! Values are kept typed here; the REST layer (`rest::entity`) renders them
//! the way the server does (every scalar a string, dates with the server's
//! offset).
//!
//! Sources: the official docs (`bitrix-tools/b24-rest-docs`,
//! `api-reference/entity/**`) and the server's `CBitrixRestEntity`
//! (`rest/classes/general/rest_entity.php`, a public mirror).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::auth::UserId;

/// The client id of the emulated app (a local application's
/// `local.<uniqid>`); storages are kept under it.
pub const CLIENT_ID: &str = "local.66e412fdc9bd44.36306599";

/// The iblock type of every storage (option `rest/entity_iblock_type`).
pub const IBLOCK_TYPE_ID: &str = "rest_entity";

/// An access level on a storage, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Right {
    /// Read sections and items.
    R,
    /// Also create, change and delete sections and items.
    W,
    /// Also change and delete the storage, its rights and its properties.
    X,
}

impl Right {
    /// `checkRights`: only the letters R, W and X count; others are dropped.
    pub fn from_letter(letter: &str) -> Option<Right> {
        match letter {
            "R" => Some(Right::R),
            "W" => Some(Right::W),
            "X" => Some(Right::X),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Right::R => "R",
            Right::W => "W",
            Right::X => "X",
        }
    }
}

/// The type of an item property (`S`, `N`, `F`; `L` is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PropertyType {
    S,
    N,
    F,
}

impl PropertyType {
    pub fn from_letter(letter: &str) -> Option<PropertyType> {
        match letter {
            "S" => Some(PropertyType::S),
            "N" => Some(PropertyType::N),
            "F" => Some(PropertyType::F),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::S => "S",
            PropertyType::N => "N",
            PropertyType::F => "F",
        }
    }
}

/// An item property (an iblock property).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Property {
    /// The code as created; looked up without regard to case (MySQL `_ci`).
    pub code: String,
    pub name: String,
    pub kind: PropertyType,
    pub sort: i64,
}

/// An item (an iblock element).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub active: bool,
    pub sort: i64,
    /// Unix seconds.
    pub created: i64,
    pub modified: i64,
    pub created_by: UserId,
    pub modified_by: UserId,
    pub active_from: Option<i64>,
    pub active_to: Option<i64>,
    pub preview_text: Option<String>,
    pub detail_text: Option<String>,
    pub section: Option<i64>,
    /// Property values by the property's code as created.
    pub values: BTreeMap<String, String>,
}

/// One storage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// The iblock id (a portal-wide counter).
    pub id: i64,
    /// `ENTITY` as created.
    pub code: String,
    pub name: String,
    /// Access code (`U1`, `G2`, `AU`, …) → level, in the order given.
    pub access: Vec<(String, Right)>,
    pub properties: Vec<Property>,
    pub items: Vec<Item>,
}

impl Entity {
    /// What `user` may do here. Administrators may do everything (DERIVED:
    /// `CIBlockRights::UserHasRightTo` passes for admins); others get the
    /// strongest level among the codes that name them: `U<id>`, `AU` (any
    /// authorized user) and `G2` (everyone).
    pub fn right_of(&self, user: UserId, is_admin: bool) -> Option<Right> {
        if is_admin {
            return Some(Right::X);
        }
        let own = format!("U{user}");
        self.access
            .iter()
            .filter(|(code, _)| *code == own || code == "AU" || code == "G2")
            .map(|(_, right)| *right)
            .max()
    }

    /// The property with this code, in any case.
    pub fn property(&self, code: &str) -> Option<&Property> {
        self.properties
            .iter()
            .find(|p| p.code.eq_ignore_ascii_case(code))
    }

    /// Properties in `SORT ASC` order (then by creation), as
    /// `getItemProperties` lists them.
    pub fn sorted_properties(&self) -> Vec<&Property> {
        let mut props: Vec<&Property> = self.properties.iter().collect();
        props.sort_by_key(|p| p.sort);
        props
    }

    pub fn item(&self, id: i64) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn item_mut(&mut self, id: i64) -> Option<&mut Item> {
        self.items.iter_mut().find(|i| i.id == id)
    }
}

/// Every storage of every app on the portal.
#[derive(Debug, Clone, Default)]
pub struct EntityStore {
    apps: BTreeMap<String, Vec<Entity>>,
    last_iblock_id: i64,
    last_element_id: i64,
}

/// Where the portal-wide counters start, so that IDs look like a portal's
/// (the docs' examples show iblock 183 and element 2331).
const FIRST_IBLOCK_ID: i64 = 183;
const FIRST_ELEMENT_ID: i64 = 2331;

impl EntityStore {
    /// The storages of one app, in creation order.
    pub fn entities(&self, app: &str) -> &[Entity] {
        self.apps.get(app).map_or(&[], Vec::as_slice)
    }

    /// Every app's storages (for the control API).
    pub fn apps(&self) -> &BTreeMap<String, Vec<Entity>> {
        &self.apps
    }

    /// The storage with this code, in any case (`'=CODE' => …` on MySQL).
    pub fn find(&self, app: &str, code: &str) -> Option<&Entity> {
        self.entities(app)
            .iter()
            .find(|e| e.code.eq_ignore_ascii_case(code))
    }

    pub fn find_mut(&mut self, app: &str, code: &str) -> Option<&mut Entity> {
        self.apps
            .get_mut(app)?
            .iter_mut()
            .find(|e| e.code.eq_ignore_ascii_case(code))
    }

    /// Creates a storage and returns its iblock id.
    pub fn create(
        &mut self,
        app: &str,
        code: &str,
        name: &str,
        access: Vec<(String, Right)>,
    ) -> i64 {
        self.last_iblock_id = self.last_iblock_id.max(FIRST_IBLOCK_ID - 1) + 1;
        let id = self.last_iblock_id;
        self.apps.entry(app.to_owned()).or_default().push(Entity {
            id,
            code: code.to_owned(),
            name: name.to_owned(),
            access,
            properties: Vec::new(),
            items: Vec::new(),
        });
        id
    }

    /// Deletes a storage with its properties and items.
    pub fn remove(&mut self, app: &str, code: &str) -> bool {
        let Some(list) = self.apps.get_mut(app) else {
            return false;
        };
        let before = list.len();
        list.retain(|e| !e.code.eq_ignore_ascii_case(code));
        list.len() != before
    }

    /// The next element id (portal-wide, never reused).
    pub fn next_element_id(&mut self) -> i64 {
        self.last_element_id = self.last_element_id.max(FIRST_ELEMENT_ID - 1) + 1;
        self.last_element_id
    }

    /// Forgets every storage (the counters go on, as a database's do).
    pub fn clear(&mut self) {
        self.apps.clear();
    }

    /// Moves every item's creation and last change `seconds` into the past,
    /// as if it had been written that long before (tests of what a reader
    /// makes of old writes, without waiting).
    pub fn age(&mut self, seconds: i64) {
        for item in self
            .apps
            .values_mut()
            .flatten()
            .flat_map(|e| e.items.iter_mut())
        {
            item.created -= seconds;
            item.modified -= seconds;
        }
    }
}

/// Cuts `value` to at most `max` bytes on a UTF-8 boundary.
pub fn truncate_bytes(value: &str, max: usize) -> &str {
    if value.len() <= max {
        return value;
    }
    let mut end = max;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    &value[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_on_a_character_boundary() {
        assert_eq!(truncate_bytes("abc", 5), "abc");
        assert_eq!(truncate_bytes("abc", 2), "ab");
        // "ж" is two bytes: three bytes hold one and a half.
        assert_eq!(truncate_bytes("жжж", 3), "ж");
    }

    #[test]
    fn codes_are_found_in_any_case_and_ids_are_portal_wide() {
        let mut s = EntityStore::default();
        let a = s.create("app", "History", "H", vec![]);
        let b = s.create("other", "history", "H", vec![]);
        assert_eq!((a, b), (183, 184));
        assert_eq!(s.find("app", "HISTORY").map(|e| e.id), Some(183));
        assert!(s.find("app", "nope").is_none());
        assert!(s.remove("app", "history"));
        assert!(s.find("app", "History").is_none());
        assert_eq!(s.find("other", "history").map(|e| e.id), Some(184));
    }

    #[test]
    fn rights_take_the_strongest_matching_code_and_admins_may_do_anything() {
        let e = Entity {
            id: 1,
            code: "h".into(),
            name: "h".into(),
            access: vec![("U7".into(), Right::R), ("AU".into(), Right::W)],
            properties: vec![],
            items: vec![],
        };
        assert_eq!(e.right_of(7, false), Some(Right::W));
        assert_eq!(e.right_of(1, true), Some(Right::X));
        let private = Entity {
            access: vec![("U1".into(), Right::X)],
            ..e
        };
        assert_eq!(private.right_of(7, false), None);
    }
}
