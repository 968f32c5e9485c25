//! The application storage methods `entity.*` (scope `entity`), with the
//! semantics of the docs (`bitrix-tools/b24-rest-docs`,
//! `api-reference/entity/**`) and of the server's `CBitrixRestEntity`:
//!
//! * top-level keys in any case; `ENTITY` (and `PROPERTY`) are cleaned to
//!   `[a-zA-Z0-9_]` before use, empty → `ERROR_ARGUMENT`; codes match in any
//!   case (MySQL), keys of `PROPERTY_VALUES` only as created (PHP `isset`);
//! * errors are `RestException`s (400), `ArgumentException`s (400, with
//!   `argument`), `AccessException`s (403 `ACCESS_DENIED` "Access denied!");
//! * lists page by 50 through `getNavData`: `start` is rounded down to a
//!   page, `-1` gives the first page without `total`.

use std::cmp::Ordering;

use chrono::FixedOffset;
use serde_json::{json, Map, Value};

use super::{filter, Ctx, RestError, Success};
use crate::config::ValueOverflow;
use crate::entity::{
    truncate_bytes, Entity, Item, Property, PropertyType, Right, CLIENT_ID, IBLOCK_TYPE_ID,
};
use crate::php;
use crate::store::{format_date, strtotime};
use crate::Shared;

/// `IRestService::LIST_LIMIT`.
const PAGE: usize = 50;

fn not_found() -> RestError {
    RestError::new(400, "ERROR_ENTITY_NOT_FOUND", "Entity not found")
}

fn item_not_found() -> RestError {
    RestError::new(400, "ERROR_ITEM_NOT_FOUND", "Item not found")
}

