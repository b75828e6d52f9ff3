//! The demo brand community's data (`content.toml`, embedded in the binary), as types.

use serde::Deserialize;

use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
pub struct DemoUser {
    pub username: String,
    pub display_name: String,
    pub locale: String,
    pub role: String,
    pub department: Option<String>,
}

#[derive(Deserialize)]
pub struct DemoCategory {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent: Option<String>,
    pub visibility: String,
    /// Who may start threads (`everyone` when absent; see `forum::model::PostingRule`).
    #[serde(default)]
    pub start_rule: Option<String>,
}

#[derive(Deserialize)]
pub struct DemoReply {
    pub author: String,
    pub body: String,
}

#[derive(Deserialize)]
pub struct DemoThread {
    pub category: String,
    pub kind: String,
    pub author: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub replies: Vec<DemoReply>,
    pub accepted_reply: Option<usize>,
    pub official_reply: Option<usize>,
}

#[derive(Deserialize)]
pub struct Content {
    pub users: Vec<DemoUser>,
    pub categories: Vec<DemoCategory>,
    pub threads: Vec<DemoThread>,
    pub megathread_lines: Vec<String>,
}

/// Reads the embedded community.
pub fn load() -> AppResult<Content> {
    toml::from_str(include_str!("content.toml"))
        .map_err(|e| AppError::internal(format!("demo content: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_content_reads() {
        let content = super::load().unwrap();
        assert_eq!(content.threads.len(), 50);
        assert_eq!(content.megathread_lines.len(), 40);
        assert!(content.users.iter().any(|u| u.department.is_some()));
    }
}
