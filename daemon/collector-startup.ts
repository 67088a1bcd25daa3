/**
 * Starts the selected collectors, each under a supervisor, once the store,
 * pipeline and API are up; wires the two collectors other parts talk to (the
 * OTLP receiver carries the HTTP hook door; the liveness collector answers
 * process usage).
 */
import type { Logger } from 'pino';
import type { ProcessUsage } from '../schema/index.js';
import type { ComponentSettings } from '../core/pipeline/component.js';
import type { Counters } from '../core/pipeline/counters.js';
import type { EventSink } from '../core/pipeline/sink.js';
import type { SqliteLedgerWriter } from '../core/store/writer.js';
import { hookHttpRoute } from '../collectors/hooks/http-route.js';
import type { HookIntake } from '../collectors/hooks/receive.js';
import { OtlpReceiver } from '../collectors/otlp/index.js';
import { ProcessComponent } from '../collectors/process/component.js';
import type { ComponentStates } from './component-states.js';
import type { PreparedCollector } from './components.js';
import { CollectorSupervisor } from './service/supervisor.js';

/** What every collector is started with. */
export interface CollectorStartup {
  logger: Logger;
  counters: Counters;
  checkpoints: SqliteLedgerWriter;
  home: string;
  liveSessions: ComponentSettings['liveSessions'];
  sink: EventSink;
  states: ComponentStates;
  hookOptions: HookIntake['options'];
  /** Hears the liveness collector's usage lookup once it exists. */
  onProcessUsage: (usageOf: (id: string) => ProcessUsage | undefined) => void;
  /** Hears each supervisor as soon as it exists, so a failed start still stops the ones before it. */
  started: (type: string, supervisor: CollectorSupervisor) => void;
}

/** Starts `prepared` in order; rejects with the first start failure. */
export async function startCollectors(prepared: readonly PreparedCollector[], s: CollectorStartup): Promise<void> {
  for (const collector of prepared) {
    const settings: ComponentSettings = {
      logger: s.logger.child({ component: collector.type }),
      counters: s.counters,
      checkpoints: s.checkpoints,
      home: s.home,
      now: Date.now,
      liveSessions: s.liveSessions,
    };
    // A collector whose background work dies is restarted with backoff; the others carry on.
    const supervisor = new CollectorSupervisor({
      type: collector.type,
      states: s.states,
      logger: settings.logger,
      create: (fail) => {
        const component = collector.create({ ...settings, fail }, s.sink);
        // Claude Code's `type: "http"` hooks post to the loopback HTTP door the OTLP receiver owns.
        if (component instanceof OtlpReceiver && !component.addHttpRoute(hookHttpRoute({ sink: s.sink, counters: s.counters, now: Date.now, options: s.hookOptions }))) {
          settings.logger.warn('OTLP/HTTP is off, so Claude Code hooks of type "http" have no door; command hooks (dossier setup claude --hooks command) still work');
        }
        if (component instanceof ProcessComponent) s.onProcessUsage((id) => component.usageOf(id));
        return component;
      },
    });
    s.started(collector.type, supervisor);
    await supervisor.start();
  }
}
