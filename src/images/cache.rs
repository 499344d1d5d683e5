//! Fetched pictures on disk, in the data dir, by the SHA-256 of their URL:
//! an article opened again shows its pictures without the network. The
//! directory is kept under a size limit, the least recently used (oldest
//! modification time: a hit touches its file) going first.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

/// The default limit on the cache's size.
pub const DEFAULT_LIMIT: u64 = 100 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    limit: u64,
}

impl Cache {
    pub fn new(dir: PathBuf, limit: u64) -> Cache {
        Cache { dir, limit }
    }

    fn path(&self, url: &str) -> PathBuf {
        let hash = Sha256::digest(url.as_bytes());
        let name: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(name)
    }

    /// A picture's bytes, if cached (and marks it used).
    pub fn get(&self, url: &str) -> Option<Vec<u8>> {
        let path = self.path(url);
        let bytes = std::fs::read(&path).ok()?;
        if let Ok(file) = std::fs::File::options().write(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
        Some(bytes)
    }

    /// Keeps a picture's bytes (written whole, then renamed into place), then
    /// trims the cache to its limit. Failures only cost the cache.
    pub fn put(&self, url: &str, bytes: &[u8]) {
        if bytes.len() as u64 > self.limit {
            return;
        }
        let stored = std::fs::create_dir_all(&self.dir).and_then(|()| {
            let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
            std::io::Write::write_all(&mut tmp, bytes)?;
            tmp.persist(self.path(url)).map_err(|e| e.error)?;
            Ok(())
        });
        if let Err(e) = stored {
            tracing::warn!("caching a picture in {} failed: {e}", self.dir.display());
            return;
        }
        trim(&self.dir, self.limit);
    }
}

/// Removes the least recently used files until the directory holds at most `limit` bytes.
pub fn trim(dir: &Path, limit: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut files: Vec<(SystemTime, u64, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let meta = e.metadata().ok().filter(|m| m.is_file())?;
            Some((meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len(), e.path()))
        })
        .collect();
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    if total <= limit {
        return;
    }
    files.sort();
    for (_, len, path) in files {
        if total <= limit {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}
