//! Vendor profiles: how each kind of NAS wants its Disconnect and CoA requests.
//!
//! A profile is data (ports, which identification attributes to send and in which MAC
//! spelling, how roles change) plus a small recipe per vendor that maps an
//! [`Intent`] to a request code and change attributes. Each builtin profile cites
//! where its recipe comes from; the fields are public so a site can adjust one
//! (`coa_port`, a firmware that wants NAS-Port instead of NAS-Port-Id, ...).

use std::borrow::Cow;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use radius_codec::{AttrAddr, AttrType, Value, VendorId};

use crate::attr::AttrSpec;
use crate::error::Error;
use crate::intent::{Intent, IntentKind, RateLimit, ReauthKind, ServiceRef};
use crate::mac::{MacFormat, StationId};
use crate::plan::{Deviation, PacketPlan, RequestKind};
use crate::rfc5176;
use crate::session::{Session, SessionKind};

/// Which recipe a profile runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Vendor {
    /// RFC 5176 only.
    Generic,
    /// Cisco IOS/IOS-XE switches (IBNS / Session Aware Networking).
    CiscoIos,
    /// Cisco wireless LAN controllers (AireOS, Catalyst 9800).
    CiscoWlc,
    /// Cisco ISG / ASR1k / ASR9k BNG.
    CiscoIsg,
    /// Juniper MX BNG (and JunosE).
    JuniperMx,
    /// Aruba Mobility Controllers (ArubaOS).
    ArubaController,
    /// Aruba AOS-CX switches.
    ArubaCx,
    /// HP / Aruba AOS-Switch (ProCurve, 2930M, 16.x).
    HpAosSwitch,
    /// Extreme (EXOS, ExtremeCloud IQ APs).
    Extreme,
    /// MikroTik RouterOS.
    MikroTik,
    /// Cisco Meraki MR/MS.
    Meraki,
    /// FortiGate (captive portal, VPN).
    FortiGate,
    /// FortiSwitch.
    FortiSwitch,
    /// Ruckus SmartZone / ZoneDirector.
    Ruckus,
}

/// A NAS or session identification attribute a profile may send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdField {
    /// NAS-IP-Address.
    NasIpAddress,
    /// NAS-IPv6-Address.
    NasIpv6Address,
    /// NAS-Identifier.
    NasIdentifier,
    /// User-Name as the session has it.
    UserName,
    /// User-Name set to the client MAC (from Calling-Station-Id) in
    /// [`Profile::user_name_mac`] spelling.
    UserNameMac,
    /// Chargeable-User-Identity.
    Cui,
    /// Acct-Session-Id.
    AcctSessionId,
    /// Acct-Multi-Session-Id.
    AcctMultiSessionId,
    /// Calling-Station-Id, a MAC in [`Profile::calling_station_mac`] spelling.
    CallingStationId,
    /// Called-Station-Id as the session has it.
    CalledStationId,
    /// NAS-Port.
    NasPort,
    /// NAS-Port-Id.
    NasPortId,
    /// Framed-IP-Address.
    FramedIpAddress,
    /// Framed-IPv6-Prefix and Framed-Interface-Id.
    FramedIpv6,
    /// Framed-IPv6-Address.
    FramedIpv6Address,
    /// `Cisco-AVPair = "audit-session-id=..."`.
    CiscoAuditSessionId,
    /// Operator-Name and Operator-NAS-Identifier (RFC 8559), for proxies.
    Operator,
}

impl IdField {
    const fn is_nas(self) -> bool {
        matches!(
            self,
            Self::NasIpAddress | Self::NasIpv6Address | Self::NasIdentifier | Self::Operator
        )
    }
}

impl fmt::Display for IdField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NasIpAddress => "NAS-IP-Address",
            Self::NasIpv6Address => "NAS-IPv6-Address",
            Self::NasIdentifier => "NAS-Identifier",
            Self::UserName => "User-Name",
            Self::UserNameMac => "User-Name (client MAC)",
            Self::Cui => "Chargeable-User-Identity",
            Self::AcctSessionId => "Acct-Session-Id",
            Self::AcctMultiSessionId => "Acct-Multi-Session-Id",
            Self::CallingStationId => "Calling-Station-Id",
            Self::CalledStationId => "Called-Station-Id",
            Self::NasPort => "NAS-Port",
            Self::NasPortId => "NAS-Port-Id",
            Self::FramedIpAddress => "Framed-IP-Address",
            Self::FramedIpv6 => "Framed-IPv6-Prefix",
            Self::FramedIpv6Address => "Framed-IPv6-Address",
            Self::CiscoAuditSessionId => "Cisco audit-session-id",
            Self::Operator => "Operator-Name",
        })
    }
}

