package esia

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/esia/gost"
)

// Placeholders in [CommandSigner] arguments.
const (
	// PlaceholderIn in an argument is replaced by the path of a temporary
	// file holding the message; without it the message goes to stdin.
	PlaceholderIn = "{in}"
	// PlaceholderOut in an argument is replaced by the path of a temporary
	// file the command writes the signature to; without it the signature
	// is read from stdout.
	PlaceholderOut = "{out}"
)

// maxStderr bounds the part of a command's stderr copied into errors.
const maxStderr = 1024

// OpenSSLSigner signs by running the openssl command with the GOST engine
// (Debian package libengine-gost-openssl). Raw signatures come from
// `openssl dgst -engine gost -md_gost12_256 -sign KEY`, CMS signatures from
// `openssl cms -engine gost -sign -binary -outform DER -noattr -signer CERT
// -inkey KEY`; the message is written to stdin and the signature read from
// stdout, so no secret appears on a command line. The key file must not be
// encrypted. Cancelling the context kills the process. Create it with
// [NewOpenSSLSigner]; it is safe for concurrent use.
type OpenSSLSigner struct {
	path     string
	keyFile  string
	certFile string
	engine   string
	cert     []byte
	hash     string
}

// NewOpenSSLSigner returns a signer running opensslPath ("openssl" when
// empty, looked up in PATH at signing time) with the PEM private key in
// keyPEMFile and the PEM certificate in certPEMFile. It reads the
// certificate now (to compute client_certificate_hash) and never reads the
// key itself.
func NewOpenSSLSigner(opensslPath, keyPEMFile, certPEMFile string) (*OpenSSLSigner, error) {
	if opensslPath == "" {
		opensslPath = "openssl"
	}
	if keyPEMFile == "" || certPEMFile == "" {
		return nil, errors.New("esia: NewOpenSSLSigner needs a key file and a certificate file")
	}
	data, err := os.ReadFile(certPEMFile)
	if err != nil {
		return nil, fmt.Errorf("esia: reading certificate: %w", err)
	}
	der, err := certificateDER(data)
	if err != nil {
		return nil, err
	}
	return &OpenSSLSigner{
		path: opensslPath, keyFile: keyPEMFile, certFile: certPEMFile, engine: "gost",
		cert: der, hash: gost.CertificateHash(der),
	}, nil
}

// certificateDER returns the first certificate of a PEM file, or data itself
// when it is not PEM.
func certificateDER(data []byte) ([]byte, error) {
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			return b.Bytes, nil
		}
	}
	if len(data) > 0 && data[0] == 0x30 {
		return bytes.Clone(data), nil
	}
	return nil, errors.New("esia: no CERTIFICATE block found")
}

// Sign implements [Signer].
func (s *OpenSSLSigner) Sign(ctx context.Context, msg []byte, mode SignMode) ([]byte, error) {
	var args []string
	switch mode {
	case SignRaw:
		args = []string{"dgst", "-engine", s.engine, "-md_gost12_256", "-sign", s.keyFile}
	case SignCMS:
		args = []string{"cms", "-engine", s.engine, "-sign", "-binary", "-outform", "DER", "-noattr",
			"-signer", s.certFile, "-inkey", s.keyFile}
	default:
		return nil, fmt.Errorf("%w: %v", errUnsupportedMode, mode)
	}
	out, err := runSigner(ctx, s.path, args, nil, msg)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("esia: openssl wrote no signature")
	}
	return out, nil
}

// Certificate implements [Signer].
func (s *OpenSSLSigner) Certificate() []byte { return bytes.Clone(s.cert) }

// CertificateHash implements [Signer].
func (s *OpenSSLSigner) CertificateHash() string { return s.hash }

