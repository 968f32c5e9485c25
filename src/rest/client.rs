//! The REST client: one call, a batch, and the running-workflows list, with
//! one token refresh and one replay when the token has run out (§4.3, §8.6),
//! and the portal's limits (§3): every send waits for the [`Limiter`], and a
//! call the portal refused for load or a passing failure is retried.

use std::rc::Rc;

use serde_json::Value;

use super::auth::Auth;
use super::envelope::{call_body, method_url};
use super::limiter::{BrowserClock, Clock, Limiter};
use super::transport::{FetchTransport, Transport};
use crate::domain::methods::instances::{InstancesQuery, UserId, WorkflowPage, INSTANCES_METHOD};
use crate::domain::methods::limits::{reaction, Plan, Reaction, RetryPolicy, Verdict};
use crate::domain::methods::lookups::UserInfo;
use crate::domain::methods::session::{AccessToken, Portal};
use crate::domain::table::requests::{PageRequest, PageWithPeople};
use crate::domain::wire::batch::{BatchRequest, BatchResponse};
use crate::domain::wire::errors::{classify, RawResponse, RestError};

pub use crate::domain::methods::limits::APP_INFO_METHOD;

/// Whether `err` proves the portal ran nothing of the request, so sending
/// it again cannot act twice.
fn not_run(err: &RestError) -> bool {
    matches!(reaction(err), Reaction::Backoff | Reaction::Pause)
}

/// Talks to one portal's REST API. The token goes only to
/// [`Portal::origin`], only in the request body, and is never logged.
pub struct RestClient {
    portal: Portal,
    auth: Rc<dyn Auth>,
    transport: Rc<dyn Transport>,
    timeout_ms: u32,
    limiter: Rc<Limiter>,
}

impl RestClient {
    /// How long one request may take before it is aborted. Cloud portals
    /// cut requests at 60 s (§3.2); b24jssdk waits 30 s.
    pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

    /// A client for `portal` that takes its tokens from `auth` and talks
    /// through the browser's `fetch`.
    pub fn new(portal: Portal, auth: Rc<dyn Auth>) -> Self {
        RestClient::with_transport(portal, auth, Rc::new(FetchTransport))
    }

    /// A client with another transport (native tests script one).
    pub fn with_transport(
        portal: Portal,
        auth: Rc<dyn Auth>,
        transport: Rc<dyn Transport>,
    ) -> Self {
        RestClient {
            portal,
            auth,
            transport,
            timeout_ms: RestClient::DEFAULT_TIMEOUT_MS,
            limiter: Rc::new(Limiter::new(Rc::new(BrowserClock))),
        }
    }

    /// The same client with another per-request time limit.
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    /// The same client retrying as `policy` says (in-browser tests of a
    /// single failure send once).
    pub fn with_retry_policy(self, policy: RetryPolicy) -> Self {
        self.limiter.set_policy(policy);
        self
    }

    /// The same client with a fresh limiter on another clock (native tests
    /// sleep instantly and record the delays).
    pub fn with_clock(mut self, clock: Rc<dyn Clock>) -> Self {
        self.limiter = Rc::new(Limiter::new(clock));
        self
    }

    /// The portal this client talks to.
    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    /// The limiter every call goes through (the UI watches and cancels
    /// its retries).
    pub fn limiter(&self) -> &Rc<Limiter> {
        &self.limiter
    }

    /// Calls `method` with `params` (a JSON object, or `null`).
    ///
    /// Each send waits for the method's budget and a slot in the bucket. A
    /// refusal for load (503, 429), a 5xx, a network failure or a timeout
    /// is retried after a backoff or pause, a bounded number of times; any
    /// other error is returned at once. [`RestError::Cancelled`] when the
    /// admin stopped the retrying.
    ///
    /// When the portal answers `expired_token` or `invalid_token`, the
    /// token is renewed once through [`Auth::refresh`] — or not at all if
    /// it already changed while this call was out (another call renewed
    /// it) — and the call is replayed exactly once. A second failure of
    /// any kind is returned as it is.
    pub async fn call(&self, method: &str, params: Value) -> Result<RawResponse, RestError> {
        self.call_limited(method, &params, &[method], |_| true)
            .await
    }

