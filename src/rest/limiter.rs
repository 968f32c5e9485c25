//! The limiter every request goes through (fact sheet §3, §8.6): it waits
//! for a method's operating budget and for a slot in the mirrored leaky
//! bucket before each send, and for the backoff or pause before each retry.
//! The arithmetic is `domain::methods::limits`; this file only waits, through a
//! [`Clock`] that the browser implements with timers and native tests
//! implement instantly.
//!
//! Waits before a retry are observable ([`Limiter::subscribe`]) so that the
//! UI can say "Portal is busy, retrying in 3 s…", and cancellable
//! ([`Limiter::cancel_waiting`]); dropping a call's future (an aborted page
//! request) stops it wherever it waits.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable, FutureExt, LocalBoxFuture};

use crate::domain::methods::limits::{Busy, BusyReason, Limits, Plan, RetryPolicy, Verdict};
use crate::domain::wire::errors::{CallTime, RestError};

/// Time for the limiter: now, sleeping, and a random number for jitter.
pub trait Clock {
    /// Unix time in milliseconds.
    fn now_ms(&self) -> f64;
    /// Resolves after `ms` milliseconds; dropping it cancels the timer.
    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()>;
    /// A random number in `0..1`, for the backoff's jitter.
    fn jitter(&self) -> f64;
}

/// The browser's clock: `Date.now()`, `setTimeout`, `Math.random()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        gloo_timers::future::TimeoutFuture::new(ms).boxed_local()
    }

    fn jitter(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// A wait before a retry that the admin can see and cancel.
struct Waiting {
    id: u64,
    busy: Busy,
    abort: AbortHandle,
}

type Observer = Rc<dyn Fn(Option<Busy>)>;

/// The limits of one portal, shared by every call of one [`RestClient`](super::RestClient).
pub struct Limiter {
    clock: Rc<dyn Clock>,
    limits: RefCell<Limits>,
    waits: RefCell<Vec<Waiting>>,
    next_id: Cell<u64>,
    /// Bumped by [`Limiter::cancel_waiting`]: a call started before stops
    /// retrying even if it was sending, not waiting, at that moment.
    epoch: Cell<u64>,
    observers: RefCell<Vec<Observer>>,
}

impl Limiter {
    /// A limiter for a portal of unknown plan (the safe 2/s, 50).
    pub fn new(clock: Rc<dyn Clock>) -> Self {
        Limiter {
            clock,
            limits: RefCell::new(Limits::default()),
            waits: RefCell::default(),
            next_id: Cell::new(0),
            epoch: Cell::new(0),
            observers: RefCell::default(),
        }
    }

    /// Retries as `policy` says from now on.
    pub fn set_policy(&self, policy: RetryPolicy) {
        self.limits.borrow_mut().policy = policy;
    }

    /// Uses the bucket of `plan` from now on.
    pub fn set_plan(&self, plan: Plan) {
        self.limits.borrow_mut().set_plan(plan);
    }

    /// A copy of the current limits (for tests and diagnostics).
    pub fn limits(&self) -> Limits {
        self.limits.borrow().clone()
    }

    /// Now, by the limiter's clock.
    pub fn now_ms(&self) -> f64 {
        self.clock.now_ms()
    }

    /// The wait shown to the admin: the retry that comes soonest, if any
    /// call waits to retry.
    pub fn busy(&self) -> Option<Busy> {
        self.waits
            .borrow()
            .iter()
            .map(|w| w.busy)
            .min_by(|a, b| a.until_ms.total_cmp(&b.until_ms))
    }

    /// Calls `observer` with [`Limiter::busy`] whenever it changes.
    pub fn subscribe(&self, observer: impl Fn(Option<Busy>) + 'static) {
        self.observers.borrow_mut().push(Rc::new(observer));
    }

    fn notify(&self) {
        let busy = self.busy();
        let observers: Vec<Observer> = self.observers.borrow().clone();
        for observer in observers {
            observer(busy);
        }
    }

    /// Stops every call that waits to retry (they fail with
    /// [`RestError::Cancelled`]), and every call under way from retrying.
    pub fn cancel_waiting(&self) {
        self.epoch.set(self.epoch.get() + 1);
        let handles: Vec<AbortHandle> = self
            .waits
            .borrow()
            .iter()
            .map(|w| w.abort.clone())
            .collect();
        for handle in handles {
            handle.abort();
        }
    }

    /// The cancel generation a call starts in.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.get()
    }

    /// Waits until the budgets of `methods` allow a send: through a pause
    /// (shown as busy) or a quiet slow-down, once per send.
    pub(crate) async fn ready(&self, methods: &[&str], attempt: u32) -> Result<(), RestError> {
        let now = self.clock.now_ms();
        let wait = self
            .limits
            .borrow()
            .pause_before(methods.iter().copied(), now);
        match wait {
            Some(w) if w.ms > 0 && w.paused => {
                self.wait_busy(w.ms, BusyReason::Paused, attempt).await
            }
            Some(w) if w.ms > 0 => {
                self.clock.sleep(w.ms).await;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Takes a slot in the bucket and waits until it may be used. A slot
    /// whose call is dropped while it waits is given back.
    pub(crate) async fn slot(&self) {
        let wait = self.limits.borrow_mut().reserve(self.clock.now_ms());
        if wait == 0 {
            return;
        }
        let unsent = Unsent(self);
        self.clock.sleep(wait).await;
        std::mem::forget(unsent);
    }

    /// Records a successful answer's `time` for `method`.
    pub(crate) fn on_success(&self, method: &str, time: Option<&CallTime>) {
        self.limits.borrow_mut().on_success(method, time);
    }

    /// Decides about a failed send (see `Limits::on_failure`).
    pub(crate) fn on_failure(
        &self,
        method: &str,
        err: &RestError,
        attempt: u32,
        started_ms: f64,
    ) -> Verdict {
        let now = self.clock.now_ms();
        let jitter = self.clock.jitter();
        self.limits
            .borrow_mut()
            .on_failure(method, err, attempt, now - started_ms, now, jitter)
    }

    /// Waits `ms` before a retry, visibly; [`RestError::Cancelled`] when
    /// the admin cancels.
    pub(crate) async fn wait_busy(
        &self,
        ms: u32,
        reason: BusyReason,
        attempt: u32,
    ) -> Result<(), RestError> {
        let (abort, registration) = AbortHandle::new_pair();
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let busy = Busy {
            reason,
            until_ms: self.clock.now_ms() + f64::from(ms),
            attempt,
        };
        self.waits.borrow_mut().push(Waiting { id, busy, abort });
        let _shown = Shown { limiter: self, id };
        self.notify();
        Abortable::new(self.clock.sleep(ms), registration)
            .await
            .map_err(|_aborted| RestError::Cancelled)
    }
}

/// Gives a bucket slot back when its call is dropped before sending.
struct Unsent<'a>(&'a Limiter);

impl Drop for Unsent<'_> {
    fn drop(&mut self) {
        let now = self.0.clock.now_ms();
        self.0.limits.borrow_mut().bucket.release(now);
    }
}

/// Takes a wait off the busy list when it ends, however it ends.
struct Shown<'a> {
    limiter: &'a Limiter,
    id: u64,
}

impl Drop for Shown<'_> {
    fn drop(&mut self) {
        self.limiter.waits.borrow_mut().retain(|w| w.id != self.id);
        self.limiter.notify();
    }
}
