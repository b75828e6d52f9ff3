//! Categories: the views (with subcategories, groups and the reader's watch level), and the
//! admin's create, update and reorder, with their checks (slug, one level of nesting, private
//! categories need a group).

use std::collections::HashMap;

use diesel::prelude::*;

use super::{can_manage_categories, not_found, slugify};
use crate::db::schema::{
    categories, category_groups, category_posting_groups, category_watches, user_groups,
};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::*;
use crate::newtypes::Choice;
use crate::newtypes::Lenient;
use crate::policy::{self, require, visible_categories, Actor};
use crate::util::now;

pub(super) fn category_view(
    actor: &Actor,
    category: &Category,
    all: &[Category],
    group_names: &CategoryGroups,
    watches: &HashMap<CategoryId, WatchLevel>,
) -> CategoryView {
    let parent = category
        .parent_id
        .and_then(|p| all.iter().find(|c| c.id == p));
    CategoryView {
        id: category.id,
        slug: category.slug.clone(),
        name: category.name.clone(),
        description: category.description.clone(),
        visibility: category.visibility,
        parent_slug: parent.map(|p| p.slug.clone()),
        parent_name: parent.map(|p| p.name.clone()),
        position: category.position,
        threads_count: category.threads_count,
        posts_count: category.posts_count,
        groups: group_names.seeing_names(category.id),
        may_start: super::may_post_in(
            actor,
            category,
            super::PostingAct::Start,
            &group_names.posting_ids(category.id),
        ),
        posting: PostingRules {
            start_rule: category.start_rule,
            start_trust: category.start_trust,
            reply_rule: category.reply_rule,
            reply_trust: category.reply_trust,
            groups: group_names
                .posting
                .get(&category.id)
                .map(|groups| groups.iter().map(|(_, name)| name.clone()).collect())
                .unwrap_or_default(),
        },
        subcategories: all
            .iter()
            .filter(|c| c.parent_id == Some(category.id))
            .map(|c| category_view(actor, c, all, group_names, watches))
            .collect(),
        watch: watches
            .get(&category.id)
            .copied()
            .unwrap_or(WatchLevel::Normal),
    }
}

pub(crate) use crate::policy::catalog::CategoryGroups;

/// The groups of every category (from the catalog the actor's request keeps).
pub(crate) fn group_names_by_category(
    conn: &mut DbConnection,
    actor: &Actor,
) -> AppResult<CategoryGroups> {
    Ok(crate::policy::catalog(conn, actor)?.groups.clone())
}

pub(super) fn category_watch_levels(
    conn: &mut DbConnection,
    actor: &Actor,
) -> AppResult<HashMap<CategoryId, WatchLevel>> {
    let Some(user) = actor.user_id() else {
        return Ok(HashMap::new());
    };
    Ok(category_watches::table
        .filter(category_watches::user_id.eq(user))
        .select((category_watches::category_id, category_watches::level))
        .load::<(CategoryId, Lenient<WatchLevel>)>(conn)?
        .into_iter()
        .filter_map(|(category, level)| Some((category, level.0?)))
        .collect())
}

/// Top-level categories the actor may see, each with its visible subcategories.
pub fn list_categories(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<CategoryView>> {
    let visible = visible_categories(conn, actor)?;
    let names = group_names_by_category(conn, actor)?;
    let watches = category_watch_levels(conn, actor)?;
    Ok(visible
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| category_view(actor, c, &visible, &names, &watches))
        .collect())
}

pub fn category_by_slug(
    conn: &mut DbConnection,
    actor: &Actor,
    slug: &str,
) -> AppResult<CategoryView> {
    let visible = visible_categories(conn, actor)?;
    let names = group_names_by_category(conn, actor)?;
    let watches = category_watch_levels(conn, actor)?;
    visible
        .iter()
        .find(|c| c.slug == slug)
        .map(|c| category_view(actor, c, &visible, &names, &watches))
        .ok_or_else(not_found)
}

fn parse_visibility(choice: &Choice<Visibility>) -> AppResult<Visibility> {
    choice.or_invalid("visibility", "error-visibility-invalid")
}

/// A category form after its checks, with its parent and groups resolved.
struct CheckedCategory {
    name: String,
    slug: String,
    parent: Option<CategoryId>,
    visibility: Visibility,
    groups: Vec<GroupId>,
    start: (PostingRule, i16),
    reply: (PostingRule, i16),
    posting_groups: Vec<GroupId>,
}

