//! "Latest wins", the one way a fetching part of the screen runs its
//! requests: a new task in a slot aborts the one before, so a superseded
//! request stops (and its answer, were it to come, is dropped by the
//! core, whose ticket for the slot has moved on).

use std::cell::RefCell;
use std::future::Future;

use futures::future::{AbortHandle, Abortable};
use leptos::task::spawn_local;

use crate::domain::screen::Slot;

/// The task under way in each slot, by [`Slot::index`] (a fixed array:
/// three slots need no map, and a map here cost the wasm a hash table).
#[derive(Default)]
pub struct Latest {
    running: RefCell<[Option<AbortHandle>; Slot::COUNT]>,
}

impl Latest {
    /// Runs `task` in `slot`, aborting the slot's previous task.
    pub fn spawn(&self, slot: Slot, task: impl Future<Output = ()> + 'static) {
        let (handle, registration) = AbortHandle::new_pair();
        if let Some(old) = self.running.borrow_mut()[slot.index()].replace(handle) {
            old.abort();
        }
        spawn_local(async move {
            // An aborted task simply ends.
            let _ = Abortable::new(task, registration).await;
        });
    }

    /// Aborts the task under way in `slot`, if any.
    pub fn abort(&self, slot: Slot) {
        if let Some(old) = self.running.borrow_mut()[slot.index()].take() {
            old.abort();
        }
    }
}
