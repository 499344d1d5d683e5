//! Replacing the config file safely: through a symlink to its target (so a
//! config kept in a dotfiles repository stays linked), with the file's own
//! mode, in one rename of a temporary file beside it (a crash never leaves
//! half a config), and under an advisory lock, so two `tidings feeds add`
//! at once both land instead of one overwriting the other.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Symlinks followed at most (a loop is an error, like the kernel's ELOOP).
const MAX_LINKS: usize = 40;

/// The file a config path really names: the target of any symlinks, even
/// one that does not exist yet.
pub fn target(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// An exclusive advisory lock on the directory that holds the config,
/// released when dropped. A directory, not the file: the file is replaced by
/// a rename, and a lock on its old inode would protect nothing.
#[derive(Debug)]
pub struct Lock {
    _dir: File,
}

impl Lock {
    /// Waits until no other tidings is rewriting the config next to `target`.
    pub fn acquire(target: &Path) -> std::io::Result<Lock> {
        let dir = parent(target);
        std::fs::create_dir_all(dir)?;
        let handle = File::open(dir)?;
        handle.lock()?;
        Ok(Lock { _dir: handle })
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Writes `text` to a temporary file beside `target` with `target`'s mode
/// (0644 for a new file), flushes it to disk, and renames it over `target`.
pub fn write_atomically(target: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = parent(target);
    std::fs::create_dir_all(dir)?;
    let mode = match std::fs::metadata(target) {
        Ok(meta) => meta.permissions(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::Permissions::from_mode(0o644),
        Err(e) => return Err(e),
    };
    let mut tmp = tempfile::Builder::new().prefix(".tidings-config-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().set_permissions(mode)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_symlinked_config_stays_a_symlink_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles/tidings.toml");
        std::fs::create_dir_all(real.parent().unwrap()).unwrap();
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink("dotfiles/tidings.toml", &link).unwrap();
        let link2 = dir.path().join("again.toml");
        std::os::unix::fs::symlink(&link, &link2).unwrap();

        let target = target(&link2).unwrap();
        assert_eq!(std::fs::canonicalize(&target).unwrap(), std::fs::canonicalize(&real).unwrap());
        write_atomically(&target, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&link2).unwrap(), "new");
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
        let left: Vec<_> = std::fs::read_dir(real.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn a_dangling_link_names_the_file_to_create_and_a_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink("elsewhere.toml", &link).unwrap();
        assert_eq!(target(&link).unwrap(), dir.path().join("elsewhere.toml"));
        write_atomically(&target(&link).unwrap(), "x").unwrap();
        assert_eq!(std::fs::metadata(dir.path().join("elsewhere.toml")).unwrap().permissions().mode() & 0o777, 0o644);
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(target(&a).is_err());
    }
}
