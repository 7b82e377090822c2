package vk

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/social"
)

var _ social.MarkReader = (*Client)(nil)

// ReadMarks implements social.MarkReader: the names and «Госорганизация»
// marks (is_government_organization) of the communities pageIDs (ids with
// or without the minus sign, or "club123"), in one groups.getById per 500
// ids. A community VK does not return is left out.
func (c *Client) ReadMarks(ctx context.Context, pageIDs []string) ([]social.MarkState, error) {
	ids := make([]int64, 0, len(pageIDs))
	asked := make(map[int64][]string, len(pageIDs))
	for _, p := range pageIDs {
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimPrefix(p, "club"), "public"), 10, 64)
		if err != nil || id == 0 {
			return nil, fmt.Errorf("vk: %q is not a community id", p)
		}
		if _, dup := asked[abs(id)]; !dup {
			ids = append(ids, id)
		}
		asked[abs(id)] = append(asked[abs(id)], p)
	}
	groups, err := c.GetGroups(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]social.MarkState, 0, len(pageIDs))
	for i := range groups {
		g := &groups[i]
		for _, p := range asked[g.ID] {
			out = append(out, social.MarkState{Network: social.VK, PageID: p, Name: g.Name, Mark: MarkOf(g)})
		}
	}
	return out, nil
}

// WatchMarks returns a social.MarkWatcher of the communities ids on the
// client's clock (unless o.Clock is set): Run it to be told when a
// community loses the «Госорганизация» mark, gains it, is renamed or is
// gone. Page ids in the changes are the decimal ids as given.
func (c *Client) WatchMarks(ids []int64, o social.WatchOptions) *social.MarkWatcher {
	if o.Clock == nil {
		o.Clock = c.clock
	}
	pages := make([]string, len(ids))
	for i, id := range ids {
		pages[i] = strconv.FormatInt(id, 10)
	}
	return social.NewMarkWatcher(c, pages, o)
}