/// `preg_replace('/[^a-zA-Z0-9_]/i', '', trim(strval($v)))`.
fn clean(value: &Value) -> String {
    php::to_php_string(value)
        .unwrap_or_default()
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The length check the docs describe (`50 - strlen("APP_<clientId>_")`,
/// "in most cases 13"; the knob `entity_code_max_len`).
fn check_length(code: &str, ctx: &Ctx) -> Result<(), RestError> {
    let max = ctx.knobs.entity_code_max_len;
    if code.len() > max {
        return Err(RestError::argument(
            &format!("Entity code is too long. Max length is {max} characters."),
            "",
        ));
    }
    Ok(())
}

/// `checkParams`: upper-cases the keys and returns them with the cleaned
/// `ENTITY`.
fn entity_params(
    params: &Map<String, Value>,
    ctx: &Ctx,
) -> Result<(Map<String, Value>, String), RestError> {
    let upper = php::upper_keys(params);
    let code = upper.get("ENTITY").map(clean).unwrap_or_default();
    if code.is_empty() {
        return Err(RestError::argument_null("ENTITY"));
    }
    check_length(&code, ctx)?;
    Ok((upper, code))
}

/// `ACCESS` after `checkRights`, with the caller forced to `X`.
fn access_list(value: Option<&Value>, ctx: &Ctx) -> Vec<(String, Right)> {
    let own = format!("U{}", ctx.user);
    let mut list: Vec<(String, Right)> = value
        .map(php::entries)
        .unwrap_or_default()
        .into_iter()
        .filter(|(code, _)| *code != own)
        .filter_map(|(code, v)| {
            let right = Right::from_letter(&php::to_php_string(v)?)?;
            Some((code, right))
        })
        .collect();
    list.push((own, Right::X));
    list
}

fn require(entity: &Entity, ctx: &Ctx, needed: Right) -> Result<(), RestError> {
    match entity.right_of(ctx.user, ctx.is_admin) {
        Some(right) if right >= needed => Ok(()),
        _ => Err(RestError::access_denied()),
    }
}

fn entity_value(e: &Entity, code: &str) -> Value {
    json!({
        "ID": e.id.to_string(),
        "IBLOCK_TYPE_ID": IBLOCK_TYPE_ID,
        "ENTITY": code,
        "NAME": e.name,
    })
}

/// `entity.add {ENTITY, NAME, ACCESS}` → `true`.
pub fn add(state: &Shared, ctx: &Ctx, params: &Map<String, Value>) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    let mut store = state.entities();
    if store.find(CLIENT_ID, &code).is_some() {
        return Err(RestError::new(
            400,
            "ERROR_ENTITY_ALREADY_EXISTS",
            "Entity already exists",
        ));
    }
    let name = upper
        .get("NAME")
        .and_then(php::to_php_string)
        .unwrap_or_default()
        .trim()
        .to_owned();
    if name.is_empty() {
        // `CIBlock::Add` refuses a nameless iblock (text UNCONFIRMED).
        return Err(RestError::new(
            400,
            "ERROR_CORE",
            "Enter the information block name.<br>",
        ));
    }
    let access = access_list(upper.get("ACCESS"), ctx);
    store.create(CLIENT_ID, &code, &name, access);
    Ok(Success::value(json!(true)))
}

/// `entity.get {ENTITY?}` → one storage, or a list of all the app's.
/// With `ENTITY` the answer echoes the code as sent (the server does).
pub fn get(state: &Shared, ctx: &Ctx, params: &Map<String, Value>) -> Result<Success, RestError> {
    let upper = php::upper_keys(params);
    let store = state.entities();
    if upper.contains_key("ENTITY") {
        let (_, code) = entity_params(params, ctx)?;
        let e = store.find(CLIENT_ID, &code).ok_or_else(not_found)?;
        return Ok(Success::value(entity_value(e, &code)));
    }
    let list = store
        .entities(CLIENT_ID)
        .iter()
        .map(|e| entity_value(e, &e.code))
        .collect();
    Ok(Success::value(Value::Array(list)))
}

/// `entity.update {ENTITY, NAME?, ENTITY_NEW?, ACCESS?}` → `true` (X).
pub fn update(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    let mut store = state.entities();
    let e = store.find(CLIENT_ID, &code).ok_or_else(not_found)?;
    require(e, ctx, Right::X)?;
    let renamed = upper.get("ENTITY_NEW").map(clean);
    if let Some(new) = renamed.as_deref().filter(|n| *n != code) {
        check_length(new, ctx)?;
        if store.find(CLIENT_ID, new).is_some() {
            return Err(RestError::new(
                400,
                "ERROR_ENTITY_ALREADY_EXISTS",
                "Entity already exists",
            ));
        }
    }
    let access = upper
        .get("ACCESS")
        .filter(|a| !php::entries(a).is_empty())
        .map(|a| access_list(Some(a), ctx));
    let Some(e) = store.find_mut(CLIENT_ID, &code) else {
        return Err(not_found());
    };
    if let Some(name) = upper.get("NAME").and_then(php::to_php_string) {
        e.name = name.trim().to_owned();
    }
    if let Some(new) = renamed.filter(|n| *n != code) {
        e.code = new;
    }
    if let Some(access) = access {
        e.access = access;
    }
    Ok(Success::value(json!(true)))
}

/// `entity.rights {ENTITY, ACCESS?}` → `{code: letter}`; setting needs X.
pub fn rights(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    let mut store = state.entities();
    let Some(e) = store.find_mut(CLIENT_ID, &code) else {
        // The server returns nothing (null) for an unknown storage.
        return Ok(Success::value(Value::Null));
    };
    if let Some(a) = upper.get("ACCESS").filter(|a| !php::entries(a).is_empty()) {
        require(e, ctx, Right::X)?;
        e.access = access_list(Some(a), ctx);
    }
    let map: Map<String, Value> = e
        .access
        .iter()
        .map(|(c, r)| (c.clone(), json!(r.as_str())))
        .collect();
    Ok(Success::value(php::php_array(map)))
}

/// `entity.delete {ENTITY}` → `true` (X); items and properties go with it.
pub fn delete(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (_, code) = entity_params(params, ctx)?;
    let mut store = state.entities();
    let e = store.find(CLIENT_ID, &code).ok_or_else(not_found)?;
    require(e, ctx, Right::X)?;
    store.remove(CLIENT_ID, &code);
    Ok(Success::value(json!(true)))
}

fn property_value(p: &Property) -> Value {
    json!({
        "PROPERTY": p.code,
        "NAME": p.name,
        "TYPE": p.kind.as_str(),
        "SORT": p.sort.to_string(),
    })
}

/// `checkItemPropertyParams`: PROPERTY cleaned, TYPE upper-cased and one of
/// S, N, F (else `ERROR_ARGUMENT` "Wrong entity item property type").
fn property_type(upper: &Map<String, Value>) -> Result<Option<PropertyType>, RestError> {
    let Some(t) = upper.get("TYPE") else {
        return Ok(None);
    };
    let letter = php::to_php_string(t).unwrap_or_default().to_uppercase();
    PropertyType::from_letter(&letter)
        .map(Some)
        .ok_or_else(|| RestError::argument("Wrong entity item property type", "TYPE"))
}

/// `entity.item.property.add {ENTITY, PROPERTY, NAME?, TYPE?, SORT?}` →
/// `true` (X). TYPE defaults to S and SORT to 500 (iblock defaults).
pub fn property_add(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    let kind = property_type(&upper)?.unwrap_or(PropertyType::S);
    let property = upper.get("PROPERTY").map(clean);
    let mut store = state.entities();
    let existing = store.find(CLIENT_ID, &code);
    if let (Some(e), Some(p)) = (existing, property.as_deref()) {
        if e.property(p).is_some() {
            return Err(RestError::new(
                400,
                "ERROR_PROPERTY_ALREADY_EXISTS",
                "Property already exists",
            ));
        }
    }
    let Some(property) = property.filter(|p| !p.is_empty()) else {
        return Err(RestError::argument_null("PROPERTY"));
    };
    let e = existing.ok_or_else(not_found)?;
    require(e, ctx, Right::X)?;
    if property.starts_with(|c: char| c.is_ascii_digit()) {
        // `CIBlockProperty::Add` refuses it (the docs give the Russian text).
        return Err(RestError::new(
            400,
            "ERROR_CORE",
            "Код свойства не может начинаться с цифры",
        ));
    }
    let name = upper
        .get("NAME")
        .and_then(php::to_php_string)
        .unwrap_or_default();
    let sort = upper.get("SORT").map_or(500, php::intval);
    let Some(e) = store.find_mut(CLIENT_ID, &code) else {
        return Err(not_found());
    };
    e.properties.push(Property {
        code: property,
        name,
        kind,
        sort,
    });
    Ok(Success::value(json!(true)))
}

/// `entity.item.property.get {ENTITY, PROPERTY?}` → one property or all, by
/// SORT.
pub fn property_get(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    property_type(&upper)?;
    let store = state.entities();
    let e = store.find(CLIENT_ID, &code).ok_or_else(not_found)?;
    match upper.get("PROPERTY").map(clean).filter(|p| !p.is_empty()) {
        Some(p) => {
            let prop = e.property(&p).ok_or_else(|| {
                RestError::new(400, "ERROR_PROPERTY_NOT_FOUND", "Property not found")
            })?;
            Ok(Success::value(property_value(prop)))
        }
        None => Ok(Success::value(Value::Array(
            e.sorted_properties()
                .into_iter()
                .map(property_value)
                .collect(),
        ))),
    }
}

/// Which write an overflow error names (`SqlQueryException` branch).
#[derive(Clone, Copy)]
enum Write {
    Add,
    Update,
}

impl Write {
    fn internal_error(self) -> RestError {
        let text = match self {
            Write::Add => "Internal error adding entity item. Try adding again.",
            Write::Update => "Internal error updating entity item. Try updating again.",
        };
        RestError::new(400, "ERROR_CORE", text)
    }
}

/// A property value as the iblock stores it: a scalar's PHP string; of an
/// array, its `VALUE` or first entry.
fn stored_value(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(_) | Value::Object(_) => {
            let entries = php::entries(value);
            let v = entries
                .iter()
                .find(|(k, _)| k == "VALUE")
                .or_else(|| entries.first())
                .map(|(_, v)| *v)?;
            stored_value(v)
        }
        scalar => php::to_php_string(scalar),
    }
}

