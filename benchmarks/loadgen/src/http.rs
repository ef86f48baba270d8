//! A minimal HTTP/1.1 client: keep-alive GETs over one TCP connection, responses framed by
//! Content-Length, chunked encoding or the connection's close. Enough for loopback load.

use std::io;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A page URL split into what a request needs.
#[derive(Clone, Debug)]
pub struct Target {
    pub addr: SocketAddr,
    /// `host:port` as written in the URL: the Host header and the default Origin.
    pub authority: String,
    /// Path and query.
    pub path: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("{url}: only http:// URLs (loopback) are supported"))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let with_port = if authority.contains(':') {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        let host = with_port.rsplit_once(':').map(|(h, _)| h).unwrap_or("");
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let ip: std::net::IpAddr = match host {
            "localhost" => std::net::IpAddr::from([127, 0, 0, 1]),
            h => h
                .parse()
                .map_err(|_| format!("{url}: the host must be a loopback address"))?,
        };
        if !ip.is_loopback() {
            return Err(format!("{url}: the host must be a loopback address"));
        }
        let port: u16 = with_port
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse().ok())
            .ok_or_else(|| format!("{url}: bad port"))?;
        Ok(Target {
            addr: SocketAddr::new(ip, port),
            authority: authority.to_string(),
            path: path.to_string(),
        })
    }
}

pub struct Response {
    pub status: u16,
    /// `name=value` of each Set-Cookie header.
    pub set_cookies: Vec<String>,
    /// The body, when asked for; otherwise empty.
    pub body: Vec<u8>,
    pub body_len: usize,
    /// The server will take another request on this connection.
    pub keep_alive: bool,
}

pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

