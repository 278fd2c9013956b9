//! A small parser for the arithmetic of Countdown answers: whole numbers, `+ - * /` and
//! parentheses, evaluated exactly. Model text is parsed, never run as code (the original
//! checker `eval`ed it in Python and crashed on a syntax error): anything that is not such an
//! expression is an [`ArithmeticError`], which the scorer counts as a wrong answer.
//!
//! Besides the ASCII operators it reads the signs models write: `×`, `x`, `X`, `·` and `∙` for
//! multiplication, `÷` and `:` for division, `−`, `–` and `—` for subtraction. Every
//! intermediate result must be a whole number (Countdown's rule): `7 / 2` is an error, not 3.5.
//! There is no unary minus: Countdown combines the given numbers, it does not negate them.

/// Why a text is not a usable expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArithmeticError {
    #[error("unexpected `{0}`")]
    Unexpected(String),
    #[error("the expression ends too early")]
    Incomplete,
    #[error("{0} / {1} is not a whole number")]
    NotWhole(i64, i64),
    #[error("division by zero")]
    DivisionByZero,
    #[error("a number or result is too large")]
    Overflow,
    #[error("parentheses nested more than {MAX_DEPTH} deep")]
    TooDeep,
}

/// Deepest parenthesis nesting read (the parser recurses once per level).
pub const MAX_DEPTH: usize = 64;

/// An evaluated expression: its value and the numbers it is made of, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluated {
    pub value: i64,
    pub operands: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Number(i64),
    Op(char),
    Open,
    Close,
}

/// Parses and evaluates `text` as one whole expression.
pub fn evaluate(text: &str) -> Result<Evaluated, ArithmeticError> {
    let tokens = tokenise(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        depth: 0,
        operands: Vec::new(),
    };
    let value = parser.sum()?;
    if let Some(t) = parser.tokens.get(parser.at) {
        return Err(ArithmeticError::Unexpected(show(*t)));
    }
    Ok(Evaluated {
        value,
        operands: parser.operands,
    })
}

fn tokenise(text: &str) -> Result<Vec<Token>, ArithmeticError> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_digit() {
            let mut n: i64 = 0;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(i64::from(d)))
                    .ok_or(ArithmeticError::Overflow)?;
                chars.next();
            }
            tokens.push(Token::Number(n));
        } else {
            let token = match c {
                '+' => Token::Op('+'),
                '-' | '−' | '–' | '—' => Token::Op('-'),
                '*' | '×' | 'x' | 'X' | '·' | '∙' => Token::Op('*'),
                '/' | '÷' | ':' => Token::Op('/'),
                '(' | '[' => Token::Open,
                ')' | ']' => Token::Close,
                other => return Err(ArithmeticError::Unexpected(other.to_string())),
            };
            tokens.push(token);
            chars.next();
        }
    }
    Ok(tokens)
}

fn show(t: Token) -> String {
    match t {
        Token::Number(n) => n.to_string(),
        Token::Op(c) => c.to_string(),
        Token::Open => "(".into(),
        Token::Close => ")".into(),
    }
}

/// Recursive descent: sum := product (('+'|'-') product)*; product := atom (('*'|'/') atom)*;
/// atom := number | '(' sum ')'. Nesting is bounded by [`MAX_DEPTH`].
struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    depth: usize,
    operands: Vec<i64>,
}

impl Parser<'_> {
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).copied();
        self.at += 1;
        t
    }

    fn peek_op(&self, ops: &[char]) -> Option<char> {
        match self.tokens.get(self.at) {
            Some(Token::Op(c)) if ops.contains(c) => Some(*c),
            _ => None,
        }
    }

    fn sum(&mut self) -> Result<i64, ArithmeticError> {
        let mut value = self.product()?;
        while let Some(op) = self.peek_op(&['+', '-']) {
            self.at += 1;
            let rhs = self.product()?;
            value = apply(value, op, rhs)?;
        }
        Ok(value)
    }

    fn product(&mut self) -> Result<i64, ArithmeticError> {
        let mut value = self.atom()?;
        while let Some(op) = self.peek_op(&['*', '/']) {
            self.at += 1;
            let rhs = self.atom()?;
            value = apply(value, op, rhs)?;
        }
        Ok(value)
    }

    fn atom(&mut self) -> Result<i64, ArithmeticError> {
        match self.next() {
            Some(Token::Number(n)) => {
                self.operands.push(n);
                Ok(n)
            }
            Some(Token::Open) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(ArithmeticError::TooDeep);
                }
                let value = self.sum()?;
                self.depth -= 1;
                match self.next() {
                    Some(Token::Close) => Ok(value),
                    Some(t) => Err(ArithmeticError::Unexpected(show(t))),
                    None => Err(ArithmeticError::Incomplete),
                }
            }
            Some(t) => Err(ArithmeticError::Unexpected(show(t))),
            None => Err(ArithmeticError::Incomplete),
        }
    }
}

fn apply(a: i64, op: char, b: i64) -> Result<i64, ArithmeticError> {
    let value = match op {
        '+' => a.checked_add(b),
        '-' => a.checked_sub(b),
        '*' => a.checked_mul(b),
        _ => {
            if b == 0 {
                return Err(ArithmeticError::DivisionByZero);
            }
            if a % b != 0 {
                return Err(ArithmeticError::NotWhole(a, b));
            }
            a.checked_div(b)
        }
    };
    value.ok_or(ArithmeticError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Result<i64, ArithmeticError> {
        evaluate(text).map(|e| e.value)
    }

    #[test]
    fn evaluates_with_precedence_and_parentheses() {
        assert_eq!(value("44 + 8"), Ok(52));
        assert_eq!(value("2 + 3 * 4"), Ok(14));
        assert_eq!(value("(2 + 3) * 4"), Ok(20));
        assert_eq!(value("20 - 5 - 3"), Ok(12));
        assert_eq!(value("36 / 2 / 3"), Ok(6));
        assert_eq!(value("3 - 44"), Ok(-41));
        assert_eq!(value("7 × 6 ÷ 3 − 1"), Ok(13));
        assert_eq!(value("[9 x 4] : 2"), Ok(18));
        assert_eq!(
            evaluate("(44 + 8) * 3 - 7").unwrap().operands,
            vec![44, 8, 3, 7]
        );
    }

    #[test]
    fn anything_else_is_an_error_never_a_panic() {
        assert_eq!(value("7 / 2"), Err(ArithmeticError::NotWhole(7, 2)));
        assert_eq!(value("7 / (3 - 3)"), Err(ArithmeticError::DivisionByZero));
        assert_eq!(value("44 +"), Err(ArithmeticError::Incomplete));
        assert_eq!(value("(44 + 8"), Err(ArithmeticError::Incomplete));
        assert_eq!(value(""), Err(ArithmeticError::Incomplete));
        assert!(value("44 + 8)").is_err());
        assert!(value("-3 + 5").is_err(), "no unary minus");
        assert!(value("__import__('os')").is_err());
        assert!(value("2 ** 3").is_err());
        assert!(value("3.5 + 1").is_err());
        assert_eq!(
            value("99999999999999999999 + 1"),
            Err(ArithmeticError::Overflow)
        );
        assert_eq!(
            value("4611686018427387904 * 4"),
            Err(ArithmeticError::Overflow)
        );
        let nested = |n: usize| format!("{}1{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(value(&nested(MAX_DEPTH)), Ok(1));
        assert_eq!(value(&nested(100_000)), Err(ArithmeticError::TooDeep));
    }
}
