// Package world is the shared state of the gosdk sandbox: the single source of
// truth that every emulator (mock/tgmock, mock/esiamock, ...) reads and extends.
//
// A [World] holds synthetic people (ESIA accounts linked to network accounts),
// organisations with their employees and access groups, social-network pages
// (Telegram channels and groups, VK and OK communities) and bots. It also owns
// three test-control facilities shared by all parties:
//
//   - [Clock], a controllable clock (real time with an offset, or frozen) that
//     emulators use for dates, token expiry and rate-limit windows;
//   - [Journal], a request journal recording every call an application made,
//     with decoded parameters and a fingerprint instead of any token, plus a
//     blocking [Journal.Await];
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
// The seedable part of the state (people, organisations, employees, pages and
// bots) is a [Scenario], which round-trips through JSON ([World.Export],
// [World.Import]); [DefaultScenario] is a small regional ministry with a
// subordinate organisation, two people, a Telegram channel and a group.
//
// Identifier helpers generate and validate OGRN, INN and SNILS numbers with the
// official check digits ([NewOGRN], [NewLegalINN], [NewPersonINN], [NewSNILS]).
package world
