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

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde_json::Value;

use crate::clearpass::{Device, Endpoint, EndpointStatus};
use crate::intent::{Intent, IntentKind, ReauthKind};
use crate::profile::{Profile, RoleChange};
use crate::session::Session;

/// What the planner looks at in an endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EndpointState {
    /// Known / Unknown / Disabled.
    pub status: EndpointStatus,
    /// The role the policy assigns, when the integration knows it.
    pub role: Option<String>,
    /// A digest of the policy-relevant attributes: any change re-authenticates.
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
        let mut h = DefaultHasher::new();
        if let Some(a) = &e.attributes {
            for (k, v) in a {
                if Some(k.as_str()) != role_attribute {
                    k.hash(&mut h);
                    v.to_string().hash(&mut h);
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
        let mut h = DefaultHasher::new();
        d.expire_time.as_ref().map(|t| format!("{t:?}")).hash(&mut h);
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
