//! Arbitrary URL and time: verification and the models never panic.
#![no_main]
use std::time::{Duration, SystemTime};

use ecp_sigv4::{parse_unsigned, Approval, ControllerRedirect, Keyring, PortRule, Secret, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u32, bool, &str)| {
    let (secs, omit_port, url) = input;
    let mut keys = Keyring::new();
    keys.insert("BigAuthInc", Secret::from("ecp-sigv4-synthetic-test-secret"));
    let rule = if omit_port {
        PortRule::Omit
    } else {
        PortRule::IncludeNonDefault
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(secs));
    let v = Verifier::new(keys).port_rule(rule).max_expires(u64::MAX);
    if let Ok(q) = v.verify_url(url, now) {
        let _ = ControllerRedirect::from_query(&q);
        let _ = Approval::from_query(&q);
    }
    if let Ok(q) = parse_unsigned(url, 8192) {
        let _ = ControllerRedirect::from_query(&q);
        let _ = Approval::from_query(&q);
    }
});