/// How a profile changes a session's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoleChange {
    /// A CoA carrying the role name in this attribute.
    Attribute(AttrAddr),
    /// A CoA that re-runs authentication; the server then returns the new role.
    Reauthenticate,
    /// No role CoA: disconnect, and the client gets the new role when it reconnects.
    Disconnect,
}

/// A vendor profile. Start from a builtin ([`Profile::for_vendor`], [`Profile::ALL`])
/// and adjust fields for a site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Which recipe.
    pub vendor: Vendor,
    /// A short name (`"cisco-ios"`).
    pub name: Cow<'static, str>,
    /// Where the recipe comes from.
    pub source: Cow<'static, str>,
    /// CoA-Request destination port.
    pub coa_port: u16,
    /// Disconnect-Request destination port.
    pub disconnect_port: u16,
    /// Identification attributes sent first, in this order, when the session has them.
    pub identity: Cow<'static, [IdField]>,
    /// Identification used instead for MAC-authenticated sessions, when set.
    pub mac_auth_identity: Option<Cow<'static, [IdField]>>,
    /// Identification attributes that must be present.
    pub required: Cow<'static, [IdField]>,
    /// Calling-Station-Id spelling.
    pub calling_station_mac: MacFormat,
    /// User-Name spelling for [`IdField::UserNameMac`].
    pub user_name_mac: MacFormat,
    /// Message-Authenticator in every request (BlastRADIUS-era NASes require it; RFC
    /// 5176 §3.4 allows it everywhere).
    pub message_authenticator: bool,
    /// Event-Timestamp in every request (RFC 5176 §6.3 SHOULD, for replay protection).
    pub event_timestamp: bool,
    /// How roles change.
    pub role: RoleChange,
    /// RFC 5176 §3.6 departures this profile makes on purpose: the attribute and why.
    pub allowed_deviations: Cow<'static, [(AttrAddr, Cow<'static, str>)]>,
}

// ---- attribute numbers used by the recipes -----------------------------------------

const CISCO_AVPAIR: AttrAddr = AttrAddr::vendor_specific(VendorId::CISCO, 1);
const ARUBA_USER_ROLE: AttrAddr = AttrAddr::vendor_specific(VendorId::ARUBA, 1);
const ARUBA_PORT_BOUNCE_HOST: AttrAddr = AttrAddr::vendor_specific(VendorId::ARUBA, 40);
const HP_PORT_BOUNCE_HOST: AttrAddr = AttrAddr::vendor_specific(VendorId::HP, 23);
const HP_USER_ROLE: AttrAddr = AttrAddr::vendor_specific(VendorId::HP, 25);
const ERX_INGRESS_POLICY_NAME: AttrAddr = AttrAddr::vendor_specific(VendorId::ERX, 10);
const ERX_EGRESS_POLICY_NAME: AttrAddr = AttrAddr::vendor_specific(VendorId::ERX, 11);
const ERX_SERVICE_ACTIVATE: AttrAddr = AttrAddr::vendor_specific(VendorId::ERX, 65);
const ERX_SERVICE_DEACTIVATE: AttrAddr = AttrAddr::vendor_specific(VendorId::ERX, 66);
const MIKROTIK_RATE_LIMIT: AttrAddr = AttrAddr::vendor_specific(VendorId::MIKROTIK, 8);
const FORTINET_HOST_PORT_AVPAIR: AttrAddr = AttrAddr::vendor_specific(VendorId::FORTINET, 42);
const FILTER_ID: AttrAddr = AttrAddr::standard(AttrType::FILTER_ID.0 as u32);
const OPERATOR_NAS_ID: AttrAddr = AttrAddr::extended(AttrType::EXTENDED_1.0, 8);
const SERVICE_TYPE_AUTHORIZE_ONLY: u32 = 17;
/// The port-bounce time ClearPass' and PacketFence's AOS recipes use.
const DEFAULT_BOUNCE_SECONDS: u32 = 12;

use IdField as F;

impl Profile {
    const fn with_coa_port(mut self, port: u16) -> Self {
        self.coa_port = port;
        self
    }

    const fn with_disconnect_port(mut self, port: u16) -> Self {
        self.disconnect_port = port;
        self
    }

    const fn with_role(mut self, role: RoleChange) -> Self {
        self.role = role;
        self
    }

    const fn with_calling_station_mac(mut self, f: MacFormat) -> Self {
        self.calling_station_mac = f;
        self
    }

    const fn with_user_name_mac(mut self, f: MacFormat) -> Self {
        self.user_name_mac = f;
        self
    }

