//! The story grouper's index kept between runs, in a file beside the
//! database (`tidings.db.stories`), so that a start need not read and sign
//! the last window's items again: in a big archive that is thousands of
//! items, most of the cost of a small refresh. The file says which items it
//! has seen (the highest `seq`, and that item's id, so a replaced or
//! rebuilt database is noticed); a start restores it and catches up with
//! the items stored after that by reading them from the database, as
//! before. Anything wrong with the file (missing, cut short, another
//! version, another tuning, a checksum that fails) only means the start
//! reads the window from the database instead.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::stories::grouper::{BANDS, SavedEntry, Tuning};

/// The second version adds each entry's bucket keys (a change to
/// `band_keys` must change this too: the keys are used as they are read).
const MAGIC: &[u8; 8] = b"TDSTORY2";
/// The first version, still read (its keys are computed again).
const MAGIC_V1: &[u8; 8] = b"TDSTORY1";

/// What the file holds.
#[derive(Debug, PartialEq)]
pub(super) struct Saved {
    pub window_secs: i64,
    pub max_entries: u64,
    /// The highest item `seq` the grouper had seen, and that item's id.
    pub seen_seq: i64,
    pub seen_id: String,
    pub entries: Vec<SavedEntry>,
}

impl Saved {
    /// Made with this tuning (else the entries would be kept by other rules).
    pub(super) fn fits(&self, tuning: &Tuning) -> bool {
        self.window_secs == tuning.window_secs && self.max_entries == tuning.max_entries as u64
    }
}

/// The file for the database at `db`.
pub(super) fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".stories");
    PathBuf::from(name)
}

/// Writes `saved` to `path` (a temporary file renamed over it, so a reader
/// never sees half of one, and two processes saving leave one whole file).
pub(super) fn save(path: &Path, saved: &Saved) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(64 + saved.entries.len() * 300);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&saved.window_secs.to_le_bytes());
    out.extend_from_slice(&saved.max_entries.to_le_bytes());
    out.extend_from_slice(&saved.seen_seq.to_le_bytes());
    put_str(&mut out, &saved.seen_id);
    out.extend_from_slice(&(saved.entries.len() as u32).to_le_bytes());
    for e in &saved.entries {
        out.extend_from_slice(&e.id.to_le_bytes());
        out.extend_from_slice(&e.published.to_le_bytes());
        out.push(u8::from(e.follow_up));
        put_str(&mut out, &e.feed);
        put_str(&mut out, &e.story);
        out.extend_from_slice(&(e.tokens.len() as u32).to_le_bytes());
        for t in &e.tokens {
            out.extend_from_slice(&t.to_le_bytes());
        }
        // The keys of an entry with tokens (a saved entry without them has none).
        if !e.tokens.is_empty() {
            let keys = e.keys.or_else(|| crate::stories::grouper::band_keys(&e.tokens)).unwrap_or_default();
            for k in keys {
                out.extend_from_slice(&k.to_le_bytes());
            }
        }
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    let tmp = {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{}.tmp", std::process::id()));
        PathBuf::from(name)
    };
    let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(&out));
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

