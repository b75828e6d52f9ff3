//! What a notification is: its kind (what happened), the member's delivery choice per kind, and
//! its subject (what it points at: a kind, an id, the path to open and the title to show).

use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::forum::model::{Post, PostId, Thread, ThreadId};
use crate::newtypes::{small_enum, typed_id};

small_enum!(
    /// What happened, from the recipient's point of view.
    Kind {
        /// Someone replied to your thread.
        Reply = 0 => "reply",
        /// A new post in a thread or category you watch.
        Watched = 1 => "watched",
        /// Someone mentioned you.
        Mention = 2 => "mention",
        /// Someone quoted or answered your post.
        Quote = 3 => "quote",
        /// Someone reacted to your post.
        Reaction = 4 => "reaction",
        /// Your answer was accepted.
        Accepted = 5 => "accepted",
        /// The brand posted an official answer where you took part.
        Official = 6 => "official",
        /// The community rules changed significantly.
        Rules = 7 => "rules",
        /// The moderators decided on something you reported.
        ReportOutcome = 8 => "report_outcome",
        /// A moderator restricted your content or account: the statement of reasons. Always
        /// delivered in-app (and e-mailed by moderation); not a preference.
        Statement = 9 => "statement",
        /// A case of yours (an appeal) moved: received, assigned, escalated, decided.
        Case = 10 => "case",
        /// A place at an event came free and is yours (you were first in its waitlist).
        EventPlace = 11 => "event_place",
        /// A date of an event you answered for moved (the notice has its new time).
        EventMoved = 12 => "event_moved",
        /// A date of an event you answered for, or the whole event, was cancelled.
        EventCancelled = 13 => "event_cancelled",
        /// An event date you answered for starts soon (your reminder offsets).
        EventReminder = 14 => "event_reminder",
        /// The hosts published the follow-up of an event you went to (recording, slides).
        EventFollowUp = 15 => "event_follow_up",
        /// A badge was granted to the member.
        BadgeGranted = 16 => "badge_granted",
        /// A badge the member held was taken back (its rule no longer holds, or by hand).
        BadgeRevoked = 17 => "badge_revoked",
        /// The community manager nominated the member as an ambassador.
        AmbassadorNomination = 18 => "ambassador_nomination",
    }
);

impl Kind {
    /// When one post concerns a member in several ways, the most personal one wins.
    pub(super) fn priority(self) -> u8 {
        match self {
            Kind::Mention => 6,
            Kind::Quote => 5,
            Kind::Reply => 4,
            Kind::Official => 3,
            Kind::Accepted => 2,
            Kind::Reaction => 1,
            Kind::Watched
            | Kind::Rules
            | Kind::ReportOutcome
            | Kind::Statement
            | Kind::Case
            | Kind::EventPlace
            | Kind::EventMoved
            | Kind::EventCancelled
            | Kind::EventReminder
            | Kind::EventFollowUp
            | Kind::BadgeGranted
            | Kind::BadgeRevoked
            | Kind::AmbassadorNomination => 0,
        }
    }

    /// What a member gets until they choose.
    pub fn default_delivery(self) -> Delivery {
        match self {
            Kind::Reply
            | Kind::Mention
            | Kind::Accepted
            | Kind::Official
            | Kind::Case
            | Kind::EventPlace
            | Kind::EventMoved
            | Kind::EventCancelled
            | Kind::EventReminder
            | Kind::EventFollowUp
            | Kind::AmbassadorNomination => Delivery::Email,
            Kind::Watched
            | Kind::Quote
            | Kind::Reaction
            | Kind::Rules
            | Kind::ReportOutcome
            | Kind::Statement
            | Kind::BadgeGranted
            | Kind::BadgeRevoked => Delivery::InApp,
        }
    }

    /// Kinds a member may not turn off (the law requires them delivered): statements of
    /// reasons, and the moves of their cases (an appeal's reasoned outcome, DSA Art. 20(5)).
    pub fn is_mandatory(self) -> bool {
        matches!(self, Kind::Statement | Kind::Case)
    }

    /// How a mandatory kind is delivered: a case's moves are also mailed; a statement is mailed
    /// by moderation with its own template.
    pub fn mandatory_delivery(self) -> Delivery {
        if self == Kind::Case {
            Delivery::Email
        } else {
            Delivery::InApp
        }
    }
}

