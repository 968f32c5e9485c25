//! The root: finds the portal, completes the handshake, and shows the
//! installer or the workflows.

use leptos::prelude::*;

use crate::domain::display::density::Density;
use crate::domain::display::theme::Theme;
use crate::domain::i18n::Lang;
use crate::domain::methods::session::Session;
use crate::portal::{FrameClient, FrameError};
use crate::ui::browser::marks;
use crate::ui::i18n::{browser_lang, lang, provide_lang, texts};
use crate::ui::installer::Installer;
use crate::ui::not_in_portal::NotInPortal;
use crate::ui::renewal_notice::RenewalNotice;
use crate::ui::states::{Failure, Loading};
use crate::ui::workflows_page::WorkflowsPage;

/// How booting ended.
#[derive(Clone)]
enum Boot {
    /// No Bitrix24 frame around the app.
    NotInPortal,
    /// The portal did not complete the handshake.
    Failed(FrameError),
    Ready(FrameClient, Box<Session>),
}

async fn boot() -> Boot {
    let client = match FrameClient::from_window() {
        Ok(client) => client,
        Err(FrameError::NotInFrame(_)) => return Boot::NotInPortal,
        Err(err) => return Boot::Failed(err),
    };
    match client.init().await {
        Ok(session) => {
            marks::mark_now(marks::HANDSHAKE);
            Boot::Ready(client, Box::new(session))
        }
        Err(err) => Boot::Failed(err),
    }
}

/// The app.
#[component]
pub fn App() -> impl IntoView {
    provide_lang(browser_lang());
    // The system's theme until the portal says what the admin chose.
    crate::ui::browser::theme::apply(Theme::Auto);
    crate::ui::browser::lease::release_on_leave();
    let booted = LocalResource::new(boot);
    view! {
        <div class="wm-app">
            <Suspense fallback=|| view! { <Loading text=texts().connecting/> }>
                {move || {
                    booted
                        .get()
                        .map(|boot| match boot {
                            Boot::NotInPortal => view! { <NotInPortal/> }.into_any(),
                            Boot::Failed(err) => {
                                view! {
                                    <Failure
                                        title=texts().could_not_connect.to_owned()
                                        message=err.message(lang())
                                    />
                                }
                                    .into_any()
                            }
                            Boot::Ready(client, session) => {
                                view! { <Connected client=client session=*session/> }.into_any()
                            }
                        })
                }}
            </Suspense>
        </div>
    }
}

/// Inside the portal, with a session: keeps the frame fitted to the
/// content and the token renewed ahead of its expiry.
#[component]
fn Connected(client: FrameClient, session: Session) -> impl IntoView {
    provide_lang(Lang::from_code(&session.lang));
    // The portal frame follows the content's height for as long as the app runs.
    let fit = client.keep_fitted();
    StoredValue::new_local(fit);
    // The token is renewed before it runs out; if the portal does not
    // renew it, the admin is told and offered a reload.
    let (renewal, set_renewal) = signal(None::<FrameError>);
    let fresh = client.keep_fresh(move |outcome| {
        set_renewal.try_set(outcome);
    });
    StoredValue::new_local(fresh);
    // The saved theme and density, before anything of the page is painted.
    crate::ui::browser::theme::apply(Theme::saved(&session.user_options));
    crate::ui::browser::density::apply(Density::saved(&session.user_options));
    let notice_client = client.clone();
    let page = if session.install {
        view! { <Installer client=client session=session/> }.into_any()
    } else {
        view! { <WorkflowsPage client=client session=session/> }.into_any()
    };
    view! {
        <RenewalNotice failure=renewal client=notice_client/>
        {page}
    }
}