    const fn base(
        vendor: Vendor,
        name: &'static str,
        source: &'static str,
        identity: &'static [IdField],
    ) -> Self {
        Self::base_full(vendor, name, source, identity, &[], None)
    }

    const fn base_full(
        vendor: Vendor,
        name: &'static str,
        source: &'static str,
        identity: &'static [IdField],
        required: &'static [IdField],
        mac_auth_identity: Option<&'static [IdField]>,
    ) -> Self {
        let mac_auth_identity = match mac_auth_identity {
            Some(f) => Some(Cow::Borrowed(f)),
            None => None,
        };
        Self {
            vendor,
            name: Cow::Borrowed(name),
            source: Cow::Borrowed(source),
            coa_port: 3799,
            disconnect_port: 3799,
            identity: Cow::Borrowed(identity),
            mac_auth_identity,
            required: Cow::Borrowed(required),
            calling_station_mac: MacFormat::RFC3580,
            user_name_mac: MacFormat::BARE_LOWER,
            message_authenticator: true,
            event_timestamp: true,
            role: RoleChange::Disconnect,
            allowed_deviations: Cow::Borrowed(&[]),
        }
    }

    /// RFC 5176 only: NAS identification, User-Name/CUI, Acct-Session-Id and the RFC
    /// 3580 Calling-Station-Id; roles as Filter-Id.
    pub const GENERIC: Self = Self::base(
        Vendor::Generic,
        "generic",
        "RFC 5176 §3 (identification), §3.2 (Authorize-Only), §3.6 (attributes); RFC 3580 §3.21",
        &[
            F::NasIpAddress,
            F::NasIpv6Address,
            F::NasIdentifier,
            F::UserName,
            F::Cui,
            F::AcctSessionId,
            F::AcctMultiSessionId,
            F::CallingStationId,
            F::FramedIpAddress,
        ],
    )
    .with_role(RoleChange::Attribute(FILTER_ID));

    /// Cisco IOS/IOS-XE switches: Cisco-AVPair `subscriber:command=...` CoA commands.
    pub const CISCO_IOS: Self = Self::base(
        Vendor::CiscoIos,
        "cisco-ios",
        "Cisco IBNS 15.2(4)E configuration guide, table \"RADIUS CoA Commands Supported by Identity-Based \
             Networking Services\"; port 1700 per FreeRADIUS' CoA how-to",
        &[
            F::NasIpAddress,
            F::CallingStationId,
            F::AcctSessionId,
            F::CiscoAuditSessionId,
        ],
    )
    .with_coa_port(1700)
    .with_disconnect_port(1700)
    .with_role(RoleChange::Reauthenticate);

    /// Cisco wireless LAN controllers: CoA with audit-session-id and reauthenticate on
    /// 1700, Disconnect on 3799.
    pub const CISCO_WLC: Self = Self::base(
        Vendor::CiscoWlc,
        "cisco-wlc",
        "PacketFence lib/pf/Switch/Cisco/WLC.pm radiusDisconnect (CoA 1700, Disconnect 3799)",
        &[
            F::CallingStationId,
            F::NasIpAddress,
            F::NasPort,
            F::CiscoAuditSessionId,
        ],
    )
    .with_coa_port(1700)
    .with_role(RoleChange::Reauthenticate);

    /// Cisco ISG / ASR BNG: `subscriber:command=account-logon/-logoff`, services with
    /// `subscriber:sa=`/`sd=`, QoS policies.
    pub const CISCO_ISG: Self = Self::base(
        Vendor::CiscoIsg,
        "cisco-isg",
        "Cisco ASR9000/XR BNG VSAs (as used by opencoa-client routes/vendors/cisco.py); ISG \
             account-logon/logoff CoA",
        &[F::UserName, F::AcctSessionId],
    )
    .with_coa_port(1700)
    .with_disconnect_port(1700);

    /// Juniper MX BNG: identified by Acct-Session-Id; services with tagged
    /// ERX-Service-Activate.
    pub const JUNIPER_MX: Self = Self::base_full(
            Vendor::JuniperMx,
            "juniper-mx",
            "Juniper \"Using RADIUS Dynamic Requests for Subscriber Access Management\" (port 3799); JunosE 11.0 \
             guide (Acct-Session-Id mandatory, service templates); farsonic/mx-bng-toolset coa.py, disconnect.py",
            &[F::AcctSessionId],
            &[F::AcctSessionId],
            None,
    );

