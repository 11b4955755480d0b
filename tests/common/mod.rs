//! Helpers shared by integration tests: temporary folders and the broken-book corpus under
//! `tests/data/broken`. Each test file compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use landpool::folder::BookFolder;

/// The corpus's cases (one folder each), in name order.
pub fn broken_cases() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/broken");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the corpus has {} cases", cases.len());
    cases
}

/// The reference folder in `dir` with a case of the corpus laid over it: its CSV files
/// replace the reference's, and the files named in its `REMOVE` are removed.
pub fn broken_folder(case: &Path, dir: &Path) {
    BookFolder::reference()
        .and_then(|folder| folder.write(dir))
        .unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(case).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match name.as_str() {
            "expected.txt" | "README.md" => {}
            "REMOVE" => {
                let list = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
                for file in list.lines().filter(|l| !l.is_empty()) {
                    std::fs::remove_file(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
                }
            }
            _ => {
                std::fs::copy(&path, dir.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
    }
}

/// A fresh, empty directory under the system's temporary directory, removed when dropped;
/// named after the test file, the process and `name`.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "landpool-{}-{}-{name}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("{e}"));
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
