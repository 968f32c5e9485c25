//! The look: Bitrix24's air tokens in a light and a dark theme that pass
//! the WCAG 2 A/AA checks of axe-core, a Theme switch remembered per user,
//! and a layout that holds from a 360 px frame to a wide desktop. Each test
//! would fail without the feature it names.

use e2e::app::{app_dist, screenshot, screenshot_path, AppFrame};
use e2e::look::{describe, Look};
use e2e::table::TablePage;
use e2e::{config_serving, wait_for, Harness, Result};
use portal_emulator::Config;

const WORKFLOWS: usize = 120;

fn config() -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = WORKFLOWS;
    Ok(config)
}

/// Runs axe on the app and fails with every violation and its elements;
/// prints what axe could not decide, for a look by eye.
async fn assert_axe_clean(look: &Look<'_>, theme: &str) -> Result<()> {
    let report = look.axe().await?;
    assert!(
        report.violations.is_empty(),
        "axe found WCAG 2 A/AA violations in the {theme} theme:\n{}",
        describe(&report.violations)
    );
    // The contrast rule really ran on the page's text, and decided for
    // every element (an undecided one, e.g. text on a gradient, is unchecked).
    assert!(
        report.passed.iter().any(|rule| rule == "color-contrast"),
        "color-contrast did not apply in the {theme} theme: {:?}",
        report.passed
    );
    let undecided: Vec<_> = report
        .incomplete
        .iter()
        .filter(|v| v.rule == "color-contrast")
        .cloned()
        .collect();
    assert!(
        undecided.is_empty(),
        "axe could not decide the contrast of some elements in the {theme} theme:\n{}",
        describe(&undecided)
    );
    println!(
        "axe, {theme} theme: {} rules passed, none violated; undecided:\n{}",
        report.passed.len(),
        describe(&report.incomplete)
    );
    Ok(())
}

/// Waits until the portal frame is fitted to the app's content and nothing
/// in the frame would show a scrollbar (the table fits its card).
async fn wait_fitted_without_inner_scroll(h: &Harness, app: &AppFrame<'_>) -> Result<()> {
    wait_for("the frame fitted, with no inner scrollbar", || async {
        let content = app.content_height().await?;
        let frame = h.portal().frame_height().await?;
        let fitted = (frame - content).abs() <= 2.0;
        Ok((fitted && !app.has_inner_scroll().await?).then_some(()))
    })
    .await
}

#[tokio::test]
async fn the_table_passes_axe_in_the_light_and_the_dark_theme() -> Result<()> {
    let h = Harness::start("look-axe", config()?).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.app.wait_rows(50).await?;
    let look = Look::of(&table.app);

    table.choose("Theme", "Light").await?;
    look.wait_dark(false).await?;
    // A multi-column sort shows the position badges too.
    table.click_header("Template").await?;
    table.wait_aria_sort("Template", "ascending").await?;
    table.shift_click_header("Started").await?;
    wait_for("the sort position badge on Started", || async {
        let started = table.header("Started").await?;
        Ok((started.badge.as_deref() == Some("2")).then_some(()))
    })
    .await?;
    table.app.wait_rows(50).await?;
    // Even with both badges the comfortable table fits a 1280 px window
    // (compact rows keep to one line and may scroll sideways in their card).
    table.choose("Density", "Comfortable").await?;
    wait_fitted_without_inner_scroll(&h, &table.app).await?;
    assert_axe_clean(&look, "light").await?;
    screenshot(&h, &screenshot_path("look-light-1280.png")).await?;

    table.choose("Theme", "Dark").await?;
    look.wait_dark(true).await?;
    assert_axe_clean(&look, "dark").await?;
    screenshot(&h, &screenshot_path("look-dark-1280.png")).await?;
    h.finish().await
}

#[tokio::test]
async fn the_theme_choice_is_remembered_for_the_next_open() -> Result<()> {
    let h = Harness::start("look-remember", config()?).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.app.wait_rows(50).await?;
    let look = Look::of(&table.app);
    // Auto, and headless Chromium prefers light.
    look.wait_dark(false).await?;

    table.choose("Theme", "Dark").await?;
    look.wait_dark(true).await?;
    let saved = wait_for("wm_theme in the user options", || async {
        let options = h.control.get("/_emulator/options").await?;
        Ok(options["user"].get("wm_theme").cloned())
    })
    .await?;
    assert_eq!(saved, "dark");

    // The next open: a new tab, a new render of the portal page whose init
    // data carries the saved option.
    let tab = h.client.new_window(true).await?;
    h.client.switch_to_window(tab.handle).await?;
    h.portal().open().await?;
    let again = TablePage::of(&h);
    again.app.wait_rows(50).await?;
    let look = Look::of(&again.app);
    let bg = look.background().await?;
    assert!(bg.is_dark(), "the dark theme on the next open: {bg:?}");
    let shown = again.app.js(
        "const s = Array.from(document.querySelectorAll('select')).find(s => s.labels[0] && s.labels[0].textContent.includes('Theme'));\
         return s ? s.options[s.selectedIndex].textContent : null;",
    )
    .await?;
    assert_eq!(shown, "Dark", "the switch shows the saved choice");
    h.finish().await
}

