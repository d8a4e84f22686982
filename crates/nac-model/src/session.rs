//! Sessions as a dynamic-authorization client knows them (RFC 5176 §3): which NAS,
//! and which attributes identify the session there.

use std::net::{Ipv4Addr, Ipv6Addr};

use radius_codec::{AttrType, BuiltinFormats, Code, DataType, DecodeOptions, Packet, Value, VendorId};

use crate::error::Error;

use crate::mac::{CalledStationId, StationId};

/// How the NAS identifies itself (NAS-IP-Address, NAS-IPv6-Address, NAS-Identifier).
///
/// These attributes may differ from the address the request is sent to: a controller
/// can answer for its access points.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct NasIdentity {
    /// NAS-IP-Address (4).
    pub ipv4: Option<Ipv4Addr>,
    /// NAS-IPv6-Address (95).
    pub ipv6: Option<Ipv6Addr>,
    /// NAS-Identifier (32).
    pub identifier: Option<String>,
}

/// A session identifier carried in a vendor attribute.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VendorSessionId {
    /// Cisco `audit-session-id` (Cisco-AVPair), the session id of Cisco switches, WLCs
    /// and ISE.
    CiscoAuditSessionId(String),
    /// Any other vendor attribute, raw.
    Other {
        /// Vendor.
        vendor: VendorId,
        /// Vendor type.
        vendor_type: u32,
        /// Value octets.
        value: Vec<u8>,
    },
}

/// The attributes that identify one session at its NAS (RFC 5176 §3.1 table). Every
/// field is optional: a vendor profile picks which ones it sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SessionIdentity {
    /// User-Name (1).
    pub user_name: Option<String>,
    /// Chargeable-User-Identity (89, RFC 4372): identifies the user when User-Name is
    /// a privacy NAI.
    pub cui: Option<Vec<u8>>,
    /// Acct-Session-Id (44).
    pub acct_session_id: Option<String>,
    /// Acct-Multi-Session-Id (50).
    pub acct_multi_session_id: Option<String>,
    /// Calling-Station-Id (31).
    pub calling_station: Option<StationId>,
    /// Called-Station-Id (30).
    pub called_station: Option<CalledStationId>,
    /// NAS-Port (5).
    pub nas_port: Option<u32>,
    /// NAS-Port-Id (87).
    pub nas_port_id: Option<String>,
    /// Framed-IP-Address (8).
    pub framed_ip: Option<Ipv4Addr>,
    /// Framed-IPv6-Prefix (97): prefix and length.
    pub framed_ipv6_prefix: Option<(Ipv6Addr, u8)>,
    /// Framed-Interface-Id (96).
    pub framed_interface_id: Option<[u8; 8]>,
    /// Framed-IPv6-Address (168, RFC 6911).
    pub framed_ipv6_address: Option<Ipv6Addr>,
    /// Vendor session identifiers.
    pub vendor_ids: Vec<VendorSessionId>,
    /// Operator-Name (126, RFC 5580), used to route through proxies (RFC 8559).
    pub operator_name: Option<String>,
    /// Operator-NAS-Identifier (241.8, RFC 8559).
    pub operator_nas_id: Option<Vec<u8>>,
}

impl SessionIdentity {
    /// Cisco's audit-session-id, when known.
    #[must_use]
    pub fn cisco_audit_session_id(&self) -> Option<&str> {
        self.vendor_ids.iter().find_map(|v| match v {
            VendorSessionId::CiscoAuditSessionId(s) => Some(s.as_str()),
            VendorSessionId::Other { .. } => None,
        })
    }
}

/// How the session was authenticated: vendor recipes differ per kind (a MikroTik
/// hotspot session is identified by login and IP, a MAC-auth one by its MAC).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionKind {
    /// IEEE 802.1X (EAP).
    Dot1x,
    /// MAC authentication (MAB): User-Name is the MAC.
    MacAuth,
    /// Web authentication or captive portal.
    WebAuth,
    /// PPP, PPPoE, L2TP.
    Ppp,
    /// IP over Ethernet subscriber (DHCP-triggered, BNG).
    Ipoe,
    /// Hotspot login (MikroTik, CoovaChilli).
    Hotspot,
    /// Remote-access VPN.
    Vpn,
    /// Not known.
    #[default]
    Unknown,
}

