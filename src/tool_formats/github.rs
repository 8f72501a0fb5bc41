//! GitHub Actions workflow commands: one `::error` or `::warning` line per
//! diagnostic, which GitHub shows as an annotation on the file and line.

use super::{message_and_hint, repository_path};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};

/// One workflow command per diagnostic, each on its own line:
/// `::error file=PATH,line=L,col=C,endLine=L,endColumn=C2,title=CODE::MESSAGE`.
/// `folder` is the handbook folder from the repository root
/// ([`super::handbook_folder`]).
pub fn github(diags: &Diagnostics, folder: &str) -> String {
    diags.iter().map(|d| command(d, folder) + "\n").collect()
}

fn command(d: &Diagnostic, folder: &str) -> String {
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    // GitHub's columns are inclusive: the last one the caret covers.
    let end_column = d.column + d.width - 1;
    format!(
        "::{name} file={},line={},col={},endLine={},endColumn={end_column},title={}::{}",
        property(&repository_path(folder, d)),
        d.line,
        d.column,
        d.line,
        property(d.problem.code()),
        data(&message_and_hint(d))
    )
}

/// A command's message, escaped as GitHub's toolkit does (`escapeData`).
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A command's property value, escaped as GitHub's toolkit does
/// (`escapeProperty`): as a message, and `:` and `,` too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped_like_the_toolkit() {
        assert_eq!(data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
