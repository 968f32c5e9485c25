//! Running programs with visible, timed steps; locating the workspace and the
//! tool folders; reading versions out of `--version` output.
//!
//! xtask is compiled on every fresh clone before anything else can run, so
//! its dependencies are few, with default features off where they are not
//! needed, and at versions the shared `Cargo.lock` already holds where one is.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The result type of every xtask operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why an xtask step could not finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A program could not be started at all (usually: it is not installed).
    #[error("cannot start `{command}`: {source}")]
    Spawn {
        /// The command line, as printed before it ran.
        command: String,
        /// What the operating system said.
        source: io::Error,
    },
    /// A program ran and exited unsuccessfully; its own output says why.
    #[error("`{command}` failed ({status})")]
    Failed {
        /// The command line, as printed before it ran.
        command: String,
        /// How it exited.
        status: ExitStatus,
    },
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The repository or the machine is not in a state the task can work with.
    #[error("{0}")]
    Unusable(String),
}

/// Attaches the path to an `io::Error`, so a failure names its file.
pub fn io_at(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where xtask works: the repository and the cargo target folder it uses.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The repository root (the folder with the workspace `Cargo.toml`).
    pub root: PathBuf,
    /// Cargo's target folder, see [`target_dir`].
    pub target_dir: PathBuf,
}

impl Workspace {
    /// Finds the repository and the target folder from the environment.
    pub fn locate() -> Result<Workspace> {
        let root = workspace_root()?;
        let target_dir = target_dir(&root);
        Ok(Workspace { root, target_dir })
    }
}

/// The repository root (the folder with the workspace `Cargo.toml`).
///
/// Read at run time rather than baked in with `env!`, so a binary reused
/// from a shared `CARGO_TARGET_DIR` never points at another clone.
pub fn workspace_root() -> Result<PathBuf> {
    // `cargo run` sets CARGO_MANIFEST_DIR for the program it runs.
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let xtask_dir = PathBuf::from(dir);
        if let Some(root) = xtask_dir.parent() {
            if root.join("Cargo.toml").is_file() {
                return Ok(root.to_path_buf());
            }
        }
    }
    let cwd = std::env::current_dir().map_err(io_at(Path::new(".")))?;
    cwd.ancestors()
        .find(|dir| dir.join("xtask").join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Unusable("run xtask from inside the repository".into()))
}

/// Cargo's own folder: `$CARGO_HOME`, else `~/.cargo`. `cargo install` puts
/// binaries into its `bin/`, which outlives any clone of the repository.
pub fn cargo_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home);
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| OsString::from("/root"));
    PathBuf::from(home).join(".cargo")
}

/// Machine-wide folder for tools that are not cargo binaries (wasm-opt from
/// npm) and for the patched wasm-bindgen-cli source. Outside every clone, so
/// a re-run or a second clone finds them.
pub fn tools_dir() -> PathBuf {
    cargo_home().join("tools")
}

/// The target folder cargo uses: `$CARGO_TARGET_DIR` when the user set one,
/// otherwise `target/` in the repository. xtask never forces a shared one.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        // Cargo reads a relative one against the current folder; `join`
        // keeps an absolute one as it is.
        Some(dir) => std::env::current_dir()
            .unwrap_or_else(|_| root.to_path_buf())
            .join(dir),
        None => root.join("target"),
    }
}

/// Puts `dirs` first on this process's PATH, so every program started
/// afterwards (trunk, cargo's test runner, the e2e tests) finds the pinned
/// tools before anything else on the machine.
///
/// Called once from `main`, before any thread is started.
pub fn prepend_to_path(dirs: &[PathBuf]) -> Result<()> {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let mut all: Vec<PathBuf> = dirs.to_vec();
    all.extend(std::env::split_paths(&current).filter(|dir| !dirs.contains(dir)));
    let joined = std::env::join_paths(all)
        .map_err(|err| Error::Unusable(format!("cannot build PATH: {err}")))?;
    std::env::set_var("PATH", joined);
    Ok(())
}

/// The first executable called `name` on PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// A `Command` for the cargo that runs xtask (cargo sets `$CARGO`), so
/// every step uses the same toolchain.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
}

/// The command line as a person would type it, with the variables that were
/// set for it in front, so a failed step can be re-run by hand.
pub fn describe(cmd: &Command) -> String {
    let mut parts: Vec<String> = cmd
        .get_envs()
        .filter_map(|(key, value)| {
            // PATH is set for every command and would drown the line.
            let value = value?;
            (key != "PATH").then(|| format!("{}={}", key.to_string_lossy(), quote(value)))
        })
        .collect();
    let program = Path::new(cmd.get_program());
    // Show `cargo`, not the full path of the toolchain's cargo binary.
    let program = match program.file_name() {
        Some(name) if name == "cargo" => OsString::from("cargo"),
        _ => program.as_os_str().to_os_string(),
    };
    parts.push(quote(&program));
    parts.extend(cmd.get_args().map(quote));
    parts.join(" ")
}

