//! The database: one diesel codebase over SQLite (embedded default) and PostgreSQL (scale path).
//! The backend is chosen from the URL scheme only; anything else is an error, never a stray
//! SQLite file. Backend-specific SQL lives here and nowhere else.

pub mod among;
pub mod schema;

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sql_types::BigInt;
use diesel::{Connection, PgConnection, QueryResult, RunQueryDsl, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use self::among::among;
pub use crate::config::BackendKind;
use crate::config::DatabaseUrl;

/// A connection to either backend; diesel's derive implements `Connection` over the common
/// subset of both (no booleans or blobs in the schema: SmallInt and Text instead).
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// A PostgreSQL connection back in the pool for less than this is handed out again without a
/// check: a connection in steady use costs no extra round trip per request. One idle longer,
/// or one whose last user saw an error (`Pooled::suspect`), is checked with `SELECT 1` first.
const TRUST_FOR: Duration = Duration::from_secs(2);

/// A connection as the pool keeps it: the connection, when it last went back to the pool, and
/// whether its last use failed. Derefs to `DbConnection`.
pub struct Pooled {
    conn: DbConnection,
    returned: Instant,
    suspect: bool,
}

impl Pooled {
    /// Marks the connection to be checked before its next use (its user saw an error, which
    /// may have been the connection's own).
    pub fn suspect(&mut self) {
        self.suspect = true;
    }
}

impl std::ops::Deref for Pooled {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Opens connections of the backend the URL names, with SQLite tuned on every connection.
#[derive(Debug)]
pub struct Manager {
    kind: BackendKind,
    url: String,
}

impl Manager {
    pub fn new(url: &DatabaseUrl) -> Result<Manager, String> {
        let kind = BackendKind::from_url(url.expose())?;
        let url = match kind {
            BackendKind::Sqlite => url.expose().trim_start_matches("sqlite://").to_string(),
            BackendKind::Postgres => url.expose().to_string(),
        };
        if kind == BackendKind::Sqlite && url.is_empty() {
            return Err("database_url: sqlite:// needs a file path".into());
        }
        Ok(Manager { kind, url })
    }

    pub fn kind(&self) -> BackendKind {
        self.kind
    }

    /// One connection outside any pool (migrations, CLI commands, tests).
    pub fn connect_once(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match self.kind {
            BackendKind::Sqlite => {
                if let Some(parent) = std::path::Path::new(&self.url).parent() {
                    if !parent.as_os_str().is_empty() && !parent.exists() {
                        return Err(diesel::ConnectionError::BadConnection(format!(
                            "the folder {} of the SQLite database does not exist",
                            parent.display()
                        )));
                    }
                }
                let mut conn = SqliteConnection::establish(&self.url)?;
                // WAL lets readers proceed during a write; busy_timeout makes writers queue
                // instead of failing; NORMAL is durable in WAL mode except on power loss.
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                )
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
            BackendKind::Postgres => Ok(DbConnection::Postgresql(PgConnection::establish(
                &self.url,
            )?)),
        }
    }
}

impl ManageConnection for Manager {
    type Connection = Pooled;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Pooled, r2d2::Error> {
        let conn = self.connect_once().map_err(r2d2::Error::ConnectionError)?;
        Ok(Pooled {
            conn,
            returned: Instant::now(),
            suspect: false,
        })
    }

    /// On check-out (PostgreSQL only): `SELECT 1` unless the connection came back recently
    /// from a use that went well.
    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), r2d2::Error> {
        if !pooled.suspect && pooled.returned.elapsed() < TRUST_FOR {
            return Ok(());
        }
        pooled
            .conn
            .batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)?;
        pooled.suspect = false;
        Ok(())
    }

    /// On return: notes the time; a suspect connection is checked now, and dropped if the
    /// check fails, so the next request gets a new one.
    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        pooled.returned = Instant::now();
        if !pooled.suspect || matches!(pooled.conn, DbConnection::Sqlite(_)) {
            return false;
        }
        match pooled.conn.batch_execute("SELECT 1") {
            Ok(()) => {
                pooled.suspect = false;
                false
            }
            Err(_) => true,
        }
    }
}

