/**
 * How `dossier daemon` wires the OTLP receiver: `--otlp-http` and
 * `--otlp-grpc` (`HOST:PORT` on loopback, or `off`), validated once at start.
 */
import { otlpFactory, parseListenAddress, resolveOtlpConfig, type OtlpConfig } from '../../collectors/otlp/index.js';
import type { CollectorEntry } from '../components.js';

/** The `otlp` collector entry for {@link COLLECTORS}. */
export const otlpEntry: CollectorEntry<OtlpConfig> = {
  factory: otlpFactory,
  flags: {
    'otlp-http': { type: 'string', valueName: 'HOST:PORT', description: 'OTLP/HTTP receiver address, or off (default: 127.0.0.1:4318)' },
    'otlp-grpc': { type: 'string', valueName: 'HOST:PORT', description: 'OTLP/gRPC receiver address, or off (default: 127.0.0.1:4317)' },
  },
  configure(defaults, flags) {
    const config: OtlpConfig = { ...defaults };
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
    resolveOtlpConfig(config);
    return config;
  },
};
