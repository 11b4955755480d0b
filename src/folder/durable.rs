//! Files a folder is given made durable, as the event log makes its own (see `crate::log`):
//! a file's bytes are synced to the disk before it takes its name, and the folder is synced
//! once its names are all in place. Without that a crash shortly after a run (a power cut
//! in a village office) can leave a statement or a book folder's table empty or cut short
//! under its final name, since a file system may write a rename to the disk before the
//! renamed file's data.

use std::fs::File;
use std::path::Path;

use crate::error::io_error;
use crate::Result;

/// Syncs `file`, written at `path` (named in errors): its bytes are on the disk when this
/// returns `Ok`.
pub(super) fn sync_file(file: &File, path: &Path) -> Result<()> {
    file.sync_all().map_err(|e| io_error(path, "syncing", &e))?;
    record(Step::Synced, path);
    Ok(())
}

/// Renames `from` to `to` (named in errors).
pub(super) fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| io_error(to, "renaming", &e))?;
    record(Step::Renamed, to);
    Ok(())
}

/// Syncs the folder `dir`, so that the names of the files made or renamed in it are durable.
/// An empty `dir` is the current folder, as `dir.join(name)` made it for the files.
#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    let open = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(open)
        .and_then(|dir| dir.sync_all())
        .map_err(|e| io_error(dir, "syncing the folder", &e))?;
    record(Step::Folder, dir);
    Ok(())
}

/// A folder cannot be opened as a file to sync it here; syncing each file is all there is.
#[cfg(not(unix))]
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    record(Step::Folder, dir);
    Ok(())
}

/// What was done to make a file durable, as the tests see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// A file's bytes synced.
    Synced,
    /// A file renamed to its name.
    Renamed,
    /// A folder synced.
    Folder,
}

/// Every step done (in tests only), with its path, in order.
#[cfg(test)]
pub(super) static STEPS: std::sync::Mutex<Vec<(Step, std::path::PathBuf)>> =
    std::sync::Mutex::new(Vec::new());

#[cfg(test)]
fn record(step: Step, path: &Path) {
    if let Ok(mut steps) = STEPS.lock() {
        steps.push((step, path.to_path_buf()));
    }
}

#[cfg(not(test))]
fn record(_step: Step, _path: &Path) {}

/// The steps done on paths in `dir` (or on `dir` itself), in order.
#[cfg(test)]
pub(super) fn steps_in(dir: &Path) -> Vec<(Step, String)> {
    STEPS
        .lock()
        .map(|steps| {
            steps
                .iter()
                .filter(|(_, path)| path.starts_with(dir))
                .map(|(step, path)| {
                    let name = if path == dir {
                        String::new()
                    } else {
                        path.file_name()
                            .map(|name| name.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    };
                    (*step, name)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folder::{
        write_all_outputs, write_outputs, write_statements, BookFolder, Output, Settings,
    };
    use crate::Book;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("landpool-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Found by review: outputs were renamed into place without being synced, and the
    /// folder not synced after. Each is synced under its temporary name, then renamed, then
    /// the folder synced; the bytes are those given.
    #[test]
    fn outputs_are_synced_then_renamed_then_the_folder_synced() -> Result<()> {
        let dir = scratch("durable-outputs");
        let outputs = [
            Output {
                name: "a.csv".into(),
                bytes: b"a".to_vec(),
            },
            Output {
                name: "b.csv".into(),
                bytes: vec![0xEF, 0xBB, 0xBF, b'b'],
            },
        ];
        write_outputs(&dir, &outputs)?;
        let expected = [
            (Step::Synced, ".a.csv.part"),
            (Step::Synced, ".b.csv.part"),
            (Step::Renamed, "a.csv"),
            (Step::Renamed, "b.csv"),
            (Step::Folder, ""),
        ]
        .map(|(step, name)| (step, name.to_string()));
        assert_eq!(steps_in(&dir), expected);
        for output in &outputs {
            assert_eq!(
                std::fs::read(dir.join(&output.name)).ok().as_ref(),
                Some(&output.bytes)
            );
        }
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    }

    /// The statements, written by two threads, and with them the journals and the events
    /// (`write_all_outputs`): every file is synced before it is renamed, none is renamed
    /// before all are synced, and the folder is synced last.
    #[test]
    fn statements_are_synced_before_they_take_their_names() -> Result<()> {
        let folder = BookFolder::reference()?;
        let book = folder.run()?;
        type Write = fn(&Book, &Settings, &std::path::PathBuf) -> Result<Vec<String>>;
        let writes: [(Write, usize); 2] = [
            (
                |book, settings, dir| write_statements(book, settings, dir),
                10,
            ),
            (
                |book, settings, dir| write_all_outputs(book, settings, dir),
                16,
            ),
        ];
        for (write, files) in writes {
            let dir = scratch(&format!("durable-statements-{files}"));
            let names = write(&book, folder.settings(), &dir)?;
            let steps = steps_in(&dir);
            let files = if cfg!(feature = "xlsx") {
                files
            } else {
                files - 1
            };
            assert_eq!(names.len(), files, "{names:?}");
            assert_eq!(steps.len(), 2 * names.len() + 1, "{steps:?}");
            assert_eq!(steps.last(), Some(&(Step::Folder, String::new())));
            let renamed_first = steps.iter().position(|(step, _)| *step == Step::Renamed);
            for name in &names {
                let at = |step: Step, name: &str| {
                    steps
                        .iter()
                        .position(|(s, n)| *s == step && n == name)
                        .unwrap_or_else(|| panic!("{step:?} {name}: {steps:?}"))
                };
                let synced = at(Step::Synced, &format!(".{name}.part"));
                assert!(synced < at(Step::Renamed, name), "{name}: {steps:?}");
                assert!(Some(synced) < renamed_first, "{name}: {steps:?}");
            }
            std::fs::remove_dir_all(&dir).ok();
        }
        Ok(())
    }

    /// A book folder's files are synced as they are written, the folder after them.
    #[test]
    fn a_book_folder_is_synced_file_by_file_then_the_folder() -> Result<()> {
        let folder = BookFolder::reference()?;
        let dir = scratch("durable-book-folder");
        folder.write(&dir)?;
        let steps = steps_in(&dir);
        let mut expected: Vec<(Step, String)> = folder
            .to_files()?
            .into_iter()
            .map(|(name, _)| (Step::Synced, name))
            .collect();
        expected.push((Step::Synced, "README.txt".into()));
        expected.push((Step::Folder, String::new()));
        assert_eq!(steps, expected);
        for (name, text) in folder.to_files()? {
            assert_eq!(std::fs::read_to_string(dir.join(&name)).ok(), Some(text));
        }
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    }

    /// Found by review: an empty folder (`write_outputs(Path::new(""), …)`) is the current
    /// folder to `create_dir_all` and `join`, so every file was written and renamed there,
    /// and then syncing the folder "" failed: the call said it had failed after replacing
    /// the files (and on Windows, which syncs no folder, it succeeded). The folder synced is
    /// the one the files went to.
    #[test]
    fn an_empty_folder_name_syncs_the_current_folder() -> Result<()> {
        sync_dir(Path::new(""))
    }
}
