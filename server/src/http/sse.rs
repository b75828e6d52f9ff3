//! Server-sent event streams over the live hub (`crate::live`): a `Feed` says which topics
//! concern it and reads what its reader should see now; `respond` turns it into a
//! `text/event-stream` response that sends the first read at once, a new read after every
//! change of a concerning topic (or after missed messages), a comment every 15 seconds, and
//! ends when the reader goes away or may no longer see the subject.

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use tokio::sync::broadcast::error::RecvError;

use crate::error::AppResult;
use crate::http::state::State;
use crate::live::{StreamSlot, KEEP_ALIVE};
use crate::policy::Actor;

/// What one stream follows. (Streams run on the request's own thread: no `Send` needed.)
#[allow(async_fn_in_trait)]
pub trait Feed: Sized + 'static {
    /// Whether a change of `topic` may concern this reader.
    fn concerns(&self, topic: &str) -> bool;
    /// Reads the current state: the frame to send (`None` when nothing changed for the
    /// reader) and the feed to go on with; `Err` ends the stream (access lost, database down).
    async fn read(self, state: &State) -> AppResult<(Option<Bytes>, Self)>;
}

/// One event: `event: <name>`, an optional `id:` (the browser's `Last-Event-ID` on reconnect)
/// and the JSON data.
pub fn frame(name: &str, id: Option<i64>, data: &impl serde::Serialize) -> Bytes {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    let id = id.map(|id| format!("id: {id}\n")).unwrap_or_default();
    Bytes::from(format!("event: {name}\n{id}data: {json}\n\n"))
}

/// Who holds a stream and how many they may hold: a member, else the visitors of an address
/// (behind a proxy every visitor shares the proxy's address, as with the rate limits).
pub fn person(actor: &Actor, req: &HttpRequest) -> (String, usize) {
    match actor.user_id() {
        Some(user) => (format!("u:{}", user.0), crate::live::STREAMS_PER_PERSON),
        None => (
            format!("ip:{}", crate::http::auth::client_bucket(req)),
            crate::live::STREAMS_PER_ADDRESS,
        ),
    }
}

/// The browser's `Last-Event-ID` (sent when it reconnects), as a number.
pub fn last_event_id(req: &HttpRequest) -> Option<i64> {
    req.headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

struct Watch<F> {
    feed: Option<F>,
    first: bool,
    changes: tokio::sync::broadcast::Receiver<String>,
    state: State,
    _slot: StreamSlot,
}

/// The stream of `feed`, holding `slot` while it is open.
pub fn respond<F: Feed>(state: State, slot: StreamSlot, feed: F) -> HttpResponse {
    // Subscribe before the first read, so no change in between is missed.
    let watch = Watch {
        feed: Some(feed),
        first: true,
        changes: state.live.subscribe(),
        state,
        _slot: slot,
    };
    let stream = futures_util::stream::unfold(watch, |mut watch| async move {
        loop {
            let read_now = std::mem::take(&mut watch.first) || {
                let feed = watch.feed.as_ref()?;
                match actix_web::rt::time::timeout(KEEP_ALIVE, watch.changes.recv()).await {
                    Err(_) => {
                        let alive = Bytes::from_static(b": keep-alive\n\n");
                        return Some((Ok::<_, actix_web::Error>(alive), watch));
                    }
                    Ok(Err(RecvError::Closed)) => return None,
                    Ok(Ok(topic)) => feed.concerns(&topic),
                    // Messages were missed: one of them may have been ours.
                    Ok(Err(RecvError::Lagged(_))) => true,
                }
            };
            if !read_now {
                continue;
            }
            let feed = watch.feed.take()?;
            // The reader lost access (or the database failed): the stream ends.
            let (bytes, feed) = feed.read(&watch.state).await.ok()?;
            watch.feed = Some(feed);
            if let Some(bytes) = bytes {
                return Some((Ok(bytes), watch));
            }
        }
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        // Compression would hold the events back until a buffer fills.
        .insert_header(("Content-Encoding", "identity"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream)
}
