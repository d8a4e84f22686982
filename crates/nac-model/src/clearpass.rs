//! Aruba ClearPass Policy Manager REST API shapes (`/api/endpoint`, `/api/device`,
//! `/api/session`, `/api/session-action`), with the exact JSON field names of the
//! ClearPass 6.x API, and the actions an integration performs, as HTTP requests.
//!
//! ClearPass sends no CoA when an endpoint changes (only guest devices and accounts
//! take `?change_of_authorization=`): pair an endpoint update with a session action,
//! or with [`crate::planner`] and a vendor profile.
//!
//! ```
//! use nac_model::clearpass::{Action, Endpoint, EndpointStatus};
//! let patch = Endpoint {
//!     status: Some(EndpointStatus::Known),
//!     attributes: Some(serde_json::json!({"IPAM-Subnet": "10.20.0.0/16"}).as_object().unwrap().clone()),
//!     ..Endpoint::default()
//! };
//! let req = Action::UpdateEndpoint { mac: "00:50:56:89:4a:e2".parse()?, patch }.to_http()?;
//! assert_eq!(req.path_and_query(), "/api/endpoint/mac-address/005056894ae2");
//! assert_eq!(req.body_text(), Some(r#"{"status":"Known","attributes":{"IPAM-Subnet":"10.20.0.0/16"}}"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::http::{encode_component, HttpRequest, Method};
use crate::mac::{MacAddress, MacFormat};

/// Endpoint status in the Policy Manager endpoint repository (case-sensitive on the
/// wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EndpointStatus {
    /// `"Known"`.
    Known,
    /// `"Unknown"`.
    Unknown,
    /// `"Disabled"`.
    Disabled,
}

/// An endpoint (`/api/endpoint`). Every field is optional so the same type serves as
/// a full object, a create body and a PATCH body; absent fields are not written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    /// Read-only id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// MAC address: written bare lower case, as ClearPass returns it; any spelling
    /// is read.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::mac::bare_lower::option"
    )]
    pub mac_address: Option<MacAddress>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EndpointStatus>,
    /// Whether the MAC is randomized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub randomized_mac: Option<bool>,
    /// Device Insight tags, as ClearPass sends them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_insight_tags: Option<Value>,
    /// Custom attributes (names must exist in the Endpoint dictionary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Map<String, Value>>,
    /// Profiling information (only Device Category / OS Family / Name are writable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Value>,
    /// HAL links of a returned object.
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Value>,
}

/// A ClearPass time: text in the SDK's documentation, epoch seconds in practice on
/// some versions; both are kept as received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Timestamp {
    /// Seconds since 1970.
    Epoch(i64),
    /// Text.
    Text(String),
}

/// A guest device account (`/api/device`: MAC authentication, AirGroup).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Read-only id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// MAC address, as ClearPass Guest writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// Account enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Role id (required on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<u32>,
    /// Role name (read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// Activation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Timestamp>,
    /// Expiry time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<Timestamp>,
    /// Creation time (read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
    /// Read-only state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_state: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Sponsor name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor_name: Option<String>,
    /// Sponsor's operator profile id (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor_profile: Option<String>,
    /// Sponsor's operator profile name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor_profile_name: Option<String>,
    /// Visitor name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_name: Option<String>,
    /// Always true for devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_auth: Option<bool>,
    /// Account user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Account password (redacted in `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// AirGroup: enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airgroup_enable: Option<String>,
    /// AirGroup: shared device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airgroup_shared: Option<String>,
    /// AirGroup: users it is shared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airgroup_shared_user: Option<String>,
    /// AirGroup: roles it is shared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airgroup_shared_role: Option<String>,
    /// AirGroup: locations it is shared in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airgroup_shared_location: Option<String>,
    /// AirGroup: groups it is shared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airgroup_shared_group: Option<String>,
    /// AirGroup: time-based sharing rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airgroup_shared_time: Option<String>,
    /// Any other custom field, kept as received.
    #[serde(flatten)]
    pub custom: Map<String, Value>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("id", &self.id)
            .field("mac", &self.mac)
            .field("enabled", &self.enabled)
            .field("role_id", &self.role_id)
            .field("role_name", &self.role_name)
            .field("expire_time", &self.expire_time)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("custom", &self.custom)
            .finish_non_exhaustive()
    }
}

