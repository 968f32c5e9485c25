//! Where the history lives: one application storage (`entity.*`, scope
//! `entity`) that every admin of the portal reads, with four string
//! properties; the requests that create it, and what an answer says about
//! whether history can be kept.
//!
//! Facts from the server's `CBitrixRestEntity` (read, not assumed): the
//! storage is an iblock coded `APP_<clientId>_<ENTITY>` (at most 50
//! characters, so the code stays short); its creator gets `X`; items are
//! added and updated with the `element_edit` right (`W`), properties
//! need `iblock_edit` (`X`, so the admin who creates the storage adds
//! them in the same request); reads filter by the reader's rights
//! (`CHECK_PERMISSIONS`), 50 items a page.

use serde_json::{json, Value};

use crate::domain::i18n::{fill, Lang};
use crate::domain::wire::batch::{
    BatchCommand, BatchError, BatchRequest, BatchResponse, CommandKey,
};
use crate::domain::wire::errors::{ErrorCode, RawResponse, RestError};

/// The storage's code (`ENTITY`): `[a-zA-Z0-9_]`, well under the 13
/// characters the documentation gives as the usual room.
pub const ENTITY: &str = "wmruns";
/// The storage's name, as the portal lists it.
pub const ENTITY_NAME: &str = "Workflow Monitor: history of runs";
/// The most bytes of one `DATA` value. A string property is an iblock
/// property value, believed a MySQL `text` column (65,535 bytes,
/// unconfirmed): half of it leaves room for whatever the portal adds.
pub const DATA_BUDGET: usize = 30_000;
/// Who may do what: the portal's administrators (group 1) read and
/// write; the creator gets `X` from the portal itself. Others see no
/// items (reads check rights) and cannot add any.
pub const ACCESS_GROUP: &str = "G1";

/// The portal's code for a storage that does not exist (yet).
const ENTITY_NOT_FOUND: &str = "ERROR_ENTITY_NOT_FOUND";
/// `entity.add` for a storage that exists.
const ENTITY_EXISTS: &str = "ERROR_ENTITY_ALREADY_EXISTS";
/// `entity.item.property.add` for a property that exists.
const PROPERTY_EXISTS: &str = "ERROR_PROPERTY_ALREADY_EXISTS";

/// The item properties, all strings (`TYPE=S`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Property {
    /// `run` (a run's header) or `rows` (a chunk of its journal).
    Kind,
    /// The run's key, on every item of the run.
    Run,
    /// The header's [`super::record::RunState`], so opening the app reads
    /// only running runs.
    State,
    /// The compact JSON of the item (see [`super::record`]).
    Data,
}

impl Property {
    /// All four, in the order they are created.
    pub const ALL: [Property; 4] = [
        Property::Kind,
        Property::Run,
        Property::State,
        Property::Data,
    ];

    /// The property code.
    pub fn as_str(self) -> &'static str {
        match self {
            Property::Kind => "KIND",
            Property::Run => "RUN",
            Property::State => "STATE",
            Property::Data => "DATA",
        }
    }

    /// The `FILTER` key that matches this property exactly.
    pub fn filter_key(self) -> String {
        format!("PROPERTY_{}", self.as_str())
    }
}

/// What an item is (`KIND`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A run's header.
    Run,
    /// A chunk of a run's journal: snapshots and outcomes.
    Rows,
}

impl Kind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Rows => "rows",
        }
    }
}

/// The one request that creates the storage and its properties
/// (`entity.add`, then `entity.item.property.add` four times; the batch
/// runs them in order and does not halt, so a storage half made earlier
/// is completed).
pub fn setup_request() -> Result<BatchRequest, BatchError> {
    let mut commands = vec![BatchCommand {
        key: CommandKey::new("setup")?,
        method: "entity.add".to_owned(),
        params: json!({
            "ENTITY": ENTITY,
            "NAME": ENTITY_NAME,
            "ACCESS": { ACCESS_GROUP: "W" },
        }),
    }];
    for p in Property::ALL {
        commands.push(BatchCommand {
            key: CommandKey::new(format!("setup_{}", p.as_str()))?,
            method: "entity.item.property.add".to_owned(),
            params: json!({
                "ENTITY": ENTITY,
                "PROPERTY": p.as_str(),
                "NAME": p.as_str(),
                "TYPE": "S",
            }),
        });
    }
    BatchRequest::new(false, commands)
}

