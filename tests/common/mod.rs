//! Helpers shared by integration tests: temporary folders, the example binaries (built for
//! the test's profile and features) and the broken-book corpus under
//! `tests/data/broken`. Each test file compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

/// The examples' binaries, each built (or found up to date) once per test run.
pub fn example_binary(name: &'static str) -> PathBuf {
    static BUILT: std::sync::OnceLock<std::sync::Mutex<Vec<(&'static str, PathBuf)>>> =
        OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    let mut built = built.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, path)) = built.iter().find(|(n, _)| *n == name) {
        return path.clone();
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    // target/<profile>/deps/<test>-<hash>
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("{} is not in target/<profile>/deps", exe.display()));
    build_example(profile, name);
    let path = profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is not there even after building the example",
        path.display()
    );
    built.push((name, path.clone()));
    path
}

/// Runs `$CARGO build --example NAME` into the target directory holding `profile`, with this
/// test's profile and exactly its features (so that nothing else is rebuilt).
fn build_example(profile: &Path, name: &str) {
    let cargo = std::env::var_os("CARGO")
        .or_else(|| option_env!("CARGO").map(Into::into))
        .unwrap_or_else(|| panic!("$CARGO is not set: the {name} example cannot be built"));
    let target_dir = profile
        .parent()
        .unwrap_or_else(|| panic!("{} has no parent", profile.display()));
    let mut command = std::process::Command::new(cargo);
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--example", name, "--target-dir"])
        .arg(target_dir);
    // `cargo test` puts the dev profile's files in `debug`, `--release`'s in `release`,
    // and `--profile NAME`'s in `NAME`.
    match profile.file_name().and_then(std::ffi::OsStr::to_str) {
        Some("debug") => {}
        Some("release") => {
            command.arg("--release");
        }
        Some(other) => {
            command.args(["--profile", other]);
        }
        None => panic!("{} names no profile", profile.display()),
    }
    let features: Vec<&str> = [
        (cfg!(feature = "default"), "default"),
        (cfg!(feature = "xlsx"), "xlsx"),
        (cfg!(feature = "proptest"), "proptest"),
    ]
    .into_iter()
    .filter_map(|(on, feature)| on.then_some(feature))
    .collect();
    command.arg("--no-default-features");
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let built = command
        .output()
        .unwrap_or_else(|e| panic!("running {command:?}: {e}"));
    assert!(
        built.status.success(),
        "{command:?} failed: {}\n{}",
        built.status,
        String::from_utf8_lossy(&built.stderr)
    );
}

/// An id (member, parcel, contract, event, …) from its text; panics on a bad one.
pub fn id<T: std::str::FromStr<Err = landpool::Error>>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|e| panic!("bad id {text}: {e}"))
}

/// An amount from its text; panics on a bad one.
pub fn yuan(text: &str) -> landpool::Yuan {
    text.parse()
        .unwrap_or_else(|e| panic!("bad amount {text}: {e}"))
}

/// An account code from its text; panics on a bad one.
pub fn code(text: &str) -> landpool::ledger::AccountCode {
    landpool::ledger::AccountCode::new(text).unwrap_or_else(|e| panic!("bad code {text}: {e}"))
}

/// The cells of a CSV output (UTF-8 with a byte-order mark), row by row.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}
