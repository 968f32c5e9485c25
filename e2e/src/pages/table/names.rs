//! The names of templates and people and the documents, as the table shows them.

use serde_json::Value;

use super::TablePage;
use crate::{wait_for, HarnessError, Result};

impl TablePage<'_> {
    /// How many name cells still show an id placeholder (a name not
    /// loaded yet).
    pub async fn pending_names(&self) -> Result<u64> {
        let v = self
            .run(
                "return document.querySelectorAll('table tbody .wm-name--pending').length;",
                vec![],
            )
            .await?;
        Ok(v.as_u64().unwrap_or(0))
    }

    /// Waits until no name cell shows a placeholder.
    pub async fn wait_names_filled(&self) -> Result<()> {
        wait_for("every name in the table", || async {
            Ok((self.pending_names().await? == 0).then_some(()))
        })
        .await
    }

    /// The links in the table's rows, as `(text, href, target)`.
    pub async fn table_links(&self) -> Result<Vec<(String, String, String)>> {
        let v = self
            .run(
                "return Array.from(document.querySelectorAll('table tbody a')).map(a =>
                   [norm(a.textContent), a.getAttribute('href') || '', a.getAttribute('target') || '']);",
                vec![],
            )
            .await?;
        Ok(v.as_array()
            .map(|links| {
                links
                    .iter()
                    .map(|l| {
                        let part = |i: usize| l[i].as_str().unwrap_or_default().to_owned();
                        (part(0), part(1), part(2))
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Clicks the first table link whose text is `text` the way a person
    /// does (a real WebDriver click inside the app frame, not a script).
    pub async fn click_link(&self, text: &str) -> Result<()> {
        let client = &self.app.page.h.client;
        let frame = client.find(fantoccini::Locator::Id("app-frame")).await?;
        frame.enter_frame().await?;
        let clicked = async {
            let link = client.find(fantoccini::Locator::LinkText(text)).await?;
            link.click().await?;
            Ok::<_, HarnessError>(())
        }
        .await;
        client.enter_parent_frame().await?;
        clicked
    }

    /// The table's layout in one look: how many names are still
    /// placeholders, each row's height and each column's width (CSS px).
    pub async fn layout(&self) -> Result<(u64, Vec<f64>, Vec<f64>)> {
        let v = self
            .run(
                "return [document.querySelectorAll('table tbody .wm-name--pending').length,
                         Array.from(document.querySelectorAll('table tbody tr')).map(r => r.getBoundingClientRect().height),
                         headerCells().map(th => th.getBoundingClientRect().width)];",
                vec![],
            )
            .await?;
        let list = |i: usize| -> Vec<f64> {
            v[i].as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default()
        };
        Ok((v[0].as_u64().unwrap_or(0), list(1), list(2)))
    }

    /// How many elements the table's cells hold that no cell should
    /// (images, scripts, iframes, objects: markup from portal data), and
    /// whether any script set `window.__xss`.
    pub async fn injected(&self) -> Result<(u64, bool)> {
        let v = self
            .run(
                "return [document.querySelectorAll('table img, table script, table iframe, table object').length,
                         window.__xss !== undefined];",
                vec![],
            )
            .await?;
        Ok((v[0].as_u64().unwrap_or(0), v[1].as_bool().unwrap_or(true)))
    }
}
