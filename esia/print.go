package esia

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// Printouts of the types that hold secrets (signers, the configuration, the
// client) name what they are and never what they hold: no key material, no
// command arguments or environment values (they may carry PINs), no
// certificate bytes. Each type implements fmt.Formatter for every verb
// (%v, %+v, %#v, %s, %x, ...) and slog.LogValuer.

// writeFormatted writes s for any verb, quoted for %q.
func writeFormatted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// String describes the signer: its curve and certificate hash.
func (s GOSTSigner) String() string {
	curve := "<nil>"
	if s.key != nil && s.key.Curve != nil {
		curve = s.key.Curve.Name
	}
	return "esia.GOSTSigner{Curve: " + curve + ", CertificateHash: " + s.hash + "}"
}

// GoString implements fmt.GoStringer like String.
func (s GOSTSigner) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb writes String.
func (s GOSTSigner) Format(f fmt.State, verb rune) { writeFormatted(f, verb, s.String()) }

// LogValue implements slog.LogValuer without the key.
func (s GOSTSigner) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", "gost"), slog.String("certificate_hash", s.hash))
}

// String describes the signer: its key size and certificate hash.
func (s RSASigner) String() string {
	bits := 0
	if s.key != nil && s.key.N != nil {
		bits = s.key.N.BitLen()
	}
	return "esia.RSASigner{Bits: " + strconv.Itoa(bits) + ", CertificateHash: " + s.hash + "}"
}

// GoString implements fmt.GoStringer like String.
func (s RSASigner) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb writes String.
func (s RSASigner) Format(f fmt.State, verb rune) { writeFormatted(f, verb, s.String()) }

// LogValue implements slog.LogValuer without the key.
func (s RSASigner) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", "rsa"), slog.String("certificate_hash", s.hash))
}

// String describes the signer: the command, the engine, the file names and
// the certificate hash. The signer never reads the key file.
func (s OpenSSLSigner) String() string {
	return "esia.OpenSSLSigner{Path: " + s.path + ", Engine: " + s.engine + ", KeyFile: " + s.keyFile +
		", CertFile: " + s.certFile + ", CertificateHash: " + s.hash + "}"
}

// GoString implements fmt.GoStringer like String.
func (s OpenSSLSigner) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb writes String.
func (s OpenSSLSigner) Format(f fmt.State, verb rune) { writeFormatted(f, verb, s.String()) }

// LogValue implements slog.LogValuer.
func (s OpenSSLSigner) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", "openssl"), slog.String("path", s.path),
		slog.String("key_file", s.keyFile), slog.String("certificate_hash", s.hash))
}

// envNames returns the names of env entries ("NAME=value"), never values.
func envNames(env []string) []string {
	names := make([]string, len(env))
	for i, e := range env {
		name, _, _ := strings.Cut(e, "=")
		names[i] = name
	}
	return names
}

// String describes the signer without its arguments or environment values,
// which may carry a container PIN: the command, how many arguments, the
// names of the added environment variables, the certificate hash.
func (s CommandSigner) String() string {
	var b strings.Builder
	b.WriteString("esia.CommandSigner{Path: ")
	b.WriteString(s.Path)
	b.WriteString(", Args: ")
	b.WriteString(strconv.Itoa(len(s.Args)))
	b.WriteString(" [REDACTED], CMSArgs: ")
	b.WriteString(strconv.Itoa(len(s.CMSArgs)))
	b.WriteString(" [REDACTED], Reverse: ")
	b.WriteString(strconv.FormatBool(s.Reverse))
	b.WriteString(", Env: [")
	b.WriteString(strings.Join(envNames(s.Env), " "))
	b.WriteString("], CertificateHash: ")
	b.WriteString(s.CertificateHash())
	b.WriteString("}")
	return b.String()
}

// GoString implements fmt.GoStringer like String.
func (s CommandSigner) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb writes String.
func (s CommandSigner) Format(f fmt.State, verb rune) { writeFormatted(f, verb, s.String()) }

