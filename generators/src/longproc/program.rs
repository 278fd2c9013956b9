//! The small typed programs of the pseudocode-to-code task: an abstract syntax tree, its
//! interpreter (which computes the expected outputs, so no compiler is needed to make a
//! reference), and two renderings of the same tree, line for line: SPoC-style pseudocode (one
//! line per statement, blocks by indentation; Kulal et al., 2019, as LongProc uses it) and C++17.
//!
//! Types: `int` (counts, indices), `long long` (values), `char`, `string`, and `vector<long long>`
//! arrays. The interpreter refuses, as an error, anything C++ would leave undefined: an index out
//! of bounds, a division or remainder by zero, an `int` expression outside 32 bits or a
//! `long long` one outside 64, a read past the input, and more than [`STEP_LIMIT`] statements
//! executed. Integer division truncates toward zero and `%` takes the dividend's sign, in C++
//! and in Rust alike.

use std::collections::HashMap;
use std::fmt::Write as _;

/// Statements executed per run before the interpreter gives up (the generator's programs run
/// in a few thousand).
pub const STEP_LIMIT: usize = 1_000_000;

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

/// Why the interpreter refused a program on an input (a generator bug or a draw to redo).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the program is undefined on this input: {0}")]
pub struct Undefined(pub String);

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

// ----------------------------------------------------------------------------------------
// Interpreting

#[derive(Debug, Clone, PartialEq)]
enum Value {
    /// A number and whether C++ computes it as `long long` (else `int`, checked to 32 bits).
    Num(i64, bool),
    Char(u8),
    Str(String),
    Array(Vec<i64>),
    Bool(bool),
}

struct Frame {
    vars: HashMap<String, (Ty, Value)>,
}

struct Run<'a> {
    program: &'a Program,
    input: std::vec::IntoIter<String>,
    out: String,
    steps: usize,
}

/// Runs `program` on `input` (white-space separated tokens, as `cin >>` reads them) and returns
/// what it prints.
pub fn interpret(program: &Program, input: &str) -> Result<String, Undefined> {
    let tokens: Vec<String> = input.split_whitespace().map(str::to_string).collect();
    let mut run = Run {
        program,
        input: tokens.into_iter(),
        out: String::new(),
        steps: 0,
    };
    let mut frame = Frame {
        vars: HashMap::new(),
    };
    run.block(&program.main, &mut frame)?;
    Ok(run.out)
}

fn undefined<T>(why: impl Into<String>) -> Result<T, Undefined> {
    Err(Undefined(why.into()))
}

/// A number of the given width, checked: `int` within 32 bits.
fn number(v: i128, long: bool) -> Result<Value, Undefined> {
    let ok = if long {
        i64::try_from(v).is_ok()
    } else {
        i32::try_from(v).is_ok()
    };
    if ok {
        Ok(Value::Num(v as i64, long))
    } else {
        undefined(format!(
            "{v} overflows {}",
            if long { "long long" } else { "int" }
        ))
    }
}

