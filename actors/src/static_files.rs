//! Static files for `djust serve`: `STATIC_URL` served from `STATIC_ROOT` (or the finders'
//! directories in `DEBUG`) by Rust, with `ETag`, `Last-Modified`, `304` and gzip, so a request
//! for a static file never waits for a Python worker.
//!
//! Safety first: the path after the prefix is percent-decoded exactly once and refused (404)
//! when any segment could leave the directories (`..`, `.`, empty, `\`, NUL, `:`); a path that
//! goes through a symlink is canonicalized and must still lie inside its canonicalized
//! directory, so a symlink that points outside is refused too.
//!
//! gzip, when the client accepts it: a `<file>.gz` beside the file wins when it is not older;
//! otherwise compressible types of 1 KB or more are compressed on the fly, and the compressed
//! bodies of files up to 1 MB are kept (16 MB in all) so a file is compressed once per version.
//!
//! Every response sets `Content-Encoding` (`gzip` or `identity`): actix-web's `Compress`
//! middleware leaves a response alone when that header is present
//! (`actix_http::encoding::Encoder::response` checks `contains_key(CONTENT_ENCODING)`; its own
//! predicate only skips images and video), which is the bypass actix-web documents and the one
//! actix-files uses for partial content. `identity` keeps it from compressing what we chose to
//! send as is (a small file, a font) under an `ETag` meant for the identity bytes; clients read
//! `identity` as no coding. A 304 needs nothing: an empty body is never encoded.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::fs::{self, File, Metadata};
use std::future::Future;
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Read, Write as _};
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::{Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::body::{self, BodySize, MessageBody};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::rt::task::{spawn_blocking, JoinHandle};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use percent_encoding::percent_decode_str;

/// Files smaller than this are sent as they are: gzip saves too little to pay for itself.
const GZIP_MIN_LEN: u64 = 1024;
/// Above this a file is streamed from disk in chunks; at or below it, read in one piece.
const STREAM_ABOVE: u64 = 1024 * 1024;
/// Compressed bodies of files up to [`STREAM_ABOVE`] are kept, up to this many bytes in all.
const GZIP_CACHE_BUDGET: usize = 16 * 1024 * 1024;
/// Files up to this size are read on the worker thread itself; larger ones on the blocking
/// pool. A page-cache read of this size is a few microseconds, less than the hand-off to the
/// blocking pool and back: measured with wrk (32 connections, 2 workers, same 2 cores, 10 KB
/// file) at ~18,300 requests/s inline against ~17,000 through `web::block`. A cold read of a
/// file this small is one disk request, short enough to hold the worker for.
const INLINE_READ_MAX: u64 = 64 * 1024;
/// Chunk size when streaming a large file.
const CHUNK: usize = 64 * 1024;
/// Longest decoded path accepted after the prefix, and longest segment (as Linux's `NAME_MAX`).
const MAX_PATH_LEN: usize = 1024;
const MAX_SEGMENT_LEN: usize = 255;

const CACHE_IMMUTABLE: HeaderValue =
    HeaderValue::from_static("public, max-age=31536000, immutable");
const CACHE_DEFAULT: &str = "public, max-age=3600";
const GZIP: HeaderValue = HeaderValue::from_static("gzip");
const IDENTITY: HeaderValue = HeaderValue::from_static("identity");
const ACCEPT_ENCODING: HeaderValue = HeaderValue::from_static("Accept-Encoding");
const NO_RANGES: HeaderValue = HeaderValue::from_static("none");

/// Where static files come from: a URL prefix and the directories searched in order.
///
/// ```
/// use djust_actors::static_files::StaticFiles;
/// use actix_web::{web, App, HttpRequest, HttpResponse};
/// use std::sync::Arc;
///
/// let statics = Arc::new(StaticFiles::new("/static/", vec!["staticfiles".into()]));
/// let app = App::new().default_service(web::to(move |req: HttpRequest| {
///     let statics = statics.clone();
///     async move {
///         if statics.handles(req.path()) {
///             if let Some(response) = statics.respond(&req).await {
///                 return response;
///             }
///         }
///         HttpResponse::NotFound().finish() // here `djust serve` hands the request to Django
///     }
/// }));
/// ```
pub struct StaticFiles {
    prefix: String,
    dirs: Vec<StaticDir>,
    in_memory: HashMap<String, InMemoryFile>,
    gzip_cache: Mutex<GzipCache>,
    /// `Cache-Control` of files from the directories (`public, max-age=3600` unless set).
    pub cache_control: HeaderValue,
}

/// A directory searched for files, canonicalized once it exists (`STATIC_ROOT` may appear
/// only after `collectstatic`, while the server runs).
struct StaticDir {
    path: PathBuf,
    canonical: OnceLock<PathBuf>,
}

/// A file held in memory with its headers ready.
struct InMemoryFile {
    identity: Bytes,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    etag: HeaderValue,
    etag_gzip: HeaderValue,
    last_modified: HeaderValue,
    modified_secs: u64,
}

/// What a file's version is known by: its length and modification time.
#[derive(Clone, Copy, PartialEq, Eq)]
struct FileTag {
    len: u64,
    nanos: u128,
}

/// Which bytes answer a request for a file on disk.
enum Encoding {
    Identity,
    /// The `.gz` file beside it.
    Sibling(PathBuf, Metadata),
    OnTheFly,
}

impl StaticFiles {
    /// Serves `url_prefix` (e.g. `/static/`) from `dirs`, the first directory holding a name wins.
    pub fn new(url_prefix: &str, dirs: Vec<PathBuf>) -> StaticFiles {
        let mut prefix = String::with_capacity(url_prefix.len() + 2);
        if !url_prefix.starts_with('/') {
            prefix.push('/');
        }
        prefix.push_str(url_prefix);
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        let dirs = dirs
            .into_iter()
            .map(|path| {
                let canonical = OnceLock::new();
                if let Ok(found) = fs::canonicalize(&path) {
                    let _ = canonical.set(found);
                }
                StaticDir { path, canonical }
            })
            .collect();
        StaticFiles {
            prefix,
            dirs,
            in_memory: HashMap::new(),
            gzip_cache: Mutex::new(GzipCache::default()),
            cache_control: HeaderValue::from_static(CACHE_DEFAULT),
        }
    }

    /// Adds a file held in memory (the client script with a content hash in its name): served with `Cache-Control: public, max-age=31536000, immutable`, gzip kept pre-compressed in memory.
    ///
    /// `url_path` is the full request path (`/static/djust/client.3f2a9c.js`) or the part after
    /// the prefix; `content_type` is sent as given (`text/javascript; charset=utf-8`).
    pub fn add_in_memory(&mut self, url_path: &str, body: Vec<u8>, content_type: &str) {
        let key = url_path
            .strip_prefix(self.prefix.as_str())
            .unwrap_or(url_path)
            .trim_start_matches('/')
            .to_owned();
        let content_type = HeaderValue::from_str(content_type).unwrap_or_else(|_| {
            log::warn!(
                "static file {url_path}: content type {content_type:?} is not a valid header \
                 value; sending application/octet-stream instead"
            );
            HeaderValue::from_static("application/octet-stream")
        });
        let mut hasher = DefaultHasher::new();
        hasher.write(&body);
        let hash = hasher.finish();
        let gzip = gzip_bytes(&body, Compression::best())
            .ok()
            .filter(|packed| packed.len() < body.len())
            .map(Bytes::from);
        let now = SystemTime::now();
        let file = InMemoryFile {
            identity: Bytes::from(body),
            gzip,
            content_type,
            etag: header_value(format_args!("\"m{hash:016x}\"")),
            etag_gzip: header_value(format_args!("\"m{hash:016x}-gz\"")),
            last_modified: header_value(format_args!("{}", httpdate::HttpDate::from(now))),
            modified_secs: unix_secs(now),
        };
        self.in_memory.insert(key, file);
    }

    /// Whether `path` (the request path, still percent-encoded) is under the prefix.
    pub fn handles(&self, path: &str) -> bool {
        path.starts_with(self.prefix.as_str())
    }

    /// The response for a GET/HEAD of `path`, or None when no file matches (the caller then lets Django answer, which gives its own 404).
    ///
    /// Other methods get 405; a path that tries to leave the directories, a directory and a
    /// symlink pointing outside get 404 here, without Django.
    pub async fn respond(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let rest = req.path().strip_prefix(self.prefix.as_str())?;
        let head = match *req.method() {
            Method::GET => false,
            Method::HEAD => true,
            _ => return Some(method_not_allowed()),
        };
        let Some(rel) = decode_request_path(rest) else {
            return Some(not_found());
        };
        if let Some(file) = self.in_memory.get(&*rel) {
            return Some(file.respond(req.headers(), head));
        }
        for dir in &self.dirs {
            let root = match dir.canonical() {
                Ok(Some(root)) => root,
                Ok(None) => continue,
                Err(err) => return Some(server_error(&dir.path, &err)),
            };
            let (real, meta) = match resolve(root, &rel) {
                Ok(Resolved::Inside(real, meta)) => (real, meta),
                Ok(Resolved::Outside) => {
                    log::debug!(
                        "static file {rel}: resolves outside {}, refused",
                        root.display()
                    );
                    return Some(not_found());
                }
                Err(err) if is_not_found(&err) => continue,
                Err(err) => return Some(server_error(&root.join(&*rel), &err)),
            };
            return Some(
                self.respond_file(root, real, meta, req.headers(), head)
                    .await,
            );
        }
        None
    }

    /// The response for `real`, a canonical path inside `root`, and its metadata.
    async fn respond_file(
        &self,
        root: &Path,
        real: PathBuf,
        meta: Metadata,
        headers: &HeaderMap,
        head: bool,
    ) -> HttpResponse {
        // Directories are not listed; FIFOs and devices are never opened.
        if !meta.is_file() {
            return not_found();
        }
        let tag = FileTag::of(&meta);
        let content_type = content_type_for(&real);
        let on_the_fly = tag.len >= GZIP_MIN_LEN && is_compressible(content_type.as_bytes());
        let accepts = accepts_gzip(headers);
        // A client that takes no gzip still needs to know (by `Vary`) that others may get it.
        let sibling = if accepts || !on_the_fly {
            gzip_sibling(root, &real, &meta)
        } else {
            None
        };
        let vary = on_the_fly || sibling.is_some();
        let encoding = match sibling {
            Some((path, meta)) if accepts => Encoding::Sibling(path, meta),
            _ if accepts && on_the_fly => Encoding::OnTheFly,
            _ => Encoding::Identity,
        };
        let etag = match &encoding {
            Encoding::Identity => tag.etag(""),
            Encoding::Sibling(_, gz_meta) => FileTag::of(gz_meta).etag("-gz"),
            Encoding::OnTheFly => tag.etag("-gz"),
        };
        let last_modified =
            header_value(format_args!("{}", httpdate::HttpDate::from(mtime(&meta))));

        let start = |status: StatusCode| {
            let mut builder = HttpResponse::build(status);
            builder
                .insert_header((header::ETAG, etag.clone()))
                .insert_header((header::LAST_MODIFIED, last_modified.clone()))
                .insert_header((header::CACHE_CONTROL, self.cache_control.clone()));
            if vary {
                builder.insert_header((header::VARY, ACCEPT_ENCODING));
            }
            builder
        };
        if not_modified(headers, etag.as_bytes(), tag.secs()) {
            return start(StatusCode::NOT_MODIFIED).finish();
        }
        let mut builder = start(StatusCode::OK);
        builder
            .insert_header((header::CONTENT_TYPE, content_type))
            .insert_header((header::ACCEPT_RANGES, NO_RANGES));

        let result = match encoding {
            Encoding::Identity => {
                builder.insert_header((header::CONTENT_ENCODING, IDENTITY));
                send_file(builder, real, tag.len, None, head).await
            }
            Encoding::Sibling(path, gz_meta) => {
                builder.insert_header((header::CONTENT_ENCODING, GZIP));
                send_file(builder, path, gz_meta.len(), None, head).await
            }
            Encoding::OnTheFly => {
                builder.insert_header((header::CONTENT_ENCODING, GZIP));
                if tag.len > STREAM_ABOVE {
                    send_file(builder, real, tag.len, Some(Compression::fast()), head).await
                } else {
                    self.send_gzipped(builder, real, tag, head).await
                }
            }
        };
        result.unwrap_or_else(|(path, err)| {
            if is_not_found(&err) {
                not_found()
            } else {
                server_error(&path, &err)
            }
        })
    }

    /// A small compressible file gzipped on the fly, through the cache.
    async fn send_gzipped(
        &self,
        mut builder: HttpResponseBuilder,
        path: PathBuf,
        tag: FileTag,
        head: bool,
    ) -> Result<HttpResponse, (PathBuf, io::Error)> {
        let cached = self.cache().get(&path, tag);
        let packed = match cached {
            Some(packed) => packed,
            None => {
                let key = path.clone();
                let packed = blocking(move || {
                    let data = read_file(&key, tag.len)?;
                    gzip_bytes(&data, Compression::fast())
                })
                .await
                .map_err(|err| (path.clone(), err))?;
                let packed = Bytes::from(packed);
                self.cache().insert(path, tag, packed.clone());
                packed
            }
        };
        Ok(if head {
            builder.body(HeadBody(packed.len() as u64))
        } else {
            builder.body(packed)
        })
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, GzipCache> {
        self.gzip_cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl StaticDir {
    /// The canonical directory, `None` while it does not exist.
    fn canonical(&self) -> io::Result<Option<&Path>> {
        if let Some(found) = self.canonical.get() {
            return Ok(Some(found));
        }
        match fs::canonicalize(&self.path) {
            Ok(found) => Ok(Some(self.canonical.get_or_init(|| found))),
            Err(err) if is_not_found(&err) => Ok(None),
            Err(err) => Err(err),
        }
    }
}

impl InMemoryFile {
    fn respond(&self, headers: &HeaderMap, head: bool) -> HttpResponse {
        let gzip = self.gzip.as_ref().filter(|_| accepts_gzip(headers));
        let etag = if gzip.is_some() {
            &self.etag_gzip
        } else {
            &self.etag
        };
        let status = if not_modified(headers, etag.as_bytes(), self.modified_secs) {
            StatusCode::NOT_MODIFIED
        } else {
            StatusCode::OK
        };
        let mut builder = HttpResponse::build(status);
        builder
            .insert_header((header::ETAG, etag.clone()))
            .insert_header((header::LAST_MODIFIED, self.last_modified.clone()))
            .insert_header((header::CACHE_CONTROL, CACHE_IMMUTABLE));
        if self.gzip.is_some() {
            builder.insert_header((header::VARY, ACCEPT_ENCODING));
        }
        if status == StatusCode::NOT_MODIFIED {
            return builder.finish();
        }
        builder
            .insert_header((header::CONTENT_TYPE, self.content_type.clone()))
            .insert_header((header::ACCEPT_RANGES, NO_RANGES))
            .insert_header((
                header::CONTENT_ENCODING,
                if gzip.is_some() { GZIP } else { IDENTITY },
            ));
        let body = gzip.unwrap_or(&self.identity);
        if head {
            builder.body(HeadBody(body.len() as u64))
        } else {
            builder.body(body.clone())
        }
    }
}

impl FileTag {
    fn of(meta: &Metadata) -> FileTag {
        let nanos = mtime(meta)
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        FileTag {
            len: meta.len(),
            nanos,
        }
    }

    fn secs(self) -> u64 {
        (self.nanos / 1_000_000_000) as u64
    }

    /// A strong `ETag`: the representation's bytes change whenever length or mtime do.
    fn etag(self, suffix: &str) -> HeaderValue {
        header_value(format_args!("\"{:x}-{:x}{suffix}\"", self.len, self.nanos))
    }
}

/// Compressed bodies by canonical path, each valid for one version of its file.
#[derive(Default)]
struct GzipCache {
    entries: HashMap<PathBuf, (FileTag, Bytes)>,
    bytes: usize,
}

impl GzipCache {
    fn get(&self, path: &Path, tag: FileTag) -> Option<Bytes> {
        match self.entries.get(path) {
            Some((cached, body)) if *cached == tag => Some(body.clone()),
            _ => None,
        }
    }

    fn insert(&mut self, path: PathBuf, tag: FileTag, body: Bytes) {
        if let Some((_, old)) = self.entries.remove(&path) {
            self.bytes -= old.len();
        }
        // Evict whichever entries come first until the new one fits: no bookkeeping on hits.
        while self.bytes + body.len() > GZIP_CACHE_BUDGET {
            let Some(victim) = self.entries.keys().next().cloned() else {
                return;
            };
            if let Some((_, old)) = self.entries.remove(&victim) {
                self.bytes -= old.len();
            }
        }
        self.bytes += body.len();
        self.entries.insert(path, (tag, body));
    }
}

/// The path after the prefix, decoded once, or `None` when it must be refused. A `%` left after
/// decoding is an ordinary character (`%252e` names a file called `%2e`).
fn decode_request_path(rest: &str) -> Option<Cow<'_, str>> {
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    if decoded.is_empty() || decoded.len() > MAX_PATH_LEN {
        return None;
    }
    let plain = decoded.split('/').all(|segment| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment.len() <= MAX_SEGMENT_LEN
            && !segment.contains(['\\', '\0', ':'])
    });
    // The same question asked of the platform's own parser: only plain names, no root, drive
    // or parent, whatever the platform calls those.
    let plain = plain
        && Path::new(&*decoded)
            .components()
            .all(|part| matches!(part, Component::Normal(_)));
    plain.then_some(decoded)
}

/// Where a decoded path leads under a directory.
enum Resolved {
    /// The real path, inside the directory, and its metadata.
    Inside(PathBuf, Metadata),
    /// Through a symlink to somewhere outside the directory.
    Outside,
}

/// Resolves `rel` (plain names only, see [`decode_request_path`]) under the canonical `root`.
///
/// One `lstat` per segment: when none is a symlink, the joined path is already canonical and the
/// last `lstat` is the file's metadata, which saves `realpath`'s walk over `root` itself and a
/// `stat`. A symlink anywhere sends the path through `canonicalize` and the inside check.
fn resolve(root: &Path, rel: &str) -> io::Result<Resolved> {
    let mut path = PathBuf::with_capacity(root.as_os_str().len() + rel.len() + 1);
    path.push(root);
    let mut segments = rel.split('/').peekable();
    while let Some(segment) = segments.next() {
        path.push(segment);
        let meta = fs::symlink_metadata(&path)?;
        if meta.file_type().is_symlink() {
            let real = fs::canonicalize(root.join(rel))?;
            if !real.starts_with(root) {
                return Ok(Resolved::Outside);
            }
            let meta = fs::metadata(&real)?;
            return Ok(Resolved::Inside(real, meta));
        }
        if segments.peek().is_none() {
            return Ok(Resolved::Inside(path, meta));
        }
    }
    Err(io::ErrorKind::NotFound.into())
}

/// The `.gz` beside `real` when it is a file inside `root` and not older than `real`.
fn gzip_sibling(root: &Path, real: &Path, meta: &Metadata) -> Option<(PathBuf, Metadata)> {
    let mut name = real.as_os_str().to_owned();
    name.push(".gz");
    let path = PathBuf::from(name);
    let found = fs::symlink_metadata(&path).and_then(|found| {
        if !found.file_type().is_symlink() {
            return Ok(Some((path.clone(), found)));
        }
        let target = fs::canonicalize(&path)?;
        if !target.starts_with(root) {
            return Ok(None);
        }
        fs::metadata(&target).map(|found| Some((target, found)))
    });
    match found {
        Ok(Some((path, found))) if found.is_file() && mtime(&found) >= mtime(meta) => {
            Some((path, found))
        }
        Ok(_) => None,
        Err(err) if is_not_found(&err) => None,
        // The original can still be served: say so, do not fail the request.
        Err(err) => {
            log::warn!(
                "static file {}: {err}; serving it uncompressed",
                path.display()
            );
            None
        }
    }
}

/// A file's bytes as a response: read in one piece, or streamed when large; for HEAD only
/// the length.
async fn send_file(
    mut builder: HttpResponseBuilder,
    path: PathBuf,
    len: u64,
    gzip: Option<Compression>,
    head: bool,
) -> Result<HttpResponse, (PathBuf, io::Error)> {
    if head {
        return Ok(match gzip {
            Some(_) => builder.body(body::None::new()),
            None => builder.body(HeadBody(len)),
        });
    }
    if len > STREAM_ABOVE || gzip.is_some() {
        let file = File::open(&path).map_err(|err| (path.clone(), err))?;
        let chunker = Chunker {
            file,
            remaining: len,
            gzip: gzip.map(|level| GzEncoder::new(Vec::new(), level)),
        };
        let size = match chunker.gzip {
            Some(_) => BodySize::Stream,
            None => BodySize::Sized(len),
        };
        return Ok(builder.body(DiskStream {
            size,
            state: StreamState::Idle(Box::new(chunker)),
        }));
    }
    let data = if len <= INLINE_READ_MAX {
        read_file(&path, len)
    } else {
        let key = path.clone();
        blocking(move || read_file(&key, len)).await
    };
    let data = data.map_err(|err| (path, err))?;
    Ok(builder.body(Bytes::from(data)))
}

/// At most `len` bytes of the file, with one `read` when the file has not changed
/// (`read_to_end` would read in 8 KiB steps, knowing no size).
fn read_file(path: &Path, len: u64) -> io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    let mut data = vec![0; len as usize];
    let mut filled = 0;
    while filled < data.len() {
        match file.read(&mut data[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    data.truncate(filled);
    Ok(data)
}

fn gzip_bytes(data: &[u8], level: Compression) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 3 + 64), level);
    encoder.write_all(data)?;
    encoder.finish()
}

/// Runs file work on actix's blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    actix_web::web::block(work)
        .await
        .unwrap_or_else(|err| Err(io::Error::other(err.to_string())))
}

