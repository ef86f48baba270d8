//! The HTML input stream's newline normalisation: before tokenizing, every CR LF pair and every
//! lone CR become one LF, as browsers (and html5ever) do. Pages are normalised once up front, so
//! that both parsers — and the byte offsets a [`Tree`](crate::Tree) keeps for the next render —
//! work on the same text.

use std::borrow::Cow;

/// `html` with CR LF and lone CR turned into LF; borrowed when it has no CR.
pub(crate) fn normalize_newlines(html: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\r', html.as_bytes()).is_none() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        out.push('\n');
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cr_lf_and_lone_cr_become_lf() {
        assert_eq!(
            normalize_newlines("a\r\nb\rc\n\rd\r\r\ne\r"),
            "a\nb\nc\n\nd\n\ne\n"
        );
    }

    #[test]
    fn text_without_cr_is_borrowed() {
        assert!(matches!(normalize_newlines("a\nb"), Cow::Borrowed("a\nb")));
    }
}
