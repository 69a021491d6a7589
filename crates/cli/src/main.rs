//! `netpol`: the command line of the NetworkPolicy playground.
//!
//! Every command reads YAML files (Kubernetes objects and/or the toy cluster format), prints
//! every diagnostic to stderr as `file:line:col: severity: message`, and prints its result to
//! stdout. Exit codes: 0 success (for `explain`: allowed), 1 denied (`explain` only), 2 errors in
//! the input or in the command line. Errors take precedence: the result of the valid part of the
//! input is still printed, but the exit code is 2.
//!
//! `args` reads the command line into one type per command, `commands` runs them, `render` and
//! `teach` turn results into text and JSON, and `output` is the only place that prints.

use std::process::ExitCode;

mod args;
mod commands;
mod json;
mod output;
mod render;
mod suggest;
mod teach;

use args::{parse_args, Cli};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&argv) {
        Ok(Cli::Help(text)) => {
            output::print_lines(text.lines());
            ExitCode::SUCCESS
        }
        Ok(Cli::Version) => {
            output::print_lines([concat!("netpol ", env!("CARGO_PKG_VERSION"))]);
            ExitCode::SUCCESS
        }
        Ok(Cli::Run(command)) => ExitCode::from(commands::run(&command)),
        Err(usage) => {
            output::print_error(&usage.message, &usage.hint);
            ExitCode::from(2)
        }
    }
}
