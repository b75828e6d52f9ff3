//! The Meilisearch engine (when `search_url` is set), through `meilisearch-sdk`.
//!
//! One document per post: its words as the shared analyzer gives them (folded, stemmed in
//! Spanish and English, so both engines match the same forms), and every attribute a search
//! filters, facets or sorts on, visibility included, so permissions are applied inside the
//! query and counts and pages stay right. A query sends one word per query word (its long
//! Spanish stem, else its shortest form: documents hold the beginnings of their words' stems
//! that such a word may be, `analyzer::prefix_terms`); Meilisearch adds typo tolerance and
//! synonyms. Documents are written by the outbox worker (`outbox`).
//!
//! Events have an index of their own beside the posts' (`<index>_events`: title, description,
//! category, state), analyzed and queried the same way, so they get typo tolerance and
//! synonyms too.
//!
//! The SDK talks HTTP through `Ureq` below (the blocking `ureq` the server already has, run
//! from blocking threads), rather than its default `reqwest`, which would bring a second HTTP
//! stack and an async runtime of its own.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use meilisearch_sdk::client::Client;
use meilisearch_sdk::errors::Error as MeiliError;
use meilisearch_sdk::request::{parse_response, HttpClient, Method};
use meilisearch_sdk::search::{MatchingStrategies, Selectors};
use meilisearch_sdk::settings::{PrefixSearchSettings, Settings, TypoToleranceSettings};
use meilisearch_sdk::task_info::TaskInfo;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::analyzer::{prefix_terms, query_groups, Term};
use super::index::{Filter, Found, Sort};

/// How long a request to Meilisearch may take before it counts as a failure.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for Meilisearch to apply a write.
const TASK_TIMEOUT: Duration = Duration::from_secs(60);

/// The synonyms used when no file is configured: the demo community's (a coffee brand's).
const DEFAULT_SYNONYMS: &str = include_str!("synonyms.toml");

/// The SDK's HTTP client on `ureq`: each request runs to completion on the calling thread.
#[derive(Clone)]
pub struct Ureq {
    agent: ureq::Agent,
    key: Option<String>,
}

#[async_trait::async_trait]
impl HttpClient for Ureq {
    async fn stream_request<
        Query: Serialize + Send + Sync,
        Body: futures_util::AsyncRead + Send + Sync + 'static,
        Output: DeserializeOwned + 'static,
    >(
        &self,
        url: &str,
        method: Method<Query, Body>,
        content_type: &str,
        expected_status_code: u16,
    ) -> Result<Output, MeiliError> {
        use futures_util::AsyncReadExt;
        let query = yaup::to_string(method.query())?;
        let url = format!("{url}{query}");
        let verb = match &method {
            Method::Get { .. } => "GET",
            Method::Delete { .. } => "DELETE",
            Method::Post { .. } => "POST",
            Method::Put { .. } => "PUT",
            Method::Patch { .. } => "PATCH",
        };
        let mut request = self.agent.request(verb, &url);
        if let Some(key) = &self.key {
            request = request.set("Authorization", &format!("Bearer {key}"));
        }
        let response = match method.into_body() {
            Some(body) => {
                let mut bytes = vec![];
                let mut body = Box::pin(body);
                body.read_to_end(&mut bytes)
                    .await
                    .map_err(|e| MeiliError::Other(Box::new(e)))?;
                request.set("Content-Type", content_type).send_bytes(&bytes)
            }
            None => request.call(),
        };
        let response = match response {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => return Err(MeiliError::Other(Box::new(error))),
        };
        let status = response.status();
        let mut text = response
            .into_string()
            .map_err(|e| MeiliError::Other(Box::new(e)))?;
        if text.is_empty() {
            text = "null".into();
        }
        parse_response(status, expected_status_code, &text, url)
    }
}

/// One post as Meilisearch holds it (words as `prefix_terms` gives them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: i64,
    pub thread_id: i64,
    pub number: i32,
    /// The thread's title's words, on a thread's first post only (as the database engine).
    pub title: String,
    /// The post's words.
    pub body: String,
    pub category_id: i64,
    pub kind: i16,
    /// The thread has an accepted answer.
    pub solved: bool,
    /// The thread has an official answer.
    pub has_official: bool,
    pub author_id: i64,
    /// Seconds since 1970 (UTC).
    pub created_at: i64,
    pub likes: i32,
    /// Published post in a published thread (what a reader may ever see; categories are
    /// filtered per reader).
    pub visible: bool,
}