/// Whether the request's validators match the current representation (RFC 9110 §13.1):
/// `If-None-Match` (weak comparison, `*`) decides when present, else `If-Modified-Since`.
fn not_modified(headers: &HeaderMap, etag: &[u8], modified_secs: u64) -> bool {
    let mut conditions = headers.get_all(header::IF_NONE_MATCH).peekable();
    if conditions.peek().is_some() {
        return conditions.any(|list| etag_list_matches(list.as_bytes(), etag));
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|since| since.to_str().ok())
        .and_then(|since| httpdate::parse_http_date(since).ok())
        .is_some_and(|since| modified_secs <= unix_secs(since))
}

/// Whether a list such as `W/"a", "b"` or `*` holds `etag`, weak tags comparing as strong.
fn etag_list_matches(list: &[u8], etag: &[u8]) -> bool {
    let ours = etag.strip_prefix(b"W/").unwrap_or(etag);
    let mut rest = list;
    loop {
        while let [b' ' | b'\t' | b',', tail @ ..] = rest {
            rest = tail;
        }
        match rest {
            [] => return false,
            [b'*', ..] => return true,
            _ => {}
        }
        let tag = rest.strip_prefix(b"W/").unwrap_or(rest);
        let Some(body) = tag.strip_prefix(b"\"") else {
            return false;
        };
        let Some(close) = body.iter().position(|&b| b == b'"') else {
            return false;
        };
        if &tag[..close + 2] == ours {
            return true;
        }
        rest = &tag[close + 2..];
    }
}

