//! What `tertulia bench run` leaves behind: the report (every operation's throughput,
//! latencies, CPU, SQL statements per request; the reads again at half rate; the ratios), written
//! as JSON and as the Markdown table the README quotes.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::run::OpResult;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub date: String,
    pub backend: String,
    /// The search engine: `database` or `meilisearch`.
    pub engine: String,
    pub size: String,
    pub posts: i64,
    pub cores: usize,
    pub concurrency: usize,
    pub seconds: u64,
    /// The server ran alone on CPU 0 and the driver on the others (`--pin`).
    #[serde(default)]
    pub pinned: bool,
    pub operations: Vec<OpResult>,
    /// The reads again, open loop at half their maximum throughput.
    pub at_half_rate: Vec<OpResult>,
    pub ratios: Value,
    pub server_peak_rss_mb: f64,
    pub server_rss_mb: f64,
    pub cold_start_ms: f64,
}

pub(super) fn write_report(dir: &Path, report: &Report) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut stem = match report.engine.as_str() {
        "database" => format!("{}-{}-{}", report.date, report.backend, report.size),
        engine => format!(
            "{}-{}-{}-{engine}",
            report.date, report.backend, report.size
        ),
    };
    if report.pinned {
        stem.push_str("-pinned");
    }
    let json = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(format!("{stem}.json")), json).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(format!("{stem}.md")), markdown(report)).map_err(|e| e.to_string())?;
    Ok(())
}

/// The short table for reviews and the README.
pub fn markdown(report: &Report) -> String {
    let mut text = format!(
        "### {} · {} · search on {} · size {} ({} posts) · {} cores{} · concurrency {} · {} s per operation\n\n\
         | operation | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | CPU ms/req | SQL/req |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        report.date, report.backend, report.engine, report.size, report.posts, report.cores,
        if report.pinned { " (server pinned to CPU 0, driver on the others)" } else { "" },
        report.concurrency, report.seconds
    );
    for op in &report.operations {
        text.push_str(&format!(
            "| {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {:.2} | {:.1} |\n",
            op.name,
            op.throughput_rps,
            op.p50_ms,
            op.p90_ms,
            op.p99_ms,
            op.max_ms,
            op.errors,
            op.cpu_ms_per_request,
            op.sql_per_request
        ));
    }
    text.push_str("\nReads again, open loop at half their maximum rate (latency counted from each request's due time):\n\n| operation | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for op in &report.at_half_rate {
        text.push_str(&format!(
            "| {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} |\n",
            op.name, op.throughput_rps, op.p50_ms, op.p90_ms, op.p99_ms, op.max_ms, op.errors
        ));
    }
    text.push_str(&format!(
        "\nRatios: thread_page / plaintext = {:.3}, thread_page / fortunes = {:.3}, thread_page_member / fortunes = {:.3}, CPU per request HTML / JSON: thread {:.2}, latest {:.2}; deep page p99 / first page p99 = {:.2}, category deep p99 / first p99 = {:.2}. \
         Server RSS: peak {:.0} MB, at the end {:.0} MB. Cold start {:.0} ms.\n",
        report.ratios["thread_page_over_plaintext"].as_f64().unwrap_or(0.0),
        report.ratios["thread_page_over_fortunes"].as_f64().unwrap_or(0.0),
        report.ratios["thread_page_member_over_fortunes"].as_f64().unwrap_or(0.0),
        report.ratios["thread_html_over_json_cpu"].as_f64().unwrap_or(0.0),
        report.ratios["latest_html_over_json_cpu"].as_f64().unwrap_or(0.0),
        report.ratios["deep_page_p99_over_first_page_p99"].as_f64().unwrap_or(0.0),
        report.ratios["category_deep_p99_over_first_p99"].as_f64().unwrap_or(0.0),
        report.server_peak_rss_mb,
        report.server_rss_mb,
        report.cold_start_ms,
    ));
    text
}
