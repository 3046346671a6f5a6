//! Rekenbladen (spreadsheets): the prijzenblad written with rust_xlsxwriter, and uploaded
//! spreadsheets read with calamine in a child process with limits (see `sandbox`).

pub mod award_report;
pub mod price_sheet;
pub mod reader;
pub mod sandbox;
pub mod zip_check;
