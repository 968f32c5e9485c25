//! `app-bench`: the Workflow Monitor's release build inside the portal
//! emulator, in headless Chromium, measured from the browser (navigation
//! and paint timings, the app's `wm:` performance marks, DevTools heap
//! readings) and from the emulator's request log. Prints tables (min /
//! median / max over the runs), the budgets as PASS / FAIL and the
//! side-by-side with the official JS SDK, and writes it all as JSON.
//!
//! Run through `cargo xtask bench app` (which builds the app and installs
//! Chromium and the npm packages first), or after `cargo xtask build`:
//! `cargo run --profile tool -p e2e --bin app-bench -- --out target/bench/app.json`
//!
//! Flags: `--runs N` (5), `--soak-minutes M` (10; 0 skips the soak),
//! `--only render` (only the 500-row render, its floor, the nodes per row
//! and the files' sizes: a quick check while working on the table),
//! `--only actions` (only the side-by-side "stop 2,500 workflows selected
//! by a filter", `e2e::bench::stop`), `--out FILE`. Definitions: README,
//! *Performance*.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use e2e::app::app_dist;
use e2e::bench::assemble_sdk_bench_dist;
use e2e::bench::browser::{self, Action};
use e2e::bench::budgets::{heap_growth, worst, Budget, Rule, Verdict};
use e2e::bench::heap;
use e2e::bench::stats::{slope, summary_json, Summary};
use e2e::bench::stop::{self, AppRun, SdkRun, MATCHING};
use e2e::bench::transfer::{file_of, kind_of, Sizes};
use e2e::bench::waves::{round_trips, within, Exchange};
use e2e::portal_emulator::Config;
use e2e::{config_serving, wait_for_within, Harness, HarnessError, Result, Scratch};
use serde_json::{json, Map, Value};

/// The portal's data: the 2,500 running workflows.
const WORKFLOWS: u64 = 2_500;
/// Latency of the interactions, the side-by-side and the budgets.
const LATENCY_MS: u64 = 100;

struct Args {
    out: PathBuf,
    runs: usize,
    soak_minutes: f64,
    /// `--only …`: one part alone.
    only: Option<Only>,
}

/// The parts `--only` can run alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Only {
    /// [`render_only`].
    Render,
    /// [`stop_by_filter`].
    Actions,
    /// [`export_all`] beside the SDK, and [`export_100k`].
    Export,
    /// [`overview`].
    Overview,
}

fn parse_args() -> std::result::Result<Args, String> {
    let mut args = Args {
        out: PathBuf::from("target/bench/app.json"),
        runs: 5,
        soak_minutes: 10.0,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => args.out = PathBuf::from(value()?),
            "--runs" => {
                args.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?;
            }
            "--soak-minutes" => {
                args.soak_minutes = value()?
                    .parse()
                    .map_err(|e| format!("--soak-minutes: {e}"))?;
            }
            "--only" => {
                args.only = Some(match value()?.as_str() {
                    "render" => Only::Render,
                    "actions" => Only::Actions,
                    "export" => Only::Export,
                    "overview" => Only::Overview,
                    other => {
                        return Err(format!(
                            "--only {other}: one of render, actions, export, overview"
                        ))
                    }
                })
            }
            other => {
                return Err(format!(
                    "unknown flag {other} (--out, --runs, --soak-minutes, --only)"
                ))
            }
        }
    }
    args.runs = args.runs.max(1);
    Ok(args)
}

/// Everything measured, kept for the JSON, the tables and the budgets.
#[derive(Default)]
struct Report {
    json: Map<String, Value>,
    rows: Vec<[String; 5]>,
    budgets: Vec<Budget>,
    compare: Vec<[String; 5]>,
    /// Lines printed after the side-by-side (a target met or missed).
    notes: Vec<String>,
    errors: Vec<String>,
}

impl Report {
    /// A table row: what, unit, min, median, max.
    fn line(&mut self, what: &str, unit: &str, values: &[f64]) {
        let cells = match Summary::of(values) {
            Some(s) => [fmt(s.min), fmt(s.median), fmt(s.max)],
            None => ["–".into(), "–".into(), "–".into()],
        };
        let [min, median, max] = cells;
        self.rows
            .push([what.to_owned(), unit.to_owned(), min, median, max]);
    }

    fn failed(&mut self, phase: &str, err: &HarnessError) {
        eprintln!("app-bench: {phase}: {err}");
        self.errors.push(format!("{phase}: {err}"));
    }
}

