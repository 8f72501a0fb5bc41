//! A [`SemanticDiff`] as text: for a terminal (`human`) and as Markdown
//! ready to post as a pull-request comment. (`--format json` is the
//! struct serialised.) User text in Markdown is escaped, so a persona's
//! name cannot open a link or a table in the comment.

use super::diff::{Cell, Changed, Item, ItemsDiff, SemanticDiff, Side};
use super::fields::FieldChange;
use std::fmt::Write;

fn side(s: &Side) -> String {
    match &s.commit {
        Some(id) if !s.label.contains(&id[..7.min(id.len())]) => format!("{} ({})", s.label, &id[..7.min(id.len())]),
        _ => s.label.clone(),
    }
}

/// The diff for a terminal.
pub fn human(d: &SemanticDiff) -> String {
    let mut out = format!("personabook diff: {} -> {}\n", side(&d.base), side(&d.head));
    if d.is_empty() {
        let _ = writeln!(out, "\nno changes to personas, assets or the content map");
    }
    for (title, items) in [("Personas", &d.personas), ("Assets", &d.assets)] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for i in &items.added {
            let _ = writeln!(out, "  + {} ({})", i.name, i.id);
        }
        for i in &items.removed {
            let _ = writeln!(out, "  - {} ({})", i.name, i.id);
        }
        for c in items.renamed.iter().chain(&items.changed) {
            let from = c.from.as_ref().map(|f| format!(", renamed from {f}")).unwrap_or_default();
            let _ = writeln!(out, "  ~ {} ({}{from})", c.name, c.id);
            for f in &c.fields {
                let _ = writeln!(out, "      {}", f.describe());
            }
            if let Some(b) = c.body {
                let _ = writeln!(out, "      body: {} added, {} removed", lines(b.added), b.removed);
            }
        }
    }
    let _ = writeln!(out, "\nContent map");
    let _ = writeln!(out, "  coverage: {}% -> {}%", d.coverage.before, d.coverage.after);
    for (word, cells) in [("new gap", &d.new_gaps), ("filled", &d.filled)] {
        for c in cells {
            let _ = writeln!(out, "  {word}: {} at {}", c.persona, c.stage);
        }
    }
    out
}

fn lines(n: usize) -> String {
    format!("{n} line{}", if n == 1 { "" } else { "s" })
}

/// User text for Markdown: every character that could start markup escaped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|~!()&{}+-.".contains(c) {
            out.push('\\');
        }
        // A line break in a value would end the list item.
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

/// The diff as Markdown, for a pull-request comment.
pub fn markdown(d: &SemanticDiff) -> String {
    let mut out = String::from("## Persona handbook changes\n\n");
    let code = |s: &Side| side(s).replace('`', "'");
    let _ = writeln!(out, "Comparing `{}` with `{}`.\n", code(&d.base), code(&d.head));
    if d.is_empty() {
        out.push_str("No changes to personas, assets or the content map.\n");
        return out;
    }
    for (title, items) in [("Personas", &d.personas), ("Assets", &d.assets)] {
        if !items.is_empty() {
            let _ = writeln!(out, "### {title}\n\n{}\n", summary(items));
            md_items(&mut out, items);
            out.push('\n');
        }
    }
    let _ = writeln!(out, "### Content map\n");
    let _ = writeln!(out, "- Coverage: {}% → {}%", d.coverage.before, d.coverage.after);
    md_cells(&mut out, "New gaps", &d.new_gaps);
    md_cells(&mut out, "Filled", &d.filled);
    out
}

fn summary(items: &ItemsDiff) -> String {
    let parts: Vec<String> = [
        (items.added.len(), "added"),
        (items.removed.len(), "removed"),
        (items.renamed.len(), "renamed"),
        (items.changed.len(), "changed"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    parts.join(", ")
}

fn md_items(out: &mut String, items: &ItemsDiff) {
    let item = |i: &Item| format!("{} (`{}`)", esc(&i.name), i.id.replace('`', "'"));
    for i in &items.added {
        let _ = writeln!(out, "- **Added:** {}", item(i));
    }
    for i in &items.removed {
        let _ = writeln!(out, "- **Removed:** {}", item(i));
    }
    for c in items.renamed.iter().chain(&items.changed) {
        md_changed(out, c);
    }
}

fn md_changed(out: &mut String, c: &Changed) {
    let code = |s: &str| format!("`{}`", s.replace('`', "'"));
    match &c.from {
        Some(from) => {
            let _ = writeln!(out, "- **Renamed:** {} → {} ({})", code(from), code(&c.id), esc(&c.name));
        }
        None => {
            let _ = writeln!(out, "- **Changed:** {} ({})", esc(&c.name), code(&c.id));
        }
    }
    for f in &c.fields {
        let line = match f {
            FieldChange::List { field, added, removed } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("added {}", quoted(added)));
                }
                if !removed.is_empty() {
                    parts.push(format!("removed {}", quoted(removed)));
                }
                format!("{}: {}", code(field), parts.join("; "))
            }
            FieldChange::Value { field, before, after } => {
                let show =
                    |v: &Option<String>| v.as_ref().map_or("*(none)*".to_string(), |v| format!("\"{}\"", esc(v)));
                format!("{}: {} → {}", code(field), show(before), show(after))
            }
            FieldChange::Journey { stage, fields } => {
                let fields: Vec<String> = fields.iter().map(|f| code(f)).collect();
                format!("journey {}: {}", code(stage), fields.join(", "))
            }
        };
        let _ = writeln!(out, "  - {line}");
    }
    if let Some(b) = c.body {
        let _ = writeln!(out, "  - body: +{} / −{} lines", b.added, b.removed);
    }
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|i| format!("\"{}\"", esc(i))).collect::<Vec<_>>().join(", ")
}

fn md_cells(out: &mut String, title: &str, cells: &[Cell]) {
    if cells.is_empty() {
        return;
    }
    let list: Vec<String> =
        cells.iter().map(|c| format!("`{}` at `{}`", c.persona.replace('`', "'"), c.stage.replace('`', "'"))).collect();
    let _ = writeln!(out, "- {title}: {}", list.join(", "));
}
