//! Two trees → the patches that turn the old root's content into the new one's.
//!
//! Elements are compared top down. A pair of elements with the same tag is updated in place
//! (attributes, then children); anything else is replaced. Each child list is matched in three
//! steps (see [`children`](Differ::children)): a common prefix and suffix are set aside; in the
//! middle, keyed children (`data-key`, `dj-key`) pair by key and the others by their order;
//! then the pairs that keep their relative order (a longest increasing subsequence) stay put,
//! every other pair is moved once (`move`), unpaired old children are removed and new ones
//! inserted. Nothing is rebuilt that could be kept, so DOM identity, focus and form state
//! survive every update that leaves their element in the page.
//!
//! Beside the differ: [`keys`] says which children have an identity of their own, and
//! [`moves`] reorders a child list with the fewest moves.

mod keys;
mod moves;

use std::collections::hash_map::Entry;
use std::fmt;
use std::ops::Range;
use triomphe::Arc;

use foldhash::{HashMap, HashMapExt};

use keys::identity_key;
use moves::{longest_increasing, Placement};

use crate::patch::Patch;
use crate::serialize::{inner_html, write_outer};
use crate::tree::{same_children, same_subtree, Attribute, Node, NodeData, Tree};

/// The patches between two trees, and what the differ noticed on the way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Applied in order, they turn the old root's content into the new one's.
    pub patches: Vec<Patch>,
    /// Keys that more than one sibling carries in the new tree: those siblings were matched
    /// by position instead (the patches are right all the same).
    pub duplicate_keys: Vec<DuplicateKey>,
}

/// A key found on more than one child of the same element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The repeated key.
    pub key: String,
    /// The path of the element whose children repeat it.
    pub parent: Vec<usize>,
}

impl fmt::Display for DuplicateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the key {:?} is on more than one child of the element at path {:?}, so those \
             children were matched by position. Instead of repeating a key, give each item of \
             a list its own (data-key=\"{{{{ item.pk }}}}\")",
            self.key, self.parent
        )
    }
}

/// The patches that turn the old tree's root content into the new tree's.
///
/// The roots' own attributes are not compared: the root element is the browser's, untouched.
pub fn diff(old: &Tree, new: &Tree) -> Diff {
    let mut differ = Differ::default();
    if Arc::ptr_eq(&old.root, &new.root) {
        return differ.result;
    }
    let pairs = differ.children(old.root(), new.root());
    // An explicit stack of child lists being walked, so that depth costs heap, not call stack.
    // `differ.path` holds the indices leading to the parent of the top frame's pairs.
    let mut stack = vec![Frame { pairs, next: 0 }];
    while let Some(frame) = stack.last_mut() {
        let Some(&(index, old_child, new_child)) = frame.pairs.get(frame.next) else {
            stack.pop();
            if !stack.is_empty() {
                differ.path.pop();
            }
            continue;
        };
        frame.next += 1;
        differ.path.push(index);
        match (&old_child.data, &new_child.data) {
            (NodeData::Text(a), NodeData::Text(b))
            | (NodeData::Comment(a), NodeData::Comment(b)) => {
                if a != b {
                    differ.push(Patch::SetText {
                        path: differ.path.clone(),
                        text: b.to_string(),
                    });
                }
            }
            (NodeData::Element(a), NodeData::Element(b)) => {
                differ.attributes(&a.attrs, &b.attrs);
                if b.is_template() {
                    // Template contents are not `childNodes`: no path reaches into them.
                    if !same_children(old_child, new_child) {
                        differ.push(Patch::ReplaceChildren {
                            path: differ.path.clone(),
                            html: inner_html(new_child),
                        });
                    }
                } else {
                    let pairs = differ.children(old_child, new_child);
                    if !pairs.is_empty() {
                        stack.push(Frame { pairs, next: 0 });
                        continue;
                    }
                }
            }
            _ => unreachable!("children() pairs only nodes of the same kind and tag"),
        }
        differ.path.pop();
    }
    differ.result
}

/// Old and new children that stay paired, by their index in the new child list.
type Pairs<'t> = Vec<(usize, &'t Node, &'t Node)>;