    /// Aruba Mobility Controllers: Calling-Station-Id and NAS-IP-Address (no
    /// Acct-Session-Id); roles as Aruba-User-Role.
    pub const ARUBA_CONTROLLER: Self = Self::base(
        Vendor::ArubaController,
        "aruba-controller",
        "PacketFence lib/pf/Switch/Aruba.pm (\"controllers ... don't want the Acct-Session-Id\"); ClearPass \
             Aruba change-user-role template",
        &[F::CallingStationId, F::NasIpAddress],
    )
    .with_role(RoleChange::Attribute(ARUBA_USER_ROLE));

    /// Aruba AOS-CX: the ClearPass templates' five attributes; Aruba-User-Role and
    /// Aruba-Port-Bounce-Host.
    pub const ARUBA_CX: Self = Self::base(
            Vendor::ArubaCx,
            "aruba-cx",
            "aruba/clearpass-radius-dynamic-authorization-templates: AOS-CX Disconnect / Change User Role / Bounce \
             Switch Port",
            &[F::CallingStationId, F::NasPort, F::NasIpAddress, F::UserName],
    )
        .with_role(RoleChange::Attribute(ARUBA_USER_ROLE));

    /// HP / Aruba AOS-Switch: lower-case hyphen Calling-Station-Id; HP-User-Role and
    /// HP-Port-Bounce-Host.
    pub const HP_AOS_SWITCH: Self = Self::base(
        Vendor::HpAosSwitch,
        "hp-aos-switch",
        "PacketFence lib/pf/Switch/Aruba/2930M.pm and HP/AOS_Switch_v16_X.pm; ArubaSwitchNG template \
             (HP-User-Role); HPE hp-port-bounce-host",
        &[F::UserName, F::CallingStationId, F::NasIpAddress, F::NasPortId],
    )
    .with_calling_station_mac(MacFormat::HYPHEN_LOWER)
    .with_role(RoleChange::Attribute(HP_USER_ROLE));

    /// Extreme (EXOS, ExtremeCloud IQ APs): Calling-Station-Id and NAS-IP-Address,
    /// roles as Filter-Id.
    ///
    /// Untested on EXOS hardware: PacketFence issue 6964 reports EXOS answering
    /// Missing-Attribute to this recipe.
    pub const EXTREME: Self = Self::base(
        Vendor::Extreme,
        "extreme",
        "PacketFence lib/pf/Switch/Extreme/AP.pm and EXOS.pm (Filter-Id roles); PacketFence issue 6964",
        &[F::CallingStationId, F::NasIpAddress, F::AcctSessionId],
    )
    .with_role(RoleChange::Attribute(FILTER_ID));

    /// MikroTik RouterOS: hotspot/PPP sessions by login, Framed-IP-Address and
    /// Acct-Session-Id; MAC-authenticated wireless clients by a colon upper-case MAC
    /// User-Name; Mikrotik-Rate-Limit.
    pub const MIKROTIK: Self = Self::base_full(
        Vendor::MikroTik,
        "mikrotik",
        "PacketFence lib/pf/Switch/Mikrotik.pm and issue 7703 (hotspot needs Framed-IP-Address); RouterOS \
             /radius incoming (port 3799); Mikrotik-Rate-Limit syntax from RouterOS docs",
        &[F::UserName, F::FramedIpAddress, F::AcctSessionId],
        &[],
        Some(&[F::UserNameMac]),
    )
    .with_user_name_mac(MacFormat::COLON_UPPER)
    .with_calling_station_mac(MacFormat::COLON_UPPER);

    /// Cisco Meraki: CoA (reauthenticate) on 1700, Disconnect on 3799.
    pub const MERAKI: Self = Self::base(
        Vendor::Meraki,
        "meraki",
        "PacketFence lib/pf/Switch/Meraki/MR_v2.pm; ClearPass template \"Meraki - Terminate Session\"",
        &[
            F::CallingStationId,
            F::NasIpAddress,
            F::AcctSessionId,
            F::CiscoAuditSessionId,
        ],
    )
    .with_coa_port(1700)
    .with_role(RoleChange::Reauthenticate);

    /// FortiGate: Disconnect with User-Name, Acct-Session-Id and Framed-IP-Address
    /// (required: without it FortiGate answers Session-Context-Not-Found).
    pub const FORTIGATE: Self = Self::base_full(
        Vendor::FortiGate,
        "fortigate",
        "PacketFence lib/pf/Switch/Fortinet/FortiGate.pm and issue 7415; FortiOS 7 Message-Authenticator \
             requirement (PacketFence issue 8213)",
        &[F::UserName, F::AcctSessionId, F::FramedIpAddress],
        &[F::FramedIpAddress],
        None,
    );

