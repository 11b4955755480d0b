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
    /// ```
    /// let csv = landpool::report::Csv::new(&["户主 Head", "面积, mu"]);
    /// assert_eq!(csv.finish(), "\u{feff}户主 Head,\"面积, mu\"\r\n");
    /// ```
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
    /// ```
    /// let mut csv = landpool::report::Csv::new(&["memo", "amount"]);
    /// csv.row(&["plain", "1.00"]);
    /// csv.row(&[String::from("say \"hi\""), String::from("line\nbreak")]);
    /// assert_eq!(
    ///     csv.finish(),
    ///     "\u{feff}memo,amount\r\nplain,1.00\r\n\"say \"\"hi\"\"\",\"line\nbreak\"\r\n"
    /// );
    /// ```
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
    /// ```
    /// use landpool::report::{Csv, BOM};
    /// let text = Csv::new(&["a", "b"]).finish();
    /// assert!(text.starts_with(BOM));
    /// assert_eq!(text, "\u{feff}a,b\r\n");
    /// ```
    pub fn finish(self) -> String {
        self.text
    }
}
