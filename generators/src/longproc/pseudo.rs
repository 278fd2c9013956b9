//! Pseudocode to code: a program written as SPoC-style pseudocode (one line per statement,
//! blocks by indentation; Kulal et al., 2019, the source of LongProc's task) to be translated
//! into a C++ program that passes the task's test cases. The answer is a ```` ```cpp ```` block.
//!
//! Programs are small typed abstract syntax trees (`program.rs`): every program reads `n`, an
//! array `a` of `n` numbers and a word `s`, then runs a sequence of routines drawn at random
//! (running extremes and counts, in-place transforms, prefix sums, digit sums by `while`,
//! pair counts by nested loops, Kadane's maximum, helper functions such as Euclid's gcd,
//! string scans, reversal and letter sums), each printing its result. The pseudocode and the
//! reference C++ are two renderings of the same tree; the test inputs are drawn from the seed and
//! their expected outputs computed by interpreting the tree, never by a compiler. Undefined
//! behaviour is avoided by construction (indices within bounds, divisors non-zero constants,
//! values bounded so `long long` cannot overflow) and checked by the interpreter on every test.
//!
//! Size: the level is the reference program's length in tokens; routines are added until the
//! estimate reaches the aim, and the family measures and re-aims. Dial `--tests`: test cases
//! per program (the original ran the first 10).

use longforge_datasets::SeededRng;
use serde_json::{json, Map};

use super::interpret::interpret;
use super::program::{
    assign, at, bin, cmp, cpp, declare, for_up, if_, num, print, pseudocode, var, Cmp, Expr,
    Function, Op, Program, Stmt, Ty,
};
use super::{render, Instance, Level, Procedure};
use crate::GenerateError;

pub(crate) struct PseudoToCode;

/// About this many characters a token in the rendered C++ (measured on cl100k_base).
const CHARS_PER_TOKEN: f64 = 2.6;
/// Array lengths and word lengths of the test inputs.
const N_RANGE: (usize, usize) = (3, 14);
const WORD_RANGE: (usize, usize) = (1, 16);
/// Array values of the test inputs, inclusive.
const VALUE_RANGE: (i64, i64) = (-300, 1000);
/// Letters of the words.
const LETTERS: &[u8] = b"abcdef";

const PROMPT: &str = "\
Translate the pseudocode below into a complete C++17 program that reads from standard input and \
writes to standard output exactly as the pseudocode does. It will be compiled with \
g++ -std=c++17 and run on hidden test cases; it must print exactly the expected output.

How to read the pseudocode:
- Each line is one statement; the lines indented under a line form its block (a loop's body, \
a branch, a function's body).
- \"create long long array a of size n\" makes an array of n numbers, all 0, indexed from 0.
- \"for i = A to B\" runs i from A up to B inclusive, \"for i = A down to B\" from A down to B \
inclusive; i is an integer.
- \"/\" is integer division rounding toward zero, \"%\" its remainder (with the sign of the \
left side), as in C++. Numbers are long long unless created as integers.
- \"is\" and \"is not\" compare for equality; \"length of s\" is the number of characters of s; \
s[i] is the i-th character of s, from 0; \"append x to t\" adds x at the end of the string t.
- \"read x\" reads the next white-space separated item of the input into x.
- \"print x, y\" prints x and y separated by one space, then a new line; \"print x followed by a \
space\" prints x then one space; \"print a new line\" ends the line.
- \"define function f taking long long x, returning long long\" defines a function; \"in the \
main function:\" starts the program's main function.

<Pseudocode>
{{ pseudocode }}
</Pseudocode>

