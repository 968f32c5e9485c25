//! Page objects: the screens as a person uses them, found by role and
//! label.

pub mod app;
pub mod keyboard;
pub mod look;
pub mod portal;
pub mod table;

pub use portal::{PortalPage, ProbeApp};
