import { describe, expect, it } from 'vitest';
import type { Component } from '../../../core/pipeline/component.js';
import { ComponentStates } from '../../../daemon/component-states.js';

function component(status: () => Record<string, unknown>): Component {
  return { start: async () => {}, shutdown: async () => {}, status };
}

describe('ComponentStates', () => {
  it('keeps start order and the last state of each component', () => {
    const states = new ComponentStates();
    states.set('store', 'running', '/db');
    states.set('api', 'starting');
    states.set('api', 'running');
    states.set('store', 'stopped');
    expect(states.snapshot()).toEqual([
      { name: 'store', state: 'stopped', detail: '/db' },
      { name: 'api', state: 'running' },
    ]);
  });

  it("asks a live component for its detail, and survives one whose status() throws", () => {
    const states = new ComponentStates();
    states.set('transcripts', 'running', undefined, component(() => ({ files: 12, phase: 'live' })));
    states.set('otlp', 'running', undefined, component(() => {
      throw new Error('not ready');
    }));
    expect(states.snapshot()).toEqual([
      { name: 'transcripts', state: 'running', detail: 'files=12, phase=live' },
      { name: 'otlp', state: 'running', detail: 'status unavailable: not ready' },
    ]);
  });

  it('shows a failure message rather than the component status', () => {
    const states = new ComponentStates();
    states.set('otlp', 'starting', undefined, component(() => ({ port: 4318 })));
    states.set('otlp', 'failed', 'port 4318 is already in use');
    expect(states.snapshot()).toEqual([{ name: 'otlp', state: 'failed', detail: 'port 4318 is already in use' }]);
  });
});
