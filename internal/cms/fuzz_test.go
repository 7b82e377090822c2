package cms_test

import (
	"bytes"
	"crypto/x509/pkix"
	"errors"
	"testing"

	"github.com/gospubliki/gosdk/internal/cms"
)

// FuzzParse checks that Parse never panics, fails only with its sentinels,
// and that whatever it accepts survives Marshal and Parse again unchanged.
func FuzzParse(f *testing.F) {
	s := newECSigner(f, 7, false)
	other := newECSigner(f, 8, false)
	plain, _ := build(f, s, s.detached(false))
	f.Add(plain)
	withAttrs, sd := build(f, s, s.detached(true))
	f.Add(withAttrs)
	multi := &cms.SignedData{ContentType: cms.OIDData, Content: []byte{}, Certificates: [][]byte{s.cert.Raw, other.cert.Raw}}
	multi.Signers = append(sd.Signers, cms.SignerInfo{
		SubjectKeyID:       other.cert.SubjectKeyId,
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: oidSHA512},
		SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256WithECDSA},
		Signature:          []byte{1, 2},
	})
	der, err := multi.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(der)
	f.Add([]byte{0x30, 0x03, 0x06, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, der []byte) {
		sd, err := cms.Parse(der)
		if err != nil {
			if !errors.Is(err, cms.ErrMalformed) && !errors.Is(err, cms.ErrNotSignedData) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		for i := range sd.Signers {
			si := &sd.Signers[i]
			si.Matches(s.cert)
			if in, err := sd.SignedInput(si, content, sum256); err == nil && si.SignedAttrs != nil && !bytes.Equal(in, si.SignedAttrs) {
				t.Fatal("signed input is not the signed attributes")
			}
		}
		enc, err := sd.Marshal()
		if err != nil {
			t.Fatalf("cannot re-encode what was parsed: %v", err)
		}
		again, err := cms.Parse(enc)
		if err != nil {
			t.Fatalf("cannot parse own encoding: %v", err)
		}
		enc2, err := again.Marshal()
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable: %v", err)
		}
		if (sd.Content == nil) != (again.Content == nil) || !bytes.Equal(sd.Content, again.Content) ||
			!sd.ContentType.Equal(again.ContentType) || len(sd.Certificates) != len(again.Certificates) || len(sd.Signers) != len(again.Signers) {
			t.Fatal("round trip changed the SignedData")
		}
	})
}
