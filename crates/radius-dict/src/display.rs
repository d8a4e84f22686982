//! A packet printed the way FreeRADIUS's debug output prints one.

use core::fmt;

use radius_codec::Packet;

use crate::model::Encrypt;
use crate::Dictionary;

/// A packet as FreeRADIUS's debug output (`radiusd -X`, `radclient -x`) shows it: a
/// header line with code, Identifier and length, then one `Name = value` line per
/// attribute, tab-indented, in wire order. Strings are quoted with FreeRADIUS escapes,
/// enumerated values by name, dates as `"Dec  2 2026 05:00:00 UTC"` (FreeRADIUS on a
/// server in UTC), tags as `Name:N`, unknown attributes as `Attr-...`;
/// values of attributes flagged `secret` or hidden (`encrypt=`) are never shown.
///
/// Made by [`Dictionary::display`], so examples, command line tools and bindings share
/// one printer.
#[derive(Debug)]
pub struct PacketDisplay<'d, 'a> {
    dict: &'d Dictionary,
    packet: Packet<&'a [u8]>,
}

impl Dictionary {
    /// The packet, printed like FreeRADIUS's debug output (see [`PacketDisplay`]).
    ///
    /// ```
    /// use radius_codec::{AttrType, PacketBuilder, SharedSecret};
    /// use radius_dict::Dictionary;
    ///
    /// let dict = Dictionary::builtin();
    /// let mut b = PacketBuilder::disconnect_request(7);
    /// b.without_message_authenticator();
    /// dict.add(&mut b, "User-Name", "bob", None)?;
    /// dict.add(&mut b, "Acct-Terminate-Cause", "Admin-Reset", None)?;
    /// let packet = b.finish_packet(&SharedSecret::from("s"))?;
    /// assert_eq!(
    ///     dict.display(&packet).to_string(),
    ///     "Disconnect-Request Id 7 length 31\n\tUser-Name = \"bob\"\n\tAcct-Terminate-Cause = Admin-Reset\n",
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn display<'d, 'a, T: AsRef<[u8]>>(&'d self, packet: &'a Packet<T>) -> PacketDisplay<'d, 'a> {
        PacketDisplay {
            dict: self,
            packet: packet.view(),
        }
    }
}

impl fmt::Display for PacketDisplay<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.packet;
        writeln!(f, "{} Id {} length {}", p.code(), p.identifier(), p.length())?;
        for d in self.dict.decode(p, None) {
            f.write_str("\t")?;
            f.write_str(&d.name)?;
            if let Some(tag) = d.tag.filter(|t| *t != 0) {
                write!(f, ":{tag}")?;
            }
            let text = match d.def {
                Some(def) if def.flags().secret || def.flags().encrypt != Encrypt::None => {
                    "<hidden>".to_owned()
                }
                Some(def) => self.dict.format_value_freeradius(def, &d.value),
                None => d.text(),
            };
            writeln!(f, " = {text}")?;
        }
        Ok(())
    }
}
