//! "Did you mean ...?": the names closest to a misspelt attribute or VALUE name, by
//! edit distance (case ignored, a swap of two neighbouring letters one edit).

use crate::{AttrDef, Dictionary};

/// The most names a suggestion offers.
const MAX_SUGGESTIONS: usize = 3;

/// The most edits a suggestion may be away from a name of `len` characters: one for
/// short names, one more every five characters (`Ethrnet` -> `Ethernet` is one,
/// `Sesion-Timout` -> `Session-Timeout` two).
fn max_edits(len: usize) -> usize {
    1 + len / 5
}

/// The optimal string alignment distance between `a` and `b` (insertions, deletions,
/// substitutions and swaps of neighbours), ASCII case ignored; `None` past `limit`.
fn distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let eq = |x: char, y: char| x.eq_ignore_ascii_case(&y);
    let width = b.len() + 1;
    // Rows i - 2 (for swaps), i - 1 and i of the table.
    let mut back2 = vec![0usize; width];
    let mut back1: Vec<usize> = (0..width).collect();
    let mut row = vec![0usize; width];
    for (i, &ca) in a.iter().enumerate() {
        let i = i + 1;
        let mut best = i;
        if let Some(first) = row.first_mut() {
            *first = i;
        }
        for (j, &cb) in b.iter().enumerate() {
            let j = j + 1;
            let at = |r: &[usize], k: usize| r.get(k).copied().unwrap_or(usize::MAX);
            let cost = usize::from(!eq(ca, cb));
            let mut v = at(&back1, j)
                .saturating_add(1)
                .min(at(&row, j - 1).saturating_add(1))
                .min(at(&back1, j - 1).saturating_add(cost));
            if i > 1 && j > 1 {
                if let (Some(&pa), Some(&pb)) = (a.get(i - 2), b.get(j - 2)) {
                    if eq(ca, pb) && eq(pa, cb) {
                        v = v.min(at(&back2, j - 2).saturating_add(1));
                    }
                }
            }
            if let Some(cell) = row.get_mut(j) {
                *cell = v;
            }
            best = best.min(v);
        }
        if best > limit {
            return None;
        }
        std::mem::swap(&mut back2, &mut back1);
        std::mem::swap(&mut back1, &mut row);
    }
    back1.last().copied().filter(|d| *d <= limit)
}

/// The candidates closest to `wrong`, at the smallest distance found (at most
/// [`MAX_SUGGESTIONS`], in the candidates' order, each once): none when every one is
/// too far, or `wrong` itself is one of them.
pub(crate) fn closest<'c>(wrong: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    let wrong: Vec<char> = wrong.chars().collect();
    let mut limit = max_edits(wrong.len());
    let mut best: Vec<&str> = Vec::new();
    let mut best_distance = usize::MAX;
    let mut word = Vec::new();
    for c in candidates {
        word.clear();
        word.extend(c.chars());
        let Some(d) = distance(&wrong, &word, limit) else {
            continue;
        };
        if d == 0 {
            return Vec::new();
        }
        if d < best_distance {
            best_distance = d;
            limit = d;
            best.clear();
        }
        if best.len() < MAX_SUGGESTIONS && !best.iter().any(|b| b.eq_ignore_ascii_case(c)) {
            best.push(c);
        }
    }
    best
}

impl Dictionary {
    /// The attribute names closest to `name`, a name the dictionary does not define
    /// (a typo: `User-Nmae` gives `User-Name`): at most three, all at the smallest
    /// edit distance found (letters inserted, deleted, replaced or two neighbours
    /// swapped; case ignored), none when no name is close (at most one edit, one more
    /// every five characters). [`Error::suggestions`](crate::Error::suggestions) of an
    /// [`ErrorKind::UnknownAttribute`](crate::ErrorKind::UnknownAttribute) error holds
    /// the same.
    ///
    /// ```
    /// let dict = radius_dict::Dictionary::builtin();
    /// assert_eq!(dict.suggest_attributes("User-Nmae"), ["User-Name"]);
    /// assert!(dict.suggest_attributes("Frobnicate").is_empty());
    /// ```
    #[must_use]
    pub fn suggest_attributes(&self, name: &str) -> Vec<&str> {
        closest(name, self.attributes().map(AttrDef::name))
    }