impl Run<'_> {
    /// Runs statements; `Some` when a `return` ended the function.
    fn block(&mut self, body: &[Stmt], f: &mut Frame) -> Result<Option<i64>, Undefined> {
        for s in body {
            self.steps += 1;
            if self.steps > STEP_LIMIT {
                return undefined("too many steps");
            }
            if let Some(r) = self.stmt(s, f)? {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    fn stmt(&mut self, s: &Stmt, f: &mut Frame) -> Result<Option<i64>, Undefined> {
        match s {
            Stmt::Declare { name, ty, init } => {
                let v = match init {
                    Some(e) => {
                        let v = self.eval(e, f)?;
                        coerce(*ty, v)?
                    }
                    None => zero(*ty),
                };
                f.vars.insert(name.clone(), (*ty, v));
            }
            Stmt::DeclareArray { name, size } => {
                let n = self.int(size, f)?;
                if !(0..=1_000_000).contains(&n) {
                    return undefined(format!("array size {n}"));
                }
                f.vars
                    .insert(name.clone(), (Ty::Array, Value::Array(vec![0; n as usize])));
            }
            Stmt::Read(target) => {
                let Some(token) = self.input.next() else {
                    return undefined("read past the input");
                };
                let ty = self.target_type(target, f)?;
                let v = match ty {
                    Ty::Str => Value::Str(token),
                    Ty::Char => match token.bytes().next() {
                        Some(c) if token.len() == 1 => Value::Char(c),
                        _ => return undefined("a char read from a longer token"),
                    },
                    _ => match token.parse::<i64>() {
                        Ok(v) => Value::Num(v, true),
                        Err(_) => return undefined(format!("`{token}` read as a number")),
                    },
                };
                self.store(target, v, f)?;
            }
            Stmt::Assign(target, e) => {
                let v = self.eval(e, f)?;
                self.store(target, v, f)?;
            }
            Stmt::Append(name, e) => {
                let v = self.eval(e, f)?;
                match (f.vars.get_mut(name), v) {
                    (Some((_, Value::Str(s))), Value::Char(c)) => s.push(c as char),
                    (Some((_, Value::Str(s))), Value::Str(t)) => s.push_str(&t),
                    _ => return undefined(format!("append to {name}")),
                }
            }
            Stmt::For {
                var,
                from,
                to,
                down,
                body,
            } => {
                let mut i = self.int(from, f)?;
                loop {
                    let end = self.int(to, f)?;
                    if (*down && i < end) || (!*down && i > end) {
                        break;
                    }
                    // Set in place: one allocation for the name per loop, not per turn.
                    match f.vars.get_mut(var) {
                        Some(slot) => *slot = (Ty::Int, Value::Num(i, false)),
                        None => {
                            f.vars.insert(var.clone(), (Ty::Int, Value::Num(i, false)));
                        }
                    }
                    if let Some(r) = self.block(body, f)? {
                        return Ok(Some(r));
                    }
                    i = match f.vars.get(var) {
                        Some((_, Value::Num(v, _))) => *v,
                        _ => return undefined(format!("loop variable {var}")),
                    };
                    i += if *down { -1 } else { 1 };
                    self.steps += 1;
                    if self.steps > STEP_LIMIT {
                        return undefined("too many steps");
                    }
                }
                f.vars.remove(var);
            }
            Stmt::While { cond, body } => {
                while self.truth(cond, f)? {
                    if let Some(r) = self.block(body, f)? {
                        return Ok(Some(r));
                    }
                    self.steps += 1;
                    if self.steps > STEP_LIMIT {
                        return undefined("too many steps");
                    }
                }
            }
            Stmt::If {
                cond,
                then,
                otherwise,
            } => {
                let branch = if self.truth(cond, f)? {
                    then
                } else {
                    otherwise
                };
                return self.block(branch, f);
            }
            Stmt::Print { items, space_after } => {
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    match self.eval(e, f)? {
                        Value::Num(v, _) => {
                            let _ = write!(self.out, "{v}");
                        }
                        Value::Char(c) => self.out.push(c as char),
                        Value::Str(s) => self.out.push_str(&s),
                        _ => return undefined("printing an array or a truth value"),
                    }
                }
                self.out.push(if *space_after { ' ' } else { '\n' });
            }
            Stmt::Return(e) => return Ok(Some(self.long(e, f)?)),
        }
        Ok(None)
    }

    fn target_type(&self, target: &Expr, f: &Frame) -> Result<Ty, Undefined> {
        match target {
            Expr::Var(v) => f.vars.get(v).map(|x| x.0).ok_or(()),
            Expr::Index(a, _) => match f.vars.get(a) {
                Some((Ty::Array, _)) => Ok(Ty::Long),
                Some((Ty::Str, _)) => Ok(Ty::Char),
                _ => Err(()),
            },
            _ => Err(()),
        }
        .or_else(|_| undefined(format!("no variable to store into: {target:?}")))
    }

    fn store(&mut self, target: &Expr, v: Value, f: &mut Frame) -> Result<(), Undefined> {
        match target {
            Expr::Var(name) => {
                let ty = self.target_type(target, f)?;
                let v = coerce(ty, v)?;
                f.vars.insert(name.clone(), (ty, v));
                Ok(())
            }
            Expr::Index(name, i) => {
                let i = self.int(i, f)?;
                let ty = self.target_type(target, f)?;
                let v = coerce(ty, v)?;
                match (f.vars.get_mut(name), v) {
                    (Some((_, Value::Array(a))), Value::Num(v, _)) => {
                        match usize::try_from(i).ok().and_then(|i| a.get_mut(i)) {
                            Some(slot) => *slot = v,
                            None => return undefined(format!("{name}[{i}] out of bounds")),
                        }
                    }
                    (Some((_, Value::Str(s))), Value::Char(c)) => {
                        if !(0..s.len() as i64).contains(&i) {
                            return undefined(format!("{name}[{i}] out of bounds"));
                        }
                        let mut bytes = std::mem::take(s).into_bytes();
                        bytes[i as usize] = c;
                        *s = String::from_utf8(bytes).map_err(|_| Undefined("not ASCII".into()))?;
                    }
                    _ => return undefined(format!("store into {name}")),
                }
                Ok(())
            }
            _ => undefined("store into an expression"),
        }
    }

    fn int(&mut self, e: &Expr, f: &mut Frame) -> Result<i64, Undefined> {
        match self.eval(e, f)? {
            Value::Num(v, _) => Ok(v),
            Value::Char(c) => Ok(c as i64),
            other => undefined(format!("{other:?} is not a number")),
        }
    }

    fn long(&mut self, e: &Expr, f: &mut Frame) -> Result<i64, Undefined> {
        self.int(e, f)
    }

    fn truth(&mut self, e: &Expr, f: &mut Frame) -> Result<bool, Undefined> {
        match self.eval(e, f)? {
            Value::Bool(b) => Ok(b),
            Value::Num(v, _) => Ok(v != 0),
            other => undefined(format!("{other:?} is not a condition")),
        }
    }

    fn eval(&mut self, e: &Expr, f: &mut Frame) -> Result<Value, Undefined> {
        Ok(match e {
            Expr::Num(v) => number(*v as i128, !(i32::MIN as i64..=i32::MAX as i64).contains(v))?,
            Expr::Chr(c) => Value::Char(*c),
            Expr::Text(t) => Value::Str(t.clone()),
            Expr::Var(name) => match f.vars.get(name) {
                Some((_, v)) => v.clone(),
                None => return undefined(format!("{name} is not declared")),
            },
            Expr::Index(name, i) => {
                let i = self.int(i, f)?;
                let bad = || Undefined(format!("{name}[{i}] out of bounds"));
                match f.vars.get(name) {
                    Some((_, Value::Array(a))) => Value::Num(
                        *usize::try_from(i)
                            .ok()
                            .and_then(|i| a.get(i))
                            .ok_or_else(bad)?,
                        true,
                    ),
                    Some((_, Value::Str(s))) => Value::Char(
                        *usize::try_from(i)
                            .ok()
                            .and_then(|i| s.as_bytes().get(i))
                            .ok_or_else(bad)?,
                    ),
                    _ => return undefined(format!("{name} cannot be indexed")),
                }
            }
            Expr::Len(name) => match f.vars.get(name) {
                Some((_, Value::Str(s))) => Value::Num(s.len() as i64, false),
                _ => return undefined(format!("{name} has no length")),
            },
            Expr::Bin(op, a, b) => {
                let (x, lx) = self.numeric(a, f)?;
                let (y, ly) = self.numeric(b, f)?;
                let long = lx || ly;
                let (x, y) = (x as i128, y as i128);
                let v = match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div | Op::Rem if y == 0 => return undefined("division by zero"),
                    // i128 division truncates toward zero, as C++ does.
                    Op::Div => x / y,
                    Op::Rem => x % y,
                };
                number(v, long)?
            }
            Expr::Cmp(c, a, b) => {
                let (x, _) = self.numeric(a, f)?;
                let (y, _) = self.numeric(b, f)?;
                Value::Bool(match c {
                    Cmp::Lt => x < y,
                    Cmp::Le => x <= y,
                    Cmp::Gt => x > y,
                    Cmp::Ge => x >= y,
                    Cmp::Eq => x == y,
                    Cmp::Ne => x != y,
                })
            }
            Expr::And(a, b) => Value::Bool(self.truth(a, f)? && self.truth(b, f)?),
            Expr::Or(a, b) => Value::Bool(self.truth(a, f)? || self.truth(b, f)?),
            Expr::Call(name, args) => {
                let Some(func) = self.program.functions.iter().find(|g| &g.name == name) else {
                    return undefined(format!("no function {name}"));
                };
                if func.params.len() != args.len() {
                    return undefined(format!("{name} takes {} arguments", func.params.len()));
                }
                let mut frame = Frame {
                    vars: HashMap::new(),
                };
                for (p, a) in func.params.iter().zip(args) {
                    let v = self.long(a, f)?;
                    frame
                        .vars
                        .insert(p.clone(), (Ty::Long, Value::Num(v, true)));
                }
                match self.block(&func.body, &mut frame)? {
                    Some(v) => Value::Num(v, true),
                    None => return undefined(format!("{name} ends without a return")),
                }
            }
        })
    }

    /// A number and its width; a `char` is an `int`, as C++ promotes it.
    fn numeric(&mut self, e: &Expr, f: &mut Frame) -> Result<(i64, bool), Undefined> {
        match self.eval(e, f)? {
            Value::Num(v, long) => Ok((v, long)),
            Value::Char(c) => Ok((c as i64, false)),
            other => undefined(format!("{other:?} in arithmetic")),
        }
    }
}

