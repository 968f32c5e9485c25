//! The app's session with its portal: where the portal is, the token, and
//! what the portal said about the user and the placement (fact sheet §4.2,
//! §8.2). Built from `getInitData`'s answer, which is loose about types:
//! numbers and booleans may come as strings, empty maps as `[]`.

use std::fmt;

use serde_json::{Map, Value};
use thiserror::Error;

use crate::domain::wire::errors::loose_f64;

/// A portal host as `host` or `host:port`, validated: no scheme, path,
/// credentials, spaces or other characters a URL could be bent with.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Host(String);

/// Why a host was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("the portal address \"{0}\" is not a plain host name")]
pub struct BadHost(pub String);

impl Host {
    /// Validates `host[:port]`; a default port (`:80`, `:443`) is dropped as
    /// the SDKs do (§4.2).
    pub fn parse(raw: &str) -> Result<Host, BadHost> {
        let bad = || BadHost(raw.chars().take(80).collect());
        let (name, port) = match raw.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (raw, None),
        };
        let name_ok = !name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !name_ok {
            return Err(bad());
        }
        let name = name.to_ascii_lowercase();
        match port {
            None => Ok(Host(name)),
            Some(p) => {
                let n: u16 = p
                    .parse()
                    .ok()
                    .filter(|n| *n > 0 && p.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(bad)?;
                if n == 80 || n == 443 {
                    Ok(Host(name))
                } else {
                    Ok(Host(format!("{name}:{n}")))
                }
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Host({})", self.0)
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where the portal is: its host, scheme and REST path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portal {
    pub host: Host,
    pub https: bool,
    /// The REST path, `/rest` unless the portal says otherwise.
    pub rest_path: String,
}

impl Portal {
    /// `http(s)://host[:port]`: the only origin the app talks to.
    pub fn origin(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.host)
    }

    /// `{origin}{path}/{method}.json` (§4.4). Method names are ASCII
    /// identifiers with dots; anything else is refused by the caller's types.
    pub fn method_url(&self, method: &str) -> String {
        format!("{}{}/{method}.json", self.origin(), self.rest_path)
    }
}

/// An OAuth access token. It never appears in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The token itself, for the `auth` field of a REST call and nothing else.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

/// A token and the absolute time (Unix ms) it expires.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub token: AccessToken,
    pub expires_at_ms: f64,
}

/// How long before its expiry the app renews its token: a minute, as
/// b24jssdk does, so no request ever goes out with a token about to lapse.
pub const REFRESH_LEAD_MS: f64 = 60_000.0;

/// The shortest wait before a planned renewal. A portal announcing a tiny
/// lifetime (or a clock that jumped) must not make the app ask it for
/// tokens in a tight loop; the on-`expired_token` refresh covers the rest.
pub const MIN_REFRESH_DELAY_MS: f64 = 5_000.0;

/// How long to wait before trying again after a planned renewal failed:
/// the portal page is given time to recover instead of being asked again
/// at once.
pub const REFRESH_RETRY_MS: f64 = 60_000.0;

impl Credentials {
    /// Milliseconds from `now_ms` until the token should be renewed:
    /// [`REFRESH_LEAD_MS`] before it expires, or halfway through what is
    /// left when that is less than twice the lead (a 20 s token is renewed
    /// after 10 s), and never sooner than [`MIN_REFRESH_DELAY_MS`]. A
    /// token with no usable expiry (not yet known, NaN) is renewed after
    /// the minimum delay.
    pub fn refresh_delay_ms(&self, now_ms: f64) -> u32 {
        let left = self.expires_at_ms - now_ms;
        let delay = if !left.is_finite() {
            MIN_REFRESH_DELAY_MS
        } else if left > 2.0 * REFRESH_LEAD_MS {
            left - REFRESH_LEAD_MS
        } else {
            left / 2.0
        };
        // `as` saturates; browsers treat timers above i32::MAX ms as 0.
        delay.clamp(MIN_REFRESH_DELAY_MS, f64::from(i32::MAX)) as u32
    }
}

/// Everything `getInitData` told the app.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub portal: Portal,
    pub credentials: Credentials,
    pub lang: String,
    pub is_admin: bool,
    /// The app was opened as its own installer (§7.1).
    pub install: bool,
    pub first_run: bool,
    pub member_id: String,
    pub placement: String,
    pub placement_options: Map<String, Value>,
    pub user_options: Map<String, Value>,
    pub app_options: Map<String, Value>,
}

/// Why the init data could not be used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SessionError {
    #[error("the portal's answer is not an object")]
    NotAnObject,
    #[error("the portal's answer has no access token (AUTH_ID)")]
    NoToken,
    #[error(transparent)]
    BadHost(#[from] BadHost),
    #[error("the portal says it is {said}, but the app was opened by {expected}")]
    DomainMismatch { said: String, expected: String },
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A loose boolean: `true`, `1`, `"1"`, `"Y"`, `"true"`.
pub fn loose_bool(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => matches!(s.to_ascii_lowercase().as_str(), "1" | "y" | "true"),
        _ => false,
    }
}

/// A loose map: an object, `[]` (PHP's empty array), a JSON string holding
/// an object, or nothing.
pub fn loose_map(v: Option<&Value>) -> Map<String, Value> {
    match v {
        Some(Value::Object(m)) => m.clone(),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        },
        _ => Map::new(),
    }
}

