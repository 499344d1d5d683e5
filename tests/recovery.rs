//! The recovery layer, one fixture per kind of defect (tests/fixtures/feeds/,
//! written for tidings): each document is read as a forgiving reader would,
//! and the repair is reported in words.

use tidings::feed::parse::{self, ParseError};
use tidings::model::{FetchedFeed, repairs_text};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn parsed(name: &str) -> FetchedFeed {
    parse::parse(&format!("https://fixture.example/{name}"), &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn titles(f: &FetchedFeed) -> Vec<&str> {
    f.items.iter().map(|i| i.title.as_str()).collect()
}

fn repaired(f: &FetchedFeed) -> String {
    repairs_text(&f.repairs).unwrap_or_default()
}

fn at(ts: Option<i64>) -> String {
    ts.and_then(tidings::model::rfc3339).unwrap_or_default()
}

#[test]
fn bare_ampersands() {
    let f = parsed("bare-ampersand.rss");
    assert_eq!(f.title.as_deref(), Some("Harbour & Quay Gazette"));
    assert_eq!(titles(&f), ["AT&T buys the ferry company", "Fish & chips prices rise"]);
    assert_eq!(f.items[0].link.as_deref(), Some("https://gazette.example/story?id=1&section=business"));
    assert_eq!(f.items[1].link.as_deref(), Some("https://gazette.example/story?id=2&section=food"));
    assert_eq!(repaired(&f), "4 bare '&'");
}

#[test]
fn html_entities_without_a_dtd() {
    let f = parsed("html-entities.rss");
    assert_eq!(f.title.as_deref(), Some("Café Society"));
    assert_eq!(titles(&f), ["Espresso\u{a0}prices — up again…", "The barista’s “secret” &bogus; menu"]);
    // &eacute; &nbsp; &copy(no ;) &nbsp; &mdash; &hellip; &rsquo; &ldquo; &rdquo; &bogus;
    assert_eq!(repaired(&f), "10 undefined entities");
}

#[test]
fn control_characters() {
    let f = parsed("control-characters.rss");
    assert_eq!(titles(&f), ["Stray bytes in a title", "A clean one"], "an ESC goes with its sequence");
    assert_eq!(f.items[0].summary.as_deref(), Some("A NUL byte in the text"));
    assert_eq!(repaired(&f), "4 control characters");
}

#[test]
fn empty_elements_feed_rs_refuses() {
    let f = parsed("empty-elements.rss");
    assert_eq!(titles(&f), ["Harbour at dawn", "Cranes at dusk"]);
    assert_eq!(repaired(&f), "3 empty elements");
}

#[test]
fn json_feed_tags_as_a_string_and_fields_of_the_wrong_type() {
    let f = parsed("json-tags-string.json");
    assert_eq!(titles(&f), ["Sharpening chisels", "Glue-ups"]);
    assert_eq!(f.items[0].categories, ["tools", "wood", "sharpening"]);
    assert_eq!(f.items[1].key, "2", "a numeric id is the id");
    assert_eq!(f.items[1].author.as_deref(), Some("A. Joiner"));
    assert_eq!(repaired(&f), "1 JSON Feed tags given as a string, 2 JSON Feed fields of the wrong type");
}

#[test]
fn json_feed_without_a_version() {
    let f = parsed("json-no-version.json");
    assert_eq!(titles(&f), ["Beans are up"]);
    assert_eq!(at(f.items[0].published), "2024-06-18T08:00:00Z");
    assert_eq!(repaired(&f), "1 JSON Feed without a valid version");
}

#[test]
fn rss_0_90_namespace() {
    let f = parsed("rss-0.90.rdf");
    assert_eq!(f.title.as_deref(), Some("Old Wire"));
    assert_eq!(titles(&f), ["First dispatch", "Second dispatch"]);
    assert_eq!(f.items[1].link.as_deref(), Some("https://oldwire.example/2"));
    assert_eq!(repaired(&f), "1 RSS 0.90 namespace");
}

#[test]
fn rss_under_a_default_namespace() {
    let f = parsed("rss-default-namespace.rss");
    assert_eq!(titles(&f), ["Namespaced but ordinary", "Another one"]);
    assert_eq!(at(f.items[0].published), "2024-06-18T09:00:00Z");
    assert_eq!(repaired(&f), "1 RSS under a non-standard namespace");
}

#[test]
fn rss_without_a_version() {
    let f = parsed("rss-no-version.rss");
    assert_eq!(titles(&f), ["Any version will do"]);
    assert_eq!(at(f.items[0].published), "2024-06-18T07:00:00Z");
    assert_eq!(repaired(&f), "1 <rss> without a known version");
}

#[test]
fn atom_0_3_is_read_as_atom_1_0() {
    let f = parsed("atom-0.3.xml");
    assert_eq!(f.title.as_deref(), Some("Early Adopter"));
    assert_eq!(titles(&f), ["History of the <blink> tag", "Tables & layout"]);
    let first = &f.items[0];
    assert_eq!(first.link.as_deref(), Some("https://early.example/blink"));
    assert_eq!(at(first.published), "2004-01-01T15:00:00Z");
    assert_eq!(at(first.updated), "2004-01-01T16:00:00Z");
    assert_eq!(first.content.as_deref(), Some("<p>It <b>blinked</b>.</p>"));
    assert_eq!(at(f.date), "2004-01-02T10:00:00Z");
    let r = repaired(&f);
    assert!(r.starts_with("3 unknown text types, 1 Atom 0.3 document"), "{r}");
}

#[test]
fn atom_text_types_feed_rs_does_not_know() {
    let f = parsed("atom-text-types.xml");
    assert_eq!(titles(&f), ["Plain, by MIME type", "A title that claims to be a picture"]);
    assert!(f.items[0].summary.as_deref().unwrap_or("").contains("<b>bold</b>"), "{:?}", f.items[0].summary);
    assert_eq!(repaired(&f), "3 unknown text types");
}

#[test]
fn a_feed_wrapped_in_a_web_page() {
    let f = parsed("atom-in-xhtml.xhtml");
    assert_eq!(f.title.as_deref(), Some("Wrapped Journal"));
    assert_eq!(titles(&f), ["Inside a web page", "Still a feed"]);
    assert_eq!(repaired(&f), "1 feed wrapped in a web page");
}

#[test]
fn visible_items_that_cannot_be_read_are_a_failure_with_a_reason() {
    let err = parse::parse("https://fixture.example/x", &fixture("items-outside-channel.rss")).unwrap_err();
    assert_eq!(err, ParseError::NoItems(2));
    assert_eq!(err.to_string(), "no item could be read, though the document holds 2 (<item> or <entry>)");
    // A feed that really has no items is fine.
    let empty = b"<rss version=\"2.0\"><channel><title>Quiet</title></channel></rss>";
    assert_eq!(parse::parse("https://fixture.example/q", empty).unwrap().items.len(), 0);
}

#[test]
fn double_encoded_utf8() {
    let f = parsed("double-encoded.rss");
    assert_eq!(f.title.as_deref(), Some("Pâtisserie Journal"));
    assert_eq!(titles(&f), ["Crème brûlée, twice encoded", "Crème anglaise, encoded once"]);
    assert_eq!(f.items[0].summary.as_deref(), Some("It’s caramelised."));
    assert_eq!(repaired(&f), "3 double-encoded UTF-8 texts");
}

#[test]
fn windows_1252_claiming_utf8() {
    let f = parsed("windows-1252.rss");
    assert_eq!(f.title.as_deref(), Some("Café Lisboa"));
    assert_eq!(titles(&f), ["“Pastéis” de nata € 1,20"]);
    assert_eq!(repaired(&f), "1 body not in its declared charset (read as windows-1252)");
}

#[test]
fn utf16_without_a_byte_order_mark() {
    let f = parsed("utf-16be-no-bom.rss");
    assert_eq!(f.title.as_deref(), Some("Wide Characters Weekly"));
    assert_eq!(titles(&f), ["Two bytes per letter, big end first"]);
    assert_eq!(repaired(&f), "1 UTF-16 body without a byte order mark");
}

#[test]
fn items_sharing_a_link_stay_apart_and_identical_ones_are_kept_once() {
    let f = parsed("shared-links.rss");
    assert_eq!(titles(&f), ["Council approves budget", "Bridge closed for repairs", "Weather: rain"]);
    let keys: Vec<&str> = f.items.iter().map(|i| i.key.as_str()).collect();
    assert_ne!(keys[0], keys[1]);
    assert!(keys[0].starts_with("https://frontpage.example/#"), "{keys:?}");
    assert_eq!(keys[2], "https://frontpage.example/weather", "a link of its own is the key, as before");
    assert_eq!(parsed("shared-links.rss").items[0].key, keys[0], "stable across parses");
    assert_eq!(repaired(&f), "1 duplicate item");
    assert_eq!(at(f.date), "2024-06-18T12:00:00Z", "the feed's own date, for undated items");
}

#[test]
fn dates_as_feeds_write_them() {
    let f = parsed("dates.rss");
    let got: Vec<(&str, String)> = f.items.iter().map(|i| (i.title.as_str(), at(i.published))).collect();
    let want = [
        ("No comma, no weekday", "2024-06-18T18:05:00Z"),
        ("Two-digit year, obsolete zone", "2024-06-18T13:05:00Z"),
        ("ISO without a zone", "2018-01-06T08:00:00Z"),
        ("Slashes", "2020-01-10T14:33:00Z"),
        ("Twelve-hour clock", "2023-12-16T14:02:33Z"),
        ("Russian", "2024-06-18T18:05:00Z"),
        ("Portuguese", "2018-09-24T22:42:40Z"),
        ("Spanish", "2023-12-16T09:00:00Z"),
        ("French", "2023-09-05T08:00:00Z"),
        ("German", "2024-03-05T09:00:00Z"),
        ("Italian", "2022-11-15T23:38:15Z"),
        ("Dublin Core", "2024-06-18T00:00:00Z"),
        ("Military zone", "2024-06-18T09:05:00Z"),
    ];
    assert_eq!(got, want.map(|(t, d)| (t, d.to_string())));
    assert!(f.repairs.is_empty(), "{:?}", f.repairs);
}

#[test]
fn podcast_enclosures_with_durations_beside_media_content() {
    let f = parsed("podcast.rss");
    assert_eq!(titles(&f), ["Episode 12: The night shift", "Episode 11: Tugboats"]);
    let e = &f.items[0].enclosures;
    assert_eq!(e.len(), 1, "the cover picture is not an enclosure: {e:?}");
    assert_eq!(e[0].url, "https://cdn.harbourhour.example/hh-12.mp3?src=feed&v=2");
    assert_eq!((e[0].mime.as_deref(), e[0].length, e[0].duration), (Some("audio/mpeg"), Some(45_000_000), Some(3733)));
    let e = &f.items[1].enclosures;
    assert_eq!((e[0].mime.as_deref(), e[0].length, e[0].duration), (Some("audio/x-m4a"), Some(31_500_000), Some(2535)));
    assert!(f.repairs.is_empty(), "{:?}", f.repairs);
}

#[test]
fn items_sharing_a_link_are_stored_apart_and_stay_put_across_fetches() {
    use tidings::model::View;
    let mut store = tidings::store::Store::open_in_memory().unwrap();
    let mut feed = parsed("shared-links.rss");
    feed.url = "https://frontpage.example/rss".into();
    store.sync_feeds(&[tidings::config::FeedConfig::new(&feed.url)]).unwrap();
    assert_eq!(store.store_fetched(&feed, 1_800_000_000).unwrap(), 3);
    let ids = |s: &tidings::store::Store| -> Vec<String> {
        s.list_rows(&View::All, None).unwrap().into_iter().map(|r| r.id).collect()
    };
    let first = ids(&store);
    assert_eq!(store.store_fetched(&feed, 1_800_000_600).unwrap(), 0, "nothing new the second time");
    assert_eq!(ids(&store), first);
    // The item with a link of its own has the id it always had.
    assert!(first.contains(&tidings::store::stable_id(&feed.url, "https://frontpage.example/weather")));
}
