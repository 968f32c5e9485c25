//! Paging controls: where the admin is, first / previous / next / last,
//! jump to a page, and rows per page.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::domain::i18n::fill;
use crate::domain::screen::{Screen, ViewEdit};
use crate::domain::table::paging::{last_page, parse_page_input, PageSize};
use crate::domain::table::view::PageTarget;
use crate::ui::i18n::lang;
use crate::ui::screen::ScreenHandle;

/// The pager under the table.
#[component]
pub fn Pager(
    /// The screen: its view's page and page size, the list's total.
    screen: ScreenHandle,
) -> impl IntoView {
    let view = screen.view;
    let lang = lang();
    // "Showing 51–100 of 2,345" for the page shown.
    let showing = move || {
        screen.read(|s| {
            s.shown().map_or_else(String::new, |s| {
                s.view.showing(s.page.rows.len(), s.page.total).text(lang)
            })
        })
    };
    let page = move || view.with(|v| v.page());
    let last = move || view.with(|v| last_page(screen.read(Screen::total), v.page_size()));
    let go = move |target: PageTarget| screen.edit(ViewEdit::GoTo(target));
    let t = lang.texts();
    let (jump_error, set_jump_error) = signal(None::<&'static str>);
    let jump = NodeRef::<leptos::html::Input>::new();
    let on_jump = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(input) = jump.get() else { return };
        match parse_page_input(&input.value(), last()) {
            Ok(n) => {
                set_jump_error.set(None);
                go(PageTarget::Number(n));
            }
            Err(_) => set_jump_error.set(Some(t.enter_page_number)),
        }
    };
    let on_size = move |ev| {
        if let Some(size) = PageSize::parse(&event_target_value(&ev)) {
            screen.edit(ViewEdit::SetPageSize(size));
        }
    };
    view! {
        <nav class="wm-pager" aria-label=t.pages>
            <p class="wm-pager__showing" aria-live="polite">{showing}</p>
            <div class="wm-pager__buttons">
                <button type="button" class="wm-button wm-pager__button" aria-label=t.first_page
                    disabled=move || page() <= 1 on:click=move |_| go(PageTarget::First)>"«"</button>
                <button type="button" class="wm-button wm-pager__button" aria-label=t.previous_page
                    disabled=move || page() <= 1 on:click=move |_| go(PageTarget::Previous)>"‹"</button>
                <span class="wm-pager__page">{move || fill(t.page_of, &[("page", &lang.number(page())), ("last", &lang.number(last()))])}</span>
                <button type="button" class="wm-button wm-pager__button" aria-label=t.next_page
                    disabled=move || { page() >= last() } on:click=move |_| go(PageTarget::Next)>"›"</button>
                <button type="button" class="wm-button wm-pager__button" aria-label=t.last_page
                    disabled=move || { page() >= last() } on:click=move |_| go(PageTarget::Last)>"»"</button>
            </div>
            <form class="wm-pager__jump" on:submit=on_jump>
                <label class="wm-pager__label">
                    {t.go_to_page}
                    <input node_ref=jump type="number" min="1" class="wm-input wm-pager__input"
                        prop:max=move || last().to_string() />
                </label>
                <button type="submit" class="wm-button">{t.go}</button>
                {move || jump_error.get().map(|e| view! { <span class="wm-pager__error" role="alert">{e}</span> })}
            </form>
            <label class="wm-pager__label">
                {t.rows_per_page}
                <select class="wm-input" on:change=on_size
                    prop:value=move || view.with(|v| v.page_size().as_str().to_owned())>
                    {PageSize::ALL
                        .iter()
                        .map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}