fn quote(word: &std::ffi::OsStr) -> String {
    let word = word.to_string_lossy();
    if word.is_empty() || word.contains([' ', '"', '\'', '$', '*']) {
        format!("'{}'", word.replace('\'', r"'\''"))
    } else {
        word.into_owned()
    }
}

/// Runs a command with the terminal's stdio, printing it first; an
/// unsuccessful exit is an error.
pub fn run(cmd: &mut Command) -> Result<()> {
    let command = describe(cmd);
    println!("    $ {command}");
    let status = cmd.status().map_err(|source| Error::Spawn {
        command: command.clone(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Failed { command, status })
    }
}

/// Runs a command quietly (its stderr still reaches the terminal) and
/// returns its stdout; an unsuccessful exit is an error.
pub fn output(cmd: &mut Command) -> Result<String> {
    let command = describe(cmd);
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|source| Error::Spawn {
            command: command.clone(),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Failed {
            command,
            status: output.status,
        });
    }
    String::from_utf8(output.stdout)
        .map_err(|err| Error::Unusable(format!("`{command}` printed no UTF-8: {err}")))
}

/// Test counts summed over the `test result:` lines of cargo test runs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl std::ops::AddAssign for TestCounts {
    fn add_assign(&mut self, other: TestCounts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

/// Reads libtest's closing line, `test result: ok. 46 passed; 0 failed; 0 ignored; …`.
pub fn parse_test_result(line: &str) -> Option<TestCounts> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let mut counts = TestCounts::default();
    for part in rest.split(';') {
        let mut words = part.split_whitespace().rev();
        let (Some(what), Some(n)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        match what {
            "passed" => counts.passed = n,
            "failed" => counts.failed = n,
            "ignored" => counts.ignored = n,
            _ => {}
        }
    }
    Some(counts)
}

/// Like [`run`], but passes the command's stdout through line by line and
/// sums the `test result:` lines it prints.
pub fn run_counting(cmd: &mut Command) -> Result<TestCounts> {
    use std::io::BufRead;
    let command = describe(cmd);
    println!("    $ {command}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|source| Error::Spawn {
            command: command.clone(),
            source,
        })?;
    let mut counts = TestCounts::default();
    if let Some(out) = child.stdout.take() {
        for line in io::BufReader::new(out)
            .lines()
            .map_while(std::result::Result::ok)
        {
            println!("{line}");
            if let Some(c) = parse_test_result(&line) {
                counts += c;
            }
        }
    }
    let status = child.wait().map_err(|source| Error::Spawn {
        command: command.clone(),
        source,
    })?;
    if status.success() {
        Ok(counts)
    } else {
        Err(Error::Failed { command, status })
    }
}

/// Runs a command quietly and returns what it printed, or `None` when it is
/// missing or fails. Used for version checks, where "not there" is an answer.
///
/// Some programs print their version on stderr, and the Debian `chromium`
/// wrapper prints noise there too, so stdout wins when it has anything.
pub fn probe(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let stdout = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if !stdout.is_empty() {
        return Some(stdout);
    }
    Some(String::from_utf8_lossy(&output.stderr).trim().to_string())
}

