//! Problems found while reading inputs (the config, front matter and its
//! YAML, the theme, `static/`, the folders walked): see [`super`].
//!
//! Names the problems and prints them; finding them is the loader's job.

use crate::layout::{CONFIG_FILE, THEMES_DIR};
use std::fmt;
use std::path::PathBuf;

/// A problem found while reading inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    /// A file could not be read (missing rights, too large, gone).
    CannotRead { file: FileKind, error: ReadError },
    /// A folder could not be listed.
    CannotList { error: String },
    /// A text file (Markdown, the config, an imported source) is not UTF-8.
    NotUtf8,
    /// A template is not UTF-8.
    TemplateNotUtf8,
    /// A link whose target, resolved, is outside the handbook.
    LinkOutside { target: PathBuf },
    /// A link whose target is missing.
    BrokenLink { error: String },
    /// A folder link back to a folder being walked.
    LinkLoop,
    /// `handbook.yaml` is a folder, a FIFO or a device.
    NotAFile,
    /// A FIFO, socket or device file in a walked folder.
    SpecialFile,
    /// Folders nest deeper than `max` levels.
    TooDeep { max: usize },
    /// One folder tree holds more than `max` files.
    TooManyFiles { max: usize },
    /// The opening `---` of a front matter has no closing one.
    FrontMatterUnclosed,
    /// The front matter is YAML, but not a mapping.
    NotAMapping { found: ValueKind },
    /// YAML syntax; `message` is the parser's, without its position.
    YamlSyntax { message: String },
    /// Aliases expand to more than `max` values.
    YamlTooBig { max: usize },
    /// A `<<` merge key that cannot be applied.
    YamlMerge { error: String },
    /// `key` (a dotted path, `journey.awareness`) has the wrong type.
    WrongType { key: String, expected: Expected, found: ValueKind },
    /// A whole number too large for a 64-bit integer.
    NumberTooLarge { key: String },
    /// A whole number outside `min..=max`.
    OutOfRange { key: String, min: i64, max: i64 },
    /// A date that is not `YYYY-MM-DD`.
    InvalidDate { key: String, text: String },
    /// A front-matter key that is a likely typo (kept under `extra`).
    UnknownKey { key: String },
    /// A key of `handbook.yaml` that is no setting.
    UnknownSetting { key: String },
    /// `theme:` is not a plain folder name.
    ThemeName,
    /// `themes/<name>/` does not exist.
    ThemeNotFound { name: String },
    /// A stage without `id`.
    StageWithoutId,
    /// A stage id listed twice.
    DuplicateStage { id: String },
    /// Two stage ids with one page name.
    StagesSharePage { first: String, second: String, slug: String },
    /// More than `max` stages.
    TooManyStages { max: usize },
    /// `stages:` lists none.
    NoStages,
}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[
    "cannot-read",
    "bad-encoding",
    "link-outside",
    "broken-symlink",
    "link-loop",
    "not-a-file",
    "too-deep",
    "too-many-files",
    "front-matter-unclosed",
    "not-a-mapping",
    "yaml-syntax",
    "yaml-too-big",
    "yaml-merge",
    "wrong-type",
    "out-of-range",
    "invalid-date",
    "unknown-key",
    "unknown-setting",
    "theme-name",
    "theme-not-found",
    "stage-without-id",
    "duplicate-stage",
    "too-many-stages",
    "no-stages",
];

impl InputProblem {
    pub fn code(&self) -> &'static str {
        use InputProblem::*;
        match self {
            CannotRead { .. } | CannotList { .. } => "cannot-read",
            NotUtf8 | TemplateNotUtf8 => "bad-encoding",
            LinkOutside { .. } => "link-outside",
            BrokenLink { .. } => "broken-symlink",
            LinkLoop => "link-loop",
            NotAFile | SpecialFile => "not-a-file",
            TooDeep { .. } => "too-deep",
            TooManyFiles { .. } => "too-many-files",
            FrontMatterUnclosed => "front-matter-unclosed",
            NotAMapping { .. } => "not-a-mapping",
            YamlSyntax { .. } => "yaml-syntax",
            YamlTooBig { .. } => "yaml-too-big",
            YamlMerge { .. } => "yaml-merge",
            WrongType { .. } => "wrong-type",
            NumberTooLarge { .. } | OutOfRange { .. } => "out-of-range",
            InvalidDate { .. } => "invalid-date",
            UnknownKey { .. } => "unknown-key",
            UnknownSetting { .. } => "unknown-setting",
            ThemeName => "theme-name",
            ThemeNotFound { .. } => "theme-not-found",
            StageWithoutId => "stage-without-id",
            DuplicateStage { .. } | StagesSharePage { .. } => "duplicate-stage",
            TooManyStages { .. } => "too-many-stages",
            NoStages => "no-stages",
        }
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use InputProblem::*;
        match self {
            CannotRead { file: FileKind::Source, error } => write!(f, "cannot read: {error}"),
            CannotRead { file, error } => write!(f, "cannot read {file}: {error}"),
            CannotList { error } => write!(f, "skipped: cannot list folder: {error}"),
            NotUtf8 => f.write_str("file is not valid UTF-8 text"),
            TemplateNotUtf8 => f.write_str("template is not valid UTF-8 text"),
            LinkOutside { target } => {
                write!(f, "not read: it leads to {}, outside the handbook", target.display())
            }
            BrokenLink { error } => write!(f, "skipped: a broken symbolic link ({error})"),
            LinkLoop => f.write_str("skipped: a symbolic link loops back to a parent folder"),
            NotAFile => f.write_str("skipped: not a regular file"),
            SpecialFile => f.write_str("skipped: not a regular file (a FIFO, socket or device file)"),
            TooDeep { max } => write!(f, "folders nest deeper than {max} levels here; the rest is not read"),
            TooManyFiles { max } => write!(f, "more than {max} files in one folder tree; the rest is not read"),
            FrontMatterUnclosed => {
                f.write_str("front matter is not closed: the opening `---` has no closing `---` line")
            }
            NotAMapping { found } => {
                write!(f, "front matter must be a mapping of `key: value` lines, found {found}")
            }
            YamlSyntax { message } => write!(f, "invalid YAML: {message}"),
            YamlTooBig { max } => write!(f, "YAML expands to more than {max} values"),
            YamlMerge { error } => write!(f, "invalid `<<` merge: {error}"),
            WrongType { key, expected, found } => write!(f, "`{key}` must be {expected}, found {found}"),
            NumberTooLarge { key } => write!(f, "`{key}` is too large a number"),
            OutOfRange { key, min, max } => write!(f, "`{key}` must be between {min} and {max}"),
            InvalidDate { key, text } => write!(f, "invalid date \"{text}\" for `{key}`"),
            UnknownKey { key } => write!(f, "unknown key `{key}` (kept under `extra`)"),
            UnknownSetting { key } => write!(f, "unknown setting `{key}` in {CONFIG_FILE}"),
            ThemeName => write!(f, "`theme` must be a folder name inside {THEMES_DIR}/"),
            ThemeNotFound { name } => {
                write!(f, "theme folder {THEMES_DIR}/{name}/ not found; using the built-in theme")
            }
            StageWithoutId => f.write_str("every stage needs an `id`"),
            DuplicateStage { id } => write!(f, "stage `{id}` is listed twice"),
            StagesSharePage { first, second, slug } => {
                write!(f, "stages `{first}` and `{second}` would share one page, stages/{slug}/")
            }
            TooManyStages { max } => write!(f, "`stages` lists more than {max} stages"),
            NoStages => f.write_str("`stages` must list at least one stage"),
        }
    }
}

