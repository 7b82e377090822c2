// Package leaktest holds the module-wide test that no secret appears in any
// printout: every type that holds a secret is formatted with every verb and
// logged through slog's text and JSON handlers, and every error path of the
// ESIA and Telegram clients (DNS failure, refused connection, timeout, TLS
// failure, 5xx, invalid JSON, cancelled context, an answer echoing a
// token) is provoked against local servers; no token, client secret, key
// or PIN may appear in an error text or a log line.
package leaktest
