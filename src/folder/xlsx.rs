//! The `.xlsx` package of the statements workbook, written directly: the sheets' XML, the
//! workbook's other parts and the zip around them.
//!
//! The XML is, part for part, what `rust_xlsxwriter` (the writer this replaced, kept as a
//! development dependency to check it) writes for the same sheets in its constant-memory
//! mode: inline strings, the same styles, column widths, frozen header row and document
//! properties. What differs is how it is made: a sheet's rows are written as XML and
//! deflated as they come, a run of rows ([`Rows`]) at a time on any thread, without
//! temporary files. Each run's deflate blocks end on a byte (a sync flush) and none is the
//! last, so that the runs of a sheet, with the small start of its XML (its dimension, which
//! sheet is selected, its columns) deflated last and put in front, and its end after them,
//! make one deflate stream.

use std::fmt::Write as _;
use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::Compression;

/// The deflate level of every part: level 2 makes a large workbook a fifth larger than the
/// default (6) in much less time.
const LEVEL: u32 = 2;

/// The most characters (in UTF-16 units) Excel holds in a cell.
const MAX_CELL_LEN: usize = 32_767;

/// The most characters (in UTF-16 units) of a sheet's name.
const MAX_NAME_LEN: usize = 31;

/// Excel's columns: `A` to `XFD`.
pub(crate) const MAX_COLUMNS: usize = 16_384;

/// Bytes of XML gathered before they are deflated.
const CHUNK: usize = 1 << 16;

/// A cell's style, by its number in the workbook's `styles.xml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Excel's default.
    Plain = 0,
    /// The header row: bold, with a thin bottom border.
    Header = 1,
    /// Amounts: `#,##0.00`.
    Money = 2,
    /// Whole numbers: `0`.
    Whole = 3,
}

/// A column of a sheet: its width in characters and the style of its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Column {
    /// Width in Excel's characters (of the default font's digits).
    pub(crate) width: u32,
    /// The style the column and its cells take.
    pub(crate) style: Style,
}

/// What is wrong with a cell or a sheet: the message of a [`super::FolderError::Workbook`].
pub(crate) type Problem = String;

