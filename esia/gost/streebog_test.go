package gost

import (
	"bytes"
	"encoding/hex"
	"hash"
	"math/rand/v2"
	"testing"
)

// RFC 6986 section 10 examples. M1 is the 63-byte ASCII string
// "012345...012"; M2 is a 72-byte CP1251 string. Expected digests are given
// in byte order (the way OpenSSL prints them).
var (
	rfcM1 = []byte("012345678901234567890123456789012345678901234567890123456789012")
	rfcM2 = mustHex("d1e520e2e5f2f0e82c20d1f2f0e8e1eee6e820e2edf3f6e82c20e2e5fef2fa20f120eceef0ff20f1f2f0e5ebe0ece820ede020f5f0e0e1f0fbff20efebfaeafb20c8e3eef0e5e2fb")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

var streebogVectors = []struct {
	name string
	msg  []byte
	h256 string
	h512 string
}{
	{"empty", nil,
		"3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb",
		"8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a"},
	{"M1", rfcM1,
		"9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500",
		"1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48"},
	{"M2", rfcM2,
		"9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50",
		"1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28"},
}

func TestStreebogVectors(t *testing.T) {
	for _, v := range streebogVectors {
		s256 := Sum256(v.msg)
		if got := hex.EncodeToString(s256[:]); got != v.h256 {
			t.Errorf("%s: Sum256 = %s, want %s", v.name, got, v.h256)
		}
		s512 := Sum512(v.msg)
		if got := hex.EncodeToString(s512[:]); got != v.h512 {
			t.Errorf("%s: Sum512 = %s, want %s", v.name, got, v.h512)
		}
		h := New256()
		h.Write(v.msg)
		if got := hex.EncodeToString(h.Sum(nil)); got != v.h256 {
			t.Errorf("%s: New256 = %s, want %s", v.name, got, v.h256)
		}
		h = New512()
		h.Write(v.msg)
		if got := hex.EncodeToString(h.Sum(nil)); got != v.h512 {
			t.Errorf("%s: New512 = %s, want %s", v.name, got, v.h512)
		}
	}
}

func TestStreebogStreaming(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 63, 64, 65, 127, 128, 129, 1000, 4096 + 17} {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(rng.Uint32())
		}
		for _, mk := range []func() hash.Hash{New256, New512} {
			ref := mk()
			ref.Write(msg)
			want := ref.Sum(nil)
			for trial := range 5 {
				h := mk()
				rest := msg
				for len(rest) > 0 {
					k := rng.IntN(len(rest) + 1)
					if trial == 0 {
						k = 1
					}
					h.Write(rest[:k])
					rest = rest[k:]
				}
				// Sum must not disturb the state.
				mid := h.Sum([]byte{0xAA})
				if mid[0] != 0xAA || !bytes.Equal(mid[1:], want) {
					t.Fatalf("n=%d size=%d: chunked digest differs", n, h.Size())
				}
				if got := h.Sum(nil); !bytes.Equal(got, want) {
					t.Fatalf("n=%d: second Sum differs", n)
				}
				h.Reset()
				h.Write(msg)
				if got := h.Sum(nil); !bytes.Equal(got, want) {
					t.Fatalf("n=%d: digest after Reset differs", n)
				}
			}
		}
	}
	if New256().Size() != 32 || New512().Size() != 64 || New256().BlockSize() != 64 {
		t.Fatal("wrong Size/BlockSize")
	}
}