fn fmt(v: f64) -> String {
    if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn config(dist: &Path) -> Config {
    let mut config = config_serving(dist);
    config.workflows = WORKFLOWS as usize;
    // The real portal's bucket (fact sheet §3.1), as the app meets it.
    config.rate = 2.0;
    config.burst = 50.0;
    config
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("app-bench: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let began = Instant::now();
    let mut report = Report::default();
    let dist = match app_dist() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("app-bench: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    report.json.insert(
        "machine".into(),
        json!("this machine: 2 shared cores, noisy; ratios matter more than absolute times"),
    );
    report.json.insert("runs".into(), json!(args.runs));
    report.json.insert("workflows".into(), json!(WORKFLOWS));

    match args.only {
        Some(Only::Render) => {
            if let Err(e) = render_only(&dist, args.runs, &mut report).await {
                report.failed("render", &e);
            }
            return finish(report, &args.out, began);
        }
        Some(Only::Actions) => {
            stop_by_filter(&dist, args.runs, &mut report).await;
            return finish(report, &args.out, began);
        }
        Some(Only::Overview) => {
            if let Err(e) = overview(&dist, args.runs, &mut report).await {
                report.failed("overview", &e);
            }
            return finish(report, &args.out, began);
        }
        Some(Only::Export) => {
            let mut ours = Ours::default();
            match Harness::start("bench-export", config(&dist)).await {
                Ok(h) => {
                    match export_all(&h, args.runs).await {
                        Ok(runs) => ours.export = runs,
                        Err(e) => report.failed("export of all 2,500 (ours)", &e),
                    }
                    if let Err(e) = h.finish().await {
                        report.failed("export harness", &e);
                    }
                }
                Err(e) => report.failed("export harness", &e),
            }
            if let Err(e) = sdk_phase(&args, &ours, &mut report).await {
                report.failed("sdk side-by-side", &e);
            }
            if let Err(e) = export_100k(&dist, &mut report).await {
                report.failed("export of 100,000", &e);
            }
            return finish(report, &args.out, began);
        }
        None => {}
    }
    let ours = match app_phases(&dist, &args, &mut report).await {
        Ok(o) => o,
        Err(e) => {
            report.failed("app", &e);
            Ours::default()
        }
    };
    if let Err(e) = sdk_phase(&args, &ours, &mut report).await {
        report.failed("sdk side-by-side", &e);
    }
    stop_by_filter(&dist, args.runs, &mut report).await;
    if let Err(e) = export_100k(&dist, &mut report).await {
        report.failed("export of 100,000", &e);
    }
    if let Err(e) = overview(&dist, args.runs, &mut report).await {
        report.failed("overview", &e);
    }
    emulator_figures(&args.out, &mut report);
    finish(report, &args.out, began)
}

/// Prints the report, writes it as JSON to `out`; failure if any phase
/// failed.
fn finish(mut report: Report, out: &Path, began: Instant) -> std::process::ExitCode {
    print_report(&report);
    report.json.insert(
        "budgets".into(),
        Value::Array(report.budgets.iter().map(Budget::to_json).collect()),
    );
    report
        .json
        .insert("errors".into(), json!(report.errors.clone()));
    report
        .json
        .insert("took_s".into(), json!(began.elapsed().as_secs_f64()));
    if let Some(dir) = out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let text = serde_json::to_string_pretty(&Value::Object(report.json)).unwrap_or_default();
    if let Err(e) = std::fs::write(out, text) {
        eprintln!("app-bench: cannot write {}: {e}", out.display());
        return std::process::ExitCode::FAILURE;
    }
    println!("written to {}", out.display());
    if report.errors.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// One run of a side-by-side job: (requests sent until it was done, wall
/// ms from opening the portal page, round trips of those requests).
type JobRun = (f64, f64, f64);

/// Our side of the side-by-side, per run.
#[derive(Default)]
struct Ours {
    first50: Vec<JobRun>,
    all: Vec<JobRun>,
    export: Vec<JobRun>,
}

async fn app_phases(dist: &Path, args: &Args, report: &mut Report) -> Result<Ours> {
    let h = Harness::start("bench-app", config(dist)).await?;
    browser::watch_wasm_memory(&h).await?;
    let mut ours = Ours::default();
    let mut first_files = None;
    for latency in [0, LATENCY_MS] {
        match cold_starts(&h, latency, args.runs, report).await {
            Ok((files, first50)) => {
                first_files = first_files.or(Some(files));
                if latency == LATENCY_MS {
                    ours.first50 = first50;
                }
            }
            Err(e) => report.failed(&format!("cold start at {latency} ms"), &e),
        }
    }
    match first_files {
        Some(files) => transfer(dist, &files, report),
        None => report.budgets.push(transfer_budget(None)),
    }
    if let Err(e) = interactions(&h, args.runs, report).await {
        report.failed("interactions", &e);
    }
    match all_pages(&h, args.runs).await {
        Ok(all) => ours.all = all,
        Err(e) => report.failed("all pages (ours)", &e),
    }
    match export_all(&h, args.runs).await {
        Ok(all) => ours.export = all,
        Err(e) => report.failed("export of all 2,500 (ours)", &e),
    }
    if args.soak_minutes > 0.0 {
        if let Err(e) = soak(&h, args.soak_minutes, report).await {
            report.failed("soak", &e);
        }
    }
    h.finish().await?;
    Ok(ours)
}

// ---------------------------------------------------------------------------
// Cold start

/// Opens the portal page from scratch `runs` times at `latency` ms; returns
/// the files the first run's frame loaded and, per run, (requests, wall ms,
/// round trips) up to the complete named table.
async fn cold_starts(
    h: &Harness,
    latency: u64,
    runs: usize,
    report: &mut Report,
) -> Result<(Vec<Value>, Vec<JobRun>)> {
    browser::knobs(h, json!({ "latency_ms": latency })).await?;
    let keys = [
        ("portal page loaded", "portal_load"),
        ("app frame navigation starts", "frame_start"),
        ("app frame first contentful paint", "frame_fcp"),
        ("wasm fetched", "wasm_fetched"),
        ("handshake done (wm:handshake)", "handshake"),
        ("first rows painted (wm:first-rows)", "first_rows"),
        ("fully named table (wm:named)", "named"),
    ];
    let mut series: Vec<Vec<f64>> = vec![Vec::new(); keys.len()];
    let (mut to_rows, mut to_named, mut requests, mut first_screen) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut side = Vec::new();
    let mut files = Vec::new();
    let mut calls = String::new();
    for _ in 0..runs {
        browser::fresh_start(h).await?;
        let t0 = browser::open_portal(h, "").await?;
        let named = browser::wait_mark_after(h, "wm:named", t0).await?;
        browser::wait_settled(h).await?;
        let t = browser::timings(h).await?;
        let ex = browser::exchanges(h).await?;
        let marks = &t["frame"]["marks"];
        let at = |v: &Value| v.as_f64().map_or(f64::NAN, |x| x - t0);
        let wasm = t["frame"]["files"]
            .as_array()
            .and_then(|f| {
                f.iter()
                    .find(|x| x["url"].as_str().is_some_and(|u| u.ends_with(".wasm")))
            })
            .map_or(f64::NAN, |x| at(&x["end"]));
        let values = [
            at(&t["portal"]["load"]),
            at(&t["frame"]["origin"]),
            at(&t["frame"]["first_contentful_paint"]),
            wasm,
            at(&marks["wm:handshake"]),
            at(&marks["wm:first-rows"]),
            named - t0,
        ];
        for (s, v) in series.iter_mut().zip(values) {
            s.push(v);
        }
        let handshake = marks["wm:handshake"].as_f64().unwrap_or(t0);
        let rows_data = marks["wm:rows-data"].as_f64().unwrap_or(named);
        to_rows.push(round_trips(&within(&ex, handshake, rows_data)) as f64);
        let before_named = within(&ex, handshake, named);
        to_named.push(round_trips(&before_named) as f64);
        requests.push(before_named.len() as f64);
        first_screen.push(ex.len() as f64);
        let sent = ex.iter().filter(|e| e.arrived_ms <= named).count() as f64;
        side.push((sent, named - t0, round_trips(&before_named) as f64));
        calls = describe(&ex);
        if files.is_empty() {
            files = t["frame"]["files"].as_array().cloned().unwrap_or_default();
        }
    }
    for ((label, key), values) in keys.iter().zip(&series) {
        report.line(&format!("cold start {latency} ms: {label}"), "ms", values);
        report
            .json
            .insert(format!("cold_{latency}ms_{key}"), summary_json(values));
    }
    // Round trips are read at 100 ms only: at 0 ms an answer is back before
    // the next independent request leaves, so waves say nothing there.
    if latency == LATENCY_MS {
        report.line(
            &format!("cold start {latency} ms: round trips to first rows"),
            "",
            &to_rows,
        );
        report.line(
            &format!("cold start {latency} ms: round trips to named table"),
            "",
            &to_named,
        );
    }
    report.line(
        &format!("cold start {latency} ms: requests to named table"),
        "",
        &requests,
    );
    report.line(
        &format!("cold start {latency} ms: requests of the first screen"),
        "",
        &first_screen,
    );
    report.json.insert(
        format!("cold_{latency}ms_rest"),
        json!({
            "round_trips_to_first_rows": summary_json(&to_rows),
            "round_trips_to_named": summary_json(&to_named),
            "requests_to_named": summary_json(&requests),
            "requests_first_screen": summary_json(&first_screen),
            "calls_last_run": calls,
        }),
    );
    if latency == LATENCY_MS {
        let n = runs;
        report.budgets.push(Budget::new(
            "first rows: round trips after the handshake (100 ms)",
            Rule::Exactly,
            1.0,
            "round trips",
            worst(&to_rows),
            format!("worst of {n}"),
        ));
        report.budgets.push(Budget::new(
            "complete named table: round trips after the handshake (100 ms)",
            Rule::AtMost,
            2.0,
            "round trips",
            worst(&to_named),
            format!("worst of {n}"),
        ));
    }
    Ok((files, side))
}

fn describe(ex: &[Exchange]) -> String {
    ex.iter()
        .map(Exchange::describe)
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------
// Transfer

/// Sizes of every file the frame loaded (from the browser's navigation and
/// resource entries), computed from the same files in `dist`.
fn transfer(dist: &Path, files: &[Value], report: &mut Report) {
    let mut total = Sizes::default();
    let mut by_kind: Vec<(&'static str, Sizes)> = Vec::new();
    let mut listed = Vec::new();
    for f in files {
        let url = f["url"].as_str().unwrap_or_default();
        let name = file_of(url);
        let Ok(bytes) = std::fs::read(dist.join(&name)) else {
            report
                .errors
                .push(format!("transfer: {name} (from {url}) is not in dist/"));
            continue;
        };
        let Ok(sizes) = Sizes::of(&bytes) else {
            continue;
        };
        let kind = kind_of(&name);
        total = total.plus(sizes);
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, s)) => *s = s.plus(sizes),
            None => by_kind.push((kind, sizes)),
        }
        listed.push(json!({
            "file": name, "kind": kind, "raw": sizes.raw, "gzip": sizes.gzip,
            "brotli": sizes.brotli, "transferred": f["transfer"],
        }));
    }
    for (kind, s) in by_kind.iter().chain([("total", total)].iter()) {
        report.rows.push([
            format!("transfer: {kind} (raw / gzip / brotli)"),
            "KB".into(),
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli),
        ]);
    }
    report.json.insert(
        "transfer".into(),
        json!({
            "files": listed,
            "total": { "raw": total.raw, "gzip": total.gzip, "brotli": total.brotli },
            "unit": "bytes; KB in the tables is 1000 bytes",
        }),
    );
    report
        .budgets
        .push(transfer_budget(Some(total.brotli as f64 / 1000.0)));
}

fn transfer_budget(brotli_kb: Option<f64>) -> Budget {
    Budget::new(
        "initial transfer, everything the app loads (brotli)",
        Rule::AtMost,
        150.0,
        "KB",
        brotli_kb,
        "brotli q11",
    )
}

fn kb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1000.0)
}

// ---------------------------------------------------------------------------
// Interactions

/// One measured interaction: its action, how to undo it afterwards
/// (unmeasured), and what the pager then says (when known).
struct Interaction {
    name: &'static str,
    action: Action,
    showing: Option<String>,
    undo: Option<Action>,
}

fn press(name: &str) -> Action {
    Action::Press(name.to_owned())
}

fn interactions_list() -> Vec<Interaction> {
    let all = |a: u64, b: u64| Some(format!("Showing {}–{} of 2,500", group(a), group(b)));
    vec![
        Interaction {
            name: "sort (click Modified)",
            action: Action::Header("Modified".into()),
            showing: all(1, 50),
            undo: Some(Action::Header("Started".into())),
        },
        Interaction {
            name: "add filter (preset Started by automation)",
            action: press("Started by automation"),
            showing: None,
            undo: Some(press("Clear all")),
        },
        Interaction {
            name: "next page",
            action: press("Next page"),
            showing: all(51, 100),
            undo: Some(press("First page")),
        },
        Interaction {
            name: "jump to last page",
            action: press("Last page"),
            showing: all(2_451, 2_500),
            undo: Some(press("First page")),
        },
        Interaction {
            name: "page size 500",
            action: Action::Choose("Rows per page".into(), "500".into()),
            showing: all(1, 500),
            undo: Some(Action::Choose("Rows per page".into(), "50".into())),
        },
    ]
}

