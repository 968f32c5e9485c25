//! The frame client: one `message` listener for the client's lifetime, the
//! requests waiting for a reply, and the commands the app sends.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{self, Either, LocalBoxFuture, WeakShared};
use gloo_timers::future::TimeoutFuture;
use serde_json::{json, Value};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MessageEvent, Window};

use crate::domain::frame::{
    self, CallbackId, Command, FrameName, IgnoredCounts, IgnoredReason, NotInFrame, OpenPathReply,
    UserOption,
};
use crate::domain::methods::session::{AccessToken, Credentials, Session};

use super::error::FrameError;
use super::random::random_u128;

/// How long the portal page has to answer `getInitData`. It answers at
/// once when it speaks the protocol at all.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long `refreshAuth` may take (b24jssdk's limit, §4.3).
pub(super) const REFRESH_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for the portal to confirm `setInstallFinish` (it
/// usually navigates away instead of answering).
const INSTALL_FINISH_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an `openPath` may wait for its answer: the portal answers when
/// the admin closes the slider, which may be much later.
const OPEN_PATH_TIMEOUT: Duration = Duration::from_secs(12 * 3600);

/// The shared, in-flight `refreshAuth`.
pub(super) type RefreshFuture = LocalBoxFuture<'static, Result<Credentials, FrameError>>;

/// The app's connection to the Bitrix24 page around its frame. Cheap to
/// clone; all clones share one message listener, which is removed when the
/// last clone is dropped.
///
/// ```ignore
/// let client = FrameClient::from_window()?;
/// let session = client.init().await?;
/// let _fit = client.keep_fitted();
/// ```
#[derive(Clone)]
pub struct FrameClient {
    pub(super) inner: Rc<Inner>,
}

pub(super) struct Inner {
    pub(super) link: Rc<Link>,
    listener: Closure<dyn FnMut(Event)>,
    /// The token from `init` or the last refresh.
    pub(super) credentials: RefCell<Option<Credentials>>,
    /// The refresh in flight, if any. Weak, so a refresh every caller gave
    /// up on is dropped (with its pending entry) instead of kept alive.
    pub(super) refresh: RefCell<Option<WeakShared<RefreshFuture>>>,
    pub(super) refresh_timeout: Cell<Duration>,
}

/// What the message listener shares with the requests: where to post,
/// which origin to trust, and who is waiting for which callback id.
pub(super) struct Link {
    /// The app's own window, where replies arrive.
    pub(super) own: Window,
    /// The portal page's window, where requests go.
    parent: Window,
    frame: FrameName,
    origin: String,
    pending: RefCell<HashMap<String, oneshot::Sender<Value>>>,
    seq: Cell<u64>,
    ignored: Cell<IgnoredCounts>,
}

/// Where the ignored-message counts are published on the app's window,
/// for tests and whoever debugs a portal: counts only, never data.
pub const IGNORED_COUNTS_GLOBAL: &str = "__wmFrameIgnored";

fn own_window() -> Result<Window, FrameError> {
    web_sys::window().ok_or(FrameError::Browser {
        action: "give the app its window",
    })
}

impl FrameClient {
    /// Connects to the portal page that opened this frame, as named in
    /// `window.name`. [`FrameError::NotInFrame`] when the page was not
    /// opened by a Bitrix24 portal (no or malformed name, or no parent).
    pub fn from_window() -> Result<FrameClient, FrameError> {
        let window = own_window()?;
        let name = window.name().map_err(|_| NotInFrame::NoName)?;
        let frame = FrameName::parse(&name)?;
        // The top window is its own parent.
        let parent = window
            .parent()
            .ok()
            .flatten()
            .filter(|parent| !js_sys::Object::is(parent, &window))
            .ok_or(NotInFrame::NoParent)?;
        Self::with_parent(parent, frame)
    }

    /// Connects to `parent` as the portal page described by `frame`:
    /// requests are posted to `parent` for `frame`'s origin, and replies
    /// are accepted on this page's window from that origin only. Used by
    /// [`FrameClient::from_window`], and by tests with a stand-in parent.
    pub fn with_parent(parent: Window, frame: FrameName) -> Result<FrameClient, FrameError> {
        let own = own_window()?;
        let origin = frame.origin();
        let link = Rc::new(Link {
            own,
            parent,
            frame,
            origin,
            pending: RefCell::new(HashMap::new()),
            seq: Cell::new(0),
            ignored: Cell::new(IgnoredCounts::default()),
        });
        link.publish_ignored();
        let listening = Rc::clone(&link);
        let listener = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            listening.receive(event);
        });
        link.own
            .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .map_err(|_| FrameError::Browser {
                action: "let the app listen for messages from the Bitrix24 page",
            })?;
        Ok(FrameClient {
            inner: Rc::new(Inner {
                link,
                listener,
                credentials: RefCell::new(None),
                refresh: RefCell::new(None),
                refresh_timeout: Cell::new(REFRESH_TIMEOUT),
            }),
        })
    }

    /// The handshake: asks the portal for its init data (`getInitData`)
    /// and reads it into a [`Session`] for the portal named in
    /// `window.name`. On a user's first run it also tells the portal that
    /// run is done (`setInstall`), as both official SDKs do (§4.2).
    pub async fn init(&self) -> Result<Session, FrameError> {
        let data = self
            .call(Command::GetInitData, Some(frame::no_params()), INIT_TIMEOUT)
            .await?;
        let frame = &self.inner.link.frame;
        let session =
            Session::from_init_data(&data, &frame.host, frame.https, js_sys::Date::now())?;
        self.inner
            .credentials
            .replace(Some(session.credentials.clone()));
        if session.first_run {
            self.send(Command::SetInstall, Some(json!({ "install": true })))?;
        }
        Ok(session)
    }

    /// The current token: from [`FrameClient::init`] or the last
    /// [`FrameClient::refresh_auth`]. Before `init` has answered, an empty
    /// token that expired at time 0, so a caller refreshes first.
    pub fn credentials(&self) -> Credentials {
        self.inner
            .credentials
            .borrow()
            .clone()
            .unwrap_or_else(|| Credentials {
                token: AccessToken::new(""),
                expires_at_ms: 0.0,
            })
    }

    /// Sends `command` with `params` and waits up to `timeout` for the
    /// portal's reply. The portal never answers a refused or unknown
    /// command, so that ends in [`FrameError::Timeout`]; a reply arriving
    /// after the timeout is ignored.
    pub async fn call(
        &self,
        command: Command,
        params: Option<Value>,
        timeout: Duration,
    ) -> Result<Value, FrameError> {
        // The guard takes the id out of the pending map however this ends:
        // reply, timeout, or the caller dropping the future.
        let (id, reply, _pending) = self.inner.link.register();
        self.inner.link.post(command, params.as_ref(), Some(&id))?;
        let timer = TimeoutFuture::new(frame::timer_millis(timeout));
        match future::select(reply, timer).await {
            Either::Left((Ok(result), _)) => Ok(result),
            // A dropped sender means the reply can no longer come.
            Either::Left((Err(_), _)) | Either::Right(_) => Err(FrameError::Timeout { command }),
        }
    }

    /// Sends `command` without a callback id: the portal sends no reply.
    pub fn send(&self, command: Command, params: Option<Value>) -> Result<(), FrameError> {
        self.inner.link.post(command, params.as_ref(), None)
    }

    /// Asks the portal to make the frame `height` pixels tall and as wide
    /// as the page (`resizeWindow {width: "100%", height}`). Not answered;
    /// the portal refuses it silently in POPUP mode.
    pub fn resize_window(&self, height: u32) -> Result<(), FrameError> {
        self.send(Command::ResizeWindow, Some(frame::resize_params(height)))
    }

    /// Keeps `value` as the admin's `option` in the portal
    /// (`setUserOption`); the next start reads it back from the init data.
    /// Not answered.
    pub fn set_user_option(&self, option: UserOption, value: &Value) -> Result<(), FrameError> {
        self.send(
            Command::SetUserOption,
            Some(frame::user_option_params(option, value)),
        )
    }

    /// Reloads the whole portal page (`reloadWindow`). Not answered.
    pub fn reload_window(&self) -> Result<(), FrameError> {
        self.send(Command::ReloadWindow, None)
    }

    /// Opens a portal page in the portal's slider (`openPath`, §1.7, §4.2)
    /// and waits until it is closed ([`OpenPathReply::Closed`]) or refused
    /// ([`OpenPathReply::Refused`], e.g. `PATH_NOT_AVAILABLE`).
    pub async fn open_path(&self, path: &str) -> Result<OpenPathReply, FrameError> {
        let reply = self
            .call(
                Command::OpenPath,
                Some(frame::open_path_params(path)),
                OPEN_PATH_TIMEOUT,
            )
            .await?;
        Ok(frame::open_path_reply(&reply))
    }

    /// Ends the installation (`setInstallFinish`). On success the portal
    /// usually navigates its page away, so this rarely returns `Ok`;
    /// [`FrameError::InstallNotConfirmed`] when nothing happened in time
    /// (the portal refuses it for non-administrators).
    pub async fn install_finish(&self) -> Result<(), FrameError> {
        match self
            .call(
                Command::SetInstallFinish,
                Some(frame::no_params()),
                INSTALL_FINISH_TIMEOUT,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(FrameError::Timeout { .. }) => Err(FrameError::InstallNotConfirmed),
            Err(err) => Err(err),
        }
    }

    /// What `window.name` said: the portal host, protocol and APP_SID.
    pub fn frame(&self) -> &FrameName {
        &self.inner.link.frame
    }

    /// The portal origin messages go to and come from.
    pub fn origin(&self) -> &str {
        &self.inner.link.origin
    }

    /// Diagnostics: how many `message` events this client dropped (foreign
    /// origin, not a string, malformed, or not for a pending callback id,
    /// including late replies).
    pub fn ignored_messages(&self) -> u64 {
        self.inner.link.ignored.get().total()
    }

    /// Diagnostics: how many requests are waiting for a reply.
    pub fn pending_requests(&self) -> usize {
        self.inner.link.pending.borrow().len()
    }
}

