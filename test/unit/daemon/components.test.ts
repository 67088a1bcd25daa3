import { describe, expect, it } from 'vitest';
import { DossierError } from '../../../schema/index.js';
import type { Component, ComponentSettings } from '../../../core/pipeline/component.js';
import type { EventSink } from '../../../core/pipeline/sink.js';
import { COLLECTORS, collector, selectCollectors, type CollectorPlan } from '../../../daemon/components.js';

interface FakeConfig {
  roots: string[];
  port: number;
}

function plan(type: string, seen: FakeConfig[] = []): CollectorPlan {
  return collector<FakeConfig>({
    factory: {
      type,
      stability: 'alpha',
      defaultConfig: () => ({ roots: ['/default'], port: 1 }),
      create: (_settings: ComponentSettings, config: FakeConfig, _sink: EventSink): Component => {
        seen.push(config);
        return { start: async () => {}, shutdown: async () => {} };
      },
    },
    flags: { [`${type}-port`]: { type: 'string', description: 'port' } },
    configure: (defaults, flags) => {
      const raw = flags[`${type}-port`];
      if (raw === undefined) return defaults;
      const port = Number(raw);
      if (!Number.isInteger(port)) throw new DossierError('DOSSIER_E_CONFIG_INVALID', `--${type}-port: must be an integer (got ${JSON.stringify(raw)})`);
      return { ...defaults, port };
    },
  });
}

describe('collector seam', () => {
  it('lists every collector once, with flags no other collector claims', () => {
    expect(new Set(COLLECTORS.map((c) => c.type)).size).toBe(COLLECTORS.length);
    const flags = COLLECTORS.flatMap((c) => Object.keys(c.flags));
    expect(new Set(flags).size).toBe(flags.length);
    for (const flag of flags) expect(['home', 'socket', 'log-level', 'collectors']).not.toContain(flag);
  });

  it('prepares a frozen config from defaults and flags, and creates with it', () => {
    const seen: FakeConfig[] = [];
    const prepared = plan('otlp', seen).prepare({ 'otlp-port': '4318' }, { env: {}, home: '/h', promptText: 'keep' });
    prepared.create({} as ComponentSettings, {} as EventSink);
    expect(seen).toEqual([{ roots: ['/default'], port: 4318 }]);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(Object.isFrozen(seen[0]!.roots)).toBe(true);
  });

  it('passes a config error through before anything is created', () => {
    expect(() => plan('otlp').prepare({ 'otlp-port': 'x' }, { env: {}, home: '/h', promptText: 'keep' })).toThrow(/--otlp-port: must be an integer/);
  });

  it('selects all, none or a named subset in list order, refusing unknown names', () => {
    const plans = [plan('transcripts'), plan('otlp'), plan('hooks')];
    expect(selectCollectors(plans, 'all').map((p) => p.type)).toEqual(['transcripts', 'otlp', 'hooks']);
    expect(selectCollectors(plans, [])).toEqual([]);
    expect(selectCollectors(plans, ['hooks', 'transcripts']).map((p) => p.type)).toEqual(['transcripts', 'hooks']);
    expect(() => selectCollectors(plans, ['email'])).toThrow(/--collectors: unknown collector \(got "email"; known: transcripts, otlp, hooks\)/);
  });
});
