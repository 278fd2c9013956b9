//! Line credit for long procedural outputs (LongProc): how much of a reference procedure an
//! output reproduces, line by line. Shared by the LongProc checkers (`route`, `countdown`).
//!
//! Lines are compared after trimming surrounding white space and collapsing inner runs of it to
//! one space; blank lines are dropped. Indentation therefore never makes a right line wrong
//! (the original's theory-of-mind checker dropped indented lines, scoring a correct indented
//! answer 0), and never makes a wrong line right.
//!
//! Two credits, each in `[0, 1]`, both over `max(reference lines, output lines)` so that lines
//! added beyond the reference cost as much as lines left out:
//! - [`prefix_credit`]: the lines matched before the first wrong line. A wrong first line gives
//!   0; the first wrong line itself is never credited; a complete, correct output with nothing
//!   extra gives exactly 1.
//! - [`resync_credit`]: the lines aligned by a longest common subsequence, so one slip (a
//!   line dropped, added or garbled) costs that line only, not everything after it.
//!
//! Worked example. Reference `A B C D` (four lines):
//!
//! | output        | prefix      | resync      |
//! |---------------|-------------|-------------|
//! | `A B C D`     | 4/4 = 1     | 4/4 = 1     |
//! | `A B C D E`   | 4/5 = 0.8   | 4/5 = 0.8   |
//! | `A B`         | 2/4 = 0.5   | 2/4 = 0.5   |
//! | `A X C D`     | 1/4 = 0.25  | 3/4 = 0.75  |
//! | `A C D`       | 1/4 = 0.25  | 3/4 = 0.75  |
//! | `X A B C D`   | 0/5 = 0     | 4/5 = 0.8   |
//! | (no lines)    | 0           | 0           |

/// The values of a LongProc checker whose headline is right or wrong, in order.
pub const VALUES: &[&str] = &[
    "accuracy",
    "prefix_credit",
    "resync_credit",
    "extraction_rate",
];

/// [`VALUES`] for one answer: `accuracy` 1 when `right`, the two line credits, and
/// `extraction_rate` 1 when an answer was `extracted`.
pub fn values(right: bool, credit: &LineCredit, extracted: bool) -> Vec<(&'static str, f64)> {
    let one = |b: bool| if b { 1.0 } else { 0.0 };
    vec![
        ("accuracy", one(right)),
        ("prefix_credit", credit.prefix_credit),
        ("resync_credit", credit.resync_credit),
        ("extraction_rate", one(extracted)),
    ]
}

/// [`VALUES`] for an output holding no answer: every value 0.
pub fn nothing_extracted() -> Vec<(&'static str, f64)> {
    VALUES.iter().map(|&v| (v, 0.0)).collect()
}

/// A line as compared: trimmed, inner white space collapsed to one space.
pub fn normalise_line(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The non-blank lines of `text`, normalised by [`normalise_line`].
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(normalise_line)
        .filter(|l| !l.is_empty())
        .collect()
}

/// How an output's lines compare with a reference's.
#[derive(Debug, Clone, PartialEq)]
pub struct LineCredit {
    pub reference_lines: usize,
    pub output_lines: usize,
    /// Lines equal to the reference's before the first difference.
    pub matched_prefix: usize,
    /// Lines of the longest common subsequence.
    pub aligned: usize,
    /// `matched_prefix / max(reference_lines, output_lines)`; 1 when both are empty.
    pub prefix_credit: f64,
    /// `aligned / max(reference_lines, output_lines)`; 1 when both are empty.
    pub resync_credit: f64,
}

impl LineCredit {
    /// Compares normalised lines (see [`lines`]).
    pub fn of(reference: &[String], output: &[String]) -> Self {
        let matched_prefix = reference
            .iter()
            .zip(output)
            .take_while(|(r, o)| r == o)
            .count();
        let aligned = common_subsequence(reference, output);
        let whole = reference.len().max(output.len());
        let credit = |n: usize| {
            if whole == 0 {
                1.0
            } else {
                n as f64 / whole as f64
            }
        };
        LineCredit {
            reference_lines: reference.len(),
            output_lines: output.len(),
            matched_prefix,
            aligned,
            prefix_credit: credit(matched_prefix),
            resync_credit: credit(aligned),
        }
    }

    /// Whether the output is the reference, line for line, with nothing extra.
    pub fn exact(&self) -> bool {
        self.matched_prefix == self.reference_lines && self.output_lines == self.reference_lines
    }

    /// The first line where the output departs from the reference (1-based), if it does.
    pub fn first_wrong(&self) -> Option<usize> {
        (!self.exact()).then_some(self.matched_prefix + 1)
    }
}

/// Lines matched before the first wrong line, over the longer of the two.
pub fn prefix_credit(reference: &[String], output: &[String]) -> f64 {
    LineCredit::of(reference, output).prefix_credit
}

/// Lines aligned by a longest common subsequence, over the longer of the two.
pub fn resync_credit(reference: &[String], output: &[String]) -> f64 {
    LineCredit::of(reference, output).resync_credit
}

