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

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::stories::grouper::{BANDS, SavedEntry, SavedRef, Tuning};

/// The second version adds each entry's bucket keys (a change to
/// `band_keys` must change this too: the keys are used as they are read).
const MAGIC: &[u8; 8] = b"TDSTORY2";
/// The first version, still read (its keys are computed again).
const MAGIC_V1: &[u8; 8] = b"TDSTORY1";

// — #10 refresh — the file is written and read a piece at a time: a full
// window's file is 3 MB, and building it (or reading it) whole, with a copy
// of the entries beside it, touched 17 MB of fresh memory in a refresh that
// otherwise needs 40: a third of the time a refresh into a big archive took
// more than one into an empty database was those page faults.
/// The size of the pieces.
const PIECE: usize = 64 << 10;

/// What the file says besides its entries.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Header {
    pub window_secs: i64,
    pub max_entries: u64,
    /// The highest item `seq` the grouper had seen, and that item's id.
    pub seen_seq: i64,
    pub seen_id: String,
}

impl Header {
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

/// Writes the `count` entries to `path` after `header` (a temporary file
/// renamed over it, so a reader never sees half of one, and two processes
/// saving leave one whole file).
pub(super) fn save<'a>(
    path: &Path,
    header: &Header,
    count: usize,
    entries: impl Iterator<Item = SavedRef<'a>>,
) -> std::io::Result<()> {
    let tmp = {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{}.tmp", std::process::id()));
        PathBuf::from(name)
    };
    let written = File::create(&tmp).and_then(|f| write(f, header, count, entries));
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

fn write<'a>(
    file: File,
    header: &Header,
    count: usize,
    entries: impl Iterator<Item = SavedRef<'a>>,
) -> std::io::Result<()> {
    let mut out = Summed { out: BufWriter::with_capacity(PIECE, file), sum: Sum::new(false) };
    out.put(MAGIC)?;
    out.put(&header.window_secs.to_le_bytes())?;
    out.put(&header.max_entries.to_le_bytes())?;
    out.put(&header.seen_seq.to_le_bytes())?;
    out.put_str(&header.seen_id)?;
    let count = u32::try_from(count).map_err(std::io::Error::other)?;
    out.put(&count.to_le_bytes())?;
    let mut written = 0;
    let mut words = Vec::with_capacity(BANDS * 4);
    for e in entries.take(count as usize) {
        written += 1;
        out.put(&e.id.to_le_bytes())?;
        out.put(&e.published.to_le_bytes())?;
        out.put(&[u8::from(e.follow_up)])?;
        out.put_str(e.feed)?;
        out.put_str(e.story)?;
        out.put(&(e.tokens.len() as u32).to_le_bytes())?;
        words.clear();
        words.extend(e.tokens.iter().flat_map(|t| t.to_le_bytes()));
        // The keys of an entry with tokens (a saved entry without them has none).
        if !e.tokens.is_empty() {
            let keys = e.keys.copied().or_else(|| crate::stories::grouper::band_keys(e.tokens)).unwrap_or_default();
            words.extend(keys.iter().flat_map(|k| k.to_le_bytes()));
        }
        out.put(&words)?;
    }
    if written != count {
        return Err(std::io::Error::other("fewer entries than counted"));
    }
    let sum = out.sum.finish();
    out.out.write_all(&sum.to_le_bytes())?;
    out.out.into_inner().map_err(|e| e.into_error())?;
    Ok(())
}

/// A writer that sums what goes through it (`Sum`).
struct Summed<W: Write> {
    out: W,
    sum: Sum,
}

impl<W: Write> Summed<W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.sum.update(bytes);
        self.out.write_all(bytes)
    }
    fn put_str(&mut self, s: &str) -> std::io::Result<()> {
        self.put(&(s.len() as u32).to_le_bytes())?;
        self.put(s.as_bytes())
    }
}

/// Opens the file at `path` for reading: None when it is missing, too
/// short or of another version. Its entries come from the iterator; what
/// they are worth is known only at its end (`Loader::finish`).
pub(super) fn open(path: &Path) -> Option<Loader> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut magic = [0; 8];
    file.read_exact(&mut magic).ok()?;
    let with_keys = match &magic {
        m if m == MAGIC => true,
        m if m == MAGIC_V1 => false,
        _ => return None,
    };
    // The first version's checksum is FNV-1a a byte at a time.
    let mut sum = Sum::new(!with_keys);
    sum.update(&magic);
    let mut src = Source { file, buf: vec![0; PIECE], pos: 0, end: 0, left: len.checked_sub(16)?, sum };
    let header =
        Header { window_secs: src.i64()?, max_entries: src.u64()?, seen_seq: src.i64()?, seen_id: src.string()? };
    let count = src.u32()?;
    Some(Loader { header, count, read: 0, with_keys, broken: false, src })
}

/// The file being read (`open`): its header, then its entries one at a time.
pub(super) struct Loader {
    header: Header,
    count: u32,
    read: u32,
    with_keys: bool,
    broken: bool,
    src: Source,
}