/// `prepareItem`'s `PROPERTY_VALUES`: only properties that exist, matched by
/// the code as created; values longer than the knob are cut or refused.
fn property_values(
    e: &Entity,
    values: Option<&Value>,
    ctx: &Ctx,
    write: Write,
) -> Result<Vec<(String, String)>, RestError> {
    let Some(values) = values else {
        return Ok(Vec::new());
    };
    let given = php::entries(values);
    let mut out = Vec::new();
    for p in &e.properties {
        let Some(v) = given
            .iter()
            .find(|(k, _)| *k == p.code)
            .and_then(|(_, v)| stored_value(v))
        else {
            continue;
        };
        let v = match p.kind {
            // Uploading files is not emulated: the value is dropped.
            PropertyType::F => String::new(),
            PropertyType::S | PropertyType::N => {
                let max = ctx.knobs.entity_value_max_bytes;
                if v.len() > max && ctx.knobs.entity_value_overflow == ValueOverflow::Error {
                    return Err(write.internal_error());
                }
                truncate_bytes(&v, max).to_owned()
            }
        };
        out.push((p.code.clone(), v));
    }
    Ok(out)
}

fn text(upper: &Map<String, Value>, key: &str) -> Option<String> {
    upper.get(key).and_then(php::to_php_string)
}

