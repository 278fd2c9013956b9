//! The small typed programs of the pseudocode-to-code task: an abstract syntax tree and two
//! renderings of the same tree, line for line: SPoC-style pseudocode (one line per statement,
//! blocks by indentation; Kulal et al., 2019, as LongProc uses it) and C++17. The interpreter
//! that computes the expected outputs, and refuses what C++ would leave undefined, is
//! `interpret.rs`.
//!
//! Types: `int` (counts, indices), `long long` (values), `char`, `string`, and `vector<long long>`
//! arrays.

use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Int,
    Long,
    Char,
    Str,
    /// `vector<long long>`, zero-filled at its declared size.
    Array,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(i64),
    Chr(u8),
    /// A string literal (printed only).
    Text(String),
    Var(String),
    /// `a[i]` of an array, or `s[i]` of a string (a `char`).
    Index(String, Box<Expr>),
    /// The length of a string, as an `int`.
    Len(String),
    Bin(Op, Box<Expr>, Box<Expr>),
    Cmp(Cmp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// A scalar or string; `None` leaves it to a following read (C++ `int n;`).
    Declare {
        name: String,
        ty: Ty,
        init: Option<Expr>,
    },
    DeclareArray {
        name: String,
        size: Expr,
    },
    Read(Expr),
    Assign(Expr, Expr),
    /// `s += x` for a string and a char.
    Append(String, Expr),
    /// `for var = from to to` (inclusive), counting down when `down`.
    For {
        var: String,
        from: Expr,
        to: Expr,
        down: bool,
        body: Vec<Stmt>,
    },
    While {
        cond: Expr,
        body: Vec<Stmt>,
    },
    If {
        cond: Expr,
        then: Vec<Stmt>,
        otherwise: Vec<Stmt>,
    },
    /// The items separated by spaces, then a newline, or a space when `space_after`.
    Print {
        items: Vec<Expr>,
        space_after: bool,
    },
    Return(Expr),
}

/// A helper function of `long long` parameters returning `long long`.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: String,
    pub params: Vec<String>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Program {
    pub functions: Vec<Function>,
    pub main: Vec<Stmt>,
}

pub fn num(v: i64) -> Expr {
    Expr::Num(v)
}
pub fn var(name: &str) -> Expr {
    Expr::Var(name.to_string())
}
pub fn at(array: &str, index: Expr) -> Expr {
    Expr::Index(array.to_string(), Box::new(index))
}
pub fn bin(op: Op, a: Expr, b: Expr) -> Expr {
    Expr::Bin(op, Box::new(a), Box::new(b))
}
pub fn cmp(c: Cmp, a: Expr, b: Expr) -> Expr {
    Expr::Cmp(c, Box::new(a), Box::new(b))
}
pub fn assign(target: Expr, value: Expr) -> Stmt {
    Stmt::Assign(target, value)
}
pub fn declare(name: &str, ty: Ty, init: Expr) -> Stmt {
    Stmt::Declare {
        name: name.to_string(),
        ty,
        init: Some(init),
    }
}
pub fn print(items: Vec<Expr>) -> Stmt {
    Stmt::Print {
        items,
        space_after: false,
    }
}
pub fn for_up(v: &str, from: Expr, to: Expr, body: Vec<Stmt>) -> Stmt {
    Stmt::For {
        var: v.to_string(),
        from,
        to,
        down: false,
        body,
    }
}
pub fn if_(cond: Expr, then: Vec<Stmt>, otherwise: Vec<Stmt>) -> Stmt {
    Stmt::If {
        cond,
        then,
        otherwise,
    }
}

// ----------------------------------------------------------------------------------------
// Rendering

/// Binding strength: `*` `/` `%` 3, `+` `-` 2, comparisons 1, `and` 0, `or` -1; leaves 9.
fn strength(e: &Expr) -> i32 {
    match e {
        Expr::Bin(Op::Mul | Op::Div | Op::Rem, ..) => 3,
        Expr::Bin(..) => 2,
        Expr::Cmp(..) => 1,
        Expr::And(..) => 0,
        Expr::Or(..) => -1,
        _ => 9,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Dialect {
    Pseudo,
    Cpp,
}

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Add => "+",
        Op::Sub => "-",
        Op::Mul => "*",
        Op::Div => "/",
        Op::Rem => "%",
    }
}

fn cmp_text(c: Cmp, d: Dialect) -> &'static str {
    match (c, d) {
        (Cmp::Lt, Dialect::Cpp) => "<",
        (Cmp::Le, Dialect::Cpp) => "<=",
        (Cmp::Gt, Dialect::Cpp) => ">",
        (Cmp::Ge, Dialect::Cpp) => ">=",
        (Cmp::Eq, Dialect::Cpp) => "==",
        (Cmp::Ne, Dialect::Cpp) => "!=",
        (Cmp::Lt, Dialect::Pseudo) => "is less than",
        (Cmp::Le, Dialect::Pseudo) => "is at most",
        (Cmp::Gt, Dialect::Pseudo) => "is greater than",
        (Cmp::Ge, Dialect::Pseudo) => "is at least",
        (Cmp::Eq, Dialect::Pseudo) => "is",
        (Cmp::Ne, Dialect::Pseudo) => "is not",
    }
}

