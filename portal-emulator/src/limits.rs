//! Rate limits. (Being written.)

#[derive(Debug, Default)]
pub struct Limits {}
