//! The interpreter of the pseudocode-to-code programs (`program.rs`): it computes the expected
//! output of each test input, so no compiler is needed to make a reference.
//!
//! It refuses, as an error, anything C++ would leave undefined: an index out of bounds, a
//! division or remainder by zero, an `int` expression outside 32 bits or a `long long` one
//! outside 64, a read past the input, and more than [`STEP_LIMIT`] statements executed. Integer
//! division truncates toward zero and `%` takes the dividend's sign, in C++ and in Rust alike.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::program::{Cmp, Expr, Op, Program, Stmt, Ty};

/// Statements executed per run before the interpreter gives up (the generator's programs run
/// in a few thousand).
pub const STEP_LIMIT: usize = 1_000_000;

/// Why the interpreter refused a program on an input (a generator bug or a draw to redo).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the program is undefined on this input: {0}")]
pub struct Undefined(pub String);

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
pub(crate) mod tests {
    use super::*;
    use crate::longproc::program::{assign, at, bin, cmp, declare, for_up, if_, num, print, var};

    /// read n, read n values, print the largest and the digits of the sum.
    pub(crate) fn sample() -> Program {
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
