//! The frame protocol with the parent portal page, as data (fact sheet §4.2):
//! what `window.name` says, the portal origin, the strings the app posts and
//! the replies it accepts. No I/O here; `portal` moves these strings.
//!
//! Wire formats:
//! - `window.name` = `host|proto|APP_SID`, proto `1` = https, `0` = http.
//! - child → parent: `command:JSON:callbackId:APP_SID`, always four
//!   segments as BX24 v1 sends them; params and callback may be empty. The
//!   parent takes the command from the front and the callback and SID from
//!   the end, so the JSON may contain `:`.
//! - parent → child: `callbackId:JSON`, split on the first `:`.

use std::fmt;
use std::time::Duration;

use serde_json::{json, Value};
use thiserror::Error;

use crate::domain::methods::session::{AccessToken, BadHost, Credentials, Host, SessionError};
use crate::domain::wire::errors::loose_f64;

/// Why the page is not inside a Bitrix24 frame: what was wrong with
/// `window.name`, which the portal sets to `host|proto|APP_SID` (§4.1).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NotInFrame {
    /// The window has no name at all: opened directly, not by a portal.
    #[error("the page has no frame name, so no Bitrix24 portal opened it")]
    NoName,
    /// The page is the top window, so there is no portal page around it.
    #[error("the page is not inside a frame")]
    NoParent,
    /// The name does not have exactly three `|`-separated parts.
    #[error("the frame name is not \"host|protocol|APP_SID\" ({segments} parts instead of 3)")]
    WrongShape {
        /// How many parts the name had.
        segments: usize,
    },
    /// The protocol part is neither `1` (https) nor `0` (http).
    #[error("the frame name's protocol flag is neither 1 (https) nor 0 (http)")]
    BadProtocol,
    /// The host part is not a plain `host[:port]`.
    #[error("the frame name's portal address is unusable: {0}")]
    BadHost(#[from] BadHost),
    /// The APP_SID part is empty, too long, or has characters that would
    /// break the message format.
    #[error("the frame name's APP_SID is empty or malformed")]
    BadSid,
}

/// The longest APP_SID accepted. Portals send `md5(…)`, 32 hex digits.
pub const MAX_SID_LEN: usize = 256;

/// The portal's per-render id of this app frame (`APP_SID`): the last
/// segment of every message to the parent, which drops messages without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSid(String);

impl AppSid {
    /// Accepts 1 to [`MAX_SID_LEN`] printable ASCII characters without `:`
    /// (the parent splits on `:` and takes the SID from the end) or `|`.
    pub fn parse(raw: &str) -> Result<AppSid, NotInFrame> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_SID_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b':' && b != b'|');
        if ok {
            Ok(AppSid(raw.to_owned()))
        } else {
            Err(NotInFrame::BadSid)
        }
    }

    /// The SID as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the portal wrote into `window.name`: which portal opened the app and
/// the frame's APP_SID. The only source of the origin the app talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameName {
    /// The portal host, `:80`/`:443` dropped, other ports kept.
    pub host: Host,
    /// Protocol flag `1`.
    pub https: bool,
    /// The frame's APP_SID.
    pub sid: AppSid,
}

impl FrameName {
    /// Parses `host|proto|APP_SID`. Anything else, including an empty name,
    /// means the page was not opened by a Bitrix24 portal.
    pub fn parse(window_name: &str) -> Result<FrameName, NotInFrame> {
        if window_name.is_empty() {
            return Err(NotInFrame::NoName);
        }
        let parts: Vec<&str> = window_name.splitn(4, '|').collect();
        let [host, proto, sid] = parts.as_slice() else {
            return Err(NotInFrame::WrongShape {
                segments: window_name.split('|').count(),
            });
        };
        // BX24 reads `parseInt(proto) === 1`; only the two values a portal
        // writes are accepted, so a stray name is not taken for a portal's.
        let https = match *proto {
            "1" => true,
            "0" => false,
            _ => return Err(NotInFrame::BadProtocol),
        };
        Ok(FrameName {
            host: Host::parse(host)?,
            https,
            sid: AppSid::parse(sid)?,
        })
    }

    /// `http(s)://host[:port]`: the only origin messages are posted to and
    /// accepted from. Browsers serialise origins the same way (lower case,
    /// default port omitted), so it compares equal to `MessageEvent.origin`.
    pub fn origin(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.host)
    }
}