/// Which kind of file could not be read, as the message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Markdown file under `content/`.
    Content,
    /// `handbook.yaml`.
    Config,
    /// A file of `themes/<name>/`.
    Theme,
    /// A file of `static/`.
    Static,
    /// A source file of `import`.
    Source,
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Content => "file",
            FileKind::Config => CONFIG_FILE,
            FileKind::Theme => "theme file",
            FileKind::Static => "static file",
            FileKind::Source => "source file",
        })
    }
}

/// Why the bytes of a listed file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Larger than the limit for its kind of file, in bytes.
    TooBig { limit: u64 },
    /// It was a regular file when listed, and is not any more.
    NotAFile,
    /// The system's error, as it words it.
    Io(String),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e.to_string())
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::TooBig { limit } => write!(f, "file is larger than the limit of {}", size(*limit)),
            ReadError::NotAFile => f.write_str("not a regular file"),
            ReadError::Io(e) => f.write_str(e),
        }
    }
}

/// `10 MiB`, for messages.
pub fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// The type a field must have, as a message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Text,
    TextList,
    WholeNumber,
    Boolean,
    Date,
    Mapping,
    MappingList,
}

impl Expected {
    /// How to write a value of this type: the hint of a wrong type.
    pub fn example(self) -> &'static str {
        match self {
            Expected::Text => "`key: some text`",
            Expected::TextList => "`key: [first, second]` or one `- item` per line",
            Expected::WholeNumber => "`key: 3`",
            Expected::Boolean => "`key: true`",
            Expected::Date => "`key: 2026-06-01`",
            Expected::Mapping | Expected::MappingList => "shown in the front-matter reference in the README",
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Text => "text",
            Expected::TextList => "a list of text",
            Expected::WholeNumber => "a whole number",
            Expected::Boolean => "true or false",
            Expected::Date => "a date (YYYY-MM-DD)",
            Expected::Mapping => "a mapping of `key: value` lines",
            Expected::MappingList => "a list of `{key: value}` entries",
        })
    }
}

/// The kind of a YAML value, as a user would name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Nothing,
    Boolean,
    Number,
    Text,
    List,
    Mapping,
    Tagged,
}

impl fmt::Display for ValueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueKind::Nothing => "nothing",
            ValueKind::Boolean => "true/false",
            ValueKind::Number => "a number",
            ValueKind::Text => "text",
            ValueKind::List => "a list",
            ValueKind::Mapping => "a mapping",
            ValueKind::Tagged => "a tagged value",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_listed_code() {
        let kinds = [
            InputProblem::NotUtf8,
            InputProblem::WrongType { key: "a.b".into(), expected: Expected::Date, found: ValueKind::List },
            InputProblem::CannotRead { file: FileKind::Source, error: ReadError::NotAFile },
            InputProblem::StagesSharePage { first: "a".into(), second: "A".into(), slug: "a".into() },
        ];
        for k in kinds {
            assert!(CODES.contains(&k.code()), "{k:?}");
        }
    }

    #[test]
    fn messages_read_as_before() {
        let wrong = InputProblem::WrongType { key: "a.b".into(), expected: Expected::Date, found: ValueKind::List };
        assert_eq!(wrong.to_string(), "`a.b` must be a date (YYYY-MM-DD), found a list");
        let unread = |file| InputProblem::CannotRead { file, error: ReadError::TooBig { limit: 10 * 1024 * 1024 } };
        assert_eq!(
            unread(FileKind::Config).to_string(),
            "cannot read handbook.yaml: file is larger than the limit of 10 MiB"
        );
        assert_eq!(unread(FileKind::Source).to_string(), "cannot read: file is larger than the limit of 10 MiB");
        assert_eq!(Expected::TextList.example(), "`key: [first, second]` or one `- item` per line");
    }
}