/// Length of the longest common subsequence of two line lists: O(n m) time, O(m) memory.
/// Lines are first replaced by small integers, so each comparison is one integer compare.
fn common_subsequence(a: &[String], b: &[String]) -> usize {
    let mut ids: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let a: Vec<u32> = a.iter().map(|s| intern(&mut ids, s)).collect();
    let b: Vec<u32> = b.iter().map(|s| intern(&mut ids, s)).collect();
    // Shared prefix and suffix are always aligned; only the middle needs the table.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[head..], &b[head..]);
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    let mut row = vec![0u32; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    head + tail + row[b.len()] as usize
}

/// A small integer standing for `line`, the same for equal lines.
fn intern<'a>(ids: &mut std::collections::HashMap<&'a str, u32>, line: &'a str) -> u32 {
    let next = ids.len() as u32;
    *ids.entry(line).or_insert(next)
}

/// The text between the last `open` tag and the `close` tag after it (or the end of the text,
/// when the output was cut off before closing). Tags match ignoring ASCII case. `None` when
/// there is no `open` tag.
pub fn last_block<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    // ASCII lower-casing keeps byte offsets.
    let lower = text.to_ascii_lowercase();
    let start = lower.rfind(&open.to_ascii_lowercase())? + open.len();
    let end = lower[start..]
        .find(&close.to_ascii_lowercase())
        .map_or(text.len(), |e| start + e);
    Some(&text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn credit(reference: &str, output: &str) -> (f64, f64) {
        let c = LineCredit::of(&split(reference), &split(output));
        (c.prefix_credit, c.resync_credit)
    }

    #[test]
    fn the_worked_example_of_the_module_docs() {
        assert_eq!(credit("A B C D", "A B C D"), (1.0, 1.0));
        assert_eq!(credit("A B C D", "A B C D E"), (0.8, 0.8));
        assert_eq!(credit("A B C D", "A B"), (0.5, 0.5));
        assert_eq!(credit("A B C D", "A X C D"), (0.25, 0.75));
        assert_eq!(credit("A B C D", "A C D"), (0.25, 0.75));
        assert_eq!(credit("A B C D", "X A B C D"), (0.0, 0.8));
        assert_eq!(credit("A B C D", ""), (0.0, 0.0));
        assert_eq!(credit("", ""), (1.0, 1.0));
    }

    #[test]
    fn the_originals_defects_do_not_recur() {
        // A wrong first line is not credited (the original path checker credited it).
        assert_eq!(credit("A B C", "X B C").0, 0.0);
        // The first wrong line is never credited.
        assert_eq!(credit("A B C", "A X C").0, 1.0 / 3.0);
        // A correct output with extra lines is not complete.
        assert!(credit("A B C", "A B C D").0 < 1.0);
        // Never negative, even for outputs much longer than the reference.
        let long = vec!["Z".to_string(); 1000];
        let c = LineCredit::of(&split("A B C"), &long);
        assert_eq!((c.prefix_credit, c.resync_credit), (0.0, 0.0));
        // A complete trace is exactly 1 (the original gave (n-1)/n).
        let trace: Vec<String> = (0..997).map(|i| format!("line {i}")).collect();
        let c = LineCredit::of(&trace, &trace.clone());
        assert_eq!(c.prefix_credit, 1.0);
        assert!(c.exact());
        assert_eq!(c.first_wrong(), None);
    }

    #[test]
    fn indentation_and_spacing_are_not_differences_and_blank_lines_are_dropped() {
        let reference = lines("From A, take a bus to B.\n  Pick 3 and 2.\n");
        let output = lines("\n   From A,  take a bus to B.\t\n\nPick 3 and 2.   \n\n");
        assert_eq!(reference, output);
        assert_eq!(reference.len(), 2);
        assert_ne!(
            lines("From A, take a bus to B."),
            lines("from A, take a bus to B.")
        );
    }

    #[test]
    fn common_subsequence_is_the_longest() {
        let lcs = |a: &str, b: &str| common_subsequence(&split(a), &split(b));
        assert_eq!(lcs("A B C B D A B", "B D C A B A"), 4);
        assert_eq!(lcs("A B C", "C B A"), 1);
        assert_eq!(lcs("A A A", "A A"), 2);
        assert_eq!(lcs("", "A"), 0);
        assert_eq!(lcs("A B X Y C D", "A B Y X C D"), 5);
    }

    #[test]
    fn the_last_block_is_read_to_its_close_or_the_end() {
        let text = "draft <Route>\nx\n</Route> final <route>\na\nb\n</ROUTE> after";
        assert_eq!(last_block(text, "<Route>", "</Route>"), Some("\na\nb\n"));
        assert_eq!(
            last_block("<Route>\na\nb", "<Route>", "</Route>"),
            Some("\na\nb")
        );
        assert_eq!(last_block("no block", "<Route>", "</Route>"), None);
        // Non-ASCII text around the tags keeps its offsets.
        assert_eq!(
            last_block(
                "Städte <Route>\nFrom Ålesund\n</Route>",
                "<Route>",
                "</Route>"
            ),
            Some("\nFrom Ålesund\n")
        );
    }
}
