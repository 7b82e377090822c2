package social_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gospubliki/gosdk/social"
)

func TestUnsupportedError(t *testing.T) {
	t.Parallel()
	var err error = &social.UnsupportedError{Network: social.Telegram, Operation: "telegram.postStats", Reason: "no views in the Bot API"}
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	assert.NotErrorIs(t, err, social.ErrUnknownOutcome)
	assert.Equal(t, "telegram.postStats: not supported: no views in the Bot API", err.Error())
	assert.Equal(t, "x: not supported", (&social.UnsupportedError{Operation: "x"}).Error())
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	s := social.MetricSubscribers | social.MetricViews
	assert.True(t, s.Has(social.MetricSubscribers))
	assert.True(t, s.Has(social.MetricViews|social.MetricSubscribers))
	assert.False(t, s.Has(social.MetricViews|social.MetricLikes), "every metric asked for must be present")
	assert.False(t, s.Has(social.MetricReach))
	assert.False(t, s.Has(0), "the empty set is never reported as present")
	all := []social.Metrics{social.MetricReach, social.MetricViews, social.MetricLikes, social.MetricComments,
		social.MetricReposts, social.MetricSubscribers}
	var union social.Metrics
	for _, m := range all {
		assert.Zero(t, union&m, "metrics are distinct bits")
		union |= m
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	page := social.PageInfo{Network: social.Telegram, ID: "@mfc"}
	r := social.Classify(page, social.Receipt{PostID: "1"}, nil)
	assert.Equal(t, social.PageResult{Page: page, Outcome: social.Published, Receipt: social.Receipt{PostID: "1"}}, r)
	r = social.Classify(page, social.Receipt{PostID: "1"}, &codedErr{429})
	assert.Equal(t, social.Failed, r.Outcome)
	assert.Equal(t, "429", r.Code)
	assert.Empty(t, r.Receipt, "a failed publication has no receipt")
}
