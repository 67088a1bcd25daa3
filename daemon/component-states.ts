/**
 * The states of the daemon's running parts (store, pipeline, API, each
 * collector) for `dossier status`, kept in start order.
 */
import type { ComponentStatus } from '../schema/index.js';
import type { Component } from '../core/pipeline/component.js';

type State = ComponentStatus['state'];

interface Entry {
  state: State;
  detail: string | undefined;
  component: Component | undefined;
}

/** Start-ordered component states; a live component's own `status()` fills in the detail. */
export class ComponentStates {
  readonly #entries = new Map<string, Entry>();

  /** Records a state change; the detail and component given earlier are kept unless replaced. */
  set(name: string, state: State, detail?: string, component?: Component): void {
    const previous = this.#entries.get(name);
    this.#entries.set(name, { state, detail: detail ?? previous?.detail, component: component ?? previous?.component });
  }

  /**
   * A snapshot for the status response: a running component's own `status()`
   * as `key=value, …` (or the error it threw), a failed one's failure.
   */
  snapshot(): ComponentStatus[] {
    return [...this.#entries].map(([name, entry]) => {
      // A failure's message says more than whatever the broken component still reports.
      const detail = entry.state === 'failed' ? (entry.detail ?? describe(entry.component)) : (describe(entry.component) ?? entry.detail);
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
