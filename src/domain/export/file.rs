//! What an export writes: the columns chosen, each row's cells with its
//! names, CSV as spreadsheets open it and JSON, written in parts (a file
//! of 100,000 rows is never one string), and the file's name.

use serde_json::{Map, Value};

use crate::domain::display::cells::{document_label, document_url};
use crate::domain::display::csv::{bom, text, Cell, CsvWriter};
use crate::domain::display::names::{template_label, UserNames};
use crate::domain::i18n::{Lang, Texts};
use crate::domain::methods::instances::{Field, WorkflowRow};
use crate::domain::methods::lookups::Templates;
use crate::domain::time::format::absolute_text;
use crate::domain::time::instant::{Civil, Timestamp};
use crate::domain::time::TimeContext;

/// The file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// CSV for spreadsheets.
    #[default]
    Csv,
    /// JSON: the raw fields and the names.
    Json,
}

impl Format {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The file's type, with its charset.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv;charset=utf-8",
            Format::Json => "application/json;charset=utf-8",
        }
    }
}

/// One column of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    /// A field as the portal wrote it (dates ISO 8601 with their offset).
    Field(Field),
    /// A date field in the admin's time, for reading.
    Local(Field),
    /// The template's name (after `TEMPLATE_ID`).
    TemplateName,
    /// Who started it, by name (after `STARTED_BY`).
    StartedByName,
    /// The document as the table labels it (after `DOCUMENT_ID`).
    DocumentLabel,
    /// The document's page on the portal, a full URL.
    DocumentUrl,
}

impl Out {
    /// The column's name in the file's header (and the JSON key).
    pub fn name(self) -> String {
        match self {
            Out::Field(f) => f.as_str().to_owned(),
            Out::Local(f) => format!("{}_LOCAL", f.as_str()),
            Out::TemplateName => "template_name".to_owned(),
            Out::StartedByName => "started_by_name".to_owned(),
            Out::DocumentLabel => "document_label".to_owned(),
            Out::DocumentUrl => "document_url".to_owned(),
        }
    }
}

fn is_date(field: Field) -> bool {
    matches!(field, Field::Modified | Field::OwnedUntil | Field::Started)
}

/// The file's columns for `fields` (in their order): each field, its
/// local time when `local_times` (dates only), and the names that go with
/// it.
pub fn layout(fields: &[Field], local_times: bool) -> Vec<Out> {
    let mut out = Vec::new();
    for &field in fields {
        out.push(Out::Field(field));
        match field {
            f if is_date(f) && local_times => out.push(Out::Local(f)),
            Field::TemplateId => out.push(Out::TemplateName),
            Field::StartedBy => out.push(Out::StartedByName),
            Field::DocumentId => {
                out.push(Out::DocumentLabel);
                out.push(Out::DocumentUrl);
            }
            _ => {}
        }
    }
    out
}

/// What names and places the cells need.
#[derive(Debug, Clone, Copy)]
pub struct Naming<'a> {
    /// The portal's templates, once known.
    pub templates: Option<&'a Templates>,
    /// The people known.
    pub users: &'a UserNames,
    /// The admin's language.
    pub lang: Lang,
    /// The portal's origin (`https://b24.example.com`), for the links.
    pub origin: &'a str,
    /// The admin's offset from UTC, for the local times.
    pub offset_minutes: i32,
}

impl Naming<'_> {
    fn texts(&self) -> &'static Texts {
        self.lang.texts()
    }

    /// The cell of `out` for `row`; `None` when the row has no value.
    pub fn cell(&self, row: &WorkflowRow, out: Out) -> Option<String> {
        let t = self.texts();
        match out {
            Out::Field(f) => row.field_text(f),
            Out::Local(f) => {
                let at: Option<Timestamp> = match f {
                    Field::Modified => row.modified,
                    Field::OwnedUntil => row.owned_until,
                    Field::Started => row.started,
                    _ => None,
                };
                at.map(|at| absolute_text(at.unix_s, self.offset_minutes, self.lang))
            }
            Out::TemplateName => row
                .template_id
                .map(|id| template_label(self.templates, id, t).text().to_owned()),
            Out::StartedByName => row
                .started_by
                .map(|id| self.users.label(id, t).text().to_owned()),
            Out::DocumentLabel => {
                Some(document_label(row, self.templates, t)).filter(|l| !l.is_empty())
            }
            Out::DocumentUrl => document_url(row, self.templates, self.origin),
        }
    }
}