impl Device {
    /// The MAC address, parsed.
    pub fn mac_address(&self) -> Option<Result<MacAddress, Error>> {
        self.mac.as_deref().map(str::parse)
    }
}

/// Session state in `/api/session`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionState {
    /// `"active"`.
    Active,
    /// `"stale"`.
    Stale,
    /// `"closed"`.
    Closed,
}

/// An entry of `/api/session`. Only the fields seen in ClearPass replies are typed;
/// the rest (accounting columns that vary by version) stay in `other`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActiveSession {
    /// Session id (text).
    pub id: String,
    /// Client MAC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// Client IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framedipaddress: Option<String>,
    /// State.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<SessionState>,
    /// Every other field.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A HAL list reply: `{"_embedded":{"items":[...]},"_links":{...},"count":N}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListPage<T> {
    /// The items.
    #[serde(rename = "_embedded")]
    pub embedded: Embedded<T>,
    /// Paging links.
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Value>,
    /// Total, when `calculate_count=true` was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

/// The `_embedded` member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Embedded<T> {
    /// `items`.
    pub items: Vec<T>,
}

/// The `?change_of_authorization=` flag of device and guest operations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CoaFlag {
    /// Unset: the server's Dynamic Authorization default applies.
    #[default]
    ServerDefault,
    /// `true`: send Disconnect or CoA as the change requires.
    Yes,
    /// `false`: no action.
    No,
}

/// Which sessions a bulk session action selects.
#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    /// `/mac/{mac_address}`.
    Mac(MacAddress),
    /// `/username/{username}`.
    Username(String),
    /// `/ip/{client_ip_address}`.
    Ip(std::net::IpAddr),
    /// A `filter` object in the body.
    Filter(Map<String, Value>),
}

/// Disconnect or CoA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SessionActionKind {
    /// `disconnect`.
    Disconnect,
    /// `coa` (needs enforcement profiles).
    Coa,
}

/// A ClearPass operation, as data.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Action {
    /// `PATCH /api/endpoint/mac-address/{mac}` with the given fields.
    UpdateEndpoint {
        /// Endpoint.
        mac: MacAddress,
        /// Fields to change.
        patch: Endpoint,
    },
    /// `POST /api/endpoint`.
    CreateEndpoint(Endpoint),
    /// `GET /api/endpoint/mac-address/{mac}`.
    GetEndpoint(MacAddress),
    /// `POST /api/device` with the CoA flag.
    CreateDevice {
        /// The device (mac and role_id are required).
        device: Device,
        /// `change_of_authorization`.
        coa: CoaFlag,
    },
    /// `PATCH /api/device/mac/{mac}` with the CoA flag.
    UpdateDevice {
        /// Device MAC.
        mac: MacAddress,
        /// Fields to change.
        patch: Device,
        /// `change_of_authorization`.
        coa: CoaFlag,
    },
    /// `GET /api/session?filter=...` for the active sessions of a MAC.
    ActiveSessions(MacAddress),
    /// `POST /api/session/{id}/disconnect` with `{"id":..,"confirm_disconnect":true}`.
    DisconnectSession(String),
    /// `POST /api/session/{id}/reauthorize` with `confirm_reauthorize` and the
    /// reauthorization profile.
    ReauthorizeSession {
        /// Session id.
        id: String,
        /// Profile name.
        profile: String,
    },
    /// `POST /api/session-action/{disconnect|coa}[/mac|/username|/ip/{value}]?async=`.
    SessionAction {
        /// Disconnect or CoA.
        kind: SessionActionKind,
        /// Which sessions.
        selector: Selector,
        /// Enforcement profiles (required for CoA).
        enforcement_profiles: Vec<String>,
        /// Run asynchronously (poll `/api/session-action/{action_id}`).
        asynchronous: bool,
    },
}