/// Whether `Accept-Encoding` allows gzip: `gzip` (or `x-gzip`) with a non-zero q-value, or
/// else `*` with one. Absent or unreadable: no.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let allowed = parts
                .find_map(|param| {
                    let (name, q) = param.split_once('=')?;
                    name.trim().eq_ignore_ascii_case("q").then(|| q.trim())
                })
                .is_none_or(|q| q.parse::<f32>().is_ok_and(|q| q > 0.0));
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(allowed);
            } else if coding == "*" {
                any = Some(allowed);
            }
        }
    }
    gzip.or(any).unwrap_or(false)
}

/// `Content-Type` by extension, with `charset=utf-8` on text.
fn content_type_for(path: &Path) -> HeaderValue {
    const TYPES: &[(&str, &str)] = &[
        ("css", "text/css; charset=utf-8"),
        ("js", "text/javascript; charset=utf-8"),
        ("mjs", "text/javascript; charset=utf-8"),
        ("json", "application/json"),
        ("map", "application/json"),
        ("html", "text/html; charset=utf-8"),
        ("htm", "text/html; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
        ("svg", "image/svg+xml"),
        ("xml", "application/xml"),
        ("webmanifest", "application/manifest+json"),
        ("png", "image/png"),
        ("jpg", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("gif", "image/gif"),
        ("webp", "image/webp"),
        ("avif", "image/avif"),
        ("ico", "image/x-icon"),
        ("woff2", "font/woff2"),
        ("woff", "font/woff"),
        ("ttf", "font/ttf"),
        ("otf", "font/otf"),
        ("wasm", "application/wasm"),
        ("pdf", "application/pdf"),
        ("gz", "application/gzip"),
    ];
    let ext = path.extension().and_then(|ext| ext.to_str()).unwrap_or("");
    if let Some((_, known)) = TYPES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(ext))
    {
        return HeaderValue::from_static(known);
    }
    match mime_guess::from_ext(ext).first_raw() {
        Some(text) if text.starts_with("text/") => {
            header_value(format_args!("{text}; charset=utf-8"))
        }
        Some(other) => HeaderValue::from_static(other),
        None => HeaderValue::from_static("application/octet-stream"),
    }
}

/// Whether gzip shrinks this type: text, scripts, JSON, XML and SVG; not images, fonts in
/// compressed formats, archives or WebAssembly (left to a `.gz` beside the file).
fn is_compressible(content_type: &[u8]) -> bool {
    let essence = content_type
        .split(|&b| b == b';')
        .next()
        .unwrap_or(content_type)
        .trim_ascii();
    essence.starts_with(b"text/")
        || essence.ends_with(b"+json")
        || essence.ends_with(b"+xml")
        || matches!(
            essence,
            b"application/javascript"
                | b"application/json"
                | b"application/xml"
                | b"font/ttf"
                | b"font/otf"
        )
}

/// The length for `Content-Length` and no bytes: a HEAD response without reading the file.
struct HeadBody(u64);

impl MessageBody for HeadBody {
    type Error = io::Error;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.0)
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, io::Error>>> {
        Poll::Ready(None)
    }
}

