package cms_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/internal/cms"
)

// The codec is algorithm-neutral, so the tests sign with ECDSA and RSA from
// the standard library rather than GOST.

var (
	oidSHA256WithECDSA = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidSHA512          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	signingTime        = time.Date(2026, 5, 1, 12, 30, 15, 0, time.UTC)
	content            = []byte("scope2025.09.02 13:00:29 +0300CTPRF_RUstate")
)

func sum256(b []byte) []byte { h := sha256.Sum256(b); return h[:] }

type ecSigner struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
}

// newECSigner returns a P-256 key and a self-signed certificate for it,
// with a subject key identifier unless noSKI.
func newECSigner(t testing.TB, serial int64, noSKI bool) *ecSigner {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: "cms test", Organization: []string{"Тест"}},
		NotBefore:    signingTime.Add(-time.Hour),
		NotAfter:     signingTime.AddDate(1, 0, 0),
		SubjectKeyId: []byte{byte(serial), 1, 2, 3, 4, 5, 6, 7, 8, 9},
	}
	if noSKI {
		tmpl.SubjectKeyId = nil
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if noSKI {
		cert.SubjectKeyId = nil
	}
	return &ecSigner{key: key, cert: cert}
}

func (s *ecSigner) detached(attrs bool) *cms.Detached {
	return &cms.Detached{
		Certificate:        s.cert,
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: cms.OIDSHA256},
		SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256WithECDSA},
		SignedAttributes:   attrs,
		SigningTime:        signingTime,
		Digest:             sum256,
	}
}

func (s *ecSigner) sign(input []byte) ([]byte, error) {
	return ecdsa.SignASN1(rand.Reader, s.key, sum256(input))
}

func (s *ecSigner) verify(t testing.TB, input, sig []byte) {
	t.Helper()
	if !ecdsa.VerifyASN1(&s.key.PublicKey, sum256(input), sig) {
		t.Fatal("signature over the signed input does not verify")
	}
}

// build signs content with d and s, and parses the result.
func build(t testing.TB, s *ecSigner, d *cms.Detached) ([]byte, *cms.SignedData) {
	t.Helper()
	der, err := d.Build(content, s.sign)
	if err != nil {
		t.Fatal(err)
	}
	sd, err := cms.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	return der, sd
}

func TestBuildParseRoundTrip(t *testing.T) {
	s := newECSigner(t, 7, false)
	other := newECSigner(t, 8, false)
	for _, attrs := range []bool{false, true} {
		der, sd := build(t, s, s.detached(attrs))
		if !sd.ContentType.Equal(cms.OIDData) || sd.Content != nil {
			t.Fatalf("attrs=%v: content %s %x, want detached id-data", attrs, sd.ContentType, sd.Content)
		}
		if len(sd.Certificates) != 1 || !bytes.Equal(sd.Certificates[0], s.cert.Raw) {
			t.Fatalf("attrs=%v: certificates not embedded as given", attrs)
		}
		if len(sd.Signers) != 1 {
			t.Fatalf("attrs=%v: %d signers", attrs, len(sd.Signers))
		}
		si := &sd.Signers[0]
		if !si.Matches(s.cert) || si.Matches(other.cert) || si.Matches(nil) {
			t.Fatalf("attrs=%v: Matches wrong", attrs)
		}
		if si.SubjectKeyID != nil || si.SerialNumber.Int64() != 7 || !bytes.Equal(si.Issuer, s.cert.RawIssuer) {
			t.Fatalf("attrs=%v: signer identifier %+v", attrs, si)
		}
		if !si.DigestAlgorithm.Algorithm.Equal(cms.OIDSHA256) || !si.SignatureAlgorithm.Algorithm.Equal(oidSHA256WithECDSA) {
			t.Fatalf("attrs=%v: algorithms %v %v", attrs, si.DigestAlgorithm, si.SignatureAlgorithm)
		}
		if attrs != (si.SignedAttrs != nil) {
			t.Fatalf("attrs=%v: signed attributes %x", attrs, si.SignedAttrs)
		}
		input, err := sd.SignedInput(si, content, sum256)
		if err != nil {
			t.Fatalf("attrs=%v: %v", attrs, err)
		}
		if !attrs && !bytes.Equal(input, content) {
			t.Fatal("without attributes the signed input is not the content")
		}
		if attrs && (input[0] != 0x31 || !bytes.Contains(input, sum256(content))) {
			t.Fatalf("signed input is not the attribute SET: %x", input)
		}
		s.verify(t, input, si.Signature)
		again, err := sd.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, der) {
			t.Fatalf("attrs=%v: Marshal(Parse(der)) differs:\n got %x\nwant %x", attrs, again, der)
		}
	}
}

