//! Integration tests: the real app on port 0, a fresh database per test, on SQLite and PostgreSQL.

mod helpers;

mod access;
mod announcements;
mod audit;
mod bid_pages;
mod bidding;
mod bids;
mod browser;
mod cli;
mod consensus;
mod demo;
mod enquiries;
mod enquiry_pages;
mod evaluation;
mod evaluation_access;
mod evaluation_corrections;
mod evaluation_pages;
mod fixtures;
mod flow;
mod input;
mod jwt;
mod login;
mod openapi;
mod opening;
mod pages;
mod price_sheets;
mod publication;
mod ranking_pages;
mod registration;
mod reminders;
mod scoring;
mod seal;
mod simulator;
mod smtp;
mod tenders;
