//! Which children have an identity of their own: the `data-key` / `dj-key` rule.

use crate::tree::Node;

/// Attributes whose presence makes `dj-key` a key filter (`dj-key="Enter"`), not an identity.
const KEY_EVENTS: [&str; 4] = [
    "dj-keydown",
    "dj-keyup",
    "dj-window-keydown",
    "dj-window-keyup",
];

/// A child's identity among its siblings: its `data-key`, else its `dj-key` — unless the element
/// listens for key events, where `dj-key` names the key that triggers them.
pub(crate) fn identity_key(node: &Node) -> Option<&str> {
    // One pass over the attributes: this runs for every child of every list compared.
    let element = node.element()?;
    let mut dj_key = None;
    let mut filters_keys = false;
    for attr in &element.attrs {
        match &*attr.name {
            "data-key" => return Some(&attr.value),
            "dj-key" => dj_key = dj_key.or(Some(&*attr.value)),
            name if KEY_EVENTS.contains(&name) => filters_keys = true,
            _ => {}
        }
    }
    dj_key.filter(|_| !filters_keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn key_of(html: &str) -> Option<String> {
        let tree = parse(html);
        identity_key(&tree.root().children[0]).map(str::to_owned)
    }

    #[test]
    fn data_key_and_dj_key_name_an_identity() {
        assert_eq!(key_of(r#"<li data-key="7">x</li>"#).as_deref(), Some("7"));
        assert_eq!(key_of(r#"<li dj-key="a">x</li>"#).as_deref(), Some("a"));
        assert_eq!(
            key_of(r#"<li dj-key="a" data-key="b">x</li>"#).as_deref(),
            Some("b")
        );
        assert_eq!(key_of("<li>x</li>"), None);
        assert_eq!(key_of("text"), None);
    }

    #[test]
    fn dj_key_beside_a_key_event_is_a_filter() {
        for event in KEY_EVENTS {
            let html = format!(r#"<input {event}="save" dj-key="Enter">"#);
            assert_eq!(key_of(&html), None, "{event}");
            let html = format!(r#"<input {event}="save" dj-key="Enter" data-key="k">"#);
            assert_eq!(key_of(&html).as_deref(), Some("k"), "{event}");
        }
    }
}