    /// FortiSwitch: Fortinet-Host-Port-AVPair actions, Session-Timeout, Disconnect.
    pub const FORTISWITCH: Self = Self::base(
        Vendor::FortiSwitch,
        "fortiswitch",
        "FortiSwitchOS 7.0 administration guide, \"RADIUS change of authorization (CoA)\"; PacketFence \
             Fortinet/FortiSwitchOS_v7_x.pm",
        &[
            F::CallingStationId,
            F::NasIpAddress,
            F::AcctSessionId,
            F::UserName,
        ],
    )
    .with_calling_station_mac(MacFormat::HYPHEN_LOWER)
    .with_role(RoleChange::Reauthenticate);

    /// Ruckus SmartZone / ZoneDirector: Disconnect with Calling-Station-Id and the AP's
    /// NAS-IP-Address (no Acct-Session-Id: newer ZoneDirector firmware rejects it).
    pub const RUCKUS: Self = Self::base(
        Vendor::Ruckus,
        "ruckus",
        "PacketFence lib/pf/Switch/Ruckus/SmartZone.pm; PacketFence issue 1971 (Acct-Session-Id rejected)",
        &[F::CallingStationId, F::NasIpAddress],
    );

    /// Every builtin profile.
    pub const ALL: [Self; 14] = [
        Self::GENERIC,
        Self::CISCO_IOS,
        Self::CISCO_WLC,
        Self::CISCO_ISG,
        Self::JUNIPER_MX,
        Self::ARUBA_CONTROLLER,
        Self::ARUBA_CX,
        Self::HP_AOS_SWITCH,
        Self::EXTREME,
        Self::MIKROTIK,
        Self::MERAKI,
        Self::FORTIGATE,
        Self::FORTISWITCH,
        Self::RUCKUS,
    ];

    /// The builtin profile for a vendor.
    #[must_use]
    pub fn for_vendor(vendor: Vendor) -> Self {
        Self::ALL
            .into_iter()
            .find(|p| p.vendor == vendor)
            .unwrap_or(Self::GENERIC)
    }

    /// The builtin profile with this name.
    #[must_use]
    pub fn by_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Whether the vendor's recipe covers this intent.
    ///
    /// Derived from the recipe itself (run on a representative intent of this kind and
    /// an empty session), so the two cannot disagree.
    #[must_use]
    pub fn supports(&self, intent: IntentKind) -> bool {
        let mut scratch = Vec::new();
        self.recipe(&Session::default(), &representative(intent), &mut scratch)
            .is_some()
    }

    /// Plans the request that carries out `intent` on `session`. `now` becomes the
    /// Event-Timestamp.
    pub fn plan(&self, session: &Session, intent: &Intent, now: SystemTime) -> Result<PacketPlan, Error> {
        let unsupported = || Error::Unsupported {
            profile: self.name.clone(),
            intent: intent.kind(),
        };
        // The recipe decides whether the intent is supported; its attributes follow
        // the identification attributes.
        let mut change = Vec::new();
        let recipe = self
            .recipe(session, intent, &mut change)
            .ok_or_else(unsupported)?;
        let mut attrs = Vec::with_capacity(12);
        self.identify(session, &mut attrs)?;
        let (kind, authorize_only) = recipe?;
        attrs.append(&mut change);
        if self.event_timestamp {
            let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let secs = u32::try_from(secs).unwrap_or(u32::MAX);
            attrs.push(AttrSpec::ietf(AttrType::EVENT_TIMESTAMP, Value::Date(secs)));
        }
        let code = kind.code();
        let mut deviations = Vec::new();
        let mut refused = Vec::new();
        for v in rfc5176::check(code, &attrs) {
            match self.allowed_deviations.iter().find(|(addr, _)| *addr == v.attr) {
                Some((_, reason)) => deviations.push(Deviation {
                    violation: v,
                    reason: reason.clone(),
                }),
                None => refused.push(v),
            }
        }
        if !refused.is_empty() {
            return Err(Error::NotAllowed(refused));
        }
        Ok(PacketPlan {
            kind,
            port: match kind {
                RequestKind::Coa => self.coa_port,
                RequestKind::Disconnect => self.disconnect_port,
            },
            attrs,
            message_authenticator: self.message_authenticator,
            authorize_only,
            deviations,
        })
    }

