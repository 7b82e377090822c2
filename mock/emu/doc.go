// Package emu is the request pipeline every emulator of the sandbox mounts.
//
// An emulator supplies an [Adapter] (how to read a request's method and
// credential, and how to render the party's own error envelope) and a
// [Resolver] (which tenant's world and handler serve a request). The
// [Pipeline] then does, for every request and in this order:
//
//   - bound the request body ([WithMaxBody]);
//   - let the adapter inspect the request (method, credential, decoded
//     parameters for the journal);
//   - resolve the tenant; a request the resolver refuses (a credential that
//     does not belong to the tenant named by X-Mock-Tenant) gets the party's
//     "unauthorized" error;
//   - apply the tenant's fault rules (matched by party, method, tenant and,
//     for rules with parameters, the adapter's [FaultParamer.FaultParams] or
//     [Adapter.Params]): latency, the party's error, a rate-limit answer, a
//     connection dropped before or after the handler, an error after the
//     handler, a truncated body, a bare gateway status;
//   - run the handler, turning a panic into the party's 500;
//   - record a journal entry in the tenant's world: party, method, tenant,
//     parameters (secrets removed by the adapter), status, party error code
//     and description, credential fingerprint, the id of the fault rule
//     that fired and, when the adapter is a [Decoder], the party's typed
//     view of the request.
//
// [Index] maps every credential an emulator issues (party + credential) to
// its tenant, so one test suite is one tenant whichever party it calls.
// [WithTenant] and [Transport] carry a tenant on calls from one emulator to
// another.
package emu