fn date(upper: &Map<String, Value>, key: &str, ctx: &Ctx) -> Option<Option<i64>> {
    let v = text(upper, key)?;
    Some(strtotime(&v, &ctx.offset, ctx.now_ms / 1000))
}

/// The element fields of `prepareItem` that the emulator keeps.
fn apply_fields(item: &mut Item, upper: &Map<String, Value>, ctx: &Ctx) {
    if let Some(name) = text(upper, "NAME") {
        item.name = name;
    }
    if let Some(code) = text(upper, "CODE") {
        item.code = Some(code);
    }
    if let Some(active) = text(upper, "ACTIVE") {
        item.active = active == "Y";
    }
    if let Some(sort) = upper.get("SORT") {
        item.sort = php::intval(sort);
    }
    if let Some(t) = text(upper, "PREVIEW_TEXT") {
        item.preview_text = Some(t);
    }
    if let Some(t) = text(upper, "DETAIL_TEXT") {
        item.detail_text = Some(t);
    }
    if let Some(d) = date(upper, "DATE_ACTIVE_FROM", ctx) {
        item.active_from = d;
    }
    if let Some(d) = date(upper, "DATE_ACTIVE_TO", ctx) {
        item.active_to = d;
    }
    if let Some(s) = upper.get("SECTION") {
        item.section = Some(php::intval(s)).filter(|s| *s > 0);
    }
    item.modified = ctx.now_ms / 1000;
    item.modified_by = ctx.user;
}

/// `CIBlockElement::CheckFields` refuses an element without a name (text
/// UNCONFIRMED; the docs call these "validator errors").
fn nameless() -> RestError {
    RestError::new(400, "ERROR_CORE", "Enter the element name.<br>")
}

