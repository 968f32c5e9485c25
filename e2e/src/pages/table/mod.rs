//! The workflows table as a person uses it (headers, pager, rows per page,
//! filters, presets, chips, notices); what its tests compare it against is
//! in [`crate::oracles`]. `names` reads the names and documents, `signals`
//! the dates, badges and their tooltips.
//!
//! Controls are found the way a person finds them: buttons by their
//! accessible name (`aria-label`, else their text), inputs by their label,
//! date ranges by their fieldset's legend, headers by the name they start
//! with. Nothing waits a fixed time.

use serde_json::{json, Map, Value};

use crate::app::AppFrame;
use std::time::Duration;

use crate::{wait_for_within, Harness, HarnessError, Result, WAIT};

mod names;
mod signals;

pub use signals::{Described, Focused};

/// The column headers, in display order (the issue's names).
pub const HEADERS: [&str; 9] = [
    "ID",
    "Started",
    "Started by",
    "Template",
    "Module",
    "Entity",
    "Document",
    "Modified",
    "Locked until",
];

/// Functions every script below starts with. The accessible name is the
/// subset of the ARIA rules the app's markup needs: `aria-label`,
/// `aria-labelledby`, a `<label>` (its own text, without the text of the
/// control it wraps), else the element's text.
pub(crate) const FIND_JS: &str = r#"
const norm = s => (s || '').replace(/\s+/g, ' ').trim();
const ownText = el => {
  const c = el.cloneNode(true);
  c.querySelectorAll('input, select, textarea, button').forEach(x => x.remove());
  return norm(c.textContent);
};
const nameOf = el => {
  const al = el.getAttribute('aria-label');
  if (al) return norm(al);
  const lb = el.getAttribute('aria-labelledby');
  if (lb) return norm(lb.split(/\s+/).map(id => { const e = document.getElementById(id); return e ? e.textContent : ''; }).join(' '));
  if (el.labels && el.labels.length) return norm(Array.from(el.labels).map(ownText).join(' '));
  if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) return norm(el.getAttribute('title') || el.getAttribute('placeholder'));
  return norm(el.textContent);
};
const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
const buttonNamed = (name, root) => Array.from((root || document).querySelectorAll('button, [role=button]'))
  .find(b => nameOf(b) === name && shown(b));
const TEXTY = 'input:not([type=checkbox]):not([type=radio]):not([type=hidden]), textarea';
const controlNamed = (name, root, sel) => Array.from((root || document).querySelectorAll(sel || 'input, select, textarea'))
  .find(c => nameOf(c) === name);
const groupNamed = legend => Array.from(document.querySelectorAll('fieldset'))
  .find(f => { const l = f.querySelector('legend'); return l && norm(l.textContent) === legend; });
const HEADERS = ['ID', 'Started', 'Started by', 'Template', 'Module', 'Entity', 'Document', 'Modified', 'Locked until'];
const headerName = th => {
  const t = norm(th.textContent);
  return HEADERS.filter(n => t.startsWith(n)).sort((a, b) => b.length - a.length)[0] || null;
};
const headerCells = () => Array.from(document.querySelectorAll('table thead th[scope=col]'));
const headerNamed = name => headerCells().find(th => headerName(th) === name);
const setValue = (el, value) => {
  const proto = el.tagName === 'SELECT' ? HTMLSelectElement.prototype
    : el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
};
"#;

/// Inputs a person types into (`TEXTY` in [`FIND_JS`]).
const TEXT_INPUTS: &str =
    "input:not([type=checkbox]):not([type=radio]):not([type=hidden]), textarea";

/// One column header as the admin sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// `Started by`.
    pub name: String,
    /// `ascending`, `descending` or `none` (also when the attribute is absent).
    pub aria_sort: String,
    /// The multi-sort position badge (`1`, `2`), if shown.
    pub badge: Option<String>,
}

/// One table row: cell text by column header.
pub type Row = Map<String, Value>;

/// The workflows screen inside the app frame (page object).
pub struct TablePage<'a> {
    /// The app frame (for its generic helpers).
    pub app: AppFrame<'a>,
    /// How long the `wait_*` helpers wait ([`WAIT`] unless told).
    patience: Duration,
}

