//! Files the commands write for the user (exports): written whole or not at
//! all, with one rule for their mode — that of any new document, 0666 less
//! the user's umask (usually 0644) — whatever the format.

use std::io::Write;
use std::path::Path;

/// Writes next to `path` and renames over it: a failed export never leaves a
/// half-written file in place of a good one.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // The mode is given to open(2), which applies the umask, as for any new file.
    let mut tmp = tempfile::Builder::new()
        .prefix(".tidings-export-")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
