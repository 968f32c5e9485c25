//! What the admin reads: each table cell's text and tooltip as plain
//! values (`cells`), names instead of ids (`names`), documents as their
//! kind and a link to their page (`documents`), and the admin's choices
//! of colour theme (`theme`) and row density (`density`), and the CSV
//! files the admin downloads (`csv`).

pub mod cells;
pub mod csv;
pub mod density;
pub mod documents;
pub mod names;
pub mod theme;
