//! `portal-emulator`: starts the emulated portal and prints the URL to open.

use clap::Parser;
use portal_emulator::{start, Config};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    let workflows = config.workflows;
    let began = std::time::Instant::now();
    let running = match start(config).await {
        Ok(running) => running,
        Err(err) => {
            eprintln!("portal-emulator: cannot start: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "portal-emulator: {workflows} running workflows generated in {:.2} s",
        began.elapsed().as_secs_f64()
    );
    println!("portal-emulator: app host   {}", running.state.app_url);
    println!("portal-emulator: REST API   {}/rest/", running.portal_url());
    println!("portal-emulator: open this  {}", running.app_page_url());
    println!("portal-emulator: press Ctrl-C to stop");
    wait_for_stop().await;
    println!("portal-emulator: stopping");
    running.stop().await;
    std::process::ExitCode::SUCCESS
}

/// Waits for Ctrl-C, or for SIGTERM (how `cargo xtask demo` and test
/// harnesses stop a child process).
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(err) => {
                eprintln!("portal-emulator: cannot listen for SIGTERM: {err}");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