fn group(n: u64) -> String {
    e2e::table::grouped(n)
}

/// What one interaction cost and took.
#[derive(Default, Clone)]
struct Taken {
    requests: Vec<f64>,
    round_trips: Vec<f64>,
    rows_ms: Vec<f64>,
    render_ms: Vec<f64>,
    named_ms: Vec<f64>,
    calls: String,
}

/// Does `action`, waits until its rows are painted, every answer has
/// arrived and every name is shown; returns its costs. Requests sent
/// before the click are not its own.
async fn measure(h: &Harness, action: &Action, showing: Option<&str>) -> Result<MeasuredOnce> {
    let before = browser::exchanges(h).await?.len();
    let click = browser::act(h, action).await?;
    let rows = browser::wait_mark_after(h, "wm:rows", click).await?;
    if let Some(text) = showing {
        browser::wait_showing(h, text).await?;
    }
    let named = browser::wait_mark_after(h, "wm:named", click).await?;
    browser::wait_settled(h).await?;
    let rows_data = browser::mark(h, "wm:rows-data").await?.unwrap_or(rows);
    let ex: Vec<Exchange> = browser::exchanges(h).await?.split_off(before);
    Ok(MeasuredOnce {
        requests: ex.len(),
        round_trips: round_trips(&within(&ex, click, rows_data)),
        before_rows: within(&ex, click, rows_data),
        rows_ms: rows - click,
        render_ms: rows - rows_data,
        named_ms: named - click,
        calls: describe(&ex),
    })
}

struct MeasuredOnce {
    requests: usize,
    round_trips: u32,
    before_rows: Vec<Exchange>,
    rows_ms: f64,
    render_ms: f64,
    named_ms: f64,
    calls: String,
}

/// The app at 100 ms latency: each interaction `runs` times from the
/// first page of the default view. Between interactions the bench waits
/// half a second per request made, so the app's own 2/s limiter never
/// paces a measured one.
async fn interactions(h: &Harness, runs: usize, report: &mut Report) -> Result<()> {
    browser::knobs(h, json!({ "latency_ms": LATENCY_MS })).await?;
    browser::fresh_start(h).await?;
    let t0 = browser::open_portal(h, "").await?;
    browser::wait_mark_after(h, "wm:named", t0).await?;
    browser::wait_settled(h).await?;
    let list = interactions_list();
    let mut taken: Vec<Taken> = vec![Taken::default(); list.len()];
    let mut batch_500 = Vec::new();
    let mut floor_500 = Vec::new();
    let mut nodes = None;
    for _ in 0..runs {
        for (i, it) in list.iter().enumerate() {
            let m = measure(h, &it.action, it.showing.as_deref()).await?;
            let t = &mut taken[i];
            t.requests.push(m.requests as f64);
            t.round_trips.push(m.round_trips as f64);
            t.rows_ms.push(m.rows_ms);
            t.render_ms.push(m.render_ms);
            t.named_ms.push(m.named_ms);
            t.calls = m.calls;
            if it.name == "page size 500" {
                batch_500.push(m.before_rows.len() as f64);
                floor_500.push(plain_table_paint(h).await?);
                nodes = Some(nodes_per_row(h).await?);
            }
            let mut made = m.requests;
            if let Some(undo) = &it.undo {
                made += measure(h, undo, None).await?.requests;
            }
            tokio::time::sleep(Duration::from_millis(500 * made as u64)).await;
        }
    }
    let mut json_list = Vec::new();
    for (it, t) in list.iter().zip(&taken) {
        report.line(&format!("{}: requests sent", it.name), "", &t.requests);
        report.line(
            &format!("{}: round trips before the rows", it.name),
            "",
            &t.round_trips,
        );
        report.line(&format!("{}: new rows painted", it.name), "ms", &t.rows_ms);
        json_list.push(json!({
            "interaction": it.name,
            "requests": summary_json(&t.requests),
            "round_trips_before_rows": summary_json(&t.round_trips),
            "rows_painted_ms": summary_json(&t.rows_ms),
            "render_ms": summary_json(&t.render_ms),
            "named_ms": summary_json(&t.named_ms),
            "calls_last_run": t.calls,
        }));
    }
    report
        .json
        .insert("interactions_100ms".into(), Value::Array(json_list));
    let n = runs;
    let by = |name: &str| {
        list.iter()
            .position(|i| i.name.starts_with(name))
            .map(|i| taken[i].clone())
            .unwrap_or_default()
    };
    let (sort, filter, next, last, size) = (
        by("sort"),
        by("add filter"),
        by("next page"),
        by("jump"),
        by("page size"),
    );
    let mut render_50 = sort.render_ms.clone();
    render_50.extend(&next.render_ms);
    render_50.extend(&last.render_ms);
    report.line("render: 50 rows (data in hand → painted)", "ms", &render_50);
    report_render(report, &size.render_ms, &floor_500, nodes, n);
    if let Some(r) = report.json.get_mut("render").and_then(Value::as_object_mut) {
        r.insert("rows_50_ms".into(), summary_json(&render_50));
    }
    let rt = |name: &str, rule, limit, t: &Taken| {
        Budget::new(
            format!("{name}: round trips before the new rows (100 ms)"),
            rule,
            limit,
            "round trips",
            worst(&t.round_trips),
            format!("worst of {n}"),
        )
    };
    for (name, limit, timing) in [
        ("next page (from prefetch)", 0.0, &next),
        ("sort change", 1.0, &sort),
        ("filter change", 1.0, &filter),
        ("page size 500", 1.0, &size),
    ] {
        report.budgets.push(rt(name, Rule::Exactly, limit, timing));
    }
    report.budgets.push(Budget::new(
        "page size 500: requests before the new rows (one batch)",
        Rule::Exactly,
        1.0,
        "requests",
        worst(&batch_500),
        format!("worst of {n}"),
    ));
    Ok(())
}

/// The 500-row render figures: the app's, the floor's, their ratio, the
/// DOM nodes per row, and the budget.
fn report_render(
    report: &mut Report,
    render_500: &[f64],
    floor_500: &[f64],
    nodes: Option<RowNodes>,
    n: usize,
) {
    report.line(
        "render: 500 rows (data in hand → painted)",
        "ms",
        render_500,
    );
    report.line(
        "render floor: the same 500 rows as a plain text table",
        "ms",
        floor_500,
    );
    let ratio = match (Summary::of(render_500), Summary::of(floor_500)) {
        (Some(r), Some(f)) if f.median > 0.0 => Some(r.median / f.median),
        _ => None,
    };
    report.line(
        "render: 500 rows / floor (medians)",
        "×",
        &ratio.into_iter().collect::<Vec<_>>(),
    );
    if let Some(nodes) = nodes {
        for (what, v) in [
            ("DOM nodes per row (elements and text)", nodes.nodes),
            ("elements per row", nodes.elements),
            ("tooltip elements per row", nodes.tips),
        ] {
            report.line(&format!("render: {what}"), "", &[v]);
        }
    }
    report.json.insert(
        "render".into(),
        json!({
            "rows_500_ms": summary_json(render_500),
            "plain_table_500_ms": summary_json(floor_500),
            "rows_500_over_floor": ratio,
            "nodes_per_row": nodes.map(|x| x.nodes),
            "elements_per_row": nodes.map(|x| x.elements),
            "tooltip_elements_per_row": nodes.map(|x| x.tips),
        }),
    );
    report.budgets.push(Budget::new(
        "500 rows painted within 1.5 × the plain table (medians)",
        Rule::Under,
        1.5,
        "×",
        ratio,
        format!("median of {n}"),
    ));
}

/// The DOM of the table's rows, per row.
#[derive(Debug, Clone, Copy)]
struct RowNodes {
    /// Every node under a row (elements, text), the row itself included.
    nodes: f64,
    /// The elements among them.
    elements: f64,
    /// Tooltip elements (`role=tooltip`) among them.
    tips: f64,
}