impl<'a> TablePage<'a> {
    /// The table of the app in `h`'s portal page.
    pub fn of(h: &'a Harness) -> Self {
        TablePage {
            app: AppFrame::of(h),
            patience: WAIT,
        }
    }

    /// The same page whose `wait_*` helpers wait up to `patience` (a
    /// portal that answers only after retries or a pause).
    pub fn patient(mut self, patience: Duration) -> Self {
        self.patience = patience;
        self
    }

    /// [`wait_for`] with this page's patience.
    async fn wait<T, F, Fut>(&self, what: &str, probe: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>>>,
    {
        wait_for_within(self.patience, what, probe).await
    }

    /// Runs `body` (with [`FIND_JS`] in scope) inside the app frame.
    async fn run(&self, body: &str, args: Vec<Value>) -> Result<Value> {
        self.app
            .page
            .in_app(&format!("{FIND_JS}\n{body}"), args)
            .await
    }

    /// Runs `body`, which returns `null` on success or a sentence saying
    /// what was missing.
    async fn act(&self, body: &str, args: Vec<Value>) -> Result<()> {
        match self.run(body, args).await? {
            Value::Null => Ok(()),
            Value::String(why) => Err(HarnessError::Unexpected(why)),
            other => Err(HarnessError::Unexpected(format!("script answered {other}"))),
        }
    }

    // ------------------------------------------------------------ headers

    /// The column headers, in display order.
    pub async fn headers(&self) -> Result<Vec<Header>> {
        let v = self
            .run(
                "return headerCells().filter(th => !th.classList.contains('wm-table__th--select')).map(th => {
                   const b = th.querySelector('button');
                   const badgeEl = b && b.querySelector('[class*=badge]');
                   const name = headerName(th);
                   let badge = badgeEl ? norm(badgeEl.textContent) : null;
                   if (!badge && b && name) {
                     const rest = norm(b.textContent).slice(name.length).replace(/[^0-9]/g, '');
                     badge = rest || null;
                   }
                   return { name: name || norm(th.textContent), aria_sort: th.getAttribute('aria-sort') || 'none', badge };
                 });",
                vec![],
            )
            .await?;
        let list = v.as_array().cloned().unwrap_or_default();
        Ok(list
            .iter()
            .map(|h| Header {
                name: h["name"].as_str().unwrap_or_default().to_owned(),
                aria_sort: h["aria_sort"].as_str().unwrap_or("none").to_owned(),
                badge: h["badge"].as_str().map(str::to_owned),
            })
            .collect())
    }

    /// The header named `name`.
    pub async fn header(&self, name: &str) -> Result<Header> {
        self.headers()
            .await?
            .into_iter()
            .find(|h| h.name == name)
            .ok_or_else(|| HarnessError::Unexpected(format!("no column header \"{name}\"")))
    }

    /// Waits until the header `name` says `aria_sort`.
    pub async fn wait_aria_sort(&self, name: &str, aria_sort: &str) -> Result<Header> {
        self.wait(&format!("aria-sort=\"{aria_sort}\" on {name}"), || async {
            let h = self.header(name).await?;
            Ok((h.aria_sort == aria_sort).then_some(h))
        })
        .await
    }

    /// Clicks the sort button of the header `name`.
    pub async fn click_header(&self, name: &str) -> Result<()> {
        self.click_header_with(name, false).await
    }

    /// Shift+clicks the sort button of the header `name` (adds a sort key).
    pub async fn shift_click_header(&self, name: &str) -> Result<()> {
        self.click_header_with(name, true).await
    }

    async fn click_header_with(&self, name: &str, shift: bool) -> Result<()> {
        // A click event as the browser makes it, with the modifier state a
        // held Shift key gives it.
        self.act(
            "const th = headerNamed(arguments[0]);
             if (!th) return 'no column header \"' + arguments[0] + '\"';
             const b = th.querySelector('button');
             if (!b) return 'the header \"' + arguments[0] + '\" has no button';
             b.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window, shiftKey: arguments[1], button: 0 }));
             return null;",
            vec![json!(name), json!(shift)],
        )
        .await
    }

    // --------------------------------------------------------------- rows

    /// The rows on screen, cells keyed by their column's header.
    pub async fn rows(&self) -> Result<Vec<Row>> {
        let v = self
            .run(
                "const names = headerCells().map(th => headerName(th) || norm(th.textContent));
                 return Array.from(document.querySelectorAll('table tbody tr')).map(tr => {
                   const row = {};
                   Array.from(tr.cells).forEach((td, i) => { if (names[i]) row[names[i]] = norm(td.textContent); });
                   return row;
                 });",
                vec![],
            )
            .await?;
        Ok(v.as_array()
            .map(|rows| rows.iter().filter_map(|r| r.as_object().cloned()).collect())
            .unwrap_or_default())
    }

    /// The IDs of the rows on screen, in order.
    pub async fn ids(&self) -> Result<Vec<String>> {
        Ok(self
            .rows()
            .await?
            .iter()
            .map(|r| r.get("ID").and_then(Value::as_str).unwrap_or("").to_owned())
            .collect())
    }

    /// Waits until the table lists exactly `expected` (IDs, in order).
    pub async fn wait_ids(&self, what: &str, expected: &[String]) -> Result<Vec<Row>> {
        let result = self
            .wait(what, || async {
                let rows = self.rows().await?;
                let ids: Vec<&str> = rows
                    .iter()
                    .map(|r| r.get("ID").and_then(Value::as_str).unwrap_or(""))
                    .collect();
                Ok((ids == expected).then_some(rows))
            })
            .await;
        if result.is_err() {
            // Say what was there instead: the first rows of each side.
            let got = self.ids().await.unwrap_or_default();
            eprintln!(
                "{what}: table has {} rows {:?}…, expected {} {:?}…",
                got.len(),
                got.iter().take(3).collect::<Vec<_>>(),
                expected.len(),
                expected.iter().take(3).collect::<Vec<_>>()
            );
        }
        result
    }

    // -------------------------------------------------------------- pager

    /// The pager's "Showing 51–100 of 2,345".
    pub async fn showing(&self) -> Result<String> {
        let v = self
            .run(
                "const e = document.querySelector('.wm-pager__showing'); return e ? norm(e.textContent) : '';",
                vec![],
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Waits until the pager says exactly `text`.
    pub async fn wait_showing(&self, text: &str) -> Result<()> {
        let result = self
            .wait(&format!("the pager to say \"{text}\""), || async {
                Ok((self.showing().await? == text).then_some(()))
            })
            .await;
        if result.is_err() {
            eprintln!(
                "the pager says \"{}\"",
                self.showing().await.unwrap_or_default()
            );
        }
        result
    }

    /// Clicks the button whose accessible name is `name` (its
    /// `aria-label`, else its text); fails if there is none or it is
    /// disabled.
    pub async fn press(&self, name: &str) -> Result<()> {
        self.act(
            "const b = buttonNamed(arguments[0]);
             if (!b) return 'no button named \"' + arguments[0] + '\" in the app';
             if (b.disabled || b.getAttribute('aria-disabled') === 'true') return 'the button \"' + arguments[0] + '\" is disabled';
             b.click();
             return null;",
            vec![json!(name)],
        )
        .await
    }

    /// Ticks (`on`) or clears the checkbox labelled `label`, as a click
    /// would; nothing happens when it already is so.
    pub async fn set_checked(&self, label: &str, on: bool) -> Result<()> {
        self.act(
            "const c = controlNamed(arguments[0], null, 'input[type=checkbox]');
             if (!c) return 'no checkbox labelled \"' + arguments[0] + '\" in the app';
             if (c.disabled) return 'the checkbox \"' + arguments[0] + '\" is disabled';
             if (c.checked !== arguments[1]) c.click();
             return null;",
            vec![json!(label), json!(on)],
        )
        .await
    }

    /// "Next page".
    pub async fn next_page(&self) -> Result<()> {
        self.press("Next page").await
    }

    /// "Previous page".
    pub async fn previous_page(&self) -> Result<()> {
        self.press("Previous page").await
    }

    /// "First page".
    pub async fn first_page(&self) -> Result<()> {
        self.press("First page").await
    }

    /// "Last page".
    pub async fn last_page(&self) -> Result<()> {
        self.press("Last page").await
    }

    /// Types `page` into "Go to page" and presses "Go".
    pub async fn go_to_page(&self, page: u64) -> Result<()> {
        self.fill("Go to page", &page.to_string()).await?;
        self.press("Go").await
    }

    /// Chooses `rows` under "Rows per page".
    pub async fn set_rows_per_page(&self, rows: u32) -> Result<()> {
        self.choose("Rows per page", &rows.to_string()).await
    }

    // ----------------------------------------------------------- controls

    /// Makes sure the control labelled `label` matching the CSS `selector`
    /// (or, with `group`, the
    /// fieldset whose legend is `label`) is on screen: when it is not, opens
    /// the collapsed filter editor ("Add filter", `aria-expanded="false"`)
    /// the way a person would, and waits for it.
    pub async fn reveal(&self, label: &str, group: bool, selector: &str) -> Result<()> {
        let script = "const found = arguments[1] ? groupNamed(arguments[0]) : controlNamed(arguments[0], null, arguments[2]);
             if (found) return true;
             const opener = Array.from(document.querySelectorAll('button[aria-expanded=false]'))
               .find(b => /filter/i.test(nameOf(b)) && shown(b));
             if (opener) opener.click();
             return false;";
        let what = if group {
            format!("a fieldset \"{label}\" in the app")
        } else {
            format!("a control labelled \"{label}\" in the app")
        };
        self.wait(&what, || async {
            let v = self
                .run(script, vec![json!(label), json!(group), json!(selector)])
                .await?;
            Ok((v.as_bool() == Some(true)).then_some(()))
        })
        .await
    }

    /// The options of the select labelled `label`, as `(value, text)`.
    pub async fn options(&self, label: &str) -> Result<Vec<(String, String)>> {
        self.reveal(label, false, "select").await?;
        let v = self
            .run(
                "const s = controlNamed(arguments[0], null, 'select');
                 if (!s || s.tagName !== 'SELECT') return null;
                 return Array.from(s.options).map(o => [o.value, norm(o.textContent)]);",
                vec![json!(label)],
            )
            .await?;
        let Some(list) = v.as_array() else {
            return Err(HarnessError::Unexpected(format!(
                "no select labelled \"{label}\" in the app"
            )));
        };
        Ok(list
            .iter()
            .map(|o| {
                (
                    o[0].as_str().unwrap_or_default().to_owned(),
                    o[1].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect())
    }

    /// Chooses the option whose text is `text` in the select labelled
    /// `label`.
    pub async fn choose(&self, label: &str, text: &str) -> Result<()> {
        self.reveal(label, false, "select").await?;
        self.act(
            "const s = controlNamed(arguments[0], null, 'select');
             if (!s || s.tagName !== 'SELECT') return 'no select labelled \"' + arguments[0] + '\" in the app';
             const o = Array.from(s.options).find(o => norm(o.textContent) === arguments[1]);
             if (!o) return 'no option \"' + arguments[1] + '\" under \"' + arguments[0] + '\"';
             setValue(s, o.value);
             return null;",
            vec![json!(label), json!(text)],
        )
        .await
    }

    /// Chooses the option whose value is `value` in the select labelled
    /// `label`.
    pub async fn choose_value(&self, label: &str, value: &str) -> Result<()> {
        self.reveal(label, false, "select").await?;
        self.act(
            "const s = controlNamed(arguments[0], null, 'select');
             if (!s || s.tagName !== 'SELECT') return 'no select labelled \"' + arguments[0] + '\" in the app';
             if (!Array.from(s.options).some(o => o.value === arguments[1])) return 'no option with value \"' + arguments[1] + '\" under \"' + arguments[0] + '\"';
             setValue(s, arguments[1]);
             return null;",
            vec![json!(label), json!(value)],
        )
        .await
    }

    /// Types `value` into the input labelled `label` (and commits it, as
    /// leaving the field does).
    pub async fn fill(&self, label: &str, value: &str) -> Result<()> {
        self.reveal(label, false, TEXT_INPUTS).await?;
        self.act(
            "const c = controlNamed(arguments[0], null, TEXTY);
             if (!c) return 'no input labelled \"' + arguments[0] + '\" in the app';
             c.focus();
             setValue(c, arguments[1]);
             return null;",
            vec![json!(label), json!(value)],
        )
        .await
    }

    /// Fills "From" and "To" in the fieldset whose legend is `legend`
    /// (`Started`). Dates are `YYYY-MM-DD`; a date-and-time input gets
    /// the day's first minute.
    pub async fn fill_range(&self, legend: &str, from: &str, to: &str) -> Result<()> {
        self.reveal(legend, true, "").await?;
        self.act(
            "const g = groupNamed(arguments[0]);
             if (!g) return 'no fieldset with legend \"' + arguments[0] + '\" in the app';
             for (const [label, value] of [['From', arguments[1]], ['To', arguments[2]]]) {
               const c = controlNamed(label, g, TEXTY);
               if (!c) return 'no input labelled \"' + label + '\" under \"' + arguments[0] + '\"';
               c.focus();
               setValue(c, c.type === 'datetime-local' ? value + 'T00:00' : value);
               if (c.value === '') return 'the input \"' + label + '\" under \"' + arguments[0] + '\" refused ' + value;
             }
             return null;",
            vec![json!(legend), json!(from), json!(to)],
        )
        .await
    }

    // ------------------------------------------------------------ filters

    /// Clicks the preset button `name` (`Stuck`).
    pub async fn apply_preset(&self, name: &str) -> Result<()> {
        self.press(name).await
    }

    /// The active filter chips' texts (from their remove buttons'
    /// `Remove filter: <text>`).
    pub async fn chips(&self) -> Result<Vec<String>> {
        let v = self
            .run(
                "return Array.from(document.querySelectorAll('button, [role=button]')).filter(shown)
                   .map(nameOf).filter(n => n.startsWith('Remove filter: '))
                   .map(n => n.slice('Remove filter: '.length));",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(v).unwrap_or_default())
    }

    /// Waits until the chips are `expected`, in any order.
    pub async fn wait_chips(&self, expected: &[&str]) -> Result<()> {
        let mut want: Vec<&str> = expected.to_vec();
        want.sort_unstable();
        let result = self
            .wait(&format!("the chips {expected:?}"), || async {
                let mut got = self.chips().await?;
                got.sort_unstable();
                Ok((got == want).then_some(()))
            })
            .await;
        if result.is_err() {
            eprintln!(
                "chips on screen: {:?}",
                self.chips().await.unwrap_or_default()
            );
        }
        result
    }

    /// Removes the chip `text` with its remove button.
    pub async fn remove_chip(&self, text: &str) -> Result<()> {
        self.press(&format!("Remove filter: {text}")).await
    }

    /// "Clear all".
    pub async fn clear_all(&self) -> Result<()> {
        self.press("Clear all").await
    }

    // ------------------------------------------------------------ notices

    /// The texts of every `role` element (`alert`, `status`).
    pub async fn role_texts(&self, role: &str) -> Result<Vec<String>> {
        let v = self
            .run(
                "return Array.from(document.querySelectorAll('[role=' + arguments[0] + ']')).map(e => norm(e.textContent));",
                vec![json!(role)],
            )
            .await?;
        Ok(serde_json::from_value(v).unwrap_or_default())
    }

    /// Waits for a `role` element whose text contains `needle`; its text.
    pub async fn wait_role_text(&self, role: &str, needle: &str) -> Result<String> {
        let result = self
            .wait(&format!("role={role} saying \"{needle}\""), || async {
                Ok(self
                    .role_texts(role)
                    .await?
                    .into_iter()
                    .find(|t| t.contains(needle)))
            })
            .await;
        if result.is_err() {
            eprintln!(
                "role={role} on screen: {:?}",
                self.role_texts(role).await.unwrap_or_default()
            );
        }
        result
    }

    /// The app frame's `location.hash` (with `#`, or empty).
    pub async fn fragment(&self) -> Result<String> {
        let v = self.app.js("return location.hash;").await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// How many REST requests the app frame has seen answered (resource
    /// timing entries of `/rest/` URLs: one is added when a response has
    /// been fully received).
    pub async fn rest_responses_received(&self) -> Result<u64> {
        let v = self
            .app
            .js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/rest/')).length;")
            .await?;
        Ok(v.as_u64().unwrap_or(0))
    }
}
