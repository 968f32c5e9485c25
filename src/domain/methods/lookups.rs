//! What the filter pickers look up: the portal's workflow templates
//! (`bizproc.workflow.template.list`, fact sheet §1.5), users found by name
//! (`user.search`, `user.get`, §10).
//! Requests are built and answers read here, as data; the I/O is in
//! `rest::lookups`.

use serde_json::{json, Value};

use crate::domain::i18n::{fill, Texts};
use crate::domain::methods::instances::{TemplateId, UserId, PAGE_SIZE};
use crate::domain::wire::batch::{BatchCommand, BatchRequest, CommandKey, MAX_COMMANDS};
use crate::domain::wire::errors::{json_type, loose_u64, scalar_text, ParseError, RawResponse};

/// Lists the portal's templates (admin only, 50 a page, automation
/// templates hidden).
pub const TEMPLATE_LIST_METHOD: &str = "bizproc.workflow.template.list";
/// Finds users by the start of any part of their name (§10).
pub const USER_SEARCH_METHOD: &str = "user.search";
/// Reads users by id (§7.2).
pub const USER_GET_METHOD: &str = "user.get";

fn result_list<'a>(
    raw: &'a RawResponse,
    expected: &'static str,
) -> Result<&'a [Value], ParseError> {
    match &raw.result {
        Value::Array(items) => Ok(items),
        // PHP sends an empty array as `[]`, but an empty map may be `{}`.
        Value::Object(o) if o.is_empty() => Ok(&[]),
        other => Err(ParseError::UnexpectedResult {
            expected,
            found: json_type(other),
        }),
    }
}

fn text(row: &Value, key: &str) -> String {
    row.get(key)
        .and_then(scalar_text)
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

// ------------------------------------------------------------ templates --

/// One template from `template.list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateInfo {
    /// `ID`.
    pub id: TemplateId,
    /// `NAME` (portal text: render as text only); empty when the portal
    /// sent none.
    pub name: String,
    /// The third element of `DOCUMENT_TYPE` (`DEAL`, `DYNAMIC_147`), if sent.
    pub document_type: Option<String>,
}

/// The parameters of one `template.list` page.
pub fn template_list_params(start: u64) -> Value {
    json!({
        "SELECT": ["ID", "NAME", "DOCUMENT_TYPE"],
        "ORDER": {"ID": "ASC"},
        "start": start,
    })
}

/// Reads one page: rows without a usable `ID` are skipped; a missing name
/// is kept empty ([`Templates::label`] names it then).
pub fn parse_templates(raw: &RawResponse) -> Result<Vec<TemplateInfo>, ParseError> {
    let rows = result_list(raw, "a list of templates")?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let id = TemplateId(row.get("ID").and_then(loose_u64)?);
            let name = text(row, "NAME");
            let document_type = match row.get("DOCUMENT_TYPE") {
                Some(Value::Array(parts)) => parts.get(2).and_then(scalar_text),
                Some(v) => scalar_text(v),
                None => None,
            }
            .filter(|t| !t.is_empty());
            Some(TemplateInfo {
                id,
                name,
                document_type,
            })
        })
        .collect())
}

/// The batches that fetch every page after the first: one command per
/// 50-row offset below `total`, keyed `t<start>`, at most 50 a batch,
/// without `halt` (a failed page is reported, the others still run).
pub fn template_rest_batches(total: u64) -> Vec<BatchRequest> {
    let starts: Vec<u64> = (1..)
        .map(|i| i * PAGE_SIZE)
        .take_while(|s| *s < total)
        .collect();
    starts
        .chunks(MAX_COMMANDS)
        .filter_map(|chunk| {
            let commands = chunk
                .iter()
                .filter_map(|s| {
                    Some(BatchCommand {
                        key: CommandKey::new(format!("t{s}")).ok()?,
                        method: TEMPLATE_LIST_METHOD.to_owned(),
                        params: template_list_params(*s),
                    })
                })
                .collect();
            BatchRequest::new(false, commands).ok()
        })
        .collect()
}

/// All the templates the portal lists, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Templates(Vec<TemplateInfo>);

impl Templates {
    /// From every page, in any order: duplicates dropped, sorted by name
    /// (ignoring case), then id.
    pub fn new(list: Vec<TemplateInfo>) -> Templates {
        Templates::sorted_with(list, str::to_lowercase)
    }

    /// As [`Templates::new`], with names lowercased by `lowercase`, which
    /// must give what `str::to_lowercase` gives. The app passes the
    /// browser's own lowercasing (`rest::lookups::lowercase`), so that its
    /// wasm does not carry Rust's copy of the Unicode case tables.
    pub fn sorted_with(
        mut list: Vec<TemplateInfo>,
        lowercase: impl Fn(&str) -> String,
    ) -> Templates {
        // Each name lowercased once, not twice per comparison; stable, as
        // the comparison sort was.
        list.sort_by_cached_key(|t| (lowercase(&t.name), t.id));
        list.dedup_by_key(|t| t.id);
        Templates(list)
    }

