#![allow(clippy::unwrap_used, clippy::expect_used)] // a test kit: failing loudly is its job
//! What the server crate's own tests (`server/tests/cli.rs`) share with the end-to-end crate
//! (`tests/`): throwaway PostgreSQL databases (`pg`) and skips that show (`skip`). It depends on
//! nothing of Tertulia's, so the server can take it as a dev-dependency without a cycle.

pub mod pg;
pub mod skip;
