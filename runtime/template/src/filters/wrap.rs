//! Django's `wrap()` (the `wordwrap` filter): Python's `textwrap.TextWrapper` with
//! `break_long_words`, `break_on_hyphens` and `replace_whitespace` off, line by line as
//! `str.splitlines()` cuts the text.

use crate::compiler::is_py_space;

/// `django.utils.text.wrap(text, width)`; `width` must be positive (Python raises
/// `ValueError` otherwise, which the caller leaves to the host).
pub(super) fn wrap(text: &str, width: usize) -> String {
    let mut result: Vec<String> = Vec::new();
    for line in split_lines(text) {
        let wrapped = wrap_line(line, width);
        if wrapped.is_empty() {
            // A line of whitespace only that wrapping dropped is kept as it was.
            result.push(line.to_owned());
        } else {
            result.extend(wrapped);
        }
    }
    if text.ends_with('\n') {
        result.push(String::new());
    }
    result.join("\n")
}

/// Python's `str.splitlines()`: the lines without their ends, `\r\n` one end.
fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let is_end = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if !is_end {
            continue;
        }
        lines.push(&text[start..at]);
        let mut next = at + c.len_utf8();
        if c == '\r' {
            if let Some(&(_, '\n')) = chars.peek() {
                chars.next();
                next += 1;
            }
        }
        start = next;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// `str.expandtabs(8)` of a line (no line ends left in it).
fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 8 - column % 8;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

/// `TextWrapper._split`: runs of `\t\n\x0b\x0c\r ` and the runs between them.
fn split_chunks(text: &str) -> Vec<&str> {
    let is_sep = |c: char| matches!(c, '\t' | '\n' | '\x0b' | '\x0c' | '\r' | ' ');
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut in_sep = None;
    for (at, c) in text.char_indices() {
        let sep = is_sep(c);
        if in_sep.is_some_and(|was| was != sep) {
            chunks.push(&text[start..at]);
            start = at;
        }
        in_sep = Some(sep);
    }
    if start < text.len() {
        chunks.push(&text[start..]);
    }
    chunks
}

/// `chunk.strip() == ""`.
fn is_blank(chunk: &str) -> bool {
    chunk.chars().all(is_py_space)
}

fn length(chunk: &str) -> usize {
    chunk.chars().count()
}

/// `TextWrapper.wrap(line)`: `_wrap_chunks` with `drop_whitespace` on and long words kept
/// whole.
fn wrap_line(line: &str, width: usize) -> Vec<String> {
    let expanded = expand_tabs(line);
    let mut chunks = split_chunks(&expanded);
    chunks.reverse();
    let mut lines = Vec::new();
    while !chunks.is_empty() {
        let mut current: Vec<&str> = Vec::new();
        let mut current_length = 0;
        // Whitespace at the start of a line (not the first) is dropped.
        if !lines.is_empty() && chunks.last().is_some_and(|c| is_blank(c)) {
            chunks.pop();
        }
        while let Some(&chunk) = chunks.last() {
            let chunk_length = length(chunk);
            if current_length + chunk_length > width {
                break;
            }
            current.push(chunk);
            current_length += chunk_length;
            chunks.pop();
        }
        // A word longer than the width goes whole on a line of its own.
        if current.is_empty() && chunks.last().is_some_and(|c| length(c) > width) {
            current.extend(chunks.pop());
        }
        // So does whitespace at the end of a line.
        if current.last().is_some_and(|c| is_blank(c)) {
            current.pop();
        }
        if !current.is_empty() {
            lines.push(current.concat());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_as_djangos_wrap() {
        // Each expectation is django.utils.text.wrap(text, width) under Python 3.11.
        let cases = [
            ("Joel is a slug", 5, "Joel\nis a\nslug"),
            ("  lead  and   spaces here  ", 4, "lead\nand\nspaces\nhere"),
            ("a\tb\tc d", 3, "a\nb\nc d"),
            ("verylongword short", 4, "verylongword\nshort"),
            ("x\r\ny\n\nz\n", 1, "x\ny\n\nz\n"),
            ("one two\u{a0}three four", 7, "one\ntwo\u{a0}three\nfour"),
            ("\u{3000} \u{3000}", 1, "\u{3000} \u{3000}"),
            ("   ", 2, "   "),
            ("", 3, ""),
            ("a\x0bb\x1cc\u{85}d\u{2028}e", 1, "a\nb\nc\nd\ne"),
            ("tab\tat\tend\t", 6, "tab\nat\nend"),
        ];
        for (text, width, expected) in cases {
            assert_eq!(wrap(text, width), expected, "{text:?} {width}");
        }
    }
}
