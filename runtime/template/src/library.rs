//! Tag libraries: the tags and filters a template may use, built in or brought in by
//! `{% load %}`, and for each one how it runs (natively, through the host, or not here).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::Error;
use crate::filters::{self, Filter};

/// A tag the engine runs itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NativeTag {
    Autoescape,
    Block,
    Comment,
    CsrfToken,
    Cycle,
    Extends,
    Filter,
    FirstOf,
    For,
    If,
    IfChanged,
    Include,
    Load,
    Lorem,
    Now,
    Regroup,
    ResetCycle,
    Spaceless,
    TemplateTag,
    Url,
    Verbatim,
    WidthRatio,
    With,
    Translate,
    BlockTranslate,
    CurrentLanguage,
    Static,
    StaticPrefix,
    MediaPrefix,
    Localize,
}

/// Django's name for each native tag, as its library registers it.
const NATIVE_TAGS: &[(&str, NativeTag)] = &[
    ("autoescape", NativeTag::Autoescape),
    ("block", NativeTag::Block),
    ("comment", NativeTag::Comment),
    ("csrf_token", NativeTag::CsrfToken),
    ("cycle", NativeTag::Cycle),
    ("extends", NativeTag::Extends),
    ("filter", NativeTag::Filter),
    ("firstof", NativeTag::FirstOf),
    ("for", NativeTag::For),
    ("if", NativeTag::If),
    ("ifchanged", NativeTag::IfChanged),
    ("include", NativeTag::Include),
    ("load", NativeTag::Load),
    ("lorem", NativeTag::Lorem),
    ("now", NativeTag::Now),
    ("regroup", NativeTag::Regroup),
    ("resetcycle", NativeTag::ResetCycle),
    ("spaceless", NativeTag::Spaceless),
    ("templatetag", NativeTag::TemplateTag),
    ("url", NativeTag::Url),
    ("verbatim", NativeTag::Verbatim),
    ("widthratio", NativeTag::WidthRatio),
    ("with", NativeTag::With),
    ("translate", NativeTag::Translate),
    ("trans", NativeTag::Translate),
    ("blocktranslate", NativeTag::BlockTranslate),
    ("blocktrans", NativeTag::BlockTranslate),
    ("get_current_language", NativeTag::CurrentLanguage),
    ("static", NativeTag::Static),
    ("get_static_prefix", NativeTag::StaticPrefix),
    ("get_media_prefix", NativeTag::MediaPrefix),
    ("localize", NativeTag::Localize),
];

/// The builtin tags of Django 5.2 (`defaulttags` and `loader_tags`); `debug` is handed to
/// Django and `querystring` is a simple tag the host runs.
const DJANGO_BUILTIN_TAGS: &[&str] = &[
    "autoescape",
    "block",
    "comment",
    "csrf_token",
    "cycle",
    "extends",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "include",
    "load",
    "lorem",
    "now",
    "regroup",
    "resetcycle",
    "spaceless",
    "templatetag",
    "url",
    "verbatim",
    "widthratio",
    "with",
];

/// How a simple tag takes its arguments: the Python signature Django's `parse_bits` checks.
#[derive(Clone, Debug, Default)]
pub struct SimpleTagSpec {
    /// Positional parameter names (after `context` for tags that take it).
    pub params: Vec<String>,
    /// How many of the last `params` have defaults.
    pub defaults: usize,
    /// Whether it takes `*args`.
    pub varargs: bool,
    /// Whether it takes `**kwargs`.
    pub varkw: bool,
    /// Keyword-only parameter names.
    pub kwonly: Vec<String>,
    /// Which keyword-only parameters have defaults.
    pub kwonly_defaults: Vec<String>,
    /// Whether the function's first parameter is the template context.
    pub takes_context: bool,
}

impl SimpleTagSpec {
    /// A tag that accepts any arguments (`def tag(*args, **kwargs)`).
    pub fn any() -> SimpleTagSpec {
        SimpleTagSpec {
            varargs: true,
            varkw: true,
            ..SimpleTagSpec::default()
        }
    }
}

/// How a tag runs.
#[derive(Clone, Debug)]
pub(crate) enum TagSpec {
    /// The engine runs it.
    Native(NativeTag),
    /// The host runs it (Django's `simple_tag`).
    Simple(Arc<SimpleTagSpec>),
    /// Valid in Django but not runnable here: the template goes to Django.
    Foreign,
}