/// What the rows on screen are made of, per row.
async fn nodes_per_row(h: &Harness) -> Result<RowNodes> {
    let v = browser::in_app(
        h,
        "const rows = Array.from(document.querySelectorAll('table.wm-table tbody tr'));
         let nodes = 0, elements = 0, tips = 0;
         for (const tr of rows) {
           const w = document.createTreeWalker(tr, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
           for (let n = w.currentNode; n; n = w.nextNode()) {
             nodes++;
             if (n.nodeType === 1) { elements++; if (n.getAttribute('role') === 'tooltip') tips++; }
           }
         }
         const k = Math.max(rows.length, 1);
         return [nodes / k, elements / k, tips / k];",
        vec![],
    )
    .await?;
    let at = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    Ok(RowNodes {
        nodes: at(0),
        elements: at(1),
        tips: at(2),
    })
}

/// `--only render`: the files' sizes from one cold start, then `runs`
/// times the 500-row page (data in hand → painted) and the plain table
/// of the same texts, and the nodes per row.
async fn render_only(dist: &Path, runs: usize, report: &mut Report) -> Result<()> {
    let h = Harness::start("bench-render", config(dist)).await?;
    browser::knobs(&h, json!({ "latency_ms": 0 })).await?;
    browser::fresh_start(&h).await?;
    let t0 = browser::open_portal(&h, "").await?;
    browser::wait_mark_after(&h, "wm:named", t0).await?;
    browser::wait_settled(&h).await?;
    let t = browser::timings(&h).await?;
    let files = t["frame"]["files"].as_array().cloned().unwrap_or_default();
    transfer(dist, &files, report);
    let to_500 = Action::Choose("Rows per page".into(), "500".into());
    let to_50 = Action::Choose("Rows per page".into(), "50".into());
    let (mut render, mut floor, mut nodes) = (Vec::new(), Vec::new(), None);
    for _ in 0..runs {
        let m = measure(&h, &to_500, Some("Showing 1–500 of 2,500")).await?;
        render.push(m.render_ms);
        floor.push(plain_table_paint(&h).await?);
        nodes = Some(nodes_per_row(&h).await?);
        measure(&h, &to_50, Some("Showing 1–50 of 2,500")).await?;
        tokio::time::sleep(Duration::from_millis(1_000)).await;
    }
    report_render(report, &render, &floor, nodes, runs);
    h.finish().await
}

/// What this browser needs to paint 500 rows at all: the texts of the
/// table on screen (500 rows), as a plain text table (a `<td>` per cell,
/// no elements inside, no app code), set in the app frame with one
/// `innerHTML` and timed to the first task after the next paint, as the
/// app's marks are. The app's own table is hidden meanwhile, then shown
/// again.
async fn plain_table_paint(h: &Harness) -> Result<f64> {
    browser::in_app(
        h,
        "const table = document.querySelector('table.wm-table');
         const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
         const html = Array.from(table.tBodies[0].rows).map(r => '<tr>' +
           Array.from(r.cells).map(c => '<td>' + esc(c.textContent) + '</td>').join('') + '</tr>').join('');
         table.style.display = 'none';
         document.body.offsetHeight;
         window.__wmFloor = null;
         const plain = document.createElement('table');
         const t0 = performance.now();
         plain.innerHTML = '<tbody>' + html + '</tbody>';
         table.after(plain);
         requestAnimationFrame(() => setTimeout(() => {
           window.__wmFloor = performance.now() - t0;
           plain.remove();
           table.style.display = '';
         }, 0));
         return true;",
        vec![],
    )
    .await?;
    wait_for_within(browser::PATIENCE, "the plain table painted", || async {
        Ok(browser::in_app(h, "return window.__wmFloor;", vec![])
            .await?
            .as_f64())
    })
    .await
}

// ---------------------------------------------------------------------------
// Every page, as an admin reviewing everything

/// Our app through all 2,500 workflows: open, choose 500 rows per page as
/// soon as the first rows show, then Next until the fifth page has been
/// shown with every name. Per run: (requests sent until then, wall ms
/// from opening the portal page, round trips).
async fn all_pages(h: &Harness, runs: usize) -> Result<Vec<JobRun>> {
    browser::knobs(h, json!({ "latency_ms": LATENCY_MS })).await?;
    let mut out = Vec::new();
    for _ in 0..runs {
        let t0 = open_fresh(h).await?;
        browser::act(h, &Action::Choose("Rows per page".into(), "500".into())).await?;
        let mut done = t0;
        for page in 0..5u64 {
            if page > 0 {
                browser::act(h, &press("Next page")).await?;
            }
            let text = format!(
                "Showing {}–{} of 2,500",
                group(page * 500 + 1),
                group(page * 500 + 500)
            );
            browser::wait_showing(h, &text).await?;
            wait_no_pending_names(h).await?;
            done = browser::wait_mark_after(h, "wm:named", done).await?;
        }
        out.push(job_run(h, t0, done).await?);
    }
    Ok(out)
}

/// A fresh portal page opened, its first rows shown: when it was opened.
async fn open_fresh(h: &Harness) -> Result<f64> {
    browser::fresh_start(h).await?;
    let t0 = browser::open_portal(h, "").await?;
    browser::wait_mark_after(h, "wm:first-rows", t0).await?;
    Ok(t0)
}

/// A job from `t0` to `done`: the requests answered until then, the wall
/// ms, the round trips; then waits for the rest to settle.
async fn job_run(h: &Harness, t0: f64, done: f64) -> Result<JobRun> {
    let ex = browser::exchanges(h).await?;
    let sent: Vec<Exchange> = ex.into_iter().filter(|e| e.arrived_ms <= done).collect();
    let run = (sent.len() as f64, done - t0, round_trips(&sent) as f64);
    browser::wait_settled(h).await?;
    Ok(run)
}

/// Job (b) as an export: from opening the portal page to the file of all
/// 2,500 with names offered (CSV of the visible columns), `runs` times.
async fn export_all(h: &Harness, runs: usize) -> Result<Vec<JobRun>> {
    browser::knobs(h, json!({ "latency_ms": LATENCY_MS })).await?;
    let mut out = Vec::new();
    for _ in 0..runs {
        let t0 = open_fresh(h).await?;
        browser::act(h, &press("Export…")).await?;
        browser::act(h, &press("Export")).await?;
        let done = browser::wait_mark_after(h, "wm:exported", t0).await?;
        let rows = exported_rows(h).await?;
        if rows != Some(WORKFLOWS) {
            return Err(HarnessError::Unexpected(format!(
                "the export said {rows:?} rows, not {WORKFLOWS}"
            )));
        }
        out.push(job_run(h, t0, done).await?);
    }
    Ok(out)
}

/// How many rows the export's note says it wrote.
async fn exported_rows(h: &Harness) -> Result<Option<u64>> {
    let v = wait_for_within(browser::PATIENCE, "the export's note", || async {
        let v = browser::in_app(
            h,
            "const r = Array.from(document.querySelectorAll('.wm-run')).pop();
             const t = r ? r.textContent : '';
             const m = t.match(/Exported ([0-9,]+) workflows/);
             return m ? m[1] : null;",
            vec![],
        )
        .await?;
        Ok(v.as_str().map(str::to_owned))
    })
    .await?;
    Ok(v.replace(',', "").parse().ok())
}

/// The overview on 10,000 workflows (100 ms latency, 2/s burst 50): its
/// requests and the time from opening the region to every chart drawn,
/// with the table's first rows already on screen. Fresh page each run (the
/// overview's one-minute cache would answer a second opening for free).
async fn overview(dist: &Path, runs: usize, report: &mut Report) -> Result<()> {
    let mut config = config(dist);
    config.workflows = 10_000;
    let h = Harness::start("bench-overview", config).await?;
    browser::knobs(&h, json!({ "latency_ms": LATENCY_MS })).await?;
    let (mut requests, mut times) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        browser::fresh_start(&h).await?;
        let t0 = browser::open_portal(&h, "").await?;
        browser::wait_mark_after(&h, "wm:first-rows", t0).await?;
        browser::wait_settled(&h).await?;
        let before = browser::exchanges(&h).await?.len();
        let opened = browser::in_app(
            &h,
            "document.querySelector('#wm-overview summary').click();
             return performance.timeOrigin + performance.now();",
            vec![],
        )
        .await?
        .as_f64()
        .unwrap_or_default();
        let done = match browser::wait_mark_after(&h, "wm:overview", opened).await {
            Ok(t) => t,
            Err(e) => {
                let state = browser::in_app(
                    &h,
                    "const o = document.querySelector('#wm-overview');
                     return o ? o.open + ' ' + o.textContent.slice(0, 600) : 'no overview';",
                    vec![],
                )
                .await?;
                eprintln!("app-bench: the overview at the timeout: {state}");
                return Err(e);
            }
        };
        browser::wait_settled(&h).await?;
        requests.push((browser::exchanges(&h).await?.len() - before) as f64);
        times.push(done - opened);
        // Closed again (the portal keeps the choice per user), so the next
        // run opens it by the click too.
        browser::in_app(
            &h,
            "document.querySelector('#wm-overview summary').click(); return null;",
            vec![],
        )
        .await?;
        wait_for_within(browser::PATIENCE, "the overview saved closed", || async {
            let options = h.control.get("/_emulator/options").await?;
            Ok((options.to_string().contains("\"wm_overview\":\"closed\"")).then_some(()))
        })
        .await?;
    }
    h.finish().await?;
    report.line("overview of 10,000: requests", "", &requests);
    report.line("overview of 10,000: open to all charts", "ms", &times);
    let median = Summary::of(&requests).map(|s| s.median);
    report.budgets.push(Budget::new(
        "overview of 10,000: requests",
        Rule::AtMost,
        4.0,
        "",
        median,
        "3 batches + at most 1 user.get for unnamed top starters",
    ));
    report.json.insert(
        "overview".into(),
        json!({ "requests": requests, "open_to_charts_ms": times }),
    );
    Ok(())
}

