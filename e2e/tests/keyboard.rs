//! The table from the keyboard alone: every control on the way is
//! reachable with Tab in reading order (toolbar, filters, column headers,
//! pager), and sorting and paging work with Enter.

use e2e::app::app_dist;
use e2e::keyboard::{Keyboard, ENTER};
use e2e::table::{showing, TablePage};
use e2e::{config_serving, Harness, Result};

const WORKFLOWS: u64 = 300;

#[tokio::test]
async fn tab_reaches_toolbar_filters_headers_and_pager_in_order_and_enter_operates_them(
) -> Result<()> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = WORKFLOWS as usize;
    let h = Harness::start("keyboard", config).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;

    let keys = Keyboard::of(&h);
    keys.start_over().await?;
    let path = keys.tab_to("Next page", 80).await?;
    let names: Vec<&str> = path.iter().map(|f| f.name.as_str()).collect();
    println!("Tab order: {names:?}");
    let at = |name: &str| {
        names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("Tab never reached {name:?}: {names:?}"))
    };
    let order = [
        at("Refresh"),
        at("Stuck"),
        at("Add filter"),
        at("ID"),
        at("Started"),
        at("Locked until"),
        at("Next page"),
    ];
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "reading order {order:?} in {names:?}"
    );
    // On page 1 "First page" and "Previous page" are disabled: Tab skips
    // them rather than stopping on a control that does nothing.
    assert!(
        !names.contains(&"First page") && !names.contains(&"Previous page"),
        "{names:?}"
    );
    assert!(
        path.iter().all(|f| !f.tag.is_empty()),
        "the focus never fell back to the page: {path:?}"
    );
    let unmarked: Vec<&str> = path
        .iter()
        .filter(|f| !f.indicated)
        .map(|f| f.name.as_str())
        .collect();
    assert!(
        unmarked.is_empty(),
        "every focused control shows a focus ring; these do not: {unmarked:?}"
    );

    // Enter on the focused "Next page".
    keys.press(ENTER).await?;
    table.wait_showing(&showing(51, 100, WORKFLOWS)).await?;

    // Back to the headers: Enter sorts by Modified.
    keys.start_over().await?;
    keys.tab_to("Modified", 80).await?;
    keys.press(ENTER).await?;
    table.wait_aria_sort("Modified", "descending").await?;
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    h.finish().await
}
