//! The public API as the Python binding uses it: contexts, libraries and hosts, host objects
//! and the errors that come back.

mod support;

use std::fmt;
use std::sync::Arc;

use djust_template::{
    Context, Error, ErrorKind, Host, Libraries, Map, NoHost, Object, TagCall, Template, Value,
};
use support::objects::{libraries, FixtureHost, TagFailed};

fn render(source: &str, context: &Context) -> Result<String, Error> {
    Template::parse("page.html", source, &libraries())?.render(context, &FixtureHost)
}

/// A host object whose members fail or succeed on demand.
#[derive(Debug)]
struct Model;

#[derive(Debug)]
struct DatabaseDown;

impl fmt::Display for DatabaseDown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("database is down")
    }
}

impl std::error::Error for DatabaseDown {}

impl Object for Model {
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error> {
        match segment {
            "title" => Ok(Some(Value::from("<Title>"))),
            "when" => Ok(Some(Value::Float(1e16))),
            "broken" => Err(Error::host(DatabaseDown)),
            _ => Ok(None),
        }
    }

    fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Ok(Some(vec![Value::Int(1), Value::Int(2)]))
    }

    fn length(&self) -> Result<Option<usize>, Error> {
        Ok(Some(2))
    }

    fn is_true(&self) -> Result<bool, Error> {
        Ok(true)
    }

    fn to_text(&self) -> Result<(String, bool), Error> {
        Ok(("<model>".into(), false))
    }

    fn to_output(&self, _use_l10n: bool) -> Result<(String, bool), Error> {
        Ok(("<b>model</b>".into(), true))
    }

    fn to_repr(&self) -> Result<String, Error> {
        Ok("<Model: 1>".into())
    }

    fn equals(&self, other: &Value) -> Result<bool, Error> {
        Ok(matches!(other, Value::Int(1)))
    }
}

fn model_context() -> Context {
    let mut map = Map::default();
    map.insert(Arc::from("m"), Value::from_object(Model));
    map.insert(
        Arc::from("ms"),
        Value::from(vec![Value::from_object(Model)]),
    );
    Context::from_map(map)
}

#[test]
fn host_objects_are_resolved_lazily_and_printed_their_way() {
    let out = render(
        "{{ m.title }}|{{ m }}|{{ m|upper }}|{{ ms }}|{% for i in m %}{{ i }}{% endfor %}|{{ m|length }}|{% if m == 1 %}eq{% endif %}{% if 1 in ms %}in{% endif %}",
        &model_context(),
    );
    assert_eq!(
        out.ok().as_deref(),
        Some("&lt;Title&gt;|<b>model</b>|&lt;MODEL&gt;|[&lt;Model: 1&gt;]|12|2|eqin")
    );
}

#[test]
fn host_errors_propagate_unchanged_with_their_location() {
    let error = render("line one\n  {{ m.broken }}", &model_context()).err();
    let Some(error) = error else {
        panic!("the lookup fails");
    };
    assert_eq!(error.kind(), ErrorKind::Host);
    assert_eq!(error.to_string(), "database is down");
    assert_eq!((error.line(), error.column()), (Some(2), Some(3)));
    assert_eq!(error.name(), Some("page.html"));
    assert_eq!(error.source_line(), Some("  {{ m.broken }}"));
    assert!(error.into_host::<DatabaseDown>().is_ok());
}

#[test]
fn host_errors_inside_if_operators_are_false_as_in_django() {
    let out = render(
        "{% if m.broken == 1 %}yes{% else %}no{% endif %}",
        &model_context(),
    );
    assert_eq!(out.ok().as_deref(), Some("no"));
    let bare = render("{% if m.broken %}yes{% endif %}", &model_context());
    assert_eq!(bare.err().map(|e| e.kind()), Some(ErrorKind::Host));
}

