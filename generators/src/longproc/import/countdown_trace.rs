//! The original's Countdown reference, rebuilt: the depth-first search its prompt describes,
//! written line by line in the format of the release's worked examples, so an imported
//! record's reference is the trace a model reading that prompt is asked to write.
//!
//! The search (facts from the release's prompt and examples):
//! - a state is a list of numbers; the pairs of positions are taken in index order, and of a
//!   pair the larger number is the first operand;
//! - the operations are tried in the order `+ - * /`; the result goes first in the new list,
//!   before the numbers left in their order;
//! - a division that is not whole is written with one decimal (`9 / 4 = 2.2`, rounded as Python
//!   formats `{:.1f}`, which Rust's `{:.1}` equals: both round the exact binary value half to
//!   even) and dropped; a division by 0 is written as an invalid operation and dropped;
//! - a whole result of 2000 or more is dropped;
//! - the search stops at the first time the last number equals the target.
//!
//! Lines are indented by depth as ` |- ` after `depth` spaces, and a state's description follows
//! the line that reached it. The reference is then the trace, the solution traced back from
//! the last step to the first, and the solution in `<Solution>` tags. The release's puzzles
//! have four numbers, and the traced-back solution names three steps, so four numbers are
//! required.

use std::fmt::Write as _;

/// Results at or above this are dropped.
const CUT_AT: i64 = 2000;
/// How many numbers a puzzle of the release has.
pub(crate) const NUMBERS: usize = 4;

/// A rebuilt reference: the whole output, and the solution's three steps (`a op b = c`).
pub(crate) struct Rebuilt {
    pub text: String,
    pub solution: Vec<String>,
}

/// Rebuilds the reference for `numbers` (exactly [`NUMBERS`] of them) and `target`; `None` when
/// the search does not reach the target (the original's loader would fail on that record).
pub(crate) fn rebuild(numbers: &[i64], target: i64) -> Option<Rebuilt> {
    if numbers.len() != NUMBERS {
        return None;
    }
    let mut search = Trace {
        target,
        log: String::new(),
        path: Vec::new(),
    };
    let _ = write!(
        search.log,
        "Initial number set: {}, target: {target}. Options for choosing two numbers: {}.",
        list(numbers),
        pairs(numbers)
    );
    if !search.pairs_of(numbers, 1) {
        return None;
    }
    let s = &search.path;
    let text = format!(
        "# Search Procedure\n{}\n\n\
         Now we have found the target, let's trace back the solution:\n\
         Final step: {}\nThe step before: {}\nThe first step: {}\n\n\
         Output the solution in the required format:\n<Solution>\n{}\n{}\n{}\n</Solution>\n",
        search.log, s[2], s[1], s[0], s[0], s[1], s[2]
    );
    Some(Rebuilt {
        text,
        solution: search.path,
    })
}

/// What an operation gives.
enum Outcome {
    Whole(i64),
    /// Not whole: the division's value written with one decimal.
    Decimal(String),
    DivisionByZero,
}

struct Trace {
    target: i64,
    log: String,
    /// The operations from the start to the state being searched.
    path: Vec<String>,
}

