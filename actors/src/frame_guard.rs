//! Refuses a WebSocket frame on its header when it announces more than the limit.
//!
//! actix's frame parser waits for a frame's whole payload before it compares its length with
//! the limit, so a client announcing a 64 MiB frame would have the server buffer 64 MiB first.
//! [`FrameGuard`] reads the frame headers as the bytes arrive, ahead of that parser, and ends
//! the stream as soon as a header announces a payload over the limit: nothing past the limit is
//! buffered, and the reader closes the socket with 1009.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::error::PayloadError;
use bytes::Bytes;
use futures_util::Stream;

/// Where the guard is in the byte stream.
enum State {
    /// Reading a header: the bytes seen so far (at most 14).
    Header { bytes: [u8; 14], seen: usize },
    /// Skipping a payload: how many bytes remain.
    Payload(u64),
}

/// A client → server byte stream, checked frame header by frame header.
pub struct FrameGuard<S> {
    inner: S,
    state: State,
    max: u64,
    refused: Arc<AtomicBool>,
}

impl<S> FrameGuard<S> {
    /// Guards `inner`; `refused` is set when a frame over `max` bytes is announced.
    pub fn new(inner: S, max: usize, refused: Arc<AtomicBool>) -> FrameGuard<S> {
        FrameGuard {
            inner,
            state: State::Header {
                bytes: [0; 14],
                seen: 0,
            },
            max: max as u64,
            refused,
        }
    }

    /// Follows the frames through `chunk`; false when a header announces too much.
    fn check(&mut self, mut chunk: &[u8]) -> bool {
        while !chunk.is_empty() {
            match &mut self.state {
                State::Payload(remaining) => {
                    let skipped = (*remaining).min(chunk.len() as u64);
                    *remaining -= skipped;
                    chunk = &chunk[skipped as usize..];
                    if *remaining == 0 {
                        self.state = State::Header {
                            bytes: [0; 14],
                            seen: 0,
                        };
                    }
                }
                State::Header { bytes, seen } => {
                    bytes[*seen] = chunk[0];
                    *seen += 1;
                    chunk = &chunk[1..];
                    if *seen < 2 {
                        continue;
                    }
                    let short = u64::from(bytes[1] & 0x7f);
                    let extended = match short {
                        126 => 2,
                        127 => 8,
                        _ => 0,
                    };
                    let mask = if bytes[1] & 0x80 != 0 { 4 } else { 0 };
                    if *seen < 2 + extended + mask {
                        continue;
                    }
                    let length = match extended {
                        2 => u64::from(u16::from_be_bytes([bytes[2], bytes[3]])),
                        8 => u64::from_be_bytes(bytes[2..10].try_into().unwrap_or([0xff; 8])),
                        _ => short,
                    };
                    if length > self.max {
                        return false;
                    }
                    self.state = if length == 0 {
                        State::Header {
                            bytes: [0; 14],
                            seen: 0,
                        }
                    } else {
                        State::Payload(length)
                    };
                }
            }
        }
        true
    }
}

impl<S> Stream for FrameGuard<S>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.refused.load(Ordering::Relaxed) {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                if self.check(&chunk) {
                    Poll::Ready(Some(Ok(chunk)))
                } else {
                    self.refused.store(true, Ordering::Relaxed);
                    Poll::Ready(Some(Err(PayloadError::Overflow)))
                }
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(max: usize) -> FrameGuard<futures_util::stream::Empty<Result<Bytes, PayloadError>>> {
        FrameGuard::new(futures_util::stream::empty(), max, Arc::default())
    }

    /// A masked client frame header announcing `length` bytes.
    fn header(length: u64) -> Vec<u8> {
        let mut bytes = vec![0x81];
        match length {
            0..=125 => bytes.push(0x80 | length as u8),
            126..=0xffff => {
                bytes.push(0x80 | 126);
                bytes.extend_from_slice(&(length as u16).to_be_bytes());
            }
            _ => {
                bytes.push(0x80 | 127);
                bytes.extend_from_slice(&length.to_be_bytes());
            }
        }
        bytes.extend_from_slice(&[1, 2, 3, 4]);
        bytes
    }

    #[test]
    fn frames_within_the_limit_pass_whatever_the_chunking() {
        let mut stream = Vec::new();
        for length in [0u64, 5, 125, 126, 300, 1000] {
            stream.extend(header(length));
            stream.extend(std::iter::repeat_n(b'x', length as usize));
        }
        for size in [1, 2, 3, 7, 64, stream.len()] {
            let mut checked = guard(1000);
            assert!(
                stream.chunks(size).all(|chunk| checked.check(chunk)),
                "{size}"
            );
        }
    }

    #[test]
    fn a_header_announcing_more_is_refused_before_its_payload() {
        let mut checked = guard(1000);
        assert!(checked.check(&header(10)));
        assert!(checked.check(b"0123456789"));
        assert!(!checked.check(&header(64 * 1024 * 1024)));
        let mut split = guard(1000);
        let big = header(1001);
        assert!(split.check(&big[..3]));
        assert!(!split.check(&big[3..]));
    }
}
