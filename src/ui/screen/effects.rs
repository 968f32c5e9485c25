//! Runs the core's effects: requests through the REST client (answers go
//! back to the core as events), options and commands through the frame
//! client, the fragment and the marks through the browser adapters.

use std::rc::Rc;

use leptos::task::spawn_local;

use crate::domain::actions::flow::{ActEffect, ActEvent};
use crate::domain::actions::history_view::{HistoryEffect, HistoryEvent};
use crate::domain::export::flow::{ExportEffect, ExportEvent};
use crate::domain::methods::lookups::Templates;
use crate::domain::screen::{
    Effect, Event, LookupsAnswer, Mark, OverviewEvent, PageAnswer, PageAsk, Slot, TemplatesPart,
};
use crate::domain::table::first_screen::FirstScreen;
use crate::domain::table::requests::PageRequest;
use crate::domain::wire::errors::{ParseError, RestError};
use crate::portal::FrameClient;
use crate::rest::lookups::{
    get_users, load_templates, lowercase, more_templates, rest_of_templates,
};
use crate::rest::signals::count_signals;
use crate::rest::RestClient;
use crate::ui::browser::clock::time_context;
use crate::ui::browser::{download, lease, marks, url};

use super::latest::Latest;
use super::ScreenHandle;

/// The I/O side of the screen.
pub struct Runner {
    /// The portal's REST API.
    pub rest: Rc<RestClient>,
    /// The parent portal page.
    pub frame: FrameClient,
    /// The fetching parts' tasks.
    latest: Latest,
}

impl Runner {
    /// A runner talking through `rest` and `frame`.
    pub fn new(rest: Rc<RestClient>, frame: FrameClient) -> Runner {
        Runner {
            rest,
            frame,
            latest: Latest::default(),
        }
    }

    /// Runs `effects` in order; answers reach `screen` as events.
    pub fn run(&self, screen: ScreenHandle, effects: Vec<Effect>) {
        for effect in effects {
            self.run_one(screen, effect);
        }
    }

    fn run_one(&self, screen: ScreenHandle, effect: Effect) {
        let rest = Rc::clone(&self.rest);
        match effect {
            Effect::FetchPage { ticket, ask } => self.latest.spawn(ticket.slot, async move {
                let result = fetch(&rest, &ask, screen).await;
                let at = time_context();
                screen.dispatch(Event::PageAnswered { ticket, result, at });
            }),
            Effect::Prefetch { ticket, ask } => self.latest.spawn(ticket.slot, async move {
                let result = fetch(&rest, &ask, screen).await;
                let at = time_context();
                screen.dispatch(Event::Prefetched { ticket, result, at });
            }),
            Effect::CountSignals { ticket, request } => {
                self.latest.spawn(ticket.slot, async move {
                    let result = count_signals(&rest, &request).await;
                    screen.dispatch(Event::CountsAnswered { ticket, result });
                })
            }
            Effect::Abort(slot) => self.latest.abort(slot),
            Effect::AskUsers(asked) => spawn_local(async move {
                let result = get_users(&rest, &asked).await;
                screen.dispatch(Event::UsersAnswered { asked, result });
            }),
            Effect::LoadTemplates => spawn_local(async move {
                let result = load_templates(&rest).await;
                screen.dispatch(Event::TemplatesAnswered(result));
            }),
            // The plan sizes the client's bucket; until it is known (and
            // if it never is) the safe 2/s, 50 applies.
            Effect::DetectPlan => spawn_local(async move {
                let _ = rest.detect_plan().await;
            }),
            Effect::SaveOption { option, value } => {
                // Kept per user by the portal; a refused save costs
                // nothing visible.
                let _ = self.frame.set_user_option(option, &value);
            }
            Effect::SetFragment(fragment) => url::write_fragment(&fragment),
            Effect::CancelWaiting => self.rest.limiter().cancel_waiting(),
            Effect::Act(act) => self.act(screen, act),
            Effect::Export(effect) => match effect {
                // Read like a page: retried as reads are, never aborted
                // (Cancel only stops what follows).
                ExportEffect::Fetch { seq, request } => spawn_local(async move {
                    let result = rest.batch(&request).await;
                    screen.export(ExportEvent::Answered { seq, result });
                }),
                ExportEffect::Begin => download::begin_parts(),
                ExportEffect::Write(part) => download::append_part(&part),
                ExportEffect::Save { name, mime } => {
                    download::save_parts(&name, &mime);
                    marks::mark_now(marks::EXPORTED);
                }
                ExportEffect::Discard => download::discard_parts(),
            },
            Effect::Overview(fetch) => spawn_local(async move {
                let result = rest.batch(&fetch.request.batch).await;
                let event = OverviewEvent::Answered {
                    seq: fetch.seq,
                    part: fetch.request.part,
                    result,
                };
                let at = time_context();
                screen.dispatch(Event::Overview { event, at });
                if screen.read(|s| s.overview().is_done()) {
                    marks::mark_now(marks::OVERVIEW);
                }
            }),
            Effect::Waiting(fetch) => spawn_local(async move {
                let result = rest.batch(&fetch.request.batch).await;
                let seq = fetch.seq;
                screen.dispatch(Event::WaitingAnswered { seq, result });
            }),
            Effect::History(HistoryEffect::Read { seq, request }) => {
                let rest = Rc::clone(&self.rest);
                spawn_local(async move {
                    let result = rest.batch(&request).await;
                    screen.dispatch(Event::History(HistoryEvent::Read { seq, result }));
                });
            }
            Effect::History(HistoryEffect::Download { name, content }) => {
                download::offer(&name, "text/csv;charset=utf-8", &content);
            }
            Effect::Mark(mark) => match mark {
                Mark::RowsData => marks::mark_now(marks::ROWS_DATA),
                Mark::Rows => marks::mark_after_paint(marks::ROWS),
                Mark::FirstRows => marks::mark_after_paint(marks::FIRST_ROWS),
                Mark::Named => marks::mark_after_paint(marks::NAMED),
                Mark::Waiting => marks::mark_after_paint(marks::WAITING),
            },
        }
    }
}

