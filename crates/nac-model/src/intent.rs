//! What an operator or an integration wants done to a live session, independent of
//! the vendor that will carry it out.

use std::fmt;

use crate::attr::AttrSpec;
use crate::plan::RequestKind;

/// How a re-authentication is run (Cisco `subscriber:reauthenticate-type`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReauthKind {
    /// The NAS' default.
    #[default]
    Default,
    /// Re-run the method that succeeded last.
    Last,
    /// Re-run the whole authentication sequence.
    Rerun,
}

/// A named service with parameters, rendered `name(p1,p2)` (Juniper service
/// templates, Cisco ISG service profiles).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServiceRef {
    /// Service (template) name.
    pub name: String,
    /// Parameters in template order.
    pub params: Vec<String>,
    /// Tag grouping the service's attributes (Juniper `ERX-Service-Activate:<tag>`),
    /// 1-31; 1 when absent.
    pub tag: Option<u8>,
}

impl ServiceRef {
    /// A service without parameters.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            params: Vec::new(),
            tag: None,
        }
    }

    /// The same service with parameters.
    #[must_use]
    pub fn with_params<I: IntoIterator<Item = S>, S: Into<String>>(mut self, params: I) -> Self {
        self.params = params.into_iter().map(Into::into).collect();
        self
    }

    /// `name` or `name(p1,p2)`.
    #[must_use]
    pub fn render(&self) -> String {
        if self.params.is_empty() {
            return self.name.clone();
        }
        format!("{}({})", self.name, self.params.join(","))
    }
}

/// Bandwidth limits in bits per second, from the subscriber's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Upload (the NAS receives).
    pub upload_bps: u64,
    /// Download (the NAS transmits).
    pub download_bps: u64,
}

impl RateLimit {
    /// MikroTik's `rx-rate/tx-rate` text (router's receive = subscriber upload), with
    /// `k`/`M`/`G` suffixes when exact.
    #[must_use]
    pub fn mikrotik(&self) -> String {
        fn unit(bps: u64) -> String {
            for (div, suffix) in [(1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")] {
                if bps >= div && bps % div == 0 {
                    return format!("{}{suffix}", bps / div);
                }
            }
            bps.to_string()
        }
        format!("{}/{}", unit(self.upload_bps), unit(self.download_bps))
    }
}

/// A change to a live session.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Intent {
    /// End the session (Disconnect-Request), optionally with an Acct-Terminate-Cause.
    Disconnect {
        /// Acct-Terminate-Cause (49), e.g. 6 Admin-Reset.
        terminate_cause: Option<u32>,
    },
    /// Run authentication again so the new policy applies.
    Reauthenticate(ReauthKind),
    /// Put the session in another role / user group.
    ChangeRole(String),
    /// Apply a named filter (Filter-Id).
    ApplyFilter(String),
    /// Replace Session-Timeout (seconds).
    SessionTimeout(u32),
    /// Replace Idle-Timeout (seconds).
    IdleTimeout(u32),
    /// Take the port down and up (so the client renews its address), optionally for
    /// this many seconds.
    BouncePort {
        /// Down time, where the vendor takes one.
        seconds: Option<u32>,
    },
    /// Shut the port.
    DisablePort,
    /// Change the bandwidth.
    RateLimit(RateLimit),
    /// Change QoS policies by name.
    Policy {
        /// Ingress (from the subscriber) policy.
        ingress: Option<String>,
        /// Egress (towards the subscriber) policy.
        egress: Option<String>,
    },
    /// Activate a subscriber service.
    ActivateService(ServiceRef),
    /// Deactivate a subscriber service.
    DeactivateService(ServiceRef),
    /// Log the subscriber on (ISG account-logon).
    AccountLogon,
    /// Log the subscriber off (ISG account-logoff).
    AccountLogoff,
    /// Ask the NAS to send an Access-Request for the session with the session's State
    /// (RFC 5176 §3.2).
    AuthorizeOnly,
    /// Exactly these attributes, after the profile's identification attributes;
    /// still checked against RFC 5176 §3.6.
    Raw {
        /// Disconnect or CoA.
        kind: RequestKind,
        /// Attributes.
        attrs: Vec<AttrSpec>,
    },
}

/// The intent without its data, for capability tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum IntentKind {
    Disconnect,
    Reauthenticate,
    ChangeRole,
    ApplyFilter,
    SessionTimeout,
    IdleTimeout,
    BouncePort,
    DisablePort,
    RateLimit,
    Policy,
    ActivateService,
    DeactivateService,
    AccountLogon,
    AccountLogoff,
    AuthorizeOnly,
    Raw,
}

impl Intent {
    /// The kind.
    #[must_use]
    pub const fn kind(&self) -> IntentKind {
        match self {
            Self::Disconnect { .. } => IntentKind::Disconnect,
            Self::Reauthenticate(_) => IntentKind::Reauthenticate,
            Self::ChangeRole(_) => IntentKind::ChangeRole,
            Self::ApplyFilter(_) => IntentKind::ApplyFilter,
            Self::SessionTimeout(_) => IntentKind::SessionTimeout,
            Self::IdleTimeout(_) => IntentKind::IdleTimeout,
            Self::BouncePort { .. } => IntentKind::BouncePort,
            Self::DisablePort => IntentKind::DisablePort,
            Self::RateLimit(_) => IntentKind::RateLimit,
            Self::Policy { .. } => IntentKind::Policy,
            Self::ActivateService(_) => IntentKind::ActivateService,
            Self::DeactivateService(_) => IntentKind::DeactivateService,
            Self::AccountLogon => IntentKind::AccountLogon,
            Self::AccountLogoff => IntentKind::AccountLogoff,
            Self::AuthorizeOnly => IntentKind::AuthorizeOnly,
            Self::Raw { .. } => IntentKind::Raw,
        }
    }

    /// A plain disconnect.
    pub const DISCONNECT: Self = Self::Disconnect {
        terminate_cause: None,
    };
}

impl IntentKind {
    /// Every kind, in declaration order.
    pub const ALL: [Self; 16] = [
        Self::Disconnect,
        Self::Reauthenticate,
        Self::ChangeRole,
        Self::ApplyFilter,
        Self::SessionTimeout,
        Self::IdleTimeout,
        Self::BouncePort,
        Self::DisablePort,
        Self::RateLimit,
        Self::Policy,
        Self::ActivateService,
        Self::DeactivateService,
        Self::AccountLogon,
        Self::AccountLogoff,
        Self::AuthorizeOnly,
        Self::Raw,
    ];
}

impl fmt::Display for IntentKind {
    /// The kind in words, as the command line spells it (`bounce-port`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let camel = format!("{self:?}");
        for (i, c) in camel.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    f.write_str("-")?;
                }
                write!(f, "{}", c.to_ascii_lowercase())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}
