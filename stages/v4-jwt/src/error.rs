//! One error type for the whole core. Each kind names the PyJWT exception the Python layer raises,
//! so the mapping lives in one place (`bindings.rs`) and no Rust type name reaches a user.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The token is not well-formed (base64, segments): PyJWT's `DecodeError`.
    Decode,
    /// The key cannot be used (unparsable, wrong type, too small for the algorithm).
    InvalidKey,
    /// The algorithm name is unknown or not usable with this key.
    InvalidAlgorithm,
    /// The signature does not match: PyJWT's `InvalidSignatureError`.
    InvalidSignature,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    pub fn decode(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Decode,
            message: message.into(),
        }
    }

    pub fn invalid_key(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::InvalidKey,
            message: message.into(),
        }
    }

    pub fn invalid_algorithm(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::InvalidAlgorithm,
            message: message.into(),
        }
    }
}

impl Error {
    pub fn invalid_signature() -> Self {
        Self {
            kind: ErrorKind::InvalidSignature,
            // PyJWT's message, word for word.
            message: "Signature verification failed".into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
