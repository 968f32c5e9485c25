//! The workflows table as a person uses it (headers, pager, rows per page,
//! filters, presets, chips, notices), and the two oracles its tests compare
//! against: the emulator's request log (what the app asked for) and the
//! emulator's own answer to a direct REST query (what the app should show).
//!
//! Controls are found the way a person finds them: buttons by their
//! accessible name (`aria-label`, else their text), inputs by their label,
//! date ranges by their fieldset's legend, headers by the name they start
//! with. Nothing waits a fixed time.

use serde_json::{json, Map, Value};

use crate::app::AppFrame;
use std::time::Duration;

use crate::{wait_for, wait_for_within, Harness, HarnessError, Result, WAIT};

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

/// The REST method that lists running workflows.
pub const LIST_METHOD: &str = "bizproc.workflow.instances";

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
                "return headerCells().map(th => {
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

// ---------------------------------------------------------------------------
// What the emulator received

/// One 50-row list query the app made: a `bizproc.workflow.instances` call,
/// or one command of a `batch`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    /// The log entry's `seq`.
    pub seq: u64,
    /// The batch command key (`s50`), or `None` for a single call.
    pub batch_key: Option<String>,
    /// ORDER as `(field, direction)` in the order sent.
    pub order: Vec<(String, String)>,
    /// FILTER as sent (values as text).
    pub filter: Map<String, Value>,
    /// `start` (0 when absent).
    pub start: u64,
    /// SELECT as sent, in order (empty when absent).
    pub select: Vec<String>,
}

/// A JSON value as the text PHP would see (`12` and `"12"` alike).
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// An object's `(key, value-as-text)` pairs in their order.
pub fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), text_of(v))).collect())
        .unwrap_or_default()
}

/// `(key, value)` pairs from string slices, for comparing with [`pairs`].
pub fn expect_pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn case_insensitive<'v>(params: &'v Value, key: &str) -> Option<&'v Value> {
    params
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn query_of(seq: u64, batch_key: Option<String>, params: &Value) -> ListQuery {
    let start = case_insensitive(params, "start")
        .map(text_of)
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(0);
    ListQuery {
        seq,
        batch_key,
        order: case_insensitive(params, "order")
            .map(pairs)
            .unwrap_or_default(),
        filter: case_insensitive(params, "filter")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        start,
        select: case_insensitive(params, "select")
            .map(|v| match v {
                Value::Array(items) => items.iter().map(text_of).collect(),
                Value::Object(items) => items.values().map(text_of).collect(),
                other => vec![text_of(other)],
            })
            .unwrap_or_default(),
    }
}

/// The list queries in one log entry: the call itself, or each list
/// command of a batch (decoded as the portal decodes them, PHP
/// `parse_str`).
pub fn list_queries(entry: &Value) -> Vec<ListQuery> {
    let seq = entry["seq"].as_u64().unwrap_or(0);
    let method = entry["method"].as_str().unwrap_or_default();
    if method == LIST_METHOD {
        return vec![query_of(seq, None, &entry["params"])];
    }
    if method != "batch" {
        return Vec::new();
    }
    let Some(cmds) = case_insensitive(&entry["params"], "cmd").and_then(Value::as_object) else {
        return Vec::new();
    };
    cmds.iter()
        .filter_map(|(key, cmd)| {
            let cmd = cmd.as_str()?;
            let (method, query) = cmd.split_once('?').unwrap_or((cmd, ""));
            if !method.trim().eq_ignore_ascii_case(LIST_METHOD) {
                return None;
            }
            let params = Value::Object(portal_emulator::php::parse_str(query));
            Some(query_of(seq, Some(key.clone()), &params))
        })
        .collect()
}

/// The emulator's REST log, as far as the app (not the test) is concerned.
pub struct RestLog<'a> {
    h: &'a Harness,
}

