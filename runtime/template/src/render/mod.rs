//! The renderer: walks the nodes of a template with a context and writes the output.
//!
//! One file per group of tags (`flow`, `inheritance`, `output`, `i18n`), plus scopes,
//! expressions and `{% if %}` conditions. The renderer's state mirrors Django's `Context`:
//! the scope stack, `autoescape`, `use_l10n`, and the render-context stack that `cycle`,
//! `ifchanged` and block inheritance keep their state in.

mod condition;
mod expression;
mod flow;
mod found;
mod i18n;
mod inheritance;
mod output;
mod print;
mod scope;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use crate::compiler::ast::Node;
use crate::context::Context;
use crate::error::{Error, Span};
use crate::host::Host;
use crate::options::{NumberFormats, RenderOptions};
use crate::template::Template;
use crate::value::Value;
pub(crate) use found::FoundTemplate;
use inheritance::BlockContext;
use print::Printer;
use scope::Scope;

/// Renders `template` with `context`.
pub(crate) fn render(
    template: &Template,
    context: &Context,
    host: &dyn Host,
    options: &RenderOptions,
) -> Result<String, Error> {
    let mut renderer = Renderer {
        host,
        options,
        numbers: NumberFormats::new(options, host),
        scope: Scope::new(context),
        autoescape: options.autoescape,
        use_l10n: true,
        states: Vec::new(),
        include_cache: HashMap::new(),
        depth: 0,
        loop_runs: 0,
        loop_changes: HashMap::new(),
        translations: HashMap::new(),
    };
    let mut out = String::with_capacity(template.output_capacity());
    renderer.render_template(template, &mut out)?;
    template.record_output_len(out.len());
    Ok(out)
}

/// The names of the variables the renderer sets, made once.
static FORLOOP: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("forloop"));
static BLOCK: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("block"));

/// What `{% ifchanged %}` last saw.
#[derive(Clone)]
pub(crate) enum Seen {
    Values(Vec<Value>),
    Output(String),
}

/// One level of Django's render context: what one template render (and the templates it
/// extends) keeps; `{% include %}` starts a new one.
#[derive(Default)]
pub(crate) struct State {
    blocks: Option<BlockContext>,
    /// The origins `{% extends %}` went through (what the next one skips).
    extends_history: Option<Vec<Arc<str>>>,
    /// The next value of each `{% cycle %}`, by node.
    cycles: HashMap<usize, usize>,
    /// `{% ifchanged %}` outside loops, by node.
    changes: HashMap<usize, Seen>,
}

/// The state of one render.
pub(crate) struct Renderer<'a> {
    host: &'a dyn Host,
    options: &'a RenderOptions,
    numbers: NumberFormats<'a>,
    scope: Scope<'a>,
    autoescape: bool,
    use_l10n: bool,
    states: Vec<State>,
    /// Templates `{% include %}` loaded, by node and names (Django caches them per render).
    include_cache: HashMap<(usize, Vec<String>), Template>,
    /// How many templates are being rendered inside each other.
    depth: usize,
    /// Runs of `{% for %}` so far (each gets a number for `{% ifchanged %}`).
    loop_runs: usize,
    /// `{% ifchanged %}` inside loops, by loop run and node.
    loop_changes: HashMap<(usize, usize), Seen>,
    /// Translations asked of the host in this render.
    translations: HashMap<(Option<String>, String), String>,
}

/// The address of a node, to key per-node state.
fn node_key<T>(node: &T) -> usize {
    std::ptr::from_ref(node) as usize
}

