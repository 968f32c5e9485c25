//! CSV files the admin downloads (a run's report; the export later), as
//! spreadsheets open them: RFC 4180 quoting by `csv-core`, CRLF line
//! ends, a UTF-8 byte-order mark so Excel reads Cyrillic right, and a
//! cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a
//! tab or a carriage return first) written as text with a leading `'`.

use csv_core::{Terminator, WriteResult, Writer, WriterBuilder};

/// The byte-order mark that tells spreadsheets the file is UTF-8.
const BOM: &str = "\u{feff}";

/// A CSV document: `header`, then each of `rows`, comma-separated.
pub fn to_csv<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut csv = CsvWriter::new(b',');
    let mut out = BOM.as_bytes().to_vec();
    csv.record(&mut out, header.iter().map(|h| (*h).to_owned()));
    for row in rows {
        csv.record(&mut out, row);
    }
    text(out)
}

/// The UTF-8 text of what a [`CsvWriter`] wrote (csv-core adds only ASCII
/// quotes and separators to UTF-8 input: always UTF-8).
pub fn text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The byte-order mark, for the start of a file written in parts.
pub fn bom() -> &'static str {
    BOM
}

/// Writes records one at a time (a file in parts), with `delimiter`
/// between cells (`,`; `;` where spreadsheets expect it).
pub struct CsvWriter {
    writer: Writer,
}

impl CsvWriter {
    /// A writer of CRLF-ended records separated by `delimiter`.
    pub fn new(delimiter: u8) -> CsvWriter {
        CsvWriter {
            writer: WriterBuilder::new()
                .delimiter(delimiter)
                .terminator(Terminator::CRLF)
                .build(),
        }
    }

    /// Appends one record of `cells` to `out`.
    pub fn record(&mut self, out: &mut Vec<u8>, cells: impl IntoIterator<Item = String>) {
        write_record(&mut self.writer, out, cells.into_iter().map(Cell::Text));
    }

    /// Appends one record of `cells`, some of them the writer's own
    /// formulas ([`Cell::Formula`]), to `out`.
    pub fn record_cells(&mut self, out: &mut Vec<u8>, cells: impl IntoIterator<Item = Cell>) {
        write_record(&mut self.writer, out, cells);
    }
}

/// A cell to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text from anywhere: a would-be formula is made plain text.
    Text(String),
    /// A formula the app itself built (`="0123"`), written as it is.
    Formula(String),
}

impl Cell {
    fn written(self) -> String {
        match self {
            Cell::Text(text) => defused(text),
            Cell::Formula(formula) => formula,
        }
    }
}

/// The cell as written: a would-be formula is made plain text.
fn defused(cell: String) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell,
    }
}

fn write_record(writer: &mut Writer, out: &mut Vec<u8>, cells: impl IntoIterator<Item = Cell>) {
    let mut buf = [0u8; 512];
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            drain(out, &mut buf, |b| writer.delimiter(b));
        }
        let cell = cell.written();
        let mut input = cell.as_bytes();
        loop {
            let (result, nin, nout) = writer.field(input, &mut buf);
            out.extend_from_slice(&buf[..nout]);
            input = &input[nin..];
            if result == WriteResult::InputEmpty {
                break;
            }
        }
    }
    // The terminator closes a quoted last field itself.
    drain(out, &mut buf, |b| writer.terminator(b));
}

/// Runs `step` until it has written everything it holds.
fn drain(
    out: &mut Vec<u8>,
    buf: &mut [u8],
    mut step: impl FnMut(&mut [u8]) -> (WriteResult, usize),
) {
    loop {
        let (result, n) = step(buf);
        out.extend_from_slice(&buf[..n]);
        if result == WriteResult::InputEmpty {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn quotes_what_needs_it_and_ends_lines_with_crlf() {
        let csv = to_csv(
            &["ID", "Outcome", "Message"],
            [
                row(&["66e412fdc9bd44.36306599", "stopped", ""]),
                row(&["a,b", "say \"no\"", "two\nlines"]),
            ],
        );
        assert_eq!(
            csv,
            "\u{feff}ID,Outcome,Message\r\n66e412fdc9bd44.36306599,stopped,\r\n\"a,b\",\"say \"\"no\"\"\",\"two\nlines\"\r\n"
        );
    }

    #[test]
    fn a_formula_is_written_as_text_and_hostile_values_stay_whole() {
        let huge = "я".repeat(100_000);
        let csv = to_csv(
            &["Name"],
            [
                row(&["=HYPERLINK(\"http://evil\")"]),
                row(&["+1"]),
                row(&["-2"]),
                row(&["@SUM(A1)"]),
                row(&["\tTAB"]),
                row(&["\rCR"]),
                row(&["<script>alert(1)</script>"]),
                row(&[&huge]),
            ],
        );
        let lines: Vec<&str> = csv.trim_start_matches(BOM).split("\r\n").collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assert_eq!(&lines[2..6], ["'+1", "'-2", "'@SUM(A1)", "'\tTAB"]);
        assert_eq!(
            lines[6], "\"'\rCR\"",
            "a carriage return is quoted, and made text"
        );
        assert_eq!(lines[7], "<script>alert(1)</script>");
        assert_eq!(lines[8], huge, "a long cell crosses the buffer whole");
        assert_eq!(lines[9], "", "the file ends with a line end");
    }

    #[test]
    fn a_semicolon_file_quotes_semicolons_and_leaves_commas() {
        let mut csv = CsvWriter::new(b';');
        let mut out = Vec::new();
        csv.record(&mut out, row(&["a;b", "c,d", "Сделка \"Ромашка\""]));
        assert_eq!(text(out), "\"a;b\";c,d;\"Сделка \"\"Ромашка\"\"\"\r\n");
    }

    #[test]
    fn an_empty_report_is_its_header() {
        let none: [Vec<String>; 0] = [];
        assert_eq!(to_csv(&["ID"], none), "\u{feff}ID\r\n");
    }
}
