//! CoA on endpoint change: from the previous and new state of an endpoint (or a guest
//! device) and its live sessions, the intents that make the change take effect now
//! instead of at the next session timeout.
//!
//! ```
//! use nac_model::clearpass::EndpointStatus;
//! use nac_model::planner::{plan_endpoint_change, EndpointState, Reason};
//! use nac_model::{Intent, Profile, ReauthKind, Session};
//!
//! let before = EndpointState { status: EndpointStatus::Unknown, role: None, attributes_digest: 0 };
//! let after = EndpointState { status: EndpointStatus::Known, ..before.clone() };
//! let sessions = [Session::default()];
//! let cisco = Profile::CISCO_IOS;
//! let plan = plan_endpoint_change(Some(&before), &after, &sessions, |_| &cisco);
//! assert_eq!(plan[0].intent, Intent::Reauthenticate(ReauthKind::Last));
//! assert_eq!(plan[0].reason, Reason::BecameKnown);
//! ```

use serde_json::Value;

use crate::clearpass::{Device, Endpoint, EndpointStatus};
use crate::intent::{Intent, IntentKind, ReauthKind};
use crate::profile::{Profile, RoleChange};
use crate::session::Session;

/// 64-bit FNV-1a (<http://www.isthe.com/chongo/tech/comp/fnv/>): a stated, stable
/// hash for digests that may be stored. Not for untrusted keys in hash tables.
struct Fnv1a(u64);

impl Fnv1a {
    const fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    /// Hashes `bytes`, then the field separator `0xff`.
    fn field(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().chain(&[0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    const fn finish(&self) -> u64 {
        self.0
    }
}

/// What the planner looks at in an endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EndpointState {
    /// Known / Unknown / Disabled.
    pub status: EndpointStatus,
    /// The role the policy assigns, when the integration knows it.
    pub role: Option<String>,
    /// A digest of the policy-relevant attributes: any change re-authenticates.
    ///
    /// 64-bit FNV-1a over each attribute's name and JSON text, each followed by an
    /// `0xff` octet (never in UTF-8): stable across Rust releases and platforms, so it
    /// may be stored and compared with a digest computed later.
    pub attributes_digest: u64,
}

impl EndpointState {
    /// From a ClearPass endpoint; `role_attribute` names the custom attribute that
    /// carries the role, if any. A missing status counts as Unknown.
    #[must_use]
    pub fn from_endpoint(e: &Endpoint, role_attribute: Option<&str>) -> Self {
        let role = role_attribute
            .and_then(|k| e.attributes.as_ref()?.get(k))
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        let mut h = Fnv1a::new();
        if let Some(a) = &e.attributes {
            for (k, v) in a {
                if Some(k.as_str()) != role_attribute {
                    h.field(k.as_bytes());
                    h.field(v.to_string().as_bytes());
                }
            }
        }
        Self {
            status: e.status.unwrap_or(EndpointStatus::Unknown),
            role,
            attributes_digest: h.finish(),
        }
    }

    /// From a guest device: disabled accounts are Disabled, others Known; the role is
    /// the role name (or id).
    #[must_use]
    pub fn from_device(d: &Device) -> Self {
        let status = if d.enabled == Some(false) {
            EndpointStatus::Disabled
        } else {
            EndpointStatus::Known
        };
        let mut h = Fnv1a::new();
        if let Some(t) = &d.expire_time {
            h.field(serde_json::to_string(t).unwrap_or_default().as_bytes());
        }
        Self {
            status,
            role: d.role_name.clone().or_else(|| d.role_id.map(|r| r.to_string())),
            attributes_digest: h.finish(),
        }
    }
}

/// Why an intent was planned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The endpoint was disabled.
    Disabled,
    /// Unknown (or new) became Known.
    BecameKnown,
    /// Known became Unknown.
    BecameUnknown,
    /// The role changed.
    RoleChanged,
    /// Other policy attributes changed.
    AttributesChanged,
}

/// One planned action: the intent for `sessions[session]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedIntent {
    /// Index into the sessions given.
    pub session: usize,
    /// What to do.
    pub intent: Intent,
    /// Why.
    pub reason: Reason,
}

/// Re-authentication, or a disconnect where the profile cannot re-authenticate.
fn reauth_or_disconnect(p: &Profile) -> Intent {
    if p.supports(IntentKind::Reauthenticate) {
        Intent::Reauthenticate(ReauthKind::Last)
    } else {
        Intent::DISCONNECT
    }
}

/// The intents that apply a change from `previous` (`None`: the endpoint is new) to
/// `current` to each live session; `profile_of` gives each session's NAS profile.
///
/// Rules: no sessions, nothing to do. Disabled: disconnect. Unknown to Known or
/// Known to Unknown: re-authenticate (disconnect where the profile cannot). A new
/// role: change the role in place where the profile has a role attribute, else
/// re-authenticate, else disconnect (as [`RoleChange`] says). Other policy attributes
/// changed: re-authenticate. Unchanged: nothing.
pub fn plan_endpoint_change<'p, F>(
    previous: Option<&EndpointState>,
    current: &EndpointState,
    sessions: &[Session],
    profile_of: F,
) -> Vec<PlannedIntent>
where
    F: Fn(&Session) -> &'p Profile,
{
    let mut out = Vec::new();
    for (i, s) in sessions.iter().enumerate() {
        let p = profile_of(s);
        let planned = |intent, reason| PlannedIntent {
            session: i,
            intent,
            reason,
        };
        let prev_status = previous.map(|p| p.status);
        let item = match (prev_status, current.status) {
            (Some(EndpointStatus::Disabled), EndpointStatus::Disabled) => None,
            (_, EndpointStatus::Disabled) => Some(planned(Intent::DISCONNECT, Reason::Disabled)),
            (None | Some(EndpointStatus::Unknown | EndpointStatus::Disabled), EndpointStatus::Known) => {
                Some(planned(reauth_or_disconnect(p), Reason::BecameKnown))
            }
            (Some(EndpointStatus::Known), EndpointStatus::Unknown) => {
                Some(planned(reauth_or_disconnect(p), Reason::BecameUnknown))
            }
            _ => {
                let prev_role = previous.and_then(|p| p.role.as_ref());
                let prev_digest = previous.map(|p| p.attributes_digest);
                if current.role.is_some() && current.role.as_ref() != prev_role {
                    let intent = match (p.role, &current.role) {
                        (RoleChange::Attribute(_), Some(r)) => Intent::ChangeRole(r.clone()),
                        (RoleChange::Reauthenticate, _) => reauth_or_disconnect(p),
                        _ => Intent::DISCONNECT,
                    };
                    Some(planned(intent, Reason::RoleChanged))
                } else if prev_digest.is_some_and(|d| d != current.attributes_digest) {
                    Some(planned(reauth_or_disconnect(p), Reason::AttributesChanged))
                } else {
                    None
                }
            }
        };
        out.extend(item);
    }
    out
}

#[cfg(test)]
mod digest_tests {
    use super::Fnv1a;

    #[test]
    fn fnv1a_is_the_published_function() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (FNV test vectors); our field adds
        // the 0xff separator, so check the raw state after one octet.
        let mut h = Fnv1a::new();
        h.0 ^= u64::from(b'a');
        h.0 = h.0.wrapping_mul(0x0000_0100_0000_01b3);
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        // And the digest of a field is fixed forever.
        let mut h = Fnv1a::new();
        h.field(b"a");
        let mut g = Fnv1a::new();
        g.field(b"a");
        assert_eq!(h.finish(), g.finish());
    }
}
