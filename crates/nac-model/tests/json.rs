//! The documented JSON of cOS Core and ClearPass, parsed and written back with the
//! exact field names (the cOS Core samples are from the REST API Guide 15.00 ch. 2;
//! ClearPass' from the API Explorer / pyclearpass 1.0.7 and the XSOAR integration).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use nac_model::clearpass::{
    Action, ActiveSession, CoaFlag, Device, Endpoint, EndpointStatus, ListPage, Selector, SessionActionKind,
    SessionState, Timestamp,
};
use nac_model::cos_core::{AuthenticatedUser, Request, Response};
use nac_model::http::Method;
use nac_model::Error;
use nac_model::{MacAddress, Session};
use serde_json::{json, Value};

/// Compact, as cOS Core writes it ("one continuous stream of characters").
const COS_LIST: &str = r#"{"error":false,"active_users_count":2,"active_users":[{"username":"user1","ip":"203.0.113.5","groups":"group1,group2","interface":"wan","agent_type":"Identity Awareness","session_timeout":60,"idle_timeout":60},{"username":"user2","ip":"203.0.113.6","groups":"","interface":"lan","agent_type":"Identity Awareness","session_timeout":3600,"idle_timeout":300}]}"#;

#[test]
fn cos_core_list_reply_round_trips_byte_for_byte() {
    let r: Response = serde_json::from_str(COS_LIST).unwrap();
    let Response::Users { total, users } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(*total, Some(2));
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].groups, ["group1", "group2"]);
    assert_eq!(users[0].ip.to_string(), "203.0.113.5");
    assert!(users[1].groups.is_empty());
    assert_eq!(serde_json::to_string(&r).unwrap(), COS_LIST);
}

