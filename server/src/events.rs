//! Domain events: what happened in one domain that others may react to (notify today; search,
//! badges and moderation next). `publish` writes one job row per interested subscriber in the
//! causing transaction, so an acknowledged post never loses its follow-up work, and a
//! subscriber that fails retries alone.

use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{CategoryId, PostId, ThreadId};

/// The job kind of a subscriber's job: `event:<subscriber name>`.
pub const JOB_PREFIX: &str = "event:";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum DomainEvent {
    /// A thread's first post or a reply was written.
    PostCreated { post_id: PostId },
    /// A post's text changed (a new revision).
    PostEdited { post_id: PostId, version: i32 },
    /// A thread went to another category.
    ThreadMoved {
        thread_id: ThreadId,
        from_category: CategoryId,
        to_category: CategoryId,
    },
    /// A question's author or a moderator marked a reply as the answer.
    AnswerAccepted { post_id: PostId, by: UserId },
    /// A member reacted to a post.
    ReactionAdded { post_id: PostId, by: UserId },
    /// What a post earns changed without a new post: a reaction withdrawn, an answer
    /// unaccepted, the post hidden, deleted or restored by moderation.
    PostChanged { post_id: PostId },
    /// A member's trust level changed (the job, or staff by hand).
    TrustLevelChanged { user_id: UserId, level: i16 },
    /// A member was checked in to (or out of) an event's date.
    AttendanceMarked { occurrence_id: i64, user_id: UserId },
}

/// Every event's name (`DomainEvent::name`).
pub const NAMES: &[&str] = &[
    "post_created",
    "post_edited",
    "thread_moved",
    "answer_accepted",
    "reaction_added",
    "post_changed",
    "trust_level_changed",
    "attendance_marked",
];

impl DomainEvent {
    pub fn name(&self) -> &'static str {
        match self {
            DomainEvent::PostCreated { .. } => "post_created",
            DomainEvent::PostEdited { .. } => "post_edited",
            DomainEvent::ThreadMoved { .. } => "thread_moved",
            DomainEvent::AnswerAccepted { .. } => "answer_accepted",
            DomainEvent::ReactionAdded { .. } => "reaction_added",
            DomainEvent::PostChanged { .. } => "post_changed",
            DomainEvent::TrustLevelChanged { .. } => "trust_level_changed",
            DomainEvent::AttendanceMarked { .. } => "attendance_marked",
        }
    }
}

/// Queues `event` for every subscriber that wants it; call inside the causing transaction.
pub fn publish(conn: &mut DbConnection, event: &DomainEvent) -> AppResult<()> {
    let kinds: Vec<String> = crate::DOMAINS
        .iter()
        .flat_map(|domain| domain.subscribers)
        .filter(|subscriber| subscriber.events.contains(&event.name()))
        .map(|subscriber| format!("{JOB_PREFIX}{}", subscriber.name))
        .collect();
    crate::jobs::enqueue_all(conn, &kinds, event, 5)
}

/// Reads an event job's payload.
pub fn decode(payload: &str) -> AppResult<DomainEvent> {
    serde_json::from_str(payload).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subscription_names_a_real_event() {
        let names = [
            DomainEvent::PostCreated { post_id: PostId(1) },
            DomainEvent::PostEdited {
                post_id: PostId(1),
                version: 2,
            },
            DomainEvent::ThreadMoved {
                thread_id: ThreadId(1),
                from_category: CategoryId(1),
                to_category: CategoryId(2),
            },
            DomainEvent::AnswerAccepted {
                post_id: PostId(1),
                by: UserId(1),
            },
            DomainEvent::ReactionAdded {
                post_id: PostId(1),
                by: UserId(1),
            },
            DomainEvent::PostChanged { post_id: PostId(1) },
            DomainEvent::TrustLevelChanged {
                user_id: UserId(1),
                level: 2,
            },
            DomainEvent::AttendanceMarked {
                occurrence_id: 1,
                user_id: UserId(1),
            },
        ]
        .map(|e| e.name());
        assert_eq!(names.as_slice(), NAMES, "NAMES lists every event");
        let mut subscriber_names = vec![];
        for domain in crate::DOMAINS {
            for subscriber in domain.subscribers {
                for event in subscriber.events {
                    assert!(
                        names.contains(event),
                        "{}: no event {event:?}",
                        subscriber.name
                    );
                }
                assert!(
                    !subscriber_names.contains(&subscriber.name),
                    "two subscribers named {}",
                    subscriber.name
                );
                subscriber_names.push(subscriber.name);
            }
        }
    }

    #[test]
    fn events_round_trip_as_json() {
        let event = DomainEvent::ThreadMoved {
            thread_id: ThreadId(3),
            from_category: CategoryId(1),
            to_category: CategoryId(2),
        };
        let text = serde_json::to_string(&event).unwrap();
        assert!(text.contains("\"event\":\"thread_moved\""), "{text}");
        assert!(
            text.contains("\"thread_id\":3"),
            "ids stay plain numbers: {text}"
        );
        assert_eq!(decode(&text).unwrap(), event);
    }
}