    /// The VALUE names of `attr` closest to `text` (`Ethrnet` for `NAS-Port-Type`
    /// gives `Ethernet`), as [`Dictionary::suggest_attributes`] picks them.
    /// [`Error::suggestions`](crate::Error::suggestions) of an
    /// [`ErrorKind::UnknownValueName`](crate::ErrorKind::UnknownValueName) error
    /// holds the same.
    ///
    /// ```
    /// let dict = radius_dict::Dictionary::builtin();
    /// let npt = dict.attr("NAS-Port-Type").unwrap();
    /// assert_eq!(dict.suggest_values(npt, "Ethrnet"), ["Ethernet"]);
    /// ```
    #[must_use]
    pub fn suggest_values(&self, attr: &AttrDef, text: &str) -> Vec<&str> {
        self.values(attr)
            .map(|v| closest(text, v.iter().map(|(_, name)| name)))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> Option<usize> {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        distance(&a, &b, 10)
    }

    #[test]
    fn edit_distances() {
        assert_eq!(d("User-Nmae", "User-Name"), Some(1));
        assert_eq!(d("Ethrnet", "ethernet"), Some(1));
        assert_eq!(d("abc", "abc"), Some(0));
        assert_eq!(d("", "abc"), Some(3));
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(d("ca", "abc"), Some(3));
        let (a, b): (Vec<char>, Vec<char>) = ("aaaaaaaa".chars().collect(), "bbbbbbbb".chars().collect());
        assert_eq!(distance(&a, &b, 2), None);
    }

    #[test]
    fn closest_names() {
        let names = [
            "Session-Timeout",
            "Idle-Timeout",
            "Service-Type",
            "session-timeout",
        ];
        assert_eq!(closest("Sesion-Timout", names.into_iter()), ["Session-Timeout"]);
        assert!(closest("Session-Timeout", names.into_iter()).is_empty());
        assert!(closest("Frobnicate", names.into_iter()).is_empty());
        assert_eq!(
            closest("ab", ["ac", "xb", "abc", "zz"].into_iter()),
            ["ac", "xb", "abc"]
        );
    }

    /// Trial: `NAS-Port-Type=Ethrnet` said `not a valid integer value`, and
    /// `User-Nmae` only `unknown attribute`. The errors name what is wrong and carry
    /// the closest names, typed.
    #[test]
    fn errors_suggest_names() {
        use crate::ErrorKind;
        let dict = Dictionary::builtin();
        let npt = dict.attr("NAS-Port-Type").unwrap();
        let e = dict.parse_value(npt, "Ethrnet").unwrap_err();
        assert_eq!(*e.kind(), ErrorKind::UnknownValueName);
        assert_eq!(e.suggestions(), ["Ethernet"]);
        assert_eq!(
            e.to_string(),
            "NAS-Port-Type: not a number nor a value name of NAS-Port-Type (\"Ethrnet\") (did you mean 'Ethernet'?)"
        );
        let e = dict.parse_value(npt, "Frobnicate").unwrap_err();
        assert_eq!(
            (e.kind(), e.suggestions().len()),
            (&ErrorKind::UnknownValueName, 0)
        );
        assert!(!e.to_string().contains("did you mean"), "{e}");
        // A number out of range is not a name.
        assert!(matches!(
            dict.parse_value(npt, "99999999999").unwrap_err().kind(),
            ErrorKind::InvalidValue { .. }
        ));
        // An integer without VALUEs: still a number that is not valid.
        let st = dict.attr("Session-Timeout").unwrap();
        assert!(matches!(
            dict.parse_value(st, "ten").unwrap_err().kind(),
            ErrorKind::InvalidValue { .. }
        ));
        let e = dict.attr_or_raw("User-Nmae").unwrap_err();
        assert_eq!(*e.kind(), ErrorKind::UnknownAttribute);
        assert_eq!(e.suggestions(), ["User-Name"]);
        assert_eq!(
            e.to_string(),
            "User-Nmae: unknown attribute (\"User-Nmae\") (did you mean 'User-Name'?)"
        );
        let mut b = radius_codec::PacketBuilder::accounting_request(1);
        let e = dict.add(&mut b, "Sesion-Timout", "10", None).unwrap_err();
        assert_eq!(e.suggestions(), ["Session-Timeout"]);
        let e = dict.add(&mut b, "Service-Type", "Framed-Usr", None).unwrap_err();
        assert_eq!(e.suggestions(), ["Framed-User"]);
    }
}