/// Builds the pool; `size` defaults per backend (see `Config::database_pool_size`).
pub fn pool(url: &DatabaseUrl, size: Option<u32>) -> Result<Pool, String> {
    let manager = Manager::new(url)?;
    let size = size.unwrap_or(match manager.kind() {
        BackendKind::Sqlite => 8,
        BackendKind::Postgres => 16,
    });
    r2d2::Pool::builder()
        .max_size(size)
        // A SQLite file cannot drop a connection; PostgreSQL's are checked before use when
        // idle or suspect (see `Manager::is_valid`).
        .test_on_check_out(manager.kind() == BackendKind::Postgres)
        // Connections open on demand; two stay warm.
        .min_idle(Some(2.min(size)))
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .map_err(|e| format!("cannot connect to the database {}: {e}", url.redacted()))
}

/// A subquery giving the groups of the member `users.id` of the enclosing query, as ids joined
/// by commas (NULL for none): SQLite's `group_concat`, PostgreSQL's `string_agg`.
pub fn groups_of_user_sql(backend: BackendKind) -> &'static str {
    match backend {
        BackendKind::Sqlite => {
            "(SELECT group_concat(group_members.group_id, ',') FROM group_members \
             WHERE group_members.user_id = users.id)"
        }
        BackendKind::Postgres => {
            "(SELECT string_agg(CAST(group_members.group_id AS TEXT), ',') FROM group_members \
             WHERE group_members.user_id = users.id)"
        }
    }
}

pub fn backend_of(conn: &DbConnection) -> BackendKind {
    match conn {
        DbConnection::Sqlite(_) => BackendKind::Sqlite,
        DbConnection::Postgresql(_) => BackendKind::Postgres,
    }
}

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies every pending migration of the connection's backend; returns the versions applied.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, MigrationError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS)?,
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS)?,
    };
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Reverts every applied migration (used by the migration round-trip test).
pub fn revert_all_migrations(conn: &mut DbConnection) -> Result<Vec<String>, MigrationError> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS)?,
        DbConnection::Postgresql(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS)?,
    };
    Ok(reverted.iter().map(|v| v.to_string()).collect())
}

/// Reverts the newest applied migration and returns its version (the migration tests use it to
/// write rows under an older schema).
pub fn revert_last_migration(conn: &mut DbConnection) -> Result<String, MigrationError> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS)?,
        DbConnection::Postgresql(c) => c.revert_last_migration(POSTGRES_MIGRATIONS)?,
    };
    Ok(reverted.to_string())
}

/// A transaction that writes. On SQLite a transaction that reads before it writes can fail
/// with "database is locked" when another connection wrote in between (its read snapshot can
/// no longer be upgraded, and the busy timeout does not help). So the transaction takes the
/// write lock first, with a statement that changes nothing: it then waits its turn
/// (busy_timeout) instead of failing. PostgreSQL needs nothing of the kind.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    // Live topics announced inside go out when the outermost transaction commits.
    let scope = crate::live::TransactionScope::begin();
    let _turn = matches!(conn, DbConnection::Sqlite(_))
        .then(WriterTurn::wait)
        .flatten();
    let result = conn.transaction(|conn| {
        if matches!(conn, DbConnection::Sqlite(_)) {
            diesel::sql_query("UPDATE jobs SET id = id WHERE 1 = 0").execute(conn)?;
        }
        work(conn)
    });
    scope.end(result.is_ok());
    result
}

/// SQLite lets one transaction write at a time. Writers of this process queue here and are
/// woken in turn, instead of polling SQLite's lock through the busy handler, whose sleeps grow
/// to 100 ms a try: under concurrent replies that polling gave the slowest writes waits of up to
/// a second while the lock sat free between tries. Other processes writing the same file still
/// wait through `busy_timeout`.
static SQLITE_WRITERS: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