// LogValue implements slog.LogValuer without arguments or environment
// values.
func (s CommandSigner) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", "command"), slog.String("path", s.Path),
		slog.Int("args", len(s.Args)), slog.Any("env", envNames(s.Env)),
		slog.String("certificate_hash", s.CertificateHash()))
}

// MarshalJSON encodes what LogValue shows, never the arguments or the
// environment values, so that a value holding the signer does not leak
// them through JSON (for instance a struct logged with slog's JSON
// handler).
func (s CommandSigner) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Type            string   `json:"type"`
		Path            string   `json:"path"`
		Args            int      `json:"args"`
		Env             []string `json:"env"`
		CertificateHash string   `json:"certificate_hash"`
	}{"command", s.Path, len(s.Args), envNames(s.Env), s.CertificateHash()})
}

// signerType names a signer by its Go type only: a Signer implemented
// outside this package may print its secrets.
func signerType(s Signer) string {
	if s == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%T", s)
}

// String describes the configuration: stand, client id, redirect URL,
// scopes, the signer's type (never its contents), protocol options and how
// many certificates and keys verify tokens.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("esia.Config{BaseURL: ")
	b.WriteString(c.BaseURL)
	b.WriteString(", ClientID: ")
	b.WriteString(c.ClientID)
	b.WriteString(", RedirectURL: ")
	b.WriteString(c.RedirectURL)
	b.WriteString(", Scopes: [")
	b.WriteString(strings.Join(c.Scopes, " "))
	b.WriteString("], OrgScopes: [")
	b.WriteString(strings.Join(c.OrgScopes, " "))
	b.WriteString("], Signer: ")
	b.WriteString(signerType(c.Signer))
	b.WriteString(", Protocol: ")
	b.WriteString(c.Protocol.String())
	b.WriteString(", AccessType: ")
	b.WriteString(string(c.AccessType))
	fmt.Fprintf(&b, ", Certificates: %d, VerifyKeys: %d, Issuer: %s, Leeway: %s, SecretEncoding: %d, RefreshSigning: %d, AcceptReversedGOST: %t}",
		len(c.Certificates), len(c.VerifyKeys), c.Issuer, c.Leeway, int(c.SecretEncoding), int(c.RefreshSigning), c.AcceptReversedGOST)
	return b.String()
}

// GoString implements fmt.GoStringer like String.
func (c Config) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb writes String.
func (c Config) Format(f fmt.State, verb rune) { writeFormatted(f, verb, c.String()) }

// LogValue implements slog.LogValuer: the fields of String.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("client_id", c.ClientID),
		slog.String("redirect_url", c.RedirectURL),
		slog.Any("scopes", c.Scopes),
		slog.Any("org_scopes", c.OrgScopes),
		slog.String("signer", signerType(c.Signer)),
		slog.String("protocol", c.Protocol.String()),
		slog.String("access_type", string(c.AccessType)),
		slog.Int("certificates", len(c.Certificates)),
		slog.Int("verify_keys", len(c.VerifyKeys)),
	)
}

// String describes the client: stand, client id, protocol and the signer's
// type.
func (c *Client) String() string {
	if c == nil {
		return "esia.Client(nil)"
	}
	return "esia.Client{BaseURL: " + c.cfg.BaseURL + ", ClientID: " + c.cfg.ClientID +
		", Protocol: " + c.cfg.Protocol.String() + ", Signer: " + signerType(c.cfg.Signer) + "}"
}

// GoString implements fmt.GoStringer like String.
func (c *Client) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb writes String.
func (c *Client) Format(f fmt.State, verb rune) { writeFormatted(f, verb, c.String()) }

// LogValue implements slog.LogValuer: the fields of String.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("esia.Client(nil)")
	}
	return slog.GroupValue(slog.String("base_url", c.cfg.BaseURL), slog.String("client_id", c.cfg.ClientID),
		slog.String("protocol", c.cfg.Protocol.String()), slog.String("signer", signerType(c.cfg.Signer)))
}
