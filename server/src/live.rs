//! Live updates for pages that change while people watch (an event's questions): a hub of
//! topics (`event:12`) that server-sent-event streams subscribe to. A change is announced
//! after its transaction commits (`announce`): on SQLite (one instance) straight to this
//! instance's hub; on PostgreSQL through `NOTIFY tertulia_live`, which every instance's
//! listener thread (`listen`, one connection each) turns into a message on its own hub, so
//! watchers on other app servers hear it too. A message says only which topic changed: each
//! stream reads the current state itself, with its viewer's permissions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use tokio::sync::broadcast;

use crate::context::AppContext;
use crate::db::DbConnection;

const CHANNEL: &str = "tertulia_live";
/// How often the listener looks for notifications (the latency it adds at most).
const POLL: Duration = Duration::from_millis(100);

pub struct Hub {
    sender: broadcast::Sender<String>,
    listening: AtomicBool,
    stopped: Arc<AtomicBool>,
}

impl Default for Hub {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(256);
        Hub {
            sender,
            listening: AtomicBool::new(false),
            stopped: Arc::new(AtomicBool::new(false)),
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
        self.sender.subscribe()
    }

    fn local(&self, topic: &str) {
        // No receiver is not an error: nobody is watching.
        let _ = self.sender.send(topic.to_string());
    }
}

/// Tells every watcher of `topic`, on every instance, that it changed. Call it after the
/// change committed.
pub fn announce(ctx: &AppContext, topic: &str) {
    let sent = match ctx.pool.get() {
        Ok(mut conn) => match &mut *conn {
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
    let sender = ctx.live.sender.clone();
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
