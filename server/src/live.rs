//! Live updates for pages that change while people watch (an event's questions, a thread's
//! new replies, a member's unread notifications): a hub of topics (`event:12`, `thread:7`,
//! `unread:3,9`) that server-sent-event streams subscribe to. A change is announced when its
//! transaction commits: on SQLite (one instance) to this process's hub; on PostgreSQL through
//! `NOTIFY tertulia_live`, which every instance's listener thread (`listen`, one connection
//! each) turns into a message on its hub, so watchers on other app servers hear it too.
//! `announce_in` is called inside the changing transaction (PostgreSQL delivers a NOTIFY at
//! commit and drops it on rollback; on SQLite the topic waits for `db::write_transaction` to
//! commit); `announce` is for changes already committed. A message says only which topic
//! changed: each stream reads the current state itself, with its viewer's permissions, so a
//! message too many (another app in the same process, a lagging receiver) costs one read and
//! never shows anything the viewer may not see.
//!
//! Streams are bounded per member (or per address for visitors, `open_stream`), send a comment
//! every 15 seconds to keep the connection open, and resume where they left off from the
//! browser's `Last-Event-ID`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use tokio::sync::broadcast;

use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::forum::model::ThreadId;

const CHANNEL: &str = "tertulia_live";
/// How often the listener looks for notifications (the latency it adds at most).
const POLL: Duration = Duration::from_millis(100);

/// How long a stream stays quiet before it sends a keep-alive comment.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Open streams one member may hold at once: a few tabs, each with a page stream and the
/// header's notification stream.
pub const STREAMS_PER_PERSON: usize = 8;
/// Open streams the visitors of one address (an IPv4 address or an IPv6 /64) may hold at once:
/// more, since a household or an office shares one.
pub const STREAMS_PER_ADDRESS: usize = 64;

/// This process's topics. One channel for every app in the process (tests run several): a
/// message of another app costs a stream one read that finds nothing new.
static LOCAL: LazyLock<broadcast::Sender<String>> = LazyLock::new(|| broadcast::channel(1024).0);

thread_local! {
    /// Topics announced inside the SQLite write transaction running on this thread (`None`
    /// outside one): sent when it commits, dropped when it rolls back.
    static PENDING: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

pub struct Hub {
    listening: AtomicBool,
    stopped: Arc<AtomicBool>,
    streams: Arc<Mutex<HashMap<String, usize>>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            listening: AtomicBool::new(false),
            stopped: Arc::new(AtomicBool::new(false)),
            streams: Default::default(),
        }
    }
}

/// One open stream of a person; closing it (dropping) frees the place.
pub struct StreamSlot {
    streams: Arc<Mutex<HashMap<String, usize>>>,
    key: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = streams.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                streams.remove(&self.key);
            }
        }
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}

impl Hub {
    /// A receiver of every topic that changes from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        LOCAL.subscribe()
    }

    fn local(&self, topic: &str) {
        send_local(topic.to_string());
    }

    /// A place for one more stream of `person` (`u:<id>` or `ip:<address>`), or a
    /// `rate_limited` refusal when they already hold `limit` on this instance.
    pub fn open_stream(&self, (person, limit): (String, usize)) -> AppResult<StreamSlot> {
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        let count = streams.entry(person.clone()).or_insert(0);
        if *count >= limit {
            return Err(AppError::new(ErrorKind::RateLimited {
                retry_after: KEEP_ALIVE.as_secs(),
            }));
        }
        *count += 1;
        Ok(StreamSlot {
            streams: self.streams.clone(),
            key: person,
        })
    }
}

fn send_local(topic: String) {
    if topic == crate::policy::catalog::TOPIC {
        crate::policy::catalog::heard();
    }
    // No receiver is not an error: nobody is watching.
    let _ = LOCAL.send(topic);
}

/// Whether the write transaction running on this thread has announced `topic` (not sent yet).
pub(crate) fn pending(topic: &str) -> bool {
    PENDING.with(|pending| {
        pending
            .borrow()
            .as_ref()
            .is_some_and(|topics| topics.iter().any(|t| t == topic))
    })
}

/// Holds `topic` until the write transaction on this thread commits; `false` outside one.
fn hold(topic: &str) -> bool {
    PENDING.with(|pending| match pending.borrow_mut().as_mut() {
        Some(topics) => {
            topics.push(topic.to_string());
            true
        }
        None => false,
    })
}

/// The scope of a write transaction on this thread: topics announced inside wait for it.
/// Only the outermost scope sends them; dropping a scope without `end` (an error or a panic)
/// forgets them.
pub(crate) struct TransactionScope {
    outermost: bool,
}

impl TransactionScope {
    pub(crate) fn begin() -> Self {
        let outermost = PENDING.with(|pending| {
            let mut pending = pending.borrow_mut();
            if pending.is_some() {
                return false;
            }
            *pending = Some(vec![]);
            true
        });
        TransactionScope { outermost }
    }

    /// The transaction ended: its topics go out if it committed.
    pub(crate) fn end(mut self, committed: bool) {
        if self.outermost {
            self.outermost = false;
            let topics = PENDING.with(|pending| pending.borrow_mut().take());
            if committed {
                topics.into_iter().flatten().for_each(send_local);
            }
        }
    }
}

