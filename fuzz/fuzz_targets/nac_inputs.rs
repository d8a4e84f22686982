//! Everything nac-model reads from outside: MAC strings, Called-Station-Id, the cOS
//! Core and ClearPass JSON shapes, and RADIUS requests and replies turned into
//! sessions, plans and outcomes. No panic; what parses re-serializes and re-parses.
#![no_main]
use std::time::UNIX_EPOCH;

use libfuzzer_sys::fuzz_target;
use nac_model::clearpass::{ActiveSession, Device, Endpoint, ListPage};
use nac_model::cos_core::Response;
use nac_model::{CalledStationId, Intent, MacAddress, Outcome, Profile, ReauthKind, Reply, Session};
use radius_codec::{Code, Packet, SharedSecret};

fn json_round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    data: &[u8],
) {
    if let Ok(v) = serde_json::from_slice::<T>(data) {
        let text = serde_json::to_vec(&v).expect("serializes");
        let again: T = serde_json::from_slice(&text).expect("re-parses");
        // Lossy only where the API's text is (trimmed group lists): a second pass is stable.
        let text2 = serde_json::to_vec(&again).expect("serializes");
        assert_eq!(text, text2);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match selector % 7 {
        0 => {
            if let Ok(mac) = text.parse::<MacAddress>() {
                assert_eq!(mac.to_string().parse::<MacAddress>(), Ok(mac));
            }
        }
        1 => {
            let c = CalledStationId::parse(&text);
            assert_eq!(c.raw, text);
        }
        2 => json_round_trip::<Response>(rest),
        3 => json_round_trip::<Endpoint>(rest),
        4 => json_round_trip::<Device>(rest),
        5 => json_round_trip::<ListPage<ActiveSession>>(rest),
        _ => {
            let Ok(p) = Packet::new_checked(rest) else {
                return;
            };
            if let Ok(s) = Session::from_packet(&p) {
                let secret = SharedSecret::from("fuzz");
                for profile in Profile::ALL {
                    for intent in [
                        Intent::DISCONNECT,
                        Intent::Reauthenticate(ReauthKind::Last),
                        Intent::AuthorizeOnly,
                    ] {
                        if let Ok(plan) = profile.plan(&s, &intent, UNIX_EPOCH) {
                            let _ = plan.encode(1, &secret);
                        }
                    }
                }
            }
            if let Ok(r) = Reply::from_packet(&p) {
                for code in [Code::CoaRequest, Code::DisconnectRequest] {
                    let _ = Outcome::interpret(code, false, &r).to_string();
                    let _ = Outcome::interpret(code, true, &r);
                }
            }
        }
    }
});