#[tokio::test]
async fn auto_follows_the_system_theme_and_a_choice_overrides_it() -> Result<()> {
    let h = Harness::start("look-auto", config()?).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.app.wait_rows(50).await?;
    let look = Look::of(&table.app);
    look.wait_dark(false).await?;

    // The system turns dark while the app is open: Auto follows.
    h.emulate_media("prefers-color-scheme", "dark").await?;
    look.wait_dark(true).await?;
    // An explicit choice wins over the system, and Auto gives it back.
    table.choose("Theme", "Light").await?;
    look.wait_dark(false).await?;
    table.choose("Theme", "Auto").await?;
    look.wait_dark(true).await?;
    h.emulate_media("prefers-color-scheme", "light").await?;
    look.wait_dark(false).await?;
    h.finish().await
}

#[tokio::test]
async fn holds_up_from_a_360_px_frame_to_a_wide_desktop() -> Result<()> {
    let h = Harness::start("look-responsive", config()?).await?;
    h.client.set_window_size(360, 800).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    let look = Look::of(&app);

    // Narrow: the page itself never overflows sideways; the toolbar and
    // the filters wrap; only the table scrolls, inside its card.
    let (scroll, client) = look.page_widths().await?;
    assert!(
        scroll <= client + 1.0,
        "the app's page is {scroll} px wide in a {client} px frame"
    );
    let past = look.controls_past_the_edge().await?;
    assert!(past.is_empty(), "controls past the frame's edge: {past:?}");
    let (table_scroll, table_client) = look.table_wrap_widths().await?;
    assert!(
        table_scroll > table_client,
        "on a narrow frame the table scrolls in its wrapper ({table_scroll} in {table_client})"
    );
    screenshot(&h, &screenshot_path("look-light-360.png")).await?;
    let table = TablePage::of(&h);
    table.choose("Theme", "Dark").await?;
    look.wait_dark(true).await?;
    screenshot(&h, &screenshot_path("look-dark-360.png")).await?;
    table.choose("Theme", "Light").await?;
    look.wait_dark(false).await?;

    // Wide: the whole comfortable table fits, and the frame, fitted to
    // the content again, shows no inner scrollbar at all.
    table.choose("Density", "Comfortable").await?;
    h.client.set_window_size(1280, 1000).await?;
    wait_fitted_without_inner_scroll(&h, &app).await?;
    h.finish().await
}

#[tokio::test]
async fn compact_rows_take_one_line_at_1280_px_and_comfortable_ones_more_kept_per_user(
) -> Result<()> {
    let h = Harness::start("look-density", config()?).await?;
    h.client.set_window_size(1280, 1000).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.app.wait_rows(50).await?;
    let look = Look::of(&table.app);

    // Compact by default: every row on one line, as Bitrix24's own grid
    // (which scrolls sideways inside its card where the frame is narrower).
    let (_, compact) = look.row_heights().await?;
    assert!(
        compact <= 44.0,
        "a compact row is {compact} px tall at 1280 px"
    );
    screenshot(&h, &screenshot_path("look-compact-1280.png")).await?;

    table.choose("Density", "Comfortable").await?;
    let comfortable = wait_for("taller rows", || async {
        let (_, tall) = look.row_heights().await?;
        Ok((tall > compact + 10.0).then_some(tall))
    })
    .await?;
    println!("row height at 1280 px: compact {compact} px, comfortable {comfortable} px");
    screenshot(&h, &screenshot_path("look-comfortable-1280.png")).await?;
    let saved = wait_for("wm_density in the user options", || async {
        let options = h.control.get("/_emulator/options").await?;
        Ok(options["user"].get("wm_density").cloned())
    })
    .await?;
    assert_eq!(saved, "comfortable");

    // The next open starts comfortable.
    let tab = h.client.new_window(true).await?;
    h.client.switch_to_window(tab.handle).await?;
    h.portal().open().await?;
    let again = TablePage::of(&h);
    again.app.wait_rows(50).await?;
    let (_, tall) = Look::of(&again.app).row_heights().await?;
    assert!(
        tall > compact + 10.0,
        "comfortable on the next open: {tall} px"
    );
    h.finish().await
}
