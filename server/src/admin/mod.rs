//! The admin's desk: the user list and role changes.
pub mod routes;
pub mod service;
