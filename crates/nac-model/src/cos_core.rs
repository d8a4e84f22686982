//! Clavister cOS Core REST API, user authentication (`/api/oper/userauth`), as in the
//! *cOS Core REST API Guide 15.00*, chapter 2: push authenticated users (username,
//! IPv4 address, groups) to the firewall, list, look up and remove them.
//!
//! ```
//! use nac_model::cos_core::{AuthenticatedUser, Request, Response};
//! let user = AuthenticatedUser::new("alice", "192.0.2.10".parse()?, ["staff", "vpn"], 3600)?;
//! let req = Request::Add(user).to_http()?;
//! assert_eq!(req.path_and_query(), "/api/oper/userauth");
//! assert_eq!(
//!     req.body_text(),
//!     Some("ip=192.0.2.10&session_timeout=3600&username=alice&groups=staff,vpn")
//! );
//! let reply: Response = serde_json::from_str(r#"{"error":true,"error_code":404,"error_message":"User does not exist"}"#)?;
//! assert!(matches!(reply, Response::Error { code: 404, .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::http::{encode_pairs, Body, HttpRequest, Method, FORM};
use crate::session::Session;

/// The API path.
pub const PATH: &str = "/api/oper/userauth";

/// The longest session or idle timeout the firewall takes: one month (31 days).
pub const MAX_TIMEOUT: u32 = 31 * 24 * 3600;

/// A user the firewall knows as authenticated, by IPv4 address.
///
/// Serialized exactly as the API writes it; `groups` is comma-separated text on the
/// wire (`"group1,group2"`; the add reply writes `"group1, group2"`: both parse).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatedUser {
    /// User name.
    pub username: String,
    /// The user's IPv4 address (cOS Core takes IPv4 only).
    pub ip: Ipv4Addr,
    /// Group memberships.
    #[serde(with = "comma_list")]
    pub groups: Vec<String>,
    /// Restricts the user to this interface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface: Option<String>,
    /// Output only (`"Identity Awareness"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
    /// Seconds.
    pub session_timeout: u32,
    /// Seconds; the firewall uses `session_timeout` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<u32>,
}

impl AuthenticatedUser {
    /// A user, validated.
    pub fn new<I, S>(username: &str, ip: Ipv4Addr, groups: I, session_timeout: u32) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let u = Self {
            username: username.to_owned(),
            ip,
            groups: groups.into_iter().map(Into::into).collect(),
            interface: None,
            agent_type: None,
            session_timeout,
            idle_timeout: None,
        };
        u.validate()?;
        Ok(u)
    }

    /// From a RADIUS session (accounting to firewall single sign-on): User-Name and
    /// Framed-IP-Address.
    pub fn from_session(session: &Session, groups: Vec<String>, session_timeout: u32) -> Result<Self, Error> {
        let username = session
            .id
            .user_name
            .as_deref()
            .ok_or(Error::MissingFromSession("User-Name"))?;
        let ip = session
            .id
            .framed_ip
            .ok_or(Error::MissingFromSession("Framed-IP-Address"))?;
        Self::new(username, ip, groups, session_timeout)
    }

    /// Checks what the firewall would refuse.
    pub fn validate(&self) -> Result<(), Error> {
        if self.username.is_empty() {
            return Err(Error::EmptyUsername);
        }
        for (field, t) in [
            ("session_timeout", Some(self.session_timeout)),
            ("idle_timeout", self.idle_timeout),
        ] {
            if let Some(seconds) = t {
                if seconds == 0 || seconds > MAX_TIMEOUT {
                    return Err(Error::Timeout { field, seconds });
                }
            }
        }
        if let Some(g) = self.groups.iter().find(|g| g.is_empty() || g.contains(',')) {
            return Err(Error::BadGroup(g.clone()));
        }
        Ok(())
    }
}

mod comma_list {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(groups: &[String], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&groups.join(","))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(text
            .split(',')
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .collect())
    }
}

