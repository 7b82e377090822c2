package ok

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/gospubliki/gosdk/core"
)

// Statistics fields of group.getStatTopic and group.getStatOverview.
const (
	StatReach      = "REACH"
	StatEngagement = "ENGAGEMENT"
	StatViews      = "VIEWS"
	StatLikes      = "LIKES"
	StatComments   = "COMMENTS"
	StatReshares   = "RESHARES"
	StatMembers    = "MEMBERS"
)

// Stats are the figures of a statistics answer by lowercase field name
// ("reach", "likes"). A numeric field is taken as is; a series (an array
// of objects with a "value") is summed over the period; nested objects are
// searched for their numeric fields. A field OK did not return is absent.
type Stats map[string]int64

// Get returns the figure of field (any case) and whether OK returned it.
func (s Stats) Get(field string) (int64, bool) {
	v, ok := s[strings.ToLower(field)]
	return v, ok
}

// UnmarshalJSON reads a statistics object.
func (s *Stats) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	out := Stats{}
	flatten(out, m, 0)
	*s = out
	return nil
}

func flatten(out Stats, m map[string]json.RawMessage, depth int) {
	if depth > 4 {
		return
	}
	for k, raw := range m {
		k = strings.ToLower(k)
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		switch raw[0] {
		case '{':
			var sub map[string]json.RawMessage
			if json.Unmarshal(raw, &sub) == nil {
				flatten(out, sub, depth+1)
			}
		case '[':
			var series []struct {
				Value *flexInt `json:"value"`
			}
			if json.Unmarshal(raw, &series) == nil {
				var sum int64
				found := false
				for _, p := range series {
					if p.Value != nil {
						sum += int64(*p.Value)
						found = true
					}
				}
				if found {
					out[k] += sum
				}
			}
		default:
			var n flexInt
			if n.UnmarshalJSON(raw) == nil && raw[0] != 't' && raw[0] != 'f' {
				if _, dup := out[k]; !dup {
					out[k] = int64(n)
				}
			}
		}
	}
}

// GetStatTopicRequest is the request of group.getStatTopic.
type GetStatTopicRequest struct {
	// TopicID is the topic.
	TopicID string `url:"topic_id"`
	// Fields are the Stat constants to return.
	Fields []string `url:"fields,comma"`
}

// DefaultStatFields returns the fields asked for when a statistics request
// names none.
func DefaultStatFields() []string {
	return []string{StatReach, StatEngagement, StatLikes, StatComments, StatReshares}
}

// GetStatTopic calls group.getStatTopic: a group topic's statistics.
func (c *Client) GetStatTopic(ctx context.Context, req *GetStatTopicRequest, opts ...core.CallOption) (Stats, error) {
	if req == nil || req.TopicID == "" {
		return nil, invalid("group.getStatTopic", "no topic id")
	}
	r := *req
	if len(r.Fields) == 0 {
		r.Fields = DefaultStatFields()
	}
	var out Stats
	if err := c.do(ctx, "group.getStatTopic", &r, &out, read(opts)); err != nil {
		return nil, err
	}
	return out, nil
}

// GetStatOverviewRequest is the request of group.getStatOverview.
type GetStatOverviewRequest struct {
	// GroupID is the group.
	GroupID string `url:"gid"`
	// Fields are the Stat constants to return.
	Fields []string `url:"fields,comma"`
}

// GetStatOverview calls group.getStatOverview: the group's statistics
// over OK's reporting period.
func (c *Client) GetStatOverview(ctx context.Context, req *GetStatOverviewRequest, opts ...core.CallOption) (Stats, error) {
	if req == nil || req.GroupID == "" {
		return nil, invalid("group.getStatOverview", "no group id")
	}
	r := *req
	if len(r.Fields) == 0 {
		r.Fields = append([]string{StatMembers}, DefaultStatFields()...)
	}
	var out Stats
	if err := c.do(ctx, "group.getStatOverview", &r, &out, read(opts)); err != nil {
		return nil, err
	}
	return out, nil
}

// CallsLeft is one method's remaining calls (users.getCallsLeft).
type CallsLeft struct {
	// Method is the method name.
	Method string `json:"name"`
	// Available reports whether the method may be called now.
	Available bool `json:"available"`
	// Left is how many calls remain (-1 when OK sets no limit).
	Left int64 `json:"callsLeft"`
}

type getCallsLeftParams struct {
	Methods []string `url:"methods,comma"`
}

// GetCallsLeft calls users.getCallsLeft for methods. It is informational:
// when a method is unavailable or has fewer calls left than the threshold
// of WithCallsLeftWarning, the client logs a warning and calls that
// option's function; it never slows down its own calls for it.
func (c *Client) GetCallsLeft(ctx context.Context, methods []string, opts ...core.CallOption) ([]CallsLeft, error) {
	if len(methods) == 0 {
		return nil, invalid("users.getCallsLeft", "no method")
	}
	var raw json.RawMessage
	if err := c.do(ctx, "users.getCallsLeft", &getCallsLeftParams{Methods: methods}, &raw, read(opts)); err != nil {
		return nil, err
	}
	type item struct {
		Name      string   `json:"name"`
		Method    string   `json:"method"`
		Available flexBool `json:"available"`
		Left      *flexInt `json:"callsLeft"`
	}
	var items []item
	raw = bytes.TrimSpace(raw)
	var err error
	if len(raw) > 0 && raw[0] == '{' {
		var w struct {
			Methods []item `json:"methods"`
		}
		err = json.Unmarshal(raw, &w)
		items = w.Methods
	} else {
		err = json.Unmarshal(raw, &items)
	}
	if err != nil {
		return nil, &DecodeError{Method: "users.getCallsLeft", Err: err}
	}
	out := make([]CallsLeft, len(items))
	for i, it := range items {
		cl := CallsLeft{Method: it.Name, Available: !it.Available.set || it.Available.v, Left: -1}
		if cl.Method == "" {
			cl.Method = it.Method
		}
		if it.Left != nil {
			cl.Left = int64(*it.Left)
		}
		out[i] = cl
		if !cl.Available || cl.Left >= 0 && cl.Left < int64(c.warnAt) {
			c.logger.LogAttrs(ctx, slog.LevelWarn, "ok: few calls left", slog.String("method", cl.Method),
				slog.Bool("available", cl.Available), slog.Int64("calls_left", cl.Left))
			if c.onLeft != nil {
				c.onLeft(ctx, cl)
			}
		}
	}
	return out, nil
}
