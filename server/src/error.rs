//! One error type for the whole server. `AppError { kind, cause, caller }` maps in one place to an
//! HTTP status and a stable error code; `http::errors` turns it into an HTML page in the user's
//! language or a JSON body `{"error": {"code", "message", "fields"}}` under `/api/`.

use std::collections::BTreeMap;
use std::fmt;
use std::panic::Location;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// Every stable error code a client may see, with its text. Each has a message `error-<code>`
/// (dashes for underscores) in every language; a test checks it (`view::i18n::keys_used`).
macro_rules! error_codes {
    ($($(#[$meta:meta])* $variant:ident => $text:literal,)+) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($(#[$meta])* $variant),+ }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text),+ }
            }

            /// The translation key of its message: `error-<code>` with dashes.
            pub fn message_key(self) -> String {
                format!("error-{}", self.as_str().replace('_', "-"))
            }
        }
    };
}

error_codes! {
    // Kinds that carry no code of their own.
    Unauthenticated => "unauthenticated",
    BadCredentials => "bad_credentials",
    Forbidden => "forbidden",
    CsrfFailed => "csrf_failed",
    NotFound => "not_found",
    RateLimited => "rate_limited",
    Internal => "internal",
    Unavailable => "unavailable",
    // Bad input.
    /// One or more fields are wrong (each with its own message).
    InvalidInput => "invalid_input",
    InvalidForm => "invalid_form",
    FormTooLarge => "form_too_large",
    ExpectedJson => "expected_json",
    InvalidJson => "invalid_json",
    BodyTooLarge => "body_too_large",
    InvalidQuery => "invalid_query",
    InvalidCursor => "invalid_cursor",
    TokenInvalid => "token_invalid",
    InvalidUnsubscribeLink => "invalid_unsubscribe_link",
    /// The request carried a NUL character, which no text may hold.
    NulCharacter => "nul_character",
    // Rules.
    ThreadLocked => "thread_locked",
    OwnPost => "own_post",
    NotAQuestion => "not_a_question",
    CannotAcceptQuestion => "cannot_accept_question",
    LastAdmin => "last_admin",
    EmailUnverified => "email_unverified",
    /// The category's posting rules do not let the actor start a thread (or reply) there.
    CategoryRestricted => "category_restricted",
    /// A decision or sanction needs an explanation.
    ReasonRequired => "reason_required",
    /// The actor is involved in what they would decide (or it is already resolved).
    NotAllowed => "not_allowed",
    /// A request authenticated by an API token may not create more tokens.
    TokenCannotMint => "token_cannot_mint",
    // Conflicts.
    SlugTaken => "slug_taken",
    GroupTaken => "group_taken",
    UsernameTaken => "username_taken",
    EmailUnavailable => "email_unavailable",
    EditConflict => "edit_conflict",
    RuleNumberTaken => "rule_number_taken",
    /// The item changed since the moderator loaded it.
    StaleVersion => "stale_version",
    /// Another moderator holds the claim on the item.
    ClaimedByOther => "claimed_by_other",
    /// A restrictive decision or sanction must cite a rule in force (id @ version).
    RuleRequired => "rule_required",
    /// The member already has a sanction of that kind in force.
    AlreadySanctioned => "already_sanctioned",
    /// The text contains a watched word or phrase that blocks it (the message names the rule).
    WatchedWordBlocked => "watched_word_blocked",
    /// Most of the member's recent reports were unfounded: their reports are paused (Art. 23).
    ReportsPaused => "reports_paused",
    /// The member is silenced: may read, not write.
    Silenced => "silenced",
    /// The member is suspended: may only read their statements of reasons.
    Suspended => "suspended",
    /// The person already appealed this decision (one appeal per decision).
    AlreadyAppealed => "already_appealed",
    /// The reviewer had a part in what is appealed (decided, claimed, reported, or is a party).
    ConflictOfInterest => "conflict_of_interest",
    /// The case is decided, inadmissible or withdrawn.
    CaseClosed => "case_closed",
    /// Mediation statements are written while the case is in mediation.
    NotInMediation => "not_in_mediation",
    /// A case closes only when its tasks are done or waived.
    TasksOpen => "tasks_open",
    /// The step belongs to another stage of the case (a draft in arbitration, terms in mediation).
    WrongStage => "wrong_stage",
    /// The evidence or comment period runs until its date; the next step waits for it.
    PeriodOpen => "period_open",
    /// A review is requested within 30 days of the decision.
    ReviewLate => "review_late",
    /// Each side of a case requests one review.
    AlreadyRequested => "already_requested",
    /// No fallback arbiter is configured, or the one configured is not free of conflict.
    NoFallbackArbiter => "no_fallback_arbiter",
    /// Publication on the parties' consent needs both sides' consent.
    ConsentMissing => "consent_missing",
    /// A search needs words.
    QueryEmpty => "query_empty",
    /// A search query is at most 200 characters.
    QueryTooLong => "query_too_long",
    /// The event's date takes no more answers (it ended, was cancelled, or its RSVP deadline
    /// passed).
    RsvpClosed => "rsvp_closed",
    /// The event, or this date of it, was cancelled: it cannot change any more.
    EventCancelled => "event_cancelled",
}

/// What went wrong, as far as the caller needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input was malformed or broke a rule; `fields` maps a form field to a message key.
    Invalid {
        code: ErrorCode,
        fields: BTreeMap<String, String>,
    },
    /// Login is required.
    Unauthenticated,
    /// Login or password did not match (one message for both: no account enumeration).
    BadCredentials,
    /// Logged in, but this role may not do this.
    Forbidden,
    /// Not allowed for a stated reason with its own code (e.g. `email_unverified`).
    Refused { code: ErrorCode },
    /// The CSRF token was missing or did not match.
    Csrf,
    /// Nothing here (or nothing this user may see).
    NotFound,
    /// A unique value is already taken.
    Conflict { code: ErrorCode, field: String },
    /// Too many attempts; try again after the given number of seconds.
    RateLimited { retry_after: u64 },
    /// The server failed; details are in the log only.
    Internal,
    /// The database is unreachable or overloaded.
    Unavailable,
}

