package esia_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/esia"
)

// printouts formats v with every verb and both slog handlers.
func printouts(v any) []string {
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q", "%d"} {
		outs = append(outs, fmt.Sprintf(verb, v))
	}
	type holder struct{ V any }
	for _, arg := range []any{v, holder{v}} {
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", arg)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", arg)
		outs = append(outs, text.String(), js.String())
	}
	return outs
}

func TestSignersPrintNoSecret(t *testing.T) {
	gs := gostSigner(t)
	cmd := esia.NewCommandSigner("/opt/cprocsp/bin/amd64/csptest", "-keyset", "-cont", `\\.\HDIMAGE\secret-container`, "-password", "pin-0000-secret")
	cmd.Env = []string{"CSP_PIN=env-pin-secret"}
	cmd.Cert = gs.Certificate()
	cfg := esia.Config{ClientID: testClientID, RedirectURL: testRedirect, Signer: cmd, Scopes: []string{"openid"}}

	for _, v := range []any{cmd, *cmd, cfg, &cfg} {
		for _, out := range printouts(v) {
			for _, secret := range []string{"secret-container", "pin-0000-secret", "env-pin-secret"} {
				assert.NotContains(t, out, secret)
			}
		}
	}
	assert.Equal(t, "esia.CommandSigner{Path: /opt/cprocsp/bin/amd64/csptest, Args: 5 [REDACTED], CMSArgs: 0 [REDACTED], "+
		"Reverse: true, Env: [CSP_PIN], CertificateHash: "+gs.CertificateHash()+"}", fmt.Sprint(cmd))
	assert.Equal(t, "esia.GOSTSigner{Curve: id-GostR3410-2001-CryptoPro-A-ParamSet, CertificateHash: "+gs.CertificateHash()+"}", fmt.Sprintf("%#v", gs))
	assert.Contains(t, fmt.Sprint(cfg), "Signer: *esia.CommandSigner,")
	js, err := json.Marshal(cmd)
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"command","path":"/opt/cprocsp/bin/amd64/csptest","args":5,"env":["CSP_PIN"],"certificate_hash":"`+gs.CertificateHash()+`"}`, string(js))

	c, err := esia.New(cfg)
	require.NoError(t, err)
	assert.Equal(t, "esia.Client{BaseURL: https://esia.gosuslugi.ru, ClientID: TESTIS01, Protocol: v2, Signer: *esia.CommandSigner}", fmt.Sprint(c))
	assert.Equal(t, "esia.Client(nil)", fmt.Sprint((*esia.Client)(nil)))
	// Printing changes nothing: the signer still works with its arguments.
	assert.Equal(t, []string{"-keyset", "-cont", `\\.\HDIMAGE\secret-container`, "-password", "pin-0000-secret"}, cmd.Args)
}