impl Renderer<'_> {
    /// Renders a whole template in a render-context level of its own (Django's
    /// `Template.render`).
    fn render_template(&mut self, template: &Template, out: &mut String) -> Result<(), Error> {
        if self.depth >= self.options.max_template_depth {
            return Err(Error::render(format!(
                "maximum recursion depth exceeded while rendering templates (more than {} \
                 levels of {{% include %}} and {{% extends %}})",
                self.options.max_template_depth
            )));
        }
        self.depth += 1;
        self.states.push(State::default());
        let result = self.render_nodes(template, template.nodes(), out);
        self.states.pop();
        self.depth -= 1;
        result
    }

    fn state(&mut self) -> &mut State {
        if self.states.is_empty() {
            self.states.push(State::default());
        }
        let last = self.states.len() - 1;
        &mut self.states[last]
    }

    fn render_nodes(
        &mut self,
        template: &Template,
        nodes: &[Node],
        out: &mut String,
    ) -> Result<(), Error> {
        for node in nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Variable(node) => self
                    .print_expression(&node.expression, out)
                    .map_err(located(template, node.span))?,
                Node::If(node) => self.if_tag(template, node, out)?,
                Node::For(node) => self.for_tag(template, node, out)?,
                Node::SimpleTag(node) => self
                    .simple_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::Autoescape(node) => {
                    let saved = std::mem::replace(&mut self.autoescape, node.setting);
                    let result = self.render_nodes(template, &node.body, out);
                    self.autoescape = saved;
                    result?;
                }
                Node::Localize(node) => {
                    let saved = std::mem::replace(&mut self.use_l10n, node.setting);
                    let result = self.render_nodes(template, &node.body, out);
                    self.use_l10n = saved;
                    result?;
                }
                Node::Block(node) => self.block_tag(template, node, out)?,
                Node::Extends(node) => self.extends_tag(template, node, out)?,
                Node::Include(node) => self.include_tag(template, node, out)?,
                Node::Cycle(node) => self
                    .cycle_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::ResetCycle(node) => {
                    self.state().cycles.insert(node_key(&**node), 0);
                }
                Node::CsrfToken => self.csrf_token(out)?,
                Node::Filter(node) => self.filter_tag(template, node, out)?,
                Node::FirstOf(node) => self
                    .firstof_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::IfChanged(node) => self.ifchanged_tag(template, node, out)?,
                Node::Lorem(node) => self
                    .lorem_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::Now(node) => self
                    .now_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::Regroup(node) => self
                    .regroup_tag(node)
                    .map_err(located(template, node.span))?,
                Node::Spaceless(body) => self.spaceless_tag(template, body, out)?,
                Node::Url(node) => self
                    .url_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::WidthRatio(node) => self
                    .widthratio_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::With(node) => self.with_tag(template, node, out)?,
                Node::Translate(node) => self
                    .translate_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::BlockTranslate(node) => self
                    .blocktranslate_tag(node, out)
                    .map_err(located(template, node.span))?,
                Node::CurrentLanguage(target) => {
                    let language = self.host.current_language()?;
                    self.scope.set(target, Value::from(language));
                }
                Node::Static(node) => self
                    .static_tag(node, out)
                    .map_err(located(template, node.span))?,
            }
        }
        Ok(())
    }

    /// How values print with the renderer's current escaping and localization.
    pub(crate) fn printer(&self) -> Printer<'_> {
        Printer {
            autoescape: self.autoescape,
            use_l10n: self.use_l10n,
            options: self.options,
            numbers: &self.numbers,
            host: self.host,
        }
    }

    /// The text `{{ value }}` prints (Django's `render_value_in_context`) and whether it is
    /// safe.
    pub(crate) fn value_text(&self, value: &Value) -> Result<(String, bool), Error> {
        self.printer().text(value)
    }

    /// Writes a value as `{{ value }}` does.
    fn write_value(&self, value: &Value, out: &mut String) -> Result<(), Error> {
        self.printer().write(value, out)
    }
}

/// Records where an error happened, unless an inner node already did.
fn located(template: &Template, span: Span) -> impl FnOnce(Error) -> Error + '_ {
    move |error| error.located(template.name(), template.source(), span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{NoHost, TagCall};
    use crate::library::Libraries;
    use crate::options::NumberFormat;
    use std::cell::Cell;

    fn run_on(source: &str, context: &Context, host: &dyn Host, options: &RenderOptions) -> String {
        Template::parse("t", source, &Libraries::new())
            .and_then(|t| t.render_with(context, host, options))
            .unwrap_or_else(|e| format!("{e:?}"))
    }

    fn run(source: &str, context: &Context, options: &RenderOptions) -> String {
        run_on(source, context, &NoHost, options)
    }

    /// A host in German that counts how often it is asked for its number format.
    #[derive(Default)]
    struct German {
        asked: Cell<usize>,
    }

    impl Host for German {
        fn call_simple_tag(&self, _: TagCall<'_>) -> Result<Value, Error> {
            Err(Error::render("no tags"))
        }

        fn number_format(&self) -> Result<NumberFormat, Error> {
            self.asked.set(self.asked.get() + 1);
            Ok(NumberFormat {
                decimal_separator: ",".into(),
                thousand_separator: ".".into(),
                grouping: vec![3, 0],
            })
        }
    }

    #[test]
    fn numbers_print_with_the_locales_separators() {
        let context: Context = [
            ("i", Value::Int(1234567)),
            ("f", Value::Float(1234.5)),
            ("b", Value::Bool(true)),
        ]
        .into_iter()
        .collect();
        let grouped = RenderOptions {
            use_thousand_separator: true,
            ..RenderOptions::default()
        };
        let german = German::default();
        assert_eq!(
            run_on(
                "{{ i }} {{ f }} {{ b }} {{ f }}",
                &context,
                &german,
                &grouped
            ),
            "1.234.567 1.234,5 True 1.234,5"
        );
        assert_eq!(german.asked.get(), 1, "asked once per render");
        assert_eq!(
            run_on(
                "{% load l10n %}{% localize off %}{{ i }} {{ f }}{% endlocalize %}",
                &context,
                &german,
                &grouped
            ),
            "1234567 1234.5"
        );
        let plain = RenderOptions::default();
        assert_eq!(
            run_on("{{ i }} {{ b }}", &context, &german, &plain),
            "1234567 True"
        );
        assert_eq!(german.asked.get(), 1, "not asked when no number needs it");
        assert_eq!(run_on("{{ f }}", &context, &german, &plain), "1234,5");
        assert_eq!(run("{{ i }} {{ f }}", &context, &plain), "1234567 1234.5");
    }

    #[test]
    fn autoescape_off_prints_raw_text() {
        let context: Context = [("x", Value::from("<b>"))].into_iter().collect();
        let options = RenderOptions::default();
        assert_eq!(
            run(
                "{% autoescape off %}{{ x }}{% endautoescape %}{{ x }}",
                &context,
                &options
            ),
            "<b>&lt;b&gt;"
        );
        let off = RenderOptions {
            autoescape: false,
            ..RenderOptions::default()
        };
        assert_eq!(run("{{ x }}", &context, &off), "<b>");
    }
}
