/**
 * The OTLP receiver collector: Claude Code's OpenTelemetry logs, metrics and
 * traces over OTLP/HTTP (protobuf or JSON) and OTLP/gRPC, turned into
 * normalized events. `daemon/main` lists {@link otlpFactory}.
 */
import type { ComponentFactory } from '../../core/pipeline/component.js';
import { defaultOtlpConfig, type OtlpConfig } from './config.js';
import { OtlpReceiver } from './receiver.js';

export { defaultOtlpConfig, parseListenAddress, resolveOtlpConfig, type ListenAddress, type OtlpConfig } from './config.js';
export { OtlpReceiver, type OtlpAddresses } from './receiver.js';
export type { HttpRoute } from './http/door.js';

/** Factory of the `otlp` collector. `create` throws `DOSSIER_E_CONFIG_INVALID` on a bad config. */
export const otlpFactory: ComponentFactory<OtlpConfig> = {
  type: 'otlp',
  stability: 'beta',
  defaultConfig: defaultOtlpConfig,
  create: (settings, config, sink) => new OtlpReceiver(settings, config, sink),
};
