//! The SMTP server setting: `smtp://[user:password@]host[:port][?tls=…]` parsed once.

/// How to reach the SMTP server, parsed from `smtp_url`.
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub credentials: Option<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// Plain connection upgraded with STARTTLS (required).
    StartTls,
    /// TLS from the first byte (`smtps://`, usually port 465).
    Required,
    /// No encryption: only for a server on the same machine or network.
    None,
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(value) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl SmtpSettings {
    /// Parses `smtp://[user:password@]host[:port][?tls=starttls|required|none]` (or `smtps://`).
    pub fn parse(url: &str) -> Result<SmtpSettings, String> {
        let bad = |why: &str| {
            format!("smtp_url: {why} (expected smtp://user:password@host:587?tls=starttls)")
        };
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("missing scheme"))?;
        let mut tls = match scheme {
            "smtp" => Tls::StartTls,
            "smtps" => Tls::Required,
            _ => return Err(bad(&format!("unsupported scheme {scheme:?}"))),
        };
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = authority.trim_end_matches('/');
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                (Some((percent_decode(user), percent_decode(password))), host)
            }
            None => (None, authority),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| bad("bad port"))?),
            None => (host_port, if tls == Tls::Required { 465 } else { 587 }),
        };
        if host.is_empty() {
            return Err(bad("missing host"));
        }
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("tls", "starttls")) => tls = Tls::StartTls,
                Some(("tls", "required")) => tls = Tls::Required,
                Some(("tls", "none")) => tls = Tls::None,
                _ => return Err(bad(&format!("unknown option {pair:?}"))),
            }
        }
        Ok(SmtpSettings {
            host: host.to_string(),
            port,
            tls,
            credentials,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_parse() {
        let s = SmtpSettings::parse("smtp://ana%40x.com:p%3Ass@mail.example.com:2525?tls=none")
            .unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.tls),
            ("mail.example.com", 2525, Tls::None)
        );
        assert_eq!(s.credentials, Some(("ana@x.com".into(), "p:ss".into())));
        let s = SmtpSettings::parse("smtps://mail.example.com").unwrap();
        assert_eq!((s.port, s.tls), (465, Tls::Required));
        assert_eq!(SmtpSettings::parse("smtp://h").unwrap().port, 587);
        assert!(SmtpSettings::parse("http://h").is_err());
        assert!(SmtpSettings::parse("smtp://h?tls=maybe").is_err());
        assert!(SmtpSettings::parse("smtp://:25").is_err());
    }
}
