/**
 * The states of the daemon's running parts (store, pipeline, API, each
 * collector) for `dossier status`, kept in start order.
 */
import type { ComponentStatus } from '../schema/index.js';
import type { Component } from '../core/pipeline/component.js';

type State = ComponentStatus['state'];

/** Start-ordered component states; a live component's own `status()` fills in the detail. */
export class ComponentStates {
  readonly #entries = new Map<string, { state: State; detail?: string; component?: Component }>();

  /** Records a state change; `component` lets later snapshots ask it for details. */
  set(name: string, state: State, detail?: string, component?: Component): void {
    const previous = this.#entries.get(name);
    const entry = { state, component: component ?? previous?.component, detail: detail ?? previous?.detail };
    this.#entries.set(name, entry as { state: State; detail?: string; component?: Component });
  }

  /** A snapshot for the status response. A component whose `status()` throws shows the error as its detail. */
  snapshot(): ComponentStatus[] {
    return [...this.#entries].map(([name, entry]) => {
      const detail = describe(entry.component) ?? entry.detail;
      return detail === undefined ? { name, state: entry.state } : { name, state: entry.state, detail };
    });
  }
}

/** Flattens a component's free-form status into `key=value, …`. */
function describe(component: Component | undefined): string | undefined {
  if (component?.status === undefined) return undefined;
  try {
    const fields = Object.entries(component.status());
    if (fields.length === 0) return undefined;
    return fields.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
  } catch (error) {
    return `status unavailable: ${error instanceof Error ? error.message : String(error)}`;
  }
}