/// A child list being walked: the pairs to compare, from `next` on.
struct Frame<'t> {
    pairs: Pairs<'t>,
    next: usize,
}

#[derive(Default)]
struct Differ {
    result: Diff,
    /// The path of the element being compared.
    path: Vec<usize>,
}

/// How a new child in the middle of a list was matched.
#[derive(Clone, Copy)]
enum Match {
    /// Nothing old corresponds: it is inserted.
    New,
    /// The old child at this index is the same node, updated in place.
    Update(usize),
    /// The old child at this index holds its place but is of another kind: it is replaced.
    Replace(usize),
}

impl Differ {
    fn push(&mut self, patch: Patch) {
        self.result.patches.push(patch);
    }

    fn child_path(&self, index: usize) -> Vec<usize> {
        let mut path = Vec::with_capacity(self.path.len() + 1);
        path.extend_from_slice(&self.path);
        path.push(index);
        path
    }

    /// Patches that give an element the new attributes, values and order.
    ///
    /// A browser keeps an attribute where it is when its value is set, and appends a new one;
    /// so the attributes kept in place must be a prefix of the new list, in the same relative
    /// order. The longest such prefix stays; other old attributes are removed (first, in old
    /// order), then the changed prefix values and the rest of the new list are set, in order.
    fn attributes(&mut self, old: &[Attribute], new: &[Attribute]) {
        if old == new {
            return;
        }
        let position = |attr: &Attribute| old.iter().position(|o| o.name == attr.name);
        let mut kept = 0;
        let mut last_position = None;
        for attr in new {
            match position(attr) {
                Some(at) if last_position.is_none_or(|last| at > last) => {
                    kept += 1;
                    last_position = Some(at);
                }
                _ => break,
            }
        }
        let (in_place, appended) = new.split_at(kept);
        for attr in old {
            if !in_place.iter().any(|k| k.name == attr.name) {
                self.push(Patch::RemoveAttr {
                    path: self.path.clone(),
                    name: attr.name.to_string(),
                });
            }
        }
        let changed = in_place.iter().filter(|attr| {
            old.iter()
                .find(|o| o.name == attr.name)
                .is_none_or(|o| o.value != attr.value)
        });
        for attr in changed.chain(appended) {
            self.push(Patch::SetAttr {
                path: self.path.clone(),
                name: attr.name.to_string(),
                value: attr.value.to_string(),
            });
        }
    }