#[test]
fn cos_core_other_replies() {
    // Lookup that finds nothing: not an error; the count is the firewall's total.
    let empty = r#"{"error":false,"active_users_count":5,"active_users":[]}"#;
    let r: Response = serde_json::from_str(empty).unwrap();
    assert_eq!(
        r,
        Response::Users {
            total: Some(5),
            users: vec![]
        }
    );
    assert_eq!(serde_json::to_string(&r).unwrap(), empty);

    // Lookup by IP: no count.
    let one = r#"{"error":false,"active_users":[{"username":"user1","ip":"203.0.113.5","groups":"group1","interface":"wan","agent_type":"Identity Awareness","session_timeout":60,"idle_timeout":60}]}"#;
    let r: Response = serde_json::from_str(one).unwrap();
    assert!(matches!(&r, Response::Users { total: None, users } if users.len() == 1));
    assert_eq!(serde_json::to_string(&r).unwrap(), one);

    // Add reply, with the guide's "group1, group2" spelling: parsed by trimming.
    let added = r#"{"error":false,"user":{"username":"user1","ip":"192.168.1.10","groups":"group1, group2","interface":"wan","agent_type":"Identity Awareness","session_timeout":60,"idle_timeout":60}}"#;
    let r: Response = serde_json::from_str(added).unwrap();
    let Response::Added(u) = &r else { panic!() };
    assert_eq!(u.groups, ["group1", "group2"]);
    let again: Response = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(again, r);

    // Delete: ok, and not found.
    assert_eq!(
        serde_json::from_str::<Response>(r#"{"error":false}"#).unwrap(),
        Response::Ok
    );
    let nf = r#"{"error":true,"error_code":404,"error_message":"User does not exist"}"#;
    let r: Response = serde_json::from_str(nf).unwrap();
    assert_eq!(
        r,
        Response::Error {
            code: 404,
            message: "User does not exist".into()
        }
    );
    assert_eq!(serde_json::to_string(&r).unwrap(), nf);
    let bad = r#"{"error":true,"error_code":400,"error_message":"Bad Request, malformed"}"#;
    assert!(matches!(
        serde_json::from_str::<Response>(bad).unwrap(),
        Response::Error { code: 400, .. }
    ));

    // Malformed replies are serde errors, not panics.
    for junk in [
        "",
        "{}",
        r#"{"error":"no"}"#,
        r#"{"error":false,"active_users":[{"username":"u","ip":"::1","groups":"","session_timeout":1}]}"#,
        r#"{"error":false,"active_users":[{"username":"u","ip":"1.2.3.4","groups":"","session_timeout":-1}]}"#,
    ] {
        assert!(serde_json::from_str::<Response>(junk).is_err(), "{junk}");
    }
}

#[test]
fn cos_core_requests() {
    // The guide's add example, field for field.
    let mut u =
        AuthenticatedUser::new("user3", "192.168.1.10".parse().unwrap(), ["group1", "group2"], 60).unwrap();
    u.interface = Some("wan".into());
    u.idle_timeout = Some(30);
    let r = Request::Add(u).to_http().unwrap();
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.body.as_ref().unwrap().content_type,
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        r.body_text(),
        Some("ip=192.168.1.10&interface=wan&session_timeout=60&idle_timeout=30&username=user3&groups=group1,group2")
    );
    // No groups: the parameter is still sent, empty.
    let solo = AuthenticatedUser::new(
        "dhcp client",
        "192.0.2.7".parse().unwrap(),
        Vec::<String>::new(),
        600,
    )
    .unwrap();
    assert_eq!(
        Request::Add(solo).to_http().unwrap().body_text(),
        Some("ip=192.0.2.7&session_timeout=600&username=dhcp%20client&groups=")
    );
    let ip = "192.168.1.201".parse().unwrap();
    let del = Request::Remove { ip, interface: None }.to_http().unwrap();
    assert_eq!(
        (del.method, del.path_and_query()),
        (Method::Delete, "/api/oper/userauth?ip=192.168.1.201".into())
    );
    let get = Request::Get {
        ip,
        interface: Some("wan".into()),
    }
    .to_http()
    .unwrap();
    assert_eq!(
        get.path_and_query(),
        "/api/oper/userauth?ip=192.168.1.201&interface=wan"
    );
    assert_eq!(
        Request::List { num: Some(500) }
            .to_http()
            .unwrap()
            .path_and_query(),
        "/api/oper/userauth?num=500"
    );
    // What the firewall would refuse is refused here.
    assert_eq!(
        AuthenticatedUser::new("u", ip, ["a"], 32 * 24 * 3600).unwrap_err(),
        Error::Timeout {
            field: "session_timeout",
            seconds: 32 * 24 * 3600
        }
    );
    assert_eq!(
        AuthenticatedUser::new("", ip, ["a"], 60).unwrap_err(),
        Error::EmptyUsername
    );
    assert_eq!(
        AuthenticatedUser::new("u", ip, ["a,b"], 60).unwrap_err(),
        Error::BadGroup("a,b".into())
    );
    // From a RADIUS session (accounting to firewall SSO).
    let mut s = Session::default();
    assert_eq!(
        AuthenticatedUser::from_session(&s, vec![], 60).unwrap_err(),
        Error::MissingFromSession("User-Name")
    );
    s.id.user_name = Some("bob".into());
    s.id.framed_ip = Some("10.0.0.9".parse().unwrap());
    let from = AuthenticatedUser::from_session(&s, vec!["staff".into()], 3600).unwrap();
    assert_eq!(
        (from.username.as_str(), from.ip.to_string()),
        ("bob", "10.0.0.9".into())
    );
}

