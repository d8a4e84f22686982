#![allow(clippy::unwrap_used)]
use ecp_sigv4::*;
use std::time::{Duration, SystemTime};
fn main() {
    let secret = Secret::from("s");
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_406_648_274);
    let signer = Signer {
        identity: "BigAuthInc",
        secret: &secret,
        expires: 20,
        port_rule: PortRule::default(),
    };
    let url = signer
        .presign(
            "https",
            "portal.example.net",
            None,
            "/ecp/login",
            &[
                ("token", "T7vb1LdUZmsuY0q9V60Iww!!"),
                ("wlan", "1"),
                ("dest", "http://neverssl.com/"),
                ("hwc_ip", "10.10.21.6"),
                ("hwc_port", "443"),
                ("mac", "b0:ee:7b:97:7f:33"),
                ("bssid", "00:11:22:33:44:55"),
                ("ssid", "6775657374"),
                ("vns", "Guest"),
                ("ap", "AP-3rd-floor"),
                ("role", "Unregistered"),
                ("vlan", "200"),
            ],
            now,
        )
        .unwrap();
    let mut keys = Keyring::new();
    keys.insert("BigAuthInc", Secret::from("s"));
    let v = Verifier::new(&keys);
    for _ in 0..20_000 {
        let q = v.verify_url(std::hint::black_box(&url), now).unwrap();
        std::hint::black_box(ControllerRedirect::from_query(&q).unwrap());
    }
}