/// What the setup's answer says: `Ok` when the storage and every property
/// exist now (made now or before), else the first refusal.
pub fn setup_result(answer: &BatchResponse) -> Result<(), RestError> {
    let keys = std::iter::once("setup".to_owned()).chain(
        Property::ALL
            .iter()
            .map(|p| format!("setup_{}", p.as_str())),
    );
    for key in keys {
        match answer.get(&key) {
            Some(Ok(_)) => {}
            Some(Err(RestError::Portal(e)))
                if e.wire == ENTITY_EXISTS || e.wire == PROPERTY_EXISTS => {}
            Some(Err(e)) => return Err(e.clone()),
            None => {
                return Err(RestError::portal(
                    ErrorCode::Other,
                    format!("the portal did not run \"{key}\" of the history's setup"),
                ))
            }
        }
    }
    Ok(())
}

/// Whether the app can keep history, from an answer of the storage.
#[derive(Debug, Clone, PartialEq)]
pub enum Availability {
    /// The storage answers.
    Ready,
    /// The storage does not exist yet: [`setup_request`] makes it before
    /// the first run.
    NeedsSetup,
    /// History cannot be kept; the confirmation says why before anything
    /// is done.
    Unavailable(Unavailable),
}

/// Why history cannot be kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Unavailable {
    /// The app was installed without the `entity` scope.
    NoScope,
    /// The portal refused this admin (no right on the storage, or no
    /// application context).
    Denied,
    /// Any other failure, as the portal or the network gave it.
    Failed(RestError),
}

impl Availability {
    /// What the answer of a storage read (`entity.item.get`) or of the
    /// setup says. A read answers even an admin without read rights (with
    /// no items): only a write tells, so the first journal write is made
    /// before any action too.
    pub fn of(answer: &Result<RawResponse, RestError>) -> Availability {
        match answer {
            Ok(_) => Availability::Ready,
            Err(e) => Availability::of_error(e),
        }
    }

    /// What a failure says.
    pub fn of_error(e: &RestError) -> Availability {
        match e {
            RestError::Portal(p) if p.wire == ENTITY_NOT_FOUND => Availability::NeedsSetup,
            e if e.is(ErrorCode::InsufficientScope) => {
                Availability::Unavailable(Unavailable::NoScope)
            }
            e if e.is(ErrorCode::AccessDenied) => Availability::Unavailable(Unavailable::Denied),
            e => Availability::Unavailable(Unavailable::Failed(e.clone())),
        }
    }

    /// Whether a run can be recorded (after the setup, if needed).
    pub fn can_record(&self) -> bool {
        !matches!(self, Availability::Unavailable(_))
    }

    /// The confirmation's warning, in `lang`; `None` when history works.
    pub fn message(&self, lang: Lang) -> Option<String> {
        let t = lang.texts();
        match self {
            Availability::Ready | Availability::NeedsSetup => None,
            Availability::Unavailable(Unavailable::NoScope) => Some(t.history_no_scope.to_owned()),
            Availability::Unavailable(Unavailable::Denied) => Some(t.history_denied.to_owned()),
            Availability::Unavailable(Unavailable::Failed(e)) => {
                Some(fill(t.history_failed, &[("reason", &e.message(lang))]))
            }
        }
    }
}

