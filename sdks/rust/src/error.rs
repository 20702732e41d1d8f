//! The one error type of the crate.

use serde::Deserialize;
use serde_json::Value;

/// Result of every call: the value, or an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong with a call.
///
/// An answer of the server carries its `code` (one of the closed list in the API reference, such
/// as `not_found` or `authenticator_exists`), its HTTP `status`, a `message` for people, optional
/// `details` (for `invalid_request`, which fields were wrong) and the `X-Request-Id` the server
/// logged the request under. When no answer came (connection refused, timeout) `status` is `None`
/// and `code` is `transport`; an answer that is not what the API documents has code `decode`.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Error {
    /// The API's error code, or `transport` / `decode` for failures on this side.
    pub code: String,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// A human-readable message.
    pub message: String,
    /// Machine-readable details, when the server gave some.
    pub details: Option<Value>,
    /// The request id the server logged (response header `X-Request-Id`).
    pub request_id: Option<String>,
    /// Every entry of the server's `errors` array; `code`/`message`/`details` repeat the first.
    pub errors: Vec<ErrorEntry>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// One entry of the `errors` array of a failed response.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ErrorEntry {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub details: Option<Value>,
}

#[derive(Deserialize)]
struct ErrorBody {
    errors: Vec<ErrorEntry>,
}

impl Error {
    /// True when the server answered with this error code.
    pub fn is(&self, code: &str) -> bool {
        self.code == code
    }

    fn describe(&self) -> String {
        let mut text = match self.status {
            Some(status) => format!("{} {}: {}", status, self.code, self.message),
            None => format!("{}: {}", self.code, self.message),
        };
        if let Some(id) = &self.request_id {
            text.push_str(&format!(" (request {id})"));
        }
        text
    }

    pub(crate) fn transport(err: reqwest::Error) -> Self {
        Error {
            code: "transport".into(),
            status: None,
            message: err.to_string(),
            details: None,
            request_id: None,
            errors: Vec::new(),
            source: Some(Box::new(err)),
        }
    }

    pub(crate) fn decode(err: serde_json::Error, status: u16, request_id: Option<String>) -> Self {
        Error {
            code: "decode".into(),
            status: Some(status),
            message: format!("unexpected response body: {err}"),
            details: None,
            request_id,
            errors: Vec::new(),
            source: Some(Box::new(err)),
        }
    }

    /// The error a non-2xx answer stands for. A body that is not the API's error shape (a proxy's
    /// HTML page) still gives an error with the status, so nothing is lost.
    pub(crate) fn from_response(status: u16, request_id: Option<String>, body: &[u8]) -> Self {
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(ErrorBody { errors }) if !errors.is_empty() => {
                let first = errors[0].clone();
                Error {
                    code: first.code,
                    status: Some(status),
                    message: first.message,
                    details: first.details,
                    request_id,
                    errors,
                    source: None,
                }
            }
            _ => Error {
                code: format!("http_{status}"),
                status: Some(status),
                message: String::from_utf8_lossy(&body[..body.len().min(500)]).into_owned(),
                details: None,
                request_id,
                errors: Vec::new(),
                source: None,
            },
        }
    }
}
