//! Rewrites of the config (`feeds add`, `feeds remove`, `import`) by the
//! real binary: concurrent ones all land, a symlinked config stays a
//! symlink, and the file keeps its mode.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const HEAD: &str = "# mine, with a comment\n[poller]\ntimeout = \"3s\"\n";

fn feed_file(dir: &Path, i: usize) -> String {
    let path = dir.join(format!("feed{i}.xml"));
    std::fs::write(
        &path,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {i}</title>\
             <item><guid>g{i}</guid><title>Item {i}</title></item></channel></rss>"
        ),
    )
    .unwrap();
    format!("file://{}", path.display())
}

fn tidings(config: &Path, data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    cmd.arg("--config").arg(config).arg("--data-dir").arg(data);
    cmd.env_remove("TIDINGS_CONFIG").env_remove("TIDINGS_DATA_DIR");
    cmd
}

fn urls_in(config: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(config).unwrap();
    let cfg = tidings::config::parse(&text, config).unwrap();
    cfg.feeds.into_iter().map(|f| f.url).collect()
}

#[test]
fn ten_concurrent_feeds_add_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, HEAD).unwrap();
    let urls: Vec<String> = (0..10).map(|i| feed_file(dir.path(), i)).collect();
    // Ten processes at once, each with its own data dir (the config is what they share).
    let children: Vec<_> = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            tidings(&config, &dir.path().join(format!("data{i}")))
                .args(["feeds", "add", url, "--tag", "t"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let mut got = urls_in(&config);
    got.sort();
    let mut want = urls.clone();
    want.sort();
    assert_eq!(got, want, "every add landed");
    assert!(std::fs::read_to_string(&config).unwrap().starts_with(HEAD), "the user's text is kept");
    let left: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!left.iter().any(|n| n.contains("tmp")), "no temporary file left: {left:?}");

    // And ten concurrent removes leave none.
    let children: Vec<_> = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            tidings(&config, &dir.path().join(format!("data{i}")))
                .args(["feeds", "remove", url])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    assert!(urls_in(&config).iter().all(|u| !urls.contains(u)), "every remove landed");
    assert!(!std::fs::read_to_string(&config).unwrap().contains("[[feed]]"));
}

#[test]
fn a_symlinked_config_stays_a_symlink_with_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let dotfiles = dir.path().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let real = dotfiles.join("tidings.toml");
    std::fs::write(&real, HEAD).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let config = dir.path().join("config.toml");
    std::os::unix::fs::symlink("dotfiles/tidings.toml", &config).unwrap();
    let data = dir.path().join("data");

    let url = feed_file(dir.path(), 1);
    let out = tidings(&config, &data).args(["feeds", "add", &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let opml = dir.path().join("list.opml");
    let other = feed_file(dir.path(), 2);
    std::fs::write(
        &opml,
        format!("<opml version=\"2.0\"><body><outline text=\"Two\" xmlUrl=\"{other}\"/></body></opml>"),
    )
    .unwrap();
    let out = tidings(&config, &data).args(["import", opml.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = tidings(&config, &data).args(["feeds", "remove", &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    assert!(std::fs::symlink_metadata(&config).unwrap().file_type().is_symlink(), "still a symlink");
    assert_eq!(std::fs::read_link(&config).unwrap(), Path::new("dotfiles/tidings.toml"));
    assert_eq!(urls_in(&real), [other]);
    assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600, "mode kept");
    assert_eq!(std::fs::read_dir(&dotfiles).unwrap().count(), 1, "nothing else beside it");
}
