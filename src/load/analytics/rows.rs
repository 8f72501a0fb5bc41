//! The rows of one export: the preamble before the header row, the
//! header's shape with `columns:` laid over it, and every data row summed
//! into its page, each bad cell reported at its line and column.

use super::{config_error, Pages, Table, MAX_CELL_ERRORS};
use crate::analytics::shapes::{self, Shape};
use crate::analytics::url::{normalise_into, PageKey};
use crate::analytics::{number, ExportKind, Field, Metrics, Period, Source};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::problem::AnalyticsProblem;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The lines before the header row: `#` lines (GA4 names its period in
/// them) and blank lines.
#[derive(Default)]
struct Preamble {
    lines: usize,
    bytes: u64,
    start: Option<jiff::civil::Date>,
    end: Option<jiff::civil::Date>,
}

fn read_preamble(reader: &mut impl BufRead) -> std::io::Result<Preamble> {
    let mut p = Preamble::default();
    let mut line = Vec::new();
    loop {
        let peek = reader.fill_buf()?;
        if p.bytes == 0 && peek.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
            p.bytes = 3;
            continue;
        }
        if !matches!(peek.first(), Some(b'#' | b'\n' | b'\r')) {
            return Ok(p);
        }
        line.clear();
        p.bytes += reader.read_until(b'\n', &mut line)? as u64;
        p.lines += 1;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_start_matches('#').trim();
        if let Some((key, value)) = text.split_once(':') {
            match key.trim().to_ascii_lowercase().as_str() {
                "start date" => p.start = parse_date(value),
                "end date" => p.end = parse_date(value),
                _ => {}
            }
        }
    }
}

/// `2026-07-01`, `20260701`, or an ISO date-time's date.
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let t = text.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]).parse().ok();
    }
    t.get(..10).unwrap_or(t).parse().ok()
}

pub(super) struct Reader<'a> {
    pub source: &'a Source,
    pub path: &'a Path,
    pub index: usize,
    pub diags: &'a mut Vec<Diagnostic>,
}

/// Which column holds what, for the row loop.
struct Columns {
    url: usize,
    metrics: Vec<(Field, usize)>,
    date: Option<usize>,
    segment: Option<usize>,
    names: Vec<String>,
}

/// What the rows add up to, page by page.
struct Sums {
    rows: usize,
    skipped: usize,
    pages: Pages,
    first_date: Option<jiff::civil::Date>,
    last_date: Option<jiff::civil::Date>,
    errors: usize,
    /// The key of the row being read: reused, so a row costs no allocation
    /// unless its page is new.
    key: String,
}

impl Sums {
    fn with_capacity(pages: usize) -> Sums {
        Sums {
            rows: 0,
            skipped: 0,
            pages: Pages::with_capacity_and_hasher(pages, Default::default()),
            first_date: None,
            last_date: None,
            errors: 0,
            key: String::new(),
        }
    }

    /// Adds a row's figures to the page of `self.key` (and its segment).
    fn add(&mut self, m: &Metrics, segment: Option<&str>) {
        let page = match self.pages.get_mut(self.key.as_str()) {
            Some(page) => page,
            None => self.pages.entry(PageKey::from_text(&self.key)).or_default(),
        };
        page.metrics.add(m);
        if let Some(s) = segment {
            match page.segments.iter_mut().find(|(name, _)| name == s) {
                Some((_, sm)) => sm.add(m),
                None => page.segments.push((s.to_string(), *m)),
            }
        }
    }
}

