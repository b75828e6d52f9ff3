//! Telling the people of a case that it moved: an in-app notification of kind `case` (mailed
//! by default), pointing at the case page.

use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::notify::model::{Kind, Notice, Subject, SubjectKind};

use super::model::CaseId;

/// Notifies `user` that case `id` moved (`what` names the step, for the log).
pub fn tell(
    conn: &mut DbConnection,
    ctx: &AppContext,
    user: UserId,
    id: CaseId,
    what: &str,
) -> AppResult<()> {
    tracing::debug!(case = id.0, what, "case notice");
    crate::notify::fan_out::notify_subject(
        ctx,
        conn,
        user,
        Kind::Case,
        &Notice::new(
            Subject::new(SubjectKind::Case, id.0),
            format!("/cases/{}", id.0),
            format!("#{}", id.0),
        ),
    )
}