Write the whole program in one ```cpp code block.
";

/// Fresh variable and function names: `best`, then `best2`, `best3`...
#[derive(Default)]
struct Names {
    used: std::collections::HashMap<&'static str, usize>,
    /// Euclid's function, once defined (later gcd routines call it again).
    euclid: Option<String>,
}

impl Names {
    fn fresh(&mut self, base: &'static str) -> String {
        let n = self.used.entry(base).or_insert(0);
        *n += 1;
        if *n == 1 {
            base.to_string()
        } else {
            format!("{base}{n}")
        }
    }
}

/// The routines a program is made of; one is drawn per step.
const ROUTINES: usize = 13;

fn last(of: &str) -> Expr {
    bin(Op::Sub, var(of), num(1))
}

fn inc(name: &str) -> Stmt {
    assign(var(name), bin(Op::Add, var(name), num(1)))
}

fn over_a(i: &str, from: i64, body: Vec<Stmt>) -> Stmt {
    for_up(i, num(from), last("n"), body)
}

fn over_s(i: &str, body: Vec<Stmt>) -> Stmt {
    for_up(i, num(0), last("m"), body)
}

fn chr(rng: &mut SeededRng) -> Expr {
    Expr::Chr(rng.draw(LETTERS))
}

/// One routine, drawn: its functions (if any) and its statements in `main`.
fn routine(rng: &mut SeededRng, names: &mut Names) -> (Vec<Function>, Vec<Stmt>) {
    let ai = || at("a", var("i"));
    match rng.below(ROUTINES) {
        0 => {
            let best = names.fresh("best");
            let c = if rng.chance(0.5) { Cmp::Gt } else { Cmp::Lt };
            (
                vec![],
                vec![
                    declare(&best, Ty::Long, at("a", num(0))),
                    over_a(
                        "i",
                        1,
                        vec![if_(
                            cmp(c, ai(), var(&best)),
                            vec![assign(var(&best), ai())],
                            vec![],
                        )],
                    ),
                    print(vec![var(&best)]),
                ],
            )
        }
        1 => {
            let cnt = names.fresh("cnt");
            let k = rng.range(2, 7) as i64;
            let cond = if rng.chance(0.5) {
                cmp(
                    Cmp::Eq,
                    bin(Op::Rem, ai(), num(k)),
                    num(rng.below(k as usize) as i64),
                )
            } else {
                cmp(
                    rng.draw(&[Cmp::Gt, Cmp::Le]),
                    ai(),
                    num(rng.range(0, 500) as i64),
                )
            };
            (
                vec![],
                vec![
                    declare(&cnt, Ty::Int, num(0)),
                    over_a("i", 0, vec![if_(cond, vec![inc(&cnt)], vec![])]),
                    print(vec![var(&cnt)]),
                ],
            )
        }
        2 => {
            // In place; keeps every value within (-m, m), m <= 1000.
            let k = rng.range(1, 9) as i64;
            let c = rng.range(0, 99) as i64;
            let m = rng.range(50, 1000) as i64;
            let value = bin(
                Op::Rem,
                bin(Op::Add, bin(Op::Mul, ai(), num(k)), num(c)),
                num(m),
            );
            (
                vec![],
                vec![
                    over_a("i", 0, vec![assign(ai(), value)]),
                    print(vec![at("a", last("n"))]),
                ],
            )
        }
        3 => {
            let b = names.fresh("pre");
            let bi = |e: Expr| at(&b, e);
            (
                vec![],
                vec![
                    Stmt::DeclareArray {
                        name: b.clone(),
                        size: var("n"),
                    },
                    assign(bi(num(0)), at("a", num(0))),
                    over_a(
                        "i",
                        1,
                        vec![assign(
                            bi(var("i")),
                            bin(Op::Add, bi(bin(Op::Sub, var("i"), num(1))), ai()),
                        )],
                    ),
                    over_a(
                        "i",
                        0,
                        vec![Stmt::Print {
                            items: vec![bi(var("i"))],
                            space_after: true,
                        }],
                    ),
                    print(vec![]),
                ],
            )
        }
        4 => {
            let x = names.fresh("x");
            let d = names.fresh("digits");
            let j = rng.below(N_RANGE.0) as i64;
            (
                vec![],
                vec![
                    declare(&x, Ty::Long, at("a", num(j))),
                    if_(
                        cmp(Cmp::Lt, var(&x), num(0)),
                        vec![assign(var(&x), bin(Op::Sub, num(0), var(&x)))],
                        vec![],
                    ),
                    declare(&d, Ty::Long, num(0)),
                    Stmt::While {
                        cond: cmp(Cmp::Gt, var(&x), num(0)),
                        body: vec![
                            assign(
                                var(&d),
                                bin(Op::Add, var(&d), bin(Op::Rem, var(&x), num(10))),
                            ),
                            assign(var(&x), bin(Op::Div, var(&x), num(10))),
                        ],
                    },
                    print(vec![var(&d)]),
                ],
            )
        }
        5 => {
            let total = names.fresh("total");
            let c = rng.range(0, 400) as i64;
            let k = rng.range(1, 20) as i64;
            let mut cond = cmp(Cmp::Ge, ai(), num(c));
            if rng.chance(0.5) {
                let even = cmp(Cmp::Eq, bin(Op::Rem, var("i"), num(2)), num(0));
                cond = Expr::And(Box::new(cond), Box::new(even));
            }
            (
                vec![],
                vec![
                    declare(&total, Ty::Long, num(0)),
                    over_a(
                        "i",
                        0,
                        vec![if_(
                            cond,
                            vec![assign(var(&total), bin(Op::Add, var(&total), ai()))],
                            vec![assign(var(&total), bin(Op::Sub, var(&total), num(k)))],
                        )],
                    ),
                    print(vec![var(&total)]),
                ],
            )
        }
        6 => {
            let cnt = names.fresh("pairs");
            let sum = bin(Op::Add, ai(), at("a", var("j")));
            let cond = if rng.chance(0.5) {
                cmp(
                    Cmp::Eq,
                    bin(Op::Rem, sum, num(rng.range(2, 5) as i64)),
                    num(0),
                )
            } else {
                cmp(Cmp::Gt, sum, num(rng.range(0, 1000) as i64))
            };
            (
                vec![],
                vec![
                    declare(&cnt, Ty::Int, num(0)),
                    over_a(
                        "i",
                        0,
                        vec![for_up(
                            "j",
                            bin(Op::Add, var("i"), num(1)),
                            last("n"),
                            vec![if_(cond, vec![inc(&cnt)], vec![])],
                        )],
                    ),
                    print(vec![var(&cnt)]),
                ],
            )
        }
        7 if names.euclid.is_some() => {
            let f = names.euclid.clone().unwrap_or_default();
            let g = names.fresh("g");
            (
                vec![],
                vec![
                    declare(&g, Ty::Long, at("a", last("n"))),
                    Stmt::For {
                        var: "i".into(),
                        from: last("n"),
                        to: num(0),
                        down: true,
                        body: vec![assign(var(&g), Expr::Call(f, vec![var(&g), ai()]))],
                    },
                    print(vec![var(&g)]),
                ],
            )
        }
        7 => {
            let f = names.fresh("divisor");
            names.euclid = Some(f.clone());
            let t = "t".to_string();
            let function = Function {
                name: f.clone(),
                params: vec!["x".into(), "y".into()],
                body: vec![
                    Stmt::While {
                        cond: cmp(Cmp::Ne, var("y"), num(0)),
                        body: vec![
                            declare(&t, Ty::Long, bin(Op::Rem, var("x"), var("y"))),
                            assign(var("x"), var("y")),
                            assign(var("y"), var(&t)),
                        ],
                    },
                    if_(
                        cmp(Cmp::Lt, var("x"), num(0)),
                        vec![Stmt::Return(bin(Op::Sub, num(0), var("x")))],
                        vec![],
                    ),
                    Stmt::Return(var("x")),
                ],
            };
            let g = names.fresh("g");
            (
                vec![function],
                vec![
                    declare(&g, Ty::Long, num(0)),
                    over_a(
                        "i",
                        0,
                        vec![assign(var(&g), Expr::Call(f, vec![var(&g), ai()]))],
                    ),
                    print(vec![var(&g)]),
                ],
            )
        }
        8 => {
            let cnt = names.fresh("hits");
            let si = || at("s", var("i"));
            let (c1, c2) = (chr(rng), chr(rng));
            (
                vec![],
                vec![
                    declare(&cnt, Ty::Int, num(0)),
                    over_s(
                        "i",
                        vec![if_(
                            Expr::Or(
                                Box::new(cmp(Cmp::Eq, si(), c1)),
                                Box::new(cmp(Cmp::Eq, si(), c2)),
                            ),
                            vec![inc(&cnt)],
                            vec![],
                        )],
                    ),
                    print(vec![var(&cnt)]),
                ],
            )
        }
        9 => {
            let t = names.fresh("rev");
            (
                vec![],
                vec![
                    declare(&t, Ty::Str, Expr::Text(String::new())),
                    Stmt::For {
                        var: "i".into(),
                        from: last("m"),
                        to: num(0),
                        down: true,
                        body: if rng.chance(0.5) {
                            vec![Stmt::Append(t.clone(), at("s", var("i")))]
                        } else {
                            // Reversed, one letter left out.
                            vec![if_(
                                cmp(Cmp::Ne, at("s", var("i")), chr(rng)),
                                vec![Stmt::Append(t.clone(), at("s", var("i")))],
                                vec![],
                            )]
                        },
                    },
                    print(vec![var(&t), var("s")]),
                ],
            )
        }
        10 => {
            let total = names.fresh("score");
            let k = rng.range(1, 5) as i64;
            let letter = bin(
                Op::Add,
                bin(Op::Sub, at("s", var("i")), Expr::Chr(b'a')),
                num(k),
            );
            (
                vec![],
                vec![
                    declare(&total, Ty::Long, num(0)),
                    over_s(
                        "i",
                        vec![assign(
                            var(&total),
                            bin(
                                Op::Add,
                                var(&total),
                                bin(Op::Mul, letter, bin(Op::Add, var("i"), num(1))),
                            ),
                        )],
                    ),
                    print(vec![var(&total)]),
                ],
            )
        }
        11 => {
            let f = names.fresh("step");
            let k = rng.range(1, 9) as i64;
            let c = rng.range(0, 50) as i64;
            let r = "r".to_string();
            let function = Function {
                name: f.clone(),
                params: vec!["x".into()],
                body: vec![
                    declare(
                        &r,
                        Ty::Long,
                        bin(Op::Add, bin(Op::Mul, var("x"), num(k)), num(c)),
                    ),
                    if_(
                        cmp(Cmp::Eq, bin(Op::Rem, var(&r), num(2)), num(0)),
                        vec![assign(var(&r), bin(Op::Div, var(&r), num(2)))],
                        vec![assign(
                            var(&r),
                            bin(Op::Add, bin(Op::Mul, var(&r), num(3)), num(1)),
                        )],
                    ),
                    Stmt::Return(var(&r)),
                ],
            };
            let total = names.fresh("acc");
            (
                vec![function],
                vec![
                    declare(&total, Ty::Long, num(0)),
                    over_a(
                        "i",
                        0,
                        vec![assign(
                            var(&total),
                            bin(Op::Add, var(&total), Expr::Call(f, vec![ai()])),
                        )],
                    ),
                    print(vec![var(&total)]),
                ],
            )
        }
        _ => {
            // Kadane's maximum sum of a non-empty run.
            let cur = names.fresh("cur");
            let best = names.fresh("top");
            (
                vec![],
                vec![
                    declare(&cur, Ty::Long, num(0)),
                    declare(&best, Ty::Long, at("a", num(0))),
                    over_a(
                        "i",
                        0,
                        vec![
                            assign(var(&cur), bin(Op::Add, var(&cur), ai())),
                            if_(
                                cmp(Cmp::Gt, var(&cur), var(&best)),
                                vec![assign(var(&best), var(&cur))],
                                vec![],
                            ),
                            if_(
                                cmp(Cmp::Lt, var(&cur), num(0)),
                                vec![assign(var(&cur), num(0))],
                                vec![],
                            ),
                        ],
                    ),
                    print(vec![var(&best)]),
                ],
            )
        }
    }
}

/// Reads `n`, the array `a` and the word `s` (with its length `m`).
fn reading() -> Vec<Stmt> {
    vec![
        Stmt::Declare {
            name: "n".into(),
            ty: Ty::Int,
            init: None,
        },
        Stmt::Read(var("n")),
        Stmt::DeclareArray {
            name: "a".into(),
            size: var("n"),
        },
        over_a("i", 0, vec![Stmt::Read(at("a", var("i")))]),
        Stmt::Declare {
            name: "s".into(),
            ty: Ty::Str,
            init: None,
        },
        Stmt::Read(var("s")),
        declare("m", Ty::Int, Expr::Len("s".into())),
    ]
}

/// A test input: `n`, the `n` values, the word.
fn test_input(rng: &mut SeededRng) -> String {
    let n = rng.range(N_RANGE.0, N_RANGE.1);
    let values: Vec<String> = (0..n)
        .map(|_| {
            let span = (VALUE_RANGE.1 - VALUE_RANGE.0) as usize;
            (VALUE_RANGE.0 + rng.below(span + 1) as i64).to_string()
        })
        .collect();
    let len = rng.range(WORD_RANGE.0, WORD_RANGE.1);
    let word: String = (0..len).map(|_| rng.draw(LETTERS) as char).collect();
    format!("{n}\n{}\n{word}\n", values.join(" "))
}

/// The reference answer: the program in a ```` ```cpp ```` block.
pub(crate) fn answer(code: &str) -> String {
    format!("```cpp\n{code}```")
}

