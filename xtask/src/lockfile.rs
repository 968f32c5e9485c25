//! Just enough of `Cargo.lock` to answer "which version of crate X does
//! package P pull in", without a TOML dependency.
//!
//! Cargo writes lock files in one fixed layout (`[[package]]` tables with
//! `name`, `version` and a `dependencies` array of `"name"` or
//! `"name version"` or `"name version (source)"` strings), which is all this
//! reads.

use std::collections::BTreeSet;

/// One `[[package]]` entry of a lock file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Package {
    /// The crate name.
    pub name: String,
    /// The exact version locked.
    pub version: String,
    /// Its dependencies as the lock file names them.
    pub dependencies: Vec<Dependency>,
}

/// A dependency edge: the version is present only when the lock file holds
/// several versions of that crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The crate name.
    pub name: String,
    /// The exact version, when the lock file needed to say which.
    pub version: Option<String>,
}

impl Dependency {
    fn parse(entry: &str) -> Option<Dependency> {
        let mut words = entry.split_whitespace();
        let name = words.next()?.to_string();
        let version = words.next().map(str::to_string);
        Some(Dependency { name, version })
    }
}

/// A parsed lock file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lockfile {
    /// Every `[[package]]` entry, in file order.
    pub packages: Vec<Package>,
}

impl Lockfile {
    /// Reads the `[[package]]` tables of a lock file; anything else is skipped.
    pub fn parse(text: &str) -> Lockfile {
        let mut packages = Vec::new();
        let mut current: Option<Package> = None;
        let mut in_dependencies = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with('[') && !in_dependencies {
                packages.extend(current.take());
                if line == "[[package]]" {
                    current = Some(Package::default());
                }
                continue;
            }
            let Some(package) = current.as_mut() else {
                continue;
            };
            if in_dependencies {
                in_dependencies = !line.starts_with(']');
                package
                    .dependencies
                    .extend(quoted_strings(line).filter_map(Dependency::parse));
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            match key.trim() {
                "name" => package.name = unquote(value),
                "version" => package.version = unquote(value),
                "dependencies" => {
                    let value = value.trim();
                    in_dependencies = !value.ends_with(']');
                    package
                        .dependencies
                        .extend(quoted_strings(value).filter_map(Dependency::parse));
                }
                _ => {}
            }
        }
        packages.extend(current);
        Lockfile { packages }
    }

    /// Every locked version of `name`, in file order.
    pub fn versions_of(&self, name: &str) -> Vec<&str> {
        self.packages
            .iter()
            .filter(|package| package.name == name)
            .map(|package| package.version.as_str())
            .collect()
    }

    /// The versions of `name` that `root` depends on, directly or through
    /// other crates. Lock files list dependencies for every target, so this
    /// includes crates only used on some platforms (wasm32, for example).
    pub fn versions_reachable(&self, root: &str, name: &str) -> Vec<&str> {
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        let mut queue: Vec<usize> = self.find(root, None).into_iter().collect();
        while let Some(index) = queue.pop() {
            if !seen.insert(index) {
                continue;
            }
            for dependency in &self.packages[index].dependencies {
                queue.extend(self.find(&dependency.name, dependency.version.as_deref()));
            }
        }
        let found: BTreeSet<&str> = seen
            .into_iter()
            .map(|index| &self.packages[index])
            .filter(|package| package.name == name)
            .map(|package| package.version.as_str())
            .collect();
        found.into_iter().collect()
    }

    fn find(&self, name: &str, version: Option<&str>) -> Option<usize> {
        self.packages.iter().position(|package| {
            package.name == name && version.is_none_or(|version| package.version == version)
        })
    }
}

fn unquote(value: &str) -> String {
    value.trim().trim_matches('"').to_string()
}

/// The `"..."` strings on one line of an array.
fn quoted_strings(line: &str) -> impl Iterator<Item = &str> {
    line.split('"').skip(1).step_by(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "chrono"
version = "0.4.45"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "js-sys",
 "num-traits",
]

[[package]]
name = "js-sys"
version = "0.3.80"
dependencies = [
 "wasm-bindgen",
]

[[package]]
name = "num-traits"
version = "0.2.19"

[[package]]
name = "portal-emulator"
version = "0.1.0"
dependencies = [
 "chrono",
]

[[package]]
name = "syn"
version = "2.0.100"

[[package]]
name = "syn"
version = "3.0.10"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
dependencies = ["cfg-if", "syn 3.0.10 (registry+https://github.com/rust-lang/crates.io-index)"]

[[package]]
name = "workflow-monitor"
version = "0.1.0"

[[package]]
name = "xtask"
version = "0.1.0"
dependencies = [
 "syn 2.0.100",
]

[metadata]
something = "else"
"#;

    #[test]
    fn reads_names_versions_and_dependencies() {
        let lock = Lockfile::parse(LOCK);
        assert_eq!(lock.packages.len(), 9);
        let wasm_bindgen = &lock.packages[6];
        assert_eq!(wasm_bindgen.name, "wasm-bindgen");
        assert_eq!(wasm_bindgen.version, "0.2.130");
        assert_eq!(
            wasm_bindgen.dependencies,
            vec![
                Dependency {
                    name: "cfg-if".into(),
                    version: None
                },
                Dependency {
                    name: "syn".into(),
                    version: Some("3.0.10".into())
                },
            ]
        );
        assert_eq!(lock.versions_of("syn"), vec!["2.0.100", "3.0.10"]);
    }

    #[test]
    fn finds_a_crate_pulled_in_through_other_crates() {
        let lock = Lockfile::parse(LOCK);
        assert_eq!(
            lock.versions_reachable("portal-emulator", "wasm-bindgen"),
            vec!["0.2.130"]
        );
    }

    #[test]
    fn does_not_count_crates_another_workspace_member_pulls_in() {
        // The app must not install wasm-bindgen-cli because the emulator's
        // chrono happens to list wasm-bindgen for wasm32 targets.
        let lock = Lockfile::parse(LOCK);
        assert!(lock
            .versions_reachable("workflow-monitor", "wasm-bindgen")
            .is_empty());
    }

    #[test]
    fn follows_the_exact_version_when_the_lock_names_one() {
        let lock = Lockfile::parse(LOCK);
        assert_eq!(lock.versions_reachable("xtask", "syn"), vec!["2.0.100"]);
        assert_eq!(
            lock.versions_reachable("wasm-bindgen", "syn"),
            vec!["3.0.10"]
        );
    }

    #[test]
    fn an_unknown_root_reaches_nothing() {
        let lock = Lockfile::parse(LOCK);
        assert!(lock.versions_reachable("nope", "syn").is_empty());
    }

    #[test]
    fn reads_the_real_workspace_lock_file() {
        let text = include_str!("../../Cargo.lock");
        let lock = Lockfile::parse(text);
        assert!(lock.versions_of("xtask").len() == 1);
        assert_eq!(lock.versions_reachable("xtask", "xtask"), vec!["0.1.0"]);
    }
}
