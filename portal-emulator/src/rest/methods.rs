//! The methods besides the workflow list: terminate and kill (§1.5),
//! template.list (§1.5), task.list (`tasks.rs`), user.get and user.search (§7.2, §10), app.info
//! (§7.1), profile, server.time, user.admin, scope; the `entity.*`
//! application storage lives in `entity.rs`. Methods of a scope the app was
//! not granted fail with `insufficient_scope` ([`scopes_of`]).

use serde_json::{json, Map, Value};

use super::instances::{self, start_offset, PAGE};
use super::{entity, filter, Ctx, RestError, Success};
use crate::config::Knobs;
use crate::data::{Template, User};
use crate::php;
use crate::state::{now_ms, ActionEntry, ActionOutcome};
use crate::store::{eval, format_date, Cell, Kind, Op, Operand};
use crate::Shared;

/// A method's implementation.
pub type Handler = fn(&Shared, &Ctx, &Map<String, Value>) -> Result<Success, RestError>;

/// The method registry. On a plan without the bizproc feature the
/// `bizproc.*` methods are not registered at all (§1.1).
pub fn lookup(method: &str, knobs: &Knobs) -> Option<Handler> {
    if knobs.plan_without_bizproc && method.starts_with("bizproc.") {
        return None;
    }
    let handler: Handler = match method {
        "bizproc.workflow.instances" | "bizproc.workflow.instance.list" => instances::instances,
        "bizproc.workflow.terminate" => {
            |s, c, p| stop_workflow(s, c, p, "bizproc.workflow.terminate")
        }
        "bizproc.workflow.kill" => |s, c, p| stop_workflow(s, c, p, "bizproc.workflow.kill"),
        "bizproc.workflow.template.list" => template_list,
        "bizproc.task.list" => super::tasks::task_list,
        "user.get" => user_get,
        "user.search" => user_search,
        "user.admin" => |_, ctx, _| Ok(Success::value(json!(ctx.is_admin))),
        "app.info" => app_info,
        "profile" => profile,
        "server.time" => |_, ctx, _| {
            Ok(Success::value(json!(format_date(
                ctx.now_ms / 1000,
                &ctx.offset
            ))))
        },
        "scope" => |_, ctx, _| Ok(Success::value(json!(ctx.knobs.scopes))),
        "entity.add" => entity::add,
        "entity.get" => entity::get,
        "entity.update" => entity::update,
        "entity.delete" => entity::delete,
        "entity.rights" => entity::rights,
        "entity.item.property.add" => entity::property_add,
        "entity.item.property.get" => entity::property_get,
        "entity.item.add" => entity::item_add,
        "entity.item.update" => entity::item_update,
        "entity.item.get" => entity::item_get,
        "entity.item.delete" => entity::item_delete,
        _ => return None,
    };
    Some(handler)
}

/// The scopes of which any one grants a method, or `None` for the methods
/// every app may call (`batch`, `app.info`, `profile`, `scope`, …, §7.2).
/// `user.get` and `user.search` answer with `user_brief`, `user_basic` or
/// `user` (the fields then depend on the scope, §7.2, §10).
pub fn scopes_of(method: &str) -> Option<&'static [&'static str]> {
    if method.starts_with("bizproc.") {
        Some(&["bizproc"])
    } else if method.starts_with("entity.") {
        Some(&["entity"])
    } else if method == "user.get" || method == "user.search" {
        Some(&["user", "user_basic", "user_brief"])
    } else {
        None
    }
}

fn paged(items: Vec<Value>, offset: usize) -> Success {
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(offset).take(PAGE).collect();
    let next = offset + page.len();
    Success {
        result: Value::Array(page),
        total: Some(total),
        next: (next < total).then_some(next),
    }
}

fn workflow_id(params: &Map<String, Value>) -> Result<String, RestError> {
    let upper = php::upper_keys(params);
    let id = upper
        .get("ID")
        .and_then(php::to_php_string)
        .unwrap_or_default();
    if id.is_empty() {
        return Err(RestError::wrong_workflow_id("Empty workflow instance ID"));
    }
    Ok(id)
}

/// A failure of `CBPDocument::terminateWorkflow` / `killWorkflow` comes back
/// as a RestException with an EMPTY code and status 400 (§1.5, §6).
fn not_found(id: &str) -> RestError {
    RestError::new(400, "", &format!("Workflow instance \"{id}\" is not found"))
}

