/**
 * Runs the real `dossier setup claude` into a scenario's HOME, pointing the
 * CLI's OTel exporter at the scenario daemon's ports with the chosen
 * protocol, and checks that it wrote hooks and telemetry settings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliRun, DaemonHandle } from '../../support/daemon.js';

/** The three OTLP protocols Claude Code can export with. */
export type OtlpProtocol = 'http/json' | 'http/protobuf' | 'grpc';

/** Where the scenario's daemon listens, and the HOME and PATH the user runs setup with. */
export interface SetupTarget {
  home: string;
  /** A dir holding a `dossier` launcher, put on PATH as `npm link` would. */
  binDir: string;
  protocol: OtlpProtocol;
  httpPort: number;
  grpcPort: number;
}

/** The OTLP endpoint for a protocol: the gRPC door or the HTTP door. */
export function otlpEndpoint(target: SetupTarget): string {
  return target.protocol === 'grpc' ? `http://127.0.0.1:${target.grpcPort}` : `http://127.0.0.1:${target.httpPort}`;
}

/**
 * Runs `dossier setup claude` with HOME set to the scenario's home. Throws
 * with the command's output when it fails or leaves no settings file.
 */
export async function setupClaude(daemon: DaemonHandle, target: SetupTarget): Promise<CliRun> {
  const args = ['setup', 'claude', '--otlp-protocol', target.protocol, '--otlp-endpoint', otlpEndpoint(target), '--home', daemon.home];
  const run = await daemon.cli(args, { HOME: target.home, PATH: `${target.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` });
  const settingsPath = join(target.home, '.claude', 'settings.json');
  if (run.code !== 0 || !existsSync(settingsPath)) {
    throw new Error(`dossier ${args.join(' ')} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  const settings = JSON.parse(readFileSync(settingsPath, 'utf8')) as { hooks?: unknown; env?: Record<string, string> };
  if (settings.hooks === undefined || settings.env?.CLAUDE_CODE_ENABLE_TELEMETRY !== '1') {
    throw new Error(`dossier setup claude wrote no hooks or no telemetry env into ${settingsPath}:\n${JSON.stringify(settings, null, 2)}`);
  }
  return run;
}
