/**
 * One request, three protocols, the same events: every captured request is
 * replayed over OTLP/HTTP protobuf, OTLP/gRPC and (as its decoded JSON twin)
 * OTLP/HTTP JSON, and each receiver commits exactly the same events. A
 * request captured as JSON goes over protobuf and gRPC encoded by protobufjs
 * (`protobufOfJson`), not by anything of dossier's. The three runs of each
 * captured scenario, one per protocol, also yield the same kinds of events
 * with the same fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../../schema/index.js';
import { grpcExport, httpPost } from './clients.js';
import { comparable, fixtureRequests, startReceiver, type RunningReceiver } from './harness.js';
import { protobufOfJson } from './otlp-descriptor.js';

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const JSON_CT = { 'Content-Type': 'application/json' };

let viaProto: RunningReceiver;
let viaGrpc: RunningReceiver;
let viaJson: RunningReceiver;

beforeAll(async () => {
  [viaProto, viaGrpc, viaJson] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([viaProto.stop(), viaGrpc.stop(), viaJson.stop()]);
});

describe('each captured request over every protocol', () => {
  it.each(fixtureRequests().map((r) => [`${r.scenario}/${r.file}`, r] as const))('%s', async (_name, req) => {
    const before = [viaProto, viaGrpc, viaJson].map((r) => r.sink.events.length);
    // A JSON capture is sent as protobuf too: the same request, encoded by protobufjs.
    const protobuf = req.protocol === 'http/json' ? protobufOfJson(req.signal, req.body) : req.body;
    expect((await httpPost(viaProto.httpUrl, `/v1/${req.signal}`, protobuf, PROTO)).status).toBe(200);
    expect((await grpcExport(viaGrpc.grpcAddress, req.signal, protobuf)).ok).toBe(true);
    // A JSON capture goes to the JSON door exactly as captured; any other as its decoded JSON twin.
    const json = req.protocol === 'http/json' ? req.body : req.json;
    expect((await httpPost(viaJson.httpUrl, `/v1/${req.signal}`, json, JSON_CT)).status).toBe(200);
    const added = [viaProto, viaGrpc, viaJson].map((r, i) => comparable(r.sink.events.slice(before[i])));
    expect(added[1]).toEqual(added[0]);
    expect(added[2]).toEqual(added[0]);
    if (req.signal !== 'metrics' || req.file.startsWith('0001')) expect(added[0]!.length).toBeGreaterThan(0);
  });
});

/** What an event says, without the run's ids, times and token counts. */
function shape(e: NormalizedEvent): string {
  const named = 'name' in e.attrs ? `:${String(e.attrs.name)}` : 'tool_name' in e.attrs ? `:${String(e.attrs.tool_name)}` : '';
  return `${e.kind}${named}(${Object.keys(e.attrs).sort().join(',')})`;
}

function shapesOf(scenario: string): string[] {
  const session = sessionOf(scenario);
  const byKey = new Map<string, NormalizedEvent>();
  for (const r of [viaProto, viaGrpc, viaJson]) for (const e of r.sink.events) if (e.session_id === session) byKey.set(e.dedupe_key, e);
  return [...byKey.values()].map(shape).sort();
}

/** The session id of a scenario, read from its first logs request. */
function sessionOf(scenario: string): string {
  const req = fixtureRequests(scenario).find((r) => r.signal === 'logs')!;
  return /"key":\s*"session\.id",\s*"value":\s*\{\s*"stringValue":\s*"([0-9a-f-]{36})"/.exec(req.json.toString())![1]!;
}

describe('the same scenario run once per protocol', () => {
  it.each(['a-simple', 'b-tools'])('%s: same kinds of events with the same fields', (scenario) => {
    const protobuf = shapesOf(`${scenario}-http-protobuf`);
    expect(protobuf.length).toBeGreaterThan(10);
    expect(shapesOf(`${scenario}-http-json`)).toEqual(protobuf);
    expect(shapesOf(`${scenario}-grpc`)).toEqual(protobuf);
  });
});