/// `entity.item.add {ENTITY, NAME, PROPERTY_VALUES?, SECTION?, …}` → the new
/// item's ID as a JSON integer (W).
pub fn item_add(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    let mut store = state.entities();
    let e = store.find(CLIENT_ID, &code).ok_or_else(not_found)?;
    require(e, ctx, Right::W)?;
    let values = property_values(e, upper.get("PROPERTY_VALUES"), ctx, Write::Add)?;
    let now = ctx.now_ms / 1000;
    let mut item = Item {
        id: 0,
        name: String::new(),
        code: None,
        active: true,
        sort: 500,
        created: now,
        modified: now,
        created_by: ctx.user,
        modified_by: ctx.user,
        active_from: None,
        active_to: None,
        preview_text: None,
        detail_text: None,
        section: None,
        values: values.into_iter().collect(),
    };
    apply_fields(&mut item, &upper, ctx);
    if item.name.is_empty() {
        return Err(nameless());
    }
    item.id = store.next_element_id();
    let id = item.id;
    let Some(e) = store.find_mut(CLIENT_ID, &code) else {
        return Err(not_found());
    };
    e.items.push(item);
    Ok(Success::value(json!(id)))
}

/// `ID` as `intval`, `<= 0` → `ArgumentNullException("ID")`.
fn item_id(upper: &Map<String, Value>) -> Result<i64, RestError> {
    let id = upper.get("ID").map_or(0, php::intval);
    if id <= 0 {
        return Err(RestError::argument_null("ID"));
    }
    Ok(id)
}

/// `entity.item.update {ENTITY, ID, NAME?, PROPERTY_VALUES?, …}` → `true`
/// (W). Only the properties sent change (`SetPropertyValuesEx`).
pub fn item_update(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    let id = item_id(&upper)?;
    let mut store = state.entities();
    let e = store.find(CLIENT_ID, &code).ok_or_else(not_found)?;
    require(e, ctx, Right::W)?;
    if e.item(id).is_none() {
        return Err(item_not_found());
    }
    let values = property_values(e, upper.get("PROPERTY_VALUES"), ctx, Write::Update)?;
    if text(&upper, "NAME").is_some_and(|n| n.is_empty()) {
        return Err(nameless());
    }
    let Some(item) = store
        .find_mut(CLIENT_ID, &code)
        .and_then(|e| e.item_mut(id))
    else {
        return Err(item_not_found());
    };
    apply_fields(item, &upper, ctx);
    item.values.extend(values);
    Ok(Success::value(json!(true)))
}

/// `entity.item.delete {ENTITY, ID}` → `true` (W).
pub fn item_delete(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    let id = item_id(&upper)?;
    let mut store = state.entities();
    let Some(e) = store.find_mut(CLIENT_ID, &code) else {
        return Err(not_found());
    };
    require(e, ctx, Right::W)?;
    let before = e.items.len();
    e.items.retain(|i| i.id != id);
    if e.items.len() == before {
        return Err(item_not_found());
    }
    Ok(Success::value(json!(true)))
}

/// An item as `entity.item.get` returns it: every scalar a string, dates
/// ISO 8601 with the server's offset (`""` when empty), `PROPERTY_VALUES`
/// only when the storage has properties (a property without a value gives
/// `""`, UNCONFIRMED).
pub fn render_item(e: &Entity, item: &Item, entity: &str, offset: &FixedOffset) -> Value {
    let d = |t: Option<i64>| t.map_or(String::new(), |t| format_date(t, offset));
    let mut row = json!({
        "ID": item.id.to_string(),
        "TIMESTAMP_X": d(Some(item.modified)),
        "MODIFIED_BY": item.modified_by.to_string(),
        "DATE_CREATE": d(Some(item.created)),
        "CREATED_BY": item.created_by.to_string(),
        "ACTIVE": if item.active { "Y" } else { "N" },
        "DATE_ACTIVE_FROM": d(item.active_from),
        "DATE_ACTIVE_TO": d(item.active_to),
        "SORT": item.sort.to_string(),
        "NAME": item.name,
        "PREVIEW_PICTURE": null,
        "PREVIEW_TEXT": item.preview_text,
        "DETAIL_PICTURE": null,
        "DETAIL_TEXT": item.detail_text,
        "CODE": item.code,
        "ENTITY": entity,
        "SECTION": item.section.map(|s| s.to_string()),
    });
    if !e.properties.is_empty() {
        let values: Map<String, Value> = e
            .sorted_properties()
            .into_iter()
            .map(|p| {
                let v = item.values.get(&p.code).cloned().unwrap_or_default();
                (p.code.clone(), json!(v))
            })
            .collect();
        if let Some(obj) = row.as_object_mut() {
            obj.insert("PROPERTY_VALUES".into(), Value::Object(values));
        }
    }
    row
}