impl Trace {
    /// Tries every pair of `numbers` (three or more, or two) in order; true once the target is
    /// reached. Picks are written at `depth`, the operations one deeper; a list of two numbers
    /// has a single pair, so no pick line is written for it.
    fn pairs_of(&mut self, numbers: &[i64], depth: usize) -> bool {
        for i in 0..numbers.len() {
            for j in i + 1..numbers.len() {
                let left: Vec<i64> = numbers
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| k != i && k != j)
                    .map(|(_, &n)| n)
                    .collect();
                if numbers.len() > 2 {
                    let _ = write!(
                        self.log,
                        "\n{}Pick two numbers ({}, {}) (numbers left: {}). Try possible operations.",
                        indent(depth),
                        numbers[i],
                        numbers[j],
                        list(&left)
                    );
                }
                let (a, b) = (numbers[i].max(numbers[j]), numbers[i].min(numbers[j]));
                let tries = [
                    (format!("{a} + {b} = {}", a + b), Outcome::Whole(a + b)),
                    (format!("{a} - {b} = {}", a - b), Outcome::Whole(a - b)),
                    (format!("{a} * {b} = {}", a * b), Outcome::Whole(a * b)),
                    division(a, b),
                ];
                for (equation, outcome) in tries {
                    if self.operation(&equation, outcome, &left, depth + 1) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// One operation's line at `depth` and, when its result stands, the search from the new
    /// list; true once the target is reached.
    fn operation(&mut self, equation: &str, outcome: Outcome, left: &[i64], depth: usize) -> bool {
        let at = indent(depth);
        let value = match outcome {
            Outcome::DivisionByZero => {
                let _ = write!(self.log, "\n{at}Try {equation}. drop this branch.");
                return false;
            }
            Outcome::Decimal(d) => {
                let _ = write!(
                    self.log,
                    "\n{at}Try {equation}. {d} is a decimal, drop this branch."
                );
                return false;
            }
            Outcome::Whole(v) if v >= CUT_AT => {
                let _ = write!(
                    self.log,
                    "\n{at}Try {equation}. {v} exceeds the maximum intermediate result, drop this branch."
                );
                return false;
            }
            Outcome::Whole(v) => v,
        };
        self.path.push(equation.to_string());
        let target = self.target;
        if left.is_empty() {
            if value == target {
                let _ = write!(
                    self.log,
                    "\n{at}Try {equation}. Evaluate {value} == {target}, target found!"
                );
                return true;
            }
            let _ = write!(
                self.log,
                "\n{at}Try {equation}. Evaluate {value} != {target}, drop this branch."
            );
            self.path.pop();
            return false;
        }
        let mut next = Vec::with_capacity(left.len() + 1);
        next.push(value);
        next.extend_from_slice(left);
        let _ = write!(
            self.log,
            "\n{at}Try {equation}. Add {value} to the number set."
        );
        let found = if next.len() == 2 {
            let _ = write!(
                self.log,
                " Current number set: {}, target: {target}, just two numbers left.",
                list(&next)
            );
            self.pairs_of(&next, depth)
        } else {
            let _ = write!(
                self.log,
                " Current number set: {}, target: {target}. Options for choosing two numbers: {}.",
                list(&next),
                pairs(&next)
            );
            self.pairs_of(&next, depth + 1)
        };
        if !found {
            self.path.pop();
        }
        found
    }
}

/// `a / b` with `a >= b`: its line's equation and outcome.
fn division(a: i64, b: i64) -> (String, Outcome) {
    if b == 0 {
        (
            format!("{a} / {b} (invalid operation)"),
            Outcome::DivisionByZero,
        )
    } else if a % b == 0 {
        (format!("{a} / {b} = {}", a / b), Outcome::Whole(a / b))
    } else {
        let d = format!("{:.1}", a as f64 / b as f64);
        (format!("{a} / {b} = {d}"), Outcome::Decimal(d))
    }
}

/// Nothing at depth 0, else `depth` spaces and `|- `.
fn indent(depth: usize) -> String {
    if depth == 0 {
        String::new()
    } else {
        format!("{}|- ", " ".repeat(depth))
    }
}

/// A list as Python prints it: `[3, 7, 25]`.
fn list(numbers: &[i64]) -> String {
    let parts: Vec<String> = numbers.iter().map(i64::to_string).collect();
    format!("[{}]", parts.join(", "))
}

/// The pairs of a list in index order, as Python prints a list of tuples: `[(3, 7), (3, 25)]`.
fn pairs(numbers: &[i64]) -> String {
    let mut parts = Vec::new();
    for i in 0..numbers.len() {
        for j in i + 1..numbers.len() {
            parts.push(format!("({}, {})", numbers[i], numbers[j]));
        }
    }
    format!("[{}]", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A puzzle the first branch solves, its trace written out by hand from the rules.
    #[test]
    fn a_small_search_is_written_line_by_line() {
        // 2 + 2 = 4, 4 + 1 = 5, 5 + 1 = 6: the very first branch reaches 6.
        let r = rebuild(&[2, 2, 1, 1], 6).expect("solvable");
        let expected = "\
# Search Procedure
Initial number set: [2, 2, 1, 1], target: 6. Options for choosing two numbers: [(2, 2), (2, 1), (2, 1), (2, 1), (2, 1), (1, 1)].
 |- Pick two numbers (2, 2) (numbers left: [1, 1]). Try possible operations.
  |- Try 2 + 2 = 4. Add 4 to the number set. Current number set: [4, 1, 1], target: 6. Options for choosing two numbers: [(4, 1), (4, 1), (1, 1)].
   |- Pick two numbers (4, 1) (numbers left: [1]). Try possible operations.
    |- Try 4 + 1 = 5. Add 5 to the number set. Current number set: [5, 1], target: 6, just two numbers left.
     |- Try 5 + 1 = 6. Evaluate 6 == 6, target found!

Now we have found the target, let's trace back the solution:
Final step: 5 + 1 = 6
The step before: 4 + 1 = 5
The first step: 2 + 2 = 4

Output the solution in the required format:
<Solution>
2 + 2 = 4
4 + 1 = 5
5 + 1 = 6
</Solution>
";
        assert_eq!(r.text, expected);
        assert_eq!(r.solution, ["2 + 2 = 4", "4 + 1 = 5", "5 + 1 = 6"]);
    }

    #[test]
    fn dropped_branches_say_why() {
        let lines = |numbers: [i64; 4], target: i64| -> Vec<String> {
            let r = rebuild(&numbers, target).expect("solvable");
            r.text.lines().map(str::to_string).collect()
        };
        // [9, 4, 5, 5]: 9 + 4 = 13, 13 + 5 = 18, then 18 with 5: not 2, or a decimal.
        let l = lines([9, 4, 5, 5], 2);
        assert!(l.contains(&"     |- Try 18 + 5 = 23. Evaluate 23 != 2, drop this branch.".into()));
        assert!(l.contains(&"     |- Try 18 / 5 = 3.6. 3.6 is a decimal, drop this branch.".into()));
        // The search stops at the first solution: nothing is written after it is found.
        let found = l.iter().position(|l| l.ends_with("target found!")).unwrap();
        assert_eq!(l[found + 1], "");
        assert_eq!(
            l[found + 2],
            "Now we have found the target, let's trace back the solution:"
        );
        // [50, 45, 1, 2] to 55: the 95 and 5 branches fail, 50 * 45 is dropped, and 55 is
        // reached later (50 * 1 = 50, 50 * 2 = 100, 100 - 45 = 55).
        let l = lines([50, 45, 1, 2], 55);
        assert_eq!(
            rebuild(&[50, 45, 1, 2], 55).map(|r| r.solution),
            Some(vec![
                "50 * 1 = 50".into(),
                "50 * 2 = 100".into(),
                "100 - 45 = 55".into()
            ])
        );
        assert!(l.contains(
            &"  |- Try 50 * 45 = 2250. 2250 exceeds the maximum intermediate result, drop this branch.".into()
        ));
        // [3, 3, 7, 2] to 126: 3 - 3 = 0 puts a 0 in the list, and 7 / 0 is invalid.
        let l = lines([3, 3, 7, 2], 126);
        assert!(l.contains(&"    |- Try 7 / 0 (invalid operation). drop this branch.".into()));
    }

    #[test]
    fn an_unreachable_target_or_another_count_of_numbers_gives_none() {
        assert!(rebuild(&[1, 1, 1, 1], 1999).is_none());
        assert!(rebuild(&[2, 3, 5], 30).is_none());
    }

    #[test]
    fn the_solution_is_a_valid_one() {
        for (numbers, target) in [
            ([3, 7, 25, 50], 24),
            ([12, 5, 9, 40], 29),
            ([8, 8, 3, 3], 24),
        ] {
            let Some(r) = rebuild(&numbers, target) else {
                continue;
            };
            let mut pool = numbers.to_vec();
            for step in &r.solution {
                let parts: Vec<&str> = step.split(' ').collect();
                let (a, b, c): (i64, i64, i64) = (
                    parts[0].parse().unwrap(),
                    parts[2].parse().unwrap(),
                    parts[4].parse().unwrap(),
                );
                let value = match parts[1] {
                    "+" => a + b,
                    "-" => a - b,
                    "*" => a * b,
                    _ => a / b,
                };
                assert_eq!(value, c, "{step}");
                for n in [a, b] {
                    let at = pool.iter().position(|&x| x == n).expect("available");
                    pool.remove(at);
                }
                pool.push(c);
            }
            assert_eq!(pool, [target]);
        }
    }
}
