package gpmock_test

import (
	"testing"

	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/gpmock/poststoretest"
)

func TestMemoryPostStoreConformance(t *testing.T) {
	poststoretest.Run(t, func(*testing.T) gpmock.PostStore { return gpmock.NewMemoryPostStore() })
}
