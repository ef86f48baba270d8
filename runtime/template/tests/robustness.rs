//! Properties over arbitrary sources: parsing and rendering never panic, and fail only with
//! the error kinds each stage can produce.

mod support;

use djust_template::{Context, ErrorKind, Template, Value};
use proptest::prelude::*;
use support::objects::{libraries, FixtureHost};

/// Pieces of template syntax, so random sources reach deep into the parser.
const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{",
    "}",
    "%",
    "#",
    " ",
    "  ",
    "\n",
    "\t",
    "\r\n",
    "x",
    "l",
    "d",
    "s",
    "o",
    "n",
    "x.y",
    "l.0",
    "d.a",
    "d.items",
    "o.name",
    "forloop",
    "forloop.counter",
    "forloop.parentloop",
    "1",
    "-2",
    "1.5",
    "1e3",
    "2.",
    "99999999999999999999",
    "\"a\"",
    "'b'",
    "\"",
    "'",
    "\\",
    "_",
    "_(\"t\")",
    "|",
    "|upper",
    "|lower",
    "|length",
    "|safe",
    "|escape",
    "|default:",
    "|default:\"z\"",
    "|default:x",
    "|date",
    ":",
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "in",
    "reversed",
    "empty",
    "endfor",
    "not",
    "and",
    "or",
    "is",
    "==",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
    "None",
    "True",
    ",",
    "a, b",
    "comment",
    "endcomment",
    "verbatim",
    "endverbatim",
    "load",
    "testtags",
    "other",
    "from",
    "echo",
    "count",
    "fail",
    "letters",
    "as",
    "k=",
    "k=x",
    "with",
    "endwith",
    "cycle",
    "resetcycle",
    "firstof",
    "block",
    "endblock",
    "block.super",
    "extends",
    "include",
    "only",
    "filter",
    "endfilter",
    "spaceless",
    "endspaceless",
    "autoescape",
    "endautoescape",
    "on",
    "off",
    "ifchanged",
    "endifchanged",
    "regroup",
    "by",
    "widthratio",
    "lorem",
    "now",
    "url",
    "templatetag",
    "openblock",
    "csrf_token",
    "i18n",
    "trans",
    "blocktrans",
    "endblocktrans",
    "plural",
    "count",
    "static",
    "l10n",
    "localize",
    "endlocalize",
    "|floatformat:2",
    "|join:\",\"",
    "|slice:\":1\"",
    "|stringformat:\"05d\"",
    "|truncatewords:1",
    "|yesno",
    "é",
    "<b>",
    "&",
];

fn fragment_source() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|parts| parts.concat())
}

fn context() -> Context {
    let mut context = Context::new();
    context.set("x", Value::from("<x>"));
    context.set("n", Value::Int(3));
    context.set("s", Value::safe_str("<s>"));
    context.set(
        "l",
        Value::from(vec![
            Value::Int(1),
            Value::from(vec![Value::from("a"), Value::Int(2)]),
        ]),
    );
    context.set(
        "d",
        [("a", Value::Int(1)), ("b", Value::None)]
            .into_iter()
            .collect(),
    );
    context
}

/// Parses and renders `source`, checking the error kinds; panics only on a broken property.
fn check(source: &str) {
    let template = match Template::parse("prop", source, &libraries()) {
        Ok(template) => template,
        Err(error) => {
            assert!(
                matches!(error.kind(), ErrorKind::Syntax | ErrorKind::Unsupported),
                "parse of {source:?} failed with {error:?}"
            );
            assert!(error.line().is_some(), "no location for {error:?}");
            return;
        }
    };
    if let Err(error) = template.render(&context(), &FixtureHost) {
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Render
                    | ErrorKind::VariableDoesNotExist
                    | ErrorKind::Host
                    | ErrorKind::Unsupported
            ),
            "render of {source:?} failed with {error:?}"
        );
        assert!(error.line().is_some(), "no location for {error:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn syntax_fragments_never_panic(source in fragment_source()) {
        check(&source);
    }

    #[test]
    fn arbitrary_text_never_panics(source in any::<String>()) {
        check(&source);
    }
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    for (open, close) in [
        ("{% if x %}", "{% endif %}"),
        ("{% for i in l %}", "{% endfor %}"),
    ] {
        let source = format!("{}{}", open.repeat(20_000), close.repeat(20_000));
        let error = Template::parse("deep", &source, &libraries()).err();
        let message = error.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(
            message.starts_with("Too many nested tags on line 1"),
            "{message}"
        );
        assert_eq!(error.map(|e| e.kind()), Some(ErrorKind::Syntax));
    }
    let unclosed = "{% if x %}".repeat(20_000);
    assert!(Template::parse("deep", &unclosed, &libraries()).is_err());
}

#[test]
fn long_conditions_are_refused_cleanly() {
    let source = format!("{{% if {} x %}}{{% endif %}}", "not ".repeat(50_000));
    let error = Template::parse("deep", &source, &libraries()).err();
    assert_eq!(error.map(|e| e.kind()), Some(ErrorKind::Syntax));
}

#[test]
fn large_flat_templates_render() {
    let source = "{{ x }}<{% if n > 2 %}y{% endif %}>".repeat(20_000);
    let template = Template::parse("big", &source, &libraries());
    let output = template.and_then(|t| t.render(&context(), &FixtureHost));
    assert_eq!(
        output.map(|o| o.len()).ok(),
        Some(20_000 * "&lt;x&gt;<y>".len())
    );
}
