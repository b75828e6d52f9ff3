//! What pages and e-mails are made of, with no HTTP in it: templates (theme → parent → default),
//! translations (Fluent, en and es) and the active theme. The jobs worker renders e-mails with
//! the same pieces the HTTP layer renders pages with.

pub mod i18n;
pub mod templates;
pub mod theme;