    /// Appends the identification attributes.
    fn identify(&self, s: &Session, out: &mut Vec<AttrSpec>) -> Result<(), Error> {
        let fields: &[IdField] = match (&self.mac_auth_identity, s.kind) {
            (Some(f), SessionKind::MacAuth) => f,
            _ => &self.identity,
        };
        for f in self.required.iter() {
            // Present when it would be emitted (required fields are few: the
            // scratch list stays small).
            let mut scratch = Vec::new();
            self.emit(s, *f, &mut scratch);
            if scratch.is_empty() {
                return Err(Error::MissingIdentity {
                    profile: self.name.clone(),
                    field: *f,
                });
            }
        }
        let mut session_ids = 0usize;
        for &f in fields {
            let before = out.len();
            self.emit(s, f, out);
            if out.len() > before && !f.is_nas() {
                session_ids += 1;
            }
        }
        if session_ids == 0 {
            // Say which single attribute would have helped when there is one.
            return Err(
                match fields
                    .iter()
                    .filter(|f| !f.is_nas())
                    .collect::<Vec<_>>()
                    .as_slice()
                {
                    [only] => Error::MissingIdentity {
                        profile: self.name.clone(),
                        field: **only,
                    },
                    _ => Error::NoSessionIdentification {
                        profile: self.name.clone(),
                    },
                },
            );
        }
        Ok(())
    }

    fn emit(&self, s: &Session, f: IdField, out: &mut Vec<AttrSpec>) {
        let text = |t: AttrType, v: &Option<String>, out: &mut Vec<AttrSpec>| {
            if let Some(v) = v {
                out.push(AttrSpec::ietf(
                    t,
                    Value::String(Cow::Owned(v.clone().into_bytes())),
                ));
            }
        };
        let id = &s.id;
        match f {
            F::NasIpAddress => {
                if let Some(ip) = s.nas.ipv4 {
                    out.push(AttrSpec::ietf(AttrType::NAS_IP_ADDRESS, Value::IpAddr(ip)));
                }
            }
            F::NasIpv6Address => {
                if let Some(ip) = s.nas.ipv6 {
                    out.push(AttrSpec::ietf(AttrType::NAS_IPV6_ADDRESS, Value::Ipv6Addr(ip)));
                }
            }
            F::NasIdentifier => text(AttrType::NAS_IDENTIFIER, &s.nas.identifier, out),
            F::UserName => text(AttrType::USER_NAME, &id.user_name, out),
            F::UserNameMac => {
                if let Some(mac) = id.calling_station.as_ref().and_then(StationId::mac) {
                    out.push(AttrSpec::ietf(
                        AttrType::USER_NAME,
                        Value::String(Cow::Owned(mac.format(self.user_name_mac).into_bytes())),
                    ));
                }
            }
            F::Cui => {
                if let Some(c) = &id.cui {
                    out.push(AttrSpec::ietf(
                        AttrType::CHARGEABLE_USER_IDENTITY,
                        Value::Octets(Cow::Owned(c.clone())),
                    ));
                }
            }
            F::AcctSessionId => text(AttrType::ACCT_SESSION_ID, &id.acct_session_id, out),
            F::AcctMultiSessionId => text(AttrType::ACCT_MULTI_SESSION_ID, &id.acct_multi_session_id, out),
            F::CallingStationId => {
                if let Some(c) = &id.calling_station {
                    out.push(AttrSpec::ietf(
                        AttrType::CALLING_STATION_ID,
                        Value::String(Cow::Owned(c.render(self.calling_station_mac).into_bytes())),
                    ));
                }
            }
            F::CalledStationId => {
                if let Some(c) = &id.called_station {
                    out.push(AttrSpec::ietf(
                        AttrType::CALLED_STATION_ID,
                        Value::String(Cow::Owned(c.raw.clone().into_bytes())),
                    ));
                }
            }
            F::NasPort => {
                if let Some(p) = id.nas_port {
                    out.push(AttrSpec::ietf(AttrType::NAS_PORT, Value::Integer(p)));
                }
            }
            F::NasPortId => text(AttrType::NAS_PORT_ID, &id.nas_port_id, out),
            F::FramedIpAddress => {
                if let Some(ip) = id.framed_ip {
                    out.push(AttrSpec::ietf(AttrType::FRAMED_IP_ADDRESS, Value::IpAddr(ip)));
                }
            }
            F::FramedIpv6 => {
                if let Some((p, l)) = id.framed_ipv6_prefix {
                    out.push(AttrSpec::ietf(
                        AttrType::FRAMED_IPV6_PREFIX,
                        Value::Ipv6Prefix(p, l),
                    ));
                }
                if let Some(i) = id.framed_interface_id {
                    out.push(AttrSpec::ietf(AttrType::FRAMED_INTERFACE_ID, Value::Ifid(i)));
                }
            }
            F::FramedIpv6Address => {
                if let Some(ip) = id.framed_ipv6_address {
                    out.push(AttrSpec::ietf(AttrType::FRAMED_IPV6_ADDRESS, Value::Ipv6Addr(ip)));
                }
            }
            F::CiscoAuditSessionId => {
                if let Some(a) = id.cisco_audit_session_id() {
                    out.push(avpair(CISCO_AVPAIR, format!("audit-session-id={a}")));
                }
            }
            F::Operator => {
                text(AttrType::OPERATOR_NAME, &id.operator_name, out);
                if let Some(o) = &id.operator_nas_id {
                    out.push(AttrSpec::new(
                        OPERATOR_NAS_ID,
                        Value::Octets(Cow::Owned(o.clone())),
                    ));
                }
            }
        }
    }