impl Loader {
    pub(super) fn header(&self) -> &Header {
        &self.header
    }

    /// How many entries the file says it holds.
    pub(super) fn entries(&self) -> usize {
        self.count as usize
    }

    /// The header, when every entry was read and the file is whole and
    /// intact (its length and checksum): else what was read must not be used.
    pub(super) fn finish(self) -> Option<Header> {
        if self.broken || self.read != self.count || self.src.left != 0 || self.src.pos != self.src.end {
            return None;
        }
        let Loader { header, src: Source { mut file, sum, .. }, .. } = self;
        let mut trailer = [0; 8];
        file.read_exact(&mut trailer).ok()?;
        (sum.finish() == u64::from_le_bytes(trailer)).then_some(header)
    }

    fn entry(&mut self) -> Option<SavedEntry> {
        let r = &mut self.src;
        let id = r.u64()?;
        let published = r.i64()?;
        let follow_up = r.take(1)?[0] != 0;
        let feed = r.string()?;
        let story = r.string()?;
        let n = r.u32()? as usize;
        let tokens: Vec<u32> = r.words(n)?;
        let keys = if n == 0 || !self.with_keys { None } else { r.words(BANDS)?.try_into().ok() };
        Some(SavedEntry { id, published, feed, story, follow_up, tokens, keys })
    }
}

impl Iterator for Loader {
    type Item = SavedEntry;

    fn next(&mut self) -> Option<SavedEntry> {
        if self.broken || self.read == self.count {
            return None;
        }
        let entry = self.entry();
        match entry {
            Some(_) => self.read += 1,
            None => self.broken = true,
        }
        entry
    }
}

/// The file's body read a piece at a time into `buf` (`buf[pos..end]` not
/// taken yet; `left` bytes of the body not read yet), summed as it is read.
struct Source {
    file: File,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    left: u64,
    sum: Sum,
}

