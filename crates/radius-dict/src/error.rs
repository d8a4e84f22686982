//! The crate's one error type: dictionary errors (file, line, column, token) and
//! text-value errors (attribute, token).

use std::fmt;

use radius_codec::DataType;

/// What is wrong with a dictionary line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The keyword at the start of the line is not a dictionary keyword.
    UnknownKeyword,
    /// The line has too few or too many fields for its keyword.
    WrongFieldCount {
        /// Fields expected (a description such as "3 or 4").
        expected: &'static str,
        /// Fields found.
        found: usize,
    },
    /// An attribute number, vendor id or value is not a valid number.
    BadNumber,
    /// An attribute number is out of range for where it is defined.
    NumberOutOfRange,
    /// The data type is not one FreeRADIUS 3.2 knows.
    UnknownType,
    /// An ATTRIBUTE flag is not one FreeRADIUS 3.2 knows.
    UnknownFlag,
    /// A flag does not apply to this data type (e.g. `concat` on a string).
    FlagNotAllowed,
    /// A VALUE names an attribute that is never defined.
    UnknownAttribute,
    /// A vendor name is not defined.
    UnknownVendor,
    /// The VENDOR `format=` is not `t,l[,c]` with t in 1,2,4 and l in 0,1,2.
    BadVendorFormat,
    /// A name is defined twice with different meanings.
    Duplicate,
    /// END-VENDOR / END-TLV does not close the open block.
    BlockMismatch,
    /// A block is still open at the end of the file.
    UnclosedBlock,
    /// A dotted number's parent attribute is not defined or cannot have children.
    NoParent,
    /// A TLV block or dotted child under an attribute that is not a `tlv`.
    NotTlv,
    /// An `$INCLUDE` that cannot be read; also the root file given to
    /// [`Dictionary::load`](crate::Dictionary::load), at line 0 (the message is then
    /// `path: cannot be read`).
    MissingInclude,
    /// An `$INCLUDE` that includes itself, directly or not.
    IncludeCycle,
    /// Includes nested deeper than the limit.
    IncludeTooDeep,
    /// A limit on the dictionary's size was reached: attributes, files, the size of
    /// one file or the bytes read in one load.
    TooLarge,
    /// The last warning of a lenient load that had too many: the token is the number
    /// of warnings that were dropped.
    TooManyWarnings,
    /// A text value is not a valid value of the attribute's type (nor one of its
    /// VALUE names); the token is the text (not shown for hidden or secret
    /// attributes).
    InvalidValue {
        /// The attribute's data type.
        data_type: DataType,
    },
    /// A text that is neither a number nor one of the VALUE names of an attribute
    /// that has some (`NAS-Port-Type = Ethrnet`); the token is the text, and
    /// [`Error::suggestions`] the closest names.
    UnknownValueName,
    /// An `abinary` text that is not an Ascend filter FreeRADIUS reads (and not `0x`
    /// hex); the token is the word at fault.
    InvalidFilter(crate::FilterError),
    /// A `date` text that is a date, but not one a 32-bit `date` holds: before
    /// `Jan  1 1970 00:00:00 UTC` or after `Feb  7 2106 06:28:15 UTC` (also a
    /// number over 4294967295 or below 0); the token is the text.
    DateOutOfRange,
    /// A `date` text with a time zone other than `UTC`, `GMT` or a numeric offset
    /// (`+04`, `-0330`): zone names such as `CET` are ambiguous, and FreeRADIUS
    /// reads them as its own local time; the token is the zone.
    UnknownTimeZone,
    /// A tag outside 1..=31 (0 is allowed for `integer` and salt-encrypted
    /// attributes), or a tag on an attribute without `has_tag`; the token is the tag.
    InvalidTag,
    /// The attribute cannot be sent in a packet (virtual, a container type, or a
    /// hidden value without the secret to hide it).
    NotEncodable,
    /// Encoding the value failed in the codec (also the error's `source`).
    Codec(radius_codec::Error),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownKeyword => f.write_str("unknown keyword"),
            Self::WrongFieldCount { expected, found } => {
                write!(f, "expected {expected} fields, found {found}")
            }
            Self::BadNumber => f.write_str("invalid number"),
            Self::NumberOutOfRange => f.write_str("number out of range"),
            Self::UnknownType => f.write_str("unknown data type"),
            Self::UnknownFlag => f.write_str("unknown flag"),
            Self::FlagNotAllowed => f.write_str("flag not allowed for this data type"),
            Self::UnknownAttribute => f.write_str("unknown attribute"),
            Self::UnknownVendor => f.write_str("unknown vendor"),
            Self::BadVendorFormat => f.write_str("invalid vendor format (expected format=t,l[,c])"),
            Self::Duplicate => f.write_str("duplicate definition"),
            Self::BlockMismatch => f.write_str("END does not match the open BEGIN block"),
            Self::UnclosedBlock => f.write_str("BEGIN block not closed at end of file"),
            Self::NoParent => f.write_str("parent attribute is not defined"),
            Self::NotTlv => f.write_str("parent attribute is not of type tlv"),
            Self::MissingInclude => f.write_str("included file cannot be read"),
            Self::IncludeCycle => f.write_str("include cycle"),
            Self::IncludeTooDeep => f.write_str("includes nested too deeply"),
            Self::TooLarge => f.write_str("dictionary too large"),
            Self::TooManyWarnings => f.write_str("too many warnings; the rest were dropped"),
            Self::InvalidValue { data_type } => write!(f, "not a valid {data_type} value"),
            Self::UnknownValueName => f.write_str("not a number nor a value name of the attribute"),
            Self::InvalidFilter(e) => write!(f, "not a valid Ascend filter: {e}"),
            Self::DateOutOfRange => {
                f.write_str("date out of range (Jan  1 1970 00:00:00 UTC to Feb  7 2106 06:28:15 UTC)")
            }
            Self::UnknownTimeZone => {
                f.write_str("unknown time zone (UTC, GMT or a numeric offset such as +0100)")
            }
            Self::InvalidTag => f.write_str("invalid tag"),
            Self::NotEncodable => f.write_str("cannot be sent in a packet"),
            Self::Codec(e) => write!(f, "cannot be encoded: {e}"),
        }
    }
}

