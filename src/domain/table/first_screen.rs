//! The first screen's one request: its rows and their people (a
//! [`PageWithPeople`]), and in the same `batch` the session's two lookups,
//! the plan (`app.info`, which sizes the client's bucket) and the first
//! page of templates (`bizproc.workflow.template.list`), and who the admin
//! is (`profile`). Three requests
//! before the first row become one: the portal's bucket is charged once.
//!
//! The lookups come after the page's commands, so that `halt` (the page
//! is all or nothing) never lets a failed lookup cost the rows; the plan
//! comes before the templates, which are the likelier to fail. A lookup
//! that did not run or failed is asked on its own afterwards.

use serde_json::{json, Value};

use crate::domain::actions::history::read::{runs_command, Page};
use crate::domain::actions::history::storage::Availability;
use crate::domain::methods::limits::{Plan, APP_INFO_METHOD};
use crate::domain::methods::lookups::{
    parse_templates, parse_users, template_list_params, TemplateInfo, UserInfo,
    TEMPLATE_LIST_METHOD,
};
use crate::domain::wire::batch::{BatchCommand, BatchResponse, CommandKey};
use crate::domain::wire::errors::{RawResponse, RestError};

use super::requests::{PageRequest, PageWithPeople};

/// The key of the `app.info` command.
pub const PLAN_KEY: &str = "plan";
/// The key of the `profile` command (who the admin is: the journal's
/// "who" and the stop's default status text).
pub const ME_KEY: &str = "me";
/// The key of the history's read (the runs still marked running): it
/// tells whether history can be kept, and what a closed frame left.
pub const HISTORY_KEY: &str = "hist";

/// The key of the first `template.list` command.
pub const TEMPLATES_KEY: &str = "templates";

/// The first page of templates as the batch answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstTemplates {
    /// The templates of the first page.
    pub templates: Vec<TemplateInfo>,
    /// How many there are in all (more pages to load past 50).
    pub total: u64,
}

/// A page, its people and the lookups, in one `batch`.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstScreen {
    /// The page and its people; its batch also holds the lookups.
    pub page: PageWithPeople,
}

impl FirstScreen {
    /// `page` with the plan and the first templates page appended; `None`
    /// when the batch would not hold them (the lookups then go alone).
    pub fn new(page: &PageWithPeople) -> Option<FirstScreen> {
        let PageRequest::Batch { request, parts } = &page.page else {
            return None;
        };
        let lookups = vec![
            BatchCommand {
                key: CommandKey::new(PLAN_KEY).ok()?,
                method: APP_INFO_METHOD.to_owned(),
                params: json!({}),
            },
            BatchCommand {
                key: CommandKey::new(ME_KEY).ok()?,
                method: "profile".to_owned(),
                params: json!({}),
            },
            BatchCommand {
                key: CommandKey::new(TEMPLATES_KEY).ok()?,
                method: TEMPLATE_LIST_METHOD.to_owned(),
                params: template_list_params(0),
            },
            // Last: an app installed without the `entity` scope fails it,
            // and nothing comes after it for `halt` to skip.
            // All recent runs, not only those marked running: a header
            // written twice (a retried write) is closed in one copy only.
            runs_command(CommandKey::new(HISTORY_KEY).ok()?, 0, false),
        ];
        Some(FirstScreen {
            page: PageWithPeople {
                page: PageRequest::Batch {
                    request: request.extended(lookups).ok()?,
                    parts: parts.clone(),
                },
                people: page.people.clone(),
                referenced: page.referenced.clone(),
            },
        })
    }

    /// The admin, when `profile` ran and answered with an ID.
    pub fn read_me(answer: &BatchResponse) -> Option<UserInfo> {
        let Some(Ok(raw)) = answer.get(ME_KEY) else {
            return None;
        };
        let one = RawResponse {
            result: Value::Array(vec![raw.result.clone()]),
            total: None,
            next: None,
            time: None,
        };
        parse_users(&one).ok()?.into_iter().next()
    }

    /// Whether history can be kept and the runs still marked running,
    /// when the history's read ran.
    pub fn read_history(answer: &BatchResponse) -> Option<(Availability, Page)> {
        let outcome = answer.get(HISTORY_KEY)?;
        let availability = Availability::of(&outcome.clone());
        let page = match outcome {
            Ok(raw) => Page::read(raw),
            Err(_) => Page::default(),
        };
        Some((availability, page))
    }

