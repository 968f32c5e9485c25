//! What the app should show: the emulator's own answer to a direct REST
//! query (rows, templates, users), asked past the app.

use serde_json::{json, Map, Value};

use super::rest_log::{text_of, LIST_METHOD, TEMPLATE_LIST_METHOD, USER_GET_METHOD};
use crate::{Harness, HarnessError, Result};

/// One page of the emulator's own answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// Row IDs, in order.
    pub ids: Vec<String>,
    /// `total`.
    pub total: u64,
}

/// Asks the emulator directly (not through the app) for the IDs of `rows`
/// rows from `start` in `order` (`[("MODIFIED","DESC"),…]`) under
/// `filter`, 50 per call as the method pages.
pub async fn emulator_rows(
    h: &Harness,
    order: &[(&str, &str)],
    filter: Value,
    start: u64,
    rows: u64,
) -> Result<Expected> {
    let mut order_map = Map::new();
    for (k, v) in order {
        order_map.insert((*k).to_owned(), json!(v));
    }
    let mut out = Expected {
        ids: Vec::new(),
        total: 0,
    };
    let mut at = start;
    while at < start + rows {
        let answer = emulator_call(
            h,
            LIST_METHOD,
            json!({
                "select": ["ID"],
                "order": order_map,
                "filter": filter,
                "start": at,
            }),
        )
        .await?;
        let Some(result) = answer["result"].as_array() else {
            return Err(HarnessError::Unexpected(format!(
                "the emulator's own answer: {answer}"
            )));
        };
        out.total = answer["total"].as_u64().unwrap_or(0);
        for row in result {
            if (out.ids.len() as u64) < rows {
                out.ids.push(text_of(&row["ID"]));
            }
        }
        if answer.get("next").is_none() || result.is_empty() {
            break;
        }
        at += 50;
    }
    Ok(out)
}

/// Asks the emulator directly for `method` with `params` (auth added). The
/// request is marked as the test's own ([`portal_emulator::rest::ORACLE_HEADER`]):
/// no latency, injected fault, bucket or operating budget applies to it or
/// is changed by it, so checking the app never alters what the app meets.
pub async fn emulator_call(h: &Harness, method: &str, params: Value) -> Result<Value> {
    let token = h.control.post("/_emulator/token", &json!({})).await?;
    let mut body = params.as_object().cloned().unwrap_or_default();
    body.insert("auth".into(), token["access_token"].clone());
    Ok(reqwest::Client::new()
        .post(format!("{}/rest/{method}.json", h.emulator.portal_url()))
        .header(portal_emulator::rest::ORACLE_HEADER, "1")
        .json(&Value::Object(body))
        .send()
        .await?
        .json()
        .await?)
}

/// The rows of one page as the emulator itself lists them, with every
/// field, 50 from `start` in `order` under `filter`.
pub async fn emulator_full_rows(
    h: &Harness,
    order: &[(&str, &str)],
    filter: Value,
    start: u64,
) -> Result<Vec<Map<String, Value>>> {
    let mut order_map = Map::new();
    for (k, v) in order {
        order_map.insert((*k).to_owned(), json!(v));
    }
    let answer = emulator_call(
        h,
        LIST_METHOD,
        json!({
            "select": ["ID", "MODULE_ID", "ENTITY", "DOCUMENT_ID", "STARTED_BY", "TEMPLATE_ID"],
            "order": order_map,
            "filter": filter,
            "start": start,
        }),
    )
    .await?;
    let Some(rows) = answer["result"].as_array() else {
        return Err(HarnessError::Unexpected(format!(
            "the emulator's own answer: {answer}"
        )));
    };
    Ok(rows.iter().filter_map(|r| r.as_object().cloned()).collect())
}

/// Every template `template.list` returns, as `(ID, NAME)` (all pages).
pub async fn emulator_templates(h: &Harness) -> Result<Vec<(u64, String)>> {
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let page = emulator_call(
            h,
            TEMPLATE_LIST_METHOD,
            json!({"select": ["ID", "NAME"], "start": start}),
        )
        .await?;
        for t in page["result"].as_array().into_iter().flatten() {
            if let Ok(id) = text_of(&t["ID"]).parse() {
                out.push((id, text_of(&t["NAME"])));
            }
        }
        match page["next"].as_u64() {
            Some(next) if next > start => start = next,
            _ => return Ok(out),
        }
    }
}

/// The users `user.get` returns for `ids`, as `(ID, "NAME SECOND_NAME
/// LAST_NAME")` with empty parts left out.
pub async fn emulator_users(h: &Harness, ids: &[u64]) -> Result<Vec<(u64, String)>> {
    let answer = emulator_call(h, USER_GET_METHOD, json!({"FILTER": {"@ID": ids}})).await?;
    Ok(answer["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| {
            let id = text_of(&u["ID"]).parse().ok()?;
            let name = ["NAME", "SECOND_NAME", "LAST_NAME"]
                .iter()
                .map(|k| text_of(&u[*k]).trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            Some((id, name))
        })
        .collect())
}