impl Reader<'_> {
    pub fn read(&mut self, file: std::fs::File) -> std::io::Result<Option<Table>> {
        let size = file.metadata()?.len();
        let mut buffered = BufReader::with_capacity(1 << 18, file);
        let preamble = read_preamble(&mut buffered)?;
        let mut csv =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).comment(Some(b'#')).from_reader(buffered);
        let mut record = csv::ByteRecord::new();
        let has_header = match csv.read_byte_record(&mut record) {
            Ok(more) => more,
            Err(e) => return Ok(self.csv_error(&e, preamble.lines)),
        };
        if !has_header {
            let d = Diagnostic::error(
                &self.source.file,
                preamble.lines + 1,
                1,
                AnalyticsProblem::NoHeader { file: self.source.file.clone() },
            );
            self.diags.push(d.with_hint("export the report with its header row (the column names)"));
            return Ok(None);
        }
        let header_line = preamble.lines + record.position().map_or(1, |p| p.line() as usize);
        let names: Vec<String> = record
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let Some((kind, columns)) = self.columns(names, header_line) else { return Ok(None) };
        let mut sums = Sums::with_capacity(usize::try_from(size / 256).unwrap_or(0).min(1 << 21));
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(true) if record.len() != columns.names.len() => {
                    self.table_ends(&record, columns.names.len(), &preamble);
                    break;
                }
                Ok(true) => self.row(&record, &columns, &mut sums, &preamble)?,
                Ok(false) => break,
                Err(e) => return Ok(self.csv_error(&e, preamble.lines)),
            }
            if sums.errors >= MAX_CELL_ERRORS {
                break;
            }
        }
        if sums.errors > 0 {
            return Ok(None);
        }
        let from_dates = sums.first_date.zip(sums.last_date).map(|(start, end)| Period { start, end });
        let from_header =
            preamble.start.zip(preamble.end).filter(|(s, e)| s <= e).map(|(start, end)| Period { start, end });
        Ok(Some(Table {
            source: self.index,
            file: self.source.file.clone(),
            kind,
            period: self.source.period.or(from_dates).or(from_header),
            rows: sums.rows,
            skipped: sums.skipped,
            pages: sums.pages,
        }))
    }

    /// The line of the file `record` is on, and its text: counted from the
    /// record's byte offset, past the blank and comment lines the reader
    /// skipped before it (it does not count them).
    fn line_of(&self, record: &csv::ByteRecord, preamble: &Preamble) -> (usize, String) {
        let Some(pos) = record.position() else { return (preamble.lines + 1, String::new()) };
        let found = || -> std::io::Result<(usize, String)> {
            let f = std::fs::File::open(self.path)?;
            let mut buf = BufReader::new(f);
            let mut lines = 1;
            let mut left = preamble.bytes + pos.byte();
            while left > 0 {
                let chunk = buf.fill_buf()?;
                if chunk.is_empty() {
                    break;
                }
                let n = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                lines += chunk[..n].iter().filter(|&&b| b == b'\n').count();
                buf.consume(n);
                left -= n as u64;
            }
            let mut text = Vec::new();
            loop {
                text.clear();
                if (&mut buf).take(64 * 1024).read_until(b'\n', &mut text)? == 0 {
                    break;
                }
                let t = String::from_utf8_lossy(&text).trim_end_matches(['\n', '\r']).to_string();
                if !(t.trim().is_empty() || t.starts_with('#')) {
                    return Ok((lines, t));
                }
                lines += 1;
            }
            Ok((lines, String::new()))
        };
        found().unwrap_or((preamble.lines + pos.line() as usize, String::new()))
    }

    /// A row with another number of cells than the header: GA4 puts a
    /// second table (the chart's series) after the first. The rest is not read.
    fn table_ends(&mut self, record: &csv::ByteRecord, header: usize, preamble: &Preamble) {
        let (line, text) = self.line_of(record, preamble);
        let problem = AnalyticsProblem::TableEnds { file: self.source.file.clone(), cells: record.len(), header };
        let mut d = Diagnostic::warning(&self.source.file, line, 1, problem);
        d.source_line = Some(text);
        self.diags.push(d.with_hint("rows from here on are not read; export one table per file, or remove the rest"));
    }

    fn csv_error(&mut self, e: &csv::Error, preamble_lines: usize) -> Option<Table> {
        let line = e.position().map_or(1, |p| p.line() as usize) + preamble_lines;
        let d = Diagnostic::error(&self.source.file, line, 1, AnalyticsProblem::Csv { error: e.to_string() });
        self.diags.push(d.with_hint("export the report again; a quote that is opened must be closed"));
        None
    }

    /// The shape of the header row, with `columns:` laid over it.
    fn columns(&mut self, names: Vec<String>, header_line: usize) -> Option<(ExportKind, Columns)> {
        let mut shape: Shape = shapes::recognise(&names);
        let mut ok = true;
        for m in &self.source.columns {
            match names.iter().position(|n| n.eq_ignore_ascii_case(m.header.trim())) {
                Some(i) => {
                    shape.set(m.field, i);
                    if m.field == Field::Url {
                        shape.kind = shapes::kind_of_url_header(&m.header);
                    }
                }
                None => {
                    ok = false;
                    let hint = did_you_mean(&m.header, names.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("the header of {} has: {}", self.source.file, names.join(", ")));
                    let problem = AnalyticsProblem::UnknownColumn {
                        header: m.header.clone(),
                        field: m.field.word(),
                        file: self.source.file.clone(),
                    };
                    self.diags.push(config_error(&m.at, problem, hint));
                }
            }
        }
        if !ok {
            return None;
        }
        let Some(url) = shape.column(Field::Url) else {
            let d = Diagnostic::error(
                &self.source.file,
                header_line,
                1,
                AnalyticsProblem::NoUrlColumn { file: self.source.file.clone() },
            );
            let hint = format!(
                "map the column that holds the page in handbook.yaml, e.g. `columns: {{url: \"{}\"}}`; the header has: {}",
                names.first().map_or("Page", String::as_str),
                names.join(", ")
            );
            self.diags.push(d.with_hint(hint));
            return None;
        };
        let metrics = shape.columns.iter().copied().filter(|(f, _)| f.is_metric()).collect();
        let columns =
            Columns { url, metrics, date: shape.column(Field::Date), segment: shape.column(Field::Segment), names };
        Some((shape.kind, columns))
    }

    /// Adds one data row to `sums`.
    fn row(
        &mut self,
        record: &csv::ByteRecord,
        cols: &Columns,
        sums: &mut Sums,
        preamble: &Preamble,
    ) -> std::io::Result<()> {
        sums.rows += 1;
        let url = text(record.get(cols.url).unwrap_or_default());
        if is_total(&url) || !normalise_into(&url, &mut sums.key) {
            sums.skipped += 1;
            return Ok(());
        }
        let mut m = Metrics::default();
        for &(field, i) in &cols.metrics {
            let cell = record.get(i).unwrap_or_default();
            match (number::parse_bytes(cell), m.slot(field)) {
                (Some(v), Some(slot)) => *slot = v,
                (None, _) => {
                    let problem =
                        AnalyticsProblem::NotANumber { column: cols.names[i].clone(), text: text(cell).trim().into() };
                    let hint = "write plain numbers (1234, \"1,234\", 12.5%); a blank cell counts as 0";
                    self.cell_error(record, i, preamble, problem, hint)?;
                    sums.errors += 1;
                }
                (Some(_), None) => {}
            }
        }
        if let Some(i) = cols.date {
            self.date(record, i, cols, sums, preamble)?;
        }
        let segment = cols.segment.map(|i| text(record.get(i).unwrap_or_default()));
        let segment =
            segment.as_deref().map(str::trim).filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("(not set)"));
        sums.add(&m, segment);
        Ok(())
    }

    /// Widens the file's dates to the row's (in column `i`).
    fn date(
        &mut self,
        record: &csv::ByteRecord,
        i: usize,
        cols: &Columns,
        sums: &mut Sums,
        preamble: &Preamble,
    ) -> std::io::Result<()> {
        let text = text(record.get(i).unwrap_or_default());
        match parse_date(&text) {
            Some(d) => {
                sums.first_date = Some(sums.first_date.map_or(d, |f| f.min(d)));
                sums.last_date = Some(sums.last_date.map_or(d, |l| l.max(d)));
            }
            None if text.trim().is_empty() => {}
            None => {
                let problem = AnalyticsProblem::BadDate { column: cols.names[i].clone(), text: text.trim().into() };
                self.cell_error(record, i, preamble, problem, "GA4 writes dates as 20260701; 2026-07-01 works too")?;
                sums.errors += 1;
            }
        }
        Ok(())
    }

    /// An error at cell `field` of `record`: the line and column as the
    /// file shows them (found by reading the record's line again).
    fn cell_error(
        &mut self,
        record: &csv::ByteRecord,
        field: usize,
        preamble: &Preamble,
        problem: AnalyticsProblem,
        hint: &str,
    ) -> std::io::Result<()> {
        let (line, text) = self.line_of(record, preamble);
        let column = column_of(&text, field);
        let width = record.get(field).map_or(1, |c| String::from_utf8_lossy(c).chars().count());
        let mut d = Diagnostic::error(&self.source.file, line, column, problem).with_hint(hint);
        d.source_line = Some(text);
        d.width = width.max(1);
        self.diags.push(d);
        Ok(())
    }
}

