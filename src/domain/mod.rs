//! Domein (regels): the pure rules of a regional aanbesteding, free of database and web.

pub mod account;
pub mod audit;
pub mod award_criterion;
pub mod bid;
pub mod company;
pub mod consensus;
pub mod correction;
pub mod deadline;
pub mod draw;
pub mod enquiry;
pub mod lot;
pub mod money;
pub mod price_formula;
pub mod price_line;
pub mod price_score;
pub mod price_sheet;
pub mod price_sheet_check;
pub mod publication;
pub mod ranking;
pub mod ranking_setup;
pub mod reminder;
pub mod role;
pub mod rounding;
pub mod scale;
pub mod selection_criterion;
pub mod tender;