/// A sheet's name checked as Excel checks it.
///
/// # Errors
///
/// What is wrong with it: empty, longer than 31 characters, one of `[]:*?/\` in it, a
/// character XML cannot hold (a control character, U+FFFE or U+FFFF: the workbook would not
/// open), an apostrophe first or last, or `History` (which Excel keeps for itself).
pub(crate) fn check_name(name: &str) -> Result<(), Problem> {
    if name.is_empty() {
        return Err("a sheet's name cannot be empty".into());
    }
    if name.encode_utf16().count() > MAX_NAME_LEN {
        return Err(format!(
            "a sheet's name is at most {MAX_NAME_LEN} characters long"
        ));
    }
    if name.contains(['*', '?', ':', '[', ']', '\\', '/']) {
        return Err("a sheet's name cannot hold any of [ ] : * ? / \\".into());
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return Err("a sheet's name cannot begin or end with an apostrophe".into());
    }
    if name
        .chars()
        .any(|c| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
    {
        return Err("a sheet's name cannot hold a control character".into());
    }
    if name.eq_ignore_ascii_case("history") {
        return Err("a sheet cannot be named History: Excel keeps the name for itself".into());
    }
    Ok(())
}

/// The letters of the column numbered `col` (from 0): `A`, …, `Z`, `AA`, ….
fn column_name(col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col.saturating_add(1);
    while n > 0 {
        let digit = (n.saturating_sub(1)) % 26;
        letters.push(b'A'.saturating_add(u8::try_from(digit).unwrap_or(0)));
        n = n.saturating_sub(1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A deflated part of the package: the deflate stream, the CRC-32 and length of what it
/// holds.
pub(crate) struct Deflated {
    bytes: Vec<u8>,
    crc: crc32fast::Hasher,
    len: u64,
}

impl Deflated {
    /// `xml` deflated, the end of a stream.
    fn whole(xml: &[u8]) -> std::io::Result<Deflated> {
        Deflated::of(xml, true)
    }

    /// `xml` deflated as a part of a stream that others follow: its blocks end on a byte
    /// (a sync flush) and none is the last.
    fn flushed(xml: &[u8]) -> std::io::Result<Deflated> {
        Deflated::of(xml, false)
    }

    fn of(xml: &[u8], last: bool) -> std::io::Result<Deflated> {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::new(LEVEL));
        encoder.write_all(xml)?;
        let mut crc = crc32fast::Hasher::new();
        crc.update(xml);
        Ok(Deflated {
            bytes: match last {
                true => encoder.finish()?,
                false => flush(&mut encoder)?,
            },
            crc,
            len: u64::try_from(xml.len()).unwrap_or(u64::MAX),
        })
    }
}

/// The blocks `encoder` has made, the last ending on a byte (a sync flush) and none the
/// stream's last.
fn flush(encoder: &mut DeflateEncoder<Vec<u8>>) -> std::io::Result<Vec<u8>> {
    encoder.flush()?;
    // The encoder finishes its stream when dropped, into the emptied buffer.
    Ok(std::mem::take(encoder.get_mut()))
}

/// A run of a sheet's rows, written as XML and deflated as they come.
pub(crate) struct Rows {
    /// Each column's letters and the ` s="N"` of its style (empty for none).
    columns: Vec<(String, &'static str)>,
    xml: Vec<u8>,
    encoder: DeflateEncoder<Vec<u8>>,
    crc: crc32fast::Hasher,
    len: u64,
    /// The row being written (from 0), once it has a cell.
    open: Option<u32>,
    /// Its number (from 1) as text, for its cells' references.
    number: String,
    /// The last row with a cell.
    last_row: Option<u32>,
}

/// The ` s="N"` of a style.
fn style_attribute(style: Style) -> &'static str {
    match style {
        Style::Plain => "",
        Style::Header => " s=\"1\"",
        Style::Money => " s=\"2\"",
        Style::Whole => " s=\"3\"",
    }
}

impl Rows {
    /// A run of rows, to be written, of a sheet of `columns`.
    pub(crate) fn new(columns: &[Column]) -> Rows {
        Rows {
            columns: columns
                .iter()
                .enumerate()
                .map(|(col, column)| (column_name(col), style_attribute(column.style)))
                .collect(),
            xml: Vec::with_capacity(CHUNK.saturating_add(4096)),
            encoder: DeflateEncoder::new(Vec::new(), Compression::new(LEVEL)),
            crc: crc32fast::Hasher::new(),
            len: 0,
            open: None,
            number: String::new(),
            last_row: None,
        }
    }

    /// Starts the cell at `row`, `col` (closing the row before if this is a later one),
    /// with the style `style`.
    fn cell(&mut self, row: u32, col: usize, style: &str) {
        if self.open != Some(row) {
            if self.open.take().is_some() {
                self.xml.extend_from_slice(b"</row>");
            }
            self.number.clear();
            // Writing into a `String` cannot fail.
            let _ = write!(self.number, "{}", u64::from(row).saturating_add(1));
            self.xml.extend_from_slice(b"<row r=\"");
            self.xml.extend_from_slice(self.number.as_bytes());
            self.xml.extend_from_slice(b"\">");
            self.open = Some(row);
            self.last_row = Some(row);
        }
        let Rows {
            columns,
            xml,
            number,
            ..
        } = self;
        xml.extend_from_slice(b"<c r=\"");
        match columns.get(col) {
            Some((name, _)) => xml.extend_from_slice(name.as_bytes()),
            None => xml.extend_from_slice(column_name(col).as_bytes()),
        }
        xml.extend_from_slice(number.as_bytes());
        xml.push(b'"');
        xml.extend_from_slice(style.as_bytes());
    }

    fn column_style(&self, col: usize) -> &'static str {
        self.columns.get(col).map_or("", |(_, style)| style)
    }

    /// A header cell (bold): `text`, or a blank cell of the header's style if it is empty.
    ///
    /// # Errors
    ///
    /// The cell is longer than Excel allows; the deflating fails.
    pub(crate) fn header(&mut self, col: usize, text: &str) -> Result<(), Problem> {
        let style = style_attribute(Style::Header);
        if text.is_empty() {
            self.cell(0, col, style);
            self.xml.extend_from_slice(b"/>");
            return self.spill();
        }
        self.string(0, col, text, style)
    }

    /// A text cell at `row`, `col`, in its column's style.
    ///
    /// # Errors
    ///
    /// The cell is longer than Excel allows; the deflating fails.
    pub(crate) fn text(&mut self, row: u32, col: usize, text: &str) -> Result<(), Problem> {
        let style = self.column_style(col);
        self.string(row, col, text, style)
    }

    fn string(&mut self, row: u32, col: usize, text: &str, style: &str) -> Result<(), Problem> {
        if text.len() > MAX_CELL_LEN && text.encode_utf16().count() > MAX_CELL_LEN {
            return Err(format!(
                "the cell {}{} is longer than Excel's {MAX_CELL_LEN} characters",
                column_name(col),
                row.saturating_add(1)
            ));
        }
        self.cell(row, col, style);
        self.xml.extend_from_slice(b" t=\"inlineStr\"><is><t");
        if text.starts_with(['\t', '\n', ' ']) || text.ends_with(['\t', '\n', ' ']) {
            self.xml.extend_from_slice(b" xml:space=\"preserve\"");
        }
        self.xml.push(b'>');
        escape(&mut self.xml, text);
        self.xml.extend_from_slice(b"</t></is></c>");
        self.spill()
    }

    /// A number cell at `row`, `col`, in its column's style: `decimal` is a plain decimal
    /// (an optional minus, digits, an optional fraction), written as Excel's shortest text
    /// of the number (`1350.00` → `1350`, `0.50` → `0.5`).
    ///
    /// # Errors
    ///
    /// The deflating fails.
    pub(crate) fn number(&mut self, row: u32, col: usize, decimal: &str) -> Result<(), Problem> {
        let style = self.column_style(col);
        self.cell(row, col, style);
        self.xml.extend_from_slice(b"><v>");
        let (whole, fraction) = decimal.split_once('.').unwrap_or((decimal, ""));
        self.xml.extend_from_slice(whole.as_bytes());
        let fraction = fraction.trim_end_matches('0');
        if !fraction.is_empty() {
            self.xml.push(b'.');
            self.xml.extend_from_slice(fraction.as_bytes());
        }
        self.xml.extend_from_slice(b"</v></c>");
        self.spill()
    }

    /// Deflates the XML gathered once there is a chunk of it.
    fn spill(&mut self) -> Result<(), Problem> {
        if self.xml.len() >= CHUNK {
            self.deflate().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn deflate(&mut self) -> std::io::Result<()> {
        self.crc.update(&self.xml);
        self.len = self
            .len
            .saturating_add(u64::try_from(self.xml.len()).unwrap_or(u64::MAX));
        self.encoder.write_all(&self.xml)?;
        self.xml.clear();
        Ok(())
    }

    /// The run of rows deflated (a part of its sheet's stream), with the last row that has
    /// a cell.
    ///
    /// # Errors
    ///
    /// The deflating fails.
    pub(crate) fn finish(mut self) -> Result<Run, Problem> {
        if self.open.take().is_some() {
            self.xml.extend_from_slice(b"</row>");
        }
        self.deflate().map_err(|e| e.to_string())?;
        let bytes = flush(&mut self.encoder).map_err(|e| e.to_string())?;
        Ok(Run {
            rows: Deflated {
                bytes,
                crc: self.crc,
                len: self.len,
            },
            last_row: self.last_row,
        })
    }
}

/// A run of a sheet's rows, deflated, and the last of them that has a cell.
pub(crate) struct Run {
    rows: Deflated,
    last_row: Option<u32>,
}

/// Writes `text` as XML character data the way Excel does: `&`, `<` and `>` as entities,
/// control characters (but tab and line feed) and U+FFFE, U+FFFF as `_xHHHH_`, and a text
/// that already reads `_xHHHH_` with its underscore escaped (`_x005F_xHHHH_`).
fn escape(out: &mut Vec<u8>, text: &str) {
    escape_data(out, text, true);
}

/// [`escape`], with or without the escaping of a text that reads `_xHHHH_` (Excel's
/// document properties do not escape it).
fn escape_data(out: &mut Vec<u8>, text: &str, underscores: bool) {
    let plain = text.bytes().all(|b| {
        !matches!(b, b'&' | b'<' | b'>' | b'_' | 0xEF) && (b >= 0x20 || b == b'\t' || b == b'\n')
    });
    if plain {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let bytes = text.as_bytes();
    for (at, ch) in text.char_indices() {
        if underscores && ch == '_' && excel_escape(bytes.get(at..).unwrap_or_default()) {
            out.extend_from_slice(b"_x005F");
        }
        match ch {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '\t' | '\n' => out.push(u8::try_from(u32::from(ch)).unwrap_or(b' ')),
            '\0'..='\x1F' | '\u{FFFE}' | '\u{FFFF}' => {
                out.extend_from_slice(format!("_x{:04X}_", u32::from(ch)).as_bytes());
            }
            _ => {
                let mut buffer = [0; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
}

/// Whether `bytes` begins with `_xHHHH_` (four hexadecimal digits).
fn excel_escape(bytes: &[u8]) -> bool {
    match bytes.get(..7) {
        Some([b'_', b'x', digits @ .., b'_']) => digits.iter().all(u8::is_ascii_hexdigit),
        _ => false,
    }
}

/// Writes `text` as an XML attribute's value: `&`, `"`, `<`, `>` and line feeds escaped.
fn attribute(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("&#xA;"),
            _ => out.push(ch),
        }
    }
}

/// A sheet of the package: its name, columns and rows.
pub(crate) struct Sheet {
    /// The sheet's name (checked with [`check_name`]).
    pub(crate) name: String,
    /// Its columns.
    pub(crate) columns: Vec<Column>,
    /// Its rows, in runs in their order.
    pub(crate) runs: Vec<Run>,
    /// Whether the header row is frozen (every statement sheet; not Excel's default sheet).
    pub(crate) frozen: bool,
}

/// The start of a sheet's XML, before its rows.
fn sheet_start(sheet: &Sheet, selected: bool, last_row: Option<u32>) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet \
         xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    xml.push_str("<dimension ref=\"");
    match (sheet.columns.len(), last_row.unwrap_or(0)) {
        (0, _) | (1, 0) => xml.push_str("A1"),
        (columns, row) => {
            xml.push_str("A1:");
            xml.push_str(&column_name(columns.saturating_sub(1)));
            xml.push_str(&row.saturating_add(1).to_string());
        }
    }
    xml.push_str("\"/><sheetViews><sheetView ");
    if selected {
        xml.push_str("tabSelected=\"1\" ");
    }
    xml.push_str("workbookViewId=\"0\"");
    if sheet.frozen {
        xml.push_str(
            "><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" \
             state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>",
        );
    } else {
        xml.push_str("/>");
    }
    xml.push_str("</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    // Neighbouring columns of the same width and style are one <col> element.
    let mut groups: Vec<(usize, usize, Column)> = Vec::new();
    for (at, column) in sheet.columns.iter().enumerate() {
        match groups.last_mut() {
            Some((_, last, same)) if same == column => *last = at,
            _ => groups.push((at, at, *column)),
        }
    }
    if !groups.is_empty() {
        xml.push_str("<cols>");
        for (first, last, column) in groups {
            xml.push_str(&format!(
                "<col min=\"{}\" max=\"{}\" width=\"{}\"{} customWidth=\"1\"/>",
                first.saturating_add(1),
                last.saturating_add(1),
                width_text(column.width),
                match column.style {
                    Style::Plain => String::new(),
                    style => format!(" style=\"{}\"", style as u8),
                },
            ));
        }
        xml.push_str("</cols>");
    }
    xml.push_str(match last_row {
        Some(_) => "<sheetData>",
        None => "<sheetData/>",
    });
    xml
}

/// The end of a sheet's XML, after its rows.
fn sheet_end(last_row: Option<u32>) -> String {
    let mut xml = String::from(match last_row {
        Some(_) => "</sheetData>",
        None => "",
    });
    xml.push_str(
        "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" \
         header=\"0.3\" footer=\"0.3\"/></worksheet>",
    );
    xml
}

/// A column width of `chars` characters as Excel writes it: whole pixels (seven a
/// character and five of padding for Calibri 11) back in characters to 1/256:
/// `12` → `12.7109375`.
fn width_text(chars: u32) -> String {
    let pixels = u64::from(chars).saturating_mul(7).saturating_add(5);
    let units = pixels.saturating_mul(256) / 7;
    let whole = units / 256;
    // A multiple of 1/256 has at most eight decimals: k/256 = k × 390625 / 10^8.
    let fraction = (units % 256).saturating_mul(390_625);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:08}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// The workbook's styles: Excel's default, the header's, amounts' and whole numbers'.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"#,##0.00\"/><numFmt numFmtId=\"165\" formatCode=\"0\"/></numFmts><fonts count=\"2\"><font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/></font><font><b/><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyBorder=\"1\"/><xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium9\" defaultPivotStyle=\"PivotStyleLight16\"/></styleSheet>";

/// The package's relationships.
const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

/// Excel's default Office theme, which the styles' colours refer to.
const THEME: &[u8] = include_bytes!("theme1.xml");

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The workbook's `[Content_Types].xml` for `sheets` sheets.
fn content_types(sheets: usize) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/theme/theme1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
    for n in 1..=sheets {
        xml.push_str(&format!("<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"));
    }
    xml.push_str("</Types>");
    xml
}

/// `xl/_rels/workbook.xml.rels`: the sheets, the theme and the styles.
fn workbook_rels(sheets: usize) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    let kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    for n in 1..=sheets {
        xml.push_str(&format!("<Relationship Id=\"rId{n}\" Type=\"{kind}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"));
    }
    let theme = sheets.saturating_add(1);
    let styles = sheets.saturating_add(2);
    xml.push_str(&format!("<Relationship Id=\"rId{theme}\" Type=\"{kind}/theme\" Target=\"theme/theme1.xml\"/><Relationship Id=\"rId{styles}\" Type=\"{kind}/styles\" Target=\"styles.xml\"/></Relationships>"));
    xml
}

/// `xl/workbook.xml`: the sheets by name.
fn workbook_xml(names: &[&str]) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><fileVersion appName=\"xl\" lastEdited=\"4\" lowestEdited=\"4\" rupBuild=\"4505\"/><workbookPr defaultThemeVersion=\"124226\"/><bookViews><workbookView xWindow=\"240\" yWindow=\"15\" windowWidth=\"16095\" windowHeight=\"9660\"/></bookViews><sheets>");
    for (n, name) in (1..).zip(names) {
        xml.push_str("<sheet name=\"");
        attribute(&mut xml, name);
        xml.push_str(&format!("\" sheetId=\"{n}\" r:id=\"rId{n}\"/>"));
    }
    xml.push_str("</sheets><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>");
    xml
}

/// `docProps/core.xml`: created and modified at `created` (midnight, UTC).
fn core_xml(created: time::Date) -> String {
    let stamp = format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        created.year(),
        u8::from(created.month()),
        created.day()
    );
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str("<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>");
    xml.push_str(&format!("<dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified></cp:coreProperties>"));
    xml
}

/// `docProps/app.xml`: the sheets' names.
fn app_xml(names: &[&str]) -> String {
    let count = names.len();
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str("<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size=\"2\" baseType=\"variant\"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant>");
    xml.push_str(&format!("<vt:i4>{count}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size=\"{count}\" baseType=\"lpstr\">"));
    for name in names {
        xml.push_str("<vt:lpstr>");
        let mut escaped = Vec::new();
        escape_data(&mut escaped, name, false);
        xml.push_str(&String::from_utf8_lossy(&escaped));
        xml.push_str("</vt:lpstr>");
    }
    xml.push_str("</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>");
    xml
}

/// A workbook's bytes in the order they are written: the zip's headers and small parts
/// gathered in pieces of their own, and each run of a sheet's rows as it was deflated. A
/// county's sheets are about a hundred megabytes deflated: written to a file piece by
/// piece, they are not first copied into one buffer (fresh memory the kernel clears, only
/// to copy it again into the file).
#[derive(Debug, Default)]
pub(crate) struct Package {
    pieces: Vec<Vec<u8>>,
}

impl Package {
    /// Bytes in all.
    pub(crate) fn len(&self) -> usize {
        self.pieces.iter().map(Vec::len).sum()
    }

    /// The pieces, in the order they are written (none empty).
    pub(crate) fn into_pieces(self) -> Vec<Vec<u8>> {
        let mut pieces = self.pieces;
        pieces.retain(|piece| !piece.is_empty());
        pieces
    }

    /// The pieces as one list of bytes (the only piece itself, when there is one).
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        super::outputs::joined(self.into_pieces())
    }

    /// Adds `bytes` to the last piece.
    fn extend(&mut self, bytes: &[u8]) {
        match self.pieces.last_mut() {
            Some(last) => last.extend_from_slice(bytes),
            None => self.pieces.push(bytes.to_vec()),
        }
    }

    /// Adds `bytes`: copied into the last piece when small, a piece of its own otherwise,
    /// after which a new piece gathers what comes next.
    fn push(&mut self, bytes: Vec<u8>) {
        if bytes.len() < OWN_PIECE {
            self.extend(&bytes);
            return;
        }
        self.pieces.push(bytes);
        self.pieces.push(Vec::new());
    }
}

/// Deflated parts of at least this many bytes are pieces of a [`Package`] of their own.
const OWN_PIECE: usize = 1 << 16;

/// The finished package: `sheets` in their order (the first selected), with the
/// workbook's other parts, as a zip. A workbook without sheets gets Excel's empty `Sheet1`.
///
/// # Errors
///
/// A part or the whole is larger than a zip without its 64-bit extension holds (4 GiB);
/// the deflating fails.
pub(crate) fn package(sheets: Vec<Sheet>, created: time::Date) -> Result<Package, Problem> {
    let mut sheets = sheets;
    if sheets.is_empty() {
        sheets.push(Sheet {
            name: "Sheet1".into(),
            columns: Vec::new(),
            runs: Vec::new(),
            frozen: false,
        });
    }
    let names: Vec<&str> = sheets.iter().map(|sheet| sheet.name.as_str()).collect();
    let io = |e: std::io::Error| e.to_string();
    let mut zip = Zip::new();
    let small = |xml: &[u8]| Deflated::whole(xml).map(|part| vec![part]).map_err(io);
    let count = sheets.len();
    zip.add(
        "[Content_Types].xml",
        small(content_types(count).as_bytes())?,
    )?;
    zip.add("_rels/.rels", small(RELS.as_bytes())?)?;
    zip.add(
        "xl/_rels/workbook.xml.rels",
        small(workbook_rels(count).as_bytes())?,
    )?;
    zip.add("xl/theme/theme1.xml", small(THEME)?)?;
    zip.add("xl/styles.xml", small(STYLES.as_bytes())?)?;
    zip.add("xl/workbook.xml", small(workbook_xml(&names).as_bytes())?)?;
    let core = core_xml(created);
    let app = app_xml(&names);
    for (n, sheet) in (1..).zip(sheets) {
        let last_row = sheet.runs.iter().filter_map(|run| run.last_row).max();
        let start = sheet_start(&sheet, n == 1, last_row);
        let mut parts = Vec::with_capacity(sheet.runs.len().saturating_add(2));
        parts.push(Deflated::flushed(start.as_bytes()).map_err(io)?);
        parts.extend(sheet.runs.into_iter().map(|run| run.rows));
        parts.push(Deflated::whole(sheet_end(last_row).as_bytes()).map_err(io)?);
        zip.add(&format!("xl/worksheets/sheet{n}.xml"), parts)?;
    }
    zip.add("docProps/core.xml", small(core.as_bytes())?)?;
    zip.add("docProps/app.xml", small(app.as_bytes())?)?;
    zip.finish()
}

/// A zip archive being written: each part's local header and data, then the central
/// directory. Every part is deflated, dated 1980-01-01 and readable by its owner only
/// (Unix mode 600), as `rust_xlsxwriter` made them.
struct Zip {
    bytes: Package,
    directory: Vec<u8>,
    entries: u16,
}

/// DOS date of 1980-01-01: (year − 1980) << 9 | month << 5 | day.
const DOS_DATE: u16 = (1 << 5) | 1;

impl Zip {
    fn new() -> Zip {
        Zip {
            bytes: Package::default(),
            directory: Vec::new(),
            entries: 0,
        }
    }

    /// Adds the part `name`, deflated as `parts`, one deflate stream in pieces (each
    /// piece's blocks but the last piece's end on a byte and are not the stream's last).
    fn add(&mut self, name: &str, parts: Vec<Deflated>) -> Result<(), Problem> {
        let too_large = || format!("the part {name} is larger than a workbook holds (4 GiB)");
        let offset = u32::try_from(self.bytes.len()).map_err(|_| too_large())?;
        let mut checksum = crc32fast::Hasher::new();
        let (mut compressed, mut len) = (0usize, 0u64);
        for part in &parts {
            checksum.combine(&part.crc);
            compressed = compressed.saturating_add(part.bytes.len());
            len = len.saturating_add(part.len);
        }
        let compressed = u32::try_from(compressed).map_err(|_| too_large())?;
        let len = u32::try_from(len).map_err(|_| too_large())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_large())?;
        self.entries = self
            .entries
            .checked_add(1)
            .ok_or_else(|| "too many parts for a workbook".to_string())?;
        let crc = checksum.finalize();
        // The fields the local header and the central directory share.
        let mut common = Vec::with_capacity(26);
        common.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
        common.extend_from_slice(&0u16.to_le_bytes()); // flags
        common.extend_from_slice(&8u16.to_le_bytes()); // deflated
        common.extend_from_slice(&0u16.to_le_bytes()); // time 00:00
        common.extend_from_slice(&DOS_DATE.to_le_bytes());
        common.extend_from_slice(&crc.to_le_bytes());
        common.extend_from_slice(&compressed.to_le_bytes());
        common.extend_from_slice(&len.to_le_bytes());
        common.extend_from_slice(&name_len.to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes()); // extra field
        self.bytes.extend(&0x0403_4b50u32.to_le_bytes());
        self.bytes.extend(&common);
        self.bytes.extend(name.as_bytes());
        for part in parts {
            self.bytes.push(part.bytes);
        }
        self.directory
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.directory
            .extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made on Unix, 2.0
        self.directory.extend_from_slice(&common);
        self.directory.extend_from_slice(&0u16.to_le_bytes()); // comment
        self.directory.extend_from_slice(&0u16.to_le_bytes()); // disk
        self.directory.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        self.directory
            .extend_from_slice(&(0o100_600u32 << 16).to_le_bytes()); // a file, mode 600
        self.directory.extend_from_slice(&offset.to_le_bytes());
        self.directory.extend_from_slice(name.as_bytes());
        Ok(())
    }

    fn finish(mut self) -> Result<Package, Problem> {
        let too_large = || "the workbook is larger than it can hold (4 GiB)".to_string();
        let offset = u32::try_from(self.bytes.len()).map_err(|_| too_large())?;
        let size = u32::try_from(self.directory.len()).map_err(|_| too_large())?;
        offset.checked_add(size).ok_or_else(too_large)?;
        self.bytes.extend(&self.directory);
        self.bytes.extend(&0x0605_4b50u32.to_le_bytes());
        self.bytes.extend(&0u16.to_le_bytes()); // this disk
        self.bytes.extend(&0u16.to_le_bytes()); // the directory's disk
        self.bytes.extend(&self.entries.to_le_bytes());
        self.bytes.extend(&self.entries.to_le_bytes());
        self.bytes.extend(&size.to_le_bytes());
        self.bytes.extend(&offset.to_le_bytes());
        self.bytes.extend(&0u16.to_le_bytes()); // comment
        Ok(self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_keeps_large_parts_as_pieces_of_their_own() {
        let mut package = Package::default();
        package.extend(b"PK");
        package.push(vec![1; 10]);
        let large = vec![2; OWN_PIECE];
        package.push(large.clone());
        package.extend(b"header");
        package.push(vec![3; OWN_PIECE.saturating_add(1)]);
        package.push(vec![4; 3]);
        assert_eq!(package.len(), 2 + 10 + OWN_PIECE + 6 + OWN_PIECE + 1 + 3);
        let pieces = package.into_pieces();
        let lens: Vec<usize> = pieces.iter().map(Vec::len).collect();
        assert_eq!(lens, [12, OWN_PIECE, 6, OWN_PIECE + 1, 3]);
        assert_eq!(pieces.get(1), Some(&large));

        let mut package = Package::default();
        package.extend(b"PK");
        package.push(large.clone());
        package.extend(b"end");
        let mut expected = b"PK".to_vec();
        expected.extend_from_slice(&large);
        expected.extend_from_slice(b"end");
        assert_eq!(package.into_bytes(), expected);

        // One piece is handed over as it is; none gives no bytes.
        let mut package = Package::default();
        package.extend(b"only");
        assert_eq!(package.into_bytes(), b"only");
        assert!(Package::default().into_bytes().is_empty());
    }

    #[test]
    fn columns_are_named_as_excel_names_them() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702, 16_383]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(
            names,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]
        );
    }

    #[test]
    fn widths_are_whole_pixels_in_characters() {
        assert_eq!(width_text(12), "12.7109375");
        assert_eq!(width_text(6), "6.7109375");
        assert_eq!(width_text(48), "48.7109375");
        assert_eq!(width_text(0), "0.7109375");
    }

    #[test]
    fn text_is_escaped_as_excel_escapes_it() {
        let escaped = |text: &str| {
            let mut out = Vec::new();
            escape(&mut out, text);
            String::from_utf8(out).unwrap_or_default()
        };
        assert_eq!(escaped("股金 & <租金>"), "股金 &amp; &lt;租金&gt;");
        assert_eq!(escaped("a\tb\nc\rd\u{1}"), "a\tb\nc_x000D_d_x0001_");
        assert_eq!(escaped("_x0041_ _x12G4_ _x"), "_x005F_x0041_ _x12G4_ _x");
        assert_eq!(escaped("\u{fffe}（全角）"), "_xFFFE_（全角）");
        assert_eq!(escaped("\"quoted\" 'too'"), "\"quoted\" 'too'");
    }

    #[test]
    fn sheet_names_are_checked_as_excel_checks_them() {
        assert!(check_name("试算平衡表 Trial balance (2)").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("bad [name]").is_err());
        assert!(check_name("a/b").is_err());
        assert!(check_name("'quoted'").is_err());
        assert!(check_name(&"表".repeat(31)).is_ok());
        assert!(check_name(&"表".repeat(32)).is_err());
        // XML 1.0 cannot hold these: the workbook would not open.
        assert!(check_name("表\u{1}一").is_err());
        assert!(check_name("表\u{ffff}").is_err());
        assert!(check_name("HISTORY").is_err());
        assert!(check_name("History of rents").is_ok());
    }

    #[test]
    fn a_cell_longer_than_excel_holds_is_refused_with_its_place() {
        let mut rows = Rows::new(&[Column {
            width: 10,
            style: Style::Plain,
        }]);
        assert_eq!(rows.text(1, 0, &"字".repeat(MAX_CELL_LEN)), Ok(()));
        let long = rows.text(2, 0, &"字".repeat(MAX_CELL_LEN + 1));
        assert_eq!(
            long,
            Err("the cell A3 is longer than Excel's 32767 characters".to_string())
        );
    }

    #[test]
    fn numbers_are_written_in_their_shortest_form() {
        let mut rows = Rows::new(&[Column {
            width: 10,
            style: Style::Money,
        }]);
        for (row, decimal) in (1..).zip(["1350.00", "0.50", "-0.00", "-12.30", "7", "0.000"]) {
            assert_eq!(rows.number(row, 0, decimal), Ok(()));
        }
        let xml = String::from_utf8(rows.xml.clone()).unwrap_or_default();
        let values: Vec<&str> = xml
            .split("<v>")
            .skip(1)
            .filter_map(|v| v.split("</v>").next())
            .collect();
        assert_eq!(values, ["1350", "0.5", "-0", "-12.3", "7", "0"]);
        assert!(xml.starts_with("<row r=\"2\"><c r=\"A2\" s=\"2\"><v>1350</v></c></row>"));
    }
}
