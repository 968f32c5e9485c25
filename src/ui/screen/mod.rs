//! The shell of the screen core (`domain::screen`): the [`Screen`] in one
//! signal, events dispatched to it, its effects run (`effects`), each
//! fetching part through one "latest wins" runner (`latest`). Components
//! read slices of the screen and dispatch events; nothing else.

mod effects;
mod latest;
mod timers;

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::actions::flow::ActEvent;
use crate::domain::export::flow::ExportEvent;
use crate::domain::screen::{Event, Screen, ViewEdit};
use crate::domain::table::view::ViewState;
use crate::portal::FrameClient;
use crate::rest::RestClient;
use crate::ui::browser::clock::time_context;

use effects::Runner;

/// The screen, for components: cheap to copy into every handler.
#[derive(Clone, Copy)]
pub struct ScreenHandle {
    state: RwSignal<Screen>,
    runner: StoredValue<Rc<Runner>, LocalStorage>,
    /// The view the admin asked for (tracked).
    pub view: Memo<ViewState>,
}

impl ScreenHandle {
    /// Holds `screen`, subscribes to the client's busy state and starts
    /// the screen (its first page, names, plan and counts).
    pub fn start(screen: Screen, rest: Rc<RestClient>, frame: FrameClient) -> ScreenHandle {
        let state = RwSignal::new(screen);
        let handle = ScreenHandle {
            state,
            runner: StoredValue::new_local(Rc::new(Runner::new(Rc::clone(&rest), frame))),
            view: Memo::new(move |_| state.with(|s| s.view().clone())),
        };
        rest.limiter()
            .subscribe(move |busy| handle.dispatch(Event::Busy(busy)));
        handle.dispatch(Event::Start { at: time_context() });
        timers::run(handle);
        handle
    }

    /// Applies `event` and runs what it asks for.
    pub fn dispatch(self, event: Event) {
        // A screen already gone takes no more answers.
        let Some(effects) = self.state.try_update(|s| s.update(event)) else {
            return;
        };
        if effects.is_empty() {
            return;
        }
        if let Some(runner) = self.runner.try_get_value() {
            runner.run(self, effects);
        }
    }

    /// The admin changed the view, now.
    pub fn edit(self, edit: ViewEdit) {
        self.dispatch(Event::Edit {
            edit,
            at: time_context(),
        });
    }

    /// A step of acting on the selection, now.
    pub fn act(self, event: ActEvent) {
        self.dispatch(Event::Act {
            event,
            at: time_context(),
        });
    }

    /// A step of the export, now.
    pub fn export(self, event: ExportEvent) {
        self.dispatch(Event::Export {
            event,
            at: time_context(),
        });
    }

    /// Reads the screen (tracked: the reader runs again on every change of
    /// the screen). For a small value whose reader is cheap and harmless
    /// to run again, such as an attribute; a slice costs more code.
    pub fn read<T>(self, f: impl FnOnce(&Screen) -> T) -> T {
        self.state.with(f)
    }

    /// Reads the screen without subscribing to it.
    pub fn read_untracked<T>(self, f: impl FnOnce(&Screen) -> T) -> T {
        self.state.with_untracked(f)
    }

    /// A slice of the screen that notifies only when it changes.
    pub fn slice<T>(self, f: impl Fn(&Screen) -> T + Send + Sync + 'static) -> Memo<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let state = self.state;
        Memo::new(move |_| state.with(&f))
    }
}