/// A posting rule and its trust level from a form (`start_*` or `reply_*`): empty means
/// everyone; `trust` needs a level from 1 to 4.
fn parse_posting_rule(rule: &str, trust: &str, field: &str) -> AppResult<(PostingRule, i16)> {
    let rule = match rule.trim() {
        "" => PostingRule::Everyone,
        text => PostingRule::parse(text).ok_or_else(|| {
            AppError::invalid_field(&format!("{field}_rule"), "error-posting-rule")
        })?,
    };
    if rule != PostingRule::Trust {
        return Ok((rule, 0));
    }
    match trust.trim().parse::<i16>() {
        Ok(level) if (1..=4).contains(&level) => Ok((rule, level)),
        _ => Err(AppError::invalid_field(
            &format!("{field}_trust"),
            "error-posting-trust",
        )),
    }
}

/// Group names (comma-separated) to ids; an unknown name is an error of `field`.
fn resolve_groups(conn: &mut DbConnection, names: &str, field: &str) -> AppResult<Vec<GroupId>> {
    let mut ids = vec![];
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let id: GroupId = user_groups::table
            .filter(user_groups::name.eq(name))
            .select(user_groups::id)
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::invalid_field(field, "error-group-unknown"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Checks a category form and resolves its parent and groups.
fn check_category_form(
    conn: &mut DbConnection,
    form: &CategoryForm,
    editing: Option<CategoryId>,
) -> AppResult<CheckedCategory> {
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid_field("name", "error-category-name"));
    }
    let slug = if form.slug.trim().is_empty() {
        slugify(&name)
    } else {
        slugify(form.slug.trim())
    };
    let taken: i64 = categories::table
        .filter(categories::slug.eq(&slug))
        .filter(categories::id.ne(editing.unwrap_or(CategoryId(0))))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::new(ErrorKind::Conflict {
            code: ErrorCode::SlugTaken,
            field: "slug".into(),
        }));
    }
    let parent = match form.parent.trim() {
        "" => None,
        parent_slug => {
            let parent: Category = categories::table
                .filter(categories::slug.eq(parent_slug))
                .select(Category::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::invalid_field("parent", "error-parent-invalid"))?;
            // One level of nesting: the parent must be top-level and not the category itself.
            if parent.parent_id.is_some() || Some(parent.id) == editing {
                return Err(AppError::invalid_field("parent", "error-parent-invalid"));
            }
            if let Some(id) = editing {
                let children: i64 = categories::table
                    .filter(categories::parent_id.eq(id))
                    .count()
                    .get_result(conn)?;
                if children > 0 {
                    return Err(AppError::invalid_field("parent", "error-parent-invalid"));
                }
            }
            Some(parent.id)
        }
    };
    let visibility = parse_visibility(&form.visibility)?;
    let group_ids = resolve_groups(conn, &form.groups, "groups")?;
    if visibility == Visibility::Private && group_ids.is_empty() {
        return Err(AppError::invalid_field(
            "groups",
            "error-private-needs-group",
        ));
    }
    let start = parse_posting_rule(&form.start_rule, &form.start_trust, "start")?;
    let reply = parse_posting_rule(&form.reply_rule, &form.reply_trust, "reply")?;
    let posting_groups = resolve_groups(conn, &form.posting_groups, "posting_groups")?;
    let needs_groups = start.0 == PostingRule::Groups || reply.0 == PostingRule::Groups;
    if needs_groups && posting_groups.is_empty() {
        return Err(AppError::invalid_field(
            "posting_groups",
            "error-posting-groups-needed",
        ));
    }
    Ok(CheckedCategory {
        name,
        slug,
        parent,
        visibility,
        groups: group_ids,
        start,
        reply,
        posting_groups,
    })
}

