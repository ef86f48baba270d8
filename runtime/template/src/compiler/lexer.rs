//! Splits a template source into tokens exactly as Django's `Lexer` does.
//!
//! Django's `tag_re` is `({%.*?%}|{{.*?}}|{#.*?#})` without DOTALL: a tag ends at the first
//! closing delimiter on the same line, and a tag whose closing delimiter is on a later line is
//! plain text. Inside `{% verbatim %}` everything but the matching end tag is text.

use super::literal::py_strip;
use crate::error::Span;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Plain text, output as is.
    Text,
    /// `{{ ... }}`.
    Variable,
    /// `{% ... %}`.
    Block,
    /// `{# ... #}`.
    Comment,
}

/// One token: its kind, its contents (the stripped inside of a tag, or the text) and its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token<'s> {
    pub(crate) kind: TokenKind,
    pub(crate) contents: &'s str,
    pub(crate) span: Span,
}

/// The three tag kinds, by their opening and closing delimiters.
const TAGS: [(u8, u8, TokenKind); 3] = [
    (b'%', b'%', TokenKind::Block),
    (b'{', b'}', TokenKind::Variable),
    (b'#', b'#', TokenKind::Comment),
];

/// Tokenizes `source`.
pub(crate) fn tokenize(source: &str) -> Vec<Token<'_>> {
    let mut lexer = Lexer {
        source,
        tokens: Vec::new(),
        line: 1,
        line_start: 0,
        verbatim: None,
    };
    lexer.run();
    lexer.tokens
}

struct Lexer<'s> {
    source: &'s str,
    tokens: Vec<Token<'s>>,
    /// The line of the next token, and the byte offset where that line starts.
    line: usize,
    line_start: usize,
    /// Inside `{% verbatim ... %}`: the exact contents of the tag that ends it.
    verbatim: Option<String>,
}

impl<'s> Lexer<'s> {
    fn run(&mut self) {
        let bytes = self.source.as_bytes();
        let mut text_start = 0;
        let mut i = 0;
        // For each tag kind, a position before which no closing delimiter exists on the line
        // of a failed candidate: later candidates before it fail too, so they are skipped
        // (this keeps the scan linear where the regex would be quadratic).
        let mut no_close_before = [0usize; TAGS.len()];
        while let Some(offset) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b == b'{'))
        {
            i += offset;
            let second = bytes.get(i + 1).copied();
            let Some((kind_index, &(_, close, kind))) = TAGS
                .iter()
                .enumerate()
                .find(|(_, (open, _, _))| Some(*open) == second)
            else {
                i += 1;
                continue;
            };
            let limit = no_close_before.get_mut(kind_index);
            if limit.as_ref().is_some_and(|limit| i < **limit) {
                i += 1;
                continue;
            }
            match find_close(bytes, i + 2, close) {
                Ok(close_at) => {
                    let end = close_at + 2;
                    self.text(text_start, i);
                    self.tag(kind, i, end);
                    text_start = end;
                    i = end;
                }
                Err(line_end) => {
                    if let Some(limit) = limit {
                        *limit = line_end;
                    }
                    i += 1;
                }
            }
        }
        self.text(text_start, self.source.len());
    }

    fn span(&mut self, start: usize, end: usize) -> Span {
        let column = self
            .source
            .get(self.line_start..start)
            .map_or(0, |before| before.chars().count())
            + 1;
        let span = Span {
            start,
            end,
            line: self.line,
            column,
        };
        // Advance the line count past this token, as Django counts "\n" in every token.
        if let Some(token) = self.source.get(start..end) {
            for (offset, _) in token.match_indices('\n') {
                self.line += 1;
                self.line_start = start + offset + 1;
            }
        }
        span
    }

    fn text(&mut self, start: usize, end: usize) {
        if start < end {
            let span = self.span(start, end);
            let contents = self.source.get(start..end).unwrap_or("");
            self.tokens.push(Token {
                kind: TokenKind::Text,
                contents,
                span,
            });
        }
    }

    fn tag(&mut self, kind: TokenKind, start: usize, end: usize) {
        let span = self.span(start, end);
        let whole = self.source.get(start..end).unwrap_or("");
        let inner = py_strip(self.source.get(start + 2..end - 2).unwrap_or(""));
        let kind = match (kind, &self.verbatim) {
            (TokenKind::Block, Some(end_tag)) if inner == end_tag.as_str() => {
                self.verbatim = None;
                TokenKind::Block
            }
            (_, Some(_)) => TokenKind::Text,
            (TokenKind::Block, None) => {
                // Django tests `content[:9] in ("verbatim", "verbatim ")`.
                if inner == "verbatim" || inner.starts_with("verbatim ") {
                    self.verbatim = Some(format!("end{inner}"));
                }
                TokenKind::Block
            }
            (kind, None) => kind,
        };
        let contents = if kind == TokenKind::Text {
            whole
        } else {
            inner
        };
        self.tokens.push(Token {
            kind,
            contents,
            span,
        });
    }
}