/// What `Document::new` is built from: a post and its thread's row.
pub struct Source {
    pub id: i64,
    pub thread_id: i64,
    pub number: i32,
    pub raw: String,
    pub post_state: i16,
    pub author_id: i64,
    pub created_at: chrono::NaiveDateTime,
    pub likes: i32,
    pub title: String,
    pub category_id: i64,
    pub kind: i16,
    pub accepted: bool,
    pub has_official: bool,
    pub thread_state: i16,
}

impl Document {
    pub fn new(s: Source) -> Document {
        Document {
            id: s.id,
            thread_id: s.thread_id,
            number: s.number,
            title: if s.number == 1 {
                prefix_terms(&s.title)
            } else {
                String::new()
            },
            body: prefix_terms(&s.raw),
            category_id: s.category_id,
            kind: s.kind,
            solved: s.accepted,
            has_official: s.has_official,
            author_id: s.author_id,
            created_at: s.created_at.and_utc().timestamp(),
            likes: s.likes,
            visible: s.post_state == 0 && s.thread_state == 0,
        }
    }
}

/// One event as Meilisearch holds it (words as `prefix_terms` gives them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDocument {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub category_id: i64,
    /// 0 while it takes place, 1 cancelled (cancelled events come last).
    pub state: i16,
}

impl EventDocument {
    /// From an event's id, title, description (Markdown), category and state.
    pub fn new(id: i64, title: &str, raw: &str, category_id: i64, state: i16) -> EventDocument {
        EventDocument {
            id,
            title: prefix_terms(title),
            body: prefix_terms(raw),
            category_id,
            state,
        }
    }
}

/// Which of the two indexes `configure` had to create (then they are empty and need filling).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Created {
    pub posts: bool,
    pub events: bool,
}

/// Writes sent to Meilisearch and not yet awaited (`Meili::finish` waits for them). Meilisearch
/// applies the tasks of an index in order and batches those waiting together, so sending many
/// before waiting costs it one batch, not one each.
#[must_use = "sent writes are only known applied once `Meili::finish` has waited for them"]
#[derive(Default)]
pub struct Sent(Vec<TaskInfo>);

