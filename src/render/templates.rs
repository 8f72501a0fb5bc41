//! Tera: the theme's templates compiled once per build, and Tera's errors
//! turned into diagnostics that name the template file and line.

use crate::diagnostic::Diagnostic;
use crate::theme::Theme;
use tera::{ErrorKind, Tera};

/// Compiles every template of the theme; the site settings become the
/// global context (`site`), so pages only carry their own data.
pub fn compile(theme: &Theme, site: &impl serde::Serialize) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    let templates: Vec<(&str, &str)> =
        theme.templates().map(|(name, f)| (name, std::str::from_utf8(&f.bytes).unwrap_or_default())).collect();
    tera.add_raw_templates(templates).map_err(|e| error(&e, theme))?;
    let site = tera::Value::try_from_serializable(site).map_err(|e| error(&e, theme))?;
    tera.global_context().insert_value("site", site);
    Ok(tera)
}

/// A Tera error as a diagnostic at the template's file and line.
pub fn error(err: &tera::Error, theme: &Theme) -> Diagnostic {
    let origin = |name: &str| theme.template_origin(name).map_or_else(|| format!("templates/{name}"), str::to_string);
    match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            let path = origin(r.filename());
            let source = theme
                .templates()
                .find(|(n, _)| *n == r.filename())
                .and_then(|(_, f)| std::str::from_utf8(&f.bytes).ok())
                .unwrap_or_default();
            let width = if span.start_line == span.end_line { span.end_col.saturating_sub(span.start_col) } else { 1 };
            let what = if matches!(err.kind(), ErrorKind::SyntaxError(_)) { "template syntax" } else { "template" };
            Diagnostic::error(path, span.start_line, span.start_col + 1, format!("{what} error: {}", r.message()))
                .with_source(source, width)
                .with_hint("see the Tera documentation for template syntax; the built-in themes/default/ templates are examples")
        }
        ErrorKind::MissingParent { current, parent } => {
            Diagnostic::error(origin(current), 1, 1, format!("template extends \"{parent}\", which does not exist"))
                .with_hint("built-in templates: base.html, components.html and one per page kind")
        }
        ErrorKind::CircularExtend { tpl, inheritance_chain } => Diagnostic::error(
            origin(tpl),
            1,
            1,
            format!("templates extend each other in a circle: {}", inheritance_chain.join(" -> ")),
        ),
        ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            origin(tpl),
            1,
            1,
            format!("templates include each other in a circle: {}", include_chain.join(" -> ")),
        ),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error(origin(name), 1, 1, format!("template \"{name}\" not found"))
        }
        _ => {
            let mut msg = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            Diagnostic::error("themes", 1, 1, format!("template error: {msg}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_compile() {
        let t = Theme::built_in();
        let tera = compile(&t, &serde_json::json!({"title": "x"}));
        assert!(tera.is_ok(), "{:?}", tera.err().map(|d| d.to_string()));
    }
}