/// A cell as text (bytes that are no UTF-8 replaced), borrowed when it is UTF-8.
fn text(cell: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(cell)
}

/// A totals row: GA4 and HubSpot put one under the header or at the end.
fn is_total(url: &str) -> bool {
    let t = url.trim();
    ["total", "totals", "grand total", "grand totals"].iter().any(|w| t.eq_ignore_ascii_case(w))
}

/// 1-based column (in characters) where field `index` of a CSV line starts,
/// past its opening quote.
fn column_of(line: &str, index: usize) -> usize {
    let (mut field, mut quoted) = (0, false);
    let mut chars = line.chars().enumerate().peekable();
    if index == 0 {
        return if line.starts_with('"') { 2 } else { 1 };
    }
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                field += 1;
                if field == index {
                    let quote = chars.peek().is_some_and(|&(_, c)| c == '"');
                    return i + 2 + usize::from(quote);
                }
            }
            _ => {}
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_as_an_editor_counts_them() {
        let line = "/a,\"1,234\",x";
        assert_eq!(column_of(line, 0), 1);
        assert_eq!(column_of(line, 1), 5);
        assert_eq!(column_of(line, 2), 12);
        assert_eq!(column_of("\"/a\",b", 0), 2);
    }

    #[test]
    fn dates_as_exports_write_them() {
        assert_eq!(parse_date("20260701").map(|d| d.to_string()).as_deref(), Some("2026-07-01"));
        assert_eq!(parse_date("2026-07-01T00:00:00Z").map(|d| d.to_string()).as_deref(), Some("2026-07-01"));
        assert_eq!(parse_date("July"), None);
    }
}
