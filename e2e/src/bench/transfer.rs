//! What the app's files weigh on the wire: raw, gzip and brotli, computed
//! here from the files the browser loaded (`flate2` at level 9, `brotli` at
//! quality 11 with a 4 MB window: what a host that precompresses its
//! static files serves).

use std::io::Write;

/// The sizes of one file, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sizes {
    /// As stored.
    pub raw: u64,
    /// gzip, level 9.
    pub gzip: u64,
    /// brotli, quality 11, window 22.
    pub brotli: u64,
}

impl Sizes {
    /// The sizes of `bytes`.
    pub fn of(bytes: &[u8]) -> std::io::Result<Sizes> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(bytes)?;
        let gzip = gz.finish()?.len() as u64;
        let mut br = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            // Dropping the writer ends the stream (a flush would add an
            // empty block no server sends).
            writer.write_all(bytes)?;
        }
        Ok(Sizes {
            raw: bytes.len() as u64,
            gzip,
            brotli: br.len() as u64,
        })
    }

    /// The sum of two files' sizes.
    pub fn plus(self, other: Sizes) -> Sizes {
        Sizes {
            raw: self.raw + other.raw,
            gzip: self.gzip + other.gzip,
            brotli: self.brotli + other.brotli,
        }
    }
}

/// What kind of file a loaded URL is, from its path: `wasm`, `js`, `css`,
/// `html` (the document itself, any path without an extension) or `other`.
pub fn kind_of(path: &str) -> &'static str {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("wasm") => "wasm",
        Some("js") | Some("mjs") => "js",
        Some("css") => "css",
        Some("html") | None => "html",
        Some(_) => "other",
    }
}

/// The file name a loaded URL names (its last path segment), or
/// `index.html` for the document.
pub fn file_of(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let path = path.split_once('/').map_or("", |(_, p)| p);
    match path.rsplit('/').next() {
        Some(name) if name.contains('.') => name.to_owned(),
        _ => "index.html".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_sizes_are_smaller_for_repetitive_input() {
        let text = "workflow ".repeat(1000);
        let s = Sizes::of(text.as_bytes()).unwrap();
        assert_eq!(s.raw, 9000);
        assert!(s.gzip < 200 && s.brotli < 200, "{s:?}");
        let both = s.plus(s);
        assert_eq!(both.raw, 18_000);
    }

    #[test]
    fn brotli_output_decodes_to_the_input() {
        let text = b"{\"result\":[1,2,3]}".repeat(50);
        let mut br = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            writer.write_all(&text).unwrap();
        }
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
        assert_eq!(out, text);
        assert_eq!(Sizes::of(&text).unwrap().brotli, br.len() as u64);
    }

    #[test]
    fn names_the_kind_and_file_of_a_loaded_url() {
        let wasm = "http://127.0.0.1:8081/workflow-monitor-1a2b_bg.wasm";
        assert_eq!(kind_of(wasm), "wasm");
        assert_eq!(file_of(wasm), "workflow-monitor-1a2b_bg.wasm");
        let doc = "http://127.0.0.1:8081/?DOMAIN=x&APP_SID=1";
        assert_eq!(kind_of("/"), "html");
        assert_eq!(file_of(doc), "index.html");
        assert_eq!(kind_of("/app-1.css?v=2"), "css");
        assert_eq!(kind_of("/x.js"), "js");
        assert_eq!(kind_of("/logo.png"), "other");
    }
}