impl Conn {
    pub async fn connect(addr: SocketAddr) -> io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(16 * 1024),
        })
    }

    async fn fill(&mut self) -> io::Result<()> {
        if self.buf.capacity() - self.buf.len() < 4096 {
            self.buf.reserve(16 * 1024);
        }
        let n = self.stream.read_buf(&mut self.buf).await?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed by the server",
            ));
        }
        Ok(())
    }

    /// One GET; `keep_body` keeps the body's bytes, otherwise only its length is counted.
    pub async fn get(
        &mut self,
        target: &Target,
        path: &str,
        cookie: Option<&str>,
        keep_body: bool,
    ) -> io::Result<Response> {
        let mut req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: djust-loadgen\r\nAccept: */*\r\n",
            target.authority
        );
        if let Some(c) = cookie {
            req.push_str("Cookie: ");
            req.push_str(c);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        self.exchange(req.as_bytes(), keep_body).await
    }

    /// One POST of a JSON body (the fanout scenario's publish request); the answer's body is
    /// only counted.
    pub async fn post_json(&mut self, target: &Target, body: &str) -> io::Result<Response> {
        let req = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: djust-loadgen\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            target.path,
            target.authority,
            body.len()
        );
        self.exchange(req.as_bytes(), false).await
    }

    /// Writes a whole request and reads its response.
    async fn exchange(&mut self, request: &[u8], keep_body: bool) -> io::Result<Response> {
        self.stream.write_all(request).await?;

        // Head.
        let (status, head_len, framing, keep_alive, set_cookies) = loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut resp = httparse::Response::new(&mut headers);
            match resp
                .parse(&self.buf)
                .map_err(|_| bad("malformed response head"))?
            {
                httparse::Status::Complete(n) => {
                    let status = resp.code.unwrap_or(0);
                    let http10 = resp.version == Some(0);
                    let mut framing = Framing::UntilClose;
                    let mut keep_alive = !http10;
                    let mut set_cookies = Vec::new();
                    for h in resp.headers.iter() {
                        let value = std::str::from_utf8(h.value).unwrap_or("");
                        if h.name.eq_ignore_ascii_case("content-length") {
                            let len = value.trim().parse().map_err(|_| bad("content-length"))?;
                            framing = Framing::Length(len);
                        } else if h.name.eq_ignore_ascii_case("transfer-encoding")
                            && value.to_ascii_lowercase().contains("chunked")
                        {
                            framing = Framing::Chunked;
                        } else if h.name.eq_ignore_ascii_case("connection") {
                            let v = value.to_ascii_lowercase();
                            if v.contains("close") {
                                keep_alive = false;
                            } else if v.contains("keep-alive") {
                                keep_alive = true;
                            }
                        } else if h.name.eq_ignore_ascii_case("set-cookie") {
                            let pair = value.split(';').next().unwrap_or("").trim();
                            if !pair.is_empty() {
                                set_cookies.push(pair.to_string());
                            }
                        }
                    }
                    if status == 204 || status == 304 || (100..200).contains(&status) {
                        framing = Framing::Length(0);
                    }
                    break (status, n, framing, keep_alive, set_cookies);
                }
                httparse::Status::Partial => self.fill().await?,
            }
        };
        self.buf.drain(..head_len);

        // Body.
        let mut body = Vec::new();
        let mut body_len = 0usize;
        match framing {
            Framing::Length(len) => {
                while self.buf.len() < len {
                    self.fill().await?;
                }
                if keep_body {
                    body.extend_from_slice(&self.buf[..len]);
                }
                body_len = len;
                self.buf.drain(..len);
            }
            Framing::Chunked => loop {
                // chunk-size [; ext] CRLF data CRLF ... 0 CRLF [trailers] CRLF
                let line_end = loop {
                    if let Some(i) = find_crlf(&self.buf) {
                        break i;
                    }
                    self.fill().await?;
                };
                let line = std::str::from_utf8(&self.buf[..line_end]).unwrap_or("");
                let size_hex = line.split(';').next().unwrap_or("").trim();
                let size =
                    usize::from_str_radix(size_hex, 16).map_err(|_| bad("bad chunk size"))?;
                self.buf.drain(..line_end + 2);
                if size == 0 {
                    // Trailers, then an empty line.
                    loop {
                        let end = loop {
                            if let Some(i) = find_crlf(&self.buf) {
                                break i;
                            }
                            self.fill().await?;
                        };
                        self.buf.drain(..end + 2);
                        if end == 0 {
                            break;
                        }
                    }
                    break;
                }
                while self.buf.len() < size + 2 {
                    self.fill().await?;
                }
                if keep_body {
                    body.extend_from_slice(&self.buf[..size]);
                }
                body_len += size;
                self.buf.drain(..size + 2);
            },
            Framing::UntilClose => {
                loop {
                    if self.buf.capacity() - self.buf.len() < 4096 {
                        self.buf.reserve(16 * 1024);
                    }
                    if self.stream.read_buf(&mut self.buf).await? == 0 {
                        break;
                    }
                }
                body_len = self.buf.len();
                if keep_body {
                    body = std::mem::take(&mut self.buf);
                }
                self.buf.clear();
                return Ok(Response {
                    status,
                    set_cookies,
                    body,
                    body_len,
                    keep_alive: false,
                });
            }
        }
        Ok(Response {
            status,
            set_cookies,
            body,
            body_len,
            keep_alive,
        })
    }
}

enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
}

fn find_crlf(buf: &[u8]) -> Option<usize> {
    buf.windows(2).position(|w| w == b"\r\n")
}

/// The view token in a page: the value of its first `dj-view="..."` attribute.
pub fn view_token(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("dj-view=\"")? + "dj-view=\"".len();
    let end = text[start..].find('"')? + start;
    Some(unescape(&text[start..end]))
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A `Cookie:` header value from Set-Cookie pairs; a later cookie of the same name wins.
pub fn cookie_header(pairs: &[String]) -> String {
    let mut kept: Vec<(&str, &str)> = Vec::new();
    for pair in pairs {
        let (name, value) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
        if let Some(slot) = kept.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        } else {
            kept.push((name, value));
        }
    }
    kept.iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Keep-alive connections shared by the sessions that fetch their page.
#[derive(Default)]
pub struct Pool {
    idle: std::sync::Mutex<Vec<Conn>>,
}

impl Pool {
    pub async fn get(&self, target: &Target, path: &str, keep_body: bool) -> io::Result<Response> {
        let reused = self.idle.lock().unwrap().pop();
        let (mut conn, was_reused) = match reused {
            Some(c) => (c, true),
            None => (Conn::connect(target.addr).await?, false),
        };
        let result = match conn.get(target, path, None, keep_body).await {
            // A kept-alive connection the server has since closed: once more on a new one.
            Err(_) if was_reused => {
                conn = Conn::connect(target.addr).await?;
                conn.get(target, path, None, keep_body).await
            }
            other => other,
        };
        if let Ok(resp) = &result {
            if resp.keep_alive {
                self.idle.lock().unwrap().push(conn);
            }
        }
        result
    }
}