    /// The vendor's recipe: request kind, Authorize-Only flag, change attributes.
    /// `None` when the vendor has no recipe for the intent.
    fn recipe(
        &self,
        s: &Session,
        intent: &Intent,
        out: &mut Vec<AttrSpec>,
    ) -> Option<Result<(RequestKind, bool), Error>> {
        use RequestKind::{Coa, Disconnect};
        let coa = Some(Ok((Coa, false)));
        match intent {
            Intent::Disconnect { terminate_cause } => {
                if let Some(c) = terminate_cause {
                    out.push(AttrSpec::ietf(AttrType::ACCT_TERMINATE_CAUSE, Value::Integer(*c)));
                }
                return Some(Ok((Disconnect, false)));
            }
            Intent::Raw { kind, attrs } => {
                out.extend(attrs.iter().cloned());
                return Some(Ok((*kind, false)));
            }
            Intent::ChangeRole(role) => {
                let RoleChange::Attribute(addr) = self.role else {
                    return None;
                };
                out.push(AttrSpec::text(addr, role.clone()));
                return coa;
            }
            _ => {}
        }
        match (self.vendor, intent) {
            (Vendor::Generic, Intent::ApplyFilter(f)) => out.push(AttrSpec::text(FILTER_ID, f.clone())),
            (Vendor::Generic | Vendor::MikroTik | Vendor::FortiSwitch, Intent::SessionTimeout(t)) => {
                out.push(AttrSpec::ietf(AttrType::SESSION_TIMEOUT, Value::Integer(*t)));
            }
            (Vendor::Generic, Intent::IdleTimeout(t)) => {
                out.push(AttrSpec::ietf(AttrType::IDLE_TIMEOUT, Value::Integer(*t)));
            }
            (Vendor::Generic, Intent::AuthorizeOnly) => {
                let Some(state) = &s.state else {
                    return Some(Err(Error::MissingState));
                };
                out.push(AttrSpec::ietf(
                    AttrType::SERVICE_TYPE,
                    Value::Integer(SERVICE_TYPE_AUTHORIZE_ONLY),
                ));
                out.push(AttrSpec::ietf(
                    AttrType::STATE,
                    Value::Octets(Cow::Owned(state.clone())),
                ));
                return Some(Ok((Coa, true)));
            }
            (Vendor::CiscoIos | Vendor::CiscoWlc | Vendor::Meraki, Intent::Reauthenticate(k)) => {
                out.push(avpair(CISCO_AVPAIR, "subscriber:command=reauthenticate"));
                let ty = match (k, self.vendor) {
                    (ReauthKind::Rerun, _) => Some("subscriber:reauthenticate-type=rerun"),
                    (ReauthKind::Last, _) | (ReauthKind::Default, Vendor::CiscoWlc | Vendor::Meraki) => {
                        Some("subscriber:reauthenticate-type=last")
                    }
                    (ReauthKind::Default, _) => None,
                };
                if let Some(ty) = ty {
                    out.push(avpair(CISCO_AVPAIR, ty));
                }
            }
            (Vendor::CiscoIos, Intent::BouncePort { .. }) => {
                out.push(avpair(CISCO_AVPAIR, "subscriber:command=bounce-host-port"));
            }
            (Vendor::CiscoIos, Intent::DisablePort) => {
                out.push(avpair(CISCO_AVPAIR, "subscriber:command=disable-host-port"));
            }
            (Vendor::CiscoIos, Intent::ActivateService(svc)) => {
                out.push(avpair(CISCO_AVPAIR, "subscriber:command=activate-service"));
                out.push(avpair(
                    CISCO_AVPAIR,
                    format!("subscriber:service-name={}", svc.render()),
                ));
            }
            (Vendor::CiscoIos, Intent::DeactivateService(svc)) => {
                out.push(avpair(CISCO_AVPAIR, "subscriber:command=deactivate-service"));
                out.push(avpair(
                    CISCO_AVPAIR,
                    format!("subscriber:service-name={}", svc.render()),
                ));
            }
            (Vendor::CiscoIsg, Intent::AccountLogon) => {
                out.push(avpair(CISCO_AVPAIR, "subscriber:command=account-logon"));
            }
            (Vendor::CiscoIsg, Intent::AccountLogoff) => {
                out.push(avpair(CISCO_AVPAIR, "subscriber:command=account-logoff"));
            }
            (Vendor::CiscoIsg, Intent::ActivateService(svc)) => {
                out.push(avpair(CISCO_AVPAIR, format!("subscriber:sa={}", svc.render())));
            }
            (Vendor::CiscoIsg, Intent::DeactivateService(svc)) => {
                out.push(avpair(CISCO_AVPAIR, format!("subscriber:sd={}", svc.render())));
            }
            (Vendor::CiscoIsg, Intent::Policy { ingress, egress }) => {
                if let Some(p) = ingress {
                    out.push(avpair(CISCO_AVPAIR, format!("subscriber:sub-qos-policy-in={p}")));
                }
                if let Some(p) = egress {
                    out.push(avpair(CISCO_AVPAIR, format!("subscriber:sub-qos-policy-out={p}")));
                }
            }
            (Vendor::JuniperMx, Intent::ActivateService(svc)) => {
                out.push(avpair(ERX_SERVICE_ACTIVATE, svc.render()).tagged(svc.tag.unwrap_or(1)));
            }
            (Vendor::JuniperMx, Intent::DeactivateService(svc)) => {
                out.push(avpair(ERX_SERVICE_DEACTIVATE, svc.render()));
            }
            (Vendor::JuniperMx, Intent::Policy { ingress, egress }) => {
                if let Some(p) = ingress {
                    out.push(avpair(ERX_INGRESS_POLICY_NAME, p.clone()));
                }
                if let Some(p) = egress {
                    out.push(avpair(ERX_EGRESS_POLICY_NAME, p.clone()));
                }
            }
            (Vendor::ArubaCx, Intent::BouncePort { seconds }) => out.push(AttrSpec::new(
                ARUBA_PORT_BOUNCE_HOST,
                Value::Integer(seconds.unwrap_or(DEFAULT_BOUNCE_SECONDS)),
            )),
            (Vendor::HpAosSwitch, Intent::BouncePort { seconds }) => out.push(AttrSpec::new(
                HP_PORT_BOUNCE_HOST,
                Value::Integer(seconds.unwrap_or(DEFAULT_BOUNCE_SECONDS)),
            )),
            (Vendor::MikroTik, Intent::RateLimit(r)) => out.push(avpair(MIKROTIK_RATE_LIMIT, r.mikrotik())),
            (Vendor::FortiSwitch, Intent::BouncePort { .. }) => {
                out.push(avpair(FORTINET_HOST_PORT_AVPAIR, "action=bounce-port"));
            }
            (Vendor::FortiSwitch, Intent::DisablePort) => {
                out.push(avpair(FORTINET_HOST_PORT_AVPAIR, "action=disable-port"));
            }
            (Vendor::FortiSwitch, Intent::Reauthenticate(_)) => {
                out.push(avpair(FORTINET_HOST_PORT_AVPAIR, "action=reauth-port"));
            }
            _ => return None,
        }
        coa
    }
}

