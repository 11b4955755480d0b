//! A small CSV writer: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark.

/// The UTF-8 byte-order mark that makes Excel and WPS read a CSV file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// A CSV table being written: rows of cells, quoted where needed.
///
/// # Example
///
/// ```
/// let mut csv = landpool::report::Csv::new(&["项目 Item", "金额 Amount"]);
/// csv.row(&["租金, rent", "1350.00"]);
/// assert_eq!(csv.finish(), "\u{feff}项目 Item,金额 Amount\r\n\"租金, rent\",1350.00\r\n");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Csv {
    text: String,
}

impl Csv {
    /// A table with a header row.
    ///
    /// # Example
    ///
    /// See [`Csv`].
    pub fn new(header: &[&str]) -> Csv {
        let mut csv = Csv {
            text: String::from(BOM),
        };
        csv.row(header);
        csv
    }

    /// Appends a row.
    ///
    /// # Example
    ///
    /// See [`Csv`].
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            let cell = cell.as_ref();
            if cell.contains([',', '"', '\n', '\r']) {
                self.text.push('"');
                self.text.push_str(&cell.replace('"', "\"\""));
                self.text.push('"');
            } else {
                self.text.push_str(cell);
            }
        }
        self.text.push_str("\r\n");
    }

    /// The whole file's text, starting with the byte-order mark.
    ///
    /// # Example
    ///
    /// See [`Csv`].
    pub fn finish(self) -> String {
        self.text
    }
}
