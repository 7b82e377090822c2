// Package world is the shared state of the gosdk sandbox: the single source of
// truth that every emulator (mock/tgmock, mock/esiamock, ...) reads and extends.
//
// A [World] holds what every network and party shares, and nothing that
// only one of them knows:
//
//   - people ([Person]): ESIA accounts, each with one [Account] per social
//     network ([Person.Accounts]: its own user id, username and two-factor
//     flag);
//   - organisations ([Organization]) with ESIA's agency codes
//     ([AgencyRegional], [AgencyGovernment], [AgencyMunicipal], ... as in
//     ESIA's agencyType), their parent chains ([World.Superiors],
//     [World.SubordinateOfMunicipal], derived, not stored), employees and
//     access groups ([Employee]; every lookup takes the organisation first,
//     the person second, as esia.Client.Employee does);
//   - pages ([Page]) of Telegram, VK and OK, where people hold the network's
//     own roles ([Roles]: VK's creator, administrator, editor, moderator,
//     advertiser; OK's ADMIN, MODERATOR, EDITOR, ANALYST, SUPER_MODERATOR;
//     Telegram's creator and administrator), and the «Госорганизация» mark
//     VK and OK share ([GovMark]: none → under review → confirmed or
//     rejected with reasons; confirmed → lost when the page's name or owner
//     changes), moved by [World.RequestGovMark], [World.ConfirmGovMark] and
//     [World.RejectGovMark] on the world clock.
//
// What only one party knows lives in that party's [Section] of the world,
// which the party registers ([WithSections], [World.Register]) and which
// travels with the world: Telegram's bots and admin rights are the
// "telegram" section of mock/tgmock. A section validates its own part of a
// scenario, naming the offending field by its JSON path
// ("telegram.bots[0].token: ..."; see [FieldError]).
//
// The world also owns three test-control facilities shared by all parties:
//
//   - [Clock], a controllable clock (real time with an offset, or frozen) that
//     emulators use for dates, token expiry, rate-limit windows and
//     scheduled work: timers can be stopped, and [Clock.Advance] fires what
//     came due in order and returns once its work has finished
//     ([Clock.AfterFunc], [Clock.WaitIdle]), so tests never sleep; it
//     implements core.Clock;
//   - [Journal], a request journal recording every call an application made,
//     with decoded parameters and a fingerprint instead of any token, plus a
//     blocking [Journal.Await]; a ring bounded per world, and with the
//     emulators' stored messages capped over several worlds by a shared
//     [Budget];
//   - [Faults], fault-injection rules (latency, error answers in the party's own
//     format before or after the request took effect, rate-limit answers,
//     dropped connections before or after the request took effect) targeted
//     by party, method, tenant, n-th call or seeded probability.
//
// Every exported method is safe for concurrent use. Getters return copies, so a
// caller never shares memory with the world; mutations go through methods.
// There is no package-level mutable state: each [World] is independent, so
// parallel tests each get their own.
//
// The seedable part of the state (shared entities and sections) is a
// [Scenario] (format version [ScenarioVersion]), which round-trips through
// JSON ([World.Export], [World.Import], [World.Seed]); [DefaultScenario] is
// a small regional ministry with a subordinate state institution, two
// people, a Telegram channel and a group, and the region around it
// ([DefaultRegion]), to which each section adds its default.
//
// A [Region] is generated from a seed by [NewRegion], with ids in ranges
// derived from the seed (documented on [Region]): the ministry as the
// ROIV, a city district and a municipal district (ОМСУ, [AgencyLocal]),
// two hospitals of the ROIV ([AgencyGovernment]), a school of each
// municipality ([AgencyMunicipal]) and the regional management centre
// that administers the LKOs; their staff, whose ESIA access groups
// match their Gospubliki cabinets; and their pages on Telegram, VK and
// OK, some compliant and some not. [Region.PageDefects] says which page
// is broken in which way ([DefectNoTwoFactor], [DefectNoCity],
// [DefectWrongPOSLink], [DefectGovMarkLost]); [Region.Bodies] gives each
// organisation's LKO and cabinet, from which the POS, VK, OK and
// Gospubliki sections build their part of the region.
//
// Identifier helpers generate and validate OGRN, INN and SNILS numbers with the
// official check digits ([NewOGRN], [NewLegalINN], [NewPersonINN], [NewSNILS]).
package world