impl Session {
    /// Reads the answer to `getInitData` for the portal named in
    /// `window.name` (`expected`, `https`). `now_ms` turns the token's
    /// lifetime (`AUTH_EXPIRES`, seconds, string or number) into an instant.
    pub fn from_init_data(
        data: &Value,
        expected: &Host,
        https: bool,
        now_ms: f64,
    ) -> Result<Session, SessionError> {
        let obj = data.as_object().ok_or(SessionError::NotAnObject)?;
        let token = text(obj.get("AUTH_ID"))
            .filter(|t| !t.is_empty())
            .ok_or(SessionError::NoToken)?;
        // The token goes only to the portal that opened the app (§4.2).
        if let Some(said) = text(obj.get("DOMAIN")).filter(|d| !d.is_empty()) {
            let host = Host::parse(&said)?;
            if &host != expected {
                return Err(SessionError::DomainMismatch {
                    said: host.to_string(),
                    expected: expected.to_string(),
                });
            }
        }
        let lifetime_s = obj
            .get("AUTH_EXPIRES")
            .and_then(loose_f64)
            .filter(|s| *s > 0.0)
            .unwrap_or(3600.0);
        let rest_path = text(obj.get("PATH"))
            .filter(|p| p.starts_with('/') && !p.contains("//") && !p.contains(['?', '#', '\\']))
            .map(|p| p.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| "/rest".to_owned());
        Ok(Session {
            portal: Portal {
                host: expected.clone(),
                https,
                rest_path,
            },
            credentials: Credentials {
                token: AccessToken::new(token),
                expires_at_ms: now_ms + lifetime_s * 1000.0,
            },
            lang: text(obj.get("LANG")).unwrap_or_else(|| "en".to_owned()),
            is_admin: loose_bool(obj.get("IS_ADMIN")),
            install: loose_bool(obj.get("INSTALL")),
            first_run: loose_bool(obj.get("FIRST_RUN")),
            member_id: text(obj.get("MEMBER_ID")).unwrap_or_default(),
            placement: text(obj.get("PLACEMENT")).unwrap_or_else(|| "DEFAULT".to_owned()),
            placement_options: loose_map(obj.get("PLACEMENT_OPTIONS")),
            user_options: loose_map(obj.get("USER_OPTIONS")),
            app_options: loose_map(obj.get("APP_OPTIONS")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_plain_hosts_and_drops_default_ports() {
        assert_eq!(
            Host::parse("Portal.Bitrix24.de").map(|h| h.0),
            Ok("portal.bitrix24.de".into())
        );
        assert_eq!(
            Host::parse("127.0.0.1:8080").map(|h| h.0),
            Ok("127.0.0.1:8080".into())
        );
        assert_eq!(
            Host::parse("b24.example.com:443").map(|h| h.0),
            Ok("b24.example.com".into())
        );
        assert_eq!(
            Host::parse("XN--80ASWG.xn--p1ai").map(|h| h.0),
            Ok("xn--80aswg.xn--p1ai".into()),
            "punycode, as the portal's Host header carries it"
        );
    }

    #[test]
    fn refuses_anything_that_is_not_a_bare_host() {
        for bad in [
            "",
            "https://portal.bitrix24.de",
            "portal.bitrix24.de/rest",
            "user:pass@portal.bitrix24.de",
            "portal.bitrix24.de:0",
            "portal.bitrix24.de:99999",
            "portal.bitrix24.de:80x",
            "evil.com#.bitrix24.de",
            "port al.de",
            "-bad.de",
            "a..b",
            "<script>",
            // IDN: browsers and the portal's Host header use punycode.
            "портал.рф",
            "portal.de.",
            "portal_x.de",
            "[::1]:8080",
            "portal.de:+80",
            "portal.de:8080:1",
            "portal.de%2f",
            "portal.de\t",
            "portal.de\\evil.com",
            "portal.de?x=1",
            "portal.de@evil.com",
        ] {
            assert!(Host::parse(bad).is_err(), "{bad}");
        }
    }

    fn host() -> Host {
        Host::parse("127.0.0.1:8080").expect("host")
    }

    #[test]
    fn reads_init_data_with_php_types() {
        let data = json!({
            "LANG": "ru", "DOMAIN": "127.0.0.1:8080", "PROTOCOL": 0, "PATH": "/rest",
            "AUTH_ID": "tok", "AUTH_EXPIRES": "3600", "REFRESH_ID": "r", "MEMBER_ID": "m",
            "FIRST_RUN": true, "IS_ADMIN": true, "INSTALL": false,
            "USER_OPTIONS": [], "APP_OPTIONS": {"a": "1"}, "PLACEMENT": "DEFAULT",
            "PLACEMENT_OPTIONS": "{\"x\":\"y\"}"
        });
        let s = Session::from_init_data(&data, &host(), false, 1_000.0).expect("session");
        assert_eq!(
            s.portal.method_url("bizproc.workflow.instances"),
            "http://127.0.0.1:8080/rest/bizproc.workflow.instances.json"
        );
        assert_eq!(s.credentials.token.secret(), "tok");
        assert_eq!(s.credentials.expires_at_ms, 3_601_000.0);
        assert_eq!(s.lang, "ru");
        assert!(s.is_admin && s.first_run && !s.install);
        assert!(s.user_options.is_empty());
        assert_eq!(s.app_options["a"], json!("1"));
        assert_eq!(s.placement_options["x"], json!("y"));
    }

    #[test]
    fn tolerates_missing_and_odd_fields() {
        let data =
            json!({"AUTH_ID": "t", "AUTH_EXPIRES": 60, "IS_ADMIN": "Y", "PATH": "//evil.com"});
        let s = Session::from_init_data(&data, &host(), true, 0.0).expect("session");
        assert_eq!(s.credentials.expires_at_ms, 60_000.0);
        assert!(s.is_admin);
        assert_eq!(
            s.portal.rest_path, "/rest",
            "a path that leaves the portal is ignored"
        );
        assert_eq!(s.portal.origin(), "https://127.0.0.1:8080");
        assert_eq!(s.placement, "DEFAULT");
    }

    #[test]
    fn refuses_answers_without_token_or_for_another_portal() {
        assert_eq!(
            Session::from_init_data(&json!([]), &host(), false, 0.0),
            Err(SessionError::NotAnObject)
        );
        assert_eq!(
            Session::from_init_data(&json!({"AUTH_ID": ""}), &host(), false, 0.0),
            Err(SessionError::NoToken)
        );
        assert!(matches!(
            Session::from_init_data(
                &json!({"AUTH_ID": "t", "DOMAIN": "evil.example"}),
                &host(),
                false,
                0.0
            ),
            Err(SessionError::DomainMismatch { .. })
        ));
        assert!(matches!(
            Session::from_init_data(
                &json!({"AUTH_ID": "t", "DOMAIN": "https://evil.example/x"}),
                &host(),
                false,
                0.0
            ),
            Err(SessionError::BadHost(_))
        ));
    }

    fn expiring_in(left_ms: f64) -> Credentials {
        Credentials {
            token: AccessToken::new("t"),
            expires_at_ms: 1_000_000.0 + left_ms,
        }
    }

    #[test]
    fn renews_a_minute_before_a_long_lived_token_expires() {
        // An hour's token (§4.1): renewed after 59 minutes.
        assert_eq!(
            expiring_in(3_600_000.0).refresh_delay_ms(1_000_000.0),
            3_540_000
        );
        assert_eq!(expiring_in(120_001.0).refresh_delay_ms(1_000_000.0), 60_001);
    }

    #[test]
    fn renews_a_short_lived_token_halfway() {
        // Twice the lead or less: half of what is left.
        assert_eq!(expiring_in(120_000.0).refresh_delay_ms(1_000_000.0), 60_000);
        assert_eq!(expiring_in(20_000.0).refresh_delay_ms(1_000_000.0), 10_000);
    }

    #[test]
    fn never_plans_a_renewal_sooner_than_the_minimum() {
        for left in [9_999.0, 1_000.0, 0.0, -5_000.0, -1e15] {
            assert_eq!(
                expiring_in(left).refresh_delay_ms(1_000_000.0),
                MIN_REFRESH_DELAY_MS as u32,
                "{left}"
            );
        }
        let unknown = Credentials {
            token: AccessToken::new(""),
            expires_at_ms: f64::NAN,
        };
        assert_eq!(unknown.refresh_delay_ms(0.0), MIN_REFRESH_DELAY_MS as u32);
    }

    #[test]
    fn a_far_expiry_is_capped_to_what_a_browser_timer_takes() {
        assert_eq!(
            expiring_in(1e18).refresh_delay_ms(1_000_000.0),
            i32::MAX as u32
        );
        assert_eq!(
            expiring_in(f64::INFINITY).refresh_delay_ms(1_000_000.0),
            MIN_REFRESH_DELAY_MS as u32,
            "an infinite expiry is not a usable one"
        );
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let c = Credentials {
            token: AccessToken::new("secret-token"),
            expires_at_ms: 0.0,
        };
        assert!(!format!("{c:?}").contains("secret-token"));
    }
}
