//! The dates, the Age and Idle spans and the row badges, with the
//! tooltips a keyboard or screen-reader user reaches them by.

use serde_json::{json, Value};

use super::{TablePage, FIND_JS};
use crate::{wait_for, HarnessError, Result};

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
