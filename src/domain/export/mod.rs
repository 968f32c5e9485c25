//! Exporting the filtered set (or the selection) to a file (issue 15):
//! the stable chained read ([`chain`]), what the file holds ([`file`])
//! and the flow from the dialog to the download ([`flow`]). Pure data;
//! the screen core drives it and the shell writes the file's parts.

pub mod chain;
pub mod file;
pub mod flow;