/// A column value of an item, for filter and sort.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Int(i64),
    Num(f64),
    Text(String),
    Date(i64),
    Null,
}

fn cell(e: &Entity, item: &Item, field: &str) -> Option<Cell> {
    let opt_text = |t: &Option<String>| t.clone().map_or(Cell::Null, Cell::Text);
    let opt_date = |t: Option<i64>| t.map_or(Cell::Null, Cell::Date);
    Some(match field {
        "ID" => Cell::Int(item.id),
        "NAME" => Cell::Text(item.name.clone()),
        "CODE" => opt_text(&item.code),
        "ACTIVE" => Cell::Text(if item.active { "Y" } else { "N" }.into()),
        "SORT" => Cell::Int(item.sort),
        "CREATED_BY" => Cell::Int(i64::from(item.created_by)),
        "MODIFIED_BY" => Cell::Int(i64::from(item.modified_by)),
        "DATE_CREATE" => Cell::Date(item.created),
        "TIMESTAMP_X" => Cell::Date(item.modified),
        "DATE_ACTIVE_FROM" | "ACTIVE_FROM" => opt_date(item.active_from),
        "DATE_ACTIVE_TO" | "ACTIVE_TO" => opt_date(item.active_to),
        "SECTION" | "IBLOCK_SECTION_ID" => item.section.map_or(Cell::Null, Cell::Int),
        "PREVIEW_TEXT" => opt_text(&item.preview_text),
        "DETAIL_TEXT" => opt_text(&item.detail_text),
        _ => {
            let code = field.strip_prefix("PROPERTY_")?;
            let p = e.property(code)?;
            match item.values.get(&p.code).filter(|v| !v.is_empty()) {
                None => Cell::Null,
                Some(v) if p.kind == PropertyType::N => {
                    v.trim().parse().map_or(Cell::Text(v.clone()), Cell::Num)
                }
                Some(v) => Cell::Text(v.clone()),
            }
        }
    })
}

