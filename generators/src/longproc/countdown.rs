//! Countdown: combine the given numbers with + - * / to reach a target, each number used once.
//! The answer is the trace of the depth-first search the prompt states, in a
//! `# Search Procedure` section, then the operations that reach the target in a `<Solution>`.
//!
//! The search (as ANCHORS.md records the original's): the numbers are an ordered list; pairs of
//! positions are taken in index order ((1,2), (1,3), ..., (2,3), ...); of a pair, the larger
//! number comes first; the operations are tried in the order + - * /; the result is put first in
//! the new list, before the numbers left in their order; a division that is not whole (or by 0)
//! and a result of 2000 or more cut the branch; the search stops at the first time the last
//! number left equals the target. The reference trace is written by [`Search`], the same code
//! that follows the procedure; the worked example in the prompt is written by it too.
//!
//! Size: the target sets where the search stops, so it sets the trace's length. For drawn
//! numbers the search is first run without a target, up to a little past the aimed length; a
//! target is then drawn among the values the search reaches for the first time near the aimed
//! length (so the search stops there), and the search is run again with it. Every instance is
//! solvable by construction. Numbers are drawn from 1 to [`LARGEST`].

use std::collections::HashMap;

use longforge_datasets::SeededRng;
use serde_json::{json, Map};

use super::{render, Instance, Level, Procedure};
use crate::GenerateError;

pub(crate) struct Countdown;

/// The largest number drawn.
const LARGEST: i64 = 50;
/// Results at or above this cut the branch.
const CUT_AT: i64 = 2000;
/// Targets are at least this (a target of 0 or 3 is not a puzzle).
const SMALLEST_TARGET: i64 = 10;
/// About this many characters a token in a trace (digits, brackets, indentation).
const CHARS_PER_TOKEN: f64 = 2.85;
/// Draws of numbers before a level is declared out of the dial's reach.
const DRAWS: usize = 40;

const PROMPT: &str = "\
Countdown: combine the given numbers with addition, subtraction, multiplication and division to \
reach the target number, using each given number exactly once. Every result must be a whole \
number.

Find the solution with this depth-first search, and write down every step of it:
1. Keep the numbers as an ordered list, starting with the list as given.
2. Take the pairs of positions in order: (1st, 2nd), (1st, 3rd), ..., (1st, last), (2nd, 3rd), \
and so on. For each pair write \"Pick A and B, leaving [REST].\", where A is the larger of the two \
numbers (the first when they are equal), B the other, and REST the remaining numbers in list order.
3. For that pair, try the operations in the order +, -, *, /, always as A op B:
   - A division whose result is not a whole number: write \"A / B is not a whole number, cut.\" \
(a division by 0: \"A / 0 is undefined, cut.\") and go on with the next operation.
   - A result R of 2000 or more: write \"A op B = R, 2000 or more, cut.\" and go on.
   - Otherwise, when other numbers remain, write \"A op B = R, now [R, REST].\" (the result first, \
then REST) and search that new list the same way, from step 2, before trying the next operation.
   - When R is the last number left, write \"A op B = R, target reached.\" if R is the target, \
and \"A op B = R, not the target.\" if not.
4. Stop as soon as the target is reached. Then write the solution: the operations that led to it, \
one per line, as \"A op B = R\".

Write your answer in exactly this form: the line \"# Search Procedure\", then the line \
\"Numbers [LIST], target T.\", then one line per step of the search as above (indenting a line by \
its depth helps reading; indentation is ignored), then the solution between the lines <Solution> \
and </Solution>.

Here is a worked example.

Numbers [{{ example_numbers }}], target {{ example_target }}.

{{ example }}

Now solve this one.

Numbers [{{ numbers }}], target {{ target }}.
";

/// One operation of the search: `a op b = result`, with `a >= b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Operation {
    pub a: i64,
    pub op: char,
    pub b: i64,
    pub result: i64,
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {} = {}", self.a, self.op, self.b, self.result)
    }
}