    /// Patches that turn `old`'s child list into `new`'s (at `self.path`), and the pairs of
    /// children whose own content is left to compare, at their final indices.
    fn children<'t>(&mut self, old: &'t Node, new: &'t Node) -> Pairs<'t> {
        let (a, b) = (&old.children, &new.children);
        let keys = Keys::of(a, b, &self.path, &mut self.result.duplicate_keys);
        // The same node is the same child, keyed or not (and most pairs at either end are).
        let same = |i: usize, j: usize| match (keys.of_old(i), keys.of_new(j)) {
            _ if Arc::ptr_eq(&a[i], &b[j]) => true,
            (Some(x), Some(y)) => x == y && same_tag(&a[i], &b[j]),
            (None, None) => same_subtree(&a[i], &b[j]),
            _ => false,
        };
        let mut start = 0;
        while start < a.len() && start < b.len() && same(start, start) {
            start += 1;
        }
        let (mut end_a, mut end_b) = (a.len(), b.len());
        while end_a > start && end_b > start && same(end_a - 1, end_b - 1) {
            end_a -= 1;
            end_b -= 1;
        }

        let mut pairs = Pairs::new();
        // Unkeyed nodes set aside are identical; keyed ones may still differ inside.
        let keep = |pairs: &mut Pairs<'t>, index: usize, i: usize, j: usize| {
            if keys.of_new(j).is_some() && !Arc::ptr_eq(&a[i], &b[j]) {
                pairs.push((index, &*a[i], &*b[j]));
            }
        };
        for i in 0..start {
            keep(&mut pairs, i, i, i);
        }
        if start < end_a || start < end_b {
            self.middle(old, new, &keys, start, (end_a, end_b), &mut pairs);
        }
        for (i, j) in (end_a..a.len()).zip(end_b..b.len()) {
            keep(&mut pairs, j, i, j);
        }
        pairs
    }

    /// The child lists between a common prefix (`start` long) and suffix, told apart.
    fn middle<'t>(
        &mut self,
        old: &'t Node,
        new: &'t Node,
        keys: &Keys<'t>,
        start: usize,
        (end_a, end_b): (usize, usize),
        pairs: &mut Pairs<'t>,
    ) {
        let (a, b) = (&old.children, &new.children);
        // Identical unkeyed siblings (the newlines between list items) can pair in order, or
        // each with the item before it; whichever leaves fewer moves wins.
        let in_order = match_middle(a, b, keys, start, (end_a, end_b), false);
        let mixed = (start..end_b).any(|j| keys.of_new(j).is_some())
            && (start..end_b).any(|j| keys.of_new(j).is_none());
        let matches = if mixed {
            let attached = match_middle(a, b, keys, start, (end_a, end_b), true);
            if moves_needed(&attached) < moves_needed(&in_order) {
                attached
            } else {
                in_order
            }
        } else {
            in_order
        };
        let mut old_kept = vec![false; end_a - start];
        for m in &matches {
            if let Match::Update(i) | Match::Replace(i) = *m {
                old_kept[i - start] = true;
            }
        }
        let updated = matches.iter().any(|m| matches!(m, Match::Update(_)));
        if !updated && start == 0 && end_a == a.len() && end_b == b.len() && !a.is_empty() {
            // The whole list changes: one rewrite says it in fewer bytes than removes + inserts.
            self.push(Patch::ReplaceChildren {
                path: self.path.clone(),
                html: inner_html(new),
            });
            return;
        }

        // Removals first, from the right, so that each index is the one the browser sees.
        let mut i = end_a;
        while i > start {
            if old_kept[i - 1 - start] {
                i -= 1;
                continue;
            }
            let run_end = i;
            while i > start && !old_kept[i - 1 - start] {
                i -= 1;
            }
            self.push(Patch::Remove {
                path: self.child_path(i),
                count: run_end - i,
            });
        }

        // Kept old children, numbered in their old order: their positions once removals are done.
        let mut kept_rank = vec![usize::MAX; end_a - start];
        let mut rank = 0;
        for (slot, kept) in kept_rank.iter_mut().zip(&old_kept) {
            if *kept {
                *slot = rank;
                rank += 1;
            }
        }
        let rank_of = |m: &Match| match *m {
            Match::Update(i) | Match::Replace(i) => Some(kept_rank[i - start]),
            Match::New => None,
        };
        let ranks: Vec<usize> = matches.iter().filter_map(rank_of).collect();
        let mut stays = longest_increasing(&ranks).into_iter();

        let mut placement = Placement::new(start, rank);
        let mut inserting: Option<(usize, String)> = None;
        let mut replaced = Vec::new();
        for (k, m) in matches.iter().enumerate() {
            let j = start + k;
            let Some(rank) = rank_of(m) else {
                let (_, html) =
                    inserting.get_or_insert_with(|| (placement.target(), String::new()));
                write_outer(html, &b[j], new);
                placement.place_new();
                continue;
            };
            if let Some((at, html)) = inserting.take() {
                self.push(Patch::Insert {
                    path: self.child_path(at),
                    html,
                });
            }
            if stays.next() == Some(true) {
                placement.stay(rank);
            } else if let Some((from, to)) = placement.move_to_target(rank) {
                self.push(Patch::MoveChild {
                    path: self.child_path(from),
                    to,
                });
            }
            match *m {
                Match::Update(i) if !Arc::ptr_eq(&a[i], &b[j]) => pairs.push((j, &*a[i], &*b[j])),
                Match::Replace(_) => replaced.push(j),
                _ => {}
            }
        }
        if let Some((at, html)) = inserting {
            self.push(Patch::Insert {
                path: self.child_path(at),
                html,
            });
        }
        for j in replaced {
            let mut html = String::new();
            write_outer(&mut html, &b[j], new);
            self.push(Patch::Replace {
                path: self.child_path(j),
                html,
            });
        }
    }
}

