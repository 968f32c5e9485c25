//! One test's world: the emulator serving a dist folder, chromedriver, a
//! browser session on the portal page.

use std::path::{Path, PathBuf};

use fantoccini::{Client, ClientBuilder};
use portal_emulator::{Config, Running};
use serde_json::{json, Value};

use super::{chromium_args, Control, Driver, Scratch};
use crate::{HarnessError, PortalPage, Result, CHROMIUM};

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
