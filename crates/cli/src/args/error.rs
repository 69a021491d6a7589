//! The error of a command line that cannot be parsed: what is wrong and a hint.

/// A command-line mistake: what is wrong (one line), and a hint on what to do instead.
#[derive(Debug)]
pub(crate) struct Usage {
    pub(crate) message: String,
    pub(crate) hint: String,
}

pub(super) fn usage(message: impl Into<String>, hint: impl Into<String>) -> Usage {
    Usage {
        message: message.into(),
        hint: hint.into(),
    }
}