/// The parent commands the app uses (§4.2). The wire name appears only here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// The handshake: token, portal and placement data.
    GetInitData,
    /// A new access token from the portal session.
    RefreshAuth,
    /// Sets the frame's size.
    ResizeWindow,
    /// Marks the first run done for this user.
    SetInstall,
    /// Ends the installation; the portal page then navigates.
    SetInstallFinish,
    /// Opens a portal path in a slider.
    OpenPath,
    /// Reloads the whole portal page.
    ReloadWindow,
    /// Keeps one of the admin's [`UserOption`]s in the portal.
    SetUserOption,
}

impl Command {
    /// The command's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Command::GetInitData => "getInitData",
            Command::RefreshAuth => "refreshAuth",
            Command::ResizeWindow => "resizeWindow",
            Command::SetInstall => "setInstall",
            Command::SetInstallFinish => "setInstallFinish",
            Command::OpenPath => "openPath",
            Command::ReloadWindow => "reloadWindow",
            Command::SetUserOption => "setUserOption",
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The longest callback id accepted in a reply.
pub const MAX_CALLBACK_ID_LEN: usize = 64;

/// The id that ties a parent reply to the request that asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallbackId(String);

impl CallbackId {
    /// Builds an id from a per-client sequence number (unique within the
    /// client) and 128 random bits (so another window cannot guess a
    /// pending id). The caller supplies both; nothing here reads a clock or
    /// a random source.
    pub fn new(seq: u64, random: u128) -> CallbackId {
        CallbackId(format!("wm{seq:x}_{random:032x}"))
    }

    /// The id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_callback_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_CALLBACK_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Encodes a child → parent message, `command:JSON:callbackId:APP_SID`.
/// Absent params or callback leave their segment empty (a message without
/// a callback gets no reply). The JSON is compact and may contain `:`.
pub fn encode_request(
    command: Command,
    params: Option<&Value>,
    callback: Option<&CallbackId>,
    sid: &AppSid,
) -> String {
    let params = params.map(Value::to_string).unwrap_or_default();
    let callback = callback.map(CallbackId::as_str).unwrap_or_default();
    format!("{command}:{params}:{callback}:{}", sid.as_str())
}

/// Splits a parent → child reply into its callback id and JSON text, on
/// the first `:`. `None` unless the id looks like one of ours and there is
/// some JSON text; only the first bytes of a long string are looked at.
pub fn split_reply(data: &str) -> Option<(&str, &str)> {
    // ':' is ASCII, so its byte index is a char boundary.
    let colon = data
        .bytes()
        .take(MAX_CALLBACK_ID_LEN + 1)
        .position(|b| b == b':')?;
    let (id, rest) = (&data[..colon], &data[colon + 1..]);
    (is_callback_id(id) && !rest.is_empty()).then_some((id, rest))
}

/// Parses a reply's JSON text. `undefined` (what `cb + ':' +
/// JSON.stringify(undefined)` produces when a parent handler answers
/// nothing) is read as `null`; anything that is not JSON is `None`.
pub fn parse_reply_json(text: &str) -> Option<Value> {
    if text == "undefined" {
        return Some(Value::Null);
    }
    serde_json::from_str(text).ok()
}

/// A decoded parent → child reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The callback id the reply answers.
    pub callback: String,
    /// The parent's result.
    pub result: Value,
}

/// Decodes `callbackId:JSON`; `None` for anything malformed.
pub fn decode_reply(data: &str) -> Option<Reply> {
    let (id, json) = split_reply(data)?;
    Some(Reply {
        callback: id.to_owned(),
        result: parse_reply_json(json)?,
    })
}

/// `{}`: the params of commands that take none (the parent's table, §4.2).
pub fn no_params() -> Value {
    json!({})
}

/// The params of `resizeWindow`: full width, `height` pixels.
pub fn resize_params(height: u32) -> Value {
    json!({ "width": "100%", "height": height })
}

/// The options the app keeps per admin in the portal (`setUserOption`,
/// read back from `getInitData`'s `USER_OPTIONS`, §4.2). The names are
/// written only here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserOption {
    /// The default view, as a URL fragment.
    View,
    /// The column choice and order.
    Columns,
    /// The theme: auto, light or dark.
    Theme,
    /// The rows' density: compact or comfortable.
    Density,
    /// The overview region: open or closed.
    Overview,
}

impl UserOption {
    /// Every option, in the order above.
    pub const ALL: [UserOption; 5] = [
        UserOption::View,
        UserOption::Columns,
        UserOption::Theme,
        UserOption::Density,
        UserOption::Overview,
    ];

