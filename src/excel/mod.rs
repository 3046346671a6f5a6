//! Rekenbladen (spreadsheets): the prijzenblad written with rust_xlsxwriter, and uploaded
//! spreadsheets read with calamine in a child process with limits (see `sandbox`).

pub mod award_report;
pub mod overview;
pub mod price_sheet;
pub mod reader;
pub mod sandbox;
pub mod zip_check;

/// The content type of an xlsx workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
