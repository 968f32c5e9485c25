//! The first screen: page 1 of the running workflows, newest first.

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::errors::RestError;
use crate::domain::paging::group_thousands;
use crate::domain::session::Session;
use crate::domain::workflows::{Field, InstancesQuery, SortDir};
use crate::portal::FrameClient;
use crate::rest::RestClient;
use crate::ui::frame_auth::FrameAuth;
use crate::ui::marks;
use crate::ui::states::{Failure, Loading};
use crate::ui::workflows_table::WorkflowsTable;

/// The order of the first screen: newest first, ID breaking ties so that
/// paging is stable.
fn first_screen_query() -> InstancesQuery {
    InstancesQuery {
        order: vec![(Field::Started, SortDir::Desc), (Field::Id, SortDir::Desc)],
        start: 0,
        ..InstancesQuery::default()
    }
}

/// The headline and explanation an administrator gets for an error.
fn explain(err: &RestError) -> (String, String) {
    match err {
        RestError::AccessDenied { .. } => (
            "Only portal administrators can view running workflows".to_owned(),
            "Bitrix24 lets only portal administrators list running workflows. Ask an administrator of your portal to open Workflow Monitor, or to make you an administrator.".to_owned(),
        ),
        RestError::MethodNotFound { .. } => (
            "Workflows are not available on this portal's plan".to_owned(),
            "Your Bitrix24 plan does not include business processes, so there are no workflows to show. They are available on the plans that include automation and business processes.".to_owned(),
        ),
        other => ("Could not load the running workflows".to_owned(), other.to_string()),
    }
}

/// Page 1 of the running workflows, with the total.
#[component]
pub fn WorkflowsPage(client: FrameClient, session: Session) -> impl IntoView {
    let rest = Rc::new(RestClient::new(
        session.portal.clone(),
        Rc::new(FrameAuth::new(client)),
    ));
    let page = LocalResource::new(move || {
        let rest = Rc::clone(&rest);
        async move { rest.list_workflows(&first_screen_query()).await }
    });
    let refresh = move |_| page.refetch();
    view! {
        <main class="wm-page">
            <div class="wm-toolbar">
                <h1 class="wm-toolbar__title">"Running workflows"</h1>
                <button class="wm-button" type="button" on:click=refresh>
                    "Refresh"
                </button>
            </div>
            <Transition fallback=|| view! { <Loading what="running workflows"/> }>
                {move || {
                    page.get()
                        .map(|result| match result {
                            Ok(page) if page.rows.is_empty() => {
                                view! {
                                    <section class="wm-state wm-state--empty">
                                        <h2 class="wm-state__title">"No running workflows"</h2>
                                        <p class="wm-state__text">
                                            "Nothing is running in this portal right now. Workflows appear here as soon as they start."
                                        </p>
                                    </section>
                                }
                                    .into_any()
                            }
                            Ok(page) => {
                                let total = page.total;
                                marks::mark_after_paint(marks::FIRST_ROWS);
                                view! {
                                    <p class="wm-summary" aria-live="polite">
                                        {format!(
                                            "{} running workflow{}",
                                            group_thousands(total),
                                            if total == 1 { "" } else { "s" },
                                        )}
                                    </p>
                                    <WorkflowsTable rows=page.rows/>
                                }
                                    .into_any()
                            }
                            Err(err) => {
                                let (title, message) = explain(&err);
                                view! { <Failure title=title message=message/> }.into_any()
                            }
                        })
                }}
            </Transition>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_screen_is_newest_first_with_id_as_tie_breaker() {
        let q = first_screen_query();
        assert_eq!(
            q.order,
            vec![(Field::Started, SortDir::Desc), (Field::Id, SortDir::Desc)]
        );
        assert_eq!(q.start, 0);
    }
}