// The signed attributes are contentType, signingTime and messageDigest,
// in DER SET OF order.
func TestSignedAttributesContent(t *testing.T) {
	s := newECSigner(t, 7, false)
	_, sd := build(t, s, s.detached(true))
	var attrs []struct {
		Type   asn1.ObjectIdentifier
		Values []asn1.RawValue `asn1:"set"`
	}
	if rest, err := asn1.UnmarshalWithParams(sd.Signers[0].SignedAttrs, &attrs, "set"); err != nil || len(rest) != 0 {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	var prev []byte
	for _, a := range attrs {
		if len(a.Values) != 1 {
			t.Fatalf("%s: %d values", a.Type, len(a.Values))
		}
		got[a.Type.String()] = a.Values[0].FullBytes
		enc, _ := asn1.Marshal(a)
		if bytes.Compare(prev, enc) > 0 {
			t.Fatal("attributes not in DER order")
		}
		prev = enc
	}
	ct, _ := asn1.Marshal(cms.OIDData)
	st, _ := asn1.Marshal(signingTime)
	md, _ := asn1.Marshal(sum256(content))
	for oid, want := range map[string][]byte{cms.OIDContentType.String(): ct, cms.OIDSigningTime.String(): st, cms.OIDMessageDigest.String(): md} {
		if !bytes.Equal(got[oid], want) {
			t.Fatalf("attribute %s = %x, want %x", oid, got[oid], want)
		}
	}
	if len(got) != 3 {
		t.Fatalf("%d attributes", len(got))
	}
}

func TestSignedInputDigestMismatch(t *testing.T) {
	s := newECSigner(t, 7, false)
	d := s.detached(true)
	_, sd := build(t, s, d)
	if _, err := sd.SignedInput(&sd.Signers[0], []byte("other"), sum256); !errors.Is(err, cms.ErrDigestMismatch) {
		t.Fatalf("other content: %v", err)
	}
	sha512 := func([]byte) []byte { return make([]byte, 64) }
	if _, err := sd.SignedInput(&sd.Signers[0], content, sha512); !errors.Is(err, cms.ErrDigestMismatch) {
		t.Fatalf("other digest: %v", err)
	}
	if _, err := sd.SignedInput(&sd.Signers[0], content, nil); !errors.Is(err, cms.ErrMalformed) {
		t.Fatalf("nil digest: %v", err)
	}
	// A messageDigest written over other content is refused.
	d.Digest = func([]byte) []byte { return sum256([]byte("other")) }
	_, sd = build(t, s, d)
	if _, err := sd.SignedInput(&sd.Signers[0], content, sum256); !errors.Is(err, cms.ErrDigestMismatch) {
		t.Fatalf("wrong messageDigest: %v", err)
	}
	// Without signed attributes, digest is not consulted.
	_, sd = build(t, s, s.detached(false))
	if in, err := sd.SignedInput(&sd.Signers[0], content, nil); err != nil || !bytes.Equal(in, content) {
		t.Fatalf("no attributes: %x %v", in, err)
	}
}

func TestSignedInputContentTypeMismatch(t *testing.T) {
	s := newECSigner(t, 7, false)
	_, sd := build(t, s, s.detached(true))
	// The same signer (contentType id-data) over another content type.
	sd.ContentType = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	der, err := sd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	sd, err = cms.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sd.SignedInput(&sd.Signers[0], content, sum256); !errors.Is(err, cms.ErrContentTypeMismatch) {
		t.Fatalf("wrong content type: %v", err)
	}
}

// attr encodes one attribute with the given values.
func attr(t testing.TB, oid asn1.ObjectIdentifier, values ...any) []byte {
	t.Helper()
	var enc []byte
	for _, v := range values {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		enc = append(enc, b...)
	}
	b, err := asn1.Marshal(struct {
		Type   asn1.ObjectIdentifier
		Values asn1.RawValue
	}{oid, asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: enc}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func set(t testing.TB, elems ...[]byte) []byte {
	t.Helper()
	b, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(elems, nil)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignedInputMalformedAttributes(t *testing.T) {
	md := sum256(content)
	ct := attr(t, cms.OIDContentType, cms.OIDData)
	dg := attr(t, cms.OIDMessageDigest, md)
	good := set(t, ct, dg)
	notSet := bytes.Clone(good)
	notSet[0] = 0x30
	valuesNotSet := attr(t, cms.OIDMessageDigest, md)
	valuesNotSet[bytes.IndexByte(valuesNotSet, 0x31)] = 0x30 // the SET OF values tag
	for name, attrs := range map[string][]byte{
		"no messageDigest":       set(t, ct),
		"no contentType":         set(t, dg),
		"two messageDigests":     set(t, ct, dg, dg),
		"two contentTypes":       set(t, ct, ct, dg),
		"two digest values":      set(t, ct, attr(t, cms.OIDMessageDigest, md, md)),
		"digest not octets":      set(t, ct, attr(t, cms.OIDMessageDigest, 5)),
		"content type not OID":   set(t, attr(t, cms.OIDContentType, "data"), dg),
		"values not a SET":       set(t, ct, valuesNotSet),
		"not a SET":              notSet,
		"trailing data":          append(bytes.Clone(good), 0),
		"garbage attribute":      set(t, ct, dg, []byte{0x02, 0x01, 0x00}),
		"empty":                  set(t),
		"truncated":              good[:len(good)-1],
		"no attribute at all":    {},
		"unknown attribute only": set(t, attr(t, asn1.ObjectIdentifier{1, 2, 3}, 1)),
	} {
		sd := &cms.SignedData{ContentType: cms.OIDData}
		si := &cms.SignerInfo{SignedAttrs: attrs}
		if _, err := sd.SignedInput(si, content, sum256); !errors.Is(err, cms.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	sd := &cms.SignedData{ContentType: cms.OIDData}
	in, err := sd.SignedInput(&cms.SignerInfo{SignedAttrs: good}, content, sum256)
	if err != nil || !bytes.Equal(in, good) {
		t.Fatalf("good attributes: %v", err)
	}
	// Unknown attributes are signed but not interpreted.
	withOther := set(t, ct, dg, attr(t, asn1.ObjectIdentifier{1, 2, 3}, 1))
	if _, err := sd.SignedInput(&cms.SignerInfo{SignedAttrs: withOther}, content, sum256); err != nil {
		t.Fatalf("unknown attribute: %v", err)
	}
}

// Two signers, one by issuer and serial number with signed attributes and
// one by subject key identifier without, over an encapsulated content.
func TestMultipleSigners(t *testing.T) {
	a := newECSigner(t, 1, false)
	b := newECSigner(t, 2, false)
	stranger := newECSigner(t, 3, false)
	_, sd := build(t, a, a.detached(true))
	sigB, _ := b.sign(content)
	sd.Signers = append(sd.Signers, cms.SignerInfo{
		SubjectKeyID:       b.cert.SubjectKeyId,
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: cms.OIDSHA256},
		SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256WithECDSA},
		Signature:          sigB,
	}, cms.SignerInfo{
		Issuer: a.cert.RawIssuer, SerialNumber: a.cert.SerialNumber,
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: oidSHA512},
		SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256WithECDSA},
		Signature:          []byte{1},
	})
	sd.Certificates = append(sd.Certificates, b.cert.Raw)
	sd.Content = content
	der, err := sd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := cms.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Content, content) || len(got.Certificates) != 2 || len(got.Signers) != 3 {
		t.Fatalf("parsed %d certificates, %d signers, content %q", len(got.Certificates), len(got.Signers), got.Content)
	}
	// The SET OF SignerInfo is written in DER order: find each by its
	// identifier and digest algorithm.
	find := func(id func(*cms.SignerInfo) bool, digest asn1.ObjectIdentifier) *cms.SignerInfo {
		t.Helper()
		var found *cms.SignerInfo
		for i := range got.Signers {
			if si := &got.Signers[i]; id(si) && si.DigestAlgorithm.Algorithm.Equal(digest) {
				if found != nil {
					t.Fatal("two signers alike")
				}
				found = si
			}
		}
		if found == nil {
			t.Fatal("signer lost")
		}
		return found
	}
	sa := find(func(si *cms.SignerInfo) bool { return si.SerialNumber != nil && si.SerialNumber.Int64() == 1 }, cms.OIDSHA256)
	sb := find(func(si *cms.SignerInfo) bool { return si.SubjectKeyID != nil }, cms.OIDSHA256)
	find(func(si *cms.SignerInfo) bool { return si.SerialNumber != nil && si.SerialNumber.Int64() == 1 }, oidSHA512)
	if !sa.Matches(a.cert) || sa.Matches(b.cert) || !sb.Matches(b.cert) || sb.Matches(a.cert) || sb.Matches(stranger.cert) {
		t.Fatal("Matches does not tell the signers apart")
	}
	if !bytes.Equal(sb.SubjectKeyID, b.cert.SubjectKeyId) || sb.SerialNumber != nil || sb.Issuer != nil {
		t.Fatalf("second signer identifier %+v", sb)
	}
	for _, v := range []struct {
		s  *ecSigner
		si *cms.SignerInfo
	}{{a, sa}, {b, sb}} {
		in, err := got.SignedInput(v.si, got.Content, sum256)
		if err != nil {
			t.Fatal(err)
		}
		v.s.verify(t, in, v.si.Signature)
	}
	// version 3 (a subject key identifier), digestAlgorithms {sha256, sha512}.
	var raw struct {
		Type    asn1.ObjectIdentifier
		Content struct {
			Version    int
			DigestAlgs []pkix.AlgorithmIdentifier `asn1:"set"`
		} `asn1:"explicit,tag:0"`
	}
	if _, err := asn1.Unmarshal(der, &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Content.Version != 3 || len(raw.Content.DigestAlgs) != 2 {
		t.Fatalf("version %d, %d digest algorithms", raw.Content.Version, len(raw.Content.DigestAlgs))
	}
	// A certificate without a subject key identifier never matches one.
	noSKI := newECSigner(t, 2, true)
	if sb.Matches(noSKI.cert) {
		t.Fatal("matched a certificate without subject key identifier")
	}
}

func TestParseErrors(t *testing.T) {
	s := newECSigner(t, 7, false)
	der, _ := build(t, s, s.detached(true))
	for i := range der {
		if _, err := cms.Parse(der[:i]); !errors.Is(err, cms.ErrMalformed) {
			t.Fatalf("truncated at %d: %v", i, err)
		}
	}
	if _, err := cms.Parse(append(bytes.Clone(der), 0)); !errors.Is(err, cms.ErrMalformed) {
		t.Fatalf("trailing byte: %v", err)
	}
	for _, garbage := range [][]byte{nil, {}, {0x30}, {0x30, 0x00}, {0x30, 0x80, 0, 0}, []byte("MIIB"), bytes.Repeat([]byte{0x30, 0x84, 0xff}, 9)} {
		if _, err := cms.Parse(garbage); !errors.Is(err, cms.ErrMalformed) {
			t.Fatalf("garbage %x: %v", garbage, err)
		}
	}
	other, _ := asn1.Marshal(struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue `asn1:"explicit,tag:0"`
	}{cms.OIDData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: []byte{4, 1, 'x'}}})
	if _, err := cms.Parse(other); !errors.Is(err, cms.ErrNotSignedData) {
		t.Fatalf("id-data ContentInfo: %v", err)
	}
	// Every single-bit change either parses or fails with a sentinel; none
	// panics.
	for i := range der {
		for bit := range 8 {
			x := bytes.Clone(der)
			x[i] ^= 1 << bit
			if sd, err := cms.Parse(x); err != nil {
				if !errors.Is(err, cms.ErrMalformed) && !errors.Is(err, cms.ErrNotSignedData) {
					t.Fatalf("byte %d bit %d: unexpected error %v", i, bit, err)
				}
			} else {
				for j := range sd.Signers {
					_, _ = sd.SignedInput(&sd.Signers[j], content, sum256)
					sd.Signers[j].Matches(s.cert)
				}
			}
		}
	}
	// Parse does not keep the caller's buffer.
	sd, _ := cms.Parse(der)
	clear(der)
	if !sd.Signers[0].Matches(s.cert) || len(sd.Certificates[0]) == 0 || sd.Certificates[0][0] != 0x30 {
		t.Fatal("Parse result aliases its input")
	}
}

