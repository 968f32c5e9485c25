//! What goes on the wire for one call (§4.4, §4.5, §8.3): pure functions.
//!
//! `POST {origin}{path}/{method}.json` with `Content-Type: application/json`
//! and the token as `auth` **in the body**: Bitrix24's CORS answer allows
//! only `origin, content-type, accept`, so an `Authorization` or any custom
//! header would fail the browser's preflight.

use serde_json::{Map, Value};

use crate::domain::methods::session::{AccessToken, Portal};
use crate::domain::wire::batch::is_method_name;
use crate::domain::wire::errors::RestError;

/// The one header the app sets.
pub const CONTENT_TYPE: &str = "application/json";

/// The URL of `method` on `portal`, after checking that `method` is a
/// method name: it becomes part of the URL the token is posted to.
pub fn method_url(portal: &Portal, method: &str) -> Result<String, RestError> {
    if !is_method_name(method) {
        return Err(RestError::InvalidMethod {
            method: method.chars().take(80).collect(),
        });
    }
    Ok(portal.method_url(method))
}

/// The JSON body: the parameters (an object, or `null` for none) with the
/// token as `auth`. A caller's own `auth` or `access_token` key is replaced
/// or removed, so only the client's token is ever sent.
pub fn call_body(method: &str, params: &Value, token: &AccessToken) -> Result<String, RestError> {
    let mut body: Map<String, Value> = match params {
        Value::Null => Map::new(),
        Value::Object(o) => o
            .iter()
            .filter(|(k, _)| *k != "auth" && *k != "access_token")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => {
            return Err(RestError::InvalidParams {
                method: method.chars().take(80).collect(),
            })
        }
    };
    body.insert("auth".to_owned(), Value::String(token.secret().to_owned()));
    Ok(Value::Object(body).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::session::Host;
    use serde_json::json;

    fn portal() -> Portal {
        Portal {
            host: Host::parse("b24.example.com").expect("host"),
            https: true,
            rest_path: "/rest".into(),
        }
    }

    #[test]
    fn posts_to_the_method_on_the_portals_origin() {
        assert_eq!(
            method_url(&portal(), "bizproc.workflow.instances"),
            Ok("https://b24.example.com/rest/bizproc.workflow.instances.json".to_owned())
        );
    }

    #[test]
    fn refuses_method_names_that_would_bend_the_url() {
        for bad in [
            "../../evil",
            "x?auth=1",
            "a/b",
            "",
            "x#",
            "//evil.com/x",
            "a b",
        ] {
            assert!(
                matches!(
                    method_url(&portal(), bad),
                    Err(RestError::InvalidMethod { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn puts_the_token_in_the_body_and_keeps_key_order() {
        let body = call_body(
            "m",
            &json!({"select": ["ID"], "order": {"STARTED": "DESC", "ID": "DESC"}, "start": 0}),
            &AccessToken::new("tok"),
        )
        .expect("body");
        assert_eq!(
            body,
            r#"{"select":["ID"],"order":{"STARTED":"DESC","ID":"DESC"},"start":0,"auth":"tok"}"#
        );
    }

    #[test]
    fn only_the_clients_token_is_sent() {
        let body = call_body(
            "m",
            &json!({"auth": "someone-elses", "access_token": "other"}),
            &AccessToken::new("mine"),
        )
        .expect("body");
        assert_eq!(body, r#"{"auth":"mine"}"#);
        assert_eq!(
            call_body("m", &json!(null), &AccessToken::new("t")),
            Ok(r#"{"auth":"t"}"#.to_owned())
        );
        assert_eq!(
            call_body("m", &json!([1]), &AccessToken::new("t")),
            Err(RestError::InvalidParams { method: "m".into() })
        );
    }
}