/// The first word in a `--version` output that looks like a version:
/// `trunk 0.21.14` → `0.21.14`, `v20.20.2` → `20.20.2`,
/// `wasm-opt version 132 (version_132)` → `132`.
pub fn version_in(output: &str) -> Option<&str> {
    output
        .split_whitespace()
        .map(|word| word.strip_prefix('v').unwrap_or(word))
        .map(|word| word.trim_end_matches([',', ')', ';', ':']))
        .find(|word| {
            word.starts_with(|c: char| c.is_ascii_digit())
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
}

/// Runs `work` as a named step: prints `==> name` before and a line with the
/// outcome and the time it took after, and returns that time with the value.
pub fn timed<T>(name: &str, work: impl FnOnce() -> Result<T>) -> Result<(T, Duration)> {
    println!("==> {name}");
    let start = Instant::now();
    let result = work();
    let took = start.elapsed();
    match result {
        Ok(value) => {
            println!("<== {name}: done in {}", human_duration(took));
            Ok((value, took))
        }
        Err(err) => {
            println!("<== {name}: FAILED after {}", human_duration(took));
            Err(err)
        }
    }
}

/// A duration for people: `0.42 s`, `12.3 s`, `6 min 02 s`.
pub fn human_duration(took: Duration) -> String {
    let secs = took.as_secs_f64();
    if secs < 10.0 {
        format!("{secs:.2} s")
    } else if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        let whole = took.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

/// Copies a folder tree (regular files and folders; crate sources hold
/// nothing else).
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(io_at(to))?;
    for entry in std::fs::read_dir(from).map_err(io_at(from))? {
        let entry = entry.map_err(io_at(from))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().map_err(io_at(&source))?;
        if kind.is_dir() {
            copy_dir(&source, &target)?;
        } else {
            std::fs::copy(&source, &target).map_err(io_at(&source))?;
        }
    }
    Ok(())
}

/// A fresh, empty folder of its own in `parent` (created if need be),
/// named after `prefix`; it is removed when dropped, so two runs at once
/// never share one and a failed step leaves none behind.
pub fn scratch_dir(parent: &Path, prefix: &str) -> Result<tempfile::TempDir> {
    std::fs::create_dir_all(parent).map_err(io_at(parent))?;
    tempfile::Builder::new()
        .prefix(&format!("{prefix}-"))
        .tempdir_in(parent)
        .map_err(io_at(parent))
}

/// Removes a [`scratch_dir`] now, saying so when that fails (a folder a
/// browser still holds open), rather than silently on drop.
pub fn remove_scratch(dir: tempfile::TempDir) {
    let path = dir.path().to_path_buf();
    if let Err(err) = dir.close() {
        println!("    note: could not remove {}: {err}", path.display());
    }
}

/// A program started in the background for the length of a step (the
/// portal emulator for the browser tests), as the leader of a process group
/// of its own. Dropping it stops it: SIGTERM to that group (it and anything
/// it started), a few seconds to exit, then SIGKILL to the same group; each
/// signal only after checking that the group is still the one it leads.
pub struct Background {
    name: String,
    child: std::process::Child,
}

impl Background {
    /// Starts `cmd` with stdout piped and waits until a line of it yields
    /// `Some` through `ready` (or the program exits, or `within` passes).
    /// Later output goes on to this process's stdout, prefixed, so the
    /// program never blocks or fails on a full or closed pipe.
    pub fn start<T: Send + 'static>(
        name: &str,
        cmd: &mut Command,
        within: Duration,
        ready: impl Fn(&str) -> Option<T> + Send + 'static,
    ) -> Result<(Background, T)> {
        use std::io::BufRead;
        let command = describe(cmd);
        println!("    $ {command} &");
        own_group(cmd);
        let child = cmd
            .stdout(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .map_err(|source| Error::Spawn {
                command: command.clone(),
                source,
            })?;
        // From here on, an early return stops the program (Drop).
        let mut background = Background {
            name: name.to_string(),
            child,
        };
        let Some(out) = background.child.stdout.take() else {
            return Err(Error::Unusable(format!("{name}: no stdout to read")));
        };
        let (tx, rx) = std::sync::mpsc::channel::<T>();
        let prefix = name.to_string();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in io::BufReader::new(out)
                .lines()
                .map_while(std::result::Result::ok)
            {
                println!("    [{prefix}] {line}");
                if let Some(value) = tx.as_ref().and_then(|_| ready(&line)) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(value);
                    }
                }
            }
        });
        match rx.recv_timeout(within) {
            Ok(value) => Ok((background, value)),
            Err(_) => Err(Error::Unusable(format!(
                "{name} did not say it was ready within {} (see its output above)",
                human_duration(within)
            ))),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // Not reaped yet, so its PID (and the group it leads) cannot have
        // been reused by another program.
        let pid = self.child.id();
        let termed = signal_own_group(pid, Signal::Term);
        let deadline = Instant::now() + Duration::from_secs(5);
        while termed && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                println!("    {} stopped", self.name);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        println!(
            "    {} did not stop on SIGTERM; killing its process group {pid}",
            self.name
        );
        signal_own_group(pid, Signal::Kill);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The signals [`Background`] sends.
#[derive(Debug, Clone, Copy)]
enum Signal {
    Term,
    Kill,
}

/// Makes the program a process group of its own, so stopping it stops
/// whatever it started too; on Linux it also gets SIGTERM if xtask dies
/// first (Ctrl-C no longer reaches a group that is not the terminal's).
#[cfg(unix)]
fn own_group(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_PDEATHSIG) is async-signal-safe and touches no
    // memory of the parent; it runs in the child between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn own_group(_cmd: &mut Command) {}

/// Sends `signal` to the process group `pid` leads, only if `pid` leads a
/// group (the one [`own_group`] made for a child not yet reaped); whether
/// it was sent. Never through the `kill` program: procps-ng 4.0.2's
/// `kill -KILL -<pgid>` was seen here signalling every process on the
/// machine (e2e/src/harness/driver.rs says the same).
#[cfg(unix)]
fn signal_own_group(pid: u32, signal: Signal) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 1 {
        return false;
    }
    let signal = match signal {
        Signal::Term => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    // SAFETY: getpgid and kill take plain integers and touch no memory.
    // `-pid` names the group only after getpgid says `pid` leads it.
    unsafe { libc::getpgid(pid) == pid && libc::kill(-pid, signal) == 0 }
}

#[cfg(not(unix))]
fn signal_own_group(_pid: u32, _signal: Signal) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_version_word_in_version_outputs() {
        let cases = [
            ("trunk 0.21.14", Some("0.21.14")),
            ("wasm-bindgen 0.2.130", Some("0.2.130")),
            ("wasm-opt version 132 (version_132)", Some("132")),
            ("v20.20.2", Some("20.20.2")),
            (
                "Chromium 156.0.8078.73 built on Debian GNU/Linux 12",
                Some("156.0.8078.73"),
            ),
            (
                "ChromeDriver 156.0.8078.73 (abc-refs/branch-heads/1@{#1})",
                Some("156.0.8078.73"),
            ),
            ("brotli 1.0.9", Some("1.0.9")),
            ("rustc 1.95.0 (59807616e 2026-04-14)", Some("1.95.0")),
            ("no version here", None),
            ("", None),
        ];
        for (output, expected) in cases {
            assert_eq!(version_in(output), expected, "{output}");
        }
    }

    #[test]
    fn reads_libtest_closing_lines() {
        assert_eq!(
            parse_test_result("test result: ok. 46 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.06s"),
            Some(TestCounts { passed: 46, failed: 0, ignored: 2 })
        );
        assert_eq!(
            parse_test_result(
                "test result: FAILED. 16 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out"
            ),
            Some(TestCounts {
                passed: 16,
                failed: 1,
                ignored: 0
            })
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
    }

    #[test]
    fn prints_durations_for_people() {
        assert_eq!(human_duration(Duration::from_millis(420)), "0.42 s");
        assert_eq!(human_duration(Duration::from_millis(12_340)), "12.3 s");
        assert_eq!(human_duration(Duration::from_secs(362)), "6 min 02 s");
    }

    #[test]
    fn a_background_program_reports_ready_and_is_stopped_on_drop() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo starting; echo 'ready at 42'; exec sleep 30"]);
        let (bg, n) = Background::start("sleeper", &mut cmd, Duration::from_secs(10), |line| {
            line.strip_prefix("ready at ")?.parse::<u32>().ok()
        })
        .unwrap();
        assert_eq!(n, 42);
        let pid = bg.child.id();
        let started = Instant::now();
        drop(bg);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "SIGTERM stopped it"
        );
        assert!(gone(pid), "PID {pid} is gone");
    }

    /// Whether no live process has `pid` (a zombie waiting for whoever
    /// adopted it counts as gone).
    fn gone(pid: u32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        }
    }

    #[test]
    fn stopping_a_background_program_stops_what_it_started() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 30 & echo \"ready at $!\"; wait"]);
        let (bg, grandchild) =
            Background::start("parent", &mut cmd, Duration::from_secs(10), |line| {
                line.strip_prefix("ready at ")?.parse::<u32>().ok()
            })
            .unwrap();
        assert!(!gone(grandchild), "the sleep runs");
        drop(bg);
        let deadline = Instant::now() + Duration::from_secs(5);
        while !gone(grandchild) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(gone(grandchild), "PID {grandchild} went with its group");
    }

    #[test]
    fn signals_no_group_that_a_pid_does_not_lead() {
        // Started in this test's group, which the child does not lead.
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        let signalled = signal_own_group(child.id(), Signal::Term);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!signalled && running, "no signal reached it or its group");
        assert!(!signal_own_group(1, Signal::Term));
    }

    #[test]
    fn a_program_that_never_gets_ready_is_an_error() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo nope"]);
        let started = Background::start(
            "quiet",
            &mut cmd,
            Duration::from_millis(500),
            |_| None::<()>,
        );
        assert!(started.is_err());
    }

    #[test]
    fn describes_commands_so_they_can_be_pasted() {
        let mut cmd = Command::new("cargo");
        cmd.args(["test", "-p", "e2e", "--", "--test-threads", "2"])
            .env("TMPDIR", "/tmp/a b");
        assert_eq!(
            describe(&cmd),
            "TMPDIR='/tmp/a b' cargo test -p e2e -- --test-threads 2"
        );
    }
}