/// Whether a spreadsheet would read `cell` as a number and change it: a
/// leading zero (`0123`), more digits than it keeps (16 and up), a decimal
/// point or an exponent (`66e41`). IDs only: a count stays a number.
fn mangled_as_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let mut digits = 0;
    let mut point = false;
    let mut exponent = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' => digits += 1,
            '.' if !point && !exponent => point = true,
            'e' | 'E' if !exponent && digits > 0 => {
                exponent = true;
                if let Some('+' | '-') = chars.peek() {
                    chars.next();
                }
                if chars.peek().is_none() {
                    return false;
                }
            }
            _ => return false,
        }
    }
    digits > 0 && (body.starts_with('0') && digits > 1 || digits > 15 || point || exponent)
}

/// Whether `out` holds an identifier (kept as text in a spreadsheet).
fn is_identifier(out: Out) -> bool {
    matches!(
        out,
        Out::Field(Field::Id | Field::StartedBy | Field::TemplateId | Field::DocumentId)
    )
}

/// The CSV separator spreadsheets expect in `lang`'s locale.
pub fn separator(lang: Lang) -> u8 {
    match lang {
        Lang::En => b',',
        Lang::Ru => b';',
    }
}

/// The CSV file's start: the byte-order mark and the header.
pub fn csv_head(layout: &[Out], lang: Lang) -> String {
    let mut out = bom().as_bytes().to_vec();
    CsvWriter::new(separator(lang)).record(&mut out, layout.iter().map(|o| o.name()));
    text(out)
}

/// The CSV records of `rows`. An identifier a spreadsheet would read as a
/// number is written as a text formula (`="0123"`), which no other cell
/// can be: every cell that starts like a formula is made text.
pub fn csv_rows(rows: &[WorkflowRow], layout: &[Out], naming: &Naming) -> String {
    let mut csv = CsvWriter::new(separator(naming.lang));
    let mut out = Vec::with_capacity(rows.len() * 200);
    for row in rows {
        csv.record_cells(
            &mut out,
            layout.iter().map(|&o| {
                let cell = naming.cell(row, o).unwrap_or_default();
                // Digits, a point and an exponent only: nothing to escape.
                if is_identifier(o) && mangled_as_number(&cell) {
                    Cell::Formula(format!("=\"{cell}\""))
                } else {
                    Cell::Text(cell)
                }
            }),
        );
    }
    text(out)
}

/// The file's last line: how many rows, from where, when.
pub fn csv_tail(summary: &Summary, lang: Lang) -> String {
    let mut out = Vec::new();
    CsvWriter::new(separator(lang)).record(&mut out, [summary.line()]);
    text(out)
}

/// The JSON file's start.
pub fn json_head() -> &'static str {
    "{\"workflows\":["
}

/// The JSON objects of `rows`, each preceded by a comma unless it is the
/// file's first (`first`).
pub fn json_rows(rows: &[WorkflowRow], layout: &[Out], naming: &Naming, first: bool) -> String {
    let mut out = String::with_capacity(rows.len() * 300);
    for (i, row) in rows.iter().enumerate() {
        if i > 0 || !first {
            out.push(',');
        }
        let object: Map<String, Value> = layout
            .iter()
            .map(|&o| {
                (
                    o.name(),
                    naming.cell(row, o).map_or(Value::Null, Value::String),
                )
            })
            .collect();
        out.push_str(&Value::Object(object).to_string());
    }
    out
}

/// The JSON file's end: the count and when, after the rows.
pub fn json_tail(summary: &Summary) -> String {
    let meta = serde_json::json!({
        "count": summary.rows,
        "exported_at": summary.at_iso(),
        "portal": summary.host,
        "matched_at_start": summary.matched,
    });
    let Value::Object(meta) = meta else {
        return "]}".to_owned();
    };
    let mut out = "]".to_owned();
    for (k, v) in meta {
        out.push(',');
        out.push_str(&Value::String(k).to_string());
        out.push(':');
        out.push_str(&v.to_string());
    }
    out.push('}');
    out
}

/// What the file says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Rows written.
    pub rows: u64,
    /// How many matched when the export began.
    pub matched: u64,
    /// The portal's host.
    pub host: String,
    /// When it began.
    pub at: TimeContext,
}