impl Drop for TransactionScope {
    fn drop(&mut self) {
        if self.outermost {
            PENDING.with(|pending| pending.borrow_mut().take());
        }
    }
}

/// Announces `topic` as part of the transaction `conn` is in: watchers hear of it when (and
/// only if) it commits.
pub fn announce_in(conn: &mut DbConnection, topic: &str) -> AppResult<()> {
    match conn {
        DbConnection::Postgresql(c) => {
            diesel::sql_query("SELECT pg_notify($1, $2)")
                .bind::<diesel::sql_types::Text, _>(CHANNEL)
                .bind::<diesel::sql_types::Text, _>(topic)
                .execute(c)?;
            // The catalog is read again by this instance as soon as the change commits (the
            // transaction's own later reads skip the kept copy), not only when the listener
            // hears the NOTIFY.
            if topic == crate::policy::catalog::TOPIC && !hold(topic) {
                send_local(topic.to_string());
            }
        }
        DbConnection::Sqlite(_) => {
            if !hold(topic) {
                send_local(topic.to_string());
            }
        }
    }
    Ok(())
}

/// The topic of a member's unread notification count: `unread:<ids>`, several members at once.
const UNREAD: &str = "unread:";
/// PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more.
const PAYLOAD_MAX: usize = 7_000;

/// Announces (inside the transaction) that these members' unread notifications changed.
pub fn announce_unread(conn: &mut DbConnection, users: &[UserId]) -> AppResult<()> {
    let mut topic = String::from(UNREAD);
    for user in users {
        if topic.len() > PAYLOAD_MAX {
            announce_in(conn, &topic)?;
            topic.truncate(UNREAD.len());
        }
        if topic.len() > UNREAD.len() {
            topic.push(',');
        }
        topic.push_str(&user.0.to_string());
    }
    if topic.len() > UNREAD.len() {
        announce_in(conn, &topic)?;
    }
    Ok(())
}

/// Whether `topic` says that `user`'s unread notifications changed.
pub fn is_unread_of(topic: &str, user: UserId) -> bool {
    topic.strip_prefix(UNREAD).is_some_and(|ids| {
        ids.split(',')
            .any(|id| id.parse::<i64>().ok() == Some(user.0))
    })
}

/// The topic of a thread's posts.
pub fn thread_topic(thread: ThreadId) -> String {
    format!("thread:{}", thread.0)
}

/// Tells every watcher of `topic`, on every instance, that it changed. Call it after the
/// change committed.
pub fn announce(ctx: &AppContext, topic: &str) {
    let sent = match ctx.pool.get() {
        Ok(mut conn) => match &mut **conn {
            DbConnection::Postgresql(c) => diesel::sql_query("SELECT pg_notify($1, $2)")
                .bind::<diesel::sql_types::Text, _>(CHANNEL)
                .bind::<diesel::sql_types::Text, _>(topic)
                .execute(c)
                .map(|_| true)
                .map_err(|e| e.to_string()),
            DbConnection::Sqlite(_) => Ok(false),
        },
        Err(e) => Err(e.to_string()),
    };
    match sent {
        // The listener thread of this instance hears it like the others.
        Ok(true) => {}
        Ok(false) => ctx.live.local(topic),
        Err(error) => {
            tracing::warn!(%error, topic, "could not announce a live change; telling this instance only");
            ctx.live.local(topic);
        }
    }
}

/// On PostgreSQL, starts this instance's listener thread (once): it holds one connection that
/// LISTENs, and stops when the hub is dropped.
pub fn listen(ctx: &AppContext) {
    if !matches!(ctx.backend, crate::config::BackendKind::Postgres)
        || ctx.live.listening.swap(true, Ordering::SeqCst)
    {
        return;
    }
    let sender = LOCAL.clone();
    let stopped = ctx.live.stopped.clone();
    let url = ctx.config.database_url();
    std::thread::Builder::new()
        .name("live-listener".into())
        .spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                let mut conn = match diesel::PgConnection::establish(url.expose()) {
                    Ok(conn) => conn,
                    Err(error) => {
                        tracing::warn!(%error, "live updates: cannot connect to listen; retrying");
                        std::thread::sleep(Duration::from_secs(2));
                        continue;
                    }
                };
                if let Err(error) = diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn) {
                    tracing::warn!(%error, "live updates: LISTEN failed; retrying");
                    std::thread::sleep(Duration::from_secs(2));
                    continue;
                }
                'poll: while !stopped.load(Ordering::Relaxed) {
                    for note in conn.notifications_iter() {
                        match note {
                            Ok(note) => {
                                if note.payload == crate::policy::catalog::TOPIC {
                                    crate::policy::catalog::heard();
                                }
                                let _ = sender.send(note.payload);
                            }
                            Err(error) => {
                                tracing::warn!(%error, "live updates: the listening connection failed");
                                break 'poll;
                            }
                        }
                    }
                    std::thread::sleep(POLL);
                }
            }
        })
        .map(|_| ())
        .unwrap_or_else(|error| tracing::error!(%error, "cannot start the live listener"));
}