fn cmp_cells(a: &Cell, b: &Cell) -> Ordering {
    match (a, b) {
        (Cell::Null, Cell::Null) => Ordering::Equal,
        // MySQL puts NULL first in ascending order.
        (Cell::Null, _) => Ordering::Less,
        (_, Cell::Null) => Ordering::Greater,
        (Cell::Int(x), Cell::Int(y)) | (Cell::Date(x), Cell::Date(y)) => x.cmp(y),
        (Cell::Num(x), Cell::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Cell::Text(x), Cell::Text(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        _ => Ordering::Equal,
    }
}

/// A filter operand converted for the column it is compared with.
fn operand(like: &Cell, value: &Value, ctx: &Ctx) -> Option<Cell> {
    let s = php::to_php_string(value)?;
    if s.is_empty() {
        return Some(Cell::Null);
    }
    Some(match like {
        Cell::Int(_) => Cell::Int(php::intval(value)),
        Cell::Num(_) => s.trim().parse().map_or(Cell::Text(s), Cell::Num),
        Cell::Date(_) => Cell::Date(strtotime(&s, &ctx.offset, ctx.now_ms / 1000)?),
        Cell::Text(_) | Cell::Null => Cell::Text(s),
    })
}

fn scalars(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(_) | Value::Object(_) => {
            php::entries(value).into_iter().map(|(_, v)| v).collect()
        }
        v => vec![v],
    }
}

/// The operators `CBitrixRestEntity::$arAllowedOperations` lets through.
const OPERATORS: [&str; 13] = [
    "", "!", "<", "<=", ">", ">=", "><", "!><", "?", "=", "!=", "%", "!%",
];

/// One filter condition on one item. Text compares without regard to case
/// (MySQL `_ci`); an empty value (`""`, `false`, null) stands for "no
/// value"; an array means IN for `=`, NOT IN for `!`; `><` takes `[from,
/// to]`; `%` is a substring match; `?` tests for a value (docs: "null / not
/// null"; UNCONFIRMED: in iblock code `?` is a search expression).
fn holds(op: &str, value: &Value, c: &Cell, ctx: &Ctx) -> bool {
    let matches = |v: &Value, test: &dyn Fn(Ordering) -> bool| match operand(c, v, ctx) {
        Some(Cell::Null) => false,
        Some(o) if *c != Cell::Null => test(cmp_cells(c, &o)),
        _ => false,
    };
    let is_empty = |v: &Value| matches!(operand(c, v, ctx), Some(Cell::Null));
    let values = scalars(value);
    match op {
        "" | "=" => values.iter().any(|v| {
            if is_empty(v) {
                *c == Cell::Null
            } else {
                matches(v, &|o| o.is_eq())
            }
        }),
        "!" | "!=" => values.iter().all(|v| {
            if is_empty(v) {
                *c != Cell::Null
            } else {
                !matches(v, &|o| o.is_eq())
            }
        }),
        "<" => values.iter().any(|v| matches(v, &|o| o.is_lt())),
        "<=" => values.iter().any(|v| matches(v, &|o| o.is_le())),
        ">" => values.iter().any(|v| matches(v, &|o| o.is_gt())),
        ">=" => values.iter().any(|v| matches(v, &|o| o.is_ge())),
        "><" | "!><" => {
            let inside = values.len() == 2
                && matches(values[0], &|o| o.is_ge())
                && matches(values[1], &|o| o.is_le());
            inside == (op == "><")
        }
        "%" | "!%" => {
            let found = match c {
                Cell::Null => false,
                Cell::Text(t) => values.iter().any(|v| {
                    php::to_php_string(v)
                        .is_some_and(|s| t.to_lowercase().contains(&s.to_lowercase()))
                }),
                other => values.iter().any(|v| {
                    php::to_php_string(v).is_some_and(|s| {
                        let t = match other {
                            Cell::Int(i) | Cell::Date(i) => i.to_string(),
                            Cell::Num(n) => n.to_string(),
                            _ => String::new(),
                        };
                        t.contains(&s)
                    })
                }),
            };
            found == (op == "%")
        }
        "?" => {
            let wants_value = values
                .first()
                .is_some_and(|v| php::truthy(v) && php::to_php_string(v).is_some_and(|s| s != "N"));
            (*c != Cell::Null) == wants_value
        }
        _ => true,
    }
}

/// The page `getNavData` gives for `start`: `-1` → the first page without a
/// count; otherwise page `intdiv(start, 50) + 1`, so an offset is rounded
/// down to its page. A page past the end gives the last page again
/// (`CDBResult::NavStart` clamps it; DERIVED, UNCONFIRMED live).
fn page_offset(start: i64, total: usize) -> Option<usize> {
    if start < 0 {
        return None;
    }
    let wanted = usize::try_from(start).unwrap_or(0) / PAGE * PAGE;
    let last = total.saturating_sub(1) / PAGE * PAGE;
    Some(wanted.min(last))
}

/// `entity.item.get {ENTITY, SORT?, FILTER?, start?}` → items, 50 a page,
/// with `total` and `next`. Items of a storage the caller may not read are
/// not listed (`CHECK_PERMISSIONS => 'Y'`).
pub fn item_get(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let (upper, code) = entity_params(params, ctx)?;
    let store = state.entities();
    let e = store.find(CLIENT_ID, &code).ok_or_else(not_found)?;
    let readable = e.right_of(ctx.user, ctx.is_admin).is_some();
    let conditions: Vec<(String, String, Value)> = upper
        .get("FILTER")
        .map(php::entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(key, v)| {
            let key = key.to_uppercase();
            let (op, field) = filter::split_key(&key);
            (OPERATORS.contains(&op) && !field.is_empty())
                .then(|| (op.to_owned(), field.to_owned(), v.clone()))
        })
        .collect();
    let mut sort: Vec<(String, bool)> = match upper.get("SORT") {
        Some(s) => php::entries(s)
            .into_iter()
            .map(|(k, v)| {
                let desc = php::to_php_string(v).is_some_and(|d| d.eq_ignore_ascii_case("DESC"));
                (k.to_uppercase(), desc)
            })
            .collect(),
        None => vec![("ID".to_owned(), false)],
    };
    sort.retain(|(f, _)| e.items.first().is_none_or(|i| cell(e, i, f).is_some()));
    let mut items: Vec<&Item> = e
        .items
        .iter()
        .filter(|_| readable)
        .filter(|i| {
            conditions.iter().all(|(op, field, v)| {
                // Unknown fields and properties are ignored, as GetList does.
                cell(e, i, field).is_none_or(|c| holds(op, v, &c, ctx))
            })
        })
        .collect();
    items.sort_by(|a, b| {
        for (field, desc) in &sort {
            if let (Some(x), Some(y)) = (cell(e, a, field), cell(e, b, field)) {
                let o = cmp_cells(&x, &y);
                let o = if *desc { o.reverse() } else { o };
                if o.is_ne() {
                    return o;
                }
            }
        }
        a.id.cmp(&b.id)
    });
    let total = items.len();
    let start = params.get("start").map_or(0, php::intval);
    let offset = page_offset(start, total);
    let page: Vec<Value> = items
        .into_iter()
        .skip(offset.unwrap_or(0))
        .take(PAGE)
        .map(|i| render_item(e, i, &code, &ctx.offset))
        .collect();
    Ok(match offset {
        None => Success::value(Value::Array(page)),
        Some(offset) => {
            let next = offset + page.len();
            Success {
                result: Value::Array(page),
                total: Some(total),
                next: (next < total).then_some(next),
            }
        }
    })
}

/// The app's whole storage for `GET /_emulator/entity`: every storage
/// with its rights, properties and items (items as `entity.item.get`
/// renders them).
pub fn dump(state: &Shared) -> Value {
    let offset = super::server_offset(state);
    let store = state.entities();
    let entities: Vec<Value> = store
        .entities(CLIENT_ID)
        .iter()
        .map(|e| {
            let access: Map<String, Value> = e
                .access
                .iter()
                .map(|(c, r)| (c.clone(), json!(r.as_str())))
                .collect();
            json!({
                "ENTITY": e.code,
                "ID": e.id.to_string(),
                "NAME": e.name,
                "ACCESS": access,
                "PROPERTIES": e.sorted_properties().into_iter().map(property_value).collect::<Vec<_>>(),
                "ITEMS": e.items.iter().map(|i| render_item(e, i, &e.code, &offset)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"client_id": CLIENT_ID, "entities": entities})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_is_rounded_down_to_a_page_and_clamped_to_the_last() {
        assert_eq!(page_offset(0, 120), Some(0));
        assert_eq!(page_offset(49, 120), Some(0));
        assert_eq!(page_offset(50, 120), Some(50));
        assert_eq!(page_offset(500, 120), Some(100));
        assert_eq!(page_offset(-1, 120), None);
        assert_eq!(page_offset(0, 0), Some(0));
    }

    #[test]
    fn codes_are_cleaned_to_letters_digits_and_underscores() {
        assert_eq!(clean(&json!(" wf-history! ")), "wfhistory");
        assert_eq!(clean(&json!("a_1")), "a_1");
        assert_eq!(clean(&json!(12)), "12");
    }
}
