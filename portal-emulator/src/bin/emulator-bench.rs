//! `emulator-bench`: how the portal emulator scales. Generates a large portal
//! (1,000,000 running workflows by default), then times REST requests over
//! loopback HTTP: filtered and ordered pages, a deep page, and a batch of
//! pages. Prints a table (min / median / max) and writes JSON.
//!
//! Run through `cargo xtask bench`, or:
//! `cargo run --profile tool -p portal-emulator --bin emulator-bench -- --out target/bench/emulator.json`

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use portal_emulator::{start, Config};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Parser)]
struct Args {
    /// Number of running workflows to generate.
    #[arg(long, default_value_t = 1_000_000)]
    workflows: usize,
    /// Runs per measurement.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Where to write the JSON results.
    #[arg(long, default_value = "target/bench/emulator.json")]
    out: PathBuf,
}

/// POSTs JSON over a fresh HTTP/1.1 connection; returns status and body.
async fn post(
    addr: std::net::SocketAddr,
    path: &str,
    body: &Value,
) -> std::io::Result<(u16, Value)> {
    let payload = body.to_string();
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // Answers may be chunked; the JSON object spans from the first `{` to the last `}`.
    let json_text = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) if b >= a => &body[a..=b],
        _ => "null",
    };
    Ok((
        status,
        serde_json::from_str(json_text).unwrap_or(Value::Null),
    ))
}

fn stats(mut ms: Vec<f64>) -> (f64, f64, f64) {
    ms.sort_by(|a, b| a.total_cmp(b));
    let median = ms[ms.len() / 2];
    (ms[0], median, ms[ms.len() - 1])
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut config = Config::for_tests(args.workflows);
    config.epoch = None;
    let began = Instant::now();
    let running = match start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("emulator-bench: cannot start the emulator: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let load_s = began.elapsed().as_secs_f64();
    let addr = running.portal_addr;
    let token = running
        .state
        .tokens()
        .mint(1, 3600, portal_emulator::state::now_ms())
        .access_token;
    let stuck_before = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    let deep = args.workflows.saturating_sub(50);
    let batch_cmd: serde_json::Map<String, Value> = (0..10)
        .map(|i| {
            (
                format!("p{i}"),
                json!(format!(
                    "bizproc.workflow.instances?select[]=ID&select[]=STARTED&select[]=TEMPLATE_ID&order[STARTED]=desc&order[ID]=desc&start={}",
                    i * 50
                )),
            )
        })
        .collect();
    let cases: Vec<(&str, &str, Value)> = vec![
        (
            "first page, default order (MODIFIED DESC)",
            "bizproc.workflow.instances",
            json!({}),
        ),
        (
            "stuck: <OWNED_UNTIL now-5min, ORDER OWNED_UNTIL ASC, ID ASC",
            "bizproc.workflow.instances",
            json!({"select": ["ID", "OWNED_UNTIL", "TEMPLATE_ID"], "filter": {"<OWNED_UNTIL": stuck_before}, "order": {"OWNED_UNTIL": "ASC", "ID": "ASC"}}),
        ),
        (
            "by template + automation, ORDER STARTED DESC, ID DESC",
            "bizproc.workflow.instances",
            json!({"select": ["ID", "STARTED", "STARTED_BY", "TEMPLATE_ID", "DOCUMENT_ID"], "filter": {"STARTED_BY": 0, ">TEMPLATE_ID": 100}, "order": {"STARTED": "DESC", "ID": "DESC"}}),
        ),
        (
            "last page, ORDER ID ASC (deep offset)",
            "bizproc.workflow.instances",
            json!({"select": ["ID"], "order": {"ID": "ASC"}, "start": deep}),
        ),
        (
            "batch of 10 pages, ORDER STARTED DESC",
            "batch",
            json!({"halt": 0, "cmd": batch_cmd}),
        ),
    ];
    println!(
        "portal emulator at {} workflows: generated and serving in {:.2} s",
        args.workflows, load_s
    );
    println!(
        "{:<62} {:>9} {:>9} {:>9}  total",
        "request", "min ms", "median", "max ms"
    );
    let mut results = Vec::new();
    for (name, method, mut params) in cases {
        params["auth"] = json!(token);
        let mut times = Vec::new();
        let mut total = Value::Null;
        for _ in 0..args.runs.max(1) {
            let t = Instant::now();
            match post(addr, &format!("/rest/{method}.json"), &params).await {
                Ok((200, body)) => {
                    total = body
                        .get("total")
                        .cloned()
                        .unwrap_or_else(|| body["result"]["result_total"]["p0"].clone());
                }
                Ok((status, body)) => {
                    eprintln!("emulator-bench: {name}: HTTP {status}: {body}");
                    return std::process::ExitCode::FAILURE;
                }
                Err(e) => {
                    eprintln!("emulator-bench: {name}: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (min, median, max) = stats(times);
        println!("{name:<62} {min:>9.1} {median:>9.1} {max:>9.1}  {total}");
        results.push(json!({"request": name, "min_ms": min, "median_ms": median, "max_ms": max, "total": total}));
    }
    let budget_ok = results
        .iter()
        .all(|r| r["median_ms"].as_f64().is_some_and(|m| m < 1000.0));
    println!(
        "budget: every page answered in under 1 s (median): {}",
        if budget_ok { "PASS" } else { "FAIL" }
    );
    let report = json!({
        "workflows": args.workflows,
        "runs": args.runs,
        "load_s": load_s,
        "requests": results,
        "budget_page_under_1s": budget_ok,
    });
    if let Some(dir) = args.out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(
        &args.out,
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    ) {
        eprintln!("emulator-bench: cannot write {}: {e}", args.out.display());
        return std::process::ExitCode::FAILURE;
    }
    println!("written to {}", args.out.display());
    running.stop().await;
    std::process::ExitCode::SUCCESS
}