/// How many moves a matching needs: the matched children off a longest increasing run.
fn moves_needed(matches: &[Match]) -> usize {
    let old: Vec<usize> = matches
        .iter()
        .filter_map(|m| match *m {
            Match::Update(i) | Match::Replace(i) => Some(i),
            Match::New => None,
        })
        .collect();
    let stay = longest_increasing(&old).into_iter().filter(|s| *s).count();
    old.len() - stay
}

/// How each new child in `start..end_b` matches an old one in `start..end_a`: keyed children
/// by key (and tag); unkeyed ones by their order among the unkeyed — or, when `attach`, first
/// by the old node right after the one their previous sibling matched (so that the newline
/// after a list item goes where the item goes).
fn match_middle(
    a: &[Arc<Node>],
    b: &[Arc<Node>],
    keys: &Keys<'_>,
    start: usize,
    (end_a, end_b): (usize, usize),
    attach: bool,
) -> Vec<Match> {
    let mut matches = vec![Match::New; end_b - start];
    let mut used = vec![false; end_a - start];
    let mut keyed_old: HashMap<&str, usize> = HashMap::with_capacity(end_a - start);
    for i in start..end_a {
        if let Some(key) = keys.of_old(i) {
            keyed_old.insert(key, i);
        }
    }
    for (slot, j) in matches.iter_mut().zip(start..end_b) {
        if let Some(&i) = keys.of_new(j).and_then(|key| keyed_old.get(key)) {
            if same_tag(&a[i], &b[j]) {
                *slot = Match::Update(i);
                used[i - start] = true;
            }
        }
    }
    let unkeyed_old = |i: usize| i >= start && i < end_a && keys.of_old(i).is_none();
    let mut unmatched = Vec::new();
    for j in start..end_b {
        if keys.of_new(j).is_some() {
            continue;
        }
        if !attach {
            unmatched.push(j);
            continue;
        }
        // The old node after the one the previous sibling matched (in the prefix: itself).
        let previous = match j.checked_sub(1) {
            Some(p) if p < start => Some(p),
            Some(p) => match matches[p - start] {
                Match::Update(i) | Match::Replace(i) => Some(i),
                Match::New => None,
            },
            None => None,
        };
        let next = previous.map_or(start, |i| i + 1);
        if unkeyed_old(next) && !used[next - start] && same_kind(&a[next], &b[j]) {
            matches[j - start] = Match::Update(next);
            used[next - start] = true;
        } else {
            unmatched.push(j);
        }
    }
    let mut free_old = (start..end_a).filter(|&i| unkeyed_old(i) && !used[i - start]);
    for j in unmatched {
        matches[j - start] = match free_old.next() {
            Some(i) if same_kind(&a[i], &b[j]) => Match::Update(i),
            Some(i) => Match::Replace(i),
            None => Match::New,
        };
    }
    matches
}

/// Whether two nodes can be updated one into the other: same kind, and same tag if elements.
fn same_kind(a: &Node, b: &Node) -> bool {
    match (&a.data, &b.data) {
        (NodeData::Element(x), NodeData::Element(y)) => x.same_tag(y),
        (NodeData::Text(_), NodeData::Text(_)) | (NodeData::Comment(_), NodeData::Comment(_)) => {
            true
        }
        _ => false,
    }
}

fn same_tag(a: &Node, b: &Node) -> bool {
    matches!((a.element(), b.element()), (Some(x), Some(y)) if x.same_tag(y))
}

/// The identity keys of two child lists; a key repeated within a list counts as no key.
struct Keys<'t> {
    old: Vec<Option<&'t str>>,
    new: Vec<Option<&'t str>>,
}

