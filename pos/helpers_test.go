package pos

import "github.com/gospubliki/gosdk/esia"

type esiaAgency = esia.AgencyType

func agency(s string) esia.AgencyType { return esia.AgencyType(s) }
