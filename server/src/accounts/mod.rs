//! Accounts: registration, login, sessions, API tokens and profiles.
pub mod mail;
pub mod model;
pub mod routes;
pub mod service;
