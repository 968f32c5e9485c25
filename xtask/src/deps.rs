//! Which versions of a crate a package pulls in, asked of cargo
//! (`cargo metadata`), and the versions a foreign lock file pins.
//!
//! The workspace's own graph comes from cargo, which knows every rule of its
//! lock files and manifests. A lock file cargo cannot resolve here (the
//! wasm-bindgen-cli source's, which names a crate version this registry does
//! not serve: pitfall 2) is read as the TOML it is, for its `[[package]]`
//! names and versions only.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use semver::Version;
use serde::Deserialize;

use crate::util::{self, Error, Result};

/// The part of `cargo metadata --format-version 1` read here.
#[derive(Debug, Deserialize)]
struct Metadata {
    packages: Vec<MetaPackage>,
    /// Absent with `--no-deps`.
    resolve: Option<Resolve>,
}

#[derive(Debug, Deserialize)]
struct MetaPackage {
    id: String,
    name: String,
    version: Version,
}

#[derive(Debug, Deserialize)]
struct Resolve {
    nodes: Vec<Node>,
}

/// A package of the resolved graph and the ids of what it depends on, of
/// every kind (normal, build, dev) and for every platform.
#[derive(Debug, Deserialize)]
struct Node {
    id: String,
    dependencies: Vec<String>,
}

/// The workspace's resolved dependency graph, as cargo reports it.
#[derive(Debug)]
pub struct DependencyGraph {
    packages: HashMap<String, (String, Version)>,
    edges: HashMap<String, Vec<String>>,
}

impl DependencyGraph {
    /// Asks cargo for the graph of the workspace at `root` (it brings
    /// `Cargo.lock` up to date the way a build would).
    pub fn of_workspace(root: &Path) -> Result<DependencyGraph> {
        let mut cmd = util::cargo();
        cmd.args(["metadata", "--format-version", "1"])
            .current_dir(root);
        let json = util::output(&mut cmd)?;
        DependencyGraph::from_json(&json)
            .map_err(|err| Error::Unusable(format!("cannot read `cargo metadata`: {err}")))
    }

    /// Reads the output of `cargo metadata --format-version 1`.
    pub fn from_json(json: &str) -> serde_json::Result<DependencyGraph> {
        let metadata: Metadata = serde_json::from_str(json)?;
        let packages = metadata
            .packages
            .into_iter()
            .map(|package| (package.id, (package.name, package.version)))
            .collect();
        let edges = metadata
            .resolve
            .map(|resolve| resolve.nodes)
            .unwrap_or_default()
            .into_iter()
            .map(|node| (node.id, node.dependencies))
            .collect();
        Ok(DependencyGraph { packages, edges })
    }

    /// The versions of `name` that the package `root` depends on, directly
    /// or through other crates, lowest first. Cargo's graph holds the
    /// dependencies of every target, so this includes crates only used on
    /// some platforms (wasm32, for example) and dev-dependencies.
    pub fn versions_reachable(&self, root: &str, name: &str) -> Vec<Version> {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut queue: Vec<&str> = self
            .packages
            .iter()
            .filter(|(_, (package, _))| package == root)
            .map(|(id, _)| id.as_str())
            .collect();
        while let Some(id) = queue.pop() {
            if !seen.insert(id) {
                continue;
            }
            queue.extend(self.edges.get(id).into_iter().flatten().map(String::as_str));
        }
        let found: BTreeSet<&Version> = seen
            .into_iter()
            .filter_map(|id| self.packages.get(id))
            .filter(|(package, _)| package == name)
            .map(|(_, version)| version)
            .collect();
        found.into_iter().cloned().collect()
    }
}

/// The part of a `Cargo.lock` read here.
#[derive(Debug, Deserialize)]
struct LockFile {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(Debug, Deserialize)]
struct LockedPackage {
    name: String,
    version: Version,
}