/// An intent of this kind with empty data, to ask the recipe whether it has one.
fn representative(kind: IntentKind) -> Intent {
    use IntentKind as K;
    let service = || ServiceRef {
        name: String::new(),
        params: Vec::new(),
        tag: None,
    };
    match kind {
        K::Disconnect => Intent::DISCONNECT,
        K::Reauthenticate => Intent::Reauthenticate(ReauthKind::Default),
        K::ChangeRole => Intent::ChangeRole(String::new()),
        K::ApplyFilter => Intent::ApplyFilter(String::new()),
        K::SessionTimeout => Intent::SessionTimeout(0),
        K::IdleTimeout => Intent::IdleTimeout(0),
        K::BouncePort => Intent::BouncePort { seconds: None },
        K::DisablePort => Intent::DisablePort,
        K::RateLimit => Intent::RateLimit(RateLimit {
            upload_bps: 0,
            download_bps: 0,
        }),
        K::Policy => Intent::Policy {
            ingress: None,
            egress: None,
        },
        K::ActivateService => Intent::ActivateService(service()),
        K::DeactivateService => Intent::DeactivateService(service()),
        K::AccountLogon => Intent::AccountLogon,
        K::AccountLogoff => Intent::AccountLogoff,
        K::AuthorizeOnly => Intent::AuthorizeOnly,
        K::Raw => Intent::Raw {
            kind: RequestKind::Coa,
            attrs: Vec::new(),
        },
    }
}

fn avpair(addr: AttrAddr, value: impl Into<Cow<'static, str>>) -> AttrSpec {
    AttrSpec::text(addr, value)
}
