//! The text of the files `init` and `new` write: the starter files with
//! their dates counted back from today, and the persona and asset
//! templates (a persona's journey has one entry per configured stage).
//! Pure text: never touches the disk.

use crate::config::Stage;
use jiff::civil::Date;

/// `text` with `{today}` and `{today-N}` (N days before) as `YYYY-MM-DD`,
/// so a new handbook's dates are recent and nothing is due for review yet.
pub(super) fn dated(text: &str, today: Date) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{today") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + "{today".len()..];
        let end = tail.find('}').unwrap_or(0);
        let days = tail[..end].strip_prefix('-').and_then(|n| n.parse::<i64>().ok()).unwrap_or(0);
        let date = jiff::Span::new().try_days(days).ok().and_then(|span| today.checked_sub(span).ok());
        out.push_str(&date.unwrap_or(today).to_string());
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A draft persona named `name` (already quoted for YAML), with an empty
/// journey step for every stage of the handbook.
pub(super) fn persona(name: &str, today: Date, stages: &[Stage]) -> String {
    let journey: String = stages.iter().map(|s| journey_step(&s.id)).collect();
    dated(include_str!("starter/new-persona.md"), today).replace("{name}", name).replace("{journey}", &journey)
}

/// A draft asset titled `title` (already quoted for YAML).
pub(super) fn asset(title: &str, today: Date) -> String {
    dated(include_str!("starter/new-asset.md"), today).replace("{title}", title)
}

/// `text` as a YAML scalar: plain when it can be, quoted when it must.
pub(super) fn quoted(text: &str) -> String {
    let yaml = serde_yaml::to_string(text).unwrap_or_else(|_| format!("{text:?}\n"));
    yaml.trim_end().to_string()
}

fn journey_step(stage: &str) -> String {
    let key = quoted(stage);
    format!(
        "  {key}:\n    goal:\n    questions: []\n    touchpoints: []\n    emotion: 0\n    pain_points: []\n    \
         opportunities: []\n    needs:\n    formats: []\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_back_from_today() {
        let today = jiff::civil::date(2030, 3, 10);
        assert_eq!(dated("a: {today}\nb: {today-10}\nc: x\n", today), "a: 2030-03-10\nb: 2030-02-28\nc: x\n");
    }

    #[test]
    fn a_stage_id_that_needs_quotes_gets_them() {
        assert_eq!(journey_step("awareness").lines().next(), Some("  awareness:"));
        assert_eq!(journey_step("2").lines().next(), Some("  '2':"));
        assert_eq!(journey_step("a: b").lines().next(), Some("  'a: b':"));
    }
}
