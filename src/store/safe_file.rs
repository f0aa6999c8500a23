//! Files dossier writes beside the book (exports, backups): written to a
//! private temporary file in the target's folder and renamed into place only
//! when complete, so a failed or interrupted write never leaves a truncated
//! or 0-byte file, and never damages what was there.
//!
//! The target is refused when it is a symbolic link (even with `force`: a
//! link can point anywhere, e.g. at /etc/passwd), the open book or its
//! `-wal`/`-shm`/`-journal` file (writing there destroys the book), a folder,
//! or an existing file unless `force` is given.

use super::{Result, StoreError};
use std::fs::File;
use std::path::{Path, PathBuf};

/// A file being written: the temporary copy, renamed into place by
/// [`OutputFile::commit`]; dropped without a commit, it is removed.
#[derive(Debug)]
pub struct OutputFile {
    target: PathBuf,
    temp: PathBuf,
    file: Option<File>,
    force: bool,
    book: Option<PathBuf>,
}

/// The sidecar files SQLite keeps beside a book.
const BOOK_SUFFIXES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Whether an I/O error means there is no room left (a full disk, or a file
/// size limit, which a write reports the same way for our purposes).
pub fn is_out_of_space(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::ENOSPC) | Some(libc::EFBIG) | Some(libc::EDQUOT)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The message for a failed write of `target`: one wording for a full disk.
pub fn write_error(target: &Path, e: std::io::Error) -> StoreError {
    if is_out_of_space(&e) {
        return StoreError::Refused(format!(
            "the disk is full — {} was not written (no partial file was left) and the book is unchanged; free some space and try again",
            target.display()
        ));
    }
    StoreError::Io {
        path: target.display().to_string(),
        source: e,
    }
}

/// The target with its folder resolved (links in the folder path are
/// followed; the last component is not).
fn resolve(target: &Path) -> Result<PathBuf> {
    let Some(name) = target.file_name() else {
        return Err(StoreError::Refused(format!(
            "{} is not a file name — name the file to write, e.g. book-monday.csv",
            target.display()
        )));
    };
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = parent.canonicalize().map_err(|e| StoreError::Io {
        path: parent.display().to_string(),
        source: e,
    })?;
    Ok(dir.join(name))
}

/// Refuses the targets that must never be written (see the module docs).
fn check_target(target: &Path, resolved: &Path, force: bool, book: Option<&Path>) -> Result<()> {
    if let Some(book) = book {
        let real = book.canonicalize().unwrap_or_else(|_| book.to_path_buf());
        let same_file = |p: &Path| -> bool {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                if let (Ok(a), Ok(b)) = (std::fs::metadata(p), std::fs::metadata(resolved)) {
                    return a.dev() == b.dev() && a.ino() == b.ino();
                }
            }
            let _ = p;
            false
        };
        for suffix in BOOK_SUFFIXES {
            let side = with_suffix(&real, suffix);
            if side == resolved || same_file(&side) {
                return Err(StoreError::Refused(format!(
                    "{} is the open book{} — writing there would destroy it; pick another file name",
                    target.display(),
                    if suffix.is_empty() {
                        String::new()
                    } else {
                        format!("'s {suffix} file")
                    }
                )));
            }
        }
    }
    match std::fs::symlink_metadata(resolved) {
        Ok(m) if m.file_type().is_symlink() => Err(StoreError::Refused(format!(
            "{} is a symbolic link — dossier never writes through a link (it could point anywhere); name a real file",
            target.display()
        ))),
        Ok(m) if m.is_dir() => Err(StoreError::Refused(format!(
            "{} is a folder — name a file inside it",
            target.display()
        ))),
        // A device or a pipe (/dev/null, a FIFO): renaming over it would
        // replace the device itself, even with --force.
        Ok(m) if !m.is_file() => Err(StoreError::Refused(format!(
            "{} is not a regular file (a device, pipe or socket) — name a file; without -o the output goes to the terminal or a pipe",
            target.display()
        ))),
        Ok(_) if !force => Err(StoreError::Refused(format!(
            "{} already exists — pick a new file name, or add --force to replace it",
            target.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::Io {
            path: target.display().to_string(),
            source: e,
        }),
    }
}

/// Creates a new file 0600 without following a link at its path.
pub(crate) fn create_new_private(path: &Path) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).read(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    o.open(path)
}

impl OutputFile {
    /// Starts writing `target`. `book` is the open database, never written.
    pub fn create(target: &Path, force: bool, book: Option<&Path>) -> Result<OutputFile> {
        let resolved = resolve(target)?;
        check_target(target, &resolved, force, book)?;
        let dir = resolved.parent().unwrap_or(Path::new("."));
        let name = resolved
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let temp = dir.join(format!(".{name}.{}-{nanos}.part", std::process::id()));
        let file = create_new_private(&temp).map_err(|e| write_error(target, e))?;
        Ok(OutputFile {
            target: target.to_path_buf(),
            temp,
            file: Some(file),
            force,
            book: book.map(Path::to_path_buf),
        })
    }

    /// The open temporary file, to write into.
    pub fn file(&mut self) -> &mut File {
        self.file
            .as_mut()
            .expect("the file is open until commit, which consumes it")
    }

    /// The temporary file's path (for writers that open it themselves, such
    /// as SQLite's backup).
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Flushes the file to disk and renames it into place. Without `force`
    /// an existing target is never replaced, even one created meanwhile.
    pub fn commit(mut self) -> Result<()> {
        if let Some(f) = self.file.take() {
            f.sync_all().map_err(|e| write_error(&self.target, e))?;
        }
        let resolved = resolve(&self.target)?;
        // Checked again: the folder may have changed while we wrote.
        check_target(&self.target, &resolved, self.force, self.book.as_deref())?;
        if self.force {
            std::fs::rename(&self.temp, &resolved).map_err(|e| write_error(&self.target, e))?;
        } else {
            // A hard link fails if the name exists: no window in which a file
            // that appeared meanwhile is replaced.
            match std::fs::hard_link(&self.temp, &resolved) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&self.temp);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(StoreError::Refused(format!(
                        "{} already exists — pick a new file name, or add --force to replace it",
                        self.target.display()
                    )));
                }
                // A file system without hard links: rename after the check above.
                Err(_) => std::fs::rename(&self.temp, &resolved)
                    .map_err(|e| write_error(&self.target, e))?,
            }
        }
        if let Some(dir) = resolved.parent() {
            // The rename itself is durable once the folder is synced.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        self.temp = PathBuf::new();
        Ok(())
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    /// `export -o /dev/null --force` once replaced /dev/null with a plain
    /// file. A FIFO stands in for the device here.
    #[cfg(unix)]
    #[test]
    fn a_device_or_pipe_is_refused_even_with_force() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path and a plain mode.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let Err(e) = OutputFile::create(&fifo, true, None) else {
            panic!("a pipe must be refused");
        };
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe is still a pipe");
    }

    #[test]
    fn a_dropped_file_leaves_nothing_and_a_committed_one_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let mut f = OutputFile::create(&target, false, None).unwrap();
        f.file().write_all(b"half").unwrap();
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut f = OutputFile::create(&target, false, None).unwrap();
        f.file().write_all(b"whole").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_appearing_while_writing_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let f = OutputFile::create(&target, false, None).unwrap();
        std::fs::write(&target, b"theirs").unwrap();
        let e = f.commit().unwrap_err().to_string();
        assert!(e.contains("already exists"), "{e}");
        assert_eq!(std::fs::read(&target).unwrap(), b"theirs");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
