//! Tera: the theme's templates compiled once per build, and Tera's errors
//! turned into diagnostics that name the template file and line.

use crate::diagnostic::Diagnostic;
use crate::problem::RenderProblem;
use crate::theme::Theme;
use tera::{ErrorKind, Tera};

/// Compiles every template of the theme; the site settings become the
/// global context (`site`), so pages only carry their own data.
pub fn compile(theme: &Theme, site: &impl serde::Serialize) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    let templates: Vec<(&str, &str)> =
        theme.templates().map(|(name, f)| (name, std::str::from_utf8(&f.bytes).unwrap_or_default())).collect();
    tera.add_raw_templates(templates).map_err(|e| error(&e, theme))?;
    let site = tera::Value::try_from_serializable(site).map_err(|e| error(&e, theme))?;
    tera.global_context().insert_value("site", site);
    Ok(tera)
}

/// Tera's autoescape, writing unescaped runs in one call instead of byte by
/// byte (the default writes each byte through `dyn Write`, which showed in
/// profiles). Escapes the same five characters, `'` included, so attributes
/// in single quotes stay safe in user templates.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(rep)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
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
            let syntax = matches!(err.kind(), ErrorKind::SyntaxError(_));
            let problem = RenderProblem::Template { syntax, message: r.message().to_string() };
            Diagnostic::error(path, span.start_line, span.start_col + 1, problem).with_source(source, width).with_hint(
                "see the Tera documentation for template syntax; the built-in themes/default/ templates are examples",
            )
        }
        ErrorKind::MissingParent { current, parent } => {
            Diagnostic::error(origin(current), 1, 1, RenderProblem::MissingParent { parent: parent.clone() })
                .with_hint("built-in templates: base.html, components.html and one per page kind")
        }
        ErrorKind::CircularExtend { tpl, inheritance_chain: chain } => Diagnostic::error(
            origin(tpl),
            1,
            1,
            RenderProblem::CircularTemplates { include: false, chain: chain.clone() },
        ),
        ErrorKind::CircularInclude { tpl, include_chain: chain } => Diagnostic::error(
            origin(tpl),
            1,
            1,
            RenderProblem::CircularTemplates { include: true, chain: chain.clone() },
        ),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error(origin(name), 1, 1, RenderProblem::TemplateNotFound { name: name.clone() })
        }
        _ => {
            let mut msg = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            Diagnostic::error("themes", 1, 1, RenderProblem::Template { syntax: false, message: msg })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_tera() {
        let mut out = Vec::new();
        escape_html("a<b>&\"c'd\u{e9}", &mut out).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "a&lt;b&gt;&amp;&quot;c&#39;d\u{e9}");
    }

    #[test]
    fn built_in_templates_compile() {
        let t = Theme::built_in();
        let tera = compile(&t, &serde_json::json!({"title": "x"}));
        assert!(tera.is_ok(), "{:?}", tera.err().map(|d| d.to_string()));
    }
}