#[derive(Serialize)]
struct DisconnectBody<'a> {
    id: &'a str,
    confirm_disconnect: bool,
}

#[derive(Serialize)]
struct ReauthorizeBody<'a> {
    confirm_reauthorize: bool,
    reauthorize_profile: &'a str,
}

#[derive(Serialize)]
struct SessionActionBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<&'a Map<String, Value>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    enforcement_profile: &'a [String],
}

fn coa_param(r: HttpRequest, coa: CoaFlag) -> HttpRequest {
    match coa {
        CoaFlag::ServerDefault => r,
        CoaFlag::Yes => r.param("change_of_authorization", "true"),
        CoaFlag::No => r.param("change_of_authorization", "false"),
    }
}

impl Action {
    /// The HTTP request (paths relative to `https://<cppm>`; add the OAuth bearer
    /// token).
    pub fn to_http(&self) -> Result<HttpRequest, Error> {
        let bare = |m: &MacAddress| m.format(MacFormat::BARE_LOWER);
        Ok(match self {
            Self::UpdateEndpoint { mac, patch } => {
                HttpRequest::new(Method::Patch, format!("/api/endpoint/mac-address/{}", bare(mac)))
                    .json(patch)?
            }
            Self::CreateEndpoint(e) => HttpRequest::new(Method::Post, "/api/endpoint").json(e)?,
            Self::GetEndpoint(mac) => {
                HttpRequest::new(Method::Get, format!("/api/endpoint/mac-address/{}", bare(mac)))
            }
            Self::CreateDevice { device, coa } => {
                if device.mac.is_none() {
                    return Err(Error::MissingField("mac"));
                }
                if device.role_id.is_none() {
                    return Err(Error::MissingField("role_id"));
                }
                coa_param(HttpRequest::new(Method::Post, "/api/device"), *coa).json(device)?
            }
            Self::UpdateDevice { mac, patch, coa } => coa_param(
                HttpRequest::new(
                    Method::Patch,
                    format!(
                        "/api/device/mac/{}",
                        encode_component(&mac.format(MacFormat::RFC3580))
                    ),
                ),
                *coa,
            )
            .json(patch)?,
            Self::ActiveSessions(mac) => {
                let filter = serde_json::json!({"mac_address": bare(mac), "state": "active"});
                HttpRequest::new(Method::Get, "/api/session").param("filter", filter.to_string())
            }
            Self::DisconnectSession(id) => HttpRequest::new(
                Method::Post,
                format!("/api/session/{}/disconnect", encode_component(id)),
            )
            .json(&DisconnectBody {
                id,
                confirm_disconnect: true,
            })?,
            Self::ReauthorizeSession { id, profile } => HttpRequest::new(
                Method::Post,
                format!("/api/session/{}/reauthorize", encode_component(id)),
            )
            .json(&ReauthorizeBody {
                confirm_reauthorize: true,
                reauthorize_profile: profile,
            })?,
            Self::SessionAction {
                kind,
                selector,
                enforcement_profiles,
                asynchronous,
            } => {
                let verb = match kind {
                    SessionActionKind::Disconnect => "disconnect",
                    SessionActionKind::Coa => "coa",
                };
                if *kind == SessionActionKind::Coa && enforcement_profiles.is_empty() {
                    return Err(Error::NoEnforcementProfile);
                }
                let (path, filter) = match selector {
                    Selector::Mac(m) => (format!("/api/session-action/{verb}/mac/{}", bare(m)), None),
                    Selector::Username(u) => (
                        format!("/api/session-action/{verb}/username/{}", encode_component(u)),
                        None,
                    ),
                    Selector::Ip(ip) => (format!("/api/session-action/{verb}/ip/{ip}"), None),
                    Selector::Filter(f) => (format!("/api/session-action/{verb}"), Some(f)),
                };
                // The documented parameter is `async` (pyclearpass 1.0.7 sends `async_`).
                HttpRequest::new(Method::Post, path)
                    .param("async", if *asynchronous { "true" } else { "false" })
                    .json(&SessionActionBody {
                        filter,
                        enforcement_profile: enforcement_profiles,
                    })?
            }
        })
    }
}
