//! `cargo xtask demo [-- emulator flags]`: builds what the demo needs, then
//! runs the portal emulator in the foreground; it prints the URL to open.

use std::process::Command;

use crate::app;
use crate::setup;
use crate::util::{self, run, timed, Error, Result, Workspace};

/// Builds the app (once it has a Trunk setup) and the emulator, then turns
/// into the emulator. `extra` goes to the emulator as it is.
pub fn run_demo(ws: &Workspace, extra: &[String]) -> Result<()> {
    let dist = if app::has_trunk_setup(&ws.root)? {
        setup::ensure(&ws.root, setup::APP_BUILD)?;
        let (dist, _) = timed("demo: app release build", || app::build(&ws.root))?;
        Some(dist)
    } else {
        println!("    the app has no Trunk.toml yet: the emulator serves its placeholder app page");
        None
    };
    timed("demo: build portal-emulator (profile tool)", || {
        run(util::cargo().args(emulator_cargo_args("build")))
    })?;

    let mut cmd = util::cargo();
    cmd.args(emulator_cargo_args("run"))
        .arg("--quiet")
        .arg("--");
    let user_sets_dist = extra
        .iter()
        .any(|arg| arg == "--dist" || arg.starts_with("--dist="));
    if let (Some(dist), false) = (dist, user_sets_dist) {
        cmd.arg("--dist").arg(dist);
    }
    // The demo's admin has opened the overview and shown the Waiting for
    // column before (a new admin starts with both off: each costs
    // requests), unless the flags given say otherwise.
    if !extra.iter().any(|arg| arg.starts_with("--user-option")) {
        for option in DEMO_USER_OPTIONS {
            cmd.arg("--user-option").arg(option);
        }
    }
    cmd.args(extra);
    println!("==> demo: starting the portal emulator (Ctrl-C stops it)");
    replace_process(cmd)
}

/// The user options the demo's admin has saved: the overview open, and
/// Waiting for shown beside the template (Module and Entity hidden: the
/// Document column names the kind, and the frame is narrow).
pub const DEMO_USER_OPTIONS: [&str; 2] = [
    "wm_overview=open",
    "wm_columns=id,started,!age,by,template,waiting,!module,!entity,document,modified,!idle,locked",
];

pub fn emulator_cargo_args(verb: &str) -> [&str; 7] {
    [
        verb,
        "--profile",
        "tool",
        "-p",
        "portal-emulator",
        "--bin",
        "portal-emulator",
    ]
}

/// Becomes `cmd` (exec) so the emulator is the foreground process itself:
/// Ctrl-C reaches it directly and it shuts down cleanly, with no xtask in
/// between that could die first and leave it printing over the prompt.
/// (`cargo run` execs its program the same way.)
#[cfg(unix)]
fn replace_process(mut cmd: Command) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let command = util::describe(&cmd);
    println!("    $ {command}");
    let source = cmd.exec(); // returns only when the exec failed
    Err(Error::Spawn { command, source })
}

#[cfg(not(unix))]
fn replace_process(mut cmd: Command) -> Result<()> {
    run(&mut cmd)
}
