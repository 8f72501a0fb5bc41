//! One integration-test binary (one link step on two cores), a module per feature.

mod harness;
mod serve;