    /// The option's name in the portal.
    pub fn name(self) -> &'static str {
        match self {
            UserOption::View => "wm_view",
            UserOption::Columns => "wm_columns",
            UserOption::Theme => "wm_theme",
            UserOption::Density => "wm_density",
            UserOption::Overview => "wm_overview",
        }
    }

    /// The saved text of this option among the portal's user options;
    /// `None` when missing or not a string.
    pub fn read(self, user_options: &serde_json::Map<String, Value>) -> Option<&str> {
        user_options.get(self.name()).and_then(Value::as_str)
    }
}

/// The params of `setUserOption`: the option's name and its value.
pub fn user_option_params(option: UserOption, value: &Value) -> Value {
    json!({ "name": option.name(), "value": value })
}

/// The params of `openPath`: a path in the portal, from the portal's root
/// (§1.7). Build it from validated ids only (`domain::display::documents`).
pub fn open_path_params(path: &str) -> Value {
    json!({ "path": path })
}

/// What the portal answered to `openPath` (§4.2). It answers only when
/// the slider closes, or at once with an error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenPathReply {
    /// `{result: "close"}`: the slider was shown and is closed now (also
    /// any other answer that is not an error).
    Closed,
    /// `{result: "error", errorCode}`: the portal did not open the path
    /// (`PATH_NOT_AVAILABLE`, `METHOD_NOT_SUPPORTED_ON_DEVICE`).
    Refused(String),
}

/// Reads the answer to `openPath`.
pub fn open_path_reply(reply: &Value) -> OpenPathReply {
    if reply.get("result").and_then(Value::as_str) != Some("error") {
        return OpenPathReply::Closed;
    }
    let code = reply
        .get("errorCode")
        .and_then(Value::as_str)
        .unwrap_or_default();
    OpenPathReply::Refused(code.chars().take(64).collect())
}

/// Reads the answer to `refreshAuth` (`{AUTH_ID, AUTH_EXPIRES, REFRESH_ID}`)
/// into credentials expiring `AUTH_EXPIRES` seconds (string or number,
/// 3600 if absent) after `now_ms`.
pub fn refreshed_credentials(reply: &Value, now_ms: f64) -> Result<Credentials, SessionError> {
    let obj = reply.as_object().ok_or(SessionError::NotAnObject)?;
    let token = match obj.get("AUTH_ID") {
        Some(Value::String(t)) if !t.is_empty() => t.clone(),
        _ => return Err(SessionError::NoToken),
    };
    let lifetime_s = obj
        .get("AUTH_EXPIRES")
        .and_then(loose_f64)
        .filter(|s| *s > 0.0)
        .unwrap_or(3600.0);
    Ok(Credentials {
        token: AccessToken::new(token),
        expires_at_ms: now_ms + lifetime_s * 1000.0,
    })
}

/// The frame height to ask for when the content measures `content_px`, or
/// `None` when it is what was last sent (or not a usable height). Rounds up
/// so a fractional pixel never produces a scrollbar.
pub fn fit_height(content_px: f64, last_sent: Option<u32>) -> Option<u32> {
    if !content_px.is_finite() || content_px < 1.0 {
        return None;
    }
    // `as` saturates: an absurd height becomes u32::MAX, not a wrap-around.
    let height = content_px.ceil() as u32;
    (last_sent != Some(height)).then_some(height)
}

/// Why a `message` event reaching the app's window was dropped. Counted
/// per reason for diagnostics; the data itself is never kept or logged
/// (replies carry tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IgnoredReason {
    /// Not from the portal origin named in `window.name`.
    ForeignOrigin,
    /// From the portal origin, but the data is not a string (the protocol
    /// only ever sends strings).
    NotAString,
    /// A string that is not `callbackId:JSON`.
    Malformed,
    /// Well-formed, but for no request this client is waiting for (a
    /// guessed or stale id, or a reply that came after its timeout).
    UnknownCallback,
    /// For a pending request, but the JSON does not parse.
    BadJson,
}

impl IgnoredReason {
    /// Every reason, in the order [`IgnoredCounts`] reports them.
    pub const ALL: [IgnoredReason; 5] = [
        IgnoredReason::ForeignOrigin,
        IgnoredReason::NotAString,
        IgnoredReason::Malformed,
        IgnoredReason::UnknownCallback,
        IgnoredReason::BadJson,
    ];

