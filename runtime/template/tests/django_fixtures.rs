//! The Django compatibility suite: every file in `tests/fixtures/` holds a JSON context, a line
//! `---`, a template, a line `===` and exactly what Django 5.2 renders (or the error it raises,
//! as `!error KIND LINE:COLUMN` and the message). `verify_with_django.py` checks them against
//! the real Django.

mod support;

use std::path::{Path, PathBuf};

use djust_template::{Context, Template, Value};
use support::objects::{libraries, FixtureHost};

/// A fixture file, split into its parts.
struct Fixture {
    context: String,
    source: String,
    expected: String,
}

fn read_fixture(path: &Path) -> Result<Fixture, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (context, rest) = text.split_once("\n---\n").ok_or("no '---' line")?;
    let (source, expected) = rest.split_once("\n===\n").ok_or("no '===' line")?;
    Ok(Fixture {
        context: context.to_owned(),
        source: source.to_owned(),
        expected: expected.strip_suffix('\n').unwrap_or(expected).to_owned(),
    })
}

/// What the engine gives for a fixture, in the fixture's notation.
fn outcome(fixture: &Fixture, name: &str) -> Result<String, String> {
    let Value::Map(map) = support::json::parse(&fixture.context)? else {
        return Err("the context is not a JSON object".into());
    };
    let context = Context::from_map(map.as_ref().clone());
    let result = Template::parse(name, &fixture.source, &libraries())
        .and_then(|template| template.render(&context, &FixtureHost));
    Ok(match result {
        Ok(output) => output,
        Err(error) => format!(
            "!error {:?} {}:{}\n{error}",
            error.kind(),
            error.line().unwrap_or(0),
            error.column().unwrap_or(0)
        ),
    })
}

fn fixture_paths() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
}

#[test]
fn fixtures_render_as_django_does() {
    let paths = fixture_paths();
    assert!(paths.len() >= 80, "only {} fixtures", paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match read_fixture(path).and_then(|fixture| {
            let actual = outcome(&fixture, &name)?;
            Ok((fixture.expected, actual))
        }) {
            Ok((expected, actual)) if expected == actual => {}
            Ok((expected, actual)) => failures.push(format!(
                "{name}:\n  expected {expected:?}\n  actual   {actual:?}"
            )),
            Err(problem) => failures.push(format!("{name}: {problem}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
