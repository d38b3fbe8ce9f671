//! The transcript's outcome of a failed call: `ErrorInfo.reason` (else the proto's error table),
//! then ` field=<field>`, then a suffix when the rest of the status disagrees with the contract.
use tonic::{Code, Status};
use tonic_types::StatusExt;

/// The `domain` of every ErrorInfo the scheduler sends.
pub const ERROR_DOMAIN: &str = "scheduler.k1s0.system";

/// The gRPC status that the proto's error table gives a reason. CONFLICT has two: ALREADY_EXISTS
/// for a key that another job has (field `key`), ABORTED for an `expected_revision`.
fn expected_status(reason: &str, field: &str) -> Option<Code> {
    Some(match reason {
        "JOB_NOT_FOUND" => Code::NotFound,
        "INVALID_SCHEDULE" | "INVALID_ARGUMENT" => Code::InvalidArgument,
        "INVALID_STATE" => Code::FailedPrecondition,
        "CONFLICT" if field == "key" => Code::AlreadyExists,
        "CONFLICT" => Code::Aborted,
        "TIMEOUT" => Code::DeadlineExceeded,
        "CANCELLED" => Code::Cancelled,
        _ => return None,
    })
}

/// The reason of a status that came without an ErrorInfo. ABORTED (a retryable conflict) and
/// every status outside the table are SERVER_ERROR.
fn reason_of_status(code: Code) -> &'static str {
    match code {
        Code::NotFound => "JOB_NOT_FOUND",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::FailedPrecondition => "INVALID_STATE",
        Code::AlreadyExists => "CONFLICT",
        Code::DeadlineExceeded => "TIMEOUT",
        Code::Cancelled => "CANCELLED",
        _ => "SERVER_ERROR",
    }
}

/// The proto name of a status code, such as `INVALID_ARGUMENT` (`tonic::Code`'s Debug form is
/// CamelCase, and its `description()` is prose).
pub fn status_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// The outcome of a failed call, as the transcript prints it.
///
/// DEADLINE_EXCEEDED and CANCELLED are the client's own statuses: they print as TIMEOUT and
/// CANCELLED, with nothing after them. Every other status should carry a `google.rpc.Status` in
/// its `grpc-status-details-bin` trailer, with an ErrorInfo among its details. tonic keeps that
/// trailer, base64-decoded, in `Status::details()`; tonic-types' `StatusExt` decodes it. Its
/// `get_error_details()` turns bytes that do not decode into "no details", so this uses
/// `check_error_details()`, which says so.
pub fn error_outcome(status: &Status) -> String {
    let code = status.code();
    if matches!(code, Code::DeadlineExceeded | Code::Cancelled) {
        return reason_of_status(code).to_owned();
    }
    let details = match status.check_error_details() {
        Ok(details) => details,
        Err(e) => {
            return format!(
                "{} (grpc-status-details-bin does not decode: {e})",
                reason_of_status(code)
            )
        }
    };
    let Some(info) = details.error_info() else {
        return format!("{} (no ErrorInfo)", reason_of_status(code));
    };
    let field = info.metadata.get("field").map_or("", String::as_str);
    let outcome = if field.is_empty() {
        info.reason.clone()
    } else {
        format!("{} field={field}", info.reason)
    };
    if info.domain != ERROR_DOMAIN {
        return format!("{outcome} (domain {:?})", info.domain);
    }
    match expected_status(&info.reason, field) {
        Some(expected) if expected != code => {
            format!("{outcome} (but gRPC status {})", status_name(code))
        }
        _ => outcome,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tonic_types::ErrorDetails;

    use super::*;

    fn with_info(code: Code, reason: &str, domain: &str, field: Option<&str>) -> Status {
        let metadata: HashMap<String, String> = field
            .map(|f| ("field".to_owned(), f.to_owned()))
            .into_iter()
            .collect();
        Status::with_error_details(
            code,
            "message text, never read",
            ErrorDetails::with_error_info(reason, domain, metadata),
        )
    }

    #[test]
    fn reads_the_reason_and_field_of_the_error_info() {
        #[rustfmt::skip] // one case a line
        let cases = [
            (Code::NotFound, "JOB_NOT_FOUND", None, "JOB_NOT_FOUND"),
            (Code::InvalidArgument, "INVALID_ARGUMENT", Some("name"), "INVALID_ARGUMENT field=name"),
            (Code::AlreadyExists, "CONFLICT", Some("key"), "CONFLICT field=key"),
            (Code::Aborted, "CONFLICT", Some("expected_revision"), "CONFLICT field=expected_revision"),
        ];
        for (code, reason, field, expected) in cases {
            let status = with_info(code, reason, ERROR_DOMAIN, field);
            assert_eq!(error_outcome(&status), expected, "{reason} {field:?}");
        }
    }

    #[test]
    fn the_client_own_statuses_print_alone() {
        assert_eq!(error_outcome(&Status::deadline_exceeded("late")), "TIMEOUT");
        assert_eq!(error_outcome(&Status::cancelled("gone")), "CANCELLED");
    }

    #[test]
    fn reports_what_disagrees_with_the_contract() {
        let other_domain = with_info(Code::NotFound, "JOB_NOT_FOUND", "example.com", None);
        assert_eq!(
            error_outcome(&other_domain),
            r#"JOB_NOT_FOUND (domain "example.com")"#
        );
        let wrong_status = with_info(Code::Internal, "INVALID_STATE", ERROR_DOMAIN, None);
        assert_eq!(
            error_outcome(&wrong_status),
            "INVALID_STATE (but gRPC status INTERNAL)"
        );
        let key_conflict_as_aborted =
            with_info(Code::Aborted, "CONFLICT", ERROR_DOMAIN, Some("key"));
        assert_eq!(
            error_outcome(&key_conflict_as_aborted),
            "CONFLICT field=key (but gRPC status ABORTED)"
        );
        assert_eq!(
            error_outcome(&Status::already_exists("taken")),
            "CONFLICT (no ErrorInfo)"
        );
        assert_eq!(
            error_outcome(&Status::aborted("stale")),
            "SERVER_ERROR (no ErrorInfo)"
        );
        let garbage = Status::with_details(Code::NotFound, "missing", vec![0xff, 0xff].into());
        assert!(error_outcome(&garbage)
            .starts_with("JOB_NOT_FOUND (grpc-status-details-bin does not decode: "));
    }
}