func TestBuildErrors(t *testing.T) {
	s := newECSigner(t, 7, false)
	d := s.detached(true)
	d.Digest = nil
	if _, err := d.Build(content, s.sign); !errors.Is(err, cms.ErrMalformed) {
		t.Fatalf("attributes without digest: %v", err)
	}
	if _, err := (&cms.Detached{}).Build(content, s.sign); !errors.Is(err, cms.ErrMalformed) {
		t.Fatalf("no certificate: %v", err)
	}
	errSign := errors.New("token removed")
	if _, err := s.detached(false).Build(content, func([]byte) ([]byte, error) { return nil, errSign }); err != errSign {
		t.Fatalf("sign error not returned unchanged: %v", err)
	}
	alg := pkix.AlgorithmIdentifier{Algorithm: cms.OIDSHA256}
	for name, si := range map[string]cms.SignerInfo{
		"no identifier":   {},
		"no serial":       {Issuer: s.cert.RawIssuer},
		"no algorithms":   {SubjectKeyID: []byte{1}},
		"attrs not a SET": {SubjectKeyID: []byte{1}, DigestAlgorithm: alg, SignatureAlgorithm: alg, SignedAttrs: []byte{0x30, 0}},
		"attrs truncated": {SubjectKeyID: []byte{1}, DigestAlgorithm: alg, SignatureAlgorithm: alg, SignedAttrs: []byte{0x31, 2, 0}},
		"attrs trailing":  {SubjectKeyID: []byte{1}, DigestAlgorithm: alg, SignatureAlgorithm: alg, SignedAttrs: []byte{0x31, 0, 0}},
		"attrs empty":     {SubjectKeyID: []byte{1}, DigestAlgorithm: alg, SignatureAlgorithm: alg, SignedAttrs: []byte{}},
	} {
		sd := &cms.SignedData{ContentType: cms.OIDData, Signers: []cms.SignerInfo{si}}
		if _, err := sd.Marshal(); !errors.Is(err, cms.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// An RSA SignedData with signed attributes verifies in `openssl cms
// -verify`, and OpenSSL's own output parses and checks here.
func TestOpenSSLInterop(t *testing.T) {
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not found")
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1 << 40), Subject: pkix.Name{CommonName: "rsa"}, SubjectKeyId: []byte{9, 8, 7}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(certDER)
	rsaSign := func(in []byte) ([]byte, error) { return rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum256(in)) }
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	msg := write("msg", content)
	for _, attrs := range []bool{false, true} {
		d := &cms.Detached{
			Certificate:        cert,
			DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: cms.OIDSHA256},
			SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: cms.OIDRSAEncryption, Parameters: asn1.NullRawValue},
			SignedAttributes:   attrs,
			SigningTime:        time.Now(),
			Digest:             sum256,
		}
		der, err := d.Build(content, rsaSign)
		if err != nil {
			t.Fatal(err)
		}
		sig := write("sig.der", der)
		if out, err := exec.Command(path, "cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", msg, "-noverify", "-out", os.DevNull).CombinedOutput(); err != nil {
			t.Fatalf("attrs=%v: openssl cms -verify: %v\n%s", attrs, err, out)
		}
	}
	// And the other way round.
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	certPath := write("cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: certDER}))
	keyPath := write("key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	for _, extra := range [][]string{{"-noattr"}, nil, {"-keyid"}} {
		out := filepath.Join(dir, "o.der")
		args := append([]string{"cms", "-sign", "-binary", "-outform", "DER", "-md", "sha256", "-signer", certPath, "-inkey", keyPath, "-in", msg, "-out", out}, extra...)
		if b, err := exec.Command(path, args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl cms -sign %v: %v\n%s", extra, err, b)
		}
		der, _ := os.ReadFile(out)
		sd, err := cms.Parse(der)
		if err != nil {
			t.Fatalf("%v: %v", extra, err)
		}
		if len(sd.Signers) != 1 || !sd.Signers[0].Matches(cert) || sd.Content != nil {
			t.Fatalf("%v: parsed %+v", extra, sd)
		}
		si := &sd.Signers[0]
		in, err := sd.SignedInput(si, content, sum256)
		if err != nil {
			t.Fatalf("%v: %v", extra, err)
		}
		if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum256(in), si.Signature); err != nil {
			t.Fatalf("%v: %v", extra, err)
		}
		if again, err := sd.Marshal(); err != nil || !bytes.Equal(again, der) {
			t.Fatalf("%v: re-encoding differs from openssl: %v", extra, err)
		}
	}
}