/// How a filter runs, with Django's flags.
#[derive(Clone, Debug)]
pub struct FilterSpec {
    pub(crate) native: Option<&'static Filter>,
    /// The library the host finds the filter in, when the host can run it.
    pub(crate) host_library: Option<Arc<str>>,
    /// Arguments counted as Django's `args_check` does (the value included).
    pub(crate) required: u8,
    pub(crate) accepted: u8,
    pub(crate) is_safe: bool,
}

impl FilterSpec {
    /// A filter the host runs (with Django's `is_safe`, `needs_autoescape` and
    /// `expects_localtime` rules): `required`/`accepted` count arguments as Django's
    /// `args_check` does (the filtered value and an `autoescape` parameter included).
    pub fn host(library: &str, required: u8, accepted: u8) -> FilterSpec {
        FilterSpec {
            native: None,
            host_library: Some(Arc::from(library)),
            required,
            accepted,
            is_safe: false,
        }
    }

    fn native(filter: &'static Filter) -> FilterSpec {
        FilterSpec {
            native: Some(filter),
            host_library: None,
            required: filter.required,
            accepted: filter.accepted,
            is_safe: filter.is_safe,
        }
    }
}

/// The tags and filters of one library.
#[derive(Clone, Debug, Default)]
pub(crate) struct Library {
    pub(crate) tags: BTreeMap<String, TagSpec>,
    pub(crate) filters: BTreeMap<String, FilterSpec>,
}

/// The builtins every template has, and the libraries `{% load %}` accepts.
#[derive(Clone, Debug)]
pub struct Libraries {
    builtins: Library,
    libraries: BTreeMap<String, Library>,
}

impl Default for Libraries {
    fn default() -> Libraries {
        Libraries::new()
    }
}

impl Libraries {
    /// Django's defaults: the builtin tags and filters, and the libraries `cache`, `i18n`,
    /// `l10n`, `static` and `tz` (the last two with only what the engine runs natively).
    pub fn new() -> Libraries {
        let mut libraries = Libraries::empty();
        for name in DJANGO_BUILTIN_TAGS {
            libraries.builtins.tags.insert(
                (*name).to_owned(),
                native_tag(name).map_or(TagSpec::Foreign, TagSpec::Native),
            );
        }
        libraries
            .builtins
            .tags
            .insert("debug".into(), TagSpec::Foreign);
        let querystring = SimpleTagSpec {
            params: vec!["query_dict".into()],
            defaults: 1,
            varkw: true,
            takes_context: true,
            ..SimpleTagSpec::default()
        };
        libraries
            .builtins
            .tags
            .insert("querystring".into(), TagSpec::Simple(Arc::new(querystring)));
        for filter in filters::all() {
            libraries
                .builtins
                .filters
                .insert(filter.name.to_owned(), FilterSpec::native(filter));
        }
        for (library, tags, filters) in [
            (
                "i18n",
                &[
                    "translate",
                    "trans",
                    "blocktranslate",
                    "blocktrans",
                    "get_current_language",
                ][..],
                &[][..],
            ),
            ("l10n", &["localize"][..], &["localize", "unlocalize"][..]),
            (
                "static",
                &["static", "get_static_prefix", "get_media_prefix"][..],
                &[][..],
            ),
            ("cache", &[][..], &[][..]),
            ("tz", &[][..], &[][..]),
        ] {
            libraries.add_library(library);
            for tag in tags {
                let _ = libraries.add_django_tag(Some(library), tag, tag);
            }
            for filter in filters {
                let _ = libraries.add_django_filter(Some(library), filter, filter, false);
            }
        }
        for (library, tags) in [
            (
                "i18n",
                &[
                    "language",
                    "get_available_languages",
                    "get_language_info",
                    "get_language_info_list",
                    "get_current_language_bidi",
                ][..],
            ),
            ("cache", &["cache"][..]),
            ("tz", &["localtime", "timezone", "get_current_timezone"][..]),
        ] {
            for tag in tags {
                libraries.add_foreign_tag(Some(library), tag);
            }
        }
        libraries
    }

    /// No builtins and no libraries at all (the host then adds everything it has).
    pub fn empty() -> Libraries {
        Libraries {
            builtins: Library::default(),
            libraries: BTreeMap::new(),
        }
    }

    fn library_mut(&mut self, library: Option<&str>) -> &mut Library {
        match library {
            None => &mut self.builtins,
            Some(name) => self.libraries.entry(name.to_owned()).or_default(),
        }
    }