impl Procedure for PseudoToCode {
    fn instance(
        &self,
        tests: f64,
        aim: f64,
        _level: Level,
        rng: &mut SeededRng,
    ) -> Result<Instance, GenerateError> {
        let mut names = Names::default();
        let mut program = Program {
            functions: Vec::new(),
            main: reading(),
        };
        let want = aim * CHARS_PER_TOKEN;
        // Each routine's rendering is measured alone (rendering is line by line, so lengths
        // add up), keeping sizing linear in the program's length.
        let empty = cpp(&Program::default()).len();
        let mut chars = cpp(&program).len();
        while (chars as f64) < want {
            let (functions, statements) = routine(rng, &mut names);
            let part = Program {
                functions,
                main: statements,
            };
            chars += cpp(&part).len() - empty;
            program.functions.extend(part.functions);
            program.main.extend(part.main);
        }
        let code = cpp(&program);
        let lines = pseudocode(&program);
        let mut cases = Vec::new();
        for _ in 0..tests as usize {
            let input = test_input(rng);
            let output = interpret(&program, &input).map_err(|e| {
                GenerateError::param(
                    "(all)",
                    format!(
                        "pseudo-to-code: a generated program {e}; this is a bug, please report it"
                    ),
                )
            })?;
            cases.push(json!({"input": input, "output": output}));
        }
        let prompt = render(PROMPT, json!({"pseudocode": lines.join("\n")}))?;
        let code_lines: Vec<&str> = code.lines().collect();
        let mut meta = Map::new();
        meta.insert("tests".into(), json!(cases));
        meta.insert("pseudocode_lines".into(), json!(lines.len()));
        meta.insert("functions".into(), json!(program.functions.len()));
        Ok(Instance {
            context: None,
            question: "Translate the pseudocode into a C++ program.".into(),
            prompt,
            output: answer(&code),
            kind: "cpp",
            meta,
            evidence: Vec::new(),
            // Random: the reference's lines in a random order and number (it does not
            // compile); shortcut: the reading part alone, a program that prints nothing.
            baseline: json!({
                "candidates": code_lines,
                "picks": code_lines.len(),
                "shortcut": code_lines.iter().take(12).collect::<Vec<_>>(),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(aim: f64, seed: u64) -> Instance {
        PseudoToCode
            .instance(8.0, aim, Level(2000), &mut SeededRng::new(seed))
            .unwrap()
    }

    #[test]
    fn pseudocode_and_code_have_one_line_per_statement_and_tests_are_interpreted() {
        for seed in 0..30 {
            let inst = make(600.0, seed);
            let tests = inst.meta["tests"].as_array().unwrap();
            assert_eq!(tests.len(), 8);
            for t in tests {
                assert!(!t["output"].as_str().unwrap().is_empty());
            }
            // Main is indented under its header when the program has functions.
            let pad = if inst.meta["functions"] == 0 {
                ""
            } else {
                "  "
            };
            assert!(inst.prompt.contains(&format!(
                "{pad}read n\n{pad}create long long array a of size n\n"
            )));
            assert!(inst.output.starts_with("```cpp\n#include <iostream>"));
        }
    }

    #[test]
    fn every_routine_is_drawn_and_interprets_on_extreme_inputs() {
        let mut names = Names::default();
        let mut program = Program {
            functions: vec![],
            main: reading(),
        };
        let mut rng = SeededRng::new(3);
        for _ in 0..400 {
            let (f, s) = routine(&mut rng, &mut names);
            program.functions.extend(f);
            program.main.extend(s);
        }
        let lows = vec![VALUE_RANGE.0.to_string(); N_RANGE.1];
        let highs = vec![VALUE_RANGE.1.to_string(); N_RANGE.1];
        for input in [
            format!("{}\n{}\na\n", N_RANGE.0, lows[..N_RANGE.0].join(" ")),
            format!(
                "{}\n{}\n{}\n",
                N_RANGE.1,
                highs.join(" "),
                "f".repeat(WORD_RANGE.1)
            ),
            format!("{}\n{}\nabc\n", N_RANGE.1, lows.join(" ")),
        ] {
            interpret(&program, &input).unwrap();
        }
    }
}