    /// [`RestClient::call`], waiting for the budgets of `budgets` (a batch
    /// waits for every method inside it).
    async fn call_limited(
        &self,
        method: &str,
        params: &Value,
        budgets: &[&str],
        replay: fn(&RestError) -> bool,
    ) -> Result<RawResponse, RestError> {
        let url = method_url(&self.portal, method)?;
        let limiter = &self.limiter;
        let epoch = limiter.epoch();
        let started = limiter.now_ms();
        let mut attempt = 1;
        loop {
            limiter.ready(budgets, attempt).await?;
            let err = match self.call_once(&url, method, params).await {
                Ok(raw) => {
                    limiter.on_success(method, raw.time.as_ref());
                    return Ok(raw);
                }
                Err(err) => err,
            };
            if !replay(&err) {
                // Sending again could act twice: the caller rechecks.
                limiter.on_failure(method, &err, attempt, started);
                return Err(err);
            }
            let Verdict::Retry { after_ms, reason } =
                limiter.on_failure(method, &err, attempt, started)
            else {
                return Err(err);
            };
            if limiter.epoch() != epoch {
                return Err(RestError::Cancelled);
            }
            limiter.wait_busy(after_ms, reason, attempt).await?;
            attempt += 1;
        }
    }

    /// One send, and one replay after renewing an expired token.
    async fn call_once(
        &self,
        url: &str,
        method: &str,
        params: &Value,
    ) -> Result<RawResponse, RestError> {
        let sent_with = self.auth.credentials().token;
        match self.send(url, method, params, &sent_with).await {
            Err(err) if err.is_auth_expired() => {
                let current = self.auth.credentials().token;
                let token = if current != sent_with {
                    current
                } else {
                    self.auth.refresh().await?.token
                };
                self.send(url, method, params, &token).await
            }
            other => other,
        }
    }

    async fn send(
        &self,
        url: &str,
        method: &str,
        params: &Value,
        token: &AccessToken,
    ) -> Result<RawResponse, RestError> {
        let body = call_body(method, params, token)?;
        self.limiter.slot().await;
        let reply = self.transport.post_json(url, body, self.timeout_ms).await?;
        classify(reply.status, &reply.body)
    }

    /// Runs a checked batch (§2.3). The batch as a whole fails like any
    /// call; each command's own error is in the [`BatchResponse`]. The
    /// budgets of the methods inside are waited for and fed from
    /// `result_time`.
    ///
    /// A portal that bills the operating time to each nested method
    /// (§2.3) refuses a spent one inside the batch (`OPERATION_TIME_LIMIT`
    /// in `result_error`): that method is paused like after a 429 of its
    /// own, and the whole batch is sent again once it may run (the app's
    /// batches only read, so running their other commands again is
    /// harmless).
    pub async fn batch(&self, request: &BatchRequest) -> Result<BatchResponse, RestError> {
        let budgets: Vec<&str> = std::iter::once("batch")
            .chain(request.methods().map(|(_, m)| m))
            .collect();
        let params = request.to_params();
        let limiter = &self.limiter;
        let epoch = limiter.epoch();
        let started = limiter.now_ms();
        let mut attempt = 1;
        loop {
            let raw = self
                .call_limited("batch", &params, &budgets, |_| true)
                .await?;
            let answer = BatchResponse::from_raw(&raw)?;
            for (key, method) in request.methods() {
                if let Some(Ok(part)) = answer.get(key) {
                    limiter.on_success(method, part.time.as_ref());
                }
            }
            let refused = request
                .methods()
                .find_map(|(key, method)| match answer.get(key) {
                    Some(Err(err)) if err.is_operating_limit() => Some((method, err.clone())),
                    _ => None,
                });
            let Some((method, err)) = refused else {
                return Ok(answer);
            };
            let Verdict::Retry { after_ms, reason } =
                limiter.on_failure(method, &err, attempt, started)
            else {
                return Ok(answer);
            };
            if limiter.epoch() != epoch {
                return Err(RestError::Cancelled);
            }
            limiter.wait_busy(after_ms, reason, attempt).await?;
            attempt += 1;
        }
    }