impl<'t> Keys<'t> {
    fn of(
        a: &'t [Arc<Node>],
        b: &'t [Arc<Node>],
        parent: &[usize],
        duplicates: &mut Vec<DuplicateKey>,
    ) -> Keys<'t> {
        // The children both lists share at either end (the same nodes: what a parse took over
        // from the previous tree) carry the same keys: each is read once.
        let shared_start = a
            .iter()
            .zip(b)
            .take_while(|(x, y)| Arc::ptr_eq(x, y))
            .count();
        let shared_end = (a[shared_start..].iter().rev())
            .zip(b[shared_start..].iter().rev())
            .take_while(|(x, y)| Arc::ptr_eq(x, y))
            .count();
        let mut new: Vec<Option<&str>> = b.iter().map(|n| identity_key(n)).collect();
        let mut old = Vec::with_capacity(a.len());
        old.extend_from_slice(&new[..shared_start]);
        old.extend(
            a[shared_start..a.len() - shared_end]
                .iter()
                .map(|n| identity_key(n)),
        );
        old.extend_from_slice(&new[b.len() - shared_end..]);
        let keyed = |keys: &[Option<&str>]| keys.iter().any(Option::is_some);
        let old_middle = shared_start..a.len() - shared_end;
        let new_middle = shared_start..b.len() - shared_end;
        if (keyed(&old) || keyed(&new)) && any_repeated(&old, &new, old_middle, new_middle) {
            let repeated_old = repeated(&old);
            let repeated_new = repeated(&new);
            for key in &repeated_new {
                duplicates.push(DuplicateKey {
                    key: (*key).to_owned(),
                    parent: parent.to_vec(),
                });
            }
            for keys in [&mut old, &mut new] {
                for key in keys.iter_mut() {
                    if key.is_some_and(|k| repeated_old.contains(&k) || repeated_new.contains(&k)) {
                        *key = None;
                    }
                }
            }
        }
        Keys { old, new }
    }

    fn of_old(&self, i: usize) -> Option<&'t str> {
        self.old[i]
    }

    fn of_new(&self, j: usize) -> Option<&'t str> {
        self.new[j]
    }
}

/// Whether a key occurs twice in either list, given that the two lists are the same outside
/// their middles: one pass over the new keys, and the old middle's looked up in it.
fn any_repeated(
    old: &[Option<&str>],
    new: &[Option<&str>],
    old_middle: Range<usize>,
    new_middle: Range<usize>,
) -> bool {
    // Each new key, and whether it is in the new middle (else in the shared ends).
    let mut in_new: HashMap<&str, bool> = HashMap::with_capacity(new.len());
    for (j, key) in new.iter().enumerate() {
        if let Some(key) = key {
            if in_new.insert(key, new_middle.contains(&j)).is_some() {
                return true;
            }
        }
    }
    // The shared ends' keys are distinct now; an old middle key among them, or twice in the
    // old middle, repeats.
    let mut in_old_middle: HashMap<&str, ()> = HashMap::with_capacity(old_middle.len());
    old[old_middle]
        .iter()
        .flatten()
        .any(|key| in_new.get(key) == Some(&false) || in_old_middle.insert(key, ()).is_some())
}