/// 100,000 workflows exported (CSV): requests, wall time from "Export" to
/// the file, and the peak of the JS heap plus the wasm memory, sampled
/// every 250 ms.
async fn export_100k(dist: &Path, report: &mut Report) -> Result<()> {
    let mut config = config(dist);
    config.workflows = 100_000;
    let h = Harness::start("bench-export-100k", config).await?;
    browser::watch_wasm_memory(&h).await?;
    browser::knobs(&h, json!({ "latency_ms": LATENCY_MS })).await?;
    let t0 = browser::open_portal(&h, "").await?;
    browser::wait_mark_after(&h, "wm:first-rows", t0).await?;
    browser::wait_settled(&h).await?;
    let before = browser::exchanges(&h).await?.len();
    browser::act(&h, &press("Export…")).await?;
    let began = browser::act(&h, &press("Export")).await?;
    let mut peak: f64 = 0.0;
    let started = Instant::now();
    let done = loop {
        let heap = h.cdp("Runtime.getHeapUsage", json!({})).await?;
        let js = heap["usedSize"].as_f64().unwrap_or(0.0);
        let wasm = browser::wasm_memory(&h).await?.unwrap_or(0.0);
        peak = peak.max(js + wasm);
        if let Some(t) = browser::mark(&h, "wm:exported").await? {
            break t;
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err(HarnessError::Unexpected(
                "the export of 100,000 took over 10 minutes".into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let rows = exported_rows(&h).await?;
    let sent = browser::exchanges(&h).await?.len() - before;
    h.finish().await?;
    let mb = peak / 1_048_576.0;
    report.line("export of 100,000: requests", "", &[sent as f64]);
    report.line("export of 100,000: wall time", "ms", &[done - began]);
    report.line("export of 100,000: peak JS heap + wasm memory", "MB", &[mb]);
    report.budgets.push(Budget::new(
        "export of 100,000: peak JS heap + wasm memory",
        Rule::AtMost,
        64.0,
        "MB",
        Some(mb),
        "sampled every 250 ms",
    ));
    report.json.insert(
        "export_100k".into(),
        json!({ "rows": rows, "requests": sent, "wall_ms": done - began, "peak_mb": mb }),
    );
    Ok(())
}

async fn wait_no_pending_names(h: &Harness) -> Result<()> {
    wait_for_within(browser::PATIENCE, "every name on the page", || async {
        let v = browser::in_app(
            h,
            "return document.querySelectorAll('table tbody .wm-name--pending').length;",
            vec![],
        )
        .await?;
        Ok((v.as_u64() == Some(0)).then_some(()))
    })
    .await
}

// ---------------------------------------------------------------------------
// Soak

/// Scripted use for `minutes`: sorting, paging, presets, page sizes, over
/// and over (latency 0, the emulator's bucket off; the app still paces
/// itself at 2/s). The JS heap is read after a forced garbage collection,
/// and the wasm memory size, at the start and ten times along.
async fn soak(h: &Harness, minutes: f64, report: &mut Report) -> Result<()> {
    browser::knobs(h, json!({ "latency_ms": 0, "rate": 0.0 })).await?;
    browser::fresh_start(h).await?;
    let t0 = browser::open_portal(h, "").await?;
    browser::wait_mark_after(h, "wm:named", t0).await?;
    let cycle = [
        Action::Header("Modified".into()),
        Action::Header("Started".into()),
        press("Next page"),
        press("Next page"),
        press("Previous page"),
        press("Stuck"),
        press("Clear all"),
        Action::Choose("Rows per page".into(), "200".into()),
        press("Next page"),
        Action::Choose("Rows per page".into(), "50".into()),
        press("Last page"),
        press("First page"),
    ];
    // One cycle first, so what is created once (caches, pickers) is there
    // before the first sample.
    for action in &cycle {
        step(h, action).await?;
    }
    // A control: one minute of the bench's own polling (marks, the pager,
    // the emulator's log) with no action, to tell what the test driver
    // itself leaves in the isolate.
    let control_before = browser::heap_after_gc(h).await?;
    h.cdp(
        "HeapProfiler.startSampling",
        json!({ "samplingInterval": 2048 }),
    )
    .await?;
    let control_start = Instant::now();
    while control_start.elapsed() < Duration::from_secs(60) {
        browser::mark(h, "wm:rows").await?;
        browser::showing(h).await?;
        browser::exchanges(h).await?;
    }
    h.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    let control_profile = h.cdp("HeapProfiler.getSamplingProfile", json!({})).await?;
    h.cdp("HeapProfiler.stopSampling", json!({})).await?;
    let control = heap::shares(&control_profile);
    let control_growth = browser::heap_after_gc(h).await? - control_before;
    // The live allocations made from here on, by who made them.
    h.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    h.cdp(
        "HeapProfiler.startSampling",
        json!({ "samplingInterval": 2048 }),
    )
    .await?;
    let every = Duration::from_secs_f64(minutes * 60.0 / 10.0);
    let started = Instant::now();
    let mut samples: Vec<(f64, f64, Option<f64>)> = Vec::new();
    let mut next_sample = Duration::ZERO;
    let mut actions = 0u64;
    let mut dropped_log = 0u64;
    let end = Duration::from_secs_f64(minutes * 60.0);
    'soak: loop {
        for action in &cycle {
            let now = started.elapsed();
            if now >= next_sample {
                dropped_log += browser::drop_portal_log(h).await?;
                let heap = browser::heap_after_gc(h).await?;
                let wasm = browser::wasm_memory(h).await?;
                samples.push((now.as_secs_f64() / 60.0, heap, wasm));
                if now >= end {
                    break 'soak;
                }
                next_sample += every;
            }
            step(h, action).await?;
            actions += 1;
        }
    }
    h.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    let profile = h.cdp("HeapProfiler.getSamplingProfile", json!({})).await?;
    h.cdp("HeapProfiler.stopSampling", json!({})).await?;
    let held = heap::shares(&profile);
    let heap: Vec<f64> = samples.iter().map(|s| s.1).collect();
    let wasm: Vec<f64> = samples.iter().filter_map(|s| s.2).collect();
    let points: Vec<(f64, f64)> = samples.iter().map(|s| (s.0, s.1)).collect();
    let mib = |b: f64| b / 1_048_576.0;
    report.rows.push([
        format!("soak {minutes} min ({actions} actions): JS heap after GC first / last / growth"),
        "MiB".into(),
        heap.first()
            .map_or("–".into(), |v| format!("{:.2}", mib(*v))),
        heap.last()
            .map_or("–".into(), |v| format!("{:.2}", mib(*v))),
        heap_growth(&heap).map_or("–".into(), |v| format!("{:+.2}", mib(v))),
    ]);
    report.rows.push([
        "soak: live JS allocated since the start: app / portal page / WebDriver".into(),
        "MiB".into(),
        format!("{:.2}", mib(held.app)),
        format!("{:.2}", mib(held.portal)),
        format!("{:.2}", mib(held.webdriver)),
    ]);
    report.rows.push([
        "control, 1 min of polling only: heap growth / app / no script".into(),
        "MiB".into(),
        format!("{:+.2}", mib(control_growth)),
        format!("{:.2}", mib(control.app)),
        format!("{:.2}", mib(control.other)),
    ]);
    report.rows.push([
        "soak: wasm linear memory first / last / growth".into(),
        "MiB".into(),
        wasm.first()
            .map_or("–".into(), |v| format!("{:.2}", mib(*v))),
        wasm.last()
            .map_or("–".into(), |v| format!("{:.2}", mib(*v))),
        heap_growth(&wasm).map_or("–".into(), |v| format!("{:+.2}", mib(v))),
    ]);
    report.json.insert(
        "soak".into(),
        json!({
            "minutes": minutes,
            "actions": actions,
            "samples": samples.iter().map(|s| json!({"minute": s.0, "js_heap_bytes": s.1, "wasm_memory_bytes": s.2})).collect::<Vec<_>>(),
            "js_heap_growth_bytes": heap_growth(&heap),
            "js_heap_slope_bytes_per_minute": slope(&points),
            "wasm_memory_growth_bytes": heap_growth(&wasm),
            "portal_log_entries_dropped": dropped_log,
            "control_polling_only_1min": {
                "heap_growth_bytes": control_growth,
                "app": control.app,
                "webdriver": control.webdriver,
                "browser_no_script": control.other,
            },
            "live_js_allocated_bytes": {
                "app": held.app,
                "portal_page": held.portal,
                "webdriver": held.webdriver,
                "browser_no_script": held.other,
            },
        }),
    );
    report.budgets.push(Budget::new(
        format!("JS heap flat across the soak ({minutes} min): the app's live allocations"),
        Rule::AtMost,
        1.0,
        "MiB",
        Some(mib(held.app)),
        format!(
            "sampled; the whole isolate {:+.2} MiB (portal page {:.2}, WebDriver {:.2}, no script {:.2}: see the control)",
            heap_growth(&heap).map_or(f64::NAN, mib),
            mib(held.portal),
            mib(held.webdriver),
            mib(held.other)
        ),
    ));
    report.budgets.push(Budget::new(
        "wasm linear memory flat across the soak",
        Rule::AtMost,
        1.0,
        "MiB growth",
        heap_growth(&wasm).map(mib),
        format!("last − first of {} samples", wasm.len()),
    ));
    Ok(())
}

/// One soak action: done, and its rows painted.
async fn step(h: &Harness, action: &Action) -> Result<()> {
    let click = browser::act(h, action).await?;
    browser::wait_mark_after(h, "wm:rows", click)
        .await
        .map(drop)
}

// ---------------------------------------------------------------------------
// The official SDK, side by side

/// One SDK job `runs` times: (requests, wall ms from opening the portal
/// page to the painted table, round trips). Each run is a new page load
/// with the emulator's bucket emptied, as for our app.
async fn sdk_job(h: &Harness, job: &str, runs: usize) -> Result<Vec<JobRun>> {
    let mut out = Vec::new();
    for _ in 0..runs {
        browser::fresh_start(h).await?;
        let t0 = browser::open_portal(h, &format!("?job={job}")).await?;
        let state = wait_for_within(
            Duration::from_secs(180),
            &format!("the SDK page's job {job}"),
            || async {
                let v = browser::in_app(h, "return window.sdkBench || null;", vec![])
                    .await
                    .unwrap_or(Value::Null);
                Ok(match v["state"].as_str() {
                    Some("done") | Some("failed") => Some(v),
                    _ => None,
                })
            },
        )
        .await?;
        if state["state"] != "done" {
            return Err(HarnessError::Unexpected(format!(
                "SDK job {job} failed: {}",
                state["error"]
            )));
        }
        let done = browser::mark(h, "sdk:done")
            .await?
            .ok_or_else(|| HarnessError::Unexpected("no sdk:done mark".into()))?;
        let ex = browser::exchanges(h).await?;
        let sent: Vec<Exchange> = ex.into_iter().filter(|e| e.arrived_ms <= done).collect();
        out.push((sent.len() as f64, done - t0, round_trips(&sent) as f64));
    }
    Ok(out)
}

async fn sdk_phase(args: &Args, ours: &Ours, report: &mut Report) -> Result<()> {
    let scratch = Scratch::new("bench-sdk")?;
    let dist = assemble_sdk_bench_dist(&scratch)?;
    let h = Harness::start_in(scratch, config(&dist)).await?;
    browser::knobs(&h, json!({ "latency_ms": LATENCY_MS })).await?;
    let first50 = sdk_job(&h, "first50", args.runs).await;
    let pages = sdk_job(&h, "all-pages", args.runs).await;
    let batch = sdk_job(&h, "all-batch", args.runs).await;
    h.finish().await?;
    let mut json_jobs = Vec::new();
    let jobs = [
        (
            "(a) first 50 with names — SDK first50",
            &ours.first50,
            first50,
        ),
        (
            "(b) all 2,500 with names — SDK page by page",
            &ours.all,
            pages,
        ),
        (
            "(b) all 2,500 with names — SDK batches of 50",
            &ours.all,
            batch
                .as_ref()
                .map(Vec::clone)
                .map_err(|e| HarnessError::Unexpected(e.to_string())),
        ),
        (
            "(b) all 2,500 with names as an export — SDK batches of 50",
            &ours.export,
            batch,
        ),
    ];
    for (name, our, theirs) in jobs {
        let theirs = match theirs {
            Ok(t) => t,
            Err(e) => {
                report.failed(name, &e);
                Vec::new()
            }
        };
        let med = |v: &[JobRun], f: fn(&JobRun) -> f64| {
            Summary::of(&v.iter().map(f).collect::<Vec<_>>()).map(|s| s.median)
        };
        let (our_req, our_ms, our_rt) = (med(our, |x| x.0), med(our, |x| x.1), med(our, |x| x.2));
        let (sdk_req, sdk_ms, sdk_rt) = (
            med(&theirs, |x| x.0),
            med(&theirs, |x| x.1),
            med(&theirs, |x| x.2),
        );
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
            _ => "–".into(),
        };
        let show = |v: Option<f64>| v.map_or("–".into(), fmt);
        if name.contains("as an export") {
            // Issue 15's target: no more requests and no more time than
            // the SDK's batchByChunk page.
            for (what, ours, theirs) in [
                ("requests", our_req, sdk_req),
                ("wall time", our_ms, sdk_ms),
            ] {
                report.budgets.push(Budget::new(
                    format!("export of all 2,500 with names: {what}, ours to the SDK's"),
                    Rule::AtMost,
                    1.0,
                    "×",
                    ours.zip(theirs)
                        .filter(|(_, b)| *b > 0.0)
                        .map(|(a, b)| a / b),
                    format!("median of {}", args.runs),
                ));
            }
        }
        report.compare.push([
            format!("{name}: requests (round trips)"),
            format!("{} ({})", show(our_req), show(our_rt)),
            format!("{} ({})", show(sdk_req), show(sdk_rt)),
            ratio(our_req, sdk_req),
            String::new(),
        ]);
        report.compare.push([
            format!("{name}: wall time ms"),
            show(our_ms),
            show(sdk_ms),
            ratio(our_ms, sdk_ms),
            String::new(),
        ]);
        json_jobs.push(json!({
            "job": name,
            "ours": { "requests": our_req, "wall_ms": our_ms, "round_trips": our_rt,
                      "wall_ms_runs": summary_json(&our.iter().map(|x| x.1).collect::<Vec<_>>()) },
            "sdk": { "requests": sdk_req, "wall_ms": sdk_ms, "round_trips": sdk_rt,
                     "wall_ms_runs": summary_json(&theirs.iter().map(|x| x.1).collect::<Vec<_>>()) },
            "ratio_requests_ours_to_sdk": our_req.zip(sdk_req).map(|(a, b)| a / b),
            "ratio_wall_ours_to_sdk": our_ms.zip(sdk_ms).map(|(a, b)| a / b),
        }));
    }
    report.json.insert(
        "side_by_side".into(),
        json!({
            "latency_ms": LATENCY_MS, "rate": 2, "burst": 50,
            "medians_of_runs": args.runs,
            "jobs": json_jobs,
        }),
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Stop 2,500 workflows selected by a filter, side by side with the SDK

/// Issue 14's target for the job: our requests at most the SDK's, our
/// wall time at most this many times the SDK's.
const STOP_TIME_TARGET: f64 = 1.2;

/// The job of `e2e::bench::stop`, `runs` times each side, the sides
/// taking turns (a fresh portal every run), then the SDK's own
/// `callList` listing once; reported in
/// the tables, the budgets, the side-by-side and `stop_by_filter` in the
/// JSON. A run whose portal log does not show exactly the filter's set
/// stopped once is an error and gives no figures.
async fn stop_by_filter(dist: &Path, runs: usize, report: &mut Report) {
    let base = config(dist);
    let Some(workflows) = stop::portal_size(base.seed, base.epoch.unwrap_or(0), MATCHING) else {
        report
            .errors
            .push("stop by filter: no portal size gives exactly 2,500 automation workflows".into());
        return;
    };
    // The two sides take turns, run by run, so that what else the shared
    // machine does weighs on both alike; its load is kept with the figures.
    let sdk =
        Scratch::new("bench-stop-sdk").and_then(|s| assemble_sdk_bench_dist(&s).map(|d| (s, d)));
    let (_scratch, sdk_dist) = match sdk {
        Ok(x) => x,
        Err(e) => {
            report.failed("stop by filter, the SDK page", &e);
            return;
        }
    };
    let app_config = stop::run_config(&base, dist, workflows, LATENCY_MS);
    let sdk_config = stop::run_config(&base, &sdk_dist, workflows, LATENCY_MS);
    let (mut ours, mut theirs, mut load) = (Vec::new(), Vec::new(), Vec::new());
    for run in 1..=runs {
        load.push(load_average());
        match stop::app_run(app_config.clone()).await {
            Ok(r) => ours.push(r),
            Err(e) => report.failed(&format!("stop by filter, ours, run {run}"), &e),
        }
        match stop::sdk_run(sdk_config.clone(), "stop-batch").await {
            Ok(r) => match &r.failed {
                None => theirs.push(r),
                Some(why) => report.errors.push(format!(
                    "stop by filter, SDK batchByChunk, run {run}: the SDK failed: {why}"
                )),
            },
            Err(e) => report.failed(&format!("stop by filter, SDK, run {run}"), &e),
        }
    }
    let call_list = match stop::sdk_run(sdk_config, "stop-calllist").await {
        Ok(r) => Some(r),
        Err(e) => {
            report.failed("stop by filter, SDK callList", &e);
            None
        }
    };
    report.line(
        "stop 2,500 by a filter: machine load (1-min average) before each pair of runs",
        "",
        &load,
    );
    let run = StopRuns {
        workflows,
        runs,
        ours: &ours,
        theirs: &theirs,
        call_list: call_list.as_ref(),
        load: &load,
    };
    report_stop(report, &run);
}

/// The machine's 1-minute load average (`/proc/loadavg`), NaN where
/// there is none.
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The gaps between the terminate batches of a run, whole ms.
fn gaps_of(exchanges: &[Exchange]) -> Vec<f64> {
    let batches: Vec<Exchange> = exchanges
        .iter()
        .filter(|e| stop::acts(e))
        .cloned()
        .collect();
    stop::gaps(&batches).iter().map(|g| g.round()).collect()
}

fn ratio_of(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    a.zip(b).filter(|(_, b)| *b > 0.0).map(|(a, b)| a / b)
}

/// What [`stop_by_filter`] measured.
struct StopRuns<'a> {
    /// The portal's size (exactly 2,500 of them match).
    workflows: usize,
    /// Runs asked for, each side.
    runs: usize,
    /// Our verified runs.
    ours: &'a [AppRun],
    /// The SDK's verified runs (list + batchByChunk).
    theirs: &'a [SdkRun],
    /// The SDK's callList listing, tried once.
    call_list: Option<&'a SdkRun>,
    /// The machine's load before each pair of runs.
    load: &'a [f64],
}

fn report_stop(report: &mut Report, m: &StopRuns<'_>) {
    let StopRuns {
        workflows,
        runs,
        ours,
        theirs,
        call_list,
        load,
    } = *m;
    let series = |f: &dyn Fn(&AppRun) -> f64| ours.iter().map(f).collect::<Vec<f64>>();
    let to_dialog = series(&|r| r.moments.to_dialog_ms());
    let run_ms = series(&|r| r.moments.run_ms());
    let wall = series(&|r| r.moments.wall_ms());
    let recheck = series(&|r| r.parts.recheck.len() as f64);
    let run_req = series(&|r| r.parts.run.len() as f64);
    let journal = series(&|r| r.parts.journal.len() as f64);
    let refresh = series(&|r| r.parts.refresh.len() as f64);
    let requests = series(&|r| r.parts.job().len() as f64);
    let with_refresh = series(&|r| (r.parts.job().len() + r.parts.refresh.len()) as f64);
    let trips = series(&|r| round_trips(&r.parts.job()) as f64);
    let sdk = |f: &dyn Fn(&SdkRun) -> Option<f64>| {
        theirs
            .iter()
            .map(|r| f(r).unwrap_or(f64::NAN))
            .collect::<Vec<f64>>()
    };
    let sdk_list = sdk(&|r| r.list_ms());
    let sdk_terminate = sdk(&|r| r.terminate_ms());
    let sdk_wall = sdk(&|r| r.wall_ms());
    let sdk_requests = sdk(&|r| Some(r.requests.len() as f64));
    let sdk_trips = sdk(&|r| Some(round_trips(&r.requests) as f64));
    // Where the terminate part's time went, each side.
    let lead_in = series(&|r| r.run_time().lead_in_ms);
    let portal = series(&|r| r.run_time().chain.portal_ms);
    let between = series(&|r| r.run_time().chain.between_ms);
    let longest = series(&|r| r.run_time().chain.longest_gap_ms);
    let tail = series(&|r| r.run_time().tail_ms);
    let sdk_lead_in = sdk(&|r| r.run_time().map(|t| t.lead_in_ms));
    let sdk_portal = sdk(&|r| r.run_time().map(|t| t.chain.portal_ms));
    let sdk_between = sdk(&|r| r.run_time().map(|t| t.chain.between_ms));
    let sdk_longest = sdk(&|r| r.run_time().map(|t| t.chain.longest_gap_ms));
    let sdk_tail = sdk(&|r| r.run_time().map(|t| t.tail_ms));
    let ours_label = format!(
        "stop 2,500 by a filter, ours ({} of {runs} runs verified)",
        ours.len()
    );
    let sdk_label = format!(
        "stop 2,500 by a filter, SDK list + batchByChunk ({} of {runs} verified)",
        theirs.len()
    );
    for (what, unit, values) in [
        ("Stop… → dialog ready", "ms", &to_dialog),
        ("confirm → result shown", "ms", &run_ms),
        ("wall time (the two together)", "ms", &wall),
        ("requests: recheck", "", &recheck),
        ("requests: run (terminate batches)", "", &run_req),
        ("requests: journal (entity.*)", "", &journal),
        ("requests: the job (recheck + run + journal)", "", &requests),
        ("round trips of the job", "", &trips),
        ("requests: the refresh after the result", "", &refresh),
        ("run: confirm → first batch arrives", "ms", &lead_in),
        ("run: the portal's time over the 50 batches", "ms", &portal),
        (
            "run: between an answer and the next batch, summed",
            "ms",
            &between,
        ),
        ("run: the longest such gap", "ms", &longest),
        ("run: last answer → result painted", "ms", &tail),
    ] {
        report.line(&format!("{ours_label}: {what}"), unit, values);
    }
    for (what, unit, values) in [
        ("list the IDs", "ms", &sdk_list),
        ("terminate (batchByChunk)", "ms", &sdk_terminate),
        ("wall time", "ms", &sdk_wall),
        ("requests", "", &sdk_requests),
        ("round trips", "", &sdk_trips),
        ("run: IDs in hand → first batch arrives", "ms", &sdk_lead_in),
        (
            "run: the portal's time over the 50 batches",
            "ms",
            &sdk_portal,
        ),
        (
            "run: between an answer and the next batch, summed",
            "ms",
            &sdk_between,
        ),
        ("run: the longest such gap", "ms", &sdk_longest),
        ("run: last answer → status painted", "ms", &sdk_tail),
    ] {
        report.line(&format!("{sdk_label}: {what}"), unit, values);
    }
    let med = |v: &[f64]| Summary::of(v).map(|s| s.median);
    let (our_req, our_ms, our_rt) = (med(&requests), med(&wall), med(&trips));
    let (sdk_req, sdk_ms, sdk_rt) = (med(&sdk_requests), med(&sdk_wall), med(&sdk_trips));
    let req_ratio = ratio_of(our_req, sdk_req);
    let with_refresh_ratio = ratio_of(med(&with_refresh), sdk_req);
    let time_ratio = ratio_of(our_ms, sdk_ms);
    let show = |v: Option<f64>| v.map_or("–".into(), fmt);
    let show_ratio = |v: Option<f64>| v.map_or("–".into(), |r| format!("{r:.2}"));
    // Where a verdict hangs on the ratio, enough digits to see which side
    // of the limit it fell (1.204 is not "1.20").
    let exact_ratio = |v: Option<f64>| v.map_or("–".into(), |r| format!("{r:.3}"));
    let job = "(c) stop 2,500 selected by a filter — SDK list + batchByChunk";
    report.compare.push([
        format!("{job}: requests (round trips)"),
        format!("{} ({})", show(our_req), show(our_rt)),
        format!("{} ({})", show(sdk_req), show(sdk_rt)),
        show_ratio(req_ratio),
        String::new(),
    ]);
    report.compare.push([
        format!("{job}: requests, ours with the refresh after"),
        show(med(&with_refresh)),
        show(sdk_req),
        show_ratio(with_refresh_ratio),
        String::new(),
    ]);
    report.compare.push([
        format!("{job}: wall time ms"),
        show(our_ms),
        show(sdk_ms),
        show_ratio(time_ratio),
        String::new(),
    ]);
    let call_list_json = call_list.map(|r| match &r.failed {
        Some(why) => {
            report.compare.push([
                "(c) stop 2,500 selected by a filter — SDK callList listing".into(),
                show(our_req),
                format!("cannot list: {why}"),
                "–".into(),
                String::new(),
            ]);
            json!({
                "usable": false, "error": why, "requests": r.requests.len(),
                "ids_listed": r.listed_ids, "workflows_stopped": r.actions,
                "calls": describe(&r.requests),
            })
        }
        None => {
            let (req, ms) = (r.requests.len() as f64, r.wall_ms());
            report.compare.push([
                "(c) stop 2,500 selected by a filter — SDK callList listing: requests / wall ms"
                    .into(),
                format!("{} / {}", show(our_req), show(our_ms)),
                format!("{} / {}", fmt(req), show(ms)),
                show_ratio(ratio_of(our_ms, ms)),
                String::new(),
            ]);
            json!({
                "usable": true, "requests": req, "round_trips": round_trips(&r.requests),
                "wall_ms": ms, "list_ms": r.list_ms(), "terminate_ms": r.terminate_ms(),
            })
        }
    });
    let basis = format!(
        "medians: ours {} of {runs} runs, SDK {} of {runs}",
        ours.len(),
        theirs.len()
    );
    let requests_budget = Budget::new(
        "stop 2,500 by a filter: our requests / the SDK's (recheck + run + journal; refresh apart)",
        Rule::AtMost,
        1.0,
        "×",
        req_ratio,
        format!(
            "{} against {}, {}×; with the refresh {}×; {basis}",
            show(our_req),
            show(sdk_req),
            exact_ratio(req_ratio),
            exact_ratio(with_refresh_ratio)
        ),
    );
    let time_budget = Budget::new(
        "stop 2,500 by a filter: our wall time / the SDK's",
        Rule::AtMost,
        STOP_TIME_TARGET,
        "×",
        time_ratio,
        format!(
            "{} against {} ms, {}×; {basis}",
            show(our_ms),
            show(sdk_ms),
            exact_ratio(time_ratio)
        ),
    );
    let (rv, tv) = (requests_budget.verdict(), time_budget.verdict());
    let verdict = match (rv, tv) {
        (Verdict::Pass, Verdict::Pass) => format!(
            "MET: requests {} against the SDK's {} ({}×), wall time {} ms against {} ms ({}×)",
            show(our_req),
            show(sdk_req),
            exact_ratio(req_ratio),
            show(our_ms),
            show(sdk_ms),
            exact_ratio(time_ratio)
        ),
        (Verdict::Unmeasured, _) | (_, Verdict::Unmeasured) => {
            "NOT MEASURED: a side has no verified run (see the errors)".to_owned()
        }
        _ => {
            let mut missed = Vec::new();
            if rv == Verdict::Fail {
                missed.push(format!(
                    "requests {} against the SDK's {} ({}×, target ≤ 1×)",
                    show(our_req),
                    show(sdk_req),
                    exact_ratio(req_ratio)
                ));
            }
            if tv == Verdict::Fail {
                missed.push(format!(
                    "wall time {} ms against the SDK's {} ms ({}×, target ≤ {STOP_TIME_TARGET}×)",
                    show(our_ms),
                    show(sdk_ms),
                    exact_ratio(time_ratio)
                ));
            }
            format!("MISSED: {}", missed.join("; "))
        }
    };
    // The journal is part of the target ("while the app also rechecks and
    // journals"): say when there was none to count.
    let journal_note = match med(&journal) {
        Some(n) if n > 0.0 => format!(" (journal included: {} requests)", fmt(n)),
        Some(_) => " (the app sent no journal request: not counted because not made)".to_owned(),
        None => String::new(),
    };
    report.notes.push(format!(
        "stop 2,500 by a filter, target {verdict}{journal_note}"
    ));
    report.budgets.push(requests_budget);
    report.budgets.push(time_budget);
    let runs_json = |v: &[f64]| summary_json(v);
    report.json.insert(
        "stop_by_filter".into(),
        json!({
            "job": "stop 2,500 workflows selected by a filter (preset Started by automation, STARTED_BY 0)",
            "portal_workflows": workflows,
            "matching": MATCHING,
            "latency_ms": LATENCY_MS, "rate": 2, "burst": 50,
            "runs": runs,
            "fresh_portal_each_run": true,
            "sides_take_turns": true,
            "machine_load_1min_before_each_pair": load,
            "verified": "each run's /_emulator/actions: exactly the filter's IDs, each terminated once",
            "ours": {
                "runs_verified": ours.len(),
                "stop_to_dialog_ms": runs_json(&to_dialog),
                "confirm_to_result_ms": runs_json(&run_ms),
                "wall_ms": runs_json(&wall),
                "requests_job": runs_json(&requests),
                "requests_recheck": runs_json(&recheck),
                "requests_run": runs_json(&run_req),
                "requests_journal": runs_json(&journal),
                "requests_refresh_after": runs_json(&refresh),
                "requests_with_refresh": runs_json(&with_refresh),
                "round_trips_job": runs_json(&trips),
                "run_confirm_to_first_batch_ms": runs_json(&lead_in),
                "run_portal_ms": runs_json(&portal),
                "run_between_batches_ms": runs_json(&between),
                "run_longest_gap_ms": runs_json(&longest),
                "run_last_answer_to_result_ms": runs_json(&tail),
                "run_gaps_ms_last_run": ours.last().map(|r| gaps_of(&r.parts.run)),
                "calls_last_run": ours.last().map(|r| describe(&r.parts.job())),
                "refresh_calls_last_run": ours.last().map(|r| describe(&r.parts.refresh)),
                "dialog_last_run": ours.last().map(|r| r.dialog.clone()),
                "result_last_run": ours.last().map(|r| r.result.clone()),
            },
            "sdk_batch_by_chunk": {
                "runs_verified": theirs.len(),
                "list_ms": runs_json(&sdk_list),
                "terminate_ms": runs_json(&sdk_terminate),
                "wall_ms": runs_json(&sdk_wall),
                "requests": runs_json(&sdk_requests),
                "round_trips": runs_json(&sdk_trips),
                "run_listed_to_first_batch_ms": runs_json(&sdk_lead_in),
                "run_portal_ms": runs_json(&sdk_portal),
                "run_between_batches_ms": runs_json(&sdk_between),
                "run_longest_gap_ms": runs_json(&sdk_longest),
                "run_last_answer_to_done_ms": runs_json(&sdk_tail),
                "run_gaps_ms_last_run": theirs.last().map(|r| gaps_of(&r.requests)),
                "calls_last_run": theirs.last().map(|r| describe(&r.requests)),
            },
            "sdk_call_list": call_list_json,
            "ratio_requests_ours_to_sdk": req_ratio,
            "ratio_requests_with_refresh_ours_to_sdk": with_refresh_ratio,
            "ratio_wall_ours_to_sdk": time_ratio,
            "target": {
                "requests_at_most_sdk": rv.as_str(),
                "wall_at_most_1_2x_sdk": tv.as_str(),
                "met": rv == Verdict::Pass && tv == Verdict::Pass,
                "verdict": verdict,
            },
        }),
    );
}

// ---------------------------------------------------------------------------
// The emulator at 1,000,000 workflows (its own bench's figures)

fn emulator_figures(out: &Path, report: &mut Report) {
    let path = out.with_file_name("emulator.json");
    let Some(v) = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
    else {
        println!(
            "note: {} not found: run `cargo xtask bench emulator` for the 1,000,000-workflow figures",
            path.display()
        );
        return;
    };
    let load_ms = v["load_s"].as_f64().map(|s| s * 1000.0);
    if let Some(ms) = load_ms {
        report.rows.push([
            format!("emulator at {}: generate and serve", v["workflows"]),
            "ms".into(),
            "–".into(),
            fmt(ms),
            "–".into(),
        ]);
    }
    for r in v["requests"].as_array().into_iter().flatten() {
        let name = r["request"].as_str().unwrap_or_default();
        if name.starts_with("stuck") || name.starts_with("by template") {
            report.rows.push([
                format!("emulator at {}: {name}", v["workflows"]),
                "ms".into(),
                r["min_ms"].as_f64().map_or("–".into(), fmt),
                r["median_ms"].as_f64().map_or("–".into(), fmt),
                r["max_ms"].as_f64().map_or("–".into(), fmt),
            ]);
        }
    }
    report.json.insert(
        "emulator_1m".into(),
        json!({ "from": path.display().to_string(), "figures": v }),
    );
}

// ---------------------------------------------------------------------------
// Printing

fn print_table<const N: usize>(title: &str, head: [&str; N], rows: &[[String; N]]) {
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    println!();
    println!("{title}");
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = w - c.chars().count();
                if i == 0 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        println!("| {} |", parts.join(" | "));
    };
    line(head.to_vec());
    println!(
        "|{}|",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
}

fn print_report(report: &Report) {
    print_table(
        "app bench (this machine: 2 shared cores, noisy; ratios matter more than absolute times)",
        ["measurement", "unit", "min", "median", "max"],
        &report.rows,
    );
    let budgets: Vec<[String; 4]> = report
        .budgets
        .iter()
        .map(|b| {
            [
                b.name.clone(),
                b.limit_text(),
                b.measured_text(),
                b.verdict().as_str().to_owned(),
            ]
        })
        .collect();
    print_table(
        "budgets",
        ["budget", "limit", "measured", "verdict"],
        &budgets,
    );
    let compare: Vec<[String; 4]> = report
        .compare
        .iter()
        .map(|r| [r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()])
        .collect();
    print_table(
        "side by side at 100 ms latency, 2/s burst 50 (medians; ratio = ours / SDK)",
        ["job", "ours", "SDK", "ratio"],
        &compare,
    );
    let failed = report
        .budgets
        .iter()
        .filter(|b| b.verdict() == Verdict::Fail)
        .count();
    for n in &report.notes {
        println!("{n}");
    }
    println!();
    println!(
        "budgets: {} pass, {failed} fail, {} not measured",
        report
            .budgets
            .iter()
            .filter(|b| b.verdict() == Verdict::Pass)
            .count(),
        report
            .budgets
            .iter()
            .filter(|b| b.verdict() == Verdict::Unmeasured)
            .count()
    );
    for e in &report.errors {
        println!("error: {e}");
    }
}