    /// The templates, by name.
    pub fn iter(&self) -> impl Iterator<Item = &TemplateInfo> {
        self.0.iter()
    }

    /// The name of `id`, if the portal listed it with one.
    pub fn name(&self, id: TemplateId) -> Option<&str> {
        self.0
            .iter()
            .find(|t| t.id == id && !t.name.is_empty())
            .map(|t| t.name.as_str())
    }

    /// Whether the portal listed `id`.
    pub fn contains(&self, id: TemplateId) -> bool {
        self.0.iter().any(|t| t.id == id)
    }

    /// The template's `DOCUMENT_TYPE` (`DEAL`, `iblock_26`), if listed.
    pub fn document_type(&self, id: TemplateId) -> Option<&str> {
        self.0
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.document_type.as_deref())
    }

    /// How a template is named to the admin: its name; `Template 9` for
    /// one listed without a name. An id the list never returns belongs to
    /// an automation rule or robot (template.list hides those, §1.5): a
    /// fact about the portal, not an error.
    pub fn label(&self, id: TemplateId, t: &Texts) -> String {
        let n = id.0.to_string();
        match self.name(id) {
            Some(name) => name.to_owned(),
            None if self.contains(id) => fill(t.template_fallback, &[("id", &n)]),
            None => fill(t.template_robot, &[("id", &n)]),
        }
    }
}

// ---------------------------------------------------------------- users --

/// A user found by name or id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserInfo {
    /// `ID`.
    pub id: UserId,
    /// `NAME SECOND_NAME LAST_NAME` (portal text: render as text only);
    /// empty when all three are.
    pub name: String,
}

impl UserInfo {
    /// The name, or `User 77` when the portal has none.
    pub fn label(&self, t: &Texts) -> String {
        if self.name.is_empty() {
            user_fallback(self.id, t)
        } else {
            self.name.clone()
        }
    }
}

/// The parameters of `user.search` for typed text; `None` when there is
/// nothing to search for.
pub fn user_search_params(find: &str) -> Option<Value> {
    let find = find.trim();
    (!find.is_empty()).then(|| json!({"FILTER": {"FIND": find}}))
}

/// The parameters of `user.get` for some ids (`@ID` = IN). At most
/// [`PAGE_SIZE`] ids: the answer is paged by 50 like every list.
pub fn user_get_params(ids: &[UserId]) -> Value {
    let ids: Vec<u64> = ids.iter().map(|u| u.0).collect();
    json!({"FILTER": {"@ID": ids}})
}

/// How to ask `user.get` for `ids` in one request: one call for up to 50
/// ids (one answer page), else one batch of calls of 50 ids each, keyed
/// `u0`, `u1`, … (a page of 500 rows may name more than 50 people).
#[derive(Debug, Clone, PartialEq)]
pub enum UserGet {
    /// Nothing to ask.
    Nothing,
    /// One `user.get`.
    Call(Value),
    /// One `batch` of `user.get`s, without `halt`.
    Batch(BatchRequest),
}

/// The request for `ids` (see [`UserGet`]); ids beyond 50 × 50 are left
/// for a later screen (a batch holds at most 50 commands).
pub fn user_get_request(ids: &[UserId]) -> UserGet {
    let chunks: Vec<&[UserId]> = ids.chunks(PAGE_SIZE as usize).take(MAX_COMMANDS).collect();
    match chunks.as_slice() {
        [] => UserGet::Nothing,
        [one] => UserGet::Call(user_get_params(one)),
        many => {
            let commands = many
                .iter()
                .enumerate()
                .filter_map(|(i, chunk)| {
                    Some(BatchCommand {
                        key: CommandKey::new(format!("u{i}")).ok()?,
                        method: USER_GET_METHOD.to_owned(),
                        params: user_get_params(chunk),
                    })
                })
                .collect();
            BatchRequest::new(false, commands).map_or(UserGet::Nothing, UserGet::Batch)
        }
    }
}

/// Reads `user.search` or `user.get`: rows without a usable `ID` skipped.
pub fn parse_users(raw: &RawResponse) -> Result<Vec<UserInfo>, ParseError> {
    let rows = result_list(raw, "a list of users")?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let id = UserId(row.get("ID").and_then(loose_u64)?);
            let parts = [
                text(row, "NAME"),
                text(row, "SECOND_NAME"),
                text(row, "LAST_NAME"),
            ];
            let name = parts
                .iter()
                .filter(|p| !p.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            Some(UserInfo { id, name })
        })
        .collect())
}