#[test]
fn simple_tags_run_on_the_host() {
    let out = render(
        "{% load testtags %}{% echo 1 \"<a>\" k=2 %}",
        &Context::new(),
    );
    assert_eq!(out.ok().as_deref(), Some("[1 &lt;a&gt; k=2]"));
    let failed = render("{% load testtags %}\n{% fail %}", &Context::new()).err();
    let Some(failed) = failed else {
        panic!("the tag fails");
    };
    assert_eq!(failed.line(), Some(2));
    assert!(failed.into_host::<TagFailed>().is_ok_and(|e| e.0 == "boom"));
}

#[test]
fn no_host_refuses_simple_tags_at_render_time() {
    let mut libraries = Libraries::new();
    libraries.add_simple_tag("lib", "tag");
    let template = Template::parse("t", "{% load lib %}{% tag %}", &libraries);
    let error = template
        .and_then(|t| t.render(&Context::new(), &NoHost))
        .err();
    assert_eq!(error.map(|e| e.kind()), Some(ErrorKind::Render));
}

/// A host that records what it was called with.
struct Recorder(std::sync::Mutex<Vec<String>>);

impl Host for Recorder {
    fn call_simple_tag(&self, call: TagCall<'_>) -> Result<Value, Error> {
        let call = format!(
            "{}.{} {:?} {:?}",
            call.library, call.name, call.args, call.kwargs
        );
        if let Ok(mut calls) = self.0.lock() {
            calls.push(call);
        }
        Ok(Value::safe_str("<ok>"))
    }
}

#[test]
fn tag_arguments_are_resolved_values() {
    let mut libraries = Libraries::new();
    libraries.add_simple_tag("lib", "tag");
    let host = Recorder(std::sync::Mutex::new(Vec::new()));
    let context: Context = [("x", Value::Int(7))].into_iter().collect();
    let template = Template::parse(
        "t",
        "{% load lib %}{% tag x \"s\" missing k=x|length %}",
        &libraries,
    );
    let out = template.and_then(|t| t.render(&context, &host));
    assert_eq!(out.ok().as_deref(), Some("<ok>"));
    let calls = host.0.lock().map(|c| c.clone()).unwrap_or_default();
    assert_eq!(
        calls,
        [r#"lib.tag [Int(7), Str("s", Safe), Str("", Plain)] [("k", Int(0))]"#]
    );
}

#[test]
fn syntax_errors_carry_position_and_debug_excerpt() {
    let error = Template::parse("form.html", "ok\n\n   {% if %}", &Libraries::new()).err();
    let Some(error) = error else {
        panic!("invalid");
    };
    assert_eq!(error.kind(), ErrorKind::Syntax);
    assert_eq!(error.to_string(), "Unexpected end of expression in if tag.");
    let span = error.span().unwrap_or_default();
    assert_eq!(
        (span.line, span.column, span.start, span.end),
        (3, 4, 7, 15)
    );
    let debug = format!("{error:?}");
    assert!(debug.contains("form.html:3:4"), "{debug}");
    assert!(debug.contains("{% if %}"), "{debug}");
}

#[test]
fn values_convert_from_rust_types() {
    let mut context = Context::new();
    context.set("i", Value::from(3_i64));
    context.set("f", Value::from(0.5));
    context.set("b", Value::from(true));
    context.set("s", Value::from(String::from("<s>")));
    context.set("safe", Value::safe_str("<s>"));
    context.set("o", Value::from(None::<i64>));
    context.set("l", vec![Value::from("a")].into_iter().collect());
    let out = render(
        "{{ i }} {{ f }} {{ b }} {{ s }} {{ safe }} {{ o }} {{ l }}",
        &context,
    );
    assert_eq!(
        out.ok().as_deref(),
        Some("3 0.5 True &lt;s&gt; <s> None [&#x27;a&#x27;]")
    );
    assert_eq!(Value::from_str("x").as_str_and_safety(), Some(("x", false)));
    assert!(context.get("i").is_some());
}