/// The four operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// List users; `num` caps the count (the firewall's default is 100).
    List {
        /// Maximum number of users.
        num: Option<u32>,
    },
    /// One user by IP (and interface).
    Get {
        /// Address.
        ip: Ipv4Addr,
        /// Interface.
        interface: Option<String>,
    },
    /// Add (or refresh) a user.
    Add(AuthenticatedUser),
    /// Remove a user by IP (and interface): the API deletes by address, not name.
    Remove {
        /// Address.
        ip: Ipv4Addr,
        /// Interface.
        interface: Option<String>,
    },
}

impl Request {
    /// The HTTP request: `GET`/`POST`/`DELETE` on [`PATH`], form-encoded body for
    /// add (with `groups=` always present, as the API requires).
    pub fn to_http(&self) -> Result<HttpRequest, Error> {
        Ok(match self {
            Self::List { num } => {
                let r = HttpRequest::new(Method::Get, PATH);
                match num {
                    Some(n) => r.param("num", n.to_string()),
                    None => r,
                }
            }
            Self::Get { ip, interface } | Self::Remove { ip, interface } => {
                let method = if matches!(self, Self::Get { .. }) {
                    Method::Get
                } else {
                    Method::Delete
                };
                let r = HttpRequest::new(method, PATH).param("ip", ip.to_string());
                match interface {
                    Some(i) => r.param("interface", i.clone()),
                    None => r,
                }
            }
            Self::Add(u) => {
                u.validate()?;
                let mut form = vec![("ip".to_owned(), u.ip.to_string())];
                if let Some(i) = &u.interface {
                    form.push(("interface".into(), i.clone()));
                }
                form.push(("session_timeout".into(), u.session_timeout.to_string()));
                if let Some(t) = u.idle_timeout {
                    form.push(("idle_timeout".into(), t.to_string()));
                }
                form.push(("username".into(), u.username.clone()));
                form.push(("groups".into(), u.groups.join(",")));
                let mut r = HttpRequest::new(Method::Post, PATH);
                r.body = Some(Body {
                    content_type: FORM,
                    bytes: encode_pairs(&form).into_bytes(),
                });
                r
            }
        })
    }
}

/// Every reply of the API, parsed leniently (the documentation's own examples
/// disagree) into one typed shape; serializes back to the documented JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawReply", into = "RawReply")]
pub enum Response {
    /// A list or a lookup. `total` is the number of authenticated users on the
    /// firewall (`active_users_count`), which a lookup may omit; a lookup that
    /// finds nothing is an empty list, not an error.
    Users {
        /// `active_users_count`.
        total: Option<u32>,
        /// `active_users`.
        users: Vec<AuthenticatedUser>,
    },
    /// The user as added (authoritative over what was sent).
    Added(AuthenticatedUser),
    /// `{"error":false}` (delete).
    Ok,
    /// `{"error":true,"error_code":...,"error_message":...}`.
    Error {
        /// `error_code`.
        code: u16,
        /// `error_message`.
        message: String,
    },
}

#[derive(Serialize, Deserialize)]
struct RawReply {
    error: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    active_users_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    active_users: Option<Vec<AuthenticatedUser>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<AuthenticatedUser>,
}

impl TryFrom<RawReply> for Response {
    type Error = String;
    fn try_from(r: RawReply) -> Result<Self, String> {
        if r.error {
            return Ok(Self::Error {
                code: r.error_code.unwrap_or(0),
                message: r.error_message.unwrap_or_default(),
            });
        }
        if let Some(u) = r.user {
            return Ok(Self::Added(u));
        }
        if let Some(users) = r.active_users {
            return Ok(Self::Users {
                total: r.active_users_count,
                users,
            });
        }
        if r.active_users_count.is_some() {
            return Ok(Self::Users {
                total: r.active_users_count,
                users: Vec::new(),
            });
        }
        Ok(Self::Ok)
    }
}

impl From<Response> for RawReply {
    fn from(r: Response) -> Self {
        let mut raw = Self {
            error: false,
            error_code: None,
            error_message: None,
            active_users_count: None,
            active_users: None,
            user: None,
        };
        match r {
            Response::Users { total, users } => {
                raw.active_users_count = total;
                raw.active_users = Some(users);
            }
            Response::Added(u) => raw.user = Some(u),
            Response::Ok => {}
            Response::Error { code, message } => {
                raw.error = true;
                raw.error_code = Some(code);
                raw.error_message = Some(message);
            }
        }
        raw
    }
}