/// Every version of `name` a lock file pins, in file order.
pub fn locked_versions(lock_text: &str, name: &str) -> Result<Vec<Version>> {
    let lock: LockFile = toml::from_str(lock_text)
        .map_err(|err| Error::Unusable(format!("cannot read a Cargo.lock: {err}")))?;
    Ok(lock
        .package
        .into_iter()
        .filter(|package| package.name == name)
        .map(|package| package.version)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A graph in `cargo metadata`'s shape: chrono lists wasm-bindgen (for
    /// wasm32) under the emulator, two versions of syn, a foreign crate
    /// with the same id scheme cargo uses.
    const METADATA: &str = r#"{
      "packages": [
        {"id": "registry+https://github.com/rust-lang/crates.io-index#chrono@0.4.45", "name": "chrono", "version": "0.4.45"},
        {"id": "registry+https://github.com/rust-lang/crates.io-index#js-sys@0.3.80", "name": "js-sys", "version": "0.3.80"},
        {"id": "path+file:///ws/portal-emulator#0.1.0", "name": "portal-emulator", "version": "0.1.0"},
        {"id": "registry+https://github.com/rust-lang/crates.io-index#syn@2.0.100", "name": "syn", "version": "2.0.100"},
        {"id": "registry+https://github.com/rust-lang/crates.io-index#syn@3.0.10", "name": "syn", "version": "3.0.10"},
        {"id": "registry+https://github.com/rust-lang/crates.io-index#wasm-bindgen@0.2.130", "name": "wasm-bindgen", "version": "0.2.130"},
        {"id": "path+file:///ws#workflow-monitor@0.1.0", "name": "workflow-monitor", "version": "0.1.0"},
        {"id": "path+file:///ws/xtask#0.1.0", "name": "xtask", "version": "0.1.0"}
      ],
      "resolve": {
        "nodes": [
          {"id": "registry+https://github.com/rust-lang/crates.io-index#chrono@0.4.45", "dependencies": ["registry+https://github.com/rust-lang/crates.io-index#js-sys@0.3.80"]},
          {"id": "registry+https://github.com/rust-lang/crates.io-index#js-sys@0.3.80", "dependencies": ["registry+https://github.com/rust-lang/crates.io-index#wasm-bindgen@0.2.130"]},
          {"id": "path+file:///ws/portal-emulator#0.1.0", "dependencies": ["registry+https://github.com/rust-lang/crates.io-index#chrono@0.4.45"]},
          {"id": "registry+https://github.com/rust-lang/crates.io-index#syn@2.0.100", "dependencies": []},
          {"id": "registry+https://github.com/rust-lang/crates.io-index#syn@3.0.10", "dependencies": []},
          {"id": "registry+https://github.com/rust-lang/crates.io-index#wasm-bindgen@0.2.130", "dependencies": ["registry+https://github.com/rust-lang/crates.io-index#syn@3.0.10"]},
          {"id": "path+file:///ws#workflow-monitor@0.1.0", "dependencies": []},
          {"id": "path+file:///ws/xtask#0.1.0", "dependencies": ["registry+https://github.com/rust-lang/crates.io-index#syn@2.0.100"]}
        ]
      },
      "workspace_members": []
    }"#;

    fn versions(list: &[&str]) -> Vec<Version> {
        list.iter().map(|v| Version::parse(v).unwrap()).collect()
    }

    #[test]
    fn finds_a_crate_pulled_in_through_other_crates() {
        let graph = DependencyGraph::from_json(METADATA).unwrap();
        assert_eq!(
            graph.versions_reachable("portal-emulator", "wasm-bindgen"),
            versions(&["0.2.130"])
        );
    }

    #[test]
    fn does_not_count_crates_another_workspace_member_pulls_in() {
        // The app must not install wasm-bindgen-cli because the emulator's
        // chrono happens to list wasm-bindgen for wasm32 targets.
        let graph = DependencyGraph::from_json(METADATA).unwrap();
        assert!(graph
            .versions_reachable("workflow-monitor", "wasm-bindgen")
            .is_empty());
    }

    #[test]
    fn follows_the_exact_version_each_package_depends_on() {
        let graph = DependencyGraph::from_json(METADATA).unwrap();
        assert_eq!(
            graph.versions_reachable("xtask", "syn"),
            versions(&["2.0.100"])
        );
        assert_eq!(
            graph.versions_reachable("wasm-bindgen", "syn"),
            versions(&["3.0.10"])
        );
    }

    #[test]
    fn an_unknown_root_reaches_nothing() {
        let graph = DependencyGraph::from_json(METADATA).unwrap();
        assert!(graph.versions_reachable("nope", "syn").is_empty());
    }

    #[test]
    fn asks_cargo_for_the_real_workspace() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let graph = DependencyGraph::of_workspace(&root).unwrap();
        assert_eq!(
            graph.versions_reachable("xtask", "xtask"),
            versions(&["0.1.0"])
        );
        // The app pins one wasm-bindgen exactly (`=0.2.x`).
        let bindgen = graph.versions_reachable("workflow-monitor", "wasm-bindgen");
        assert_eq!(bindgen.len(), 1, "{bindgen:?}");
        assert_eq!((bindgen[0].major, bindgen[0].minor), (0, 2));
    }

    #[test]
    fn reads_the_versions_a_foreign_lock_file_pins() {
        let lock = r#"
# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "webpki-roots"
version = "0.26.11"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "webpki-roots 1.0.11",
]

[[package]]
name = "webpki-roots"
version = "1.0.11"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "0000"
"#;
        assert_eq!(
            locked_versions(lock, "webpki-roots").unwrap(),
            versions(&["0.26.11", "1.0.11"])
        );
        assert!(locked_versions(lock, "syn").unwrap().is_empty());
        assert!(locked_versions("[[package]\n", "syn").is_err());
    }
}
