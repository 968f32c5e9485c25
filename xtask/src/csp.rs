//! The Content-Security-Policy of the release build. `index.html` carries
//! the policy in a `<meta http-equiv>`; Trunk then adds an inline module
//! script (its wasm loader) that `script-src 'self'` would block. After
//! Trunk runs, [`pin_inline_scripts`] adds the SHA-256 of every inline
//! script to `script-src`, so exactly those scripts run and no other
//! inline script could ('unsafe-inline' is refused outright).

use base64::Engine as _;
use sha2::{Digest, Sha256};

const META: &str = "http-equiv=\"Content-Security-Policy\"";

/// Why the build's page cannot get a policy.
#[derive(Debug, PartialEq, Eq)]
pub enum CspError {
    /// The page has no CSP meta tag (or one without `content`).
    NoPolicy,
    /// The policy has no `script-src` to add the hashes to.
    NoScriptSrc,
    /// The policy allows any inline script.
    UnsafeInline,
    /// A `<script>` without its `</script>`.
    UnclosedScript,
}

impl std::fmt::Display for CspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CspError::NoPolicy => {
                "index.html has no <meta http-equiv=\"Content-Security-Policy\" content=…>"
            }
            CspError::NoScriptSrc => "the Content-Security-Policy has no script-src",
            CspError::UnsafeInline => "the Content-Security-Policy allows 'unsafe-inline'",
            CspError::UnclosedScript => "index.html has a <script> without </script>",
        })
    }
}

/// `'sha256-<base64>'` of a script's text, as CSP Level 2 hashes it.
pub fn script_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The texts of the page's inline scripts (`<script>` elements without
/// `src`), exactly as between their tags.
fn inline_scripts(html: &str) -> Result<Vec<&str>, CspError> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let open_end = after.find('>').ok_or(CspError::UnclosedScript)?;
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let close = body.find("</script>").ok_or(CspError::UnclosedScript)?;
        if !tag.contains(" src=") {
            scripts.push(&body[..close]);
        }
        rest = &body[close + "</script>".len()..];
    }
    Ok(scripts)
}

/// Adds the hash of every inline script of `html` to its policy's
/// `script-src`; returns the page and how many scripts were pinned.
pub fn pin_inline_scripts(html: &str) -> Result<(String, usize), CspError> {
    let hashes: Vec<String> = inline_scripts(html)?.into_iter().map(script_hash).collect();
    let meta_at = html.find(META).ok_or(CspError::NoPolicy)?;
    let content_at = html[meta_at..]
        .find("content=\"")
        .map(|i| meta_at + i + "content=\"".len())
        .ok_or(CspError::NoPolicy)?;
    let content_len = html[content_at..].find('"').ok_or(CspError::NoPolicy)?;
    let policy = &html[content_at..content_at + content_len];
    if policy.contains("'unsafe-inline'") {
        return Err(CspError::UnsafeInline);
    }
    let mut found = false;
    let directives: Vec<String> = policy
        .split(';')
        .map(|directive| {
            let trimmed = directive.trim();
            if trimmed.split_whitespace().next() != Some("script-src") {
                return trimmed.to_owned();
            }
            found = true;
            let mut out = trimmed.to_owned();
            for hash in &hashes {
                if !out.split_whitespace().any(|s| s == hash) {
                    out.push(' ');
                    out.push_str(hash);
                }
            }
            out
        })
        .filter(|d| !d.is_empty())
        .collect();
    if !found {
        return Err(CspError::NoScriptSrc);
    }
    let page = format!(
        "{}{}{}",
        &html[..content_at],
        directives.join("; "),
        &html[content_at + content_len..]
    );
    Ok((page, hashes.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'" />
<script type="module">
import init from './app.js';
await init();
</script>
<link rel="modulepreload" href="./app.js"><script src="./other.js"></script></head></html>"#;

    #[test]
    fn hashes_a_script_as_browsers_do() {
        // The CSP spec's example: sha256 of `alert('Hello, world.');`.
        assert_eq!(
            script_hash("alert('Hello, world.');"),
            "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        );
    }

    #[test]
    fn pins_each_inline_script_and_leaves_the_rest_alone() {
        let (page, pinned) = pin_inline_scripts(PAGE).expect("pinned");
        assert_eq!(pinned, 1);
        let hash = script_hash("\nimport init from './app.js';\nawait init();\n");
        assert!(page.contains(&format!(
            "content=\"default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {hash}; style-src 'self'\""
        )), "{page}");
        assert_eq!(page.replace(&format!(" {hash}"), ""), PAGE);
        // Running it again changes nothing.
        assert_eq!(pin_inline_scripts(&page).expect("again").0, page);
    }

    #[test]
    fn refuses_pages_it_cannot_secure() {
        assert_eq!(pin_inline_scripts("<html></html>"), Err(CspError::NoPolicy));
        assert_eq!(
            pin_inline_scripts(&PAGE.replace("script-src", "worker-src")),
            Err(CspError::NoScriptSrc)
        );
        assert_eq!(
            pin_inline_scripts(&PAGE.replace("'wasm-unsafe-eval'", "'unsafe-inline'")),
            Err(CspError::UnsafeInline)
        );
        assert_eq!(
            pin_inline_scripts(PAGE.split("</script>").next().unwrap_or_default()),
            Err(CspError::UnclosedScript)
        );
    }
}
