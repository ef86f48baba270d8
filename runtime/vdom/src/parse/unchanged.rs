//! What two renders share byte for byte: a common prefix and a common suffix, found at memory
//! speed before anything is parsed. Everything between them is the change.
//!
//! A node the previous parse built wholly inside the prefix (or wholly inside the suffix, at
//! the same distance from the end) has the very same bytes in the new render; where the parser
//! stands in the same context there, it takes the node over without reading it (see
//! `well_formed`).

use std::ops::Range;

/// The common prefix and suffix of a previous source and a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unchanged {
    /// The bytes `0..prefix` are the same in both.
    prefix: usize,
    /// The first byte that differs (past `prefix` when that was moved back to a character
    /// boundary), or the end of the shorter source.
    first_difference: usize,
    /// Where the common suffix starts in the previous source and in the new one: it runs to
    /// the end of each. Never before `prefix`.
    old_suffix: usize,
    new_suffix: usize,
}

impl Unchanged {
    /// The longest common prefix, then the longest common suffix of what is left, both ending
    /// on character boundaries.
    pub(crate) fn between(old: &str, new: &str) -> Unchanged {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let first_difference = common_prefix(a, b);
        let mut prefix = first_difference;
        while !(old.is_char_boundary(prefix) && new.is_char_boundary(prefix)) {
            prefix -= 1;
        }
        let most = a.len().min(b.len()) - prefix;
        let mut suffix = common_suffix(&a[a.len() - most..], &b[b.len() - most..]);
        while !(old.is_char_boundary(a.len() - suffix) && new.is_char_boundary(b.len() - suffix)) {
            suffix -= 1;
        }
        Unchanged {
            prefix,
            first_difference,
            old_suffix: a.len() - suffix,
            new_suffix: b.len() - suffix,
        }
    }

    /// The length of the common prefix.
    pub(crate) fn prefix(&self) -> usize {
        self.prefix
    }

    /// The changed bytes of the previous source.
    pub(crate) fn old_middle(&self) -> Range<usize> {
        self.prefix..self.old_suffix
    }

    /// The changed bytes of the new source.
    pub(crate) fn new_middle(&self) -> Range<usize> {
        self.prefix..self.new_suffix
    }

    /// Where the new source's offset `at` lies in the previous source, when it is in the
    /// prefix or the suffix, and where the bytes shared from there end (previous offsets).
    pub(crate) fn old_offset(&self, at: usize) -> Option<(usize, usize)> {
        if at < self.prefix {
            Some((at, self.prefix))
        } else if at >= self.new_suffix {
            let old_at = at - self.new_suffix + self.old_suffix;
            Some((old_at, usize::MAX))
        } else {
            None
        }
    }

    /// Whether the previous bytes `old_start..old_start + len` equal the new bytes from
    /// `new_start`, when the prefix and suffix alone say so.
    pub(crate) fn same_bytes(
        &self,
        old_start: usize,
        new_start: usize,
        len: usize,
    ) -> Option<bool> {
        if old_start == new_start && new_start < self.prefix {
            // From there on the first difference is at the same place in both.
            return Some(new_start + len <= self.first_difference);
        }
        if new_start >= self.new_suffix
            && new_start - self.new_suffix + self.old_suffix == old_start
        {
            // The same place in the suffix, which runs to the end of both.
            return Some(true);
        }
        None
    }
}

/// Blocks compared with one `memcmp` each before the byte that differs is looked for.
const BLOCK: usize = 256;

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..len]
        .iter()
        .zip(&b[at..len])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The common suffix of two slices of the same length.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len();
    let mut end = len;
    while end >= BLOCK && a[end - BLOCK..end] == b[end - BLOCK..end] {
        end -= BLOCK;
    }
    let same = a[..end]
        .iter()
        .rev()
        .zip(b[..end].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    len - end + same
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_is_what_lies_between_prefix_and_suffix() {
        let unchanged = Unchanged::between("<p>abc</p>", "<p>aXbc</p>");
        assert_eq!(unchanged.new_middle(), 4..5);
        assert_eq!(unchanged.old_middle(), 4..4);
        assert_eq!(unchanged.old_offset(2), Some((2, 4)));
        assert_eq!(unchanged.old_offset(4), None);
        assert_eq!(unchanged.old_offset(6), Some((5, usize::MAX)));
    }

    #[test]
    fn prefix_and_suffix_never_overlap() {
        let unchanged = Unchanged::between("aaaa", "aaaaaa");
        assert_eq!(unchanged.old_middle(), 4..4);
        assert_eq!(unchanged.new_middle(), 4..6);
        let same = Unchanged::between("abc", "abc");
        assert_eq!(same.new_middle(), 3..3);
    }

    #[test]
    fn long_inputs_are_compared_by_blocks_then_bytes() {
        let old = "x".repeat(1000) + "a" + &"y".repeat(1000);
        let new = "x".repeat(1000) + "bb" + &"y".repeat(1000);
        let unchanged = Unchanged::between(&old, &new);
        assert_eq!(unchanged.old_middle(), 1000..1001);
        assert_eq!(unchanged.new_middle(), 1000..1002);
    }

    #[test]
    fn boundaries_fall_between_characters() {
        // "é" is C3 A9, "è" C3 A8: the first byte is shared, the character is not.
        let unchanged = Unchanged::between("aé", "aè");
        assert_eq!(unchanged.new_middle(), 1..3);
        let unchanged = Unchanged::between("éa", "èa");
        assert_eq!(unchanged.new_middle(), 0..2);
    }

    #[test]
    fn shared_bytes_are_known_without_comparing() {
        let unchanged = Unchanged::between("<a></a><b></b>", "<a></a><i></i><b></b>");
        assert_eq!(unchanged.same_bytes(0, 0, 7), Some(true));
        assert_eq!(unchanged.same_bytes(0, 0, 14), Some(false));
        // The prefix is `<a></a><`, the suffix (which may not overlap it) `b></b>`.
        assert_eq!(unchanged.same_bytes(8, 15, 6), Some(true));
        assert_eq!(unchanged.same_bytes(7, 14, 7), None);
    }
}