fn expr_text(e: &Expr, d: Dialect) -> String {
    // A child binding less tightly than its parent, or equally on the right (a - (b - c)),
    // takes parentheses.
    let side = |child: &Expr, parent: i32, right: bool| {
        let s = strength(child);
        let text = expr_text(child, d);
        if s < parent || (right && s == parent && parent >= 2) {
            format!("({text})")
        } else {
            text
        }
    };
    match e {
        Expr::Num(v) => v.to_string(),
        Expr::Chr(c) => format!("'{}'", *c as char),
        Expr::Text(t) => format!("\"{t}\""),
        Expr::Var(v) => v.clone(),
        Expr::Index(a, i) => format!("{a}[{}]", expr_text(i, d)),
        Expr::Len(s) => match d {
            Dialect::Pseudo => format!("length of {s}"),
            Dialect::Cpp => format!("(int){s}.size()"),
        },
        Expr::Bin(op, a, b) => {
            let p = strength(e);
            format!(
                "{} {} {}",
                side(a, p, false),
                op_text(*op),
                side(b, p, true)
            )
        }
        Expr::Cmp(c, a, b) => format!(
            "{} {} {}",
            side(a, 2, false),
            cmp_text(*c, d),
            side(b, 2, true)
        ),
        Expr::And(a, b) | Expr::Or(a, b) => {
            let p = strength(e);
            let word = match (e, d) {
                (Expr::And(..), Dialect::Pseudo) => "and",
                (Expr::And(..), Dialect::Cpp) => "&&",
                (_, Dialect::Pseudo) => "or",
                (_, Dialect::Cpp) => "||",
            };
            format!("{} {word} {}", side(a, p + 1, false), side(b, p + 1, true))
        }
        Expr::Call(f, args) => {
            let args: Vec<String> = args.iter().map(|a| expr_text(a, d)).collect();
            format!("{f}({})", args.join(", "))
        }
    }
}

fn type_words(ty: Ty) -> (&'static str, &'static str) {
    match ty {
        Ty::Int => ("integer", "int"),
        Ty::Long => ("long long", "long long"),
        Ty::Char => ("character", "char"),
        Ty::Str => ("string", "string"),
        Ty::Array => ("long long array", "vector<long long>"),
    }
}

/// The pseudocode, one line per statement (function headers and `else` are lines too; blocks
/// close by indentation alone, two spaces a level).
pub fn pseudocode(p: &Program) -> Vec<String> {
    let mut out = Vec::new();
    for f in &p.functions {
        let params: Vec<String> = f.params.iter().map(|x| format!("long long {x}")).collect();
        out.push(format!(
            "define function {} taking {}, returning long long",
            f.name,
            params.join(" and ")
        ));
        pseudo_block(&f.body, 1, &mut out);
    }
    if !p.functions.is_empty() {
        out.push("in the main function:".into());
        pseudo_block(&p.main, 1, &mut out);
    } else {
        pseudo_block(&p.main, 0, &mut out);
    }
    out
}

fn pseudo_block(body: &[Stmt], depth: usize, out: &mut Vec<String>) {
    let d = Dialect::Pseudo;
    let pad = "  ".repeat(depth);
    for s in body {
        let line = match s {
            Stmt::Declare { name, ty, init } => match init {
                None => format!("create {} {name}", type_words(*ty).0),
                Some(e) => format!(
                    "create {} {name} with value {}",
                    type_words(*ty).0,
                    expr_text(e, d)
                ),
            },
            Stmt::DeclareArray { name, size } => {
                format!(
                    "create long long array {name} of size {}",
                    expr_text(size, d)
                )
            }
            Stmt::Read(t) => format!("read {}", expr_text(t, d)),
            Stmt::Assign(t, v) => format!("set {} to {}", expr_text(t, d), expr_text(v, d)),
            Stmt::Append(s, v) => format!("append {} to {s}", expr_text(v, d)),
            Stmt::For {
                var,
                from,
                to,
                down,
                body,
            } => {
                out.push(format!(
                    "{pad}for {var} = {} {} {}",
                    expr_text(from, d),
                    if *down { "down to" } else { "to" },
                    expr_text(to, d)
                ));
                pseudo_block(body, depth + 1, out);
                continue;
            }
            Stmt::While { cond, body } => {
                out.push(format!("{pad}while {}", expr_text(cond, d)));
                pseudo_block(body, depth + 1, out);
                continue;
            }
            Stmt::If {
                cond,
                then,
                otherwise,
            } => {
                out.push(format!("{pad}if {}", expr_text(cond, d)));
                pseudo_block(then, depth + 1, out);
                if !otherwise.is_empty() {
                    out.push(format!("{pad}else"));
                    pseudo_block(otherwise, depth + 1, out);
                }
                continue;
            }
            Stmt::Print { items, space_after } => {
                let items: Vec<String> = items.iter().map(|e| expr_text(e, d)).collect();
                match (items.is_empty(), space_after) {
                    (true, _) => "print a new line".to_string(),
                    (false, true) => format!("print {} followed by a space", items.join(", ")),
                    (false, false) => format!("print {}", items.join(", ")),
                }
            }
            Stmt::Return(e) => format!("return {}", expr_text(e, d)),
        };
        out.push(format!("{pad}{line}"));
    }
}