impl Summary {
    /// When, as ISO 8601 with the admin's offset.
    pub fn at_iso(&self) -> String {
        Timestamp {
            unix_s: self.at.now,
            offset_minutes: self.at.offset_minutes,
        }
        .to_iso8601()
    }

    fn line(&self) -> String {
        format!(
            "# {} workflows exported from {} at {}",
            self.rows,
            self.host,
            self.at_iso()
        )
    }
}

/// `https://b24.example.com:8443/…` → `b24.example.com` (a name fit for a
/// file: the port's colon becomes `-`).
pub fn host_of(origin: &str) -> String {
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let safe: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if safe.is_empty() {
        "portal".to_owned()
    } else {
        safe
    }
}

/// `workflows-<portal host>-<YYYY-MM-DD-HHmm>.<csv|json>`, in the
/// admin's time.
pub fn file_name(origin: &str, at: TimeContext, format: Format) -> String {
    let c = Civil::at(at.now, at.offset_minutes);
    format!(
        "workflows-{}-{:04}-{:02}-{:02}-{:02}{:02}.{}",
        host_of(origin),
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        format.extension()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::instances::{TemplateId, UserId};
    use crate::domain::methods::lookups::{TemplateInfo, UserInfo};
    use serde_json::json;

    fn row(v: Value) -> WorkflowRow {
        WorkflowRow::from_value(&v).unwrap()
    }

    fn deal() -> WorkflowRow {
        row(json!({
            "ID": "6612345678912.34567890", "MODIFIED": "2026-12-01T10:00:00+03:00",
            "OWNED_UNTIL": null, "MODULE_ID": "crm", "ENTITY": "CCrmDocumentDeal",
            "DOCUMENT_ID": "DEAL_42", "STARTED": "2026-11-30T09:05:00+03:00",
            "STARTED_BY": "7", "TEMPLATE_ID": "12"
        }))
    }

    fn with_names<R>(lang: Lang, f: impl FnOnce(&Naming) -> R) -> R {
        let templates = Templates::new(vec![TemplateInfo {
            id: TemplateId(12),
            name: "=HYPERLINK(\"http://evil\",\"Approve; \"\"fast\"\"\")".to_owned(),
            document_type: None,
        }]);
        let mut users = UserNames::default();
        users.insert(&UserInfo {
            id: UserId(7),
            name: "Анна Петрова".to_owned(),
        });
        let naming = Naming {
            templates: Some(&templates),
            users: &users,
            lang,
            origin: "https://b24.example.com",
            offset_minutes: 180,
        };
        f(&naming)
    }

    #[test]
    fn each_field_brings_its_names_and_local_times_only_when_chosen() {
        let names: Vec<String> = layout(&Field::ALL, false)
            .iter()
            .map(|o| o.name())
            .collect();
        assert_eq!(
            names,
            [
                "ID",
                "MODIFIED",
                "OWNED_UNTIL",
                "MODULE_ID",
                "ENTITY",
                "DOCUMENT_ID",
                "document_label",
                "document_url",
                "STARTED",
                "STARTED_BY",
                "started_by_name",
                "TEMPLATE_ID",
                "template_name"
            ]
        );
        let local = layout(&[Field::Started, Field::Id], true);
        assert_eq!(
            local,
            [
                Out::Field(Field::Started),
                Out::Local(Field::Started),
                Out::Field(Field::Id)
            ]
        );
    }

    #[test]
    fn a_csv_row_has_its_names_its_link_and_defused_hostile_text() {
        let layout = layout(&Field::ALL, true);
        let csv = with_names(Lang::En, |n| csv_rows(&[deal()], &layout, n));
        assert_eq!(
            csv,
            "\"=\"\"6612345678912.34567890\"\"\",2026-12-01T10:00:00+03:00,\"Dec 1, 2026, 10:00\",,,crm,CCrmDocumentDeal,DEAL_42,Deal 42,https://b24.example.com/crm/deal/details/42/,2026-11-30T09:05:00+03:00,\"Nov 30, 2026, 09:05\",7,Анна Петрова,12,\"'=HYPERLINK(\"\"http://evil\"\",\"\"Approve; \"\"\"\"fast\"\"\"\"\"\")\"\r\n"
        );
    }

    #[test]
    fn russian_files_use_semicolons_and_start_with_the_bom() {
        let layout = layout(&[Field::Id, Field::TemplateId], false);
        let head = csv_head(&layout, Lang::Ru);
        assert_eq!(head, "\u{feff}ID;TEMPLATE_ID;template_name\r\n");
        let csv = with_names(Lang::Ru, |n| csv_rows(&[deal()], &layout, n));
        assert!(
            csv.starts_with("\"=\"\"6612345678912.34567890\"\"\";12;\"'=HYPERLINK("),
            "{csv}"
        );
        assert_eq!(
            csv_head(&layout, Lang::En),
            "\u{feff}ID,TEMPLATE_ID,template_name\r\n"
        );
    }

    #[test]
    fn only_identifiers_a_spreadsheet_would_change_are_kept_as_text() {
        for (cell, guarded) in [
            ("0123", true),
            ("12345678901234567", true),
            ("66e41", true),
            ("1.5", true),
            ("7", false),
            ("123456789012345", false),
            ("66e412fdc9bd44.00000001", false),
            ("DEAL_0042", false),
            ("", false),
            ("e5", false),
            ("5e", false),
        ] {
            assert_eq!(mangled_as_number(cell), guarded, "{cell}");
        }
        // A portal value that is itself a formula stays defused.
        let hostile = row(json!({"ID": "=1+1", "DOCUMENT_ID": "@SUM(A1)"}));
        let csv = with_names(Lang::En, |n| {
            csv_rows(
                &[hostile],
                &[Out::Field(Field::Id), Out::Field(Field::DocumentId)],
                n,
            )
        });
        assert_eq!(csv, "'=1+1,'@SUM(A1)\r\n");
    }

    #[test]
    fn json_parts_join_into_one_document_with_raw_fields_and_names() {
        let layout = layout(&Field::ALL, false);
        let mut file = json_head().to_owned();
        with_names(Lang::En, |n| {
            file.push_str(&json_rows(&[deal()], &layout, n, true));
            file.push_str(&json_rows(&[deal(), deal()], &layout, n, false));
        });
        let summary = Summary {
            rows: 3,
            matched: 4,
            host: "b24.example.com".to_owned(),
            at: TimeContext {
                now: 1_796_000_000,
                offset_minutes: 180,
            },
        };
        file.push_str(&json_tail(&summary));
        let parsed: Value = serde_json::from_str(&file).unwrap();
        let rows = parsed["workflows"].as_array().unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["ID"], "6612345678912.34567890");
        assert_eq!(rows[0]["OWNED_UNTIL"], Value::Null);
        assert_eq!(rows[0]["STARTED_BY"], "7");
        assert_eq!(rows[0]["started_by_name"], "Анна Петрова");
        assert_eq!(rows[0]["document_label"], "Deal 42");
        assert_eq!(
            rows[0]["document_url"],
            "https://b24.example.com/crm/deal/details/42/"
        );
        assert!(rows[0]["template_name"]
            .as_str()
            .unwrap()
            .starts_with("=HYPERLINK"));
        assert_eq!(parsed["count"], 3);
        assert_eq!(parsed["matched_at_start"], 4);
        assert_eq!(parsed["portal"], "b24.example.com");
        assert!(parsed["exported_at"].as_str().unwrap().ends_with("+03:00"));
    }

    #[test]
    fn the_file_is_named_by_its_portal_and_the_admins_time() {
        let at = TimeContext {
            now: 1_796_000_000,
            offset_minutes: 180,
        };
        let name = file_name("https://b24.example.com", at, Format::Csv);
        assert!(name.starts_with("workflows-b24.example.com-20"), "{name}");
        assert!(name.ends_with(".csv"));
        assert_eq!(
            name.len(),
            "workflows-b24.example.com-2026-12-01-1234.csv".len()
        );
        assert_eq!(host_of("http://127.0.0.1:8080/path"), "127.0.0.1-8080");
        assert_eq!(host_of(""), "portal");
        assert!(file_name("x", at, Format::Json).ends_with(".json"));
        let tail = csv_tail(
            &Summary {
                rows: 2500,
                matched: 2498,
                host: "b24.example.com".into(),
                at,
            },
            Lang::En,
        );
        assert!(
            tail.starts_with("# 2500 workflows exported from b24.example.com at "),
            "{tail}"
        );
    }
}