    /// Sends a `batch` that acts (terminate, kill): through the same
    /// limiter and budgets, retried only after a refusal that proves
    /// nothing ran (`QUERY_LIMIT_EXCEEDED`, a whole-request 429) or an
    /// expired token; any other failure (5xx, network, timeout) may have
    /// come after the commands ran, so it is returned at once and the
    /// caller rechecks before sending anything again. A command refused
    /// inside the batch (`OPERATION_TIME_LIMIT`) pauses its method, and
    /// the answer is returned as it is.
    pub async fn act(&self, request: &BatchRequest) -> Result<BatchResponse, RestError> {
        let budgets: Vec<&str> = std::iter::once("batch")
            .chain(request.methods().map(|(_, m)| m))
            .collect();
        let params = request.to_params();
        let started = self.limiter.now_ms();
        let raw = self
            .call_limited("batch", &params, &budgets, not_run)
            .await?;
        let answer = BatchResponse::from_raw(&raw)?;
        for (key, method) in request.methods() {
            match answer.get(key) {
                Some(Ok(part)) => self.limiter.on_success(method, part.time.as_ref()),
                Some(Err(err)) if err.is_operating_limit() => {
                    self.limiter.on_failure(method, err, 1, started);
                }
                _ => {}
            }
        }
        Ok(answer)
    }

    /// Reads the portal's plan from `app.info` and sizes the bucket for it
    /// (until then, and if this fails, the app keeps the safe 2/s, 50).
    pub async fn detect_plan(&self) -> Result<Plan, RestError> {
        let raw = self.call(APP_INFO_METHOD, Value::Null).await?;
        let plan = Plan::from_app_info(&raw.result);
        self.limiter.set_plan(plan);
        Ok(plan)
    }

    /// One page of running workflows.
    pub async fn list_workflows(&self, query: &InstancesQuery) -> Result<WorkflowPage, RestError> {
        let raw = self.call(INSTANCES_METHOD, query.to_params()).await?;
        Ok(WorkflowPage::from_raw(&raw)?)
    }

    /// A page and the people its rows name, in one `batch` (see
    /// [`PageWithPeople`]): the page as [`RestClient::fetch_page`] reads
    /// it, and whoever the answer names.
    pub async fn fetch_page_with_people(
        &self,
        request: &PageWithPeople,
    ) -> Result<(WorkflowPage, Vec<UserInfo>, Vec<UserId>), RestError> {
        let PageRequest::Batch { request: batch, .. } = &request.page else {
            return Ok((
                self.fetch_page(&request.page).await?,
                Vec::new(),
                Vec::new(),
            ));
        };
        let answer = self.batch(batch).await?;
        let page = request.page.read_batch(&answer)?;
        Ok((
            page,
            request.read_people(&answer),
            request.settled_people(&answer),
        ))
    }

