/**
 * The envelope every OTLP export request shares: request → resource groups
 * (field 1) → resource (1) and scope groups (2) → scope (1) and items (2).
 * Logs, metrics and traces use the same field numbers at these three levels,
 * so one reader serves all of them with a per-signal item reader.
 */
import type { ItemGroup, Origin } from '../model.js';
import { readResource, readScopeInto } from './values.js';
import { WIRE, type WireReader } from './wire.js';

/** Decodes one item (record, metric, span) occupying `[r.pos, end)`. */
export type ItemReader<T> = (r: WireReader, end: number) => T;

/** Reads a whole export request body into groups of items. */
export function readEnvelope<T>(r: WireReader, readItem: ItemReader<T>): ItemGroup<T>[] {
  const groups: ItemGroup<T>[] = [];
  const end = r.buf.length;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE.LEN);
      readResourceGroup(r, r.lengthEnd(end), readItem, groups);
    } else r.skip(tag & 7, end);
  }
  return groups;
}

function readResourceGroup<T>(r: WireReader, end: number, readItem: ItemReader<T>, out: ItemGroup<T>[]): void {
  const first = out.length;
  let resource = new Map() as Origin['resource'];
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE.LEN);
      resource = readResource(r, r.lengthEnd(end));
    } else if (field === 2) {
      r.expect(tag, WIRE.LEN);
      out.push(readScopeGroup(r, r.lengthEnd(end), readItem));
    } else r.skip(tag & 7, end);
  }
  // The resource may follow its scope groups on the wire; attach it once known.
  for (let i = first; i < out.length; i++) out[i]!.origin.resource = resource;
}

function readScopeGroup<T>(r: WireReader, end: number, readItem: ItemReader<T>): ItemGroup<T> {
  const group: ItemGroup<T> = { origin: { resource: new Map(), scopeName: '', scopeVersion: '' }, items: [] };
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE.LEN);
      readScopeInto(r, r.lengthEnd(end), group.origin);
    } else if (field === 2) {
      r.expect(tag, WIRE.LEN);
      group.items.push(readItem(r, r.lengthEnd(end)));
    } else r.skip(tag & 7, end);
  }
  return group;
}
