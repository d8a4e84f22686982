//! Each FreeRADIUS dictionary file that FreeRADIUS itself can load on its own (asked of
//! radclient, which loads a dictionary directory with `-D`) loads on its own with
//! radius-dict too. Files FreeRADIUS rejects alone (they depend on another file) are
//! rejected by radius-dict as well, with one known exception: FreeRADIUS 3.2.1 cannot
//! number a `BEGIN-TLV` block inside a vendor block (`dictionary.wimax.wichorus`, which
//! the root does not include), and radius-dict can.

use std::process::{Command, Stdio};

use nacwire_tests::require_program;
use radius_dict::{Dictionary, FsResolver, Mode};

const DIR: &str = "/usr/share/freeradius";

/// Whether FreeRADIUS loads `file` on its own.
fn freeradius_loads(radclient: &std::path::Path, file: &str, tmp: &std::path::Path) -> bool {
    std::fs::write(tmp.join("dictionary"), format!("$INCLUDE {file}\n")).unwrap();
    let out = Command::new(radclient)
        .arg("-D")
        .arg(tmp)
        .args(["-t", "1", "-r", "1", "127.0.0.1:9", "status", "x"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    !text.contains("dict_init")
}

#[test]
fn each_file_loads_alone_exactly_when_freeradius_does() {
    let Some(radclient) = require_program("radclient") else {
        return;
    };
    let tmp = std::env::temp_dir().join(format!("nacwire-dict-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| !p.ends_with("/dictionary"))
        .collect();
    files.sort();
    const WE_ACCEPT_MORE: [&str; 1] = ["/usr/share/freeradius/dictionary.wimax.wichorus"];
    let (mut both_ok, mut both_fail, mut mismatches) = (0, 0, Vec::new());
    for f in &files {
        let fr = freeradius_loads(&radclient, f, &tmp);
        let ours = Dictionary::load(&FsResolver, f, Mode::Strict);
        match (fr, &ours) {
            (true, Ok(_)) => both_ok += 1,
            (false, Err(_)) => both_fail += 1,
            (true, Err(e)) => mismatches.push(format!("{f}: FreeRADIUS loads it, we fail: {e}")),
            (false, Ok(_)) if WE_ACCEPT_MORE.contains(&f.as_str()) => {}
            (false, Ok(_)) => mismatches.push(format!("{f}: FreeRADIUS rejects it alone, we load it")),
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    eprintln!(
        "{} files: {both_ok} load alone in both, {both_fail} rejected alone by both",
        files.len()
    );
    assert!(both_ok > 200, "{both_ok}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