/// One word per query word: its long Spanish stem (documents hold the beginnings of theirs,
/// `prefix_terms`), else its shortest form.
fn query_words(groups: &[Vec<Term>]) -> String {
    groups
        .iter()
        .filter_map(|g| {
            g.iter()
                .find(|t| t.prefix)
                .or_else(|| g.iter().min_by_key(|t| t.text.len()))
                .map(|t| t.text.clone())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Meilisearch server and the index holding the posts.
pub struct Meili {
    client: Client<Ureq>,
    index: String,
    synonyms: HashMap<String, Vec<String>>,
}

impl Meili {
    /// A client for `url`; `synonyms` is the text of a synonyms file (TOML: `word = ["other",
    /// "words"]`), or `None` for the built-in list.
    pub fn new(
        url: &str,
        key: Option<&str>,
        index: &str,
        synonyms: Option<&str>,
    ) -> Result<Meili, String> {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(2))
            .timeout(TIMEOUT)
            .build();
        let http = Ureq {
            agent,
            key: key.map(str::to_string),
        };
        Ok(Meili {
            client: Client::new_with_client(url.trim_end_matches('/'), key, http),
            index: index.to_string(),
            synonyms: parse_synonyms(synonyms.unwrap_or(DEFAULT_SYNONYMS))?,
        })
    }

    /// The index's name.
    pub fn index_name(&self) -> &str {
        &self.index
    }

    fn wait(&self, task: TaskInfo) -> Result<(), String> {
        let task = block_on(self.client.wait_for_task(
            task,
            Some(Duration::from_millis(20)),
            Some(TASK_TIMEOUT),
        ))
        .map_err(describe)?;
        match task {
            meilisearch_sdk::tasks::Task::Succeeded { .. } => Ok(()),
            meilisearch_sdk::tasks::Task::Failed { content } => {
                Err(format!("Meilisearch task failed: {}", content.error))
            }
            other => Err(format!("Meilisearch task did not finish: {other:?}")),
        }
    }

    /// The index holding the events.
    pub fn events_index_name(&self) -> String {
        format!("{}_events", self.index)
    }

    /// Creates the posts' and the events' indexes when they do not exist and applies their
    /// settings (idempotent); says which were created (they are empty then and need filling).
    pub fn configure(&self) -> Result<Created, String> {
        let events = self.events_index_name();
        let mut created = Created::default();
        let mut sent = Sent::default();
        for (name, new) in [
            (&self.index, &mut created.posts),
            (&events, &mut created.events),
        ] {
            if block_on(self.client.get_raw_index(name)).is_err() {
                sent.0
                    .push(block_on(self.client.create_index(name, Some("id"))).map_err(describe)?);
                *new = true;
            }
        }
        self.finish(sent)?;
        let typo_tolerance = TypoToleranceSettings {
            enabled: Some(true),
            disable_on_attributes: None,
            disable_on_words: None,
            min_word_size_for_typos: None,
            disable_on_numbers: None,
        };
        // A sort, when asked for, decides; otherwise title matches come first.
        let ranking = [
            "sort",
            "words",
            "attribute",
            "typo",
            "proximity",
            "exactness",
        ];
        let posts = Settings::new()
            .with_searchable_attributes(["title", "body"])
            .with_filterable_attributes([
                "visible",
                "category_id",
                "thread_id",
                "author_id",
                "kind",
                "solved",
                "has_official",
                "created_at",
                "number",
            ])
            .with_sortable_attributes(["created_at", "likes", "id"])
            .with_ranking_rules(ranking)
            .with_typo_tolerance(typo_tolerance.clone())
            .with_synonyms(self.synonyms.clone());
        let event_settings = Settings::new()
            .with_searchable_attributes(["title", "body"])
            .with_filterable_attributes(["category_id"])
            .with_sortable_attributes(["state", "id"])
            .with_ranking_rules(ranking)
            .with_typo_tolerance(typo_tolerance)
            .with_synonyms(self.synonyms.clone());
        let mut sent = Sent::default();
        for (name, settings) in [(&self.index, &posts), (&events, &event_settings)] {
            let index = self.client.index(name);
            // Settings sent again make Meilisearch index again (about half a minute per
            // setting at a million posts), holding back every write queued behind them: only
            // what differs is sent, so an app server or worker starting costs nothing.
            if super::meili_settings::settings_hold(&index, settings)? {
                continue;
            }
            sent.0
                .push(block_on(index.set_settings(settings)).map_err(describe)?);
            // Query words are stems already, and documents hold the beginnings a query may
            // send: "caf" (café) must not find "cafetera" as a prefix.
            sent.0.push(
                block_on(index.set_prefix_search(PrefixSearchSettings::Disabled))
                    .map_err(describe)?,
            );
            // Facet counts come with searches; searching within facet values (a separate
            // endpoint we never call) would only make every write index more.
            sent.0
                .push(block_on(index.set_facet_search(false)).map_err(describe)?);
        }
        self.finish(sent)?;
        Ok(created)
    }

    /// Sends documents of posts (replacing those with the same ids), without waiting.
    pub fn send_posts(&self, documents: &[Document], sent: &mut Sent) -> Result<(), String> {
        self.send(&self.index, documents, sent)
    }

    /// Sends documents of events, without waiting.
    pub fn send_events(&self, documents: &[EventDocument], sent: &mut Sent) -> Result<(), String> {
        self.send(&self.events_index_name(), documents, sent)
    }

    fn send<T: Serialize + Send + Sync>(
        &self,
        index: &str,
        documents: &[T],
        sent: &mut Sent,
    ) -> Result<(), String> {
        if !documents.is_empty() {
            let task = block_on(
                self.client
                    .index(index)
                    .add_or_replace(documents, Some("id")),
            )
            .map_err(describe)?;
            sent.0.push(task);
        }
        Ok(())
    }

    /// Sends the removal of posts' documents, without waiting.
    pub fn send_post_removal(&self, ids: &[i64], sent: &mut Sent) -> Result<(), String> {
        self.send_removal(&self.index, ids, sent)
    }

    /// Sends the removal of events' documents, without waiting.
    pub fn send_event_removal(&self, ids: &[i64], sent: &mut Sent) -> Result<(), String> {
        self.send_removal(&self.events_index_name(), ids, sent)
    }

    fn send_removal(&self, index: &str, ids: &[i64], sent: &mut Sent) -> Result<(), String> {
        if !ids.is_empty() {
            let task =
                block_on(self.client.index(index).delete_documents(ids)).map_err(describe)?;
            sent.0.push(task);
        }
        Ok(())
    }

    /// Waits until every sent write is applied (in the order sent); the first that failed is
    /// the error.
    pub fn finish(&self, sent: Sent) -> Result<(), String> {
        for task in sent.0 {
            self.wait(task)?;
        }
        Ok(())
    }

    /// Writes posts' documents (replacing those with the same ids) and waits until they are
    /// searchable.
    pub fn put(&self, documents: &[Document]) -> Result<(), String> {
        let mut sent = Sent::default();
        self.send_posts(documents, &mut sent)?;
        self.finish(sent)
    }

    /// Removes posts' documents and waits.
    pub fn delete(&self, ids: &[i64]) -> Result<(), String> {
        let mut sent = Sent::default();
        self.send_post_removal(ids, &mut sent)?;
        self.finish(sent)
    }

    /// Removes every document and waits.
    pub fn clear(&self) -> Result<(), String> {
        let task =
            block_on(self.client.index(&self.index).delete_all_documents()).map_err(describe)?;
        self.wait(task)
    }

    /// Every post's document, in id order (for checks that the index matches the database).
    pub fn documents(&self) -> Result<Vec<Document>, String> {
        let mut out = self.all_of::<Document>(&self.index)?;
        out.sort_by_key(|d| d.id);
        Ok(out)
    }

    /// Every event's document, in id order.
    pub fn event_documents(&self) -> Result<Vec<EventDocument>, String> {
        let mut out = self.all_of::<EventDocument>(&self.events_index_name())?;
        out.sort_by_key(|d| d.id);
        Ok(out)
    }

    fn all_of<T: DeserializeOwned + Send + Sync + 'static>(
        &self,
        name: &str,
    ) -> Result<Vec<T>, String> {
        let mut out = vec![];
        loop {
            let index = self.client.index(name);
            let mut query = meilisearch_sdk::documents::DocumentsQuery::new(&index);
            query.with_offset(out.len()).with_limit(1000);
            let page: Vec<T> = block_on(query.execute::<T>()).map_err(describe)?.results;
            let done = page.len() < 1000;
            out.extend(page);
            if done {
                break;
            }
        }
        Ok(out)
    }

    /// Every post document's id.
    pub fn ids(&self) -> Result<Vec<i64>, String> {
        self.ids_of(&self.index)
    }

    /// Every event document's id.
    pub fn event_ids(&self) -> Result<Vec<i64>, String> {
        self.ids_of(&self.events_index_name())
    }

    fn ids_of(&self, name: &str) -> Result<Vec<i64>, String> {
        let mut out: Vec<i64> = vec![];
        loop {
            let index = self.client.index(name);
            let mut query = meilisearch_sdk::documents::DocumentsQuery::new(&index);
            query
                .with_offset(out.len())
                .with_limit(10_000)
                .with_fields(["id"]);
            let page: Vec<IdOnly> = block_on(query.execute::<IdOnly>())
                .map_err(describe)?
                .results;
            let done = page.len() < 10_000;
            out.extend(page.into_iter().map(|d| d.id));
            if done {
                break;
            }
        }
        Ok(out)
    }

    /// The version Meilisearch reports (`1.x.y`).
    pub fn version(&self) -> Result<String, String> {
        Ok(block_on(self.client.get_version())
            .map_err(describe)?
            .pkg_version)
    }

    /// The matching posts: `groups` as the analyzer made them, `filter` as for the database
    /// engine (the reader's categories included), a page of `limit` from `offset`.
    pub fn matching(
        &self,
        groups: &[Vec<Term>],
        filter: &Filter,
        limit: i64,
        offset: i64,
    ) -> Result<Found, String> {
        if groups.is_empty() || filter.categories.is_empty() {
            return Ok(Found::default());
        }
        let words = query_words(groups);
        let condition = condition(filter);
        let sort: &[&str] = match filter.sort {
            Sort::Relevance => &[],
            Sort::Newest => &["created_at:desc", "id:desc"],
            Sort::Reactions => &["likes:desc", "id:asc"],
        };
        let index = self.client.index(&self.index);
        let mut query = index.search();
        query
            .with_query(&words)
            .with_filter(&condition)
            .with_offset(usize::try_from(offset).unwrap_or(0))
            .with_limit(usize::try_from(limit).unwrap_or(0))
            .with_matching_strategy(MatchingStrategies::ALL)
            .with_facets(Selectors::Some(&["category_id", "kind", "solved"]))
            .with_attributes_to_retrieve(Selectors::Some(&["id"]));
        if !sort.is_empty() {
            query.with_sort(sort);
        }
        let results = block_on(query.execute::<IdOnly>()).map_err(describe)?;
        let facets = results.facet_distribution.unwrap_or_default();
        let bucket = |name: &str| -> Vec<(i64, i64)> {
            let mut out: Vec<(i64, i64)> = facets
                .get(name)
                .map(|values| {
                    values
                        .iter()
                        .filter_map(|(k, n)| {
                            let key = match k.as_str() {
                                "true" => 1,
                                "false" => 0,
                                other => other.parse().ok()?,
                            };
                            Some((key, i64::try_from(*n).unwrap_or(i64::MAX)))
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.sort();
            out
        };
        let by_solved = bucket("solved");
        Ok(Found {
            ids: results.hits.into_iter().map(|h| h.result.id).collect(),
            // Every match is solved or not: the facet's counts are exact, unlike the
            // estimated total of an offset search.
            total: by_solved.iter().map(|(_, n)| n).sum(),
            by_category: bucket("category_id"),
            by_kind: bucket("kind"),
            by_solved,
            capped: false,
        })
    }

    /// The events in `categories` whose title or description match every group of `groups`
    /// (typos allowed): the cancelled last, title matches first; at most `limit` ids.
    pub fn events(
        &self,
        groups: &[Vec<Term>],
        categories: &[i64],
        limit: i64,
    ) -> Result<Vec<i64>, String> {
        if groups.is_empty() || categories.is_empty() {
            return Ok(vec![]);
        }
        let words = query_words(groups);
        let condition = format!("category_id IN [{}]", join(categories));
        let index = self.client.index(self.events_index_name());
        let mut query = index.search();
        query
            .with_query(&words)
            .with_filter(&condition)
            .with_limit(usize::try_from(limit).unwrap_or(0))
            .with_matching_strategy(MatchingStrategies::ALL)
            .with_sort(&["state:asc"])
            .with_attributes_to_retrieve(Selectors::Some(&["id"]));
        let results = block_on(query.execute::<IdOnly>()).map_err(describe)?;
        Ok(results.hits.into_iter().map(|h| h.result.id).collect())
    }

    /// Threads' first posts whose titles share words with `groups`, solved first, at most
    /// `limit`.
    pub fn similar(
        &self,
        groups: &[Vec<Term>],
        categories: &[i64],
        limit: i64,
    ) -> Result<Vec<i64>, String> {
        if groups.is_empty() || categories.is_empty() {
            return Ok(vec![]);
        }
        let words = query_words(groups);
        let condition = format!(
            "visible = true AND number = 1 AND category_id IN [{}]",
            join(categories)
        );
        let index = self.client.index(&self.index);
        let mut query = index.search();
        query
            .with_query(&words)
            .with_filter(&condition)
            .with_limit(20)
            .with_matching_strategy(MatchingStrategies::LAST)
            .with_attributes_to_search_on(&["title"])
            .with_attributes_to_retrieve(Selectors::Some(&["id", "solved"]));
        let results = block_on(query.execute::<IdSolved>()).map_err(describe)?;
        let mut hits: Vec<IdSolved> = results.hits.into_iter().map(|h| h.result).collect();
        // Stable: the closest first within solved, then within the rest.
        hits.sort_by_key(|h| !h.solved);
        Ok(hits
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(0))
            .map(|h| h.id)
            .collect())
    }
}

#[derive(Deserialize)]
struct IdOnly {
    id: i64,
}

#[derive(Deserialize)]
struct IdSolved {
    id: i64,
    #[serde(default)]
    solved: bool,
}

fn join(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The filter expression: what the reader may see, and the search's filters.
fn condition(filter: &Filter) -> String {
    let mut parts = vec![
        "visible = true".to_string(),
        format!("category_id IN [{}]", join(&filter.categories)),
    ];
    if let Some(thread) = filter.thread {
        parts.push(format!("thread_id = {thread}"));
    }
    if let Some(author) = filter.author {
        parts.push(format!("author_id = {author}"));
    }
    if let Some(category) = filter.category {
        parts.push(format!("category_id = {category}"));
    }
    if let Some(kind) = filter.kind {
        parts.push(format!("kind = {kind}"));
    }
    if let Some(solved) = filter.solved {
        parts.push(format!("solved = {solved}"));
    }
    if filter.official {
        parts.push("has_official = true".into());
    }
    if let Some(from) = filter.from {
        parts.push(format!("created_at >= {}", from.and_utc().timestamp()));
    }
    if let Some(to) = filter.to {
        parts.push(format!("created_at < {}", to.and_utc().timestamp()));
    }
    parts.join(" AND ")
}

/// Reads a synonyms file: `word = ["other", "words"]` lines (TOML). Each side is turned into
/// the words a query sends, so "máquinas de café" is a synonym of "cafetera" however it is
/// written. Both directions are added.
pub fn parse_synonyms(text: &str) -> Result<HashMap<String, Vec<String>>, String> {
    let table: BTreeMap<String, Vec<String>> =
        toml::from_str(text).map_err(|e| format!("synonyms file: {}", e.message()))?;
    let canonical = |phrase: &str| query_words(&query_groups(phrase));
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (word, others) in table {
        let word = canonical(&word);
        if word.is_empty() {
            continue;
        }
        for other in others {
            let other = canonical(&other);
            if other.is_empty() || other == word {
                continue;
            }
            for (from, to) in [(&word, &other), (&other, &word)] {
                let list = out.entry(from.clone()).or_default();
                if !list.contains(to) {
                    list.push(to.clone());
                }
            }
        }
    }
    Ok(out)
}

pub(super) fn describe(error: MeiliError) -> String {
    format!("Meilisearch: {error}")
}

/// Runs an SDK future on this (blocking) thread. `Ureq` finishes each request before its
/// future returns; only waiting for a task sleeps, on a thread the SDK starts.
pub(super) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    futures_executor::block_on(future)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_sends_one_word_per_word_that_the_forms_share() {
        assert_eq!(query_words(&query_groups("descalcificación")), "descalcif");
        assert_eq!(query_words(&query_groups("la cafetera")), "cafeter");
        assert_eq!(query_words(&query_groups("de la")), "");
    }

    #[test]
    fn synonyms_go_both_ways_in_query_words() {
        let synonyms = parse_synonyms("cafetera = [\"máquina de café\"]").unwrap();
        assert_eq!(synonyms["cafeter"], vec!["maquin caf".to_string()]);
        assert_eq!(synonyms["maquin caf"], vec!["cafeter".to_string()]);
        assert!(parse_synonyms("cafetera = 3").is_err());
        let built_in = parse_synonyms(DEFAULT_SYNONYMS).unwrap();
        assert!(
            built_in.contains_key("garant") || built_in.len() > 10,
            "{built_in:?}"
        );
    }

    #[test]
    fn the_filter_keeps_hidden_posts_and_other_categories_out() {
        let filter = Filter {
            categories: vec![1, 2],
            thread: None,
            author: Some(7),
            category: None,
            kind: None,
            solved: Some(false),
            official: true,
            from: None,
            to: None,
            sort: Sort::Relevance,
        };
        assert_eq!(
            condition(&filter),
            "visible = true AND category_id IN [1, 2] AND author_id = 7 AND solved = false \
             AND has_official = true"
        );
    }
}
