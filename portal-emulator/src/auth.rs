//! OAuth access tokens as the portal issues and checks them (fact sheet §4.1,
//! §4.3): one-hour access tokens bound to the user who opened the app, a
//! refresh through the portal page, and the error codes of
//! `Bitrix\Rest\OAuth\Auth`.

use std::collections::HashMap;

use rand::RngCore;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// A user id of the emulated portal.
pub type UserId = u32;

/// A freshly issued pair of tokens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    /// Lifetime in seconds from now.
    pub expires_in: u64,
    pub user_id: UserId,
}

/// Why a token was not accepted; each maps to a Bitrix24 error (§4.3, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// No token at all: 401 `NO_AUTH_FOUND`.
    Missing,
    /// A token the portal issued whose lifetime is over: 401 `expired_token`.
    Expired,
    /// A token the portal never issued: 401 `invalid_token` (UNCONFIRMED status, §9.5).
    Invalid,
}

#[derive(Debug, Clone)]
struct Grant {
    user_id: UserId,
    expires_at_ms: i64,
}

/// All tokens the portal has issued.
#[derive(Debug)]
pub struct TokenStore {
    rng: ChaCha8Rng,
    access: HashMap<String, Grant>,
    refresh: HashMap<String, UserId>,
}

impl TokenStore {
    pub fn new(rng: ChaCha8Rng) -> Self {
        TokenStore {
            rng,
            access: HashMap::new(),
            refresh: HashMap::new(),
        }
    }

    fn random_hex(&mut self, bytes: usize) -> String {
        let mut buf = vec![0u8; bytes];
        self.rng.fill_bytes(&mut buf);
        buf.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Issues a new access and refresh token for `user_id`.
    pub fn mint(&mut self, user_id: UserId, ttl_s: u64, now_ms: i64) -> Issued {
        let access_token = self.random_hex(32);
        let refresh_token = self.random_hex(32);
        self.access.insert(
            access_token.clone(),
            Grant {
                user_id,
                expires_at_ms: now_ms + (ttl_s as i64) * 1000,
            },
        );
        self.refresh.insert(refresh_token.clone(), user_id);
        Issued {
            access_token,
            refresh_token,
            expires_in: ttl_s,
            user_id,
        }
    }

    /// Exchanges a refresh token for a new pair; `None` if the portal never issued it.
    pub fn refresh(&mut self, refresh_token: &str, ttl_s: u64, now_ms: i64) -> Option<Issued> {
        let user_id = *self.refresh.get(refresh_token)?;
        Some(self.mint(user_id, ttl_s, now_ms))
    }

    /// Checks an access token at `now_ms`.
    pub fn check(&self, token: Option<&str>, now_ms: i64) -> Result<UserId, TokenError> {
        let token = token.filter(|t| !t.is_empty()).ok_or(TokenError::Missing)?;
        let grant = self.access.get(token).ok_or(TokenError::Invalid)?;
        if grant.expires_at_ms <= now_ms {
            return Err(TokenError::Expired);
        }
        Ok(grant.user_id)
    }

    /// Makes every access token issued so far expire now (refresh tokens stay valid).
    pub fn expire_all(&mut self, now_ms: i64) {
        for grant in self.access.values_mut() {
            grant.expires_at_ms = grant.expires_at_ms.min(now_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn store() -> TokenStore {
        TokenStore::new(ChaCha8Rng::seed_from_u64(7))
    }

    #[test]
    fn accepts_a_fresh_token_for_its_user() {
        let mut s = store();
        let t = s.mint(5, 3600, 1_000);
        assert_eq!(s.check(Some(&t.access_token), 1_000), Ok(5));
        assert_eq!(t.access_token.len(), 64);
    }

    #[test]
    fn distinguishes_missing_expired_and_unknown_tokens() {
        let mut s = store();
        let t = s.mint(1, 10, 0);
        assert_eq!(s.check(None, 0), Err(TokenError::Missing));
        assert_eq!(s.check(Some(""), 0), Err(TokenError::Missing));
        assert_eq!(s.check(Some("nope"), 0), Err(TokenError::Invalid));
        assert_eq!(s.check(Some(&t.access_token), 9_999), Ok(1));
        assert_eq!(
            s.check(Some(&t.access_token), 10_000),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn refresh_issues_a_new_pair_for_the_same_user_and_expire_all_keeps_refresh() {
        let mut s = store();
        let t = s.mint(9, 3600, 0);
        s.expire_all(5);
        assert_eq!(s.check(Some(&t.access_token), 5), Err(TokenError::Expired));
        let r = s.refresh(&t.refresh_token, 3600, 5).expect("refresh");
        assert_ne!(r.access_token, t.access_token);
        assert_eq!(s.check(Some(&r.access_token), 6), Ok(9));
        assert!(s.refresh("unknown", 3600, 5).is_none());
    }
}
