//! The forum core: categories (one level of nesting, public / members / private to groups),
//! threads (discussion, question, announcement), posts in Markdown with revisions, reactions,
//! bookmarks, watching, unread tracking, accepted and official answers.
pub mod markdown;
pub mod model;
pub mod routes;
pub mod service;
pub mod views;