/// `terminate` and `kill` alike: the emulator keeps no history, and the
/// workflow is no longer running either way, so it leaves the list (§1.4,
/// §9.7). `STATUS` (terminate's status text) is accepted and not kept. A
/// workflow named in the knob `fail_stop` fails as `CBPDocument` failures
/// do (§1.5) and keeps running. Every command is recorded for
/// `GET /_emulator/actions`.
fn stop_workflow(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
    method: &str,
) -> Result<Success, RestError> {
    let upper = php::upper_keys(params);
    let mut entry = ActionEntry {
        seq: 0,
        at_ms: now_ms(),
        method: method.to_owned(),
        id: upper
            .get("ID")
            .and_then(php::to_php_string)
            .unwrap_or_default(),
        status: upper.get("STATUS").and_then(php::to_php_string),
        batch_key: ctx.batch_key.clone(),
        outcome: ActionOutcome::Ok,
        message: None,
    };
    let outcome = stop_outcome(state, ctx, params);
    if let Err((outcome, e)) = &outcome {
        entry.outcome = *outcome;
        entry.message = Some(e.description.clone());
    }
    state.log_action(entry);
    outcome.map_err(|(_, e)| e)
}

fn stop_outcome(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, (ActionOutcome, RestError)> {
    if !ctx.is_admin {
        return Err((ActionOutcome::AccessDenied, RestError::access_denied()));
    }
    let id = workflow_id(params).map_err(|e| (ActionOutcome::EmptyId, e))?;
    if let Some(message) = ctx.knobs.fail_stop.get(&id) {
        return Err((ActionOutcome::Failed, RestError::new(400, "", message)));
    }
    if state.store_mut().remove(&id) {
        Ok(Success::value(json!(true)))
    } else {
        Err((ActionOutcome::NotFound, not_found(&id)))
    }
}

const TEMPLATE_FIELDS: [&str; 15] = [
    "ID",
    "MODULE_ID",
    "ENTITY",
    "DOCUMENT_TYPE",
    "AUTO_EXECUTE",
    "NAME",
    "DESCRIPTION",
    "TEMPLATE",
    "PARAMETERS",
    "VARIABLES",
    "CONSTANTS",
    "MODIFIED",
    "IS_MODIFIED",
    "USER_ID",
    "SYSTEM_CODE",
];

fn template_cell<'a>(t: &'a Template, field: &str) -> Option<Cell<'a>> {
    Some(match field {
        "ID" => Cell::Int(i64::from(t.id)),
        "MODULE_ID" => Cell::Text(t.kind.module_id()),
        "ENTITY" => Cell::Text(t.kind.entity()),
        "AUTO_EXECUTE" => Cell::Int(i64::from(t.auto_execute)),
        "NAME" => Cell::Text(&t.name),
        "DESCRIPTION" => Cell::Text(&t.description),
        "MODIFIED" => Cell::Date(Some(t.modified)),
        "USER_ID" => Cell::Int(i64::from(t.user_id)),
        _ => return None,
    })
}

fn template_value(t: &Template, field: &str, ctx: &Ctx) -> Value {
    match field {
        "ID" => json!(t.id.to_string()),
        "MODULE_ID" => json!(t.kind.module_id()),
        "ENTITY" => json!(t.kind.entity()),
        "DOCUMENT_TYPE" => json!([t.kind.module_id(), t.kind.entity(), t.kind.document_type()]),
        "AUTO_EXECUTE" => json!(t.auto_execute.to_string()),
        "NAME" => json!(t.name),
        "DESCRIPTION" => json!(t.description),
        // Empty PHP arrays (§2.3).
        "TEMPLATE" | "PARAMETERS" | "VARIABLES" | "CONSTANTS" => json!([]),
        "MODIFIED" => json!(format_date(t.modified, &ctx.offset)),
        "IS_MODIFIED" => json!("N"),
        "USER_ID" => json!(t.user_id.to_string()),
        "SYSTEM_CODE" => Value::Null,
        _ => Value::Null,
    }
}

