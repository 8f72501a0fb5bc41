//! Who may talk to the preview: the `Host` a request names, and the
//! `Origin` of a page that opens the reload channel.
//!
//! The threat is DNS rebinding: a web page the user visits re-points its
//! own name at 127.0.0.1 and then reads the preview (pages, `handbook.json`,
//! the error snippets on the reload channel) as if it were its own site.
//! Such a request still names the attacker's host, so the name decides:
//! `localhost`, a loopback IP, or the address the server is bound to (any
//! IP literal when bound to all interfaces: an IP literal cannot be
//! rebound). Other names get 403.
//!
//! The port is only checked for being a port: forwarding (`ssh -L`, a
//! container's `-p 8080:3000`) changes it legitimately, and a rebinding
//! page cannot make its name `localhost` whatever the port. A request
//! without `Host` comes from a tool, not a browser (browsers always send
//! one), and is served.

use std::net::{IpAddr, Ipv6Addr};

/// True when `host` (a `Host` header value or a URL authority) names this
/// preview for a server bound to `bound`.
pub(crate) fn host_allowed(host: &str, bound: IpAddr) -> bool {
    let Some(name) = strip_port(host) else { return false };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        None => name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
    };
    ip.is_some_and(|ip| ip.is_loopback() || ip == bound || bound.is_unspecified())
}

/// True when an `Origin` header value is a page of this preview. `null`
/// (sandboxed frames, files) and anything that is not `http://` are not.
pub(crate) fn origin_allowed(origin: &str, bound: IpAddr) -> bool {
    origin.strip_prefix("http://").is_some_and(|authority| !authority.contains('/') && host_allowed(authority, bound))
}

/// The host part of `name[:port]` / `[v6][:port]`, or `None` when the port
/// is not a port or the text cannot be a host at all.
fn strip_port(host: &str) -> Option<&str> {
    let host = host.trim();
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')? + 1;
        let rest = &host[end..];
        (&host[..end], if rest.is_empty() { None } else { Some(rest.strip_prefix(':')?) })
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if let Some(port) = port {
        if port.is_empty()
            || port.len() > 5
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u16>().is_err()
        {
            return None;
        }
    }
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    #[test]
    fn loopback_names_are_allowed_with_or_without_a_port() {
        for ok in
            ["localhost:3000", "LOCALHOST", "127.0.0.1:3000", "127.0.0.1", "[::1]:3000", "[::1]", "127.0.0.2:8080"]
        {
            assert!(host_allowed(ok, LOOPBACK), "{ok}");
        }
    }

    #[test]
    fn other_names_and_broken_hosts_are_refused() {
        for bad in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example:3000",
            "localhost.:3000",
            "127.0.0.1.nip.io:3000",
            "10.0.0.5:3000",
            "localhost:3000:1",
            "localhost:99999",
            "localhost:",
            "localhost:+1",
            "[::1",
            "[::1]x",
            "",
            "0x7f.1:3000",
        ] {
            assert!(!host_allowed(bad, LOOPBACK), "{bad}");
        }
    }

    #[test]
    fn the_bound_address_and_any_ip_on_all_interfaces() {
        let lan: IpAddr = "192.168.1.5".parse().expect("ip");
        assert!(host_allowed("192.168.1.5:3000", lan));
        assert!(!host_allowed("192.168.1.6:3000", lan));
        let all = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        assert!(host_allowed("192.168.1.6:3000", all));
        assert!(!host_allowed("box.example:3000", all));
    }

    #[test]
    fn origins() {
        assert!(origin_allowed("http://localhost:3000", LOOPBACK));
        assert!(origin_allowed("http://127.0.0.1:3000", LOOPBACK));
        assert!(!origin_allowed("http://evil.example:3000", LOOPBACK));
        assert!(!origin_allowed("https://evil.example", LOOPBACK));
        assert!(!origin_allowed("null", LOOPBACK));
        assert!(!origin_allowed("http://localhost:3000/x", LOOPBACK));
    }
}
