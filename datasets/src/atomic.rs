//! Writes that are all-or-nothing. A reader (or a crash) sees the old file or the new one, never
//! half of either: files go to a temporary sibling and are renamed into place, and whole dataset
//! folders are built in a hidden staging folder that is renamed to its final name only when done.

use std::path::{Path, PathBuf};

use crate::DatasetError;

/// Replaces `path` with `bytes` atomically (same-directory temporary file, fsync, rename).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), DatasetError> {
    use std::io::Write;
    let dir = parent_dir(path);
    std::fs::create_dir_all(&dir).map_err(|e| DatasetError::io(&dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".longforge-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| DatasetError::io(&dir, e))?;
    tmp.write_all(bytes)
        .map_err(|e| DatasetError::io(path, e))?;
    set_mode(tmp.path(), 0o644).map_err(|e| DatasetError::io(path, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| DatasetError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| DatasetError::io(path, e.error))?;
    Ok(())
}

/// Checks, writing nothing that stays, that `path` can be written as a file: it is not a
/// folder, the nearest of its folders that exists is a folder (not a file), and a file can be
/// made there. For a command that writes several outputs, so a bad last one fails before the
/// first is written.
pub fn check_writable(path: &Path) -> Result<(), DatasetError> {
    let invalid = |message: String| DatasetError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    if path.is_dir() {
        return Err(invalid(
            "is a folder; give the path of a file to write".into(),
        ));
    }
    let mut dir = parent_dir(path);
    while !dir.exists() {
        match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => dir = p.to_path_buf(),
            _ => {
                dir = PathBuf::from(".");
                break;
            }
        }
    }
    if !dir.is_dir() {
        return Err(invalid(format!(
            "cannot be written: {} is a file, not a folder",
            dir.display()
        )));
    }
    tempfile::Builder::new()
        .prefix(".longforge-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map(drop)
        .map_err(|e| {
            invalid(format!(
                "cannot be written: {} refuses new files ({e})",
                dir.display()
            ))
        })
}

/// A file written aside and put in place by [`StagedFile::commit`], for an output that must
/// appear only if another does (a command's second output, after its first). Dropped without
/// `commit`, it leaves nothing: the temporary file and the folders made for it are removed.
#[derive(Debug)]
pub struct StagedFile {
    file: Option<tempfile::NamedTempFile>,
    target: PathBuf,
    /// Folders made for it, deepest last.
    made: Vec<PathBuf>,
}

impl StagedFile {
    /// Writes `bytes` beside `path` (making its missing folders), not yet in place.
    pub fn new(path: &Path, bytes: &[u8]) -> Result<Self, DatasetError> {
        use std::io::Write;
        let dir = parent_dir(path);
        let mut missing = Vec::new();
        let mut d = dir.as_path();
        while !d.exists() {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(p) if !p.as_os_str().is_empty() => d = p,
                _ => break,
            }
        }
        missing.reverse();
        let mut staged = StagedFile {
            file: None,
            target: path.to_path_buf(),
            made: Vec::new(),
        };
        for m in missing {
            std::fs::create_dir(&m).map_err(|e| DatasetError::io(&m, e))?;
            staged.made.push(m);
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(".longforge-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| DatasetError::io(&dir, e))?;
        tmp.write_all(bytes)
            .map_err(|e| DatasetError::io(path, e))?;
        set_mode(tmp.path(), 0o644).map_err(|e| DatasetError::io(path, e))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| DatasetError::io(path, e))?;
        staged.file = Some(tmp);
        Ok(staged)
    }

    /// Renames the file into place.
    pub fn commit(mut self) -> Result<PathBuf, DatasetError> {
        let file = self.file.take().expect("commit runs once");
        file.persist(&self.target)
            .map_err(|e| DatasetError::io(&self.target, e.error))?;
        self.made.clear();
        Ok(self.target.clone())
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        drop(self.file.take());
        for dir in self.made.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Temporary files and folders are private (0600, 0700) while being written; what is published
/// gets the usual modes.
#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A folder being written. Files go into a hidden staging folder beside the target; `commit`
/// renames it into place. Dropped without `commit` (an error, a panic), the staging folder is
/// removed and the target is untouched.
#[derive(Debug)]
pub struct StagedDir {
    staging: Option<tempfile::TempDir>,
    target: PathBuf,
    replace: bool,
}

impl StagedDir {
    /// Refuses a `target` that already holds files unless `replace` is set, so a typo cannot
    /// overwrite a published dataset.
    pub fn new(target: &Path, replace: bool) -> Result<Self, DatasetError> {
        if target.is_file() {
            return Err(DatasetError::Invalid {
                path: target.to_path_buf(),
                message: "is a file; give the path of a folder to write".into(),
            });
        }
        // The folder this process runs in (or one holding it) cannot be renamed over.
        if let (Ok(here), Ok(t)) = (std::env::current_dir(), std::fs::canonicalize(target)) {
            if here.starts_with(&t) {
                return Err(DatasetError::Invalid {
                    path: target.to_path_buf(),
                    message: "is the folder longforge runs in (or holds it), which cannot be replaced; give another folder, or run from elsewhere".into(),
                });
            }
        }
        if !replace && target.exists() {
            let has_files = std::fs::read_dir(target)
                .map_err(|e| DatasetError::io(target, e))?
                .next()
                .is_some();
            if has_files {
                return Err(DatasetError::Invalid {
                    path: target.to_path_buf(),
                    message: "output folder already exists and is not empty; choose another --out or pass --force to replace it".into(),
                });
            }
        }
        let parent = parent_dir(target);
        std::fs::create_dir_all(&parent).map_err(|e| DatasetError::io(&parent, e))?;
        let staging = tempfile::Builder::new()
            .prefix(".longforge-staging-")
            .tempdir_in(&parent)
            .map_err(|e| DatasetError::io(&parent, e))?;
        Ok(StagedDir {
            staging: Some(staging),
            target: target.to_path_buf(),
            replace,
        })
    }

    /// Where to write files now.
    pub fn path(&self) -> &Path {
        self.staging
            .as_ref()
            .map(|s| s.path())
            .unwrap_or(&self.target)
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the finished folder into place.
    pub fn commit(mut self) -> Result<PathBuf, DatasetError> {
        let staging = self.staging.take().expect("commit runs once");
        let staged = staging.keep();
        set_mode(&staged, 0o755).map_err(|e| DatasetError::io(&staged, e))?;
        if self.target.exists() {
            if !self.replace {
                // An empty folder was there (checked in `new`): replace it.
                std::fs::remove_dir(&self.target).map_err(|e| DatasetError::io(&self.target, e))?;
            } else {
                // Move the old one aside first so a failure cannot leave neither.
                let old = staged.with_extension("old");
                std::fs::rename(&self.target, &old)
                    .map_err(|e| DatasetError::io(&self.target, e))?;
                std::fs::rename(&staged, &self.target)
                    .map_err(|e| DatasetError::io(&self.target, e))?;
                std::fs::remove_dir_all(&old).map_err(|e| DatasetError::io(&old, e))?;
                return Ok(self.target.clone());
            }
        }
        std::fs::rename(&staged, &self.target).map_err(|e| DatasetError::io(&self.target, e))?;
        Ok(self.target.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_stage_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        {
            let stage = StagedDir::new(&target, false).unwrap();
            write(&stage.path().join("a.txt"), b"x").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_staged_file_appears_on_commit_and_leaves_nothing_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b/p.jsonl");
        check_writable(&target).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        {
            let _staged = StagedFile::new(&target, b"x").unwrap();
            assert!(!target.exists());
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "left behind"
        );
        StagedFile::new(&target, b"x").unwrap().commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"x");

        let file = dir.path().join("afile");
        std::fs::write(&file, b"").unwrap();
        let err = check_writable(&file.join("p.jsonl"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("is a file, not a folder"), "{err}");
        let err = check_writable(dir.path()).unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
    }

    #[test]
    fn commit_and_replace() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let stage = StagedDir::new(&target, false).unwrap();
        write(&stage.path().join("a.txt"), b"one").unwrap();
        stage.commit().unwrap();
        assert_eq!(std::fs::read(target.join("a.txt")).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode(&target.join("a.txt")),
                0o644,
                "published files are readable"
            );
            assert_eq!(mode(&target), 0o755);
        }

        let err = StagedDir::new(&target, false).unwrap_err().to_string();
        assert!(err.contains("--force"), "{err}");

        let stage = StagedDir::new(&target, true).unwrap();
        write(&stage.path().join("b.txt"), b"two").unwrap();
        stage.commit().unwrap();
        assert!(!target.join("a.txt").exists());
        assert_eq!(std::fs::read(target.join("b.txt")).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
