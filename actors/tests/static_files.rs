//! `StaticFiles` against files made in a temporary directory: headers, conditional requests,
//! gzip, the in-memory client script, and path traversal attempts that must find nothing.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use actix_web::body::{self, BodySize, MessageBody};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use actix_web::HttpResponse;
use djust_actors::static_files::StaticFiles;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use tempfile::TempDir;

const SECRET: &[u8] = b"TOP SECRET: must never be served";

/// A site: `<tmp>/static` and `<tmp>/other` served under `/static/`, a secret beside them.
struct Site {
    tmp: TempDir,
    files: StaticFiles,
}

impl Site {
    fn new() -> Site {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("static")).unwrap();
        fs::create_dir(tmp.path().join("other")).unwrap();
        fs::write(tmp.path().join("secret"), SECRET).unwrap();
        fs::write(tmp.path().join("Cargo.toml"), SECRET).unwrap();
        let files = StaticFiles::new(
            "/static/",
            vec![tmp.path().join("static"), tmp.path().join("other")],
        );
        Site { tmp, files }
    }

    fn put(&self, name: &str, body: &[u8]) -> PathBuf {
        let path = self.tmp.path().join("static").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, body).unwrap();
        path
    }

    async fn get(&self, uri: &str, headers: &[(&str, &str)]) -> Option<HttpResponse> {
        self.request(Method::GET, uri, headers).await
    }

    async fn request(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
    ) -> Option<HttpResponse> {
        let mut req = TestRequest::default().method(method).uri(uri);
        for &(name, value) in headers {
            req = req.insert_header((name, value));
        }
        let req = req.to_http_request();
        assert!(self.files.handles(req.path()), "{uri} is under the prefix");
        self.files.respond(&req).await
    }
}