/// The `PROPERTY_VALUES` of an item.
pub(super) fn values(kind: Kind, run: &str, state: Option<&str>, data: String) -> Value {
    let mut v = json!({
        Property::Kind.as_str(): kind.as_str(),
        Property::Run.as_str(): run,
        Property::Data.as_str(): data,
    });
    if let Some(state) = state {
        v[Property::State.as_str()] = Value::String(state.to_owned());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wire::batch::parse_batch;

    fn error(code: &str) -> Value {
        json!({"error": code, "error_description": "x"})
    }

    #[test]
    fn the_setup_makes_the_storage_then_its_four_string_properties() {
        let params = setup_request().expect("encodable").to_params();
        assert_eq!(params["halt"], json!(0));
        let cmd = params["cmd"].as_object().expect("commands");
        let keys: Vec<&String> = cmd.keys().collect();
        assert_eq!(
            keys,
            [
                "setup",
                "setup_KIND",
                "setup_RUN",
                "setup_STATE",
                "setup_DATA"
            ]
        );
        let add = cmd["setup"].as_str().expect("a command");
        assert!(add.starts_with("entity.add?ENTITY=wmruns&"), "{add}");
        assert!(add.contains("ACCESS[G1]=W"), "{add}");
        assert_eq!(
            cmd["setup_DATA"],
            json!("entity.item.property.add?ENTITY=wmruns&PROPERTY=DATA&NAME=DATA&TYPE=S")
        );
        assert!(
            ENTITY.len() <= 12
                && ENTITY
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        );
    }

    #[test]
    fn a_storage_made_before_is_fine_and_a_refusal_is_not() {
        let made = parse_batch(&json!({"result": {
            "result": {"setup_KIND": true, "setup_RUN": true, "setup_STATE": true},
            "result_error": {
                "setup": error("ERROR_ENTITY_ALREADY_EXISTS"),
                "setup_DATA": error("ERROR_PROPERTY_ALREADY_EXISTS"),
            },
        }}))
        .expect("batch");
        assert_eq!(setup_result(&made), Ok(()));
        let denied = parse_batch(&json!({"result": {
            "result": {"setup": true},
            "result_error": {
                "setup_KIND": error("ACCESS_DENIED"),
                "setup_RUN": error("ERROR_PROPERTY_ALREADY_EXISTS"),
                "setup_STATE": error("ERROR_PROPERTY_ALREADY_EXISTS"),
                "setup_DATA": error("ERROR_PROPERTY_ALREADY_EXISTS"),
            },
        }}))
        .expect("batch");
        assert!(matches!(setup_result(&denied), Err(e) if e.is(ErrorCode::AccessDenied)));
        let short = parse_batch(&json!({"result": {"result": {"setup": true}}})).expect("batch");
        assert!(setup_result(&short).is_err(), "a property never made");
    }

    #[test]
    fn an_answer_says_whether_history_can_be_kept_and_why_not() {
        let portal = |code: &str| {
            RestError::from_payload(Some(400), &error(code)).expect("an error payload")
        };
        let raw = RawResponse {
            result: json!([]),
            total: Some(0),
            next: None,
            time: None,
        };
        assert_eq!(Availability::of(&Ok(raw)), Availability::Ready);
        let not_found = Availability::of(&Err(portal("ERROR_ENTITY_NOT_FOUND")));
        assert_eq!(not_found, Availability::NeedsSetup);
        assert!(not_found.can_record() && not_found.message(Lang::En).is_none());
        let scope = Availability::of_error(&portal("insufficient_scope"));
        assert_eq!(scope, Availability::Unavailable(Unavailable::NoScope));
        assert!(!scope.can_record());
        let en = scope.message(Lang::En).expect("a warning");
        assert!(en.contains("entity"), "{en}");
        let ru = scope.message(Lang::Ru).expect("a warning");
        assert!(ru.contains("entity") && ru.contains("истори"), "{ru}");
        assert_eq!(
            Availability::of_error(&portal("ACCESS_DENIED")),
            Availability::Unavailable(Unavailable::Denied)
        );
        let other = Availability::of_error(&RestError::Network { detail: "x".into() });
        let text = other.message(Lang::En).expect("a warning");
        assert!(
            text.contains(&RestError::Network { detail: "x".into() }.message(Lang::En)),
            "{text}"
        );
    }
}