impl fmt::Debug for FrameClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameClient")
            .field("origin", &self.inner.link.origin)
            .field("pending", &self.pending_requests())
            .field("ignored", &self.ignored_messages())
            .finish()
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Nothing to do if the browser refuses: the page is going away.
        let _ = self
            .link
            .own
            .remove_event_listener_with_callback("message", self.listener.as_ref().unchecked_ref());
    }
}

impl Link {
    /// A fresh callback id, registered as pending until the guard drops.
    fn register(self: &Rc<Self>) -> (CallbackId, oneshot::Receiver<Value>, Pending) {
        let seq = self.seq.get().wrapping_add(1);
        self.seq.set(seq);
        let id = CallbackId::new(seq, random_u128(&self.own));
        let (sender, receiver) = oneshot::channel();
        self.pending
            .borrow_mut()
            .insert(id.as_str().to_owned(), sender);
        let guard = Pending {
            link: Rc::clone(self),
            id: id.as_str().to_owned(),
        };
        (id, receiver, guard)
    }

    /// Posts one request to the portal page, for the portal origin only.
    fn post(
        &self,
        command: Command,
        params: Option<&Value>,
        callback: Option<&CallbackId>,
    ) -> Result<(), FrameError> {
        let message = frame::encode_request(command, params, callback, &self.frame.sid);
        self.parent
            .post_message(&JsValue::from_str(&message), &self.origin)
            .map_err(|_| FrameError::Browser {
                action: "send a message to the Bitrix24 page",
            })
    }

