//! A scratch folder per test.

use std::path::{Path, PathBuf};

use crate::Result;

/// A directory the test owns, removed with everything in it on drop.
#[derive(Debug)]
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// Creates `<temp>/wfm-XXXXXX` (a name no other test or run holds),
    /// with `label` written inside for whoever looks. The path stays short
    /// on purpose: Chromium keeps a Unix socket in its profile directory and
    /// exits at start when that path passes the 108-byte limit of
    /// `sun_path`; a long `TMPDIR` (a deep checkout) falls back to `/tmp`
    /// for the same reason.
    pub fn new(label: &str) -> Result<Self> {
        let mut base = std::env::temp_dir();
        if base.as_os_str().len() > 48 {
            base = PathBuf::from("/tmp");
        }
        let dir = tempfile::Builder::new().prefix("wfm-").tempdir_in(&base)?;
        std::fs::write(dir.path().join("TEST"), label)?;
        Ok(Scratch { dir })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A fresh subdirectory.
    pub fn subdir(&self, name: &str) -> Result<PathBuf> {
        let dir = self.path().join(name);
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }
}