/// The keys that occur more than once, each once, in order of their second occurrence.
fn repeated<'t>(keys: &[Option<&'t str>]) -> Vec<&'t str> {
    let mut seen: HashMap<&str, bool> = HashMap::with_capacity(keys.len());
    let mut repeated = Vec::new();
    for key in keys.iter().flatten() {
        match seen.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(false);
            }
            Entry::Occupied(mut slot) => {
                if !slot.insert(true) {
                    repeated.push(*key);
                }
            }
        }
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn patches(old: &str, new: &str) -> Vec<Patch> {
        diff(&parse(old), &parse(new)).patches
    }

    fn json(old: &str, new: &str) -> String {
        serde_json::to_string(&patches(old, new)).unwrap()
    }

    #[test]
    fn identical_trees_produce_no_patches() {
        let html = "<div id=a><p>x<!--c--></p><template><b>t</b></template></div>";
        assert!(patches(html, html).is_empty());
    }

    #[test]
    fn changed_text_is_set_in_place() {
        assert_eq!(
            json("<p>a</p><p>b</p>", "<p>a</p><p>c</p>"),
            r#"[["text",[1,0],"c"]]"#
        );
    }

    #[test]
    fn a_changed_comment_is_set_in_place() {
        assert_eq!(
            json("<!--a--><p></p>", "<!--b--><p></p>"),
            r#"[["text",[0],"b"]]"#
        );
    }

    #[test]
    fn changed_attributes_are_set_and_removed() {
        assert_eq!(
            json(
                r#"<p a="1" b="2" c="3">x</p>"#,
                r#"<p a="1" c="4" d="5">x</p>"#
            ),
            r#"[["rmattr",[0],"b"],["attr",[0],"c","4"],["attr",[0],"d","5"]]"#
        );
    }

    #[test]
    fn attribute_order_is_kept_by_re_adding_what_must_move() {
        // `b` must precede `a`: the browser only appends, so `a` is removed and set again.
        assert_eq!(
            json(r#"<p a="1">x</p>"#, r#"<p b="2" a="1">x</p>"#),
            r#"[["rmattr",[0],"a"],["attr",[0],"b","2"],["attr",[0],"a","1"]]"#
        );
        assert_eq!(
            json(r#"<p a="1" b="2">x</p>"#, r#"<p b="2" a="1">x</p>"#),
            r#"[["rmattr",[0],"a"],["attr",[0],"a","1"]]"#
        );
    }

    #[test]
    fn a_different_tag_or_kind_replaces_the_node() {
        assert_eq!(
            json("<p>a</p><i>b</i>", "<p>a</p><b>b</b>"),
            r#"[["replace",[1],"<b>b</b>"]]"#
        );
        assert_eq!(
            json("<p>a</p><p>b</p>", "<p>a</p>text"),
            r#"[["replace",[1],"text"]]"#
        );
    }

    #[test]
    fn a_whole_new_child_list_is_one_rewrite() {
        assert_eq!(json("<p>a</p>", "text"), r#"[["html",[],"text"]]"#);
        assert_eq!(json("<p>a</p><p>b</p>", ""), r#"[["html",[],""]]"#);
        assert_eq!(
            json("<ul><li>1</li></ul>", "<ul><b>1</b><b>2</b></ul>"),
            r#"[["html",[0],"<b>1</b><b>2</b>"]]"#
        );
    }

    #[test]
    fn unkeyed_children_added_or_removed_in_the_middle_are_one_patch() {
        assert_eq!(
            json(
                "<ul><li>1</li><li>3</li></ul>",
                "<ul><li>1</li><li>2</li><li>3</li></ul>"
            ),
            r#"[["insert",[0,1],"<li>2</li>"]]"#
        );
        assert_eq!(
            json(
                "<ul><li>1</li><li>2</li><li>2b</li><li>3</li></ul>",
                "<ul><li>1</li><li>3</li></ul>"
            ),
            r#"[["remove",[0,1],2]]"#
        );
        assert_eq!(
            json("<p>a</p>", "<p>a</p><p>b</p>"),
            r#"[["insert",[1],"<p>b</p>"]]"#
        );
    }

    #[test]
    fn unkeyed_children_that_changed_are_updated_by_position() {
        assert_eq!(
            json(
                "<ul><li>1</li><li>2</li><li>3</li></ul>",
                "<ul><li>1</li><li>two</li><li>3</li><li>4</li></ul>"
            ),
            r#"[["insert",[0,3],"<li>4</li>"],["text",[0,1,0],"two"]]"#
        );
    }

    fn rows(keys: &[u32]) -> String {
        let rows: String = keys
            .iter()
            .map(|k| format!("<li data-key=\"{k}\">row {k}</li>"))
            .collect();
        format!("<ul>{rows}</ul>")
    }

    #[test]
    fn a_keyed_insert_is_one_insert() {
        assert_eq!(
            json(&rows(&[1, 2, 4]), &rows(&[1, 2, 3, 4])),
            r#"[["insert",[0,2],"<li data-key=\"3\">row 3</li>"]]"#
        );
    }

    #[test]
    fn a_keyed_row_moved_is_one_move() {
        assert_eq!(
            json(&rows(&[1, 2, 3, 4, 5]), &rows(&[1, 4, 2, 3, 5])),
            r#"[["move",[0,3],1]]"#
        );
        assert_eq!(
            json(&rows(&[1, 2, 3, 4, 5]), &rows(&[2, 3, 4, 5, 1])),
            r#"[["move",[0,0],4]]"#
        );
    }

    #[test]
    fn keyed_rows_swapped_and_changed_are_moved_then_updated_at_their_new_place() {
        let old = rows(&[1, 2, 3]);
        let new = "<ul><li data-key=\"3\">row 3!</li><li data-key=\"2\">row 2</li>\
                   <li data-key=\"1\">row 1</li></ul>";
        assert_eq!(
            json(&old, new),
            r#"[["move",[0,2],0],["move",[0,2],1],["text",[0,0,0],"row 3!"]]"#
        );
    }

    #[test]
    fn keyed_rows_removed_and_inserted() {
        assert_eq!(
            json(&rows(&[1, 2, 3, 4]), &rows(&[1, 5, 3])),
            concat!(
                r#"[["remove",[0,3],1],["remove",[0,1],1],"#,
                r#"["insert",[0,1],"<li data-key=\"5\">row 5</li>"]]"#
            )
        );
    }

    #[test]
    fn reversing_keyed_rows_moves_all_but_one() {
        let keys: Vec<u32> = (0..50).collect();
        let reversed: Vec<u32> = keys.iter().rev().copied().collect();
        let patches = patches(&rows(&keys), &rows(&reversed));
        assert_eq!(patches.len(), 49);
        assert!(patches.iter().all(|p| p.kind() == "move"));
    }

    #[test]
    fn a_key_changing_tag_is_a_new_node() {
        assert_eq!(
            json(
                r#"<div data-key="a">x</div><p>y</p>"#,
                r#"<p data-key="a">x</p><p>y</p>"#
            ),
            r#"[["remove",[0],1],["insert",[0],"<p data-key=\"a\">x</p>"]]"#
        );
    }

    #[test]
    fn dj_key_is_identity_except_next_to_a_key_event() {
        let old = r#"<i dj-key="a">1</i><i dj-key="b">2</i>"#;
        let new = r#"<i dj-key="b">2</i><i dj-key="a">1</i>"#;
        assert_eq!(json(old, new), r#"[["move",[1],0]]"#);
        // A key filter on dj-keydown is not an identity: the inputs are updated by position.
        let old = r#"<input dj-keydown="go" dj-key="Enter" name="a"><input dj-keydown="go" dj-key="Escape" name="b">"#;
        let new = r#"<input dj-keydown="go" dj-key="Escape" name="b"><input dj-keydown="go" dj-key="Enter" name="a">"#;
        assert!(patches(old, new).iter().all(|p| p.kind() != "move"));
    }

    #[test]
    fn duplicate_keys_are_reported_and_matched_by_position() {
        let old = rows(&[1, 2, 2, 3]);
        let new = rows(&[3, 2, 2, 1]);
        let result = diff(&parse(&old), &parse(&new));
        assert_eq!(
            result.duplicate_keys,
            vec![DuplicateKey {
                key: "2".into(),
                parent: vec![0]
            }]
        );
        let message = result.duplicate_keys[0].to_string();
        assert!(message.contains("Instead of repeating a key"), "{message}");
        let mut browser = parse(&old);
        crate::apply(&mut browser, &result.patches).unwrap();
        assert!(browser.same_content(&parse(&new)));
    }

    #[test]
    fn mixed_keyed_and_unkeyed_siblings() {
        let old = r#"<h2>t</h2><p data-key="a">a</p><p data-key="b">b</p><footer>f</footer>"#;
        let new =
            r#"<h2>T</h2><p data-key="b">b</p><p data-key="a">a</p><p>note</p><footer>f</footer>"#;
        assert_eq!(
            json(old, new),
            r#"[["move",[2],1],["insert",[3],"<p>note</p>"],["text",[0,0],"T"]]"#
        );
    }

    #[test]
    fn changed_template_contents_are_rewritten_whole() {
        assert_eq!(
            json(
                "<template><b>1</b></template>",
                "<template><b>2</b></template>"
            ),
            r#"[["html",[0],"<b>2</b>"]]"#
        );
    }

    #[test]
    fn a_template_whose_attributes_alone_changed_keeps_its_contents() {
        assert_eq!(
            json(
                "<template id=a><b>1</b></template>",
                "<template id=b><b>1</b></template>"
            ),
            r#"[["attr",[0],"id","b"]]"#
        );
    }

    #[test]
    fn the_root_attributes_are_not_compared() {
        let old = "<!doctype html><div dj-root class=a><p>x</p></div>";
        let new = "<!doctype html><div dj-root class=b><p>x</p></div>";
        assert!(patches(old, new).is_empty());
    }

    #[test]
    fn inserted_text_in_a_raw_text_element_stays_raw() {
        assert_eq!(
            json("<script></script>", "<script>a<b</script>"),
            r#"[["insert",[0,0],"a<b"]]"#
        );
    }

    #[test]
    fn a_one_sided_if_in_a_class_attribute_diffs_right() {
        // The pitfall of template-structure-aware differs: `class="card {% if a %}on{% endif %}"`.
        let render = |active: bool| {
            let class = if active { "card on" } else { "card " };
            format!("<div class=\"{class}\"><div>inner</div></div><div>after</div>")
        };
        assert_eq!(
            json(&render(false), &render(true)),
            r#"[["attr",[0],"class","card on"]]"#
        );
        assert_eq!(
            json(&render(true), &render(false)),
            r#"[["attr",[0],"class","card "]]"#
        );
    }

    #[test]
    fn deep_trees_diff_without_overflowing_the_stack() {
        let depth = 10_000;
        let old = format!("{}a", "<div>".repeat(depth));
        let new = format!("{}b", "<div>".repeat(depth));
        let patches = patches(&old, &new);
        assert_eq!(patches.len(), 1);
        assert_eq!(patches[0].path().len(), depth + 1);
    }

    /// The keys of two lists read the plain way: every child, repeats counted over each list.
    fn keys_read_plainly<'t>(
        a: &'t [Arc<Node>],
        b: &'t [Arc<Node>],
    ) -> (Vec<Option<&'t str>>, Vec<Option<&'t str>>, Vec<&'t str>) {
        let mut old: Vec<Option<&str>> = a.iter().map(|n| identity_key(n)).collect();
        let mut new: Vec<Option<&str>> = b.iter().map(|n| identity_key(n)).collect();
        let (repeated_old, repeated_new) = (repeated(&old), repeated(&new));
        for keys in [&mut old, &mut new] {
            for key in keys.iter_mut() {
                if key.is_some_and(|k| repeated_old.contains(&k) || repeated_new.contains(&k)) {
                    *key = None;
                }
            }
        }
        (old, new, repeated_new)
    }

    proptest::proptest! {
        #[test]
        fn keys_read_once_for_shared_ends_are_the_keys_read_plainly(
            shared_start in proptest::collection::vec(proptest::option::of(0..6u8), 0..4),
            old_middle in proptest::collection::vec(proptest::option::of(0..6u8), 0..4),
            new_middle in proptest::collection::vec(proptest::option::of(0..6u8), 0..4),
            shared_end in proptest::collection::vec(proptest::option::of(0..6u8), 0..4),
        ) {
            let children = |keys: &[Option<u8>]| {
                let html: String = keys
                    .iter()
                    .map(|k| k.map_or("<p></p>".to_owned(), |k| format!("<p data-key={k}></p>")))
                    .collect();
                parse(&html).root.children.clone()
            };
            let (start, end) = (children(&shared_start), children(&shared_end));
            let a: Vec<Arc<Node>> = [&start[..], &children(&old_middle), &end].concat();
            let b: Vec<Arc<Node>> = [&start[..], &children(&new_middle), &end].concat();
            let mut duplicates = Vec::new();
            let keys = Keys::of(&a, &b, &[], &mut duplicates);
            let (old, new, repeated_new) = keys_read_plainly(&a, &b);
            proptest::prop_assert_eq!(keys.old, old);
            proptest::prop_assert_eq!(keys.new, new);
            let reported: Vec<&str> = duplicates.iter().map(|d| d.key.as_str()).collect();
            proptest::prop_assert_eq!(reported, repeated_new);
        }
    }
}
