//! End-to-end harness: the portal emulator in-process, a fresh headless
//! Chromium driven through chromedriver, and page objects that read like
//! the way a person uses the portal.
//!
//! Every [`Harness`] owns what it starts: a scratch directory (Chromium's
//! profile and `TMPDIR`, shared/toolchain.md pitfall 7), a chromedriver
//! process (its own process group, killed on drop) and the emulator (stopped
//! by [`Harness::finish`], or with the test's runtime). Nothing waits a
//! fixed time: every wait polls a condition until a deadline.
//!
//! Run with `cargo test -p e2e` (`cargo xtask test` sets `CHROMEDRIVER` and
//! a fresh `TMPDIR`). The SDK tests need `npm ci` in `e2e/` first.

use std::future::Future;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use portal_emulator::{Config, Running};
use serde_json::{json, Value};

pub use portal_emulator;

pub mod app;
pub mod bench;
pub mod keyboard;
pub mod look;
pub mod table;

/// The chromedriver installed by `cargo xtask setup` (apt `chromium-driver`).
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The Chromium installed by `cargo xtask setup` (apt `chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long any single wait may take before the test fails. Generous: two
/// browsers may share the machine's two cores.
pub const WAIT: Duration = Duration::from_secs(20);

/// Everything that can go wrong while driving a test.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("chromedriver did not start on port {0}")]
    DriverStart(u16),
    // Boxed: fantoccini's errors are large and every call returns this type.
    #[error("cannot open a browser session: {0}")]
    Session(Box<fantoccini::error::NewSessionError>),
    #[error("browser command failed: {0}")]
    Command(Box<fantoccini::error::CmdError>),
    #[error("HTTP request to the emulator failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(Duration, String),
    #[error("unexpected: {0}")]
    Unexpected(String),
}

impl From<fantoccini::error::NewSessionError> for HarnessError {
    fn from(err: fantoccini::error::NewSessionError) -> Self {
        HarnessError::Session(Box::new(err))
    }
}

impl From<fantoccini::error::CmdError> for HarnessError {
    fn from(err: fantoccini::error::CmdError) -> Self {
        HarnessError::Command(Box::new(err))
    }
}

/// The result type of every harness call.
pub type Result<T, E = HarnessError> = std::result::Result<T, E>;

// ---------------------------------------------------------------------------
// Scratch directory

/// A directory the test owns, removed with everything in it on drop.
#[derive(Debug)]
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// Creates `<temp>/wfm-XXXXXX` (a name no other test or run holds),
    /// with `label` written inside for whoever looks. The path stays short
    /// on purpose: Chromium keeps a Unix socket in its profile directory and
    /// exits at start when that path passes the 108-byte limit of
    /// `sun_path`; a long `TMPDIR` (a deep checkout) falls back to `/tmp`
    /// for the same reason.
    pub fn new(label: &str) -> Result<Self> {
        let mut base = std::env::temp_dir();
        if base.as_os_str().len() > 48 {
            base = PathBuf::from("/tmp");
        }
        let dir = tempfile::Builder::new().prefix("wfm-").tempdir_in(&base)?;
        std::fs::write(dir.path().join("TEST"), label)?;
        Ok(Scratch { dir })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A fresh subdirectory.
    pub fn subdir(&self, name: &str) -> Result<PathBuf> {
        let dir = self.path().join(name);
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }
}

// ---------------------------------------------------------------------------
// chromedriver

/// A running chromedriver in its own process group.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    port: u16,
    /// The WebDriver session to end on drop if the test did not.
    session: Option<String>,
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Driver {
    /// Starts chromedriver on a free port with `TMPDIR` set to `tmp`, and
    /// waits until it accepts connections.
    pub fn spawn(tmp: &Path) -> Result<Self> {
        use std::os::unix::process::CommandExt;
        let port = free_port()?;
        // `cargo xtask test` names the driver in CHROMEDRIVER.
        let program = std::env::var_os("CHROMEDRIVER").unwrap_or_else(|| CHROMEDRIVER.into());
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .env("TMPDIR", tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own group, so dropping it can end Chromium too.
            .process_group(0)
            .spawn()?;
        let driver = Driver {
            child,
            port,
            session: None,
        };
        let deadline = Instant::now() + WAIT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(HarnessError::DriverStart(port));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        Ok(driver)
    }

    /// The WebDriver URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Ends a session synchronously (for drop, where no runtime can be used):
    /// chromedriver then quits its Chromium.
    fn delete_session(&self, session: &str) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            self.port
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            let mut sink = Vec::new();
            let _ = stream.read_to_end(&mut sink);
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            self.delete_session(&session);
        }
        kill_own_group(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// SIGKILL to the process group chromedriver leads (itself and any Chromium
/// it left behind), by id, only if it really is that group.
///
/// Never via the `kill` program: procps-ng 4.0.2's `kill -KILL -<pgid>`
/// was seen here signalling every process on the machine.
fn kill_own_group(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    if pid <= 1 {
        return;
    }
    // SAFETY: getpgid and kill take plain integers and touch no memory. The
    // group is signalled only when `pid` leads its own group, i.e. the one
    // `process_group(0)` created for the child we spawned.
    unsafe {
        if libc::getpgid(pid) == pid {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

/// The Chromium flags that work on these machines (shared/toolchain.md).
pub fn chromium_args(profile: &Path) -> Vec<String> {
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain(std::iter::once(format!(
        "--user-data-dir={}",
        profile.display()
    )))
    .collect()
}

// ---------------------------------------------------------------------------
// Waiting

/// Polls `probe` every 50 ms until it yields `Some`, or fails after `WAIT`.
pub async fn wait_for<T, F, Fut>(what: &str, probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    wait_for_within(WAIT, what, probe).await
}

/// Polls `probe` every 50 ms until it yields `Some`, or fails after `limit`
/// (for screens that legitimately take longer: retries, pauses).
pub async fn wait_for_within<T, F, Fut>(limit: Duration, what: &str, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe().await? {
            return Ok(value);
        }
        if Instant::now() > deadline {
            return Err(HarnessError::Timeout(limit, what.to_owned()));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---------------------------------------------------------------------------
// The control API of the emulator

/// A small client for the emulator's HTTP endpoints.
#[derive(Debug, Clone)]
pub struct Control {
    http: reqwest::Client,
    portal: String,
    app: String,
}

impl Control {
    /// `GET {portal}{path}` as JSON.
    pub async fn get(&self, path: &str) -> Result<Value> {
        let response = self
            .http
            .get(format!("{}{path}", self.portal))
            .send()
            .await?;
        Self::json(path, response).await
    }

    /// `POST {portal}{path}` with a JSON body; the answer as JSON (null if empty).
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let response = self
            .http
            .post(format!("{}{path}", self.portal))
            .json(body)
            .send()
            .await?;
        Self::json(path, response).await
    }

    /// `DELETE {portal}{path}`.
    pub async fn delete(&self, path: &str) -> Result<()> {
        let response = self
            .http
            .delete(format!("{}{path}", self.portal))
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(HarnessError::Unexpected(format!(
                "DELETE {path}: HTTP {}",
                response.status()
            )));
        }
        Ok(())
    }

    /// What the app host received (`GET {app}/_emulator/app-requests`).
    pub async fn app_requests(&self) -> Result<Vec<Value>> {
        let response = self
            .http
            .get(format!("{}/_emulator/app-requests", self.app))
            .send()
            .await?;
        match Self::json("/_emulator/app-requests", response).await? {
            Value::Array(items) => Ok(items),
            other => Err(HarnessError::Unexpected(format!("app requests: {other}"))),
        }
    }

    /// The portal page's frame-message log as the emulator received it.
    pub async fn frame_log(&self) -> Result<Vec<Value>> {
        match self.get("/_emulator/frame-log").await? {
            Value::Array(items) => Ok(items),
            other => Err(HarnessError::Unexpected(format!("frame log: {other}"))),
        }
    }

    async fn json(path: &str, response: reqwest::Response) -> Result<Value> {
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            return Err(HarnessError::Unexpected(format!(
                "{path}: HTTP {status}: {text}"
            )));
        }
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text)
            .map_err(|e| HarnessError::Unexpected(format!("{path}: not JSON ({e}): {text}")))
    }
}

// ---------------------------------------------------------------------------
// The harness

/// A directory with test fixtures (`e2e/fixtures/<name>`).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The official SDK's browser bundle, installed by `npm ci` in e2e/.
pub fn sdk_bundle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js")
}

/// Assembles the SDK test app in `<scratch>/sdk-dist`: `sdk-page/index.html`
/// and the SDK bundle next to it as `b24jssdk.min.js`.
pub fn assemble_sdk_dist(scratch: &Scratch) -> Result<PathBuf> {
    assemble_sdk_page(scratch, "index.html", "sdk-dist")
}

/// Assembles `sdk-page/<page>` as the `index.html` of `<scratch>/<dir>`,
/// with the SDK bundle next to it as `b24jssdk.min.js`.
pub fn assemble_sdk_page(scratch: &Scratch, page: &str, dir: &str) -> Result<PathBuf> {
    let bundle = sdk_bundle();
    if !bundle.is_file() {
        return Err(HarnessError::Unexpected(format!(
            "{} is missing: run `cargo xtask setup` (npm ci in e2e/)",
            bundle.display()
        )));
    }
    let dist = scratch.subdir(dir)?;
    let page = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sdk-page")
        .join(page);
    std::fs::copy(page, dist.join("index.html"))?;
    std::fs::copy(bundle, dist.join("b24jssdk.min.js"))?;
    Ok(dist)
}

/// An emulator configuration for end-to-end tests: ephemeral ports, small
/// data, no rate limit, serving `dist`.
pub fn config_serving(dist: &Path) -> Config {
    let mut config = Config::for_tests(120);
    config.dist = Some(dist.to_path_buf());
    config
}

/// One test's world: the emulator, a browser and the scratch directory.
pub struct Harness {
    /// The running emulator (its state is readable in-process).
    pub emulator: Running,
    /// The browser.
    pub client: Client,
    /// The emulator's HTTP endpoints.
    pub control: Control,
    // Dropped in this order: the driver (ending the browser), then the files.
    driver: Driver,
    scratch: Scratch,
}

impl Harness {
    /// Starts the emulator with `config` and a fresh headless Chromium.
    pub async fn start(label: &str, config: Config) -> Result<Self> {
        let scratch = Scratch::new(label)?;
        Self::start_in(scratch, config).await
    }

    /// Like [`Harness::start`], in a scratch directory the caller prepared
    /// (for a dist assembled inside it).
    pub async fn start_in(scratch: Scratch, config: Config) -> Result<Self> {
        let tmp = scratch.subdir("tmp")?;
        let emulator = portal_emulator::start(config).await?;
        // Chromium sometimes dies while starting on a loaded 2-core machine
        // ("session not created: Chrome instance exited"). That says nothing
        // about the code under test, so a start is tried up to three times,
        // each with a fresh driver and profile; any other error is final.
        let mut attempt = 0;
        let (client, driver) = loop {
            attempt += 1;
            let profile = scratch.subdir(&format!("p{attempt}"))?;
            let mut driver = Driver::spawn(&tmp)?;
            let mut caps = serde_json::Map::new();
            caps.insert(
                "goog:chromeOptions".to_owned(),
                json!({ "binary": CHROMIUM, "args": chromium_args(&profile) }),
            );
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(&driver.url())
                .await
            {
                Ok(client) => {
                    driver.session = client.session_id().await?;
                    break (client, driver);
                }
                Err(err) if attempt < 3 => {
                    eprintln!("e2e: Chromium did not start (attempt {attempt}): {err}; retrying");
                    drop(driver);
                }
                Err(err) => return Err(err.into()),
            }
        };

        let control = Control {
            http: reqwest::Client::new(),
            portal: emulator.portal_url(),
            app: format!("http://{}", emulator.app_addr),
        };
        Ok(Harness {
            emulator,
            client,
            control,
            driver,
            scratch,
        })
    }

    /// Emulates a CSS media feature for the whole page, frames included,
    /// as the system setting behind it would (`prefers-color-scheme`,
    /// `dark`), through ChromeDriver's DevTools bridge.
    pub async fn emulate_media(&self, name: &str, value: &str) -> Result<()> {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": name, "value": value }] }),
        )
        .await
        .map(|_| ())
    }

    /// Sends a DevTools command through ChromeDriver's bridge and returns
    /// its result (`Page.addScriptToEvaluateOnNewDocument`, …).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let session = self
            .client
            .session_id()
            .await?
            .ok_or_else(|| HarnessError::Unexpected("no WebDriver session".into()))?;
        let response = self
            .control
            .http
            .post(format!(
                "{}/session/{session}/goog/cdp/execute",
                self.driver.url()
            ))
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(HarnessError::Unexpected(format!(
                "DevTools {cmd}: HTTP {}: {}",
                response.status(),
                response.text().await.unwrap_or_default()
            )));
        }
        let body: Value = response.json().await?;
        Ok(body["value"].clone())
    }

    /// The scratch directory of this test.
    pub fn scratch(&self) -> &Path {
        self.scratch.path()
    }

    /// The portal page (page object).
    pub fn portal(&self) -> PortalPage<'_> {
        PortalPage { h: self }
    }

    /// Runs `script` in the current browsing context and returns its result
    /// (a returned promise is awaited).
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Ends the browser session and stops the emulator.
    pub async fn finish(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        if closed.is_ok() {
            self.driver.session = None;
        }
        let Harness {
            emulator,
            driver,
            scratch,
            ..
        } = self;
        emulator.stop().await;
        drop(driver);
        drop(scratch);
        closed.map_err(HarnessError::from)
    }
}

// ---------------------------------------------------------------------------
// Page objects

/// The portal page that hosts the app (`/marketplace/app/1/`).
pub struct PortalPage<'a> {
    h: &'a Harness,
}

impl<'a> PortalPage<'a> {
    /// Opens the app page and waits until the page script has run.
    pub async fn open(&self) -> Result<()> {
        self.open_with_query("").await
    }

    /// Opens the app page with a query string (`?a=b`, becomes PLACEMENT_OPTIONS).
    pub async fn open_with_query(&self, query: &str) -> Result<()> {
        let url = format!("{}{query}", self.h.emulator.app_page_url());
        self.h.client.goto(&url).await?;
        self.wait_ready().await
    }

    /// Waits until the page's frame-protocol script is listening.
    pub async fn wait_ready(&self) -> Result<()> {
        wait_for("the portal page script", || async {
            let ready = self
                .h
                .js("return Array.isArray(window.__frameLog);", vec![])
                .await?;
            Ok(ready.as_bool().filter(|b| *b))
        })
        .await
        .map(|_| ())
    }

    /// Reloads the whole portal page (a new render: new APP_SID, new tokens).
    pub async fn reload(&self) -> Result<()> {
        self.h.client.refresh().await?;
        self.wait_ready().await
    }

    /// The app iframe's `name` (`host:port|0|APP_SID`).
    pub async fn frame_name(&self) -> Result<String> {
        let frame = self.h.client.find(Locator::Id("app-frame")).await?;
        frame
            .attr("name")
            .await?
            .ok_or_else(|| HarnessError::Unexpected("the app iframe has no name".into()))
    }

    /// This render's APP_SID (the last part of the iframe name).
    pub async fn app_sid(&self) -> Result<String> {
        let name = self.frame_name().await?;
        name.rsplit('|')
            .next()
            .map(str::to_owned)
            .ok_or_else(|| HarnessError::Unexpected(format!("iframe name {name}")))
    }

    /// The content-area title the user sees.
    pub async fn heading(&self) -> Result<String> {
        Ok(self
            .h
            .client
            .find(Locator::Id("pagetitle"))
            .await?
            .text()
            .await?)
    }

    /// The browser tab's title.
    pub async fn document_title(&self) -> Result<String> {
        Ok(self.h.client.title().await?)
    }

    /// The app frame's rendered height in CSS pixels.
    pub async fn frame_height(&self) -> Result<f64> {
        let v = self
            .h
            .js(
                "return document.getElementById('app-frame').getBoundingClientRect().height;",
                vec![],
            )
            .await?;
        v.as_f64()
            .ok_or_else(|| HarnessError::Unexpected(format!("frame height {v}")))
    }

    /// The page's in-memory frame-message log (`window.__frameLog`).
    pub async fn frame_log(&self) -> Result<Vec<Value>> {
        match self.h.js("return window.__frameLog;", vec![]).await? {
            Value::Array(items) => Ok(items),
            other => Err(HarnessError::Unexpected(format!("__frameLog: {other}"))),
        }
    }

    /// Waits for a log entry that satisfies `pred` and returns it.
    pub async fn wait_log_entry(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Result<Value> {
        wait_for(what, || async {
            Ok(self.frame_log().await?.into_iter().find(|e| pred(e)))
        })
        .await
    }

    /// Whether the side slider is showing.
    pub async fn slider_is_open(&self) -> Result<bool> {
        let v = self
            .h
            .js(
                "var s = document.getElementById('side-slider'); return !!s && !s.hidden;",
                vec![],
            )
            .await?;
        Ok(v.as_bool() == Some(true))
    }

    /// The text of the page shown in the side slider.
    pub async fn slider_text(&self) -> Result<String> {
        let frame = self.h.client.find(Locator::Id("side-slider-frame")).await?;
        frame.enter_frame().await?;
        let text = async {
            Ok::<_, HarnessError>(
                self.h
                    .client
                    .find(Locator::Css("body"))
                    .await?
                    .text()
                    .await?,
            )
        }
        .await;
        self.h.client.enter_parent_frame().await?;
        text
    }

    /// Closes the side slider the way a person does: the close button.
    pub async fn close_slider(&self) -> Result<()> {
        self.h
            .client
            .find(Locator::Css(".side-slider__close"))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Runs `script` inside the app frame (then returns to the portal page).
    pub async fn in_app(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        let frame = self.h.client.find(Locator::Id("app-frame")).await?;
        frame.enter_frame().await?;
        let result = self.h.js(script, args).await;
        self.h.client.enter_parent_frame().await?;
        result
    }

    /// The probe app inside the frame (page object for the fixture).
    pub fn probe(&self) -> ProbeApp<'_, 'a> {
        ProbeApp { page: self }
    }
}

/// The probe app (`e2e/fixtures/probe-app`): sends raw frame messages and
/// records every message the portal posts back.
pub struct ProbeApp<'p, 'a> {
    page: &'p PortalPage<'a>,
}

impl ProbeApp<'_, '_> {
    /// Waits until the probe has loaded and finished its own handshake, and
    /// returns the init data it received.
    pub async fn wait_ready(&self) -> Result<Value> {
        wait_for("the probe app's handshake", || async {
            let found = self.page.find_app_frame().await?;
            if !found {
                return Ok(None);
            }
            let init = self
                .page
                .in_app("return window.probe ? window.probe.init : null;", vec![])
                .await?;
            Ok((!init.is_null()).then_some(init))
        })
        .await
    }

    /// Posts `data` (any JSON value, a string for protocol messages) to the
    /// portal from the app frame.
    pub async fn send_raw(&self, data: Value) -> Result<()> {
        self.page
            .in_app(
                "window.probe.sendRaw(arguments[0]); return true;",
                vec![data],
            )
            .await
            .map(|_| ())
    }

    /// Sends `command:params:callback:sid` (BX24 v1's four segments) with
    /// this render's SID and waits up to `timeout_ms` for the reply.
    /// `None` when no reply came.
    pub async fn call(
        &self,
        command: &str,
        params: Option<Value>,
        callback: &str,
        timeout_ms: u64,
    ) -> Result<Option<Value>> {
        let v = self
            .page
            .in_app(
                "return window.probe.call(arguments[0], arguments[1], arguments[2], arguments[3]);",
                vec![
                    json!(command),
                    params.unwrap_or(Value::Null),
                    json!(callback),
                    json!(timeout_ms),
                ],
            )
            .await?;
        Ok(if v.get("timeout") == Some(&Value::Bool(true)) {
            None
        } else {
            v.get("payload").cloned()
        })
    }

    /// Sends a message and returns as soon as it is posted.
    pub async fn send(&self, command: &str, params: Option<Value>, callback: &str) -> Result<()> {
        self.page
            .in_app(
                "window.probe.send(arguments[0], arguments[1], arguments[2]); return true;",
                vec![
                    json!(command),
                    params.unwrap_or(Value::Null),
                    json!(callback),
                ],
            )
            .await
            .map(|_| ())
    }

    /// A round trip that is always answered (getInterface): once it is back,
    /// every earlier message has been handled.
    pub async fn barrier(&self, callback: &str) -> Result<()> {
        match self
            .call("getInterface", None, callback, WAIT.as_millis() as u64)
            .await?
        {
            Some(_) => Ok(()),
            None => Err(HarnessError::Timeout(WAIT, "the barrier reply".into())),
        }
    }

    /// Every message the probe received, as `{origin, data, callbackId, payload}`.
    pub async fn received(&self) -> Result<Vec<Value>> {
        match self
            .page
            .in_app("return window.probe.received;", vec![])
            .await?
        {
            Value::Array(items) => Ok(items),
            other => Err(HarnessError::Unexpected(format!("received: {other}"))),
        }
    }

    /// Whether any reply carried `callback` as its id.
    pub async fn got_reply(&self, callback: &str) -> Result<bool> {
        Ok(self
            .received()
            .await?
            .iter()
            .any(|m| m.get("callbackId").and_then(Value::as_str) == Some(callback)))
    }
}

impl PortalPage<'_> {
    async fn find_app_frame(&self) -> Result<bool> {
        Ok(!self
            .h
            .client
            .find_all(Locator::Id("app-frame"))
            .await?
            .is_empty())
    }
}