/// A large file sent in chunks, each read (and compressed) on the blocking pool.
struct DiskStream {
    size: BodySize,
    state: StreamState,
}

enum StreamState {
    Idle(Box<Chunker>),
    Reading(JoinHandle<io::Result<(Box<Chunker>, Option<Bytes>)>>),
    Done,
}

struct Chunker {
    file: File,
    remaining: u64,
    gzip: Option<GzEncoder<Vec<u8>>>,
}

impl Chunker {
    /// The next chunk to send, `None` at the end.
    fn next(&mut self) -> io::Result<Option<Bytes>> {
        loop {
            if self.remaining == 0 {
                return match self.gzip.take() {
                    Some(encoder) => Ok(Some(Bytes::from(encoder.finish()?))),
                    None => Ok(None),
                };
            }
            let mut buf = vec![0; self.remaining.min(CHUNK as u64) as usize];
            let read = loop {
                match self.file.read(&mut buf) {
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            if read == 0 {
                if self.gzip.is_none() {
                    // `Content-Length` is already sent: the connection must end short.
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "static file shrank while being sent",
                    ));
                }
                self.remaining = 0;
                continue;
            }
            buf.truncate(read);
            self.remaining -= read as u64;
            match &mut self.gzip {
                None => return Ok(Some(Bytes::from(buf))),
                Some(encoder) => {
                    encoder.write_all(&buf)?;
                    let out = std::mem::take(encoder.get_mut());
                    if !out.is_empty() {
                        return Ok(Some(Bytes::from(out)));
                    }
                }
            }
        }
    }
}