    /// The reason's name in diagnostics (`window.__wmFrameIgnored`).
    pub fn as_str(self) -> &'static str {
        match self {
            IgnoredReason::ForeignOrigin => "foreign_origin",
            IgnoredReason::NotAString => "not_a_string",
            IgnoredReason::Malformed => "malformed",
            IgnoredReason::UnknownCallback => "unknown_callback",
            IgnoredReason::BadJson => "bad_json",
        }
    }

    fn index(self) -> usize {
        match self {
            IgnoredReason::ForeignOrigin => 0,
            IgnoredReason::NotAString => 1,
            IgnoredReason::Malformed => 2,
            IgnoredReason::UnknownCallback => 3,
            IgnoredReason::BadJson => 4,
        }
    }
}

/// How many `message` events were dropped, per [`IgnoredReason`]. Holds
/// counts only: nothing of a message's data or origin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IgnoredCounts([u64; 5]);

impl IgnoredCounts {
    /// Counts one more dropped message.
    pub fn add(&mut self, reason: IgnoredReason) {
        let slot = &mut self.0[reason.index()];
        *slot = slot.saturating_add(1);
    }

    /// The messages dropped for `reason`.
    pub fn get(&self, reason: IgnoredReason) -> u64 {
        self.0[reason.index()]
    }

    /// Every message dropped.
    pub fn total(&self) -> u64 {
        self.0.iter().fold(0, |sum, n| sum.saturating_add(*n))
    }

    /// `{"foreign_origin": n, …, "total": n}`, for diagnostics.
    pub fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        for reason in IgnoredReason::ALL {
            map.insert(reason.as_str().to_owned(), json!(self.get(reason)));
        }
        map.insert("total".to_owned(), json!(self.total()));
        Value::Object(map)
    }
}

/// Classifies a `message` event the app's window received: the callback
/// id and parsed JSON of a reply to hand over, or why it is dropped. The
/// checks run in order — origin, type, shape, pending id, JSON — so JSON
/// is parsed only for a reply from the portal to a request we are waiting
/// for. `data` is `None` when the event's data is not a string.
pub fn accept_reply<'a>(
    origin: &str,
    portal_origin: &str,
    data: Option<&'a str>,
    is_pending: impl Fn(&str) -> bool,
) -> Result<(&'a str, Value), IgnoredReason> {
    if origin != portal_origin {
        return Err(IgnoredReason::ForeignOrigin);
    }
    let data = data.ok_or(IgnoredReason::NotAString)?;
    let (id, json) = split_reply(data).ok_or(IgnoredReason::Malformed)?;
    if !is_pending(id) {
        return Err(IgnoredReason::UnknownCallback);
    }
    let value = parse_reply_json(json).ok_or(IgnoredReason::BadJson)?;
    Ok((id, value))
}

