package gost

import (
	"fmt"
	"log/slog"
	"strconv"
)

// redacted stands for the private scalar in every printout of a key.
const redacted = "[REDACTED]"

// curveName returns the name of the key's curve, or "<nil>".
func (k PrivateKey) curveName() string {
	if k.Curve == nil {
		return "<nil>"
	}
	return k.Curve.Name
}

// String returns "gost.PrivateKey{Curve: NAME, D: [REDACTED]}": the curve
// only, never the private scalar.
func (k PrivateKey) String() string {
	return "gost.PrivateKey{Curve: " + k.curveName() + ", D: " + redacted + "}"
}

// GoString implements fmt.GoStringer like String.
func (k PrivateKey) GoString() string { return k.String() }

// Format implements fmt.Formatter for every verb (%v, %+v, %#v, %s, %x,
// ...): it writes [PrivateKey.String], quoted for %q, so that no verb
// prints the private scalar.
func (k PrivateKey) Format(f fmt.State, verb rune) {
	s := k.String()
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// LogValue implements slog.LogValuer: the curve name, never the private
// scalar.
func (k PrivateKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("curve", k.curveName()), slog.String("d", redacted))
}

// MarshalJSON encodes the key as {"curve": NAME, "d": "[REDACTED]"}, so that
// a value holding a key never leaks the private scalar through JSON (for
// instance a struct logged with slog's JSON handler). Store keys with
// [MarshalPKCS8PrivateKey] or [EncodePrivateKeyPEM].
func (k PrivateKey) MarshalJSON() ([]byte, error) {
	return []byte(`{"curve":` + strconv.Quote(k.curveName()) + `,"d":"` + redacted + `"}`), nil
}
