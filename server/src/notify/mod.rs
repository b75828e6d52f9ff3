//! Notifications and e-mail: in-app notifications with per-kind delivery preferences, the mail
//! outbox and its transports, digests and one-click unsubscribe.
pub mod digest;
pub mod mail;
pub mod routes;
pub mod service;