fn text(resp: &HttpResponse, name: header::HeaderName) -> &str {
    resp.headers()
        .get(&name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .to_str()
        .unwrap()
}

async fn body_of(resp: HttpResponse) -> Vec<u8> {
    body::to_bytes(resp.into_body()).await.unwrap().to_vec()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(data).read_to_end(&mut out).unwrap();
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Text that gzip shrinks, above the on-the-fly threshold.
fn script() -> Vec<u8> {
    "function tick(n) { return n + 1; }\n"
        .repeat(100)
        .into_bytes()
}

fn set_mtime(path: &Path, when: SystemTime) {
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

#[actix_rt::test]
async fn a_file_comes_with_type_length_etag_and_last_modified() {
    let site = Site::new();
    let path = site.put("css/site.css", b"body { color: red }");
    let resp = site.get("/static/css/site.css", &[]).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(text(&resp, header::CONTENT_TYPE), "text/css; charset=utf-8");
    assert_eq!(resp.body().size(), BodySize::Sized(19));
    let etag = text(&resp, header::ETAG);
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 4,
        "{etag}"
    );
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    assert_eq!(
        text(&resp, header::LAST_MODIFIED),
        httpdate::fmt_http_date(modified)
    );
    assert_eq!(text(&resp, header::CACHE_CONTROL), "public, max-age=3600");
    // Below the gzip threshold: no variant, and actix's `Compress` is told to keep off.
    assert!(resp.headers().get(header::VARY).is_none());
    assert_eq!(text(&resp, header::CONTENT_ENCODING), "identity");
    assert_eq!(body_of(resp).await, b"body { color: red }");
}

#[actix_rt::test]
async fn etag_changes_with_the_file() {
    let site = Site::new();
    let path = site.put("app.txt", b"one");
    let first = site.get("/static/app.txt", &[]).await.unwrap();
    fs::write(&path, b"three").unwrap();
    let second = site.get("/static/app.txt", &[]).await.unwrap();
    assert_ne!(text(&first, header::ETAG), text(&second, header::ETAG));
}

#[actix_rt::test]
async fn head_sends_the_headers_without_the_body() {
    let site = Site::new();
    site.put("app.js", &script());
    let resp = site
        .request(Method::HEAD, "/static/app.js", &[])
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        text(&resp, header::CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(resp.body().size(), BodySize::Sized(script().len() as u64));
    assert_eq!(text(&resp, header::VARY), "Accept-Encoding");
    assert!(body_of(resp).await.is_empty());
}

#[actix_rt::test]
async fn if_none_match_gives_304() {
    let site = Site::new();
    site.put("app.js", &script());
    let first = site.get("/static/app.js", &[]).await.unwrap();
    let etag = text(&first, header::ETAG).to_owned();
    let weak = format!("\"other\", W/{etag}");
    for condition in [etag.as_str(), weak.as_str(), "*"] {
        let resp = site
            .get("/static/app.js", &[("if-none-match", condition)])
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "{condition}");
        assert_eq!(text(&resp, header::ETAG), etag);
        assert!(resp.headers().contains_key(header::LAST_MODIFIED));
        assert_eq!(text(&resp, header::CACHE_CONTROL), "public, max-age=3600");
        assert_eq!(text(&resp, header::VARY), "Accept-Encoding");
        assert!(body_of(resp).await.is_empty());
    }
    let changed = site
        .get("/static/app.js", &[("if-none-match", "\"stale\"")])
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
}

#[actix_rt::test]
async fn if_modified_since_gives_304() {
    let site = Site::new();
    site.put("app.txt", b"hello");
    let first = site.get("/static/app.txt", &[]).await.unwrap();
    let modified = text(&first, header::LAST_MODIFIED).to_owned();
    let resp = site
        .get(
            "/static/app.txt",
            &[("if-modified-since", modified.as_str())],
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);
    assert!(body_of(resp).await.is_empty());

    let earlier = httpdate::parse_http_date(&modified).unwrap() - Duration::from_secs(3600);
    let resp = site
        .get(
            "/static/app.txt",
            &[("if-modified-since", &httpdate::fmt_http_date(earlier))],
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    // If-None-Match decides when both are sent.
    let resp = site
        .get(
            "/static/app.txt",
            &[
                ("if-modified-since", modified.as_str()),
                ("if-none-match", "\"stale\""),
            ],
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[actix_rt::test]
async fn gzip_on_the_fly_decompresses_to_the_file() {
    let site = Site::new();
    site.put("app.js", &script());
    let plain = site.get("/static/app.js", &[]).await.unwrap();
    let plain_etag = text(&plain, header::ETAG).to_owned();
    for _ in 0..2 {
        // The second one comes from the cache: same bytes.
        let resp = site
            .get("/static/app.js", &[("accept-encoding", "br, gzip;q=0.8")])
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(text(&resp, header::CONTENT_ENCODING), "gzip");
        assert_eq!(text(&resp, header::VARY), "Accept-Encoding");
        assert_eq!(
            text(&resp, header::CONTENT_TYPE),
            "text/javascript; charset=utf-8"
        );
        let etag = text(&resp, header::ETAG).to_owned();
        assert_ne!(etag, plain_etag);
        let packed = body_of(resp).await;
        assert!(packed.len() < script().len() / 4);
        assert_eq!(gunzip(&packed), script());
        let again = site
            .get(
                "/static/app.js",
                &[("accept-encoding", "gzip"), ("if-none-match", &etag)],
            )
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
}

#[actix_rt::test]
async fn a_gz_beside_the_file_is_preferred() {
    let site = Site::new();
    let path = site.put("app.js", &script());
    let gz = site.put("app.js.gz", &gzip(b"precompressed"));
    let now = SystemTime::now();
    set_mtime(&path, now - Duration::from_secs(10));
    set_mtime(&gz, now);
    let resp = site
        .get("/static/app.js", &[("accept-encoding", "gzip, deflate")])
        .await
        .unwrap();
    assert_eq!(text(&resp, header::CONTENT_ENCODING), "gzip");
    assert_eq!(
        text(&resp, header::CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert!(text(&resp, header::ETAG).ends_with("-gz\""));
    assert_eq!(gunzip(&body_of(resp).await), b"precompressed");
}

#[actix_rt::test]
async fn a_gz_older_than_the_file_is_ignored() {
    let site = Site::new();
    let path = site.put("app.js", &script());
    let gz = site.put("app.js.gz", &gzip(b"stale"));
    let now = SystemTime::now();
    set_mtime(&gz, now - Duration::from_secs(10));
    set_mtime(&path, now);
    let resp = site
        .get("/static/app.js", &[("accept-encoding", "gzip")])
        .await
        .unwrap();
    assert_eq!(gunzip(&body_of(resp).await), script());
}

#[actix_rt::test]
async fn a_gz_beside_an_uncompressible_file_is_used_and_varies() {
    let site = Site::new();
    site.put("app.wasm", b"\0asm plus some bytes");
    site.put("app.wasm.gz", &gzip(b"\0asm plus some bytes"));
    let plain = site.get("/static/app.wasm", &[]).await.unwrap();
    assert_eq!(text(&plain, header::VARY), "Accept-Encoding");
    assert_eq!(text(&plain, header::CONTENT_ENCODING), "identity");
    let packed = site
        .get("/static/app.wasm", &[("accept-encoding", "gzip")])
        .await
        .unwrap();
    assert_eq!(text(&packed, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(text(&packed, header::CONTENT_ENCODING), "gzip");
}

#[actix_rt::test]
async fn gzip_q_0_is_respected() {
    let site = Site::new();
    site.put("app.js", &script());
    for refusal in ["gzip;q=0", "gzip; q=0.000, br", "*;q=1, gzip;q=0", "br", ""] {
        let resp = site
            .get("/static/app.js", &[("accept-encoding", refusal)])
            .await
            .unwrap();
        assert_eq!(
            text(&resp, header::CONTENT_ENCODING),
            "identity",
            "{refusal}"
        );
        assert_eq!(body_of(resp).await, script(), "{refusal}");
    }
    let star = site
        .get("/static/app.js", &[("accept-encoding", "*")])
        .await
        .unwrap();
    assert_eq!(text(&star, header::CONTENT_ENCODING), "gzip");
}

#[actix_rt::test]
async fn no_gzip_for_png() {
    let site = Site::new();
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 4096]].concat();
    site.put("logo.png", &png);
    let resp = site
        .get("/static/logo.png", &[("accept-encoding", "gzip")])
        .await
        .unwrap();
    assert_eq!(text(&resp, header::CONTENT_TYPE), "image/png");
    assert_eq!(text(&resp, header::CONTENT_ENCODING), "identity");
    assert!(resp.headers().get(header::VARY).is_none());
    assert_eq!(body_of(resp).await, png);
}

#[actix_rt::test]
async fn a_large_file_is_streamed_whole() {
    let site = Site::new();
    let big: Vec<u8> = (0..3 * 1024 * 1024 + 17).map(|i| (i % 251) as u8).collect();
    site.put("big.bin", &big);
    let resp = site.get("/static/big.bin", &[]).await.unwrap();
    assert_eq!(resp.body().size(), BodySize::Sized(big.len() as u64));
    assert_eq!(body_of(resp).await, big);

    let text_body = "a line of a large log file\n".repeat(60_000).into_bytes();
    site.put("big.txt", &text_body);
    let resp = site
        .get("/static/big.txt", &[("accept-encoding", "gzip")])
        .await
        .unwrap();
    assert_eq!(text(&resp, header::CONTENT_ENCODING), "gzip");
    assert_eq!(resp.body().size(), BodySize::Stream);
    assert_eq!(gunzip(&body_of(resp).await), text_body);
}

#[actix_rt::test]
async fn traversal_attempts_find_nothing() {
    let site = Site::new();
    site.put("ok.txt", b"fine");
    std::os::unix::fs::symlink(
        site.tmp.path().join("secret"),
        site.tmp.path().join("static/link"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        site.tmp.path().join("secret"),
        site.tmp.path().join("static/ok.txt.gz"),
    )
    .unwrap();
    std::os::unix::fs::symlink(site.tmp.path(), site.tmp.path().join("static/up")).unwrap();
    for uri in [
        "/static/../Cargo.toml",
        "/static/../secret",
        "/static/%2e%2e/secret",
        "/static/%2E%2E%2Fsecret",
        "/static/..%2fsecret",
        "/static/..%5csecret",
        "/static/..%5c..%5csecret",
        "/static/%252e%252e/secret",
        "/static/%252e%252e%252fsecret",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/./ok.txt",
        "/static/link",
        "/static/up/secret",
        "/static/ok.txt%00",
        "/static/%00",
        "/static/C:%5cWindows",
        "/static/%ff%fe",
    ] {
        let served = site.get(uri, &[]).await;
        if let Some(resp) = served {
            assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{uri}");
            let body = body_of(resp).await;
            assert!(!body.windows(10).any(|w| w == &SECRET[..10]), "{uri}");
        }
    }
    // A `.gz` beside a file that points outside is not used.
    let resp = site
        .get("/static/ok.txt", &[("accept-encoding", "gzip")])
        .await
        .unwrap();
    assert_eq!(body_of(resp).await, b"fine");
    // Refused outright, without asking Django.
    for uri in [
        "/static/../secret",
        "/static/link",
        "/static/up/secret",
        "/static/%00",
    ] {
        let resp = site.get(uri, &[]).await.expect(uri);
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{uri}");
    }
}

#[actix_rt::test]
async fn a_symlink_that_stays_inside_is_followed() {
    let site = Site::new();
    site.put("css/site.css", b"body {}");
    let dir = site.tmp.path().join("static");
    std::os::unix::fs::symlink(dir.join("css"), dir.join("styles")).unwrap();
    std::os::unix::fs::symlink(dir.join("css/site.css"), dir.join("site.css")).unwrap();
    for uri in ["/static/styles/site.css", "/static/site.css"] {
        let resp = site.get(uri, &[]).await.expect(uri);
        assert_eq!(resp.status(), StatusCode::OK, "{uri}");
        assert_eq!(body_of(resp).await, b"body {}", "{uri}");
    }
}

#[actix_rt::test]
async fn a_directory_is_not_listed() {
    let site = Site::new();
    site.put("css/site.css", b"body {}");
    for uri in ["/static/css", "/static/css/", "/static/"] {
        let resp = site.get(uri, &[]).await.expect(uri);
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{uri}");
    }
}

#[actix_rt::test]
async fn other_methods_get_405() {
    let site = Site::new();
    site.put("app.txt", b"hello");
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let resp = site
            .request(method.clone(), "/static/app.txt", &[])
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(text(&resp, header::ALLOW), "GET, HEAD");
    }
}

#[actix_rt::test]
async fn an_in_memory_file_is_immutable_and_pre_compressed() {
    let mut site = Site::new();
    site.files.add_in_memory(
        "/static/djust/client.3f2a9c.js",
        script(),
        "text/javascript; charset=utf-8",
    );
    let resp = site
        .get("/static/djust/client.3f2a9c.js", &[])
        .await
        .unwrap();
    assert_eq!(
        text(&resp, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        text(&resp, header::CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(text(&resp, header::VARY), "Accept-Encoding");
    let etag = text(&resp, header::ETAG).to_owned();
    assert_eq!(body_of(resp).await, script());

    let resp = site
        .get(
            "/static/djust/client.3f2a9c.js",
            &[("accept-encoding", "gzip")],
        )
        .await
        .unwrap();
    assert_eq!(text(&resp, header::CONTENT_ENCODING), "gzip");
    assert_ne!(text(&resp, header::ETAG), etag);
    assert_eq!(gunzip(&body_of(resp).await), script());

    let resp = site
        .get(
            "/static/djust/client.3f2a9c.js",
            &[("if-none-match", &etag)],
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        resp.headers().get(header::CACHE_CONTROL),
        Some(&HeaderValue::from_static(
            "public, max-age=31536000, immutable"
        ))
    );
}

#[actix_rt::test]
async fn the_first_directory_wins() {
    let site = Site::new();
    site.put("shared.txt", b"from the first");
    fs::write(site.tmp.path().join("other/shared.txt"), b"from the second").unwrap();
    fs::write(
        site.tmp.path().join("other/only.txt"),
        b"only in the second",
    )
    .unwrap();
    let resp = site.get("/static/shared.txt", &[]).await.unwrap();
    assert_eq!(body_of(resp).await, b"from the first");
    let resp = site.get("/static/only.txt", &[]).await.unwrap();
    assert_eq!(body_of(resp).await, b"only in the second");
}

#[actix_rt::test]
async fn a_missing_file_is_left_to_django() {
    let site = Site::new();
    site.put("ok.txt", b"fine");
    assert!(site.get("/static/missing.js", &[]).await.is_none());
    assert!(site.get("/static/ok.txt/inside", &[]).await.is_none());
    assert!(!site.files.handles("/staticfoo/app.js"));
    assert!(!site.files.handles("/"));
}

#[actix_rt::test]
async fn a_directory_created_later_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("collected");
    let files = StaticFiles::new("static", vec![root.clone()]);
    let req = TestRequest::get().uri("/static/app.txt").to_http_request();
    assert!(files.respond(&req).await.is_none());
    fs::create_dir(&root).unwrap();
    fs::write(root.join("app.txt"), b"collected").unwrap();
    let resp = files.respond(&req).await.unwrap();
    assert_eq!(body_of(resp).await, b"collected");
}

#[actix_rt::test]
async fn an_io_error_other_than_not_found_is_a_500() {
    let site = Site::new();
    // A symlink loop: `ELOOP`, which no permission bits (or root) get around.
    let dir = site.tmp.path().join("static");
    std::os::unix::fs::symlink(dir.join("b"), dir.join("a")).unwrap();
    std::os::unix::fs::symlink(dir.join("a"), dir.join("b")).unwrap();
    let resp = site.get("/static/a", &[]).await.unwrap();
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[actix_rt::test]
async fn actix_compress_middleware_leaves_the_bodies_alone() {
    use actix_web::{middleware::Compress, test, web, App, HttpRequest};
    use std::sync::Arc;
    let site = Site::new();
    site.put("small.txt", b"too small to gzip");
    site.put("app.js", &script());
    let files = Arc::new(site.files);
    let app = test::init_service(
        App::new()
            .wrap(Compress::default())
            .default_service(web::to(move |req: HttpRequest| {
                let files = files.clone();
                async move { files.respond(&req).await.unwrap() }
            })),
    )
    .await;
    let get = |uri: &str| {
        test::TestRequest::get()
            .uri(uri)
            .insert_header(("accept-encoding", "gzip"))
            .to_request()
    };
    let resp = test::call_service(&app, get("/static/small.txt")).await;
    assert_eq!(
        resp.headers().get(header::CONTENT_ENCODING).unwrap(),
        "identity"
    );
    assert_eq!(test::read_body(resp).await, &b"too small to gzip"[..]);
    let resp = test::call_service(&app, get("/static/app.js")).await;
    assert_eq!(
        resp.headers().get(header::CONTENT_ENCODING).unwrap(),
        "gzip"
    );
    assert_eq!(gunzip(&test::read_body(resp).await), script());
}
