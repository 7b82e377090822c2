package esia_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
)

func TestErrorCode(t *testing.T) {
	t.Parallel()
	var ce core.CodedError = &esia.Error{Code: esia.CodeInvalidGrant, OAuth: "invalid_grant"}
	assert.Equal(t, "ESIA-007011", ce.ErrorCode())
	assert.Equal(t, "access_denied", (&esia.Error{OAuth: "access_denied"}).ErrorCode(), "the OAuth error when ESIA gave no code")
	assert.Empty(t, (&esia.Error{Status: 502}).ErrorCode())
	wrapped := fmt.Errorf("exchange: %w", &esia.Error{Code: esia.CodeWrongTime})
	assert.Equal(t, "ESIA-007015", core.ErrorCode(wrapped))
}
