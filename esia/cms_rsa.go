package esia

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// OIDs of the RSA detached CMS written by RSASigner.
var (
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
)

type cmsAlgorithm struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type cmsIssuerSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type cmsSignerInfo struct {
	Version            int
	SID                cmsIssuerSerial
	DigestAlgorithm    cmsAlgorithm
	SignatureAlgorithm cmsAlgorithm
	Signature          []byte
}

type cmsEncapContent struct {
	ContentType asn1.ObjectIdentifier
}

type cmsSignedData struct {
	Version          int
	DigestAlgorithms []cmsAlgorithm `asn1:"set"`
	EncapContent     cmsEncapContent
	Certificates     asn1.RawValue
	SignerInfos      []cmsSignerInfo `asn1:"set"`
}

type cmsContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue
}

// rsaDetachedCMS wraps an RSA PKCS#1 v1.5 signature (over the content
// itself: there are no signed attributes) in a detached CMS SignedData with
// the signer certificate embedded.
func rsaDetachedCMS(cert *x509.Certificate, sig []byte) ([]byte, error) {
	null := asn1.RawValue{Tag: asn1.TagNull}
	sd := cmsSignedData{
		Version:          1,
		DigestAlgorithms: []cmsAlgorithm{{Algorithm: oidSHA256}},
		EncapContent:     cmsEncapContent{ContentType: oidData},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: cert.Raw},
		SignerInfos: []cmsSignerInfo{{
			Version:            1,
			SID:                cmsIssuerSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: cert.SerialNumber},
			DigestAlgorithm:    cmsAlgorithm{Algorithm: oidSHA256},
			SignatureAlgorithm: cmsAlgorithm{Algorithm: oidRSAEncryption, Parameters: null},
			Signature:          sig,
		}},
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, fmt.Errorf("esia: encoding CMS: %w", err)
	}
	out, err := asn1.Marshal(cmsContentInfo{
		ContentType: oidSignedData,
		Content:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner},
	})
	if err != nil {
		return nil, fmt.Errorf("esia: encoding CMS: %w", err)
	}
	return out, nil
}
