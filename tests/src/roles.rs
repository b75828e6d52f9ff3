//! The role matrix: one request, the status each role must get, every mismatch reported at once.
//!
//! ```ignore
//! let cast = Cast::new(&app);
//! cast.expect("GET /admin/jobs", &[(Anonymous, 303), (Member, 403), (Admin, 200)],
//!     |person| person.get("/admin/jobs"));
//! ```
//! Roles left out of the table are not asked. For private categories, `Cast::with_group` adds
//! a member of the category's group (`GroupMember`) and a member outside it (`Outsider`).

use std::fmt;

use tertulia::accounts::model::Role;

use crate::fixtures::{self, Person};
use crate::{Response, TestApp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    /// Registered, e-mail address not confirmed yet.
    Unverified,
    Member,
    Moderator,
    CommunityManager,
    Admin,
    /// A member of the group of the private category given to `Cast::with_group`.
    GroupMember,
    /// A member who is not in that group.
    Outsider,
}

pub use Who::*;

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// One person per role, each with their own session. Usernames are `cast_<role>`.
pub struct Cast {
    people: Vec<(Who, Person)>,
}

impl Cast {
    /// Anonymous, unverified, member, moderator, community manager and admin.
    pub fn new(app: &TestApp) -> Cast {
        Cast {
            people: vec![
                (Anonymous, fixtures::anonymous(app)),
                (Unverified, fixtures::unverified(app, "cast_unverified")),
                (Member, fixtures::person(app, "cast_member", Role::Member)),
                (
                    Moderator,
                    fixtures::person(app, "cast_moderator", Role::Moderator),
                ),
                (
                    CommunityManager,
                    fixtures::person(app, "cast_manager", Role::CommunityManager),
                ),
                (Admin, fixtures::person(app, "cast_admin", Role::Admin)),
            ],
        }
    }

    /// Adds `GroupMember` (put in `group_id` by `admin`) and `Outsider`.
    pub fn with_group(mut self, app: &TestApp, admin: &crate::Client, group_id: i64) -> Cast {
        let insider = fixtures::member(app, "cast_insider");
        fixtures::add_to_group(admin, group_id, &insider.username);
        self.people.push((GroupMember, insider));
        self.people
            .push((Outsider, fixtures::member(app, "cast_outsider")));
        self
    }

    /// The person playing `who`.
    pub fn get(&self, who: Who) -> &Person {
        self.people
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, p)| p)
            .unwrap_or_else(|| panic!("no {who} in this cast (see Cast::with_group)"))
    }

    /// Sends `request` as each role of `expected`, in the table's order, and fails listing every
    /// role whose status differs from its expected one.
    pub fn expect(
        &self,
        what: &str,
        expected: &[(Who, u16)],
        request: impl Fn(&Person) -> Response,
    ) {
        let mismatches = self.mismatches(expected, request);
        assert!(
            mismatches.is_empty(),
            "{what}: {} of {} roles got the wrong answer:\n{}",
            mismatches.len(),
            expected.len(),
            mismatches.join("\n")
        );
    }

    /// Like `expect`, but returns the mismatches instead of failing.
    pub fn mismatches(
        &self,
        expected: &[(Who, u16)],
        request: impl Fn(&Person) -> Response,
    ) -> Vec<String> {
        expected
            .iter()
            .filter_map(|&(who, status)| {
                let response = request(self.get(who));
                (response.status != status).then(|| {
                    let body: String = response.body.chars().take(200).collect();
                    format!(
                        "  {who}: expected {status}, got {} ({body})",
                        response.status
                    )
                })
            })
            .collect()
    }
}
