/**
 * How `dossier daemon` wires the OTLP receiver: `--otlp-http` and
 * `--otlp-grpc` (`HOST:PORT` on loopback, or `off`) and
 * `--otlp-decode-workers`, validated once at start.
 */
import { DossierError } from '../../schema/index.js';
import { otlpFactory, parseListenAddress, resolveOtlpConfig, type OtlpConfig } from '../../collectors/otlp/index.js';
import type { CollectorEntry } from '../components.js';

/** The `otlp` collector entry for {@link COLLECTORS}. */
export const otlpEntry: CollectorEntry<OtlpConfig> = {
  factory: otlpFactory,
  flags: {
    'otlp-http': { type: 'string', valueName: 'HOST:PORT', description: 'OTLP/HTTP receiver address, or off (default: 127.0.0.1:4318)' },
    'otlp-grpc': { type: 'string', valueName: 'HOST:PORT', description: 'OTLP/gRPC receiver address, or off (default: 127.0.0.1:4317)' },
    'otlp-decode-workers': { type: 'string', valueName: 'N', description: 'threads decoding big OTLP requests, 0 for none (default: 1)' },
  },
  configure(defaults, flags, context) {
    const config: OtlpConfig = { ...defaults, include_prompt_text: context.promptText === 'keep' };
    const http = flags['otlp-http'];
    if (typeof http === 'string') {
      parseListenAddress('--otlp-http', http);
      config.http = http;
    }
    const grpc = flags['otlp-grpc'];
    if (typeof grpc === 'string') {
      parseListenAddress('--otlp-grpc', grpc);
      config.grpc = grpc;
    }
    const workers = flags['otlp-decode-workers'];
    if (typeof workers === 'string') {
      if (!/^\d{1,2}$/.test(workers)) {
        throw new DossierError('DOSSIER_E_CONFIG_INVALID', `--otlp-decode-workers: must be a whole number from 0 to 99 (got ${JSON.stringify(workers)})`);
      }
      config.decode_workers = Number(workers);
    }
    resolveOtlpConfig(config);
    return config;
  },
};
