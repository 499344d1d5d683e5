use super::*;

fn fixed(body: &str) -> (String, Tally) {
    let mut tally = Tally::default();
    let out = repair(body.as_bytes(), &mut tally, Depth::Full).map(|b| String::from_utf8(b).unwrap());
    (out.unwrap_or_else(|| body.to_string()), tally)
}

#[test]
fn ampersands_and_entities_outside_cdata_and_comments() {
    let (out, t) =
        fixed("<t a=\"?x=1&y=2\">AT&T &nbsp; &amp; &#38; &#x26; &copy 2024 &region; <![CDATA[a&b]]><!-- c&d --></t>");
    assert_eq!(
        out,
        "<t a=\"?x=1&amp;y=2\">AT&amp;T &#160; &amp; &#38; &#x26; &#169; 2024 &amp;region; <![CDATA[a&b]]><!-- c&d --></t>"
    );
    assert_eq!((t.count(Kind::BareAmpersand), t.count(Kind::UndefinedEntity)), (2, 3));
    // A legacy entity name at the start of a URL parameter is a parameter.
    assert_eq!(fixed("<t>?a=1&region=eu&copy=2</t>").0, "<t>?a=1&amp;region=eu&amp;copy=2</t>");
    // Malformed character references are bare ampersands.
    assert_eq!(fixed("<t>&#xZZ; &#; &#12a;</t>").0, "<t>&amp;#xZZ; &amp;#; &amp;#12a;</t>");
}

#[test]
fn entities_with_two_characters_and_nothing_to_do() {
    assert_eq!(fixed("<t>&NotEqualTilde;</t>").0, "<t>&#8770;&#824;</t>");
    let mut t = Tally::default();
    assert_eq!(repair(b"<rss version=\"2.0\"><channel/></rss>", &mut t, Depth::Full), None);
    assert_eq!(t, Tally::default());
}

#[test]
fn control_characters_go_everywhere() {
    let (out, t) = fixed("<t>a\u{1}b<![CDATA[c\u{b}d]]></t>");
    assert_eq!(out, "<t>ab<![CDATA[cd]]></t>");
    assert_eq!(t.count(Kind::ControlChar), 2);
    // An ESC goes with its whole sequence, which never swallows markup.
    let (out, t) = fixed("<t>Evil\u{1b}]0;owned\u{7} \u{1b}[31mred<![CDATA[\u{1b}[2Jx]]>\u{1b}]52;c;ZX</t>");
    assert_eq!(out, "<t>Evil red<![CDATA[x]]></t>");
    assert_eq!(t.count(Kind::ControlChar), 4);
    assert_eq!(
        strip_nuls(b"<rss>\0</rss> and some more text", &mut Tally::default()).unwrap(),
        b"<rss></rss> and some more text"
    );
    assert_eq!(strip_nuls(b"\0<\0r\0s\0s", &mut Tally::default()), None, "UTF-16 is not stray NULs");
}

#[test]
fn root_fixes_apply_to_the_root_only() {
    assert_eq!(fixed("<rss><channel/></rss>").0, "<rss version=\"2.0\"><channel/></rss>");
    assert_eq!(fixed("<rss version=\"2.01\"><channel/></rss>").0, "<rss version=\"2.0\"><channel/></rss>");
    assert_eq!(
        fixed("<rss version=\"2.0\" xmlns=\"urn:x\"><channel/></rss>").0,
        "<rss version=\"2.0\"><channel/></rss>"
    );
    let rdf = "<rdf:RDF xmlns:rdf=\"r\" xmlns=\"http://purl.org/rss/1.0\"><item/></rdf:RDF>";
    assert_eq!(fixed(rdf).0, "<rdf:RDF xmlns:rdf=\"r\" xmlns=\"http://purl.org/rss/1.0/\"><item/></rdf:RDF>");
    assert_eq!(fixed(rdf).1.count(Kind::RssNamespace), 1);
}

#[test]
fn empty_text_elements_go_but_those_with_a_source_stay() {
    let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title/><summary type=\"html\">  </summary>\
                <content src=\"https://x.example/a\"/></entry></feed>";
    let (out, t) = fixed(atom);
    assert_eq!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content src=\"https://x.example/a\"/></entry></feed>"
    );
    assert_eq!(t.count(Kind::EmptyElement), 2);
}

#[test]
fn a_wrapped_feed_keeps_its_prolog() {
    let page =
        "<?xml version=\"1.0\" encoding=\"koi8-r\"?><html><body><rss version=\"2.0\"><channel/></rss></body></html>";
    assert_eq!(fixed(page).0, "<?xml version=\"1.0\" encoding=\"koi8-r\"?>\n<rss version=\"2.0\"><channel/></rss>");
    // A page with no feed in it is left alone.
    assert_eq!(fixed("<html><body><p>hi</p></body></html>").1, Tally::default());
}

#[test]
fn json_repairs_are_counted_and_valid_feeds_untouched() {
    let mut t = Tally::default();
    let ok = br#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[]}"#;
    assert_eq!(repair(ok, &mut t, Depth::Full), None);
    assert_eq!(repair(ok, &mut t, Depth::Quick), None);
    let raw =
        "{\"version\":\"http://jsonfeed.org/version/1\",\"title\":\"t\",\"items\":[{\"id\":\"1\",\"title\":\"a\nb\"}]}";
    let quick = repair(raw.as_bytes(), &mut Tally::default(), Depth::Quick).unwrap();
    assert!(String::from_utf8(quick).unwrap().starts_with("{\"version\":\"https://jsonfeed.org/version/1\","));
    let out = repair(raw.as_bytes(), &mut t, Depth::Full).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["version"], "https://jsonfeed.org/version/1");
    assert_eq!(v["items"][0]["title"], "a\nb");
    assert_eq!((t.count(Kind::JsonVersion), t.count(Kind::ControlChar)), (1, 1));
}

#[test]
fn the_quick_json_fix_splits_string_tags_on_the_bytes() {
    let raw = br#"{"version":"https://jsonfeed.org/version/1.1","title":"t \"tags\": no","items":[
        {"id":"1","tags" : "a, b,,c\"d" },{"id":"2","tags":["x"]},{"id":"3","title":"\"tags\":\"not a key\""}]}"#;
    let mut t = Tally::default();
    let out = repair(raw, &mut t, Depth::Quick).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["items"][0]["tags"], serde_json::json!(["a", "b", "c\"d"]));
    assert_eq!(v["items"][1]["tags"], serde_json::json!(["x"]));
    assert_eq!(v["items"][2]["title"], "\"tags\":\"not a key\"");
    assert_eq!(v["title"], "t \"tags\": no");
    assert_eq!(t.count(Kind::JsonTags), 1);
}

#[test]
fn items_are_counted_past_comments_and_cdata() {
    let doc = b"<rss><item/><!-- <item> --><x:item></x:item><![CDATA[<item>]]><entry><items/></entry></rss>";
    assert_eq!(count_items(doc), 3);
}

#[test]
fn repairs_read_as_words() {
    let mut t = Tally::default();
    t.add(Kind::BareAmpersand, 3);
    t.add(Kind::UndefinedEntity, 1);
    t.add(Kind::ControlChar, 0);
    assert_eq!(crate::model::repairs_text(&t.into_repairs()).as_deref(), Some("3 bare '&', 1 undefined entity"));
}