/// A live session: where it is and how to name it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Session {
    /// The NAS' own identification.
    pub nas: NasIdentity,
    /// Session identification.
    pub id: SessionIdentity,
    /// How it was authenticated.
    pub kind: SessionKind,
    /// The State attribute to send with Authorize-Only (RFC 5176 §3.2, §3.3).
    pub state: Option<Vec<u8>>,
    /// Class attributes received for the session.
    pub class: Vec<Vec<u8>>,
}

const SERVICE_TYPE_CALL_CHECK: u32 = 10;
const FRAMED_PROTOCOL_PPP: u32 = 1;
const NAS_PORT_TYPE_VIRTUAL: u32 = 5;
const OPERATOR_NAS_IDENTIFIER: u8 = 8;

fn text(attr: AttrType, v: &[u8]) -> Result<String, Error> {
    std::str::from_utf8(v)
        .map(str::to_owned)
        .map_err(|_| Error::NotText(attr))
}

fn typed<'a>(attr: AttrType, dt: DataType, v: &'a [u8]) -> Result<Value<'a>, Error> {
    Value::decode(dt, v).map_err(|source| Error::BadValue { attr, source })
}

impl Session {
    /// Reads the NAS and session identification from a validated Access-Request or
    /// Accounting-Request (for example one a RADIUS server just answered).
    ///
    /// An identification attribute that cannot be read is an error, never left out:
    /// text that is not UTF-8 ([`Error::NotText`]), a value of the wrong length, or a
    /// Vendor-Specific or RFC 6929 extended attribute whose structure does not parse
    /// ([`Error::BadValue`]; such a packet is valid, the codec keeps the attribute
    /// whole, as FreeRADIUS 3.2 does).
    ///
    /// The kind is inferred: EAP-Message means 802.1X; Service-Type Call-Check, or a
    /// User-Name that is the Calling-Station-Id MAC, means MAC authentication;
    /// Framed-Protocol PPP means PPP. Otherwise it is [`SessionKind::Unknown`]; set it
    /// if you know better.
    pub fn from_packet<T: AsRef<[u8]>>(packet: &Packet<T>) -> Result<Self, Error> {
        if !matches!(packet.code(), Code::AccessRequest | Code::AccountingRequest) {
            return Err(Error::WrongCode(packet.code()));
        }
        let mut s = Self::default();
        let (mut eap, mut call_check, mut ppp, mut virtual_port) = (false, false, false, false);
        // One structural walk, the codec's: Vendor-Specific split (a VSA of vendor
        // id 0 stays the plain attribute 26), extended attributes read.
        for a in packet.view().addressed(&BuiltinFormats) {
            if a.is_malformed() {
                // Kept whole by the codec (a Vendor-Specific or extended attribute
                // whose structure does not parse): identifiers in it (Cisco's
                // audit-session-id, WiMAX's, Operator-NAS-Identifier) cannot be read,
                // and a session read without them would target the NAS's session by
                // weaker ones, so it is an error, as a User-Name that is not text is.
                // The cause is what strict validation says; a WiMAX VSA that parses
                // but that the codec keeps whole (as FreeRADIUS does) is VsaMalformed.
                let attr = a.addr().path().first().and_then(|t| u8::try_from(*t).ok());
                let source = packet
                    .check(&DecodeOptions::UDP.strict_vsa().strict_extended())
                    .err()
                    .unwrap_or_else(|| radius_codec::Error::VsaMalformed {
                        offset: a.offset(),
                        vendor: VendorId::of_vsa_value(a.value()).unwrap_or(VendorId(0)),
                        sub_offset: 0,
                    });
                return Err(Error::BadValue {
                    attr: attr.map_or(AttrType::VENDOR_SPECIFIC, AttrType),
                    source,
                });
            }
            let v = a.value();
            let t = match (a.addr().vendor(), a.addr().path()) {
                (VendorId(0), [t]) => match u8::try_from(*t) {
                    Ok(t) => AttrType(t),
                    Err(_) => continue,
                },
                (VendorId(0), [241, x]) if *x == u32::from(OPERATOR_NAS_IDENTIFIER) => {
                    s.id.operator_nas_id = Some(v.to_vec());
                    continue;
                }
                (VendorId(0), _) => continue,
                (vendor, [vendor_type]) => {
                    s.id.vendor_ids.push(vendor_id(vendor, *vendor_type, v));
                    continue;
                }
                _ => continue,
            };
            match t {
                AttrType::USER_NAME => s.id.user_name = Some(text(t, v)?),
                AttrType::NAS_IP_ADDRESS => {
                    if let Value::IpAddr(ip) = typed(t, DataType::IpAddr, v)? {
                        s.nas.ipv4 = Some(ip);
                    }
                }
                AttrType::NAS_PORT => s.id.nas_port = integer(t, v)?,
                AttrType::SERVICE_TYPE => call_check = integer(t, v)? == Some(SERVICE_TYPE_CALL_CHECK),
                AttrType::FRAMED_PROTOCOL => ppp = integer(t, v)? == Some(FRAMED_PROTOCOL_PPP),
                AttrType::FRAMED_IP_ADDRESS => {
                    if let Value::IpAddr(ip) = typed(t, DataType::IpAddr, v)? {
                        s.id.framed_ip = Some(ip);
                    }
                }
                AttrType::STATE => s.state = Some(v.to_vec()),
                AttrType::CLASS => s.class.push(v.to_vec()),
                AttrType::CALLED_STATION_ID => {
                    s.id.called_station = Some(CalledStationId::parse(&text(t, v)?))
                }
                AttrType::CALLING_STATION_ID => s.id.calling_station = Some(StationId::parse(&text(t, v)?)),
                AttrType::NAS_IDENTIFIER => s.nas.identifier = Some(text(t, v)?),
                AttrType::ACCT_SESSION_ID => s.id.acct_session_id = Some(text(t, v)?),
                AttrType::ACCT_MULTI_SESSION_ID => s.id.acct_multi_session_id = Some(text(t, v)?),
                AttrType::NAS_PORT_TYPE => virtual_port = integer(t, v)? == Some(NAS_PORT_TYPE_VIRTUAL),
                AttrType::EAP_MESSAGE => eap = true,
                AttrType::NAS_PORT_ID => s.id.nas_port_id = Some(text(t, v)?),
                AttrType::CHARGEABLE_USER_IDENTITY => s.id.cui = Some(v.to_vec()),
                AttrType::NAS_IPV6_ADDRESS => {
                    if let Value::Ipv6Addr(ip) = typed(t, DataType::Ipv6Addr, v)? {
                        s.nas.ipv6 = Some(ip);
                    }
                }
                AttrType::FRAMED_INTERFACE_ID => {
                    if let Value::Ifid(id) = typed(t, DataType::Ifid, v)? {
                        s.id.framed_interface_id = Some(id);
                    }
                }
                AttrType::FRAMED_IPV6_PREFIX => {
                    if let Value::Ipv6Prefix(p, l) = typed(t, DataType::Ipv6Prefix, v)? {
                        s.id.framed_ipv6_prefix = Some((p, l));
                    }
                }
                AttrType::OPERATOR_NAME => s.id.operator_name = Some(text(t, v)?),
                AttrType::FRAMED_IPV6_ADDRESS => {
                    if let Value::Ipv6Addr(ip) = typed(t, DataType::Ipv6Addr, v)? {
                        s.id.framed_ipv6_address = Some(ip);
                    }
                }
                _ => {}
            }
        }
        let mac_user = match (
            &s.id.user_name,
            s.id.calling_station.as_ref().and_then(StationId::mac),
        ) {
            (Some(u), Some(mac)) => u.parse::<crate::MacAddress>().ok() == Some(mac),
            _ => false,
        };
        s.kind = if eap {
            SessionKind::Dot1x
        } else if call_check || mac_user {
            SessionKind::MacAuth
        } else if ppp {
            SessionKind::Ppp
        } else if virtual_port && s.id.framed_ip.is_some() {
            SessionKind::Vpn
        } else {
            SessionKind::Unknown
        };
        Ok(s)
    }
}

fn integer(t: AttrType, v: &[u8]) -> Result<Option<u32>, Error> {
    Ok(match typed(t, DataType::Integer, v)? {
        Value::Integer(n) => Some(n),
        _ => None,
    })
}

fn vendor_id(vendor: VendorId, vendor_type: u32, value: &[u8]) -> VendorSessionId {
    if vendor == VendorId::CISCO && vendor_type == 1 {
        if let Some(id) = value
            .strip_prefix(b"audit-session-id=")
            .and_then(|r| std::str::from_utf8(r).ok())
        {
            return VendorSessionId::CiscoAuditSessionId(id.to_owned());
        }
    }
    VendorSessionId::Other {
        vendor,
        vendor_type,
        value: value.to_vec(),
    }
}
