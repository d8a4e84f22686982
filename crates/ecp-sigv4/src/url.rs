//! A minimal, strict parser for the absolute `http(s)` URLs of captive-portal redirects.

use crate::Error;

/// The parts of an absolute URL, borrowed from it. Nothing is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Url<'a> {
    /// `http` or `https` (lowercase).
    pub scheme: &'a str,
    /// The host as written (an IPv6 literal keeps its brackets).
    pub host: &'a str,
    /// The port, when written.
    pub port: Option<u16>,
    /// The path as written (may be empty).
    pub path: &'a str,
    /// The raw query, without `?` and up to `#`.
    pub query: &'a str,
}

fn bad(reason: &'static str) -> Error {
    Error::InvalidUrl { reason }
}

impl<'a> Url<'a> {
    /// Parses `scheme://host[:port][/path][?query][#fragment]`.
    pub fn parse(url: &'a str) -> Result<Self, Error> {
        let colon = url.find(':').ok_or_else(|| bad("no scheme"))?;
        let (scheme, rest) = url
            .get(..colon)
            .zip(url.get(colon + 1..).and_then(|r| r.strip_prefix("//")))
            .ok_or_else(|| bad("no scheme"))?;
        let scheme = match scheme {
            s if s.eq_ignore_ascii_case("https") => "https",
            s if s.eq_ignore_ascii_case("http") => "http",
            _ => return Err(bad("scheme is not http or https")),
        };
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        // No control characters or spaces: a branch-free pass the compiler vectorizes
        // (a byte loop with an early exit cost as much as hashing the URL in
        // `--bench ecp_interleaved`).
        if rest.bytes().fold(false, |bad, c| bad | (c <= b' ') | (c == 0x7f)) {
            return Err(bad("control character or space in URL"));
        }
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = match before_query.find('/') {
            Some(i) => before_query
                .split_at_checked(i)
                .ok_or_else(|| bad("invalid URL"))?,
            None => (before_query, ""),
        };
        if authority.bytes().any(|c| c == b'@') {
            return Err(bad("user information is not allowed"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (inner, after) = v6.split_once(']').ok_or_else(|| bad("unclosed IPv6 literal"))?;
            if inner.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(bad("invalid IPv6 literal"));
            }
            let host = authority
                .get(..inner.len() + 2)
                .ok_or_else(|| bad("invalid IPv6 literal"))?;
            match after {
                "" => (host, None),
                p => (
                    host,
                    Some(parse_port(
                        p.strip_prefix(':')
                            .ok_or_else(|| bad("junk after IPv6 literal"))?,
                    )?),
                ),
            }
        } else {
            match authority.bytes().position(|c| c == b':') {
                Some(i) => (
                    authority.get(..i).unwrap_or_default(),
                    Some(parse_port(authority.get(i + 1..).unwrap_or_default())?),
                ),
                None => (authority, None),
            }
        };
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'[' | b']' | b':'));
        if !host_ok {
            return Err(bad("invalid host"));
        }
        Ok(Self {
            scheme,
            host,
            port,
            path,
            query,
        })
    }

    /// The port, or the scheme's default.
    #[must_use]
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.scheme == "https" { 443 } else { 80 })
    }
}

/// A port as written: decimal digits for a value in 1..=65535 (port 0 reaches no
/// server: a URL naming it is refused, not sent to the default port).
fn parse_port(p: &str) -> Result<u16, Error> {
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("invalid port"));
    }
    match p.parse() {
        Ok(0) => Err(bad(PORT_ZERO)),
        Ok(port) => Ok(port),
        Err(_) => Err(bad("invalid port")),
    }
}

/// Why a URL or approval naming port 0 is refused.
pub(crate) const PORT_ZERO: &str = "port 0 is not a usable port";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_we_meet() {
        let u = Url::parse("https://10.10.21.6/ext_approval.php?a=b&c=d#frag").unwrap();
        assert_eq!(
            (u.scheme, u.host, u.port, u.path, u.query),
            ("https", "10.10.21.6", None, "/ext_approval.php", "a=b&c=d")
        );
        let u = Url::parse("HTTP://Portal.Example:8080").unwrap();
        assert_eq!(
            (u.scheme, u.host, u.port, u.path, u.query),
            ("http", "Portal.Example", Some(8080), "", "")
        );
        let u = Url::parse("https://[2001:db8::1]:8443/p?x").unwrap();
        assert_eq!(
            (u.host, u.port, u.effective_port()),
            ("[2001:db8::1]", Some(8443), 8443)
        );
        for bad in [
            "ftp://x/",
            "//x/",
            "https://",
            "https://u@x/",
            "https://x:/",
            "https://x:99999/",
            "https://x:0/",
            "https://x:00/",
            "https://[::1]:0/",
            "https://x:8a/",
            "https://[::1/",
            "https://[zz]/",
            "https://x y/",
            "https://x/a b",
            "https://[::1]x/",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn port_zero_is_refused_by_name() {
        for url in ["https://x:0/", "http://x:00000/p", "https://[::1]:0"] {
            assert_eq!(
                Url::parse(url),
                Err(Error::InvalidUrl { reason: PORT_ZERO }),
                "{url}"
            );
        }
        assert_eq!(Url::parse("https://x:1/").map(|u| u.port), Ok(Some(1)));
        assert_eq!(Url::parse("https://x:65535/").map(|u| u.port), Ok(Some(65535)));
    }
}
