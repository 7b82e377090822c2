package gpmock

import "github.com/gospubliki/gosdk/social"

// reportedParts is where a post was published by the server itself: the
// pages of its publication report where it is published, wholly or
// partly, and not deleted since, each with the network's receipt (the
// page itself is filled in from the page's publisher when the statistics
// are read). It is the default of [WithPublishedParts].
func reportedParts(p Post) []PublishedPart {
	var out []PublishedPart
	for _, x := range p.Report {
		if (x.Outcome != OutcomePublished && x.Outcome != OutcomePartial) || x.NetworkPostID == "" ||
			(x.Delete != nil && x.Delete.OK) {
			continue
		}
		rc := social.Receipt{PostID: x.NetworkPostID, URL: x.URL, Key: postKey(&p)}
		for _, pt := range x.Parts {
			rc.Parts = append(rc.Parts, social.Part{ID: pt.ID, Kind: social.PartKind(pt.Kind), HasText: pt.HasText})
		}
		out = append(out, PublishedPart{PageRef: x.Target, Receipt: rc})
	}
	return out
}
