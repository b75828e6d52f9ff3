//! A real SMTP server process for the mail tests: aiosmtpd (Python) on a loopback port, saving
//! every message it accepts into a Maildir. It can be stopped and started again on the same
//! port to simulate an outage. Without aiosmtpd the tests skip visibly (see `skip`), and fail in CI.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpSink {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Option<Child>,
}

fn available() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

impl SmtpSink {
    /// Starts the server, or `None` (a recorded skip) when aiosmtpd is missing outside CI.
    pub fn start() -> Option<SmtpSink> {
        if !available() {
            crate::skip::skip("python3 -m aiosmtpd is not available (scripts/setup installs it)");
            return None;
        }
        let maildir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let mut sink = SmtpSink {
            port: free_port(),
            maildir,
            child: None,
        };
        sink.resume();
        Some(sink)
    }

    /// `smtp://127.0.0.1:<port>?tls=none`
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Stops accepting mail (connections are refused), as in an outage.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts (again) on the same port and waits until it accepts connections.
    pub fn resume(&mut self) {
        let box_path = self.maildir.path().join("box");
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{}", self.port),
            ])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&box_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start aiosmtpd: {e}"));
        self.child = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn message_files(&self) -> Vec<PathBuf> {
        let mut files = vec![];
        for folder in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.path().join("box").join(folder)) {
                files.extend(entries.flatten().map(|e| e.path()));
            }
        }
        files.sort();
        files
    }

    /// Every message received so far, decoded (quoted-printable undone).
    pub fn messages(&self) -> Vec<String> {
        self.message_files()
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .map(|raw| crate::decode_mail(&raw))
            .collect()
    }

    /// Waits (up to 15 s) until `count` messages satisfy `matches`; returns them.
    pub fn wait_for(&self, count: usize, matches: impl Fn(&str) -> bool) -> Vec<String> {
        let started = Instant::now();
        loop {
            let found: Vec<String> = self.messages().into_iter().filter(|m| matches(m)).collect();
            if found.len() >= count {
                return found;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "expected {count} matching messages, got {}: {:?}",
                found.len(),
                self.messages()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn maildir(&self) -> &Path {
        self.maildir.path()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The value of a header of a message (first occurrence), unfolded and with RFC 2047
/// encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded.
pub fn header(message: &str, name: &str) -> Option<String> {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    let mut lines = message
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .peekable();
    while let Some(line) = lines.next() {
        if !line.to_ascii_lowercase().starts_with(&prefix) {
            continue;
        }
        let mut value = line[prefix.len()..].trim().to_string();
        while let Some(next) = lines.peek() {
            if next.starts_with(' ') || next.starts_with('\t') {
                value.push(' ');
                value.push_str(next.trim());
                lines.next();
            } else {
                break;
            }
        }
        return Some(decode_words(&value));
    }
    None
}

fn decode_words(value: &str) -> String {
    use base64::Engine as _;
    let mut out = String::new();
    let mut rest = value;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let between = &rest[..start];
        // Whitespace between two encoded words is not part of the text.
        if !(last_was_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        let word = &rest[start + 2..];
        let parts: Vec<&str> = word.splitn(3, '?').collect();
        let Some(end) = parts.get(2).and_then(|p| p.find("?=")) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let (encoding, text) = (parts[1].to_ascii_lowercase(), &parts[2][..end]);
        let bytes = if encoding == "b" {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap_or_default()
        } else {
            crate::decode_mail(&format!("\n\n{}", text.replace('_', " ")))
                .trim_start()
                .as_bytes()
                .to_vec()
        };
        out.push_str(&String::from_utf8_lossy(&bytes));
        let consumed = start + 2 + parts[0].len() + 1 + parts[1].len() + 1 + end + 2;
        rest = &rest[consumed..];
        last_was_word = true;
    }
    out.push_str(rest);
    out
}