// CommandSigner signs by running an external command, typically CryptoPro's
// csptest:
//
//	s := esia.NewCommandSigner("/opt/cprocsp/bin/amd64/csptest",
//		"-keyset", "-sign", "GOST12_256", "-cont", `\\.\HDIMAGE\is`,
//		"-keytype", "exchange", "-in", esia.PlaceholderIn, "-out", esia.PlaceholderOut)
//	s.Cert = der
//
// The message goes to stdin unless an argument contains [PlaceholderIn]; the
// signature is read from stdout unless an argument contains
// [PlaceholderOut]. Temporary files live in a private directory removed
// after each call. Raw signatures are byte-reversed when Reverse is set (the
// default: CryptoPro writes r‖s little-endian, ESIA expects the OpenSSL
// layout). Cancelling the context kills the process.
//
// Set the fields before the first use and do not change them afterwards;
// the signer is then safe for concurrent use. Avoid putting passwords in
// Args: other local users may read a process's command line; prefer Env.
type CommandSigner struct {
	// Path is the command to run.
	Path string
	// Args are the arguments for raw signatures (SignRaw).
	Args []string
	// CMSArgs, when not nil, are the arguments for detached CMS signatures
	// (SignCMS); their output is never reversed. Nil means the signer
	// cannot sign for the legacy protocol.
	CMSArgs []string
	// Reverse reverses the raw signature bytes (true from
	// NewCommandSigner).
	Reverse bool
	// Cert is the DER of the IS certificate; required for the current
	// protocol (client_certificate_hash).
	Cert []byte
	// Env, when not nil, is added to the command's environment.
	Env []string
}

// NewCommandSigner returns a CommandSigner running cmd with args for raw
// signatures and reversing its output (the CryptoPro layout). Set Cert (and
// CMSArgs for the legacy protocol) before use.
func NewCommandSigner(cmd string, args ...string) *CommandSigner {
	return &CommandSigner{Path: cmd, Args: slices.Clone(args), Reverse: true}
}

// Sign implements [Signer].
func (s *CommandSigner) Sign(ctx context.Context, msg []byte, mode SignMode) ([]byte, error) {
	var args []string
	switch mode {
	case SignRaw:
		args = s.Args
	case SignCMS:
		if s.CMSArgs == nil {
			return nil, fmt.Errorf("%w: %v (CMSArgs not set)", errUnsupportedMode, mode)
		}
		args = s.CMSArgs
	default:
		return nil, fmt.Errorf("%w: %v", errUnsupportedMode, mode)
	}
	if s.Path == "" {
		return nil, errors.New("esia: CommandSigner has no command")
	}
	var inFile, outFile string
	needIn := slices.ContainsFunc(args, func(a string) bool { return strings.Contains(a, PlaceholderIn) })
	needOut := slices.ContainsFunc(args, func(a string) bool { return strings.Contains(a, PlaceholderOut) })
	if needIn || needOut {
		dir, err := os.MkdirTemp("", "esia-sign-")
		if err != nil {
			return nil, fmt.Errorf("esia: signer temp dir: %w", err)
		}
		defer os.RemoveAll(dir)
		inFile, outFile = filepath.Join(dir, "msg"), filepath.Join(dir, "sig")
		if needIn {
			if err := os.WriteFile(inFile, msg, 0o600); err != nil {
				return nil, fmt.Errorf("esia: signer temp file: %w", err)
			}
		}
	}
	argv := make([]string, len(args))
	for i, a := range args {
		a = strings.ReplaceAll(a, PlaceholderIn, inFile)
		argv[i] = strings.ReplaceAll(a, PlaceholderOut, outFile)
	}
	var stdin []byte
	if !needIn {
		stdin = msg
	}
	out, err := runSigner(ctx, s.Path, argv, s.Env, stdin)
	if err != nil {
		return nil, err
	}
	if needOut {
		if out, err = os.ReadFile(outFile); err != nil {
			return nil, fmt.Errorf("esia: reading signature: %w", err)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("esia: signer command wrote no signature")
	}
	if mode == SignRaw && s.Reverse {
		out = gost.ReverseBytes(out)
	}
	return out, nil
}

// Certificate implements [Signer].
func (s *CommandSigner) Certificate() []byte { return bytes.Clone(s.Cert) }

// CertificateHash implements [Signer]; it is empty when Cert is not set.
func (s *CommandSigner) CertificateHash() string {
	if len(s.Cert) == 0 {
		return ""
	}
	return gost.CertificateHash(s.Cert)
}

// runSigner runs a signing command and returns its stdout.
func runSigner(ctx context.Context, path string, args, env []string, stdin []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.WaitDelay = 2 * time.Second
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, fmt.Errorf("esia: signer %s: %w", filepath.Base(path), cerr)
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > maxStderr {
			msg = msg[:maxStderr]
		}
		return nil, fmt.Errorf("esia: signer %s: %w: %s", filepath.Base(path), err, cleanText(msg))
	}
	return stdout.Bytes(), nil
}