impl Source {
    /// The next `n` bytes; None when the body has fewer.
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.end - self.pos < n {
            self.fill(n)?;
        }
        let taken = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Some(taken)
    }

    /// Reads on until `n` bytes are there to take.
    fn fill(&mut self, n: usize) -> Option<()> {
        if (n - (self.end - self.pos)) as u64 > self.left {
            return None;
        }
        self.buf.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.pos = 0;
        if self.buf.len() < n {
            self.buf.resize(n, 0);
        }
        while self.end < n {
            let room = (self.buf.len() - self.end).min(usize::try_from(self.left).unwrap_or(usize::MAX));
            let got = self.file.read(&mut self.buf[self.end..self.end + room]).ok()?;
            if got == 0 {
                return None;
            }
            self.sum.update(&self.buf[self.end..self.end + got]);
            self.end += got;
            self.left -= got as u64;
        }
        Some(())
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

/// The file's checksum, taken over its bytes as they go by, in pieces of
/// any length: FNV-1a over the bytes taken eight at a time (a cut or
/// garbled file, not an attack, is what it catches; a byte at a time took
/// 3 ms of a restore), the last few a byte at a time; or, for the first
/// version (`bytewise`), FNV-1a a byte at a time throughout.
struct Sum {
    h: u64,
    carry: [u8; 8],
    carried: usize,
    bytewise: bool,
}

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Sum {
    fn new(bytewise: bool) -> Sum {
        Sum { h: 0xcbf2_9ce4_8422_2325, carry: [0; 8], carried: 0, bytewise }
    }

    fn update(&mut self, mut bytes: &[u8]) {
        if self.bytewise {
            bytes.iter().for_each(|&b| self.byte(b));
            return;
        }
        if self.carried > 0 {
            let k = (8 - self.carried).min(bytes.len());
            self.carry[self.carried..self.carried + k].copy_from_slice(&bytes[..k]);
            self.carried += k;
            bytes = &bytes[k..];
            if self.carried < 8 {
                return;
            }
            self.word(self.carry);
            self.carried = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.word(w.try_into().unwrap_or_default());
        }
        let rest = words.remainder();
        self.carry[..rest.len()].copy_from_slice(rest);
        self.carried = rest.len();
    }

    fn word(&mut self, w: [u8; 8]) {
        self.h ^= u64::from_le_bytes(w);
        self.h = self.h.wrapping_mul(FNV_PRIME).rotate_left(29);
    }

    fn byte(&mut self, b: u8) {
        self.h ^= u64::from(b);
        self.h = self.h.wrapping_mul(FNV_PRIME);
    }

    fn finish(mut self) -> u64 {
        for i in 0..self.carried {
            self.byte(self.carry[i]);
        }
        self.h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header { window_secs: 72 * 3600, max_entries: 14_000, seen_seq: 42, seen_id: "00000000000000ab".into() }
    }

    fn entries() -> Vec<SavedEntry> {
        vec![
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
        ]
    }

    fn borrowed(entries: &[SavedEntry]) -> impl Iterator<Item = SavedRef<'_>> {
        entries.iter().map(|e| SavedRef {
            id: e.id,
            published: e.published,
            feed: &e.feed,
            story: &e.story,
            follow_up: e.follow_up,
            tokens: &e.tokens,
            keys: e.keys.as_ref(),
        })
    }

    /// Everything in the file at `path`, when it is whole and intact.
    fn load(path: &Path) -> Option<(Header, Vec<SavedEntry>)> {
        let mut loader = open(path)?;
        let entries: Vec<SavedEntry> = loader.by_ref().collect();
        Some((loader.finish()?, entries))
    }

    /// `load` of these bytes.
    fn parse(bytes: &[u8]) -> Option<(Header, Vec<SavedEntry>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed.stories");
        std::fs::write(&path, bytes).unwrap();
        load(&path)
    }

    #[test]
    fn a_saved_index_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(&dir.path().join("tidings.db"));
        assert!(path.ends_with("tidings.db.stories"));
        save(&path, &header(), 2, borrowed(&entries())).unwrap();
        assert_eq!(load(&path), Some((header(), entries())));
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn entries_larger_than_a_piece_and_many_pieces_read_back() {
        // An entry longer than the read buffer, then enough entries for
        // many buffers: what is read across pieces (and summed in pieces
        // of every length) is what was written.
        let mut many =
            vec![SavedEntry { tokens: (0..40_000).collect(), keys: Some([9; BANDS]), ..entries()[0].clone() }];
        many.extend((0..3_000).map(|i| SavedEntry {
            id: i,
            feed: format!("feed {i}"),
            ..entries()[i as usize % 2].clone()
        }));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.stories");
        save(&path, &header(), many.len(), borrowed(&many)).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 4 * PIECE as u64);
        assert_eq!(load(&path), Some((header(), many)));
    }

    #[test]
    fn a_file_of_the_first_version_is_read_without_keys() {
        // The first version: no keys, a checksum a byte at a time.
        let (h, entries) = (header(), entries());
        let mut v1 = Vec::new();
        let put_str = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        v1.extend_from_slice(MAGIC_V1);
        v1.extend_from_slice(&h.window_secs.to_le_bytes());
        v1.extend_from_slice(&h.max_entries.to_le_bytes());
        v1.extend_from_slice(&h.seen_seq.to_le_bytes());
        put_str(&mut v1, &h.seen_id);
        v1.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for e in &entries {
            v1.extend_from_slice(&e.id.to_le_bytes());
            v1.extend_from_slice(&e.published.to_le_bytes());
            v1.push(u8::from(e.follow_up));
            put_str(&mut v1, &e.feed);
            put_str(&mut v1, &e.story);
            v1.extend_from_slice(&(e.tokens.len() as u32).to_le_bytes());
            e.tokens.iter().for_each(|t| v1.extend_from_slice(&t.to_le_bytes()));
        }
        let mut sum = Sum::new(true);
        sum.update(&v1);
        let v1_sum = |bytes: &[u8]| {
            let mut sum = Sum::new(true);
            sum.update(bytes);
            sum.finish()
        };
        v1.extend_from_slice(&sum.finish().to_le_bytes());
        let (_, read) = parse(&v1).expect("read");
        assert!(read.iter().all(|e| e.keys.is_none()));
        assert_eq!(read.iter().map(|e| &e.tokens).collect::<Vec<_>>(), vec![&vec![1, 5, 9], &vec![]]);
        // A second-version file with the first version's checksum is not.
        let dir = tempfile::tempdir().unwrap();
        save(&dir.path().join("s"), &h, 2, borrowed(&entries)).unwrap();
        let mut v2 = std::fs::read(dir.path().join("s")).unwrap();
        let body = v2.len() - 8;
        let wrong = v1_sum(&v2[..body]);
        v2[body..].copy_from_slice(&wrong.to_le_bytes());
        assert_eq!(parse(&v2), None);
    }

    #[test]
    fn the_sum_does_not_depend_on_how_the_bytes_are_cut() {
        let bytes: Vec<u8> = (0..1_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = {
            let mut sum = Sum::new(false);
            sum.update(&bytes);
            sum.finish()
        };
        for piece in [1, 3, 8, 13, 64, 999] {
            let mut sum = Sum::new(false);
            bytes.chunks(piece).for_each(|c| sum.update(c));
            assert_eq!(sum.finish(), whole, "pieces of {piece}");
        }
    }

    #[test]
    fn a_cut_or_garbled_file_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.stories");
        save(&path, &header(), 2, borrowed(&entries())).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        for cut in [0, 7, 8, 30, bytes.len() - 1] {
            assert_eq!(parse(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut garbled = bytes.clone();
        garbled[20] ^= 1;
        assert_eq!(parse(&garbled), None);
        let mut longer = bytes.clone();
        longer.insert(bytes.len() - 8, 0);
        assert_eq!(parse(&longer), None);
        assert!(open(&dir.path().join("missing")).is_none());
        // Fewer entries than counted is an error, and leaves no file.
        assert!(save(&dir.path().join("short"), &header(), 3, borrowed(&entries())).is_err());
        assert!(!dir.path().join("short").exists());
    }
}