small_enum!(
    /// How a kind of notification reaches a member.
    Delivery {
        Off = 0 => "off",
        InApp = 1 => "in_app",
        Email = 2 => "email",
        Daily = 3 => "daily",
        Weekly = 4 => "weekly",
    }
);

small_enum!(
    /// What a notification is about. A domain that notifies adds its variant here with the next
    /// free number; numbers are stored, so never reuse or change one. Reading needs nothing more
    /// per kind, unless the new kind can become hidden from its member later: then give its rows
    /// a re-check like the forum's and the calendar's in `list`, `open` and digests.
    SubjectKind {
        /// A forum post: who may still see it follows its thread's category.
        Post = 0 => "post",
        /// A published version of a community rule (public).
        RuleVersion = 1 => "rule_version",
        /// A moderation decision (its public log entry).
        Decision = 2 => "decision",
        /// A statement of reasons, readable by its member only.
        Statement = 3 => "statement",
        /// An ombudsman's case, readable by its parties, reviewer and the ombudsman.
        Case = 4 => "case",
        /// An event (calendar): who may see it follows its category.
        Event = 5 => "event",
        /// A badge (reputation): public.
        Badge = 6 => "badge",
        /// An ambassador nomination (reputation): its member's.
        Nomination = 7 => "nomination",
    }
);

typed_id!(
    /// A row of `notifications`.
    NotificationId
);

/// The thing a notification is about: `{"kind": "post", "id": 42}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Subject {
    pub kind: SubjectKind,
    /// The subject's id in its own table (for a post, the post's id).
    pub id: i64,
}

impl Subject {
    pub fn new(kind: SubjectKind, id: i64) -> Subject {
        Subject { kind, id }
    }

    pub fn post(id: PostId) -> Subject {
        Subject::new(SubjectKind::Post, id.0)
    }
}

/// What one notification says and where it leads, the same for every member it reaches: the
/// required parts in `new`, the optional ones by method.
#[derive(Clone, Debug)]
pub struct Notice {
    pub(super) subject: Subject,
    pub(super) url: String,
    pub(super) title: String,
    pub(super) excerpt: String,
    pub(super) actor: Option<UserId>,
    pub(super) thread: Option<ThreadId>,
    pub(super) post: Option<PostId>,
    /// What exactly happened, where the kind needs it (a reaction's kind: `love`).
    pub(super) detail: String,
}

/// How much of a text an e-mail quotes.
const EXCERPT_CHARS: usize = 400;

impl Notice {
    /// `url` is the path to open inside the site (`/cases/7`), `title` what the member sees of
    /// the subject (the messages `notification-<kind>` and `mail-<kind>-*` receive it).
    pub fn new(subject: Subject, url: impl Into<String>, title: impl Into<String>) -> Notice {
        Notice {
            subject,
            url: url.into(),
            title: title.into(),
            excerpt: String::new(),
            actor: None,
            thread: None,
            post: None,
            detail: String::new(),
        }
    }

    /// A post: its permalink, its thread's title, its text as the excerpt, and the thread that
    /// decides at reading time who may still see it.
    pub fn post(thread: &Thread, post: &Post) -> Notice {
        Notice {
            thread: Some(thread.id),
            post: Some(post.id),
            ..Notice::new(
                Subject::post(post.id),
                crate::forum::service::post_url(thread, post.number),
                &thread.title,
            )
            .excerpt(&post.raw)
        }
    }

    /// The member who caused it (never notified of their own doing).
    pub fn by(mut self, actor: UserId) -> Notice {
        self.actor = Some(actor);
        self
    }

    /// A few lines an e-mail quotes (cut to 400 characters).
    pub fn excerpt(mut self, text: &str) -> Notice {
        self.excerpt = text.chars().take(EXCERPT_CHARS).collect();
        self
    }
}

/// `notifications.digest`: which digest, if any, a notification waits for.
pub(super) const DIGEST_NONE: i16 = 0;
pub(super) const DIGEST_DAILY: i16 = 1;
pub(super) const DIGEST_WEEKLY: i16 = 2;