#[test]
fn clearpass_endpoint() {
    // XSOAR's example object.
    let text = r#"{"id":3001,"mac_address":"005056894ae2","description":"test","status":"Known","attributes":{"A":"B","C":"D"},"_links":{"self":{"href":"https://cppm/api/endpoint/3001"}}}"#;
    let e: Endpoint = serde_json::from_str(text).unwrap();
    assert_eq!(e.mac_address, Some("00:50:56:89:4a:e2".parse().unwrap()));
    assert_eq!(e.status, Some(EndpointStatus::Known));
    assert_eq!(serde_json::to_string(&e).unwrap(), text);

    // The IPAM PATCH body: status Known and the IPAM attributes, nothing else.
    let patch = Endpoint {
        status: Some(EndpointStatus::Known),
        attributes: Some(
            json!({"IPAM-Subnet": "10.20.0.0/16", "IPAM-Hostname": "printer-3f", "IPAM-Registered": true})
                .as_object()
                .unwrap()
                .clone(),
        ),
        ..Endpoint::default()
    };
    let mac: MacAddress = "00-50-56-89-4A-E2".parse().unwrap();
    let req = Action::UpdateEndpoint {
        mac,
        patch: patch.clone(),
    }
    .to_http()
    .unwrap();
    assert_eq!(req.method, Method::Patch);
    assert_eq!(req.path_and_query(), "/api/endpoint/mac-address/005056894ae2");
    let body: Value = serde_json::from_str(req.body_text().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"status": "Known", "attributes": {"IPAM-Subnet": "10.20.0.0/16", "IPAM-Hostname": "printer-3f", "IPAM-Registered": true}})
    );
    assert_eq!(serde_json::from_value::<Endpoint>(body).unwrap(), patch);

    // Status is case-sensitive; MACs must be MACs.
    assert!(serde_json::from_str::<Endpoint>(r#"{"status":"known"}"#).is_err());
    assert!(serde_json::from_str::<Endpoint>(r#"{"mac_address":"00505689"}"#).is_err());

    // A HAL list.
    let page = r#"{"_embedded":{"items":[{"id":1,"mac_address":"0000e349473f","status":"Unknown"}]},"_links":{"self":{"href":"https://cppm/api/endpoint"}},"count":1}"#;
    let l: ListPage<Endpoint> = serde_json::from_str(page).unwrap();
    assert_eq!(l.embedded.items[0].status, Some(EndpointStatus::Unknown));
    assert_eq!(serde_json::to_string(&l).unwrap(), page);
}

#[test]
fn clearpass_device_with_airgroup() {
    let body = json!({
        "mac": "B0-EE-7B-97-7F-33",
        "enabled": true,
        "role_id": 2,
        "expire_time": 1_767_225_600,
        "sponsor_name": "reception",
        "sponsor_profile": "1",
        "visitor_name": "Apple TV, meeting room 2",
        "notes": "registered by IPAM",
        "airgroup_enable": "1",
        "airgroup_shared": "1",
        "airgroup_shared_user": "alice,bob",
        "airgroup_shared_role": "Employee",
        "airgroup_shared_location": "AP-Name:meeting-2",
        "airgroup_shared_group": "Marketing",
        "airgroup_shared_time": "Mon-Fri 08:00-18:00",
        "custom_field": "kept"
    });
    let d: Device = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(d.expire_time, Some(Timestamp::Epoch(1_767_225_600)));
    assert_eq!(d.airgroup_shared_user.as_deref(), Some("alice,bob"));
    assert_eq!(d.custom.get("custom_field"), Some(&json!("kept")));
    assert_eq!(
        d.mac_address().unwrap().unwrap(),
        "b0:ee:7b:97:7f:33".parse().unwrap()
    );
    let req = Action::CreateDevice {
        device: d.clone(),
        coa: CoaFlag::Yes,
    }
    .to_http()
    .unwrap();
    assert_eq!(req.path_and_query(), "/api/device?change_of_authorization=true");
    let sent: Value = serde_json::from_str(req.body_text().unwrap()).unwrap();
    assert_eq!(sent, body);
    // Password never shows in Debug or in request logs.
    let with_pw = Device {
        password: Some("s3cret".into()),
        ..d
    };
    assert!(!format!("{with_pw:?}").contains("s3cret"));
    let logged = Action::CreateDevice {
        device: with_pw,
        coa: CoaFlag::ServerDefault,
    }
    .to_http()
    .unwrap()
    .to_string();
    assert!(
        !logged.contains("s3cret") && logged.starts_with("POST /api/device ("),
        "{logged}"
    );
    // Required fields.
    assert!(Action::CreateDevice {
        device: Device::default(),
        coa: CoaFlag::No
    }
    .to_http()
    .is_err());
    let upd = Action::UpdateDevice {
        mac: "b0:ee:7b:97:7f:33".parse().unwrap(),
        patch: Device {
            enabled: Some(false),
            ..Device::default()
        },
        coa: CoaFlag::No,
    }
    .to_http()
    .unwrap();
    assert_eq!(
        (upd.path_and_query(), upd.body_text()),
        (
            "/api/device/mac/B0-EE-7B-97-7F-33?change_of_authorization=false".into(),
            Some(r#"{"enabled":false}"#)
        )
    );
}

#[test]
fn clearpass_sessions_and_actions() {
    let list = r#"{"_embedded":{"items":[{"id":"1234","mac_address":"b0ee7b977f33","framedipaddress":"10.20.30.40","state":"active","acctsessionid":"0A1B2C3D-00000042","nasipaddress":"192.0.2.10"}]}}"#;
    let l: ListPage<ActiveSession> = serde_json::from_str(list).unwrap();
    let s = &l.embedded.items[0];
    assert_eq!(s.state, Some(SessionState::Active));
    assert_eq!(s.other.get("acctsessionid"), Some(&json!("0A1B2C3D-00000042")));
    let back: Value = serde_json::to_value(&l).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(list).unwrap());

    let mac: MacAddress = "b0:ee:7b:97:7f:33".parse().unwrap();
    let q = Action::ActiveSessions(mac).to_http().unwrap();
    assert_eq!(
        q.path_and_query(),
        "/api/session?filter=%7B%22mac_address%22%3A%22b0ee7b977f33%22,%22state%22%3A%22active%22%7D"
    );
    let d = Action::DisconnectSession("1234".into()).to_http().unwrap();
    assert_eq!(
        (d.path_and_query(), d.body_text()),
        (
            "/api/session/1234/disconnect".into(),
            Some(r#"{"id":"1234","confirm_disconnect":true}"#)
        )
    );
    let r = Action::ReauthorizeSession {
        id: "1234".into(),
        profile: "Aruba Terminate Session".into(),
    }
    .to_http()
    .unwrap();
    assert_eq!(
        r.body_text(),
        Some(r#"{"confirm_reauthorize":true,"reauthorize_profile":"Aruba Terminate Session"}"#)
    );
    let coa = Action::SessionAction {
        kind: SessionActionKind::Coa,
        selector: Selector::Mac(mac),
        enforcement_profiles: vec!["[Aruba Terminate Session]".into()],
        asynchronous: false,
    }
    .to_http()
    .unwrap();
    assert_eq!(
        coa.path_and_query(),
        "/api/session-action/coa/mac/b0ee7b977f33?async=false"
    );
    assert_eq!(
        coa.body_text(),
        Some(r#"{"enforcement_profile":["[Aruba Terminate Session]"]}"#)
    );
    // A CoA needs an enforcement profile.
    assert!(Action::SessionAction {
        kind: SessionActionKind::Coa,
        selector: Selector::Username("alice".into()),
        enforcement_profiles: vec![],
        asynchronous: true,
    }
    .to_http()
    .is_err());
    let dis = Action::SessionAction {
        kind: SessionActionKind::Disconnect,
        selector: Selector::Filter(json!({"username": "alice"}).as_object().unwrap().clone()),
        enforcement_profiles: vec![],
        asynchronous: true,
    }
    .to_http()
    .unwrap();
    assert_eq!(dis.path_and_query(), "/api/session-action/disconnect?async=true");
    assert_eq!(dis.body_text(), Some(r#"{"filter":{"username":"alice"}}"#));
}