impl MessageBody for DiskStream {
    type Error = io::Error;

    fn size(&self) -> BodySize {
        self.size
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, io::Error>>> {
        loop {
            match std::mem::replace(&mut self.state, StreamState::Done) {
                StreamState::Done => return Poll::Ready(None),
                StreamState::Idle(mut chunker) => {
                    self.state = StreamState::Reading(spawn_blocking(move || {
                        let chunk = chunker.next()?;
                        Ok((chunker, chunk))
                    }));
                }
                StreamState::Reading(mut task) => match Pin::new(&mut task).poll(cx) {
                    Poll::Pending => {
                        self.state = StreamState::Reading(task);
                        return Poll::Pending;
                    }
                    Poll::Ready(Ok(Ok((chunker, Some(chunk))))) => {
                        self.state = StreamState::Idle(chunker);
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                    Poll::Ready(Ok(Ok((_, None)))) => return Poll::Ready(None),
                    Poll::Ready(Ok(Err(err))) => {
                        log::error!("static file stream: {err}");
                        return Poll::Ready(Some(Err(err)));
                    }
                    Poll::Ready(Err(err)) => {
                        return Poll::Ready(Some(Err(io::Error::other(err.to_string()))));
                    }
                },
            }
        }
    }
}

fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, HeaderValue::from_static("GET, HEAD")))
        .content_type("text/plain; charset=utf-8")
        .body("Method Not Allowed")
}

fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("Not Found")
}

fn server_error(path: &Path, err: &io::Error) -> HttpResponse {
    log::error!("static file {}: {err}", path.display());
    HttpResponse::InternalServerError()
        .content_type("text/plain; charset=utf-8")
        .body("Internal Server Error: static file unreadable")
}

/// Not found for a client: missing, or a file where the path needs a directory.
fn is_not_found(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

fn mtime(meta: &Metadata) -> SystemTime {
    meta.modified().unwrap_or(UNIX_EPOCH)
}

fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// A header value formatted on the stack: one allocation, the header's own.
fn header_value(args: fmt::Arguments<'_>) -> HeaderValue {
    let mut text = StackText {
        buf: [0; 64],
        len: 0,
    };
    match text.write_fmt(args) {
        Ok(()) => HeaderValue::from_bytes(&text.buf[..text.len]),
        Err(_) => HeaderValue::from_str(&args.to_string()),
    }
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

struct StackText {
    buf: [u8; 64],
    len: usize,
}

impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}
