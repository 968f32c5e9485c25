//! The lookups behind the filter pickers: every workflow template (once),
//! users by name, users by id. What to send and how to read it is in
//! `domain::methods::lookups`.

use crate::domain::methods::instances::UserId;
use crate::domain::methods::lookups::{
    parse_templates, parse_users, template_list_params, template_rest_batches, user_get_request,
    user_search_params, TemplateInfo, Templates, UserGet, UserInfo, TEMPLATE_LIST_METHOD,
    USER_GET_METHOD, USER_SEARCH_METHOD,
};
use crate::domain::wire::errors::{ParseError, RestError};

use super::RestClient;

/// Every template the portal lists: the first page, then one batch of the
/// remaining offsets (two past 2,550 templates). Any failed page fails the
/// whole list, so the picker never offers a silently partial one.
pub async fn load_templates(rest: &RestClient) -> Result<Templates, RestError> {
    let first = rest
        .call(TEMPLATE_LIST_METHOD, template_list_params(0))
        .await?;
    let all = parse_templates(&first)?;
    rest_of_templates(rest, all, first.total.unwrap_or(0)).await
}

/// Whether templates past the first page remain to be loaded.
pub fn more_templates(total: u64) -> bool {
    !template_rest_batches(total).is_empty()
}

/// Every template, given the first page's `first` of `total`: one batch of
/// the remaining offsets (none for 50 or fewer).
pub async fn rest_of_templates(
    rest: &RestClient,
    mut all: Vec<TemplateInfo>,
    total: u64,
) -> Result<Templates, RestError> {
    for batch in template_rest_batches(total) {
        let answer = rest.batch(&batch).await?;
        for key in batch.keys() {
            match answer.get(key) {
                Some(Ok(raw)) => all.extend(parse_templates(raw)?),
                Some(Err(e)) => return Err(e.clone()),
                None => return Err(RestError::BadResponse(ParseError::MissingResult)),
            }
        }
    }
    Ok(Templates::sorted_with(all, lowercase))
}

/// `text` in lower case, as `str::to_lowercase` gives it: Unicode's full,
/// locale-independent mapping, final sigma included. That is also what the
/// browser's `String.prototype.toLowerCase` applies, and in the browser it
/// is the browser's, so that the app does not carry Rust's copy of the
/// Unicode case tables (some 7 KB of compressed wasm). `tests/lowercase.rs`
/// checks in a browser that the two agree on every character.
pub fn lowercase(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// The first page of users whose name (or position, department) starts
/// with `find`; none for blank text, without a request.
pub async fn search_users(rest: &RestClient, find: &str) -> Result<Vec<UserInfo>, RestError> {
    let Some(params) = user_search_params(find) else {
        return Ok(Vec::new());
    };
    let raw = rest.call(USER_SEARCH_METHOD, params).await?;
    Ok(parse_users(&raw)?)
}

/// The users with these ids that the portal still returns, in ONE
/// request: a `user.get` with `@ID`, or for more than 50 ids one `batch`
/// of them (see `domain::methods::lookups::user_get_request`). Any failed part
/// fails the whole answer, so no id is taken for gone by mistake.
pub async fn get_users(rest: &RestClient, ids: &[UserId]) -> Result<Vec<UserInfo>, RestError> {
    match user_get_request(ids) {
        UserGet::Nothing => Ok(Vec::new()),
        UserGet::Call(params) => Ok(parse_users(&rest.call(USER_GET_METHOD, params).await?)?),
        UserGet::Batch(batch) => {
            let answer = rest.batch(&batch).await?;
            let mut all = Vec::new();
            for key in batch.keys() {
                match answer.get(key) {
                    Some(Ok(raw)) => all.extend(parse_users(raw)?),
                    Some(Err(e)) => return Err(e.clone()),
                    None => return Err(RestError::BadResponse(ParseError::MissingResult)),
                }
            }
            Ok(all)
        }
    }
}