/// `User 77`, for an id whose name is unknown (deleted users, integrators).
pub fn user_fallback(id: UserId, t: &Texts) -> String {
    fill(t.user_fallback, &[("id", &id.0.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::{EN, RU};

    fn raw(result: Value) -> RawResponse {
        RawResponse {
            result,
            total: None,
            next: None,
            time: None,
        }
    }

    #[test]
    fn template_pages_select_only_what_the_picker_shows() {
        assert_eq!(
            template_list_params(100),
            json!({"SELECT": ["ID", "NAME", "DOCUMENT_TYPE"], "ORDER": {"ID": "ASC"}, "start": 100})
        );
    }

    #[test]
    fn the_pages_after_the_first_go_in_batches_of_fifty_offsets() {
        assert!(template_rest_batches(50).is_empty());
        assert!(template_rest_batches(0).is_empty());
        let one = template_rest_batches(120);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].keys().collect::<Vec<_>>(), ["t50", "t100"]);
        let p = one[0].to_params();
        assert_eq!(p["halt"], 0);
        assert_eq!(
            p["cmd"]["t50"]
                .as_str()
                .map(|c| c.starts_with(TEMPLATE_LIST_METHOD)),
            Some(true)
        );
        // 2,600 templates: offsets 50..2550 (51 of them) need two batches.
        let two = template_rest_batches(2_600);
        assert_eq!(two.len(), 2);
        assert_eq!(two[0].keys().count(), 50);
        assert_eq!(two[1].keys().collect::<Vec<_>>(), ["t2550"]);
    }

    #[test]
    fn templates_read_loosely_and_sort_by_name() {
        let page = parse_templates(&raw(json!([
            {"ID": "7", "NAME": "zeta", "DOCUMENT_TYPE": ["crm", "CCrmDocumentDeal", "DEAL"]},
            {"ID": 3, "NAME": "Alpha"},
            {"ID": "x", "NAME": "no id"},
            {"ID": "9", "NAME": "  "},
        ])))
        .expect("page");
        assert_eq!(page.len(), 3);
        assert_eq!(page[0].document_type.as_deref(), Some("DEAL"));
        let all = Templates::new(page);
        let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["", "Alpha", "zeta"]);
        assert_eq!(all.label(TemplateId(3), &EN), "Alpha");
        assert_eq!(all.label(TemplateId(9), &EN), "Template 9");
        assert_eq!(all.label(TemplateId(9), &RU), "Шаблон 9");
        assert_eq!(all.document_type(TemplateId(7)), Some("DEAL"));
        assert_eq!(all.document_type(TemplateId(3)), None);
        assert_eq!(parse_templates(&raw(json!({}))), Ok(vec![]));
        assert!(parse_templates(&raw(json!("nope"))).is_err());
    }

    #[test]
    fn users_are_searched_by_find_and_named_in_full() {
        assert_eq!(user_search_params("  "), None);
        assert_eq!(
            user_search_params(" Ann "),
            Some(json!({"FILTER": {"FIND": "Ann"}}))
        );
        assert_eq!(
            user_get_params(&[UserId(5), UserId(7)]),
            json!({"FILTER": {"@ID": [5, 7]}})
        );
        let users = parse_users(&raw(json!([
            {"ID": "5", "NAME": "Ann", "SECOND_NAME": "", "LAST_NAME": "Lee"},
            {"ID": "6", "NAME": null, "LAST_NAME": ""},
            {"NAME": "no id"},
        ])))
        .expect("users");
        assert_eq!(
            users,
            vec![
                UserInfo {
                    id: UserId(5),
                    name: "Ann Lee".into()
                },
                UserInfo {
                    id: UserId(6),
                    name: String::new()
                },
            ]
        );
        assert_eq!(users[0].label(&EN), "Ann Lee");
        assert_eq!(users[1].label(&EN), "User 6");
        assert_eq!(users[1].label(&RU), "Пользователь 6");
    }

    #[test]
    fn a_template_the_list_never_returns_is_an_automation_rule_or_robot() {
        let all = Templates::new(vec![TemplateInfo {
            id: TemplateId(3),
            name: "Alpha".into(),
            document_type: None,
        }]);
        assert_eq!(
            all.label(TemplateId(212), &EN),
            "Automation rule or robot (template 212)"
        );
        assert_eq!(
            all.label(TemplateId(212), &RU),
            "Правило автоматизации или робот (шаблон 212)"
        );
        assert_eq!(all.name(TemplateId(212)), None);
    }

    #[test]
    fn user_ids_are_asked_in_one_call_or_one_batch_of_fifty_each() {
        assert_eq!(user_get_request(&[]), UserGet::Nothing);
        let few: Vec<UserId> = (1..=50).map(UserId).collect();
        let UserGet::Call(params) = user_get_request(&few) else {
            panic!("fifty ids are one call");
        };
        assert_eq!(params["FILTER"]["@ID"].as_array().map(Vec::len), Some(50));
        let many: Vec<UserId> = (1..=120).map(UserId).collect();
        let UserGet::Batch(batch) = user_get_request(&many) else {
            panic!("120 ids are one batch");
        };
        assert_eq!(batch.keys().collect::<Vec<_>>(), ["u0", "u1", "u2"]);
        let p = batch.to_params();
        assert_eq!(p["halt"], 0);
        let last: Vec<u64> = (101..=120).collect();
        let query = crate::domain::wire::query::encode_query(&json!({"FILTER": {"@ID": last}}))
            .expect("encodable");
        assert_eq!(p["cmd"]["u2"], json!(format!("user.get?{query}")));
    }
}
