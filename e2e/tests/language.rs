//! The app speaks the portal's language: Russian for `LANG=ru`, English
//! for English and for every language without a catalogue. Numbers are
//! grouped the locale's way; `<html lang>` follows, for screen readers.

use e2e::app::{app_dist, AppFrame};
use e2e::table::TablePage;
use e2e::{config_serving, Harness, Result};

const WORKFLOWS: usize = 1_200;

async fn start(label: &str, lang: &str) -> Result<Harness> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = WORKFLOWS;
    config.lang = lang.to_owned();
    let h = Harness::start(label, config).await?;
    h.portal().open().await?;
    Ok(h)
}

async fn document_lang(app: &AppFrame<'_>) -> Result<String> {
    let v = app.js("return document.documentElement.lang;").await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_russian_portal_gets_the_app_in_russian() -> Result<()> {
    let h = start("lang-ru", "ru").await?;
    let table = TablePage::of(&h);
    // 1 200 with a no-break space; the page object folds it to a space.
    table.wait_showing("Показаны 1–50 из 1 200").await?;
    let app = AppFrame::of(&h);
    app.wait_text("Запущенные бизнес-процессы").await?;
    app.wait_text("Страница 1 из 24").await?;
    assert_eq!(document_lang(&app).await?, "ru");
    table.press("Следующая страница").await?;
    table.wait_showing("Показаны 51–100 из 1 200").await?;
    app.wait_text("Страница 2 из 24").await?;
    let text = app.wait_text("Обновить").await?;
    for english in ["Showing", "Next page", "Refresh", "Rows per page"] {
        assert!(
            !text.contains(english),
            "{english:?} left in English: {text}"
        );
    }
    h.finish().await
}

#[tokio::test]
async fn languages_without_a_catalogue_fall_back_to_english() -> Result<()> {
    let h = start("lang-de", "de").await?;
    let table = TablePage::of(&h);
    table.wait_showing("Showing 1–50 of 1,200").await?;
    let app = AppFrame::of(&h);
    app.wait_text("Running workflows").await?;
    assert_eq!(document_lang(&app).await?, "en");
    table.press("Next page").await?;
    table.wait_showing("Showing 51–100 of 1,200").await?;
    h.finish().await
}