    /// Registers library `name` (if new), so that `{% load name %}` accepts it.
    pub fn add_library(&mut self, name: &str) {
        self.library_mut(Some(name));
    }

    /// Registers the simple tag `tag` of `library` (`None`: a builtin), run by the host.
    pub fn add_simple_tag_with(&mut self, library: Option<&str>, tag: &str, spec: SimpleTagSpec) {
        self.library_mut(library)
            .tags
            .insert(tag.to_owned(), TagSpec::Simple(Arc::new(spec)));
    }

    /// Registers library `library` (if new) and its simple tag `tag`, taking any arguments.
    pub fn add_simple_tag(&mut self, library: &str, tag: &str) {
        self.add_simple_tag_with(Some(library), tag, SimpleTagSpec::any());
    }

    /// Registers `tag` in `library` as the Django tag `django_name`, which the engine runs
    /// natively; fails if the engine does not know that tag.
    pub fn add_django_tag(
        &mut self,
        library: Option<&str>,
        tag: &str,
        django_name: &str,
    ) -> Result<(), Error> {
        let native = native_tag(django_name).ok_or_else(|| {
            Error::unsupported(format!("'{django_name}' is not a tag this engine runs"))
        })?;
        self.library_mut(library)
            .tags
            .insert(tag.to_owned(), TagSpec::Native(native));
        Ok(())
    }

    /// Registers a tag the engine cannot run: a template using it goes to Django.
    pub fn add_foreign_tag(&mut self, library: Option<&str>, tag: &str) {
        self.library_mut(library)
            .tags
            .insert(tag.to_owned(), TagSpec::Foreign);
    }

    /// Registers `filter` in `library` as Django's filter `django_name`, run natively; with
    /// `host_fallback`, values the native code cannot handle go to the host's filter
    /// `filter` of `library` instead. Fails if the engine does not know that filter.
    pub fn add_django_filter(
        &mut self,
        library: Option<&str>,
        filter: &str,
        django_name: &str,
        host_fallback: bool,
    ) -> Result<(), Error> {
        let native = filters::find(django_name).ok_or_else(|| {
            Error::unsupported(format!("'{django_name}' is not a filter this engine runs"))
        })?;
        let mut spec = FilterSpec::native(native);
        if host_fallback {
            spec.host_library = Some(Arc::from(library.unwrap_or("")));
        }
        self.library_mut(library)
            .filters
            .insert(filter.to_owned(), spec);
        Ok(())
    }

    /// Registers a filter the host runs.
    pub fn add_filter(&mut self, library: Option<&str>, filter: &str, spec: FilterSpec) {
        self.library_mut(library)
            .filters
            .insert(filter.to_owned(), spec);
    }

    /// The builtin tags and filters.
    pub(crate) fn builtins(&self) -> &Library {
        &self.builtins
    }

    /// The library `name`, if registered.
    pub(crate) fn get(&self, name: &str) -> Option<&Library> {
        self.libraries.get(name)
    }

    /// The registered library names, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.libraries.keys().map(String::as_str)
    }
}

fn native_tag(name: &str) -> Option<NativeTag> {
    NATIVE_TAGS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, tag)| *tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_djangos_builtins_and_libraries() {
        let libraries = Libraries::new();
        assert!(matches!(
            libraries.builtins().tags.get("if"),
            Some(TagSpec::Native(NativeTag::If))
        ));
        assert!(matches!(
            libraries.builtins().tags.get("debug"),
            Some(TagSpec::Foreign)
        ));
        assert!(matches!(
            libraries.builtins().tags.get("querystring"),
            Some(TagSpec::Simple(_))
        ));
        assert_eq!(
            libraries.names().collect::<Vec<_>>(),
            ["cache", "i18n", "l10n", "static", "tz"]
        );
        assert!(libraries.builtins().filters.contains_key("date"));
        assert!(libraries
            .get("i18n")
            .is_some_and(|l| l.tags.contains_key("trans")));
    }

    #[test]
    fn registering_unknown_natives_fails() {
        let mut libraries = Libraries::empty();
        assert!(libraries.add_django_tag(None, "x", "nope").is_err());
        assert!(libraries
            .add_django_filter(None, "x", "nope", true)
            .is_err());
        assert!(libraries
            .add_django_filter(None, "up", "upper", true)
            .is_ok());
        let spec = libraries.builtins().filters.get("up");
        assert_eq!(spec.and_then(|s| s.host_library.as_deref()), Some(""));
        libraries.add_simple_tag("lib", "t");
        assert!(libraries.get("lib").is_some());
    }
}