/// How long a writer waits for its turn before going ahead anyway (SQLite's `busy_timeout`
/// then still keeps it correct), so that a turn holder waiting on another thread (for a pooled
/// connection, say) costs the others at most this long. A turn normally lasts a millisecond or
/// two; a queue of 16 replies waits about 20 ms.
const WRITER_TURN_WAIT: Duration = Duration::from_secs(1);

/// Which thread holds the turn and since when (said in the warning of a writer that waited its
/// whole `WRITER_TURN_WAIT`).
static TURN_HOLDER: parking_lot::Mutex<Option<(String, Instant)>> = parking_lot::Mutex::new(None);

thread_local! {
    /// Whether this thread holds the writers' turn (a transaction inside a transaction of the
    /// same thread must not wait for itself).
    static HOLDS_TURN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// This thread's turn to write to SQLite, held until dropped; handed to the next writer fairly.
struct WriterTurn(Option<parking_lot::MutexGuard<'static, ()>>);

impl WriterTurn {
    /// Waits for the turn; `None` when this thread holds it already.
    fn wait() -> Option<WriterTurn> {
        if HOLDS_TURN.with(std::cell::Cell::get) {
            return None;
        }
        let guard = SQLITE_WRITERS.try_lock_for(WRITER_TURN_WAIT);
        let me = std::thread::current().name().map_or_else(
            || format!("{:?}", std::thread::current().id()),
            str::to_string,
        );
        match &guard {
            Some(_) => *TURN_HOLDER.lock() = Some((me, Instant::now())),
            None => {
                let (holder, held_ms) = TURN_HOLDER
                    .lock()
                    .clone()
                    .map(|(name, since)| (name, since.elapsed().as_millis()))
                    .unzip();
                tracing::warn!(
                    waiter = %me,
                    holder = ?holder,
                    held_ms = ?held_ms,
                    "an SQLite writer waited its whole turn; going ahead without it"
                );
            }
        }
        HOLDS_TURN.with(|holds| holds.set(true));
        Some(WriterTurn(guard))
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        HOLDS_TURN.with(|holds| holds.set(false));
        if let Some(guard) = self.0.take() {
            *TURN_HOLDER.lock() = None;
            parking_lot::MutexGuard::unlock_fair(guard);
        }
    }
}

/// After bulk inserts with explicit ids, PostgreSQL's sequences must move past them (SQLite's
/// AUTOINCREMENT follows by itself).
pub fn reset_sequences(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Postgresql(_) = conn {
        for table in [
            "users",
            "categories",
            "threads",
            "posts",
            "user_groups",
            "review_items",
        ] {
            conn.batch_execute(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))?;
        }
    }
    Ok(())
}

/// Bytes the database takes on disk (data and indexes), where the backend can say.
pub fn database_size(conn: &mut DbConnection) -> Option<u64> {
    #[derive(diesel::QueryableByName)]
    struct Size {
        #[diesel(sql_type = BigInt)]
        bytes: i64,
    }
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()"
        }
        DbConnection::Postgresql(_) => "SELECT pg_database_size(current_database()) AS bytes",
    };
    diesel::sql_query(sql)
        .get_result::<Size>(conn)
        .ok()
        .and_then(|s| u64::try_from(s.bytes).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_inside_a_write_of_the_same_thread_does_not_wait_for_its_turn() {
        let outer = WriterTurn::wait().expect("the first writer gets a turn");
        assert!(outer.0.is_some(), "the turn was taken");
        // Another thread cannot take it meanwhile.
        let elsewhere = std::thread::spawn(|| SQLITE_WRITERS.try_lock().is_some())
            .join()
            .expect("the other thread ran");
        assert!(!elsewhere);
        assert!(
            WriterTurn::wait().is_none(),
            "a nested write must not queue"
        );
        drop(outer);
        assert!(!HOLDS_TURN.with(std::cell::Cell::get));
        let later = WriterTurn::wait().expect("the turn comes back");
        assert!(later.0.is_some());
    }
}
