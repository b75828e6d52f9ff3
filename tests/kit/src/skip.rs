//! Skips that show. A test that cannot run here (no PostgreSQL, SMTP server or browser) calls
//! `skip`: in CI that is a failure; elsewhere it warns and appends a line to the skip log, which
//! `scripts/test` prints as "N skipped: …" after `cargo test`, so a skipped test that libtest
//! reports as `ok` does not pass unnoticed.
//!
//! Only the standard library, in the small `tertulia-test-kit` crate that the server's CLI tests share.

use std::io::Write;
use std::path::PathBuf;

/// Any non-empty `CI` variable means CI (`true`, `1`, `yes`… as CI systems set it).
pub fn is_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// `TERTULIA_SKIP_LOG` (set by `scripts/test`), or `tertulia-test-skips.log` in the target folder
/// that holds this test binary (`<target>/debug/deps/<binary>`).
pub fn log_path() -> PathBuf {
    if let Some(path) = std::env::var_os("TERTULIA_SKIP_LOG").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(std::env::temp_dir);
    target.join("tertulia-test-skips.log")
}

/// Records that the running test is skipped because `why`; panics in CI.
pub fn skip(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("<unnamed test>");
    if is_ci() {
        panic!("{test}: {why}, and CI is set: this test must run in CI");
    }
    eprintln!("\n!!! WARNING: {test} is SKIPPED: {why} !!!\n");
    let line = format!("{test}: {why}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path())
        .and_then(|mut file| file.write_all(line.as_bytes()));
    if let Err(e) = written {
        eprintln!(
            "(could not record the skip in {}: {e})",
            log_path().display()
        );
    }
}

/// Records that the running test is skipped because `why`, for a part that CI does not have
/// either (a Meilisearch server): a loud warning and a line in the optional-skip log
/// (`TERTULIA_OPTIONAL_SKIP_LOG`, which `scripts/test` prints), never a failure, not even in CI.
pub fn optional(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("<unnamed test>");
    eprintln!("\n!!! WARNING: {test} is SKIPPED: {why} !!!\n");
    let path = std::env::var_os("TERTULIA_OPTIONAL_SKIP_LOG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| log_path().with_extension("optional.log"));
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(format!("{test}: {why}\n").as_bytes()));
}