/// A timeout as the milliseconds a browser timer takes. Browsers treat a
/// delay above `i32::MAX` ms as 0 (fire at once), so longer timeouts are
/// capped there (about 24.8 days).
pub fn timer_millis(timeout: Duration) -> u32 {
    const MAX: u32 = i32::MAX as u32;
    u32::try_from(timeout.as_millis()).map_or(MAX, |ms| ms.min(MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sid() -> AppSid {
        AppSid::parse("9c3346b1d2e0f7a8c3b4d5e6f7a8b9c0").expect("sid")
    }

    fn cb() -> CallbackId {
        CallbackId::new(7, 0xdead_beef)
    }

    /// The parent's parse (§4.2): command from the front, callback and SID
    /// from the end, everything between re-joined with ':'.
    fn parent_parse(msg: &str) -> (String, String, String, String) {
        let r: Vec<&str> = msg.split(':').collect();
        let len = r.len();
        assert!(len >= 4, "{msg}");
        (
            r[0].to_owned(),
            r[1..len - 2].join(":"),
            r[len - 2].to_owned(),
            r[len - 1].to_owned(),
        )
    }

    #[test]
    fn reads_host_protocol_and_sid_from_the_window_name() {
        let f = FrameName::parse("portal.bitrix24.de|1|abc123").expect("frame");
        assert_eq!(f.host.as_str(), "portal.bitrix24.de");
        assert!(f.https);
        assert_eq!(f.sid.as_str(), "abc123");
        assert_eq!(f.origin(), "https://portal.bitrix24.de");

        let f = FrameName::parse("127.0.0.1:8080|0|s").expect("frame");
        assert!(!f.https);
        assert_eq!(f.origin(), "http://127.0.0.1:8080");
    }

    #[test]
    fn drops_default_ports_from_the_origin() {
        for (name, origin) in [
            ("b24.example.com:443|1|s", "https://b24.example.com"),
            ("b24.example.com:80|0|s", "http://b24.example.com"),
            ("B24.Example.COM:8443|1|s", "https://b24.example.com:8443"),
        ] {
            assert_eq!(
                FrameName::parse(name).map(|f| f.origin()),
                Ok(origin.into()),
                "{name}"
            );
        }
    }

    #[test]
    fn says_not_in_frame_for_missing_or_malformed_names() {
        let huge = "a".repeat(1 << 20);
        let huge_sid = format!("portal.de|1|{}", "s".repeat(MAX_SID_LEN + 1));
        let huge_host = format!("{huge}|1|sid");
        let many_bars = "|".repeat(100_000);
        let cases: Vec<(&str, NotInFrame)> = vec![
            ("", NotInFrame::NoName),
            ("portal.de", NotInFrame::WrongShape { segments: 1 }),
            ("portal.de|1", NotInFrame::WrongShape { segments: 2 }),
            (
                "portal.de|1|sid|extra",
                NotInFrame::WrongShape { segments: 4 },
            ),
            (
                many_bars.as_str(),
                NotInFrame::WrongShape { segments: 100_001 },
            ),
            (huge.as_str(), NotInFrame::WrongShape { segments: 1 }),
            ("portal.de|2|sid", NotInFrame::BadProtocol),
            ("portal.de||sid", NotInFrame::BadProtocol),
            ("portal.de|https|sid", NotInFrame::BadProtocol),
            ("portal.de| 1|sid", NotInFrame::BadProtocol),
            ("portal.de|1|", NotInFrame::BadSid),
            ("portal.de|1|si:d", NotInFrame::BadSid),
            ("portal.de|1|si d", NotInFrame::BadSid),
            ("portal.de|1|sid\n", NotInFrame::BadSid),
            ("portal.de|1|sïd", NotInFrame::BadSid),
            (huge_sid.as_str(), NotInFrame::BadSid),
        ];
        for (name, expected) in cases {
            assert_eq!(
                FrameName::parse(name),
                Err(expected),
                "{}",
                &name[..name.len().min(40)]
            );
        }
        for name in [
            "|1|sid",
            "https://portal.de|1|sid",
            "portal.de/x|1|sid",
            "evil.com#.portal.de|1|sid",
            "user@portal.de|1|sid",
            "portäl.de|1|sid",
            huge_host.as_str(),
        ] {
            assert!(
                matches!(FrameName::parse(name), Err(NotInFrame::BadHost(_))),
                "{}",
                &name[..name.len().min(40)]
            );
        }
    }

    #[test]
    fn not_in_frame_errors_do_not_echo_huge_input() {
        let name = format!("{}|1|sid", "a".repeat(10_000));
        let err = FrameName::parse(&name).expect_err("bad host");
        assert!(err.to_string().len() < 300, "{}", err.to_string().len());
    }

    #[test]
    fn encodes_four_segments_like_bx24_v1() {
        assert_eq!(
            encode_request(Command::GetInitData, None, Some(&cb()), &sid()),
            format!("getInitData::{}:{}", cb().as_str(), sid().as_str())
        );
        assert_eq!(
            encode_request(
                Command::GetInitData,
                Some(&no_params()),
                Some(&cb()),
                &sid()
            ),
            format!("getInitData:{{}}:{}:{}", cb().as_str(), sid().as_str())
        );
        // No callback: the parent sends no reply.
        let resize = encode_request(
            Command::ResizeWindow,
            Some(&resize_params(480)),
            None,
            &sid(),
        );
        let (command, params, callback, s) = parent_parse(&resize);
        assert_eq!((command.as_str(), callback.as_str()), ("resizeWindow", ""));
        assert_eq!(
            serde_json::from_str::<Value>(&params).ok(),
            Some(resize_params(480))
        );
        assert_eq!(s, sid().as_str());
        assert_eq!(
            encode_request(Command::ReloadWindow, None, None, &sid()),
            format!("reloadWindow:::{}", sid().as_str())
        );
        for msg in [
            encode_request(Command::SetInstall, None, None, &sid()),
            encode_request(Command::SetInstall, None, Some(&cb()), &sid()),
            encode_request(Command::SetInstall, Some(&json!(1)), None, &sid()),
        ] {
            assert_eq!(msg.split(':').count(), 4);
        }
    }

    #[test]
    fn params_with_colons_survive_the_parents_parse() {
        let hostile = [
            json!({"url": "https://portal.de:8443/crm/deal/details/1/", "t": "12:30:00"}),
            json!({"title": "::::", "x": ":", "y": "a:b:c:"}),
            json!({"s": "|\n\r\t\"\\ \u{0}ü漢🙂</script>"}),
            json!({"big": ":".repeat(100_000)}),
            json!("just:a:string"),
            json!([":", {"k:": ":v"}]),
            json!(null),
        ];
        for params in hostile {
            let msg = encode_request(Command::OpenPath, Some(&params), Some(&cb()), &sid());
            let (command, json, callback, s) = parent_parse(&msg);
            assert_eq!(command, "openPath");
            assert_eq!(serde_json::from_str::<Value>(&json).expect("json"), params);
            assert_eq!(callback, cb().as_str());
            assert_eq!(s, sid().as_str());
        }
    }

    #[test]
    fn empty_segments_parse_as_empty_on_the_parent() {
        let msg = encode_request(Command::SetInstallFinish, None, None, &sid());
        assert_eq!(
            parent_parse(&msg),
            (
                "setInstallFinish".into(),
                String::new(),
                String::new(),
                sid().as_str().into()
            )
        );
    }

    #[test]
    fn command_names_match_the_parents_table() {
        let names: Vec<&str> = [
            Command::GetInitData,
            Command::RefreshAuth,
            Command::ResizeWindow,
            Command::SetInstall,
            Command::SetInstallFinish,
            Command::OpenPath,
            Command::ReloadWindow,
            Command::SetUserOption,
        ]
        .into_iter()
        .map(Command::as_str)
        .collect();
        assert_eq!(
            names,
            [
                "getInitData",
                "refreshAuth",
                "resizeWindow",
                "setInstall",
                "setInstallFinish",
                "openPath",
                "reloadWindow",
                "setUserOption"
            ]
        );
        // Nothing in a name may change how the parent splits a message.
        for name in names {
            assert!(name.bytes().all(|b| b.is_ascii_alphanumeric()), "{name}");
        }
    }

    #[test]
    fn decodes_replies_split_on_the_first_colon() {
        let id = cb();
        let reply = format!(
            r#"{}:{{"url":"https://p.de:8443/a:b","t":"1:2"}}"#,
            id.as_str()
        );
        assert_eq!(
            decode_reply(&reply),
            Some(Reply {
                callback: id.as_str().into(),
                result: json!({"url": "https://p.de:8443/a:b", "t": "1:2"})
            })
        );
        assert_eq!(
            decode_reply("abc:\"x:y\"").map(|r| r.result),
            Some(json!("x:y"))
        );
        assert_eq!(decode_reply("abc:::").map(|r| r.result), None);
        assert_eq!(decode_reply("abc:[]").map(|r| r.result), Some(json!([])));
        assert_eq!(
            decode_reply("abc:null").map(|r| r.result),
            Some(Value::Null)
        );
        assert_eq!(
            decode_reply("abc:undefined").map(|r| r.result),
            Some(Value::Null)
        );
        assert_eq!(
            decode_reply("a-b_C9: {\"x\":1} ").map(|r| r.result),
            Some(json!({"x": 1}))
        );
    }

    #[test]
    fn rejects_malformed_replies() {
        let long_id = format!("{}:{{}}", "a".repeat(MAX_CALLBACK_ID_LEN + 1));
        for bad in [
            "",
            ":",
            ":{}",
            "{}",
            "abc",
            "abc:",
            "abc:not json",
            "abc:{}trailing",
            "abc:{\"unclosed\":",
            "a b:{}",
            "<script>:{}",
            "abc\n:{}",
            "ab|c:{}",
            "a.b:{}",
            "ü:{}",
            long_id.as_str(),
        ] {
            assert_eq!(decode_reply(bad), None, "{bad}");
        }
        assert!(decode_reply(&format!("{}:{{}}", "a".repeat(MAX_CALLBACK_ID_LEN))).is_some());
    }

    #[test]
    fn survives_hostile_and_huge_replies() {
        // No ':' near the start: refused without scanning the rest.
        let no_colon = "x".repeat(5 << 20);
        assert_eq!(split_reply(&no_colon), None);
        // A colon far away does not make the prefix an id.
        assert_eq!(split_reply(&format!("{}:{{}}", "a".repeat(1 << 20))), None);
        // Nesting deeper than serde_json's limit is refused, not a stack overflow.
        let deep = format!("abc:{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(decode_reply(&deep), None);
        // A big but valid answer is fine.
        let big = format!(
            "abc:{}",
            json!({"APP_OPTIONS": {"k": "v:".repeat(500_000)}})
        );
        assert!(decode_reply(&big).is_some());
        // Multi-byte characters right after the id do not split a char.
        assert_eq!(
            decode_reply("abc:\"ü:漢\"").map(|r| r.result),
            Some(json!("ü:漢"))
        );
        assert_eq!(decode_reply("ü漢:{}"), None);
    }

    #[test]
    fn callback_ids_are_unique_and_parse_back() {
        let a = CallbackId::new(1, 42);
        let b = CallbackId::new(2, 42);
        let c = CallbackId::new(1, 43);
        assert!(a != b && a != c && b != c);
        let max = CallbackId::new(u64::MAX, u128::MAX);
        assert!(
            max.as_str().len() <= MAX_CALLBACK_ID_LEN,
            "{}",
            max.as_str()
        );
        for id in [a, max, CallbackId::new(0, 0)] {
            let reply = format!("{}:{{\"ok\":true}}", id.as_str());
            assert_eq!(split_reply(&reply).map(|(i, _)| i), Some(id.as_str()));
            // And the parent finds it as the callback segment of a request.
            let msg = encode_request(
                Command::OpenPath,
                Some(&json!({"a": ":"})),
                Some(&id),
                &sid(),
            );
            assert_eq!(parent_parse(&msg).2, id.as_str());
        }
    }

    #[test]
    fn callback_ids_carry_all_128_random_bits() {
        let id = CallbackId::new(0, 1u128 << 127);
        let id2 = CallbackId::new(0, 1);
        assert_ne!(id, id2);
        assert!(id.as_str().ends_with(&format!("{:032x}", 1u128 << 127)));
    }

    #[test]
    fn reads_refreshed_credentials() {
        let c = refreshed_credentials(
            &json!({"AUTH_ID": "new", "AUTH_EXPIRES": 3600, "REFRESH_ID": "r"}),
            1_000.0,
        )
        .expect("credentials");
        assert_eq!(c.token.secret(), "new");
        assert_eq!(c.expires_at_ms, 3_601_000.0);
        let c = refreshed_credentials(&json!({"AUTH_ID": "t", "AUTH_EXPIRES": " 60 "}), 0.0)
            .expect("credentials");
        assert_eq!(c.expires_at_ms, 60_000.0);
        for expires in [json!(null), json!("soon"), json!(-5), json!(0)] {
            let c = refreshed_credentials(&json!({"AUTH_ID": "t", "AUTH_EXPIRES": expires}), 0.0)
                .expect("credentials");
            assert_eq!(c.expires_at_ms, 3_600_000.0, "{expires}");
        }
    }

    #[test]
    fn refuses_refresh_answers_without_a_token() {
        assert_eq!(
            refreshed_credentials(&json!([]), 0.0),
            Err(SessionError::NotAnObject)
        );
        assert_eq!(
            refreshed_credentials(&json!("tok"), 0.0),
            Err(SessionError::NotAnObject)
        );
        for bad in [
            json!({}),
            json!({"AUTH_ID": ""}),
            json!({"AUTH_ID": 5}),
            json!({"AUTH_ID": null}),
        ] {
            assert_eq!(
                refreshed_credentials(&bad, 0.0),
                Err(SessionError::NoToken),
                "{bad}"
            );
        }
    }

    #[test]
    fn asks_for_a_new_height_only_when_it_changes() {
        assert_eq!(fit_height(480.0, None), Some(480));
        assert_eq!(fit_height(480.0, Some(480)), None);
        assert_eq!(fit_height(480.2, Some(480)), Some(481), "rounds up");
        assert_eq!(fit_height(300.0, Some(480)), Some(300), "shrinks too");
        for unusable in [0.0, 0.5, -10.0, f64::NAN, f64::INFINITY] {
            assert_eq!(fit_height(unusable, None), None, "{unusable}");
        }
        assert_eq!(fit_height(1e12, None), Some(u32::MAX));
    }

    #[test]
    fn caps_timer_delays_where_browsers_would_fire_at_once() {
        assert_eq!(timer_millis(Duration::from_millis(150)), 150);
        assert_eq!(timer_millis(Duration::from_secs(10)), 10_000);
        assert_eq!(timer_millis(Duration::ZERO), 0);
        assert_eq!(
            timer_millis(Duration::from_secs(30 * 24 * 3600)),
            i32::MAX as u32
        );
        assert_eq!(timer_millis(Duration::MAX), i32::MAX as u32);
    }

    #[test]
    fn user_options_have_a_name_each_and_read_back_strings_only() {
        let mut names: Vec<&str> = UserOption::ALL.into_iter().map(UserOption::name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), UserOption::ALL.len());
        let saved = json!({"wm_theme": "dark", "wm_view": 1, "other": "x"});
        let saved = saved.as_object().expect("object");
        assert_eq!(UserOption::Theme.read(saved), Some("dark"));
        assert_eq!(UserOption::View.read(saved), None);
        assert_eq!(UserOption::Columns.read(saved), None);
    }

    #[test]
    fn pins_the_params_the_parent_reads() {
        // Compared as values: key order depends on serde_json's features.
        assert_eq!(
            resize_params(480),
            serde_json::from_str::<Value>(r#"{"width":"100%","height":480}"#).expect("json")
        );
        assert_eq!(
            user_option_params(UserOption::Theme, &json!("dark")),
            json!({"name": "wm_theme", "value": "dark"})
        );
        assert_eq!(
            open_path_params("/crm/deal/details/1633/").to_string(),
            r#"{"path":"/crm/deal/details/1633/"}"#
        );
        assert_eq!(no_params().to_string(), "{}");
    }

    #[test]
    fn reads_the_open_path_answers() {
        assert_eq!(
            open_path_reply(&json!({"result": "close"})),
            OpenPathReply::Closed
        );
        assert_eq!(
            open_path_reply(&json!({"result": "error", "errorCode": "PATH_NOT_AVAILABLE"})),
            OpenPathReply::Refused("PATH_NOT_AVAILABLE".into())
        );
        assert_eq!(
            open_path_reply(&json!({"result": "error"})),
            OpenPathReply::Refused(String::new())
        );
        assert_eq!(open_path_reply(&json!(null)), OpenPathReply::Closed);
    }

    #[test]
    fn accepts_only_portal_string_replies_to_pending_ids() {
        let portal = "http://127.0.0.1:8080";
        let pending = |id: &str| id == "wm1_ab";
        assert_eq!(
            accept_reply(portal, portal, Some("wm1_ab:{\"a\":1}"), pending),
            Ok(("wm1_ab", json!({"a": 1})))
        );
        for (origin, data, reason) in [
            (
                "http://localhost:8080",
                Some("wm1_ab:{}"),
                IgnoredReason::ForeignOrigin,
            ),
            ("null", Some("wm1_ab:{}"), IgnoredReason::ForeignOrigin),
            (
                "https://127.0.0.1:8080",
                Some("wm1_ab:{}"),
                IgnoredReason::ForeignOrigin,
            ),
            (portal, None, IgnoredReason::NotAString),
            (portal, Some("no colon"), IgnoredReason::Malformed),
            (portal, Some("wm1_ab:"), IgnoredReason::Malformed),
            (
                portal,
                Some("wm2_cd:{\"AUTH_ID\":\"forged\"}"),
                IgnoredReason::UnknownCallback,
            ),
            (portal, Some("wm1_ab:{not json"), IgnoredReason::BadJson),
        ] {
            assert_eq!(
                accept_reply(origin, portal, data, pending),
                Err(reason),
                "{origin} {data:?}"
            );
        }
    }

    #[test]
    fn counts_ignored_messages_per_reason_and_nothing_else() {
        let mut counts = IgnoredCounts::default();
        counts.add(IgnoredReason::ForeignOrigin);
        counts.add(IgnoredReason::ForeignOrigin);
        counts.add(IgnoredReason::UnknownCallback);
        assert_eq!(counts.get(IgnoredReason::ForeignOrigin), 2);
        assert_eq!(counts.total(), 3);
        assert_eq!(
            counts.to_json(),
            json!({"foreign_origin": 2, "not_a_string": 0, "malformed": 0,
                   "unknown_callback": 1, "bad_json": 0, "total": 3})
        );
        let names: Vec<&str> = IgnoredReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            names,
            [
                "foreign_origin",
                "not_a_string",
                "malformed",
                "unknown_callback",
                "bad_json"
            ]
        );
    }
}