    /// The plan, when `app.info` ran and answered.
    pub fn read_plan(answer: &BatchResponse) -> Option<Plan> {
        match answer.get(PLAN_KEY) {
            Some(Ok(raw)) => Some(Plan::from_app_info(&raw.result)),
            _ => None,
        }
    }

    /// The first page of templates: `None` when the command did not run
    /// (`halt` after a failure before it), else its answer or its error.
    pub fn read_templates(answer: &BatchResponse) -> Option<Result<FirstTemplates, RestError>> {
        let outcome = answer.get(TEMPLATES_KEY)?;
        Some(match outcome {
            Ok(raw) => parse_templates(raw)
                .map(|templates| FirstTemplates {
                    total: raw.total.unwrap_or(templates.len() as u64),
                    templates,
                })
                .map_err(RestError::from),
            Err(e) => Err(e.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::domain::table::view::ViewState;
    use crate::domain::time::TimeContext;
    use crate::domain::wire::errors::RawResponse;

    fn first() -> FirstScreen {
        let ctx = TimeContext {
            now: 1_800_000_000,
            offset_minutes: 0,
        };
        let page = ViewState::default().request(ctx, None);
        let Some(both) = page.with_people(None) else {
            panic!("a page with people");
        };
        let Some(first) = FirstScreen::new(&both) else {
            panic!("room for the lookups");
        };
        first
    }

    fn keys(first: &FirstScreen) -> Vec<String> {
        let PageRequest::Batch { request, .. } = &first.page.page else {
            panic!("a batch");
        };
        request.keys().map(str::to_owned).collect()
    }

    fn answer(result: Value) -> BatchResponse {
        let raw = RawResponse {
            result,
            total: None,
            next: None,
            time: None,
        };
        let Ok(answer) = BatchResponse::from_raw(&raw) else {
            panic!("a batch answer");
        };
        answer
    }

    #[test]
    fn the_lookups_follow_the_rows_and_their_people_plan_first() {
        assert_eq!(
            keys(&first()),
            ["s0", "people_s0", "plan", "me", "templates", "hist"]
        );
        let PageRequest::Batch { request, .. } = &first().page.page else {
            panic!("a batch");
        };
        let params = request.to_params();
        assert_eq!(params["cmd"]["plan"], json!("app.info"));
        let templates = params["cmd"]["templates"].as_str().unwrap_or_default();
        assert!(
            templates.starts_with("bizproc.workflow.template.list?"),
            "{templates}"
        );
    }

    #[test]
    fn the_answer_gives_the_plan_and_the_first_templates() {
        let answer = answer(json!({
            "result": {
                "plan": {"LICENSE": "de_ent250"},
                "me": {"ID": "7", "ADMIN": true, "NAME": "Ann", "LAST_NAME": "Lee"},
                "templates": [{"ID": "3", "NAME": "Approval"}]
            },
            "result_total": {"templates": 120}
        }));
        assert_eq!(FirstScreen::read_plan(&answer), Some(Plan::Enterprise));
        assert_eq!(
            FirstScreen::read_me(&answer).map(|u| (u.id.0, u.name)),
            Some((7, "Ann Lee".to_owned()))
        );
        let Some(Ok(first)) = FirstScreen::read_templates(&answer) else {
            panic!("templates read");
        };
        assert_eq!(first.total, 120);
        assert_eq!(first.templates.len(), 1);
    }

    #[test]
    fn a_lookup_that_did_not_run_is_none_and_one_that_failed_its_error() {
        let halted = answer(json!({"result": {"s0": []}}));
        assert_eq!(FirstScreen::read_plan(&halted), None);
        assert_eq!(FirstScreen::read_me(&halted), None);
        assert_eq!(FirstScreen::read_templates(&halted), None);
        let failed = answer(json!({
            "result": {"plan": {"LICENSE": "ru_pro"}},
            "result_error": {"templates": {"error": "ACCESS_DENIED", "error_description": "no"}}
        }));
        assert_eq!(FirstScreen::read_plan(&failed), Some(Plan::Standard));
        assert!(matches!(FirstScreen::read_templates(&failed), Some(Err(_))));
    }
}