    /// One page of the table as the view asks for it: a single call for 50
    /// rows, one batch of several offsets for more (§2.3).
    pub async fn fetch_page(&self, request: &PageRequest) -> Result<WorkflowPage, RestError> {
        match request {
            PageRequest::Single { query } => {
                let raw = self.call(INSTANCES_METHOD, query.to_params()).await?;
                Ok(WorkflowPage::from_raw(&raw)?)
            }
            PageRequest::Batch { request: batch, .. } => {
                let answer = self.batch(batch).await?;
                request.read_batch(&answer)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;

    use futures::executor::block_on;
    use futures::future::{AbortHandle, Abortable, FutureExt, LocalBoxFuture};
    use serde_json::json;

    use super::*;
    use crate::domain::methods::limits::{Busy, BusyReason};
    use crate::domain::methods::session::{Credentials, Host};
    use crate::domain::wire::batch::{BatchCommand, CommandKey};
    use crate::domain::wire::errors::{ErrorCode, PortalError, RefreshError};
    use crate::rest::HttpReply;

    /// Replies from a script and records every request.
    #[derive(Default)]
    struct Scripted {
        replies: RefCell<VecDeque<Result<HttpReply, RestError>>>,
        sent: RefCell<Vec<(String, Value, u32)>>,
        /// Runs while the first request is out (another call renewing the token).
        while_first_is_out: RefCell<Option<Box<dyn FnOnce()>>>,
    }

    impl Scripted {
        fn new(replies: Vec<Result<HttpReply, RestError>>) -> Rc<Self> {
            Rc::new(Scripted {
                replies: RefCell::new(replies.into()),
                sent: RefCell::default(),
                while_first_is_out: RefCell::default(),
            })
        }

        fn tokens_sent(&self) -> Vec<String> {
            self.sent
                .borrow()
                .iter()
                .map(|(_, body, _)| body["auth"].as_str().unwrap_or("").to_owned())
                .collect()
        }
    }

    impl Transport for Scripted {
        fn post_json(
            &self,
            url: &str,
            body: String,
            timeout_ms: u32,
        ) -> LocalBoxFuture<'static, Result<HttpReply, RestError>> {
            let parsed = serde_json::from_str(&body).expect("the body is JSON");
            self.sent
                .borrow_mut()
                .push((url.to_owned(), parsed, timeout_ms));
            if let Some(meanwhile) = self.while_first_is_out.borrow_mut().take() {
                meanwhile();
            }
            let reply = self
                .replies
                .borrow_mut()
                .pop_front()
                .expect("a scripted reply for every request");
            async move { reply }.boxed_local()
        }
    }

    /// Hands out `tok0`, and `tok1`, `tok2`, ... after each refresh.
    struct FakeAuth {
        generation: Rc<Cell<u32>>,
        refreshes: Rc<Cell<u32>>,
        fail: bool,
    }

    impl FakeAuth {
        fn new() -> Rc<Self> {
            Rc::new(FakeAuth {
                generation: Rc::default(),
                refreshes: Rc::default(),
                fail: false,
            })
        }
    }

    fn creds(generation: u32) -> Credentials {
        Credentials {
            token: AccessToken::new(format!("tok{generation}")),
            expires_at_ms: 0.0,
        }
    }

    impl Auth for FakeAuth {
        fn credentials(&self) -> Credentials {
            creds(self.generation.get())
        }

        fn refresh(&self) -> LocalBoxFuture<'static, Result<Credentials, RefreshError>> {
            self.refreshes.set(self.refreshes.get() + 1);
            let generation = Rc::clone(&self.generation);
            let fail = self.fail;
            async move {
                if fail {
                    return Err(RefreshError {
                        reason: "the portal page did not answer".to_owned(),
                    });
                }
                generation.set(generation.get() + 1);
                Ok(creds(generation.get()))
            }
            .boxed_local()
        }
    }

    fn portal() -> Portal {
        Portal {
            host: Host::parse("127.0.0.1:8080").expect("host"),
            https: false,
            rest_path: "/rest".into(),
        }
    }

    fn reply(status: u16, body: Value) -> Result<HttpReply, RestError> {
        Ok(HttpReply {
            status,
            body: body.to_string(),
        })
    }

    fn expired() -> Result<HttpReply, RestError> {
        reply(
            401,
            json!({"error": "expired_token", "error_description": "The access token provided has expired"}),
        )
    }

    /// 2026-01-01T00:00:00Z, in ms.
    const T0: f64 = 1_767_225_600_000.0;

    /// Sleeps instantly, moving its time on and recording each delay; or,
    /// with `hang`, never wakes from a sleep (a wait under way).
    struct FakeClock {
        now: Cell<f64>,
        slept: RefCell<Vec<u32>>,
        hang: Cell<bool>,
    }

    impl FakeClock {
        fn new() -> Rc<Self> {
            Rc::new(FakeClock {
                now: Cell::new(T0),
                slept: RefCell::default(),
                hang: Cell::new(false),
            })
        }

        fn slept(&self) -> Vec<u32> {
            self.slept.borrow().clone()
        }
    }

    impl Clock for FakeClock {
        fn now_ms(&self) -> f64 {
            self.now.get()
        }

        fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
            self.slept.borrow_mut().push(ms);
            if self.hang.get() {
                return futures::future::pending().boxed_local();
            }
            self.now.set(self.now.get() + f64::from(ms));
            async {}.boxed_local()
        }

        /// The top of every backoff range: delays are exact.
        fn jitter(&self) -> f64 {
            1.0
        }
    }

    fn client(auth: &Rc<FakeAuth>, transport: &Rc<Scripted>) -> RestClient {
        client_on(auth, transport, &FakeClock::new())
    }

    fn client_on(
        auth: &Rc<FakeAuth>,
        transport: &Rc<Scripted>,
        clock: &Rc<FakeClock>,
    ) -> RestClient {
        RestClient::with_transport(portal(), auth.clone(), transport.clone())
            .with_clock(clock.clone())
    }

    fn limit_503() -> Result<HttpReply, RestError> {
        reply(
            503,
            json!({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}),
        )
    }

