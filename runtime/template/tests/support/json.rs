//! A small JSON reader for fixture contexts, building template values directly (the crate has
//! no JSON dependency). Objects keep their key order, as Python's dicts do.
//!
//! Three objects are special, so fixtures can hold values JSON cannot:
//! `{"__safe__": "<b>"}` is a safe string, `{"__float__": "inf"}` a float from its Python
//! spelling, and `{"__object__": {...attributes}, "__str__": "text"}` a host object.

use std::sync::Arc;

use djust_template::{Map, Value};

use super::objects::Attributes;

/// Parses `text` as JSON into a value.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = reader.value()?;
    reader.skip_space();
    if reader.pos != reader.bytes.len() {
        return Err(format!("trailing characters at byte {}", reader.pos));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", byte as char, self.pos))
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(format!("bad literal at byte {}", self.pos))
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_space();
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => Ok(Value::from(self.string()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::None),
            Some(_) => self.number(),
            None => Err("unexpected end".into()),
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::from(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::from(items));
                }
                _ => return Err(format!("bad array at byte {}", self.pos)),
            }
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.expect(b'{')?;
        let mut map = Map::default();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(special(map));
        }
        loop {
            self.skip_space();
            let key = self.string()?;
            self.expect(b':')?;
            let value = self.value()?;
            map.insert(Arc::from(key), value);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(special(map));
                }
                _ => return Err(format!("bad object at byte {}", self.pos)),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let rest = std::str::from_utf8(&self.bytes[self.pos..]).map_err(|e| e.to_string())?;
            let mut chars = rest.chars();
            let c = chars.next().ok_or("unterminated string")?;
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let escape = self.peek().ok_or("bad escape")?;
                    self.pos += 1;
                    match escape {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' => out.push(self.unicode_escape()?),
                        other => out.push(other as char),
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or("short \\u escape")?;
        self.pos += 4;
        let digits = std::str::from_utf8(digits).map_err(|e| e.to_string())?;
        u32::from_str_radix(digits, 16).map_err(|e| e.to_string())
    }

    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        let code =
            if (0xd800..0xdc00).contains(&first) && self.bytes[self.pos..].starts_with(b"\\u") {
                self.pos += 2;
                let second = self.hex4()?;
                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            } else {
                first
            };
        char::from_u32(code).ok_or_else(|| format!("bad code point {code:x}"))
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|e| e.to_string())?;
        if text.contains(['.', 'e', 'E']) {
            text.parse()
                .map(Value::Float)
                .map_err(|e| format!("{text}: {e}"))
        } else {
            text.parse()
                .map(Value::Int)
                .map_err(|e| format!("{text}: {e}"))
        }
    }
}

/// Turns the special objects into the values they stand for.
fn special(map: Map) -> Value {
    if let (1, Some(Value::Str(text, _))) = (map.len(), map.get("__safe__")) {
        return Value::safe_str(text.clone());
    }
    if let (1, Some(Value::Str(text, _))) = (map.len(), map.get("__float__")) {
        let f = match &**text {
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            "nan" => f64::NAN,
            other => other.parse().unwrap_or(f64::NAN),
        };
        return Value::Float(f);
    }
    if let Some(Value::Map(attributes)) = map.get("__object__") {
        let text = map
            .get("__str__")
            .and_then(|v| v.as_str_and_safety())
            .map_or_else(String::new, |(t, _)| t.to_owned());
        return Value::from_object(Attributes {
            attributes: attributes.clone(),
            text,
        });
    }
    Value::from(map)
}