impl<'a> RestLog<'a> {
    /// Waits until the screen has settled (every request made since
    /// `loaded` answered), then prints `REST requests | <interaction> | <n>
    /// | <calls> | counts batches: <k>` and returns the calls since `mark`.
    pub async fn cost(
        &self,
        interaction: &str,
        table: &TablePage<'_>,
        loaded: u64,
        mark: u64,
    ) -> Result<Vec<Value>> {
        self.wait_settled(table, loaded).await?;
        let calls = self.since(mark).await?;
        let counts = calls.iter().filter(|c| is_counts_batch(c)).count();
        println!(
            "REST requests | {interaction} | {} | {} | counts batches: {counts}",
            calls.len(),
            describe_calls(&calls)
        );
        Ok(calls)
    }

    /// The log of `h`'s emulator.
    pub fn of(h: &'a Harness) -> Self {
        RestLog { h }
    }

    /// Every REST request the app made (requests with the app host's
    /// origin; the test's own queries carry none).
    pub async fn app_calls(&self) -> Result<Vec<Value>> {
        crate::app::app_calls(self.h).await
    }

    /// The `seq` of the latest entry (of anyone), to count from.
    pub async fn mark(&self) -> Result<u64> {
        let log = self.h.control.get("/_emulator/log").await?;
        Ok(log
            .as_array()
            .and_then(|l| l.last())
            .and_then(|e| e["seq"].as_u64())
            .unwrap_or(0))
    }

    /// The app's requests after `mark`.
    pub async fn since(&self, mark: u64) -> Result<Vec<Value>> {
        Ok(self
            .app_calls()
            .await?
            .into_iter()
            .filter(|e| e["seq"].as_u64().unwrap_or(0) > mark)
            .collect())
    }

    /// The app's list queries after `mark`, in order.
    pub async fn queries_since(&self, mark: u64) -> Result<Vec<ListQuery>> {
        Ok(self
            .since(mark)
            .await?
            .iter()
            .flat_map(list_queries)
            .collect())
    }

    /// Waits for a list query after `mark` that satisfies `pred`.
    pub async fn wait_query(
        &self,
        mark: u64,
        what: &str,
        pred: impl Fn(&ListQuery) -> bool,
    ) -> Result<ListQuery> {
        let result = wait_for(what, || async {
            Ok(self
                .queries_since(mark)
                .await?
                .into_iter()
                .find(|q| pred(q)))
        })
        .await;
        if result.is_err() {
            eprintln!(
                "{what}: the app's list queries were {:#?}",
                self.queries_since(mark).await.unwrap_or_default()
            );
        }
        result
    }

    /// Waits until every request the app made since `loaded` (the mark
    /// taken before the app frame's document loaded) has reached the app:
    /// the frame has received as many `/rest/` responses as the emulator
    /// logged. Then counts are final and a prefetched page is in the
    /// app's hands.
    pub async fn wait_settled(&self, table: &TablePage<'_>, loaded: u64) -> Result<()> {
        wait_for("every REST answer to reach the app", || async {
            let logged = self.since(loaded).await?.len() as u64;
            let received = table.rest_responses_received().await?;
            Ok((received >= logged).then_some(()))
        })
        .await
    }
}

// ---------------------------------------------------------------------------
// What the emulator itself answers

/// One page of the emulator's own answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// Row IDs, in order.
    pub ids: Vec<String>,
    /// `total`.
    pub total: u64,
}

/// Asks the emulator directly (not through the app) for the IDs of `rows`
/// rows from `start` in `order` (`[("MODIFIED","DESC"),…]`) under
/// `filter`, 50 per call as the method pages.
pub async fn emulator_rows(
    h: &Harness,
    order: &[(&str, &str)],
    filter: Value,
    start: u64,
    rows: u64,
) -> Result<Expected> {
    let mut order_map = Map::new();
    for (k, v) in order {
        order_map.insert((*k).to_owned(), json!(v));
    }
    let mut out = Expected {
        ids: Vec::new(),
        total: 0,
    };
    let mut at = start;
    while at < start + rows {
        let answer = emulator_call(
            h,
            LIST_METHOD,
            json!({
                "select": ["ID"],
                "order": order_map,
                "filter": filter,
                "start": at,
            }),
        )
        .await?;
        let Some(result) = answer["result"].as_array() else {
            return Err(HarnessError::Unexpected(format!(
                "the emulator's own answer: {answer}"
            )));
        };
        out.total = answer["total"].as_u64().unwrap_or(0);
        for row in result {
            if (out.ids.len() as u64) < rows {
                out.ids.push(text_of(&row["ID"]));
            }
        }
        if answer.get("next").is_none() || result.is_empty() {
            break;
        }
        at += 50;
    }
    Ok(out)
}