/// The procedure of the prompt, step by step. With a target it stops when the target is reached;
/// without one (sizing) it goes on until `limit` characters of trace are written or the tree is
/// exhausted, recording where each value is first reached.
pub(crate) struct Search {
    target: Option<i64>,
    /// Characters of trace after which a target-less search stops.
    limit: usize,
    /// Trace lines, each with its indentation.
    pub lines: Vec<String>,
    /// Characters written so far (lines and their newlines).
    pub chars: usize,
    /// Per value reached as the last number, the characters written up to and including the
    /// line that first reached it.
    pub first_reached: HashMap<i64, usize>,
    path: Vec<Operation>,
    /// The operations that reached the target.
    pub solution: Option<Vec<Operation>>,
    /// Whether a target-less search stopped at its limit rather than exhausting the tree.
    pub stopped: bool,
}

impl Search {
    pub fn run(numbers: &[i64], target: Option<i64>, limit: usize) -> Search {
        let mut s = Search {
            target,
            limit,
            lines: Vec::new(),
            chars: 0,
            first_reached: HashMap::new(),
            path: Vec::new(),
            solution: None,
            stopped: false,
        };
        let header = match target {
            Some(t) => format!("Numbers [{}], target {t}.", list(numbers)),
            None => format!("Numbers [{}], target ?.", list(numbers)),
        };
        s.write(0, header);
        s.visit(numbers, 0);
        s
    }

    fn write(&mut self, level: usize, text: String) {
        let line = format!("{}{text}", "  ".repeat(level));
        self.chars += line.len() + 1;
        self.lines.push(line);
    }

    /// Searches `numbers` (at least two); true when the search is over (target reached, or
    /// the limit passed).
    fn visit(&mut self, numbers: &[i64], depth: usize) -> bool {
        for i in 0..numbers.len() {
            for j in i + 1..numbers.len() {
                let (a, b) = if numbers[i] >= numbers[j] {
                    (numbers[i], numbers[j])
                } else {
                    (numbers[j], numbers[i])
                };
                let rest: Vec<i64> = numbers
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| k != i && k != j)
                    .map(|(_, &n)| n)
                    .collect();
                self.write(
                    2 * depth + 1,
                    format!("Pick {a} and {b}, leaving [{}].", list(&rest)),
                );
                for op in ['+', '-', '*', '/'] {
                    if self.operate(a, op, b, &rest, depth) {
                        return true;
                    }
                }
            }
        }
        false
    }

    fn operate(&mut self, a: i64, op: char, b: i64, rest: &[i64], depth: usize) -> bool {
        let level = 2 * depth + 2;
        let result = match op {
            '+' => a + b,
            '-' => a - b,
            '*' => a * b,
            _ if b == 0 => {
                self.write(level, format!("{a} / 0 is undefined, cut."));
                return self.over();
            }
            _ if a % b != 0 => {
                self.write(level, format!("{a} / {b} is not a whole number, cut."));
                return self.over();
            }
            _ => a / b,
        };
        let operation = Operation { a, op, b, result };
        if result >= CUT_AT {
            self.write(level, format!("{operation}, {CUT_AT} or more, cut."));
            return self.over();
        }
        if rest.is_empty() {
            let hit = self.target == Some(result);
            let verdict = if hit {
                "target reached"
            } else {
                "not the target"
            };
            self.write(level, format!("{operation}, {verdict}."));
            self.first_reached.entry(result).or_insert(self.chars);
            if hit {
                let mut solution = self.path.clone();
                solution.push(operation);
                self.solution = Some(solution);
                return true;
            }
            return self.over();
        }
        let mut next = Vec::with_capacity(rest.len() + 1);
        next.push(result);
        next.extend_from_slice(rest);
        self.write(level, format!("{operation}, now [{}].", list(&next)));
        self.path.push(operation);
        let done = self.visit(&next, depth + 1);
        self.path.pop();
        done || self.over()
    }

    /// A target-less search past its limit stops.
    fn over(&mut self) -> bool {
        if self.target.is_none() && self.chars >= self.limit {
            self.stopped = true;
        }
        self.stopped
    }
}

