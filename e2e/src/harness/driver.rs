//! chromedriver in its own process group, and the Chromium flags.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{CHROMEDRIVER, WAIT};
use crate::{HarnessError, Result};

/// A running chromedriver in its own process group.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    port: u16,
    /// The WebDriver session to end on drop if the test did not.
    pub(crate) session: Option<String>,
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
