//! The catalog: the forum's categories in display order (with their counts and posting rules)
//! and the groups of each (those that may see a private category, those its `groups` rule lets
//! post). Every page needs it and it is the same for every reader, so each app keeps it in
//! memory (`CatalogCache`, reached through the request's `Actor`) instead of reading three
//! tables per request.
//!
//! Freshness: every transaction that changes a category, its groups, a group's name or a
//! category's counts calls `changed` inside the transaction. That announces the live topic
//! `catalog` (see `live`): this process drops its copies when the transaction commits, and on
//! PostgreSQL every other instance drops its copies when the NOTIFY reaches its listener (within
//! `live::POLL`). As a safety net against a lost notification, a copy is also dropped after
//! `MAX_AGE`. Writes that bypass the services (an operator's SQL) are seen within `MAX_AGE`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::db::schema::categories;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::forum::model::{Category, CategoryId, GroupId};

/// The live topic that says the catalog changed.
pub const TOPIC: &str = "catalog";

/// A copy older than this is read again even without a notification.
const MAX_AGE: Duration = Duration::from_secs(10);

/// Bumped whenever this process hears `TOPIC` (any app in the process: a copy dropped too many
/// costs one read).
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Drops every app's copy in this process (the live hub calls it when it hears `TOPIC`).
pub(crate) fn heard() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Announces, inside the changing transaction, that the catalog changes with it.
pub fn changed(conn: &mut DbConnection) -> AppResult<()> {
    crate::live::announce_in(conn, TOPIC)
}

/// The groups of every category: those that may see it (a private category's) and those its
/// `groups` posting rule lets post, with their names.
#[derive(Clone, Debug, Default)]
pub struct CategoryGroups {
    pub seeing: HashMap<CategoryId, Vec<(GroupId, String)>>,
    pub posting: HashMap<CategoryId, Vec<(GroupId, String)>>,
}

impl CategoryGroups {
    /// The groups whose members the category's `groups` rule lets post.
    pub fn posting_ids(&self, category: CategoryId) -> Vec<GroupId> {
        ids(self.posting.get(&category))
    }

    /// The groups whose members may see the (private) category.
    pub fn seeing_ids(&self, category: CategoryId) -> Vec<GroupId> {
        ids(self.seeing.get(&category))
    }

    /// The names of the groups that may see the category.
    pub fn seeing_names(&self, category: CategoryId) -> Vec<String> {
        self.seeing
            .get(&category)
            .map(|groups| groups.iter().map(|(_, name)| name.clone()).collect())
            .unwrap_or_default()
    }
}

fn ids(groups: Option<&Vec<(GroupId, String)>>) -> Vec<GroupId> {
    groups
        .map(|groups| groups.iter().map(|(id, _)| *id).collect())
        .unwrap_or_default()
}

/// Every category, in display order, and the groups of each.
#[derive(Debug)]
pub struct Catalog {
    pub categories: Vec<Category>,
    pub groups: CategoryGroups,
}

/// One group of a category, of either kind (`kind` 0: may see it, 1: may post).
#[derive(QueryableByName)]
struct CategoryGroupRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    category_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    group_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::SmallInt)]
    kind: i16,
}

impl Catalog {
    /// Reads it from the database (two statements).
    pub fn load(conn: &mut DbConnection) -> AppResult<Catalog> {
        let categories = categories::table
            .order((categories::position.asc(), categories::id.asc()))
            .select(Category::as_select())
            .load(conn)?;
        let rows: Vec<CategoryGroupRow> = diesel::sql_query(
            "SELECT cg.category_id, g.id AS group_id, g.name, CAST(0 AS SMALLINT) AS kind \
             FROM category_groups cg JOIN user_groups g ON g.id = cg.group_id \
             UNION ALL \
             SELECT cp.category_id, g.id AS group_id, g.name, CAST(1 AS SMALLINT) AS kind \
             FROM category_posting_groups cp JOIN user_groups g ON g.id = cp.group_id",
        )
        .load(conn)?;
        let mut groups = CategoryGroups::default();
        for row in rows {
            let side = if row.kind == 0 {
                &mut groups.seeing
            } else {
                &mut groups.posting
            };
            side.entry(CategoryId(row.category_id))
                .or_default()
                .push((GroupId(row.group_id), row.name));
        }
        Ok(Catalog { categories, groups })
    }
}

/// One app's copy of the catalog.
#[derive(Default)]
pub struct CatalogCache {
    slot: RwLock<Option<Copy>>,
}

struct Copy {
    generation: u64,
    loaded: Instant,
    catalog: Arc<Catalog>,
}

impl std::fmt::Debug for CatalogCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CatalogCache")
    }
}

impl CatalogCache {
    /// The current catalog: the kept copy while no change was heard and it is young enough,
    /// else a new read (kept for the next requests).
    pub fn get(&self, conn: &mut DbConnection) -> AppResult<Arc<Catalog>> {
        // A transaction that changes the catalog reads its own changes.
        if crate::live::pending(TOPIC) {
            return Ok(Arc::new(Catalog::load(conn)?));
        }
        // Read before loading: a change heard while loading leaves the new copy already stale.
        let generation = GENERATION.load(Ordering::SeqCst);
        if let Ok(slot) = self.slot.read() {
            if let Some(copy) = slot.as_ref() {
                if copy.generation == generation && copy.loaded.elapsed() < MAX_AGE {
                    return Ok(copy.catalog.clone());
                }
            }
        }
        let catalog = Arc::new(Catalog::load(conn)?);
        if let Ok(mut slot) = self.slot.write() {
            *slot = Some(Copy {
                generation,
                loaded: Instant::now(),
                catalog: catalog.clone(),
            });
        }
        Ok(catalog)
    }
}
