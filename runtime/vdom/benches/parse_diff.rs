//! The VDOM's standard cases (those of `benchmarks/bench_vdom.py`), timed without Python:
//! one parse (`LiveTree::new`), the session's `LiveTree::update`, and the one-shot `diff_html`.
//!
//! `cargo bench -p djust_vdom` prints the median of each; `-- <filter>` runs the cases whose
//! name contains the filter, and `DJUST_BENCH_LOOP=<case>:<what>` loops one measurement for a
//! profiler (`what` is `new`, `update` or `diff_html`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use djust_vdom::{diff_html, LiveTree};

/// The same allocator as the extension module: allocation costs are part of what is measured.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CLIENT: &str = include_str!("../../../python/djust/static/djust/client.js");

/// A whole page as djust renders one: head with the inline client, the root's content.
fn page(content: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Bench</title>\n\
         <script data-djust-client>{CLIENT}</script>\n</head>\n<body>\n\
         <div dj-view=\"token\" dj-root>{content}</div>\n</body>\n</html>\n"
    )
}

/// Heroicons' "trash", as icon libraries ship it.
const ICON: &str = concat!(
    r#"<svg xmlns="http://www.w3.org/2000/svg" fill="none" viewBox="0 0 24 24" "#,
    r#"stroke-width="1.5" stroke="currentColor" class="icon" aria-hidden="true">"#,
    r#"<path stroke-linecap="round" stroke-linejoin="round" d="m14.74 9-.346 9m-4.788 0L9.26 "#,
    r#"9m9.968-3.21c.342.052.682.107 1.022.166m-1.022-.165L18.16 19.673a2.25 2.25 0 0 1-2.244 "#,
    r#"2.077H8.084a2.25 2.25 0 0 1-2.244-2.077L4.772 5.79m14.456 0a48.108 48.108 0 0 0-3.478-"#,
    r#".397m-12 .562c.34-.059.68-.114 1.022-.165m0 0a48.11 48.11 0 0 1 3.478-.397m7.5 0v-.916c0"#,
    r#"-1.18-.91-2.164-2.09-2.201a51.964 51.964 0 0 0-3.32 0c-1.18.037-2.09 1.022-2.09 2.201v.916"#,
    r#"m7.5 0a48.667 48.667 0 0 0-7.5 0"/></svg>"#,
);

fn row(i: usize, name: Option<&str>, icon: &str) -> String {
    let name = name.map_or_else(|| format!("Item {i}"), str::to_owned);
    format!(
        "\n<tr data-key=\"{i}\"><td>{i}</td><td class=\"name\">{name}</td>\
         <td>{}.{}0 &euro;</td>\
         <td><button dj-click=\"remove\" data-id=\"{i}\">{icon}Remove</button></td></tr>",
        i * 7 % 100,
        i % 10
    )
}

fn table(rows: &[String]) -> String {
    format!(
        "<h1>Inventory</h1><table class=\"items\"><thead><tr><th>#</th><th>Name</th>\
         <th>Price</th><th></th></tr></thead><tbody>{}\n</tbody></table>",
        rows.concat()
    )
}

/// About ten nodes per card; the cards `changed` says have new text.
fn cards(count: usize, changed: impl Fn(usize) -> bool) -> String {
    let mut out = String::from("<main>");
    for i in 0..count {
        let note = if changed(i) {
            "updated just now".to_owned()
        } else {
            format!("{} minutes ago", i % 60)
        };
        out.push_str(&format!(
            "\n<article class=\"card\" id=\"c{i}\"><h3>Card {i}</h3><p class=\"meta\">\
             <span>{note}</span> · <a href=\"/c/{i}/\">open</a></p>\
             <p>Body text for card {i}.</p></article>"
        ));
    }
    out + "\n</main>"
}

fn cases() -> Vec<(&'static str, String, String)> {
    let hundred: Vec<String> = (0..100).map(|i| row(i, None, "")).collect();
    let mut changed = hundred.clone();
    changed[50] = row(50, Some("Item 50 (sold)"), "");
    let with_icons: Vec<String> = (0..100).map(|i| row(i, None, ICON)).collect();
    let mut changed_with_icons = with_icons.clone();
    changed_with_icons[50] = row(50, Some("Item 50 (sold)"), ICON);
    let thousand: Vec<String> = (0..1000).map(|i| row(i, None, "")).collect();
    let mut inserted = thousand.clone();
    inserted.insert(500, row(5000, None, ""));
    let reversed: Vec<String> = thousand.iter().rev().cloned().collect();
    vec![
        ("table-100", page(&table(&hundred)), page(&table(&changed))),
        (
            "table-100-icons",
            page(&table(&with_icons)),
            page(&table(&changed_with_icons)),
        ),
        (
            "insert-1000",
            page(&table(&thousand)),
            page(&table(&inserted)),
        ),
        (
            "reverse-1000",
            page(&table(&thousand)),
            page(&table(&reversed)),
        ),
        (
            "cards-5000",
            page(&cards(500, |_| false)),
            page(&cards(500, |i| i % 10 == 0)),
        ),
    ]
}

/// The median time of `run`, repeated for about half a second.
fn median(mut run: impl FnMut() -> Duration) -> Duration {
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < 20 || (started.elapsed() < Duration::from_millis(500) && times.len() < 5000)
    {
        times.push(run());
    }
    times.sort();
    times[times.len() / 2]
}

fn timed(mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn main() {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    if let Ok(spec) = std::env::var("DJUST_BENCH_LOOP") {
        let (case, what) = spec.split_once(':').unwrap_or((&spec, "diff_html"));
        let (_, old, new) = cases()
            .into_iter()
            .find(|(name, _, _)| *name == case)
            .expect("DJUST_BENCH_LOOP names a case");
        let mut live = LiveTree::new(&old).expect("parses");
        loop {
            match what {
                "new" => drop(black_box(LiveTree::new(black_box(&new)))),
                "update" => {
                    live.update(&old).expect("parses");
                    black_box(live.update(&new).expect("parses"));
                }
                _ => drop(black_box(diff_html(black_box(&old), black_box(&new)))),
            }
        }
    }
    println!(
        "{:<16} {:>9} {:>13} {:>13} {:>13}",
        "case", "page", "LiveTree::new", "update", "diff_html"
    );
    for (name, old, new) in cases() {
        if !name.contains(&filter) {
            continue;
        }
        let parse = median(|| timed(|| drop(black_box(LiveTree::new(black_box(&new))))));
        let mut live = LiveTree::new(&old).expect("parses");
        let update = median(|| {
            live.update(&old).expect("parses");
            timed(|| drop(black_box(live.update(black_box(&new)))))
        });
        let one_shot = median(|| timed(|| drop(black_box(diff_html(&old, &new)))));
        let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
        println!(
            "{name:<16} {:>6} KB {:>13} {:>13} {:>13}",
            old.len() / 1024,
            us(parse),
            us(update),
            us(one_shot)
        );
    }
}