    #[test]
    fn posts_params_and_token_in_the_body_to_the_method_url() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![reply(200, json!({"result": {"ok": true}}))]);
        let raw =
            block_on(client(&auth, &transport).call("app.info", json!({"x": 1}))).expect("ok");
        assert_eq!(raw.result, json!({"ok": true}));
        let sent = transport.sent.borrow();
        assert_eq!(sent[0].0, "http://127.0.0.1:8080/rest/app.info.json");
        assert_eq!(sent[0].1, json!({"x": 1, "auth": "tok0"}));
        assert_eq!(sent[0].2, RestClient::DEFAULT_TIMEOUT_MS);
    }

    #[test]
    fn an_expired_token_is_refreshed_once_and_the_call_replayed_once() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![expired(), reply(200, json!({"result": 1}))]);
        let raw = block_on(client(&auth, &transport).call("app.info", json!(null))).expect("ok");
        assert_eq!(raw.result, json!(1));
        assert_eq!(auth.refreshes.get(), 1);
        assert_eq!(transport.tokens_sent(), ["tok0", "tok1"]);
    }

    #[test]
    fn a_second_auth_failure_is_returned_without_another_refresh() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![
            expired(),
            reply(
                401,
                json!({"error": "invalid_token", "error_description": "bad"}),
            ),
        ]);
        let err =
            block_on(client(&auth, &transport).call("app.info", json!(null))).expect_err("fails");
        assert_eq!(err.error_code(), Some(ErrorCode::InvalidToken));
        assert_eq!(err.description(), Some("bad"));
        assert_eq!(auth.refreshes.get(), 1);
        assert_eq!(transport.sent.borrow().len(), 2);
    }

    #[test]
    fn a_token_renewed_meanwhile_is_used_without_asking_again() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![expired(), reply(200, json!({"result": 1}))]);
        let generation = Rc::clone(&auth.generation);
        *transport.while_first_is_out.borrow_mut() = Some(Box::new(move || generation.set(5)));
        block_on(client(&auth, &transport).call("app.info", json!(null))).expect("ok");
        assert_eq!(auth.refreshes.get(), 0);
        assert_eq!(transport.tokens_sent(), ["tok0", "tok5"]);
    }

    #[test]
    fn a_failed_refresh_is_a_typed_error_and_nothing_is_replayed() {
        let auth = Rc::new(FakeAuth {
            generation: Rc::default(),
            refreshes: Rc::default(),
            fail: true,
        });
        let transport = Scripted::new(vec![expired()]);
        let err =
            block_on(client(&auth, &transport).call("app.info", json!(null))).expect_err("fails");
        assert_eq!(
            err,
            RestError::RefreshFailed(RefreshError {
                reason: "the portal page did not answer".into()
            })
        );
        assert_eq!(transport.sent.borrow().len(), 1);
    }

    #[test]
    fn hard_errors_are_returned_at_once_without_a_retry() {
        for (status, code) in [
            (403, "ACCESS_DENIED"),
            (404, "ERROR_METHOD_NOT_FOUND"),
            (401, "insufficient_scope"),
            (400, "ERROR_ARGUMENT"),
            (503, "OVERLOAD_LIMIT"),
            (401, "NO_AUTH_FOUND"),
        ] {
            let auth = FakeAuth::new();
            let transport = Scripted::new(vec![reply(
                status,
                json!({"error": code, "error_description": ""}),
            )]);
            let err = block_on(client(&auth, &transport).call("app.info", json!(null)))
                .expect_err("fails");
            assert_eq!(err.code(), Some(code));
            assert_eq!(auth.refreshes.get(), 0);
            assert_eq!(transport.sent.borrow().len(), 1);
        }
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![
            Err(RestError::Timeout { after_ms: 5 }),
            reply(200, json!({"result": 1})),
        ]);
        let c = client(&auth, &transport).with_timeout_ms(5);
        assert!(block_on(c.call("app.info", json!(null))).is_ok());
        assert_eq!(
            transport.sent.borrow()[0].2,
            5,
            "the time limit is passed on"
        );
        assert_eq!(transport.sent.borrow().len(), 2, "a timeout is retried");
    }

    #[test]
    fn a_503_is_retried_once_after_a_backoff() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![limit_503(), reply(200, json!({"result": 7}))]);
        let clock = FakeClock::new();
        let raw = block_on(client_on(&auth, &transport, &clock).call("app.info", json!(null)))
            .expect("the retry succeeds");
        assert_eq!(raw.result, json!(7));
        assert_eq!(transport.sent.borrow().len(), 2);
        // The backoff (1.5 s); the bucket, counted full after the 503, has
        // drained three slots meanwhile, so the retry goes at once.
        assert_eq!(clock.slept(), [1_500]);
    }

    #[test]
    fn retries_are_bounded_and_the_last_error_is_returned() {
        let auth = FakeAuth::new();
        let internal = || {
            reply(
                500,
                json!({"error": "INTERNAL_SERVER_ERROR", "error_description": ""}),
            )
        };
        let transport = Scripted::new((0..7).map(|_| internal()).collect());
        let clock = FakeClock::new();
        let err = block_on(client_on(&auth, &transport, &clock).call("app.info", json!(null)))
            .expect_err("gives up");
        assert_eq!(err.code(), Some("INTERNAL_SERVER_ERROR"));
        assert_eq!(transport.sent.borrow().len(), 7, "seven sends at most");
        assert_eq!(clock.slept(), [1_500, 2_250, 3_375, 5_063, 7_594, 11_391]);
    }

    #[test]
    fn a_429_waits_until_the_methods_reset_time() {
        let auth = FakeAuth::new();
        let reset_s = (T0 / 1000.0) as i64 + 30;
        let transport = Scripted::new(vec![
            reply(
                200,
                json!({"result": [], "total": 0, "time": {"operating": 12.5, "operating_reset_at": reset_s}}),
            ),
            reply(
                429,
                json!({"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked due to operation time limit."}),
            ),
            reply(200, json!({"result": [], "total": 0})),
        ]);
        let clock = FakeClock::new();
        let c = client_on(&auth, &transport, &clock);
        block_on(c.call(INSTANCES_METHOD, json!({}))).expect("first");
        block_on(c.call(INSTANCES_METHOD, json!({}))).expect("after the pause");
        assert_eq!(transport.sent.borrow().len(), 3);
        assert_eq!(clock.slept(), [31_000], "until the reset, plus a second");
        // Another method was never paused.
        assert_eq!(
            c.limiter()
                .limits()
                .pause_before(["user.get"], clock.now_ms()),
            None
        );
    }

    #[test]
    fn a_nested_method_refused_for_its_budget_pauses_and_the_batch_goes_again() {
        let auth = FakeAuth::new();
        let refused = json!({"result": {"result": [], "result_error": {"s0": {
            "error": "OPERATION_TIME_LIMIT",
            "error_description": "Method is blocked due to operation time limit."
        }}}});
        let answered =
            json!({"result": {"result": {"s0": [{"ID": "a"}]}, "result_total": {"s0": 1}}});
        let transport = Scripted::new(vec![reply(200, refused), reply(200, answered)]);
        let clock = FakeClock::new();
        let c = client_on(&auth, &transport, &clock);
        let command = BatchCommand {
            key: CommandKey::new("s0").expect("a key"),
            method: INSTANCES_METHOD.to_owned(),
            params: json!({"start": 0}),
        };
        let request = BatchRequest::new(true, vec![command]).expect("a batch");
        let answer = block_on(c.batch(&request)).expect("after the pause");
        assert!(matches!(answer.get("s0"), Some(Ok(_))), "{answer:?}");
        assert_eq!(transport.sent.borrow().len(), 2);
        assert_eq!(clock.slept().len(), 1, "one pause before sending again");
        assert!(clock.slept()[0] >= 10_000, "at least the 10 s floor");
    }

    #[test]
    fn every_send_takes_a_slot_in_the_bucket() {
        let auth = FakeAuth::new();
        let transport = Scripted::new((0..47).map(|_| reply(200, json!({"result": 1}))).collect());
        let clock = FakeClock::new();
        let c = client_on(&auth, &transport, &clock);
        for _ in 0..47 {
            block_on(c.call("app.info", json!(null))).expect("ok");
        }
        // 45 go at once; then one slot per 500 ms (time moves on as it sleeps).
        assert_eq!(clock.slept(), [500, 500]);
    }

    #[test]
    fn the_plan_from_app_info_sizes_the_bucket() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![reply(
            200,
            json!({"result": {"LICENSE": "de_ent250"}}),
        )]);
        let c = client(&auth, &transport);
        assert_eq!(block_on(c.detect_plan()), Ok(Plan::Enterprise));
        assert_eq!(c.limiter().limits().bucket.usable(), 225.0);
        assert_eq!(
            transport.sent.borrow()[0].0,
            "http://127.0.0.1:8080/rest/app.info.json"
        );
    }

    #[test]
    fn a_wait_to_retry_is_shown_and_an_abort_stops_it() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![limit_503()]);
        let clock = FakeClock::new();
        clock.hang.set(true);
        let c = client_on(&auth, &transport, &clock);
        let seen: Rc<RefCell<Vec<Option<Busy>>>> = Rc::default();
        let log = Rc::clone(&seen);
        c.limiter().subscribe(move |b| log.borrow_mut().push(b));
        let (handle, registration) = AbortHandle::new_pair();
        let mut call = Box::pin(Abortable::new(
            c.call("app.info", json!(null)),
            registration,
        ));
        assert!((&mut call).now_or_never().is_none(), "waiting to retry");
        let busy = c.limiter().busy().expect("busy");
        assert_eq!(
            busy,
            Busy {
                reason: BusyReason::RateLimited,
                until_ms: T0 + 1_500.0,
                attempt: 1
            }
        );
        handle.abort();
        assert!(matches!((&mut call).now_or_never(), Some(Err(_))));
        drop(call);
        assert_eq!(c.limiter().busy(), None);
        assert_eq!(*seen.borrow(), [Some(busy), None]);
        assert_eq!(transport.sent.borrow().len(), 1, "nothing after the abort");
    }

    #[test]
    fn cancel_stops_every_call_waiting_to_retry() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![limit_503()]);
        let clock = FakeClock::new();
        clock.hang.set(true);
        let c = client_on(&auth, &transport, &clock);
        let mut call = Box::pin(c.call("app.info", json!(null)));
        assert!((&mut call).now_or_never().is_none());
        assert!(c.limiter().busy().is_some());
        c.limiter().cancel_waiting();
        assert_eq!((&mut call).now_or_never(), Some(Err(RestError::Cancelled)));
        assert_eq!(c.limiter().busy(), None);
        assert_eq!(transport.sent.borrow().len(), 1);
    }

    #[test]
    fn a_bad_method_name_is_refused_before_anything_is_sent() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![]);
        let err =
            block_on(client(&auth, &transport).call("../evil", json!(null))).expect_err("refused");
        assert_eq!(
            err,
            RestError::InvalidMethod {
                method: "../evil".into()
            }
        );
        assert!(transport.sent.borrow().is_empty());
    }

    #[test]
    fn lists_workflows_with_the_querys_params() {
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![reply(
            200,
            json!({"result": [{"ID": "66e412fdc9bd44.36306599"}], "total": "1"}),
        )]);
        let page = block_on(client(&auth, &transport).list_workflows(&InstancesQuery::default()))
            .expect("page");
        assert_eq!(page.rows[0].id.as_str(), "66e412fdc9bd44.36306599");
        assert_eq!((page.total, page.next), (1, None));
        let sent = transport.sent.borrow();
        assert_eq!(
            sent[0].0,
            "http://127.0.0.1:8080/rest/bizproc.workflow.instances.json"
        );
        assert_eq!(sent[0].1["order"], json!({"STARTED": "DESC", "ID": "DESC"}));
        assert_eq!(sent[0].1["start"], json!(0));
    }

    #[test]
    fn a_batch_keeps_each_commands_error() {
        use crate::domain::wire::batch::BatchCommand;
        let auth = FakeAuth::new();
        let transport = Scripted::new(vec![reply(
            200,
            json!({"result": {"result": {"c0": [{"ID": "a"}]}, "result_error": {"c1": {"error": "ACCESS_DENIED", "error_description": "Access denied!"}},
                   "result_total": {"c0": 1}, "result_next": [], "result_time": []}}),
        )]);
        let request = BatchRequest::new(
            false,
            vec![
                BatchCommand::indexed(0, INSTANCES_METHOD, json!({"start": 0})),
                BatchCommand::indexed(1, INSTANCES_METHOD, json!({"start": 50})),
            ],
        )
        .expect("valid");
        let answer = block_on(client(&auth, &transport).batch(&request)).expect("batch");
        assert_eq!(
            answer
                .get("c0")
                .and_then(|o| o.as_ref().ok())
                .and_then(|r| r.total),
            Some(1)
        );
        assert!(matches!(
            answer.get("c1"),
            Some(Err(RestError::Portal(PortalError {
                code: ErrorCode::AccessDenied,
                ..
            })))
        ));
        let sent = transport.sent.borrow();
        assert_eq!(sent[0].0, "http://127.0.0.1:8080/rest/batch.json");
        assert_eq!(
            sent[0].1["cmd"],
            json!({"c0": "bizproc.workflow.instances?start=0", "c1": "bizproc.workflow.instances?start=50"})
        );
    }
}