/// Admin only; SELECT default `['ID']`, ORDER default `ID ASC`, the same
/// FILTER grammar, and a hidden filter that excludes automation templates
/// although running workflows use them (§1.5).
fn template_list(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    if !ctx.is_admin {
        return Err(RestError::access_denied());
    }
    let offset = start_offset(params)?;
    let upper = php::upper_keys(params);
    let resolve = |name: &str| TEMPLATE_FIELDS.iter().find(|f| **f == name).copied();
    let mut fields = filter::select_fields(&upper, resolve);
    if fields.is_empty() {
        fields.push("ID");
    }
    let conditions = filter::parse(
        upper.get("FILTER"),
        &ctx.knobs,
        &ctx.offset,
        ctx.now_ms / 1000,
        |name| {
            let kind = match name {
                "ID" | "AUTO_EXECUTE" | "USER_ID" => Kind::Int,
                "MODULE_ID" | "ENTITY" | "NAME" | "DESCRIPTION" => Kind::Text,
                "MODIFIED" => Kind::Date,
                _ => return None,
            };
            TEMPLATE_FIELDS
                .iter()
                .find(|f| **f == name)
                .map(|f| (*f, kind))
        },
    );
    let mut order = filter::order_keys(&upper, resolve);
    if order.is_empty() {
        order.push(("ID", false));
    }
    let mut list: Vec<&Template> = state
        .directory
        .templates
        .iter()
        .filter(|t| !t.is_automation())
        .filter(|t| {
            conditions
                .iter()
                .all(|(f, op, operand)| template_cell(t, f).is_some_and(|c| eval(*op, operand, c)))
        })
        .collect();
    list.sort_by(|a, b| {
        for (f, desc) in &order {
            let o = match (template_cell(a, f), template_cell(b, f)) {
                (Some(Cell::Int(x)), Some(Cell::Int(y))) => x.cmp(&y),
                (Some(Cell::Text(x)), Some(Cell::Text(y))) => {
                    x.to_lowercase().cmp(&y.to_lowercase())
                }
                (Some(Cell::Date(x)), Some(Cell::Date(y))) => x.cmp(&y),
                _ => std::cmp::Ordering::Equal,
            };
            let o = if *desc { o.reverse() } else { o };
            if o.is_ne() {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    });
    let rows = list
        .into_iter()
        .map(|t| {
            let mut row = Map::new();
            for f in &fields {
                row.insert((*f).to_owned(), template_value(t, f, ctx));
            }
            Value::Object(row)
        })
        .collect();
    Ok(paged(rows, offset))
}

/// A user as `user.get` returns it with the `user_brief` scope (no contacts).
fn user_value(u: &User) -> Value {
    json!({
        "ID": u.id.to_string(),
        "XML_ID": format!("emulated_{}", u.id),
        "ACTIVE": u.active,
        "NAME": u.name,
        "LAST_NAME": u.last_name,
        "SECOND_NAME": u.second_name,
        "TITLE": "",
        "IS_ONLINE": "N",
        "PERSONAL_GENDER": "",
        "PERSONAL_PHOTO": null,
        "WORK_POSITION": u.work_position,
        "UF_DEPARTMENT": [1 + (u.id % 6)],
        "USER_TYPE": "employee",
    })
}

fn user_cell<'a>(u: &'a User, field: &str) -> Option<Cell<'a>> {
    Some(match field {
        "ID" => Cell::Int(i64::from(u.id)),
        "NAME" => Cell::Text(&u.name),
        "LAST_NAME" => Cell::Text(&u.last_name),
        "SECOND_NAME" => Cell::Text(&u.second_name),
        "WORK_POSITION" => Cell::Text(&u.work_position),
        "ACTIVE" => Cell::Text(if u.active { "Y" } else { "N" }),
        "USER_TYPE" => Cell::Text("employee"),
        _ => return None,
    })
}

/// `user.get`: FILTER (or, for old clients, the parameters themselves) with
/// field conditions, `@ID` for a list of ids (§7.2, §10). Dismissed users
/// (GONE_USERS) simply are not there.
fn user_get(state: &Shared, ctx: &Ctx, params: &Map<String, Value>) -> Result<Success, RestError> {
    let offset = start_offset(params)?;
    let upper = php::upper_keys(params);
    let filter: Map<String, Value> = match upper.get("FILTER") {
        Some(f) => php::entries(f)
            .into_iter()
            .map(|(k, v)| (k, v.clone()))
            .collect(),
        None => upper
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "SORT" | "ORDER" | "ADMIN_MODE" | "START" | "AUTH" | "ACCESS_TOKEN"
                )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    let mut conditions: Vec<(String, Op, Operand)> = Vec::new();
    for (key, value) in &filter {
        let (prefix, name) = filter::split_key(key);
        let name = name.to_uppercase();
        let op = match prefix {
            "" | "=" | "@" => Op::Eq,
            "!" | "!=" | "!@" => Op::Ne,
            p => match filter::operator(p, &Knobs::default()) {
                Some(op) => op,
                None => continue,
            },
        };
        let kind = if name == "ID" { Kind::Int } else { Kind::Text };
        let operand = if kind == Kind::Text && value.is_boolean() {
            Operand::Text(vec![if value.as_bool() == Some(true) {
                "Y"
            } else {
                "N"
            }
            .into()])
        } else if let (Kind::Int, Some(s)) = (kind, value.as_str()) {
            // `@ID` also takes a comma-separated string.
            Operand::Int(
                s.split(',')
                    .map(|p| php::intval(&json!(p.trim())))
                    .collect(),
            )
        } else {
            filter::operand(kind, value, &ctx.offset, 0)
        };
        conditions.push((name, op, operand));
    }
    let desc = upper
        .get("ORDER")
        .and_then(php::to_php_string)
        .is_some_and(|d| d.eq_ignore_ascii_case("desc"));
    let mut users: Vec<&User> = state
        .directory
        .users
        .iter()
        .filter(|u| {
            conditions
                .iter()
                .all(|(f, op, operand)| user_cell(u, f).is_none_or(|c| eval(*op, operand, c)))
        })
        .collect();
    if desc {
        users.reverse();
    }
    Ok(paged(users.into_iter().map(user_value).collect(), offset))
}