    /// The `message` listener. The data is never logged: replies carry
    /// tokens. What is dropped is counted per reason.
    fn receive(&self, event: Event) {
        let answered = match event.dyn_into::<MessageEvent>() {
            Ok(event) => self.answer(&event),
            Err(_) => Err(IgnoredReason::NotAString),
        };
        if let Err(reason) = answered {
            let mut counts = self.ignored.get();
            counts.add(reason);
            self.ignored.set(counts);
            self.publish_ignored();
            #[cfg(debug_assertions)]
            web_sys::console::debug_1(
                &format!(
                    "Workflow Monitor: frame message ignored ({})",
                    reason.as_str()
                )
                .into(),
            );
        }
    }

    /// Hands a reply to its waiting request, or says why the event is not
    /// a well-formed reply from the portal origin to a pending id.
    fn answer(&self, event: &MessageEvent) -> Result<(), IgnoredReason> {
        let data = event.data().as_string();
        // Only JSON meant for us is parsed (the domain checks in order).
        let (id, result) =
            frame::accept_reply(&event.origin(), &self.origin, data.as_deref(), |id| {
                self.pending.borrow().contains_key(id)
            })?;
        let waiter = self
            .pending
            .borrow_mut()
            .remove(id)
            .ok_or(IgnoredReason::UnknownCallback)?;
        // The request gave up in the same tick: as late as a late reply.
        waiter
            .send(result)
            .map_err(|_| IgnoredReason::UnknownCallback)
    }

    /// Writes the counts to `window.__wmFrameIgnored` (a fresh object each
    /// time; nothing in it but numbers).
    fn publish_ignored(&self) {
        let counts = self.ignored.get().to_json().to_string();
        let Ok(object) = js_sys::JSON::parse(&counts) else {
            return;
        };
        // Diagnostics only: a window refusing the property changes nothing.
        let _ = js_sys::Reflect::set(
            &self.own,
            &JsValue::from_str(IGNORED_COUNTS_GLOBAL),
            &object,
        );
    }
}

/// Removes a callback id from the pending map when its request ends.
struct Pending {
    link: Rc<Link>,
    id: String,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Ok(mut pending) = self.link.pending.try_borrow_mut() {
            pending.remove(&self.id);
        }
    }
}