fn zero(ty: Ty) -> Value {
    match ty {
        Ty::Int => Value::Num(0, false),
        Ty::Long => Value::Num(0, true),
        Ty::Char => Value::Char(0),
        Ty::Str => Value::Str(String::new()),
        Ty::Array => Value::Array(Vec::new()),
    }
}

/// A value stored into a variable of type `ty`, as C++ converts it (only conversions that
/// keep the value are allowed).
fn coerce(ty: Ty, v: Value) -> Result<Value, Undefined> {
    Ok(match (ty, v) {
        (Ty::Int, Value::Num(v, _)) => number(v as i128, false)?,
        (Ty::Int, Value::Char(c)) => Value::Num(c as i64, false),
        (Ty::Long, Value::Num(v, _)) => Value::Num(v, true),
        (Ty::Long, Value::Char(c)) => Value::Num(c as i64, true),
        (Ty::Char, Value::Char(c)) => Value::Char(c),
        (Ty::Str, Value::Str(s)) => Value::Str(s),
        (ty, v) => return undefined(format!("{v:?} stored as {ty:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// read n, read n values, print the largest and the digits of the sum.
    fn sample() -> Program {
        let body = vec![
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
            for_up(
                "i",
                num(0),
                bin(Op::Sub, var("n"), num(1)),
                vec![Stmt::Read(at("a", var("i")))],
            ),
            declare("best", Ty::Long, at("a", num(0))),
            for_up(
                "i",
                num(1),
                bin(Op::Sub, var("n"), num(1)),
                vec![if_(
                    cmp(Cmp::Gt, at("a", var("i")), var("best")),
                    vec![assign(var("best"), at("a", var("i")))],
                    vec![],
                )],
            ),
            print(vec![
                var("best"),
                bin(Op::Rem, bin(Op::Sub, num(0), num(7)), num(3)),
            ]),
        ];
        Program {
            functions: vec![],
            main: body,
        }
    }

    #[test]
    fn interprets_reads_loops_and_truncating_remainder() {
        assert_eq!(interpret(&sample(), "3\n4 -2 9\n").unwrap(), "9 -1\n");
        assert!(
            interpret(&sample(), "3\n4 -2\n").is_err(),
            "read past input"
        );
    }

    #[test]
    fn renders_pseudocode_and_cpp_line_for_line() {
        let lines = pseudocode(&sample());
        assert_eq!(lines[0], "create integer n");
        assert_eq!(lines[3], "for i = 0 to n - 1");
        assert_eq!(lines[4], "  read a[i]");
        assert_eq!(lines[7], "  if a[i] is greater than best");
        assert_eq!(lines[9], "print best, (0 - 7) % 3");
        let code = cpp(&sample());
        assert!(
            code.contains("for (int i = 1; i <= n - 1; i++) {"),
            "{code}"
        );
        assert!(code.contains("cout << best << ' ' << (0 - 7) % 3 << '\\n';"));
    }

    #[test]
    fn undefined_behaviour_is_refused() {
        let p = |e: Expr| Program {
            functions: vec![],
            main: vec![print(vec![e])],
        };
        assert!(interpret(&p(bin(Op::Div, num(1), num(0))), "").is_err());
        assert!(interpret(&p(bin(Op::Mul, num(70_000), num(70_000))), "").is_err());
        assert!(interpret(&p(bin(Op::Mul, num(3_000_000_000), num(3))), "").is_ok());
        assert!(
            interpret(&p(bin(Op::Sub, num(10), bin(Op::Sub, num(4), num(1)))), "")
                .is_ok_and(|o| o == "7\n")
        );
    }
}
