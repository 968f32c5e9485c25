//! `cargo xtask package`: the release build as a ZIP ready to upload to
//! Bitrix24 as a static local application (fact sheet §4.1, §7.1): the
//! files of `dist/` at the archive's root, `index.html` among them.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::util::{io_at, Error, Result};

/// Every file below `dir`, as (path inside the archive with `/`, path on disk),
/// sorted so the archive is the same for the same build.
pub fn archive_entries(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).map_err(io_at(&current))? {
            let path = entry.map_err(io_at(&current))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((name, path));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes `dist` into the ZIP at `out`; returns the number of files.
pub fn zip_dir(dist: &Path, out: &Path) -> Result<usize> {
    let entries = archive_entries(dist)?;
    if !entries.iter().any(|(name, _)| name == "index.html") {
        return Err(Error::Unusable(format!(
            "{} has no index.html: Bitrix24 needs it at the archive's root",
            dist.display()
        )));
    }
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(io_at(parent))?;
    }
    let file = File::create(out).map_err(io_at(out))?;
    let mut zip = ZipWriter::new(file);
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, path) in &entries {
        let mut bytes = Vec::new();
        File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(io_at(path))?;
        zip.start_file(name.as_str(), options)
            .map_err(|e| Error::Unusable(format!("zip {name}: {e}")))?;
        zip.write_all(&bytes).map_err(io_at(out))?;
    }
    zip.finish()
        .map_err(|e| Error::Unusable(format!("zip {}: {e}", out.display())))?;
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_dist_at_the_archive_root_and_refuses_a_dist_without_index() {
        let base = tempfile::tempdir().expect("temp dir");
        let dist = base.path().join("dist");
        std::fs::create_dir_all(dist.join("assets")).expect("dirs");
        std::fs::write(dist.join("index.html"), "<!doctype html>").expect("index");
        std::fs::write(dist.join("assets").join("app.wasm"), [0u8, 97, 115, 109]).expect("wasm");
        let out = base.path().join("app.zip");
        assert_eq!(zip_dir(&dist, &out).expect("zip"), 2);
        let mut archive = zip::ZipArchive::new(File::open(&out).expect("open")).expect("read");
        let names: Vec<String> = (0..archive.len())
            .map(|i| {
                archive
                    .by_index(i)
                    .expect("entry")
                    .name()
                    .expect("name")
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["assets/app.wasm", "index.html"]);
        std::fs::remove_file(dist.join("index.html")).expect("rm");
        assert!(zip_dir(&dist, &out).is_err());
    }
}