/// The offset of the closing `close` `}` pair at or after `from` on the same line, or the
/// offset of the end of that line.
fn find_close(bytes: &[u8], from: usize, close: u8) -> Result<usize, usize> {
    let mut j = from;
    while let Some(&b) = bytes.get(j) {
        if b == b'\n' {
            return Err(j);
        }
        if b == close && bytes.get(j + 1) == Some(&b'}') {
            return Ok(j);
        }
        j += 1;
    }
    Err(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(TokenKind, &str)> {
        tokenize(source)
            .into_iter()
            .map(|t| (t.kind, t.contents))
            .collect()
    }

    use TokenKind::{Block, Comment, Text, Variable};

    #[test]
    fn splits_text_and_tags() {
        assert_eq!(
            kinds("a{{ b }}c{% if x %}{# note #}d"),
            [
                (Text, "a"),
                (Variable, "b"),
                (Text, "c"),
                (Block, "if x"),
                (Comment, "note"),
                (Text, "d"),
            ]
        );
        assert!(kinds("").is_empty());
    }

    #[test]
    fn tags_do_not_span_lines() {
        assert_eq!(kinds("a{{ b\n}}c"), [(Text, "a{{ b\n}}c")]);
        assert_eq!(
            kinds("{% if\n%}{{ x }}"),
            [(Text, "{% if\n%}"), (Variable, "x")]
        );
    }

    #[test]
    fn matching_is_non_greedy_and_nested_braces_are_text() {
        assert_eq!(kinds("{{ a }}}}"), [(Variable, "a"), (Text, "}}")]);
        assert_eq!(kinds("{{{ a }}"), [(Variable, "{ a")]);
        assert_eq!(kinds("{%}"), [(Text, "{%}")]);
        assert_eq!(kinds("{%%}"), [(Block, "")]);
        assert_eq!(kinds("{%{{ x }}"), [(Text, "{%"), (Variable, "x")]);
        assert_eq!(kinds("{# {{ x }} #}"), [(Comment, "{{ x }}")]);
    }

    #[test]
    fn verbatim_blocks_are_text_until_their_end_tag() {
        assert_eq!(
            kinds("{% verbatim %}{{ a }}{% endverbatim x %}{% endverbatim %}{{ b }}"),
            [
                (Block, "verbatim"),
                (Text, "{{ a }}"),
                (Text, "{% endverbatim x %}"),
                (Block, "endverbatim"),
                (Variable, "b"),
            ]
        );
        assert_eq!(
            kinds("{% verbatim  two %}{# c #}{% endverbatim  two %}"),
            [
                (Block, "verbatim  two"),
                (Text, "{# c #}"),
                (Block, "endverbatim  two"),
            ]
        );
        // Only a space after the name starts a named block, as in Django.
        assert_eq!(
            kinds("{% verbatim\tx %}{{ a }}"),
            [(Block, "verbatim\tx"), (Variable, "a")]
        );
        assert_eq!(kinds("{% verbatimx %}{{ a }}")[1], (Variable, "a"));
    }

    #[test]
    fn tracks_lines_columns_and_offsets() {
        let tokens = tokenize("ab\n  {{ x }}\né{% y %}");
        let spans: Vec<_> = tokens
            .iter()
            .map(|t| (t.span.line, t.span.column, t.span.start, t.span.end))
            .collect();
        assert_eq!(
            spans,
            [(1, 1, 0, 5), (2, 3, 5, 12), (2, 10, 12, 15), (3, 2, 15, 22)]
        );
    }

    #[test]
    fn many_unclosed_openers_stay_linear() {
        let source = "{{".repeat(50_000);
        assert_eq!(tokenize(&source).len(), 1);
    }
}
