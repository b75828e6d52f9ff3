//! Reading iCalendar files with a real parser: Python's `icalendar` (from PyPI, installed by
//! `scripts/setup`), so the tests check what calendar clients will read, not strings. Without
//! it the test skips visibly (see `skip`), and fails in CI.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Parses `ics` and returns its events: `uid`, `summary`, `sequence`, `status`, `start` and
/// `end` (UTC, RFC 3339), `start_in` (the start on the clock of `zone`, `YYYY-MM-DD HH:MM`),
/// `location`, `description`, and the calendar's `name`. `None` (a recorded skip) without
/// the parser.
pub fn parse(ics: &str, zone: &str) -> Option<Value> {
    let available = Command::new("python3")
        .args(["-c", "import icalendar"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        crate::skip::skip("python3 with icalendar is not available (scripts/setup installs it)");
        return None;
    }
    const SCRIPT: &str = r#"
import json, sys
from datetime import timezone
from zoneinfo import ZoneInfo
import icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
zone = ZoneInfo(sys.argv[1])
events = []
for e in cal.walk("VEVENT"):
    start = e.decoded("DTSTART")
    end = e.decoded("DTEND")
    events.append({
        "uid": str(e.get("UID")),
        "summary": str(e.get("SUMMARY")),
        "sequence": int(e.get("SEQUENCE", 0)),
        "status": str(e.get("STATUS", "")),
        "start": start.astimezone(timezone.utc).isoformat(),
        "end": end.astimezone(timezone.utc).isoformat(),
        "start_in": start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "location": str(e.get("LOCATION", "")),
        "description": str(e.get("DESCRIPTION", "")),
    })
print(json.dumps({"name": str(cal.get("X-WR-CALNAME", "")), "events": events}))
"#;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT, zone])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(ics.as_bytes())
        .expect("writing the calendar");
    let out = child.wait_with_output().expect("python3 ends");
    assert!(
        out.status.success(),
        "icalendar could not read the file: {}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("the script's JSON"))
}
