//! Demo data. (Being written.)
use crate::auth::UserId;

pub const ADMIN_USER: UserId = 1;
pub const NON_ADMIN_USER: UserId = 7;

#[derive(Debug)]
pub struct Directory {}

impl Directory {
    pub fn generate(_seed: u64) -> Self {
        Directory {}
    }
}
