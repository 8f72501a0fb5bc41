//! One integration-test binary (one link step on two cores), a module per feature.

#![allow(clippy::unwrap_used)]

mod browser;
mod build;
mod check;
mod cli;
mod evidence;
mod formats;
mod git;
mod harness;
mod history;
mod history_diff;
mod house;
mod import;
mod incremental;
mod look;
mod model;
mod output_safety;
mod phone;
mod print;
mod properties;
mod scaffold;
mod scale;
mod schema;
mod search;
mod serve;
mod site;