/// Reads the file at `path`: None when it is missing or not a whole,
/// intact file of this version.
pub(super) fn load(path: &Path) -> Option<Saved> {
    let bytes = std::fs::read(path).ok()?;
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Option<Saved> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    let mut r = Reader(body);
    let with_keys = match r.take(8)? {
        m if m == MAGIC => true,
        m if m == MAGIC_V1 => false,
        _ => return None,
    };
    let sum_of = if with_keys { checksum } else { checksum_v1 };
    if sum_of(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let window_secs = r.i64()?;
    let max_entries = r.u64()?;
    let seen_seq = r.i64()?;
    let seen_id = r.string()?;
    let count = r.u32()? as usize;
    let mut entries = Vec::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        let id = r.u64()?;
        let published = r.i64()?;
        let follow_up = r.take(1)?[0] != 0;
        let feed = r.string()?;
        let story = r.string()?;
        let n = r.u32()? as usize;
        let tokens: Vec<u32> = r.words(n)?;
        let keys = if n == 0 || !with_keys { None } else { r.words(BANDS)?.try_into().ok() };
        entries.push(SavedEntry { id, published, feed, story, follow_up, tokens, keys });
    }
    if !r.0.is_empty() {
        return None;
    }
    Some(Saved { window_secs, max_entries, seen_seq, seen_id, entries })
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The first version's checksum: FNV-1a over the bytes.
fn checksum_v1(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a over the bytes taken eight at a time (a cut or garbled file, not
/// an attack, is what it catches; a byte at a time took 3 ms of a restore).
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h ^= u64::from_le_bytes(w.try_into().unwrap_or_default());
        h = h.wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29);
    }
    for &b in words.remainder() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    /// `n` little-endian u32s.
    fn words(&mut self, n: usize) -> Option<Vec<u32>> {
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Saved {
        Saved {
            window_secs: 72 * 3600,
            max_entries: 14_000,
            seen_seq: 42,
            seen_id: "00000000000000ab".into(),
            entries: vec![
                SavedEntry {
                    id: 7,
                    published: 1_800_000_000,
                    feed: "3".into(),
                    story: "00000000000000aa".into(),
                    follow_up: false,
                    tokens: vec![1, 5, 9],
                    keys: Some([3; BANDS]),
                },
                SavedEntry {
                    id: 8,
                    published: 1_800_000_100,
                    feed: "4".into(),
                    story: "00000000000000aa".into(),
                    follow_up: true,
                    tokens: vec![],
                    keys: None,
                },
            ],
        }
    }

    #[test]
    fn a_saved_index_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(&dir.path().join("tidings.db"));
        assert!(path.ends_with("tidings.db.stories"));
        save(&path, &sample()).unwrap();
        assert_eq!(load(&path), Some(sample()));
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_of_the_first_version_is_read_without_keys() {
        // The first version: no keys, a checksum a byte at a time.
        let s = sample();
        let mut v1 = Vec::new();
        v1.extend_from_slice(MAGIC_V1);
        v1.extend_from_slice(&s.window_secs.to_le_bytes());
        v1.extend_from_slice(&s.max_entries.to_le_bytes());
        v1.extend_from_slice(&s.seen_seq.to_le_bytes());
        put_str(&mut v1, &s.seen_id);
        v1.extend_from_slice(&(s.entries.len() as u32).to_le_bytes());
        for e in &s.entries {
            v1.extend_from_slice(&e.id.to_le_bytes());
            v1.extend_from_slice(&e.published.to_le_bytes());
            v1.push(u8::from(e.follow_up));
            put_str(&mut v1, &e.feed);
            put_str(&mut v1, &e.story);
            v1.extend_from_slice(&(e.tokens.len() as u32).to_le_bytes());
            e.tokens.iter().for_each(|t| v1.extend_from_slice(&t.to_le_bytes()));
        }
        let sum = checksum_v1(&v1);
        v1.extend_from_slice(&sum.to_le_bytes());
        let read = parse(&v1).expect("read");
        assert!(read.entries.iter().all(|e| e.keys.is_none()));
        assert_eq!(read.entries.iter().map(|e| &e.tokens).collect::<Vec<_>>(), vec![&vec![1, 5, 9], &vec![]]);
        // A second-version file with the first version's checksum is not.
        let mut v2 = Vec::new();
        let dir = tempfile::tempdir().unwrap();
        save(&dir.path().join("s"), &s).unwrap();
        v2.extend_from_slice(&std::fs::read(dir.path().join("s")).unwrap());
        let body = v2.len() - 8;
        let wrong = checksum_v1(&v2[..body]);
        v2[body..].copy_from_slice(&wrong.to_le_bytes());
        assert_eq!(parse(&v2), None);
    }

    #[test]
    fn a_cut_or_garbled_file_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.stories");
        save(&path, &sample()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        for cut in [0, 7, 8, 30, bytes.len() - 1] {
            assert_eq!(parse(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut garbled = bytes.clone();
        garbled[20] ^= 1;
        assert_eq!(parse(&garbled), None);
        assert_eq!(load(&dir.path().join("missing")), None);
    }
}