/// An error with the reason for the log and the place that raised it.
pub struct AppError {
    pub kind: ErrorKind,
    pub cause: Option<String>,
    pub caller: &'static Location<'static>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    #[track_caller]
    pub fn new(kind: ErrorKind) -> Self {
        AppError {
            kind,
            cause: None,
            caller: Location::caller(),
        }
    }

    #[track_caller]
    pub fn internal(cause: impl fmt::Display) -> Self {
        AppError {
            kind: ErrorKind::Internal,
            cause: Some(cause.to_string()),
            caller: Location::caller(),
        }
    }

    /// A single invalid field, with the message key shown beside it.
    #[track_caller]
    pub fn invalid_field(field: &str, message_key: &str) -> Self {
        let mut fields = BTreeMap::new();
        fields.insert(field.to_string(), message_key.to_string());
        AppError::new(ErrorKind::Invalid {
            code: ErrorCode::InvalidInput,
            fields,
        })
    }

    /// Bad input that is not about one field, with a stable code.
    #[track_caller]
    pub fn bad_request(code: ErrorCode) -> Self {
        AppError::new(ErrorKind::Invalid {
            code,
            fields: BTreeMap::new(),
        })
    }

    pub fn status(&self) -> StatusCode {
        match &self.kind {
            ErrorKind::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Unauthenticated | ErrorKind::BadCredentials => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden | ErrorKind::Csrf | ErrorKind::Refused { .. } => {
                StatusCode::FORBIDDEN
            }
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict { .. } => StatusCode::CONFLICT,
            ErrorKind::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The stable code clients may match on.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    pub fn error_code(&self) -> ErrorCode {
        match &self.kind {
            ErrorKind::Invalid { code, .. } => *code,
            ErrorKind::Unauthenticated => ErrorCode::Unauthenticated,
            ErrorKind::BadCredentials => ErrorCode::BadCredentials,
            ErrorKind::Forbidden => ErrorCode::Forbidden,
            ErrorKind::Refused { code } => *code,
            ErrorKind::Csrf => ErrorCode::CsrfFailed,
            ErrorKind::NotFound => ErrorCode::NotFound,
            ErrorKind::Conflict { code, .. } => *code,
            ErrorKind::RateLimited { .. } => ErrorCode::RateLimited,
            ErrorKind::Internal => ErrorCode::Internal,
            ErrorKind::Unavailable => ErrorCode::Unavailable,
        }
    }

    /// The translation key of the message shown to people (`error-<code>`).
    pub fn message_key(&self) -> String {
        self.error_code().message_key()
    }

    /// Field name → message key, for forms and JSON clients.
    pub fn fields(&self) -> BTreeMap<String, String> {
        match &self.kind {
            ErrorKind::Invalid { fields, .. } => fields.clone(),
            ErrorKind::Conflict { code, field } => {
                let mut map = BTreeMap::new();
                map.insert(field.clone(), code.message_key());
                map
            }
            _ => BTreeMap::new(),
        }
    }

    /// Whether a form shows this error beside its fields (or as the whole form's error) and is
    /// shown again, rather than the error page: wrong input, a conflict, a wrong password, a
    /// rate limit.
    pub fn is_about_input(&self) -> bool {
        match &self.kind {
            ErrorKind::Invalid { fields, .. } => !fields.is_empty(),
            ErrorKind::Conflict { .. }
            | ErrorKind::BadCredentials
            | ErrorKind::RateLimited { .. } => true,
            _ => false,
        }
    }

    pub fn retry_after(&self) -> Option<u64> {
        match self.kind {
            ErrorKind::RateLimited { retry_after } => Some(retry_after),
            _ => None,
        }
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} at {}", self.kind, self.caller)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl From<diesel::result::Error> for AppError {
    #[track_caller]
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => AppError::new(ErrorKind::NotFound),
            other => AppError::internal(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    #[track_caller]
    fn from(error: diesel::r2d2::PoolError) -> Self {
        AppError {
            kind: ErrorKind::Unavailable,
            cause: Some(error.to_string()),
            caller: Location::caller(),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    #[track_caller]
    fn from(error: actix_web::error::BlockingError) -> Self {
        AppError::internal(error)
    }
}

/// The JSON shape of every API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `bad_credentials`.
    pub code: String,
    /// A sentence for people, in the request's language.
    pub message: String,
    /// Per-field messages for invalid input.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// Carried in the response extensions so `http::errors` can render the page or JSON body with
/// the request's language.
#[derive(Clone)]
pub struct RenderedError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_key: String,
    pub fields: BTreeMap<String, String>,
    pub retry_after: Option<u64>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        match self.kind {
            ErrorKind::Internal | ErrorKind::Unavailable => {
                tracing::error!(error = ?self, "request failed")
            }
            _ => tracing::debug!(error = ?self, "request refused"),
        }
        let mut response = HttpResponse::build(self.status());
        if let Some(seconds) = self.retry_after() {
            response.insert_header(("Retry-After", seconds.to_string()));
        }
        // A plain body for the rare paths `http::middleware::render_errors` does not reach.
        let mut response = response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.code().replace('_', " "),
                fields: self.fields(),
            },
        });
        response.extensions_mut().insert(RenderedError {
            status: self.status(),
            code: self.code(),
            message_key: self.message_key(),
            fields: self.fields(),
            retry_after: self.retry_after(),
        });
        response
    }
}
