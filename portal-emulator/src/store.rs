//! Workflow store. (Being written.)
use crate::data::Directory;

#[derive(Debug)]
pub struct Store {}

impl Store {
    pub fn generate(_d: &Directory, _n: usize, _seed: u64, _epoch: i64) -> Self {
        Store {}
    }
}