/// `user.search`: FIND matches the start of any of first name, last name,
/// middle name, position or department, word by word (§10).
fn user_search(
    state: &Shared,
    _ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let offset = start_offset(params)?;
    let upper = php::upper_keys(params);
    let filter = upper.get("FILTER").map(php::entries).unwrap_or_default();
    let find = upper
        .get("FIND")
        .or_else(|| {
            filter
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("FIND"))
                .map(|(_, v)| *v)
        })
        .and_then(php::to_php_string)
        .unwrap_or_default()
        .to_lowercase();
    let words: Vec<&str> = find.split_whitespace().collect();
    let field_filters: Vec<(String, String)> = filter
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("FIND"))
        .filter_map(|(k, v)| Some((k.to_uppercase(), php::to_php_string(v)?.to_lowercase())))
        .collect();
    let users = state.directory.users.iter().filter(|u| {
        let haystack = [
            u.name.to_lowercase(),
            u.last_name.to_lowercase(),
            u.second_name.to_lowercase(),
            u.work_position.to_lowercase(),
            u.department.to_lowercase(),
        ];
        let found = words.iter().all(|w| {
            haystack
                .iter()
                .any(|h| h.split_whitespace().any(|part| part.starts_with(w)) || h.starts_with(w))
        });
        let fields_ok = field_filters.iter().all(|(k, v)| {
            let value = match k.as_str() {
                "NAME" => &haystack[0],
                "LAST_NAME" => &haystack[1],
                "WORK_POSITION" => &haystack[3],
                "UF_DEPARTMENT_NAME" => &haystack[4],
                "USER_TYPE" => return v == "employee",
                _ => return true,
            };
            value.starts_with(v.as_str())
        });
        found && fields_ok
    });
    Ok(paged(users.map(user_value).collect(), offset))
}

/// `app.info` (§7.1): LICENSE tells the plan; `_ent` marks Enterprise (§3.1).
fn app_info(state: &Shared, ctx: &Ctx, _params: &Map<String, Value>) -> Result<Success, RestError> {
    let license = ctx.knobs.license.clone();
    let family = license
        .split('_')
        .nth(1)
        .unwrap_or("")
        .trim_end_matches(char::is_numeric)
        .to_owned();
    Ok(Success::value(json!({
        "ID": "1",
        "CODE": "local.workflowmonitor.1",
        "VERSION": 1,
        "STATUS": "L",
        "INSTALLED": state.installed(),
        "PAYMENT_EXPIRED": "N",
        "DAYS": null,
        "LANGUAGE_ID": state.config.lang,
        "LICENSE": license,
        "LICENSE_TYPE": family,
        "LICENSE_FAMILY": family,
    })))
}

fn profile(state: &Shared, ctx: &Ctx, _params: &Map<String, Value>) -> Result<Success, RestError> {
    let Some(u) = state.directory.user(ctx.user) else {
        return Err(RestError::no_auth());
    };
    Ok(Success::value(json!({
        "ID": u.id.to_string(),
        "ADMIN": ctx.is_admin,
        "NAME": u.name,
        "LAST_NAME": u.last_name,
        "PERSONAL_GENDER": "",
        "PERSONAL_PHOTO": null,
        "TIME_ZONE": "",
        "TIME_ZONE_OFFSET": ctx.offset.local_minus_utc(),
    })))
}
