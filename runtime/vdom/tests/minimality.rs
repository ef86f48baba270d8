//! The fewest patches for the changes a page makes most: one change is one patch, a reorder is
//! the fewest moves a longest increasing subsequence allows.

use djust_vdom::{apply, diff, parse, Patch};

fn row(key: usize, name: &str) -> String {
    format!(
        "\n<tr data-key=\"{key}\"><td>{key}</td><td class=\"name\">{name}</td>\
         <td><button dj-click=\"remove\" data-id=\"{key}\">x</button></td></tr>"
    )
}

fn page(rows: &[String]) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>t</title></head><body><div dj-root>\
         <table><tbody>{}\n</tbody></table></div></body></html>",
        rows.concat()
    )
}

fn rows(keys: impl IntoIterator<Item = usize>) -> Vec<String> {
    keys.into_iter()
        .map(|k| row(k, &format!("Item {k}")))
        .collect()
}

/// The diff, checked to rebuild the new page.
fn checked_diff(old: &str, new: &str) -> Vec<Patch> {
    let (old, new) = (parse(old), parse(new));
    let patches = diff(&old, &new).patches;
    let mut browser = old.clone();
    apply(&mut browser, &patches).unwrap();
    assert!(browser.same_content(&new));
    patches
}

#[test]
fn one_text_change_in_a_100_row_table_is_one_patch() {
    let old = rows(0..100);
    let mut new = old.clone();
    new[37] = row(37, "Item 37 (sold)");
    let patches = checked_diff(&page(&old), &page(&new));
    assert_eq!(
        patches,
        vec![Patch::SetText {
            path: vec![0, 0, 75, 1, 0],
            text: "Item 37 (sold)".into()
        }]
    );
}

#[test]
fn one_keyed_insert_in_the_middle_of_1000_rows_is_one_insert() {
    let old = rows(0..1000);
    let mut new = old.clone();
    new.insert(500, row(5000, "new"));
    let patches = checked_diff(&page(&old), &page(&new));
    assert_eq!(patches.len(), 1);
    assert!(matches!(&patches[0], Patch::Insert { path, html }
        if path == &vec![0, 0, 1001] && html.contains("data-key=\"5000\"")));
}

#[test]
fn one_keyed_removal_in_the_middle_of_1000_rows_is_one_remove() {
    let old = rows(0..1000);
    let mut new = old.clone();
    new.remove(500);
    let patches = checked_diff(&page(&old), &page(&new));
    assert_eq!(
        patches,
        vec![Patch::Remove {
            path: vec![0, 0, 1001],
            count: 2
        }]
    );
}

#[test]
fn reversing_1000_keyed_rows_takes_the_fewest_moves() {
    // Without whitespace between rows: a reversal keeps one row in place, n − 1 moves.
    let tight = |keys: Vec<usize>| {
        let rows: String = keys
            .iter()
            .map(|k| format!("<li data-key=\"{k}\">{k}</li>"))
            .collect();
        format!("<ul>{rows}</ul>")
    };
    let keys: Vec<usize> = (0..1000).collect();
    let reversed: Vec<usize> = keys.iter().rev().copied().collect();
    let patches = checked_diff(&tight(keys), &tight(reversed));
    assert_eq!(patches.len(), 999);
    assert!(patches.iter().all(|p| p.kind() == "move"));

    // With a newline before each row (as `{% for %}` writes them), the 1,000 newlines keep
    // their order and stay; every row moves between them: 1,000 moves, the fewest possible
    // (1,999 nodes, of which at most 999 keep their relative order).
    let old = rows(0..1000);
    let new: Vec<String> = old.iter().rev().cloned().collect();
    let patches = checked_diff(&page(&old), &page(&new));
    assert_eq!(patches.len(), 1000);
    assert!(patches.iter().all(|p| p.kind() == "move"));
}

#[test]
fn moving_one_keyed_row_is_one_move() {
    let tight = |keys: &[usize]| {
        let rows: String = keys
            .iter()
            .map(|k| format!("<li data-key=\"{k}\">{k}</li>"))
            .collect();
        format!("<ul>{rows}</ul>")
    };
    let mut keys: Vec<usize> = (0..1000).collect();
    let old = tight(&keys);
    let moved = keys.remove(900);
    keys.insert(10, moved);
    let patches = checked_diff(&old, &tight(&keys));
    assert_eq!(patches.len(), 1);
    assert_eq!(patches[0].kind(), "move");

    // With a newline before each row, one more node must move: the list needs a newline
    // between the moved row and the next, and the newline left behind is one too many.
    let old = rows(0..1000);
    let mut new = old.clone();
    let moved = new.remove(900);
    new.insert(10, moved);
    let patches = checked_diff(&page(&old), &page(&new));
    assert_eq!(patches.len(), 2);
    assert!(patches.iter().all(|p| p.kind() == "move"));
}