fn list(numbers: &[i64]) -> String {
    numbers
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The answer in the asked form: the trace, then the solution.
pub(crate) fn answer(search: &Search) -> String {
    let solution: Vec<String> = search
        .solution
        .iter()
        .flatten()
        .map(Operation::to_string)
        .collect();
    format!(
        "# Search Procedure\n{}\n<Solution>\n{}\n</Solution>",
        search.lines.join("\n"),
        solution.join("\n")
    )
}

/// The prompt's worked example: three numbers, a few dead ends before the target.
const EXAMPLE: ([i64; 3], i64) = ([9, 4, 2], 18);

impl Procedure for Countdown {
    fn instance(
        &self,
        numbers: f64,
        aim: f64,
        level: Level,
        rng: &mut SeededRng,
    ) -> Result<Instance, GenerateError> {
        let n = numbers as usize;
        // The solution block and the header cost about this many characters.
        let overhead = 40 + 16 * n;
        let want = (aim * CHARS_PER_TOKEN) as usize;
        // Targets are sought within 10% of the aim, then, after half the draws found none,
        // within 20% (the family accepts 25%, measured).
        let (mut low, mut high) = (want * 9 / 10, want * 11 / 10);
        // Over the draws: the longest trace written, and the shortest that reaches any result.
        let (mut longest, mut earliest) = (0, usize::MAX);
        for draw in 0..DRAWS {
            if draw == DRAWS / 2 {
                (low, high) = (want * 8 / 10, want * 12 / 10);
            }
            let drawn: Vec<i64> = (0..n)
                .map(|_| 1 + rng.below(LARGEST as usize) as i64)
                .collect();
            let sizing = Search::run(&drawn, None, high.saturating_sub(overhead));
            longest = longest.max(sizing.chars + overhead);
            if let Some(first) = sizing.first_reached.values().min() {
                earliest = earliest.min(first + overhead);
            }
            let mut targets: Vec<(usize, i64)> = sizing
                .first_reached
                .iter()
                .map(|(&value, &at)| (at + overhead, value))
                .filter(|&(at, value)| value >= SMALLEST_TARGET && (low..=high).contains(&at))
                .collect();
            if targets.is_empty() {
                continue;
            }
            // In trace order, so the draw does not depend on the map's order.
            targets.sort_unstable();
            let (_, target) = targets[rng.below(targets.len())];
            let search = Search::run(&drawn, Some(target), usize::MAX);
            let Some(solution) = &search.solution else {
                return Err(GenerateError::param(
                    "(all)",
                    format!("countdown {drawn:?} to {target}: the search did not reach a target it reached without one; this is a bug, please report it"),
                ));
            };
            let output = answer(&search);
            let example = Search::run(&EXAMPLE.0, Some(EXAMPLE.1), usize::MAX);
            let prompt = render(
                PROMPT,
                json!({
                    "numbers": list(&drawn),
                    "target": target,
                    "example_numbers": list(&EXAMPLE.0),
                    "example_target": EXAMPLE.1,
                    "example": answer(&example),
                }),
            )?;
            let solution: Vec<String> = solution.iter().map(Operation::to_string).collect();
            // Random: n-1 operations drawn from those possible on the given numbers; shortcut:
            // the first operations the search writes, a reader who never backtracks.
            let candidates = first_level_operations(&drawn);
            let shortcut = first_operations(&drawn);
            let mut meta = Map::new();
            meta.insert("numbers".into(), json!(drawn));
            meta.insert("target".into(), json!(target));
            meta.insert("solution".into(), json!(solution));
            meta.insert("search_lines".into(), json!(search.lines.len()));
            return Ok(Instance {
                context: None,
                question: format!(
                    "Numbers [{}], target {target}: reach the target, showing the search.",
                    list(&drawn)
                ),
                prompt,
                output,
                kind: "countdown",
                meta,
                evidence: Vec::new(),
                baseline: json!({
                    "candidates": candidates,
                    "picks": n - 1,
                    "shortcut": shortcut,
                }),
            });
        }
        let tokens = |chars: usize| (chars as f64 / CHARS_PER_TOKEN) as usize;
        let message = if earliest > high {
            format!(
                "{n} numbers make search traces too long for level {level}: the shortest to reach a result was about {} tokens; use fewer --numbers or a larger level",
                tokens(earliest)
            )
        } else {
            format!(
                "{n} numbers do not make a search trace of level {level}: the longest drawn was about {} tokens; use more --numbers or a smaller level",
                tokens(longest)
            )
        };
        Err(GenerateError::param("numbers", message))
    }
}

/// Every operation the search may write on the given numbers (whole results under the cut).
fn first_level_operations(numbers: &[i64]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..numbers.len() {
        for j in i + 1..numbers.len() {
            let (a, b) = (numbers[i].max(numbers[j]), numbers[i].min(numbers[j]));
            let results = [
                ('+', Some(a + b)),
                ('-', Some(a - b)),
                ('*', Some(a * b)),
                ('/', (b != 0 && a % b == 0).then(|| a / b)),
            ];
            for (op, result) in results {
                if let Some(result) = result.filter(|&r| r < CUT_AT) {
                    out.push(Operation { a, op, b, result }.to_string());
                }
            }
        }
    }
    out
}

/// The operations the search writes first, always taking the first pair and `+`: what a
/// reader who never backtracks answers.
fn first_operations(numbers: &[i64]) -> Vec<String> {
    let mut list = numbers.to_vec();
    let mut out = Vec::new();
    while list.len() >= 2 {
        let (a, b) = (list[0].max(list[1]), list[0].min(list[1]));
        let operation = Operation {
            a,
            op: '+',
            b,
            result: a + b,
        };
        out.push(operation.to_string());
        list.drain(..2);
        list.insert(0, a + b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example_follows_the_stated_procedure() {
        let s = Search::run(&[9, 4, 2], Some(18), usize::MAX);
        let expected = "\
Numbers [9, 4, 2], target 18.
  Pick 9 and 4, leaving [2].
    9 + 4 = 13, now [13, 2].
      Pick 13 and 2, leaving [].
        13 + 2 = 15, not the target.
        13 - 2 = 11, not the target.
        13 * 2 = 26, not the target.
        13 / 2 is not a whole number, cut.
    9 - 4 = 5, now [5, 2].
      Pick 5 and 2, leaving [].
        5 + 2 = 7, not the target.
        5 - 2 = 3, not the target.
        5 * 2 = 10, not the target.
        5 / 2 is not a whole number, cut.
    9 * 4 = 36, now [36, 2].
      Pick 36 and 2, leaving [].
        36 + 2 = 38, not the target.
        36 - 2 = 34, not the target.
        36 * 2 = 72, not the target.
        36 / 2 = 18, target reached.";
        assert_eq!(s.lines.join("\n"), expected);
        let solution: Vec<String> = s.solution.unwrap().iter().map(|o| o.to_string()).collect();
        assert_eq!(solution, ["9 * 4 = 36", "36 / 2 = 18"]);
    }

    #[test]
    fn cuts_put_the_result_first_and_take_the_larger_first() {
        // 2 and 7: the larger first; 7 - 7 = 0 leaves [0, 2], where 2 / 0 is cut; 1000 * 2 is cut.
        let s = Search::run(&[2, 7, 7], Some(1), usize::MAX);
        let text = s.lines.join("\n");
        assert!(text.contains("Pick 7 and 2, leaving [7]."), "{text}");
        assert!(text.contains("7 + 2 = 9, now [9, 7]."), "{text}");
        assert!(
            text.contains("7 - 7 = 0, now [0, 2].") && text.contains("2 / 0 is undefined, cut."),
            "{text}"
        );
        let s = Search::run(&[1000, 2, 3], None, usize::MAX);
        let text = s.lines.join("\n");
        assert!(
            text.contains("1000 * 2 = 2000, 2000 or more, cut."),
            "{text}"
        );
        assert!(!text.contains("now [2000"), "{text}");
    }

    #[test]
    fn instances_are_solvable_and_their_targets_first_reached_at_the_end() {
        for seed in 0..10 {
            let inst = Countdown
                .instance(4.0, 600.0, Level(500), &mut SeededRng::new(seed))
                .unwrap();
            let target = inst.meta["target"].as_i64().unwrap();
            let trace = inst.output.split("\n<Solution>").next().unwrap();
            assert_eq!(trace.matches("target reached").count(), 1);
            assert!(
                trace.ends_with(&format!("= {target}, target reached.")),
                "{trace}"
            );
            // No earlier line reached the target: the search would have stopped there.
            assert!(!trace.contains(&format!("= {target}, not the target.")));
            assert!(inst.prompt.contains(&format!("target {target}.\n")));
        }
    }

    #[test]
    fn levels_out_of_the_dials_reach_are_refused_saying_which_way() {
        let err = Countdown
            .instance(3.0, 8000.0, Level(8000), &mut SeededRng::new(1))
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("--numbers") && err.contains("8k"), "{err}");
        assert!(err.contains("use more --numbers"), "{err}");
        let err = Countdown
            .instance(6.0, 100.0, Level(200), &mut SeededRng::new(1))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("too long for level 0.2k"), "{err}");
        assert!(err.contains("use fewer --numbers"), "{err}");
    }

    /// The procedure of the prompt again, written differently (an explicit stack instead of
    /// recursion, no shared helpers): the lines up to the first time the last number is the
    /// target, and the operations that led there.
    fn replay(numbers: &[i64], target: i64) -> (Vec<String>, Vec<String>) {
        struct Frame {
            list: Vec<i64>,
            pairs: Vec<(usize, usize)>,
            next: usize,
            ops: Vec<char>,
            via: Option<String>,
        }
        let show = |l: &[i64]| {
            l.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let frame = |list: Vec<i64>, via: Option<String>| {
            let n = list.len();
            let pairs = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .collect();
            Frame {
                list,
                pairs,
                next: 0,
                ops: Vec::new(),
                via,
            }
        };
        let mut out = vec![format!("Numbers [{}], target {target}.", show(numbers))];
        let mut stack = vec![frame(numbers.to_vec(), None)];
        while !stack.is_empty() {
            let depth = stack.len() - 1;
            let top = &mut stack[depth];
            if top.ops.is_empty() {
                let Some(&(i, j)) = top.pairs.get(top.next) else {
                    stack.pop();
                    continue;
                };
                top.next += 1;
                top.ops = vec!['/', '*', '-', '+'];
                let (x, y) = (top.list[i], top.list[j]);
                let rest: Vec<i64> = (0..top.list.len())
                    .filter(|&k| k != i && k != j)
                    .map(|k| top.list[k])
                    .collect();
                out.push(format!(
                    "{}Pick {} and {}, leaving [{}].",
                    "  ".repeat(2 * depth + 1),
                    x.max(y),
                    x.min(y),
                    show(&rest)
                ));
                continue;
            }
            let op = top.ops.pop().unwrap();
            let (i, j) = top.pairs[top.next - 1];
            let (a, b) = (top.list[i].max(top.list[j]), top.list[i].min(top.list[j]));
            let rest: Vec<i64> = (0..top.list.len())
                .filter(|&k| k != i && k != j)
                .map(|k| top.list[k])
                .collect();
            let pad = "  ".repeat(2 * depth + 2);
            let r = match op {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                _ if b == 0 => {
                    out.push(format!("{pad}{a} / 0 is undefined, cut."));
                    continue;
                }
                _ if a % b != 0 => {
                    out.push(format!("{pad}{a} / {b} is not a whole number, cut."));
                    continue;
                }
                _ => a / b,
            };
            let eq = format!("{a} {op} {b} = {r}");
            if r >= 2000 {
                out.push(format!("{pad}{eq}, 2000 or more, cut."));
            } else if rest.is_empty() && r == target {
                out.push(format!("{pad}{eq}, target reached."));
                let mut path: Vec<String> = stack.iter().filter_map(|f| f.via.clone()).collect();
                path.push(eq);
                return (out, path);
            } else if rest.is_empty() {
                out.push(format!("{pad}{eq}, not the target."));
            } else {
                let mut list = vec![r];
                list.extend(rest);
                out.push(format!("{pad}{eq}, now [{}].", show(&list)));
                stack.push(frame(list, Some(eq)));
            }
        }
        (out, Vec::new())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

        /// The reference trace is the procedure the prompt states, whatever the numbers and
        /// wherever the target is reached.
        #[test]
        fn the_trace_is_the_stated_procedure(seed in 0u64..1_000_000, n in 3usize..6, aim in 200.0f64..3000.0) {
            let mut rng = SeededRng::new(seed);
            let Ok(inst) = Countdown.instance(n as f64, aim, Level(2000), &mut rng) else {
                // Three numbers cannot reach long aims; that refusal is tested apart.
                proptest::prop_assume!(false);
                unreachable!()
            };
            let numbers: Vec<i64> = serde_json::from_value(inst.meta["numbers"].clone()).unwrap();
            let target = inst.meta["target"].as_i64().unwrap();
            let (lines, path) = replay(&numbers, target);
            let expected = format!(
                "# Search Procedure\n{}\n<Solution>\n{}\n</Solution>",
                lines.join("\n"),
                path.join("\n")
            );
            proptest::prop_assert_eq!(inst.output, expected);
            proptest::prop_assert_eq!(inst.meta["solution"].clone(), serde_json::json!(path));
        }
    }
}