fn set_category_groups(
    conn: &mut DbConnection,
    category: CategoryId,
    groups: &[GroupId],
    posting_groups: &[GroupId],
) -> AppResult<()> {
    policy::catalog::changed(conn)?;
    diesel::delete(category_groups::table.filter(category_groups::category_id.eq(category)))
        .execute(conn)?;
    for group in groups {
        diesel::insert_into(category_groups::table)
            .values((
                category_groups::category_id.eq(category),
                category_groups::group_id.eq(group),
            ))
            .execute(conn)?;
    }
    diesel::delete(
        category_posting_groups::table.filter(category_posting_groups::category_id.eq(category)),
    )
    .execute(conn)?;
    for group in posting_groups {
        diesel::insert_into(category_posting_groups::table)
            .values((
                category_posting_groups::category_id.eq(category),
                category_posting_groups::group_id.eq(group),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn create_category(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &CategoryForm,
) -> AppResult<Category> {
    require(can_manage_categories(actor))?;
    crate::db::write_transaction(conn, |conn| {
        let CheckedCategory {
            name,
            slug,
            parent,
            visibility,
            groups,
            start,
            reply,
            posting_groups,
        } = check_category_form(conn, form, None)?;
        let position: Option<i32> = categories::table
            .select(diesel::dsl::max(categories::position))
            .first(conn)?;
        let category: Category = diesel::insert_into(categories::table)
            .values((
                categories::parent_id.eq(parent),
                categories::slug.eq(&slug),
                categories::name.eq(&name),
                categories::description.eq(form.description.trim()),
                categories::position.eq(position.unwrap_or(0) + 1),
                categories::visibility.eq(visibility),
                categories::created_at.eq(now()),
                categories::start_rule.eq(start.0),
                categories::start_trust.eq(start.1),
                categories::reply_rule.eq(reply.0),
                categories::reply_trust.eq(reply.1),
            ))
            .returning(categories::all_columns)
            .get_result(conn)?;
        set_category_groups(conn, category.id, &groups, &posting_groups)?;
        Ok(category)
    })
}

pub fn update_category(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CategoryId,
    form: &CategoryForm,
) -> AppResult<()> {
    require(can_manage_categories(actor))?;
    crate::db::write_transaction(conn, |conn| {
        let CheckedCategory {
            name,
            slug,
            parent,
            visibility,
            groups,
            start,
            reply,
            posting_groups,
        } = check_category_form(conn, form, Some(id))?;
        let updated = diesel::update(categories::table.find(id))
            .set((
                categories::parent_id.eq(parent),
                categories::slug.eq(&slug),
                categories::name.eq(&name),
                categories::description.eq(form.description.trim()),
                categories::visibility.eq(visibility),
                categories::start_rule.eq(start.0),
                categories::start_trust.eq(start.1),
                categories::reply_rule.eq(reply.0),
                categories::reply_trust.eq(reply.1),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(not_found());
        }
        set_category_groups(conn, id, &groups, &posting_groups)
    })
}

/// Moves a category one place up (`-1`) or down (`1`) among its siblings.
pub fn move_category(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CategoryId,
    direction: &str,
) -> AppResult<()> {
    require(can_manage_categories(actor))?;
    let direction: i32 = match direction {
        "up" => -1,
        "down" => 1,
        _ => return Err(AppError::invalid_field("direction", "error-action-invalid")),
    };
    crate::db::write_transaction(conn, |conn| {
        let all = policy::all_categories(conn)?;
        let me = all.iter().find(|c| c.id == id).ok_or_else(not_found)?;
        let siblings: Vec<&Category> = all.iter().filter(|c| c.parent_id == me.parent_id).collect();
        let index = siblings.iter().position(|c| c.id == me.id).unwrap_or(0) as i32;
        let target = index + direction.signum();
        let Some(other) = usize::try_from(target).ok().and_then(|t| siblings.get(t)) else {
            return Ok(());
        };
        // Swap positions (the other's position may equal ours after deletions; keep order).
        let (mine, theirs) = if me.position == other.position {
            (other.position + direction.signum(), me.position)
        } else {
            (other.position, me.position)
        };
        policy::catalog::changed(conn)?;
        diesel::update(categories::table.find(me.id))
            .set(categories::position.eq(mine))
            .execute(conn)?;
        diesel::update(categories::table.find(other.id))
            .set(categories::position.eq(theirs))
            .execute(conn)?;
        Ok(())
    })
}

/// Counts a new thread or post in its category: the caller's last statement, because every
/// post of the category updates this one row, and on PostgreSQL its lock is held from here to
/// the commit (earlier, concurrent replies queued behind it: bench S reply p99 103 ms).
pub(super) fn count_in_category(
    conn: &mut DbConnection,
    category: CategoryId,
    new_threads: i32,
    new_posts: i32,
) -> AppResult<()> {
    // The counts are part of the catalog pages read from memory (told at commit; announced
    // first so that nothing but the commit follows the update).
    policy::catalog::changed(conn)?;
    diesel::update(categories::table.find(category))
        .set((
            categories::threads_count.eq(categories::threads_count + new_threads),
            categories::posts_count.eq(categories::posts_count + new_posts),
        ))
        .execute(conn)?;
    Ok(())
}