impl Runner {
    fn act(&self, screen: ScreenHandle, effect: ActEffect) {
        let rest = Rc::clone(&self.rest);
        match effect {
            ActEffect::Resolve { seq, request } => self.latest.spawn(Slot::Resolve, async move {
                let result = rest.batch(&request).await;
                screen.act(ActEvent::Resolved { seq, result });
            }),
            ActEffect::AbortResolve => self.latest.abort(Slot::Resolve),
            // Never aborted: once sent, its answer is what the run needs.
            ActEffect::Send { seq, request } => spawn_local(async move {
                lease::renew();
                let result = rest.act(&request).await;
                screen.act(ActEvent::Sent { seq, result });
            }),
            // Safe to repeat: retried as reads are (a 500 included).
            ActEffect::Repeatable { seq, request } => spawn_local(async move {
                lease::renew();
                let result = rest.batch(&request).await;
                screen.act(ActEvent::Sent { seq, result });
            }),
            ActEffect::Download { name, content } => {
                download::offer(&name, "text/csv;charset=utf-8", &content);
            }
            // The core turns it into a reload of its own.
            ActEffect::Refresh => {}
            ActEffect::Claim => spawn_local(async move {
                screen.act(ActEvent::Claimed(lease::claim()));
            }),
            ActEffect::Release => lease::release(),
            ActEffect::ReadLeft { seq, request } => spawn_local(async move {
                let result = rest.batch(&request).await;
                screen.act(ActEvent::LeftRead { seq, result });
            }),
            // Closing a run left behind: a failure leaves it marked
            // running, and the next open offers it again.
            ActEffect::Write(request) => spawn_local(async move {
                let _ = rest.act(&request).await;
            }),
        }
    }
}

/// A page as the core asked for it. A first screen's batch also sets the
/// client's plan and brings the first page of templates; the rest of the
/// templates, if any, load after the rows and reach `screen` on their own.
async fn fetch(
    rest: &Rc<RestClient>,
    ask: &PageAsk,
    screen: ScreenHandle,
) -> Result<PageAnswer, RestError> {
    let (page, people, settled, lookups) = match ask {
        PageAsk::WithPeople(both) => {
            let (page, people, settled) = rest.fetch_page_with_people(both).await?;
            (page, people, settled, None)
        }
        PageAsk::Plain(request) => (
            rest.fetch_page(request).await?,
            Vec::new(),
            Vec::new(),
            None,
        ),
        PageAsk::First(first) => {
            let PageRequest::Batch { request, .. } = &first.page.page else {
                return Err(RestError::BadResponse(ParseError::MissingResult));
            };
            let answer = rest.batch(request).await?;
            let page = first.page.page.read_batch(&answer)?;
            let people = first.page.read_people(&answer);
            let settled = first.page.settled_people(&answer);
            let plan = FirstScreen::read_plan(&answer);
            if let Some(plan) = plan {
                rest.limiter().set_plan(plan);
            }
            let templates = match FirstScreen::read_templates(&answer) {
                None => TemplatesPart::Missing,
                Some(Err(e)) => TemplatesPart::Loaded(Err(e)),
                Some(Ok(part)) if more_templates(part.total) => {
                    let rest = Rc::clone(rest);
                    spawn_local(async move {
                        let all = rest_of_templates(&rest, part.templates, part.total).await;
                        screen.dispatch(Event::TemplatesAnswered(all));
                    });
                    TemplatesPart::Loading
                }
                Some(Ok(part)) => {
                    TemplatesPart::Loaded(Ok(Templates::sorted_with(part.templates, lowercase)))
                }
            };
            let lookups = LookupsAnswer {
                plan: plan.is_some(),
                templates,
                me: FirstScreen::read_me(&answer),
                history: FirstScreen::read_history(&answer),
            };
            (page, people, settled, Some(lookups))
        }
    };
    Ok(PageAnswer {
        page,
        people,
        settled,
        lookups,
    })
}
