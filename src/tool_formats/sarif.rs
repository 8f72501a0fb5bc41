//! SARIF 2.1.0 logs (the OASIS Static Analysis Results Interchange
//! Format), which code-scanning services read: one run of personabook, a
//! rule per code that occurs, a result per diagnostic.

use super::{message_and_hint, repository_path};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::problem::codes;
use serde::Serialize;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The log as pretty-printed JSON. `folder` is the handbook folder from
/// the repository root ([`super::handbook_folder`]), which the paths are
/// relative to (`%SRCROOT%`).
pub fn sarif(diags: &Diagnostics, folder: &str) -> Result<String, serde_json::Error> {
    let rules: Vec<&'static str> = codes().filter(|c| diags.iter().any(|d| d.problem.code() == *c)).collect();
    let results = diags.iter().map(|d| result(d, folder, &rules)).collect();
    let driver = Driver {
        name: "personabook",
        version: env!("CARGO_PKG_VERSION"),
        information_uri: Some(env!("CARGO_PKG_REPOSITORY")).filter(|uri| !uri.is_empty()),
        rules: rules.iter().map(|&id| Rule { id, name: pascal_case(id) }).collect(),
    };
    let log = Log { schema: SCHEMA, version: "2.1.0", runs: [Run { tool: Tool { driver }, results }] };
    serde_json::to_string_pretty(&log)
}

fn result<'a>(d: &'a Diagnostic, folder: &str, rules: &[&str]) -> SarifResult<'a> {
    let path = repository_path(folder, d);
    let (uri, uri_base_id) = match path.strip_prefix('/') {
        Some(absolute) => (format!("file:///{}", uri_path(absolute)), None),
        None => (uri_path(&path), Some("%SRCROOT%")),
    };
    SarifResult {
        rule_id: d.problem.code(),
        rule_index: rules.iter().position(|r| *r == d.problem.code()).unwrap_or_default(),
        level: d.severity,
        message: Message { text: message_and_hint(d) },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri, uri_base_id },
                // SARIF's end column is the one after the region.
                region: Region { start_line: d.line, start_column: d.column, end_column: d.column + d.width },
            },
        }],
    }
}

/// A relative path as a URI reference: every byte but letters, digits,
/// `-._~` and `/` percent-encoded (a space, `#`, `?`, `:`, non-ASCII).
fn uri_path(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// A rule's name from its code: `unknown-id` is `UnknownId`.
fn pascal_case(code: &str) -> String {
    code.split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_ascii_uppercase()).into_iter().chain(chars)
        })
        .collect()
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Tool,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct Rule {
    id: &'static str,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    /// `error` or `warning`, as SARIF names them too.
    level: Severity,
    message: Message,
    locations: [Location; 1],
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_path("content/a b/ñ#1.md"), "content/a%20b/%C3%B1%231.md");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("unknown-id"), "UnknownId");
        assert_eq!(pascal_case("internal"), "Internal");
    }
}
