//! The nac-model endpoint-change planner on arbitrary inputs: any endpoint states, any
//! sessions, any vendor profiles. Every planned intent names a real session, at most
//! once, in order; the rules that need no profile hold; and every intent a profile can
//! turn into a packet encodes to a valid, signed RADIUS request.
#![no_main]
use std::net::Ipv4Addr;
use std::time::{Duration, UNIX_EPOCH};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nac_model::clearpass::EndpointStatus;
use nac_model::planner::{plan_endpoint_change, EndpointState, Reason};
use nac_model::{Intent, Profile, Session};
use radius_codec::{Packet, SharedSecret};

#[derive(Arbitrary, Debug)]
struct State {
    status: u8,
    role: Option<String>,
    digest: u64,
}

impl State {
    fn to_state(&self) -> EndpointState {
        EndpointState {
            status: [
                EndpointStatus::Known,
                EndpointStatus::Unknown,
                EndpointStatus::Disabled,
            ][usize::from(self.status % 3)],
            role: self.role.clone(),
            attributes_digest: self.digest,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Sess {
    profile: u8,
    user_name: Option<String>,
    acct_session_id: Option<String>,
    nas_ip: Option<[u8; 4]>,
    nas_identifier: Option<String>,
    framed_ip: Option<[u8; 4]>,
    nas_port: Option<u32>,
    state: Option<Vec<u8>>,
    class: Vec<Vec<u8>>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    previous: Option<State>,
    current: State,
    sessions: Vec<Sess>,
    identifier: u8,
}

fuzz_target!(|i: Input| {
    let previous = i.previous.as_ref().map(State::to_state);
    let current = i.current.to_state();
    let mut sessions = Vec::new();
    let mut profiles = Vec::new();
    for s in i.sessions.iter().take(16) {
        let mut session = Session::default();
        session.id.user_name = s.user_name.clone();
        session.id.acct_session_id = s.acct_session_id.clone();
        session.id.framed_ip = s.framed_ip.map(Ipv4Addr::from);
        session.id.nas_port = s.nas_port;
        session.nas.ipv4 = s.nas_ip.map(Ipv4Addr::from);
        session.nas.identifier = s.nas_identifier.clone();
        session.state = s.state.clone();
        session.class = s.class.iter().take(4).cloned().collect();
        sessions.push(session);
        profiles.push(Profile::ALL[usize::from(s.profile) % Profile::ALL.len()].clone());
    }
    let profile_of = |s: &Session| {
        let idx = sessions
            .iter()
            .position(|x| std::ptr::eq(x, s))
            .expect("a given session");
        &profiles[idx]
    };
    let plan = plan_endpoint_change(previous.as_ref(), &current, &sessions, profile_of);

    // Every intent names a session, at most once, in order.
    let mut last = None;
    for p in &plan {
        assert!(p.session < sessions.len());
        assert!(
            last.is_none_or(|l| l < p.session),
            "sessions out of order or repeated"
        );
        last = Some(p.session);
    }
    // Rules that hold whatever the profile.
    if previous.as_ref() == Some(&current) {
        assert!(plan.is_empty(), "nothing changed, yet {plan:?}");
    }
    let was_disabled = previous
        .as_ref()
        .is_some_and(|p| p.status == EndpointStatus::Disabled);
    if current.status == EndpointStatus::Disabled && !was_disabled {
        assert_eq!(plan.len(), sessions.len());
        assert!(plan
            .iter()
            .all(|p| p.intent == Intent::DISCONNECT && p.reason == Reason::Disabled));
    }
    if current.status == EndpointStatus::Disabled && was_disabled {
        assert!(plan.is_empty());
    }

    // Each intent through the session's profile to wire bytes.
    let secret = SharedSecret::from("fuzz");
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for p in &plan {
        let Ok(packet) = profiles[p.session].plan(&sessions[p.session], &p.intent, now) else {
            continue;
        };
        let Ok(q) = packet.encode(i.identifier, &secret) else {
            continue;
        };
        // encode validated it; check again with the strict default rules.
        Packet::new_checked(q.as_bytes()).expect("a planned packet validates");
        assert!(q.code().is_request());
        assert_eq!(q.identifier(), i.identifier);
        q.verify_request(&secret).expect("a planned packet is signed");
    }
});
