package esia

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"

	"github.com/gospubliki/gosdk/internal/cms"
)

// rsaDetachedCMS wraps sig, an RSA PKCS#1 v1.5 signature over content (there
// are no signed attributes), in a detached CMS SignedData with the signer
// certificate embedded.
func rsaDetachedCMS(cert *x509.Certificate, content, sig []byte) ([]byte, error) {
	d := cms.Detached{
		Certificate:        cert,
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: cms.OIDSHA256},
		SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: cms.OIDRSAEncryption, Parameters: asn1.NullRawValue},
	}
	out, err := d.Build(content, func([]byte) ([]byte, error) { return sig, nil })
	if err != nil {
		return nil, fmt.Errorf("esia: encoding CMS: %w", err)
	}
	return out, nil
}