/// Asks the emulator directly for `method` with `params` (auth added). The
/// request is marked as the test's own ([`portal_emulator::rest::ORACLE_HEADER`]):
/// no latency, injected fault, bucket or operating budget applies to it or
/// is changed by it, so checking the app never alters what the app meets.
pub async fn emulator_call(h: &Harness, method: &str, params: Value) -> Result<Value> {
    let token = h.control.post("/_emulator/token", &json!({})).await?;
    let mut body = params.as_object().cloned().unwrap_or_default();
    body.insert("auth".into(), token["access_token"].clone());
    Ok(reqwest::Client::new()
        .post(format!("{}/rest/{method}.json", h.emulator.portal_url()))
        .header(portal_emulator::rest::ORACLE_HEADER, "1")
        .json(&Value::Object(body))
        .send()
        .await?
        .json()
        .await?)
}

// ---------------------------------------------------------------------------
// Small pure helpers

/// `2345` → `2,345`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `Showing 51–100 of 2,345`.
pub fn showing(first: u64, last: u64, total: u64) -> String {
    format!(
        "Showing {}–{} of {}",
        grouped(first),
        grouped(last),
        grouped(total)
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds of midnight UTC of `YYYY-MM-DD`.
pub fn date_to_unix(date: &str) -> Option<i64> {
    let mut it = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    Some(days_from_civil(y, m, d) * 86_400)
}

/// Unix seconds of an ISO 8601 instant `YYYY-MM-DDTHH:MM:SS` followed by
/// `Z` or `±HH:MM` (what the app sends and the portal returns).
pub fn iso_to_unix(iso: &str) -> Option<i64> {
    let iso = iso.trim();
    if iso.len() < 19 || !iso.is_char_boundary(19) {
        return None;
    }
    let (stamp, zone) = iso.split_at(19);
    let (date, time) = stamp.split_once('T')?;
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    // Fractions of a second, if any, before the zone.
    let zone = zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match zone {
        "" | "Z" | "z" => 0,
        z => {
            let sign = match z.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = z[1..]
                .split_once(':')
                .unwrap_or((&z[1..3.min(z.len())], "0"));
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    Some(date_to_unix(date)? + hh * 3600 + mm * 60 + ss - offset)
}

/// Unix seconds now, by the machine's clock (the browser's too).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Names and documents (issue 5)

/// The method that lists templates.
pub const TEMPLATE_LIST_METHOD: &str = "bizproc.workflow.template.list";
/// The method that reads users by id.
pub const USER_GET_METHOD: &str = "user.get";

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

/// The ids one `user.get` asked for: `FILTER[@ID]` (or `filter`), numbers
/// or strings, or a comma-separated string.
/// The `@ID` values of a `user.get`'s parameters, as text.
fn user_get_values(params: &Value) -> Vec<String> {
    let filter = case_insensitive(params, "filter").unwrap_or(params);
    let ids = filter
        .as_object()
        .and_then(|f| f.iter().find(|(k, _)| k.eq_ignore_ascii_case("@ID")))
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Null);
    let items: Vec<Value> = match ids {
        Value::Array(items) => items,
        Value::Object(items) => items.into_iter().map(|(_, v)| v).collect(),
        Value::String(s) => s.split(',').map(|p| json!(p.trim())).collect(),
        other => vec![other],
    };
    items.iter().map(|v| text_of(v).trim().to_owned()).collect()
}

fn user_get_ids(params: &Value) -> Vec<u64> {
    user_get_values(params)
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect()
}

/// Whether a `user.get` names its people by reference to another
/// command's answer (`$result[s0][3][STARTED_BY]`), not by id.
fn by_reference(params: &Value) -> bool {
    let values = user_get_values(params);
    !values.is_empty() && values.iter().all(|v| v.starts_with("$result["))
}

/// The `user.get` commands of a batch entry that name their people by
/// reference, each as its references (`$result[s0][3][STARTED_BY]`).
pub fn user_get_references(entry: &Value) -> Vec<Vec<String>> {
    batch_commands(entry, USER_GET_METHOD)
        .iter()
        .filter(|p| by_reference(p))
        .map(user_get_values)
        .collect()
}

/// The `user.get` requests in one log entry (a call, or each `user.get`
/// command of a batch), each as the ids it asked for.
pub fn user_gets(entry: &Value) -> Vec<Vec<u64>> {
    let method = entry["method"].as_str().unwrap_or_default();
    if method.eq_ignore_ascii_case(USER_GET_METHOD) {
        return vec![user_get_ids(&entry["params"])];
    }
    batch_commands(entry, USER_GET_METHOD)
        .iter()
        .filter(|p| !by_reference(p))
        .map(user_get_ids)
        .collect()
}

/// The decoded parameters of each command of a batch entry calling `method`.
fn batch_commands(entry: &Value, method: &str) -> Vec<Value> {
    if entry["method"].as_str() != Some("batch") {
        return Vec::new();
    }
    let Some(cmds) = case_insensitive(&entry["params"], "cmd").and_then(Value::as_object) else {
        return Vec::new();
    };
    cmds.values()
        .filter_map(|cmd| {
            let (m, query) = cmd.as_str()?.split_once('?').unwrap_or((cmd.as_str()?, ""));
            m.trim()
                .eq_ignore_ascii_case(method)
                .then(|| Value::Object(portal_emulator::php::parse_str(query)))
        })
        .collect()
}

/// Whether a log entry asks for templates (a `template.list`, or a batch
/// of them).
pub fn is_template_list(entry: &Value) -> bool {
    entry["method"]
        .as_str()
        .is_some_and(|m| m.eq_ignore_ascii_case(TEMPLATE_LIST_METHOD))
        || !batch_commands(entry, TEMPLATE_LIST_METHOD).is_empty()
}

/// One line per request for the `REST requests | …` reports: the method,
/// the `start` of list queries and the ids of `user.get`s.
pub fn describe_calls(calls: &[Value]) -> String {
    calls
        .iter()
        .map(|c| {
            let mut out = c["method"].as_str().unwrap_or("?").to_owned();
            let starts: Vec<String> = list_queries(c)
                .iter()
                .map(|q| match &q.batch_key {
                    Some(key) if q.is_signal_count() => format!("count {key}"),
                    _ => format!("start={}", q.start),
                })
                .collect();
            if !starts.is_empty() {
                out.push_str(&format!(" [{}]", starts.join(", ")));
            }
            for ids in user_gets(c) {
                out.push_str(&format!(" [@ID {ids:?}]"));
            }
            out
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The rows of one page as the emulator itself lists them, with every
/// field, 50 from `start` in `order` under `filter`.
pub async fn emulator_full_rows(
    h: &Harness,
    order: &[(&str, &str)],
    filter: Value,
    start: u64,
) -> Result<Vec<Map<String, Value>>> {
    let mut order_map = Map::new();
    for (k, v) in order {
        order_map.insert((*k).to_owned(), json!(v));
    }
    let answer = emulator_call(
        h,
        LIST_METHOD,
        json!({
            "select": ["ID", "MODULE_ID", "ENTITY", "DOCUMENT_ID", "STARTED_BY", "TEMPLATE_ID"],
            "order": order_map,
            "filter": filter,
            "start": start,
        }),
    )
    .await?;
    let Some(rows) = answer["result"].as_array() else {
        return Err(HarnessError::Unexpected(format!(
            "the emulator's own answer: {answer}"
        )));
    };
    Ok(rows.iter().filter_map(|r| r.as_object().cloned()).collect())
}

/// Every template `template.list` returns, as `(ID, NAME)` (all pages).
pub async fn emulator_templates(h: &Harness) -> Result<Vec<(u64, String)>> {
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let page = emulator_call(
            h,
            TEMPLATE_LIST_METHOD,
            json!({"select": ["ID", "NAME"], "start": start}),
        )
        .await?;
        for t in page["result"].as_array().into_iter().flatten() {
            if let Ok(id) = text_of(&t["ID"]).parse() {
                out.push((id, text_of(&t["NAME"])));
            }
        }
        match page["next"].as_u64() {
            Some(next) if next > start => start = next,
            _ => return Ok(out),
        }
    }
}

/// The users `user.get` returns for `ids`, as `(ID, "NAME SECOND_NAME
/// LAST_NAME")` with empty parts left out.
pub async fn emulator_users(h: &Harness, ids: &[u64]) -> Result<Vec<(u64, String)>> {
    let answer = emulator_call(h, USER_GET_METHOD, json!({"FILTER": {"@ID": ids}})).await?;
    Ok(answer["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| {
            let id = text_of(&u["ID"]).parse().ok()?;
            let name = ["NAME", "SECOND_NAME", "LAST_NAME"]
                .iter()
                .map(|k| text_of(&u[*k]).trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            Some((id, name))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iso_instants_in_any_offset() {
        assert_eq!(iso_to_unix("2026-01-01T00:00:00Z"), Some(1_767_225_600));
        assert_eq!(
            iso_to_unix("2026-01-01T03:00:00+03:00"),
            Some(1_767_225_600)
        );
        assert_eq!(
            iso_to_unix("2025-12-31T19:00:00-05:00"),
            Some(1_767_225_600)
        );
        assert_eq!(iso_to_unix("yesterday"), None);
    }

    #[test]
    fn showing_groups_thousands_with_an_en_dash() {
        assert_eq!(showing(51, 100, 2345), "Showing 51–100 of 2,345");
        assert_eq!(grouped(300), "300");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }

    #[test]
    fn batch_commands_are_decoded_as_the_portal_decodes_them() {
        let entry = json!({"seq": 7, "method": "batch", "params": {"halt": "1", "cmd": {
            "s0": "bizproc.workflow.instances?order%5BSTARTED%5D=DESC&order%5BID%5D=DESC&start=0",
            "s50": "bizproc.workflow.instances?order%5BSTARTED%5D=DESC&order%5BID%5D=DESC&filter%5B%3E%3DID%5D=6a&start=50",
            "u": "user.get?ID=1"
        }}});
        let qs = list_queries(&entry);
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[1].batch_key.as_deref(), Some("s50"));
        assert_eq!(qs[1].start, 50);
        assert_eq!(
            qs[1].order,
            expect_pairs(&[("STARTED", "DESC"), ("ID", "DESC")])
        );
        assert_eq!(qs[1].filter[">=ID"], "6a");
    }

    #[test]
    fn user_get_ids_are_read_from_calls_and_batches() {
        let call = json!({"method": "user.get", "params": {"FILTER": {"@ID": [5, "7"]}}});
        assert_eq!(user_gets(&call), vec![vec![5, 7]]);
        let batch = json!({"method": "batch", "params": {"halt": 0, "cmd": {
            "u0": "user.get?FILTER%5B%40ID%5D%5B0%5D=1&FILTER%5B%40ID%5D%5B1%5D=2",
            "t": "bizproc.workflow.template.list?start=50"
        }}});
        assert_eq!(user_gets(&batch), vec![vec![1, 2]]);
        assert!(user_get_references(&batch).is_empty());
        assert!(is_template_list(&batch));
        let named = json!({"method": "batch", "params": {"halt": 1, "cmd": {
            "s0": "bizproc.workflow.instances?start=0",
            "people_s0": "user.get?FILTER%5B%40ID%5D%5B0%5D=%24result%5Bs0%5D%5B0%5D%5BSTARTED_BY%5D"
        }}});
        assert!(user_gets(&named).is_empty());
        assert_eq!(
            user_get_references(&named),
            vec![vec!["$result[s0][0][STARTED_BY]".to_owned()]]
        );
        assert!(!is_template_list(&call));
    }
}

// ---------------------------------------------------------------------------
// Time and signals (appended: the Age and Idle columns, the row badges, the
// summary of stuck and idle counts, keyboard-reachable tooltips)

/// The batch keys of the stuck and idle counts' commands.
pub const SIGNAL_COUNT_KEYS: [&str; 2] = ["stuck", "idle"];

impl ListQuery {
    /// Whether this is one of the summary's count commands (`stuck` or
    /// `idle` in a batch), not a page of the table.
    pub fn is_signal_count(&self) -> bool {
        self.batch_key
            .as_deref()
            .is_some_and(|k| SIGNAL_COUNT_KEYS.contains(&k))
    }
}

/// Whether a logged request is the summary's counts batch.
pub fn is_counts_batch(entry: &Value) -> bool {
    let queries = list_queries(entry);
    entry["method"] == "batch"
        && !queries.is_empty()
        && queries.iter().all(ListQuery::is_signal_count)
}

/// An element of a row that carries an accessible description (a date's
/// exact value, a badge's explanation), as a person with a screen reader
/// meets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// The header of the cell it is in.
    pub column: String,
    /// Its tag, lower case (`time`, `span`).
    pub tag: String,
    /// Its text.
    pub text: String,
    /// Its accessible description (`aria-describedby`).
    pub description: String,
    /// Whether it takes the keyboard focus: a Tab stop, or reached with
    /// the arrow keys (`tabindex` set).
    pub focusable: bool,
}

impl Described {
    fn from_json(v: &Value) -> Described {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        Described {
            column: s("column"),
            tag: s("tag"),
            text: s("text"),
            description: s("description"),
            focusable: v["focusable"].as_bool().unwrap_or(false),
        }
    }
}

/// What has the keyboard focus, and whether its tooltip shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focused {
    /// [`Described`] of the focused element.
    pub element: Described,
    /// Whether the element its `aria-describedby` names is on screen.
    pub tip_visible: bool,
}

/// Script helpers for the appended functions (after [`FIND_JS`]).
const DESCRIBED_JS: &str = r#"
// The table has one tooltip, which the app fills with a value's own text
// (`data-tip`) when the value takes the focus or the mouse: a value is
// described by that text, and its tooltip shows when the one tooltip is
// on screen holding it. For the focused value, what the tooltip holds.
const describe = (el, column) => {
  const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  const tips = ids.map(id => document.getElementById(id)).filter(Boolean);
  const held = norm(tips.map(t => t.textContent).join(' '));
  const own = el.hasAttribute('data-tip') ? norm(el.getAttribute('data-tip')) : null;
  const onScreen = tips.length > 0 && tips.every(t => shown(t) && getComputedStyle(t).visibility !== 'hidden');
  return { column, tag: el.tagName.toLowerCase(), text: norm(el.textContent),
    description: own === null || el === document.activeElement ? held : own,
    focusable: el.hasAttribute('tabindex'),
    tip_visible: onScreen && (own === null || held === own) };
};
const columnNames = () => headerCells().map(th => headerName(th) || norm(th.textContent).replace(/[0-9]+$/, ''));
const rowWithId = id => {
  const at = columnNames().indexOf('ID');
  return Array.from(document.querySelectorAll('table tbody tr')).find(tr => tr.cells[at] && norm(tr.cells[at].textContent) === id);
};
"#;

impl TablePage<'_> {
    async fn run_described(&self, body: &str, args: Vec<Value>) -> Result<Value> {
        self.run(&format!("{DESCRIBED_JS}\n{body}"), args).await
    }

    /// Every described element in the row of workflow `id`, in cell order.
    pub async fn described_in_row(&self, id: &str) -> Result<Vec<Described>> {
        let v = self
            .run_described(
                "const tr = rowWithId(arguments[0]);
                 if (!tr) return null;
                 const names = columnNames();
                 const out = [];
                 Array.from(tr.cells).forEach((td, i) => td.querySelectorAll('[aria-describedby]')
                   .forEach(el => out.push(describe(el, names[i] || ''))));
                 return out;",
                vec![json!(id)],
            )
            .await?;
        let Some(list) = v.as_array() else {
            return Err(HarnessError::Unexpected(format!(
                "no row with ID {id} on screen"
            )));
        };
        Ok(list.iter().map(Described::from_json).collect())
    }

    /// The badges in the row of workflow `id`: the described elements
    /// that are not dates (`<time>`).
    pub async fn signals_in_row(&self, id: &str) -> Result<Vec<Described>> {
        Ok(self
            .described_in_row(id)
            .await?
            .into_iter()
            .filter(|d| d.tag != "time")
            .collect())
    }

    /// The text of the cell of column `column` in the row of workflow `id`.
    pub async fn cell_text(&self, id: &str, column: &str) -> Result<String> {
        let v = self
            .run_described(
                "const tr = rowWithId(arguments[0]);
                 if (!tr) return null;
                 const at = columnNames().indexOf(arguments[1]);
                 return at < 0 ? null : norm(tr.cells[at].textContent);",
                vec![json!(id), json!(column)],
            )
            .await?;
        v.as_str().map(str::to_owned).ok_or_else(|| {
            HarnessError::Unexpected(format!("no cell \"{column}\" for the row {id}"))
        })
    }

    /// The visible text of the first line of a date or span in the cell of
    /// `column` for workflow `id`: what is printed, without the tooltip.
    pub async fn cell_shown_text(&self, id: &str, column: &str) -> Result<String> {
        let v = self
            .run_described(
                "const tr = rowWithId(arguments[0]);
                 if (!tr) return null;
                 const at = columnNames().indexOf(arguments[1]);
                 return at < 0 ? null : norm(tr.cells[at].innerText);",
                vec![json!(id), json!(column)],
            )
            .await?;
        v.as_str().map(str::to_owned).ok_or_else(|| {
            HarnessError::Unexpected(format!("no cell \"{column}\" for the row {id}"))
        })
    }

    /// The buttons of the group named `label` (the summary of counts), by
    /// their text; `None` when the group is not on screen.
    pub async fn group_buttons(&self, label: &str) -> Result<Option<Vec<String>>> {
        let v = self
            .run(
                "const g = Array.from(document.querySelectorAll('[role=group]')).find(e => nameOf(e) === arguments[0]);
                 if (!g) return null;
                 return Array.from(g.querySelectorAll('button')).filter(shown).map(b => norm(b.textContent));",
                vec![json!(label)],
            )
            .await?;
        Ok(serde_json::from_value(v).unwrap_or_default())
    }

    /// The text of the group named `label` (what a screen reader's live
    /// region would read).
    pub async fn group_text(&self, label: &str) -> Result<Option<String>> {
        let v = self
            .run(
                "const g = Array.from(document.querySelectorAll('[role=group]')).find(e => nameOf(e) === arguments[0]);
                 return g ? norm(g.innerText) : null;",
                vec![json!(label)],
            )
            .await?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// Waits until the group named `label` holds exactly the buttons `want`.
    pub async fn wait_group_buttons(&self, label: &str, want: &[String]) -> Result<()> {
        let result = wait_for(&format!("the buttons {want:?} in \"{label}\""), || async {
            Ok((self.group_buttons(label).await?.as_deref() == Some(want)).then_some(()))
        })
        .await;
        if result.is_err() {
            eprintln!(
                "\"{label}\" shows {:?}",
                self.group_buttons(label).await.unwrap_or_default()
            );
        }
        result
    }

    /// Clicks the sort button of the header whose text is `name` (any
    /// header, also ones the [`HEADERS`] list does not know: `Age`).
    pub async fn click_header_named(&self, name: &str) -> Result<()> {
        self.act(
            "const th = headerCells().find(th => norm(th.textContent).replace(/[0-9]+$/, '') === arguments[0]);
             if (!th) return 'no column header \"' + arguments[0] + '\"';
             const b = th.querySelector('button');
             if (!b) return 'the header \"' + arguments[0] + '\" has no button';
             b.click();
             return null;",
            vec![json!(name)],
        )
        .await
    }

    /// Puts the keyboard focus on the last column header's button, then
    /// presses Tab, as a person would, until a date has the focus (at most
    /// `max` presses). What has the focus then.
    pub async fn tab_to_first_date(&self, max: usize) -> Result<Focused> {
        self.act(
            "const hs = headerCells();
             const b = hs.length ? hs[hs.length - 1].querySelector('button') : null;
             if (!b) return 'no header button to start from';
             b.focus();
             return null;",
            vec![],
        )
        .await?;
        let h = self.app.page.h;
        let frame = h.client.find(fantoccini::Locator::Id("app-frame")).await?;
        frame.enter_frame().await?;
        let focused = async {
            let tab = fantoccini::key::Key::Tab.to_string();
            for _ in 0..max {
                h.client.active_element().await?.send_keys(&tab).await?;
                let v = h
                    .js(
                        &format!(
                            "{FIND_JS}\n{DESCRIBED_JS}\n
                             const el = document.activeElement;
                             if (!el || el.tagName !== 'TIME') return null;
                             const td = el.closest('td');
                             const names = columnNames();
                             const d = describe(el, td ? names[td.cellIndex] || '' : '');
                             return d;"
                        ),
                        vec![],
                    )
                    .await?;
                if !v.is_null() {
                    return Ok(Focused {
                        element: Described::from_json(&v),
                        tip_visible: v["tip_visible"].as_bool().unwrap_or(false),
                    });
                }
            }
            Err(HarnessError::Unexpected(format!(
                "no date took the focus in {max} presses of Tab"
            )))
        }
        .await;
        h.client.enter_parent_frame().await?;
        focused
    }

    /// Whether the tooltip of the date whose `datetime` is `datetime` is
    /// on screen.
    pub async fn date_tip_shown(&self, datetime: &str) -> Result<bool> {
        let v = self
            .run_described(
                "const el = Array.from(document.querySelectorAll('time')).find(t => t.getAttribute('datetime') === arguments[0]);
                 if (!el) return null;
                 return describe(el, '').tip_visible;",
                vec![json!(datetime)],
            )
            .await?;
        Ok(v.as_bool() == Some(true))
    }
}

/// `unix_s` as ISO 8601 in UTC (`2026-01-01T00:00:00+00:00`), the form the
/// portal reads in a FILTER.
pub fn iso_utc(unix_s: i64) -> String {
    let days = unix_s.div_euclid(86_400);
    let secs = unix_s.rem_euclid(86_400);
    // H. Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// A span as the app writes it in English, largest whole unit, rounded
/// down: `45 s`, `3 min`, `23 h`, `6 d`, `2 y` (an implementation of its
/// own, to check the app's).
pub fn span_en(seconds: i64) -> String {
    let s = seconds.max(0);
    let (n, unit) = match s {
        s if s < 60 => (s, "s"),
        s if s < 3_600 => (s / 60, "min"),
        s if s < 86_400 => (s / 3_600, "h"),
        s if s < 365 * 86_400 => (s / 86_400, "d"),
        s => (s / (365 * 86_400), "y"),
    };
    format!("{} {unit}", grouped(n as u64))
}

impl TablePage<'_> {
    /// The value in the table body that has the keyboard focus (a date or
    /// a badge), described; `None` when the focus is elsewhere.
    pub async fn focused_value(&self) -> Result<Option<Focused>> {
        let v = self
            .run_described(
                "const el = document.activeElement;
                 if (!el || !el.closest('tbody') || !el.hasAttribute('aria-describedby')) return null;
                 const td = el.closest('td');
                 return describe(el, td ? columnNames()[td.cellIndex] || '' : '');",
                vec![],
            )
            .await?;
        Ok((!v.is_null()).then(|| Focused {
            element: Described::from_json(&v),
            tip_visible: v["tip_visible"].as_bool().unwrap_or(false),
        }))
    }

    /// How many values of the table body Tab stops at (`tabindex` 0).
    pub async fn tab_stops_in_body(&self) -> Result<u64> {
        let v = self
            .run(
                "return Array.from(document.querySelectorAll('tbody [aria-describedby]'))
                   .filter(e => e.tabIndex >= 0).length;",
                vec![],
            )
            .await?;
        Ok(v.as_u64().unwrap_or(0))
    }
}