/// The C++17 program (explicit headers, no `bits/stdc++.h`, so it compiles anywhere).
pub fn cpp(p: &Program) -> String {
    let mut out = String::from(
        "#include <iostream>\n#include <string>\n#include <vector>\nusing namespace std;\n\n",
    );
    for f in &p.functions {
        let params: Vec<String> = f.params.iter().map(|x| format!("long long {x}")).collect();
        let _ = writeln!(out, "long long {}({}) {{", f.name, params.join(", "));
        cpp_block(&f.body, 1, &mut out);
        out.push_str("}\n\n");
    }
    out.push_str("int main() {\n");
    cpp_block(&p.main, 1, &mut out);
    out.push_str("    return 0;\n}\n");
    out
}

fn cpp_block(body: &[Stmt], depth: usize, out: &mut String) {
    let d = Dialect::Cpp;
    let pad = "    ".repeat(depth);
    for s in body {
        let line = match s {
            Stmt::Declare { name, ty, init } => match init {
                None => format!("{} {name};", type_words(*ty).1),
                Some(e) => format!("{} {name} = {};", type_words(*ty).1, expr_text(e, d)),
            },
            Stmt::DeclareArray { name, size } => {
                format!("vector<long long> {name}({});", expr_text(size, d))
            }
            Stmt::Read(t) => format!("cin >> {};", expr_text(t, d)),
            Stmt::Assign(t, v) => format!("{} = {};", expr_text(t, d), expr_text(v, d)),
            Stmt::Append(s, v) => format!("{s} += {};", expr_text(v, d)),
            Stmt::For {
                var,
                from,
                to,
                down,
                body,
            } => {
                let (test, step) = if *down { (">=", "--") } else { ("<=", "++") };
                let _ = writeln!(
                    out,
                    "{pad}for (int {var} = {}; {var} {test} {}; {var}{step}) {{",
                    expr_text(from, d),
                    expr_text(to, d)
                );
                cpp_block(body, depth + 1, out);
                let _ = writeln!(out, "{pad}}}");
                continue;
            }
            Stmt::While { cond, body } => {
                let _ = writeln!(out, "{pad}while ({}) {{", expr_text(cond, d));
                cpp_block(body, depth + 1, out);
                let _ = writeln!(out, "{pad}}}");
                continue;
            }
            Stmt::If {
                cond,
                then,
                otherwise,
            } => {
                let _ = writeln!(out, "{pad}if ({}) {{", expr_text(cond, d));
                cpp_block(then, depth + 1, out);
                if otherwise.is_empty() {
                    let _ = writeln!(out, "{pad}}}");
                } else {
                    let _ = writeln!(out, "{pad}}} else {{");
                    cpp_block(otherwise, depth + 1, out);
                    let _ = writeln!(out, "{pad}}}");
                }
                continue;
            }
            Stmt::Print { items, space_after } => {
                let mut line = String::from("cout");
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        line.push_str(" << ' '");
                    }
                    let _ = write!(line, " << {}", expr_text(e, d));
                }
                line.push_str(if *space_after {
                    " << ' ';"
                } else {
                    " << '\\n';"
                });
                line
            }
            Stmt::Return(e) => format!("return {};", expr_text(e, d)),
        };
        let _ = writeln!(out, "{pad}{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_pseudocode_and_cpp_line_for_line() {
        let p = super::super::interpret::tests::sample();
        let lines = pseudocode(&p);
        assert_eq!(lines[0], "create integer n");
        assert_eq!(lines[3], "for i = 0 to n - 1");
        assert_eq!(lines[4], "  read a[i]");
        assert_eq!(lines[7], "  if a[i] is greater than best");
        assert_eq!(lines[9], "print best, (0 - 7) % 3");
        let code = cpp(&p);
        assert!(
            code.contains("for (int i = 1; i <= n - 1; i++) {"),
            "{code}"
        );
        assert!(code.contains("cout << best << ' ' << (0 - 7) % 3 << '\\n';"));
    }
}
