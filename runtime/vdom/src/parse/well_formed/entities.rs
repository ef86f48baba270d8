//! Character references (`&amp;`, `&#169;`, `&notin;`, legacy `&copy`), decoded exactly as the
//! HTML tokenizer decodes them, in text and in attribute values.

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

use crate::tree::Text;

/// `raw` with its character references decoded.
pub(crate) fn decode(raw: &str, in_attribute: bool) -> Text {
    if memchr::memchr(b'&', raw.as_bytes()).is_none() {
        return Text::from(raw);
    }
    let mut out = Text::with_capacity(raw.len());
    decode_into(&mut out, raw, in_attribute);
    out
}

/// Appends `raw` to `out` with its character references decoded.
pub(crate) fn decode_into(out: &mut Text, raw: &str, in_attribute: bool) {
    let mut rest = raw;
    while let Some(at) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let consumed = match rest.as_bytes().first() {
            Some(b'#') => numeric(out, rest),
            Some(c) if c.is_ascii_alphanumeric() => named(out, rest, in_attribute),
            _ => 0,
        };
        if consumed == 0 {
            out.push('&');
        }
        rest = &rest[consumed..];
    }
    out.push_str(rest);
}

/// Decodes `#…` after an `&`; returns how many bytes it used (0: not a reference).
fn numeric(out: &mut Text, rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let (radix, start) = match bytes.get(1) {
        Some(b'x' | b'X') => (16, 2),
        _ => (10, 1),
    };
    let digits = bytes[start..]
        .iter()
        .take_while(|b| (**b as char).is_digit(radix))
        .count();
    if digits == 0 {
        return 0;
    }
    let text = &rest[start..start + digits];
    // Past 0x10FFFF the value no longer matters: it becomes U+FFFD.
    let value = u32::from_str_radix(text, radix).unwrap_or(u32::MAX);
    out.push(match value {
        0 | 0xD800..=0xDFFF | 0x11_0000.. => '\u{fffd}',
        0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
        _ => char::from_u32(value).unwrap_or('\u{fffd}'),
    });
    let end = start + digits;
    end + usize::from(bytes.get(end) == Some(&b';'))
}

/// Decodes a named reference after an `&`: the longest name in the table (which lists every
/// prefix of every name), with the legacy rules for names without `;`.
fn named(out: &mut Text, rest: &str, in_attribute: bool) -> usize {
    // `&name;` as templates write it: no name continues past its `;`, so when the whole of it
    // is in the table it is the longest match, found with one lookup instead of one per prefix.
    let letters = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if rest.as_bytes().get(letters) == Some(&b';') {
        let name = &rest[..=letters];
        let found = match name {
            "amp;" => Some((u32::from('&'), 0)),
            "lt;" => Some((u32::from('<'), 0)),
            "gt;" => Some((u32::from('>'), 0)),
            "quot;" => Some((u32::from('"'), 0)),
            _ => NAMED_ENTITIES
                .get(name)
                .copied()
                .filter(|&(first, _)| first != 0),
        };
        if let Some((first, second)) = found {
            push_code_points(out, first, second);
            return name.len();
        }
    }
    let mut matched: Option<(usize, (u32, u32))> = None;
    for (i, c) in rest.char_indices() {
        let end = i + c.len_utf8();
        match NAMED_ENTITIES.get(&rest[..end]) {
            Some(&(0, _)) => {}
            Some(&found) => matched = Some((end, found)),
            None => break,
        }
    }
    let Some((end, (first, second))) = matched else {
        return 0;
    };
    let with_semicolon = rest.as_bytes()[end - 1] == b';';
    let next = rest.as_bytes().get(end).copied();
    // In an attribute, `&copy=1` or `&copyx` stays as written (URLs keep their queries).
    if in_attribute
        && !with_semicolon
        && next.is_some_and(|b| b == b'=' || b.is_ascii_alphanumeric())
    {
        return 0;
    }
    push_code_points(out, first, second);
    end
}

/// A named reference's one or two code points (0: none).
fn push_code_points(out: &mut Text, first: u32, second: u32) {
    for code in [first, second] {
        if let Some(c) = char::from_u32(code).filter(|_| code != 0) {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(raw: &str) -> Text {
        decode(raw, false)
    }

    fn attribute(raw: &str) -> Text {
        decode(raw, true)
    }

    #[test]
    fn references_decode_as_the_tokenizer_decodes_them() {
        assert_eq!(text("a &amp; b &lt;&gt;&quot;"), "a & b <>\"");
        assert_eq!(
            text("&#169;&#xA9;&#XA9&#0;&#x110000;&#xD800;"),
            "©©©\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(text("&#128;&#x81;"), "€\u{81}");
        assert_eq!(text("&notin; &notit; &copy &copyx"), "∉ ¬it; © ©x");
        assert_eq!(text("& &; &# &#x; &unknown; &"), "& &; &# &#x; &unknown; &");
        assert_eq!(text("&NotEqualTilde;"), "≂\u{338}");
    }

    #[test]
    fn a_legacy_name_in_an_attribute_is_kept_before_letters_and_equals() {
        assert_eq!(attribute("?a=1&copy=2&b"), "?a=1&copy=2&b");
        assert_eq!(attribute("&copyx &copy &copy;x"), "&copyx © ©x");
        assert_eq!(attribute("&amp;x"), "&x");
    }
}
