//! The `longforge` binary: the command line of [`longforge::run_cli`] with the built-in families.

use std::process::ExitCode;

fn main() -> ExitCode {
    longforge::run_cli(&longforge::Registry::builtin(), std::env::args_os())
}