/// The crate's error: a dictionary error with its location
/// (`file:line:column: message ("token")`), or an error about a text value or an
/// attribute to add (`attribute: message ("token")`, with an empty file and line 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The attribute a text-value error is about (empty for dictionary errors).
    pub(crate) attr: String,
    pub(crate) file: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) token: String,
    pub(crate) kind: ErrorKind,
    /// Names close to a misspelt one ([`Error::suggestions`]); boxed, as the error
    /// is returned everywhere (clippy's `result_large_err`) and most have none.
    pub(crate) suggestions: Option<Box<Suggestions>>,
}

/// The names of [`Error::suggestions`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suggestions(Vec<String>);

/// The most characters of a token an error quotes.
const MAX_TOKEN: usize = 40;

/// Characters that print nothing visible or reorder what follows them (Unicode
/// format characters and line separators): escaped in tokens, as control characters
/// are, so a token cannot hide or rearrange text in a terminal or a log.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

/// A token as an error quotes it: its first [`MAX_TOKEN`] characters, then `...`
/// when there were more; blanks and printable text as they are, `\` and `"`
/// escaped (`\\`, `\"`), tab, newline and carriage return as `\t`, `\n`, `\r`,
/// other control and invisible characters as `\u{1b}`. So it shows the text
/// faithfully on one line and cannot break out of its quotes.
fn short_token(token: &str) -> String {
    use fmt::Write as _;
    let mut out = String::with_capacity(token.len().min(MAX_TOKEN) + 3);
    let mut chars = token.chars();
    for c in chars.by_ref().take(MAX_TOKEN) {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || is_invisible(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    if chars.next().is_some() {
        out.push_str("...");
    }
    out
}

impl Error {
    pub(crate) fn new(file: &str, line: usize, column: usize, token: &str, kind: ErrorKind) -> Self {
        Self {
            attr: String::new(),
            file: file.to_string(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            token: short_token(token),
            kind,
            suggestions: None,
        }
    }

    /// An error about a value or tag for attribute `attr`.
    pub(crate) fn value(attr: &str, token: &str, kind: ErrorKind) -> Self {
        let mut e = Self::new("", 0, 0, token, kind);
        e.attr = short_token(attr);
        e
    }

    /// This error with `names` as its [`Error::suggestions`].
    pub(crate) fn suggesting(mut self, names: Vec<&str>) -> Self {
        let names: Vec<String> = names.into_iter().map(short_token).collect();
        self.suggestions = (!names.is_empty()).then(|| Box::new(Suggestions(names)));
        self
    }

    /// For an [`ErrorKind::UnknownAttribute`] or [`ErrorKind::UnknownValueName`]
    /// error about a name or value given to the dictionary, the defined names closest
    /// to it, as [`Dictionary::suggest_attributes`](crate::Dictionary::suggest_attributes)
    /// and [`Dictionary::suggest_values`](crate::Dictionary::suggest_values) pick them
    /// (escaped as [`Error::token`] is); the message ends with `(did you mean 'X'?)`
    /// when there is one. Empty otherwise.
    #[must_use]
    pub fn suggestions(&self) -> &[String] {
        self.suggestions.as_deref().map_or(&[], |s| s.0.as_slice())
    }

    /// The attribute a text-value error is about (`None` for dictionary errors).
    #[must_use]
    pub fn attribute(&self) -> Option<&str> {
        (!self.attr.is_empty()).then_some(self.attr.as_str())
    }

    /// The file the error is in (as resolved from `$INCLUDE` or the root; empty for
    /// text-value errors).
    #[must_use]
    pub fn file(&self) -> &str {
        &self.file
    }

    /// 1-based line (0 for text-value errors and whole-file problems).
    #[must_use]
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// 1-based column of the offending token.
    #[must_use]
    pub fn column(&self) -> usize {
        self.column as usize
    }

    /// The offending token as the message quotes it: its first 40 characters (then
    /// `...` when it is longer), with `\`, `"`, control characters and invisible
    /// Unicode format characters escaped as in a Rust string literal (`\\`, `\"`,
    /// `\t`, `\u{1b}`, `\u{202e}`); blanks and other text as they are. Empty when
    /// the file's first line is not a dictionary line (an `$INCLUDE` of a file that
    /// is not a dictionary never quotes its content).
    #[must_use]
    pub fn token(&self) -> &str {
        &self.token
    }

    /// What is wrong.
    #[must_use]
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == ErrorKind::MissingInclude && self.line == 0 {
            // The root file itself (no `$INCLUDE` line to point at): `path: cannot be read`.
            return write!(f, "{}: cannot be read", self.file);
        }
        if self.file.is_empty() && !self.attr.is_empty() && self.kind == ErrorKind::UnknownValueName {
            write!(f, "{}: not a number nor a value name of {}", self.attr, self.attr)?;
        } else if self.file.is_empty() && !self.attr.is_empty() {
            write!(f, "{}: {}", self.attr, self.kind)?;
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.kind)?;
        }
        if !self.token.is_empty() {
            // already escaped: see `short_token`
            write!(f, " (\"{}\")", self.token)?;
        }
        let suggestions = self.suggestions();
        if !suggestions.is_empty() {
            f.write_str(" (did you mean ")?;
            for (i, s) in suggestions.iter().enumerate() {
                match i {
                    0 => {}
                    i if i + 1 == suggestions.len() => f.write_str(" or ")?,
                    _ => f.write_str(", ")?,
                }
                write!(f, "'{s}'")?;
            }
            f.write_str("?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Codec(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue: tokens turned blanks (and everything not ASCII) into `?`, so
    /// `Dec  2 1969` was quoted as `Dec??2?1969`. They show the text, escaping only
    /// what could hide or break the message, and stay bounded.
    #[test]
    fn tokens_are_faithful_and_safe() {
        for (raw, shown) in [
            ("Dec  2 1969 05:00:00 UTC", "Dec  2 1969 05:00:00 UTC"),
            ("caf\u{e9} \u{3000}x", "caf\u{e9} \u{3000}x"),
            ("a\tb\nc\rd", "a\\tb\\nc\\rd"),
            ("\u{1b}[31mred", "\\u{1b}[31mred"),
            ("say \"hi\" \\ bye", "say \\\"hi\\\" \\\\ bye"),
            ("evil\u{202e}txt.exe", "evil\\u{202e}txt.exe"),
            ("nul\0", "nul\\u{0}"),
            ("", ""),
        ] {
            assert_eq!(short_token(raw), shown, "{raw:?}");
        }
        let long = "z".repeat(41);
        assert_eq!(short_token(&long), format!("{}...", "z".repeat(40)));
        assert_eq!(short_token(&long[..40]), "z".repeat(40));
        // Bounded: 40 characters of the worst kind.
        let worst = "\u{202e}".repeat(1000);
        assert!(short_token(&worst).len() <= 40 * "\\u{202e}".len() + 3);
        // The root file: no line, no column, no token repeating the path.
        let e = Error::new("/nonexistent", 0, 0, "/nonexistent", ErrorKind::MissingInclude);
        assert_eq!(e.to_string(), "/nonexistent: cannot be read");
        let e = Error::new("dictionary", 3, 10, "dictionary.nope", ErrorKind::MissingInclude);
        assert_eq!(
            e.to_string(),
            "dictionary:3:10: included file cannot be read (\"dictionary.nope\")"
        );
        let e = Error::value("A\nB", "x\"y", ErrorKind::InvalidTag);
        assert_eq!(e.to_string(), "A\\nB: invalid tag (\"x\\\"y\")");
    }
}
