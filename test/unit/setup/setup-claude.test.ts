/**
 * `dossier setup claude` on temp homes (never the real ~/.claude): empty and
 * missing settings, settings with the user's own hooks and env, a second run
 * (no change), --undo (byte-identical to before), edits between setup and
 * undo, malformed files (clear error, untouched), conflicts, http mode,
 * --print, project and CLAUDE_CONFIG_DIR roots.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command } from '../../../daemon/cli/setup.js';
import type { CliIo } from '../../../daemon/cli/io.js';
import { CLAUDE_HOOK_EVENTS } from '../../../daemon/setup/claude-plan.js';
import { jsonErrorPosition } from '../../../daemon/setup/json-error-position.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let root: string;
let home: string;
let settingsPath: string;

function io(env: Record<string, string> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    isTTY: false,
    env: { HOME: home, DOSSIER_HOME: join(root, 'state'), PATH: join(root, 'bin'), ...env },
    columns: undefined,
  };
}

async function setup(args: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  const ctx = io(env);
  const code = await command.run(command.parse(['claude', ...args]), ctx);
  return { code, stdout: ctx.out.join(''), stderr: ctx.err.join('') };
}

const read = (path = settingsPath): string => readFileSync(path, 'utf8');
const parsed = (path = settingsPath): { hooks: Record<string, { matcher?: string; hooks: Record<string, unknown>[] }[]>; env: Record<string, string> } =>
  JSON.parse(read(path)) as never;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dossier-setup-'));
  home = join(root, 'home');
  settingsPath = join(home, '.claude', 'settings.json');
  // A fake `dossier` on PATH, so the default command raises no warning.
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', 'dossier'), '#!/bin/sh\n', { mode: 0o755 });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('dossier setup claude', () => {
  it('creates the settings when there are none: every hook as a command, OTel to the daemon; undo deletes the file again', async () => {
    const first = await setup();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('added 20 hooks (command: dossier hook) and 5 OTel variables');
    const settings = parsed();
    expect(Object.keys(settings.hooks).sort()).toEqual([...CLAUDE_HOOK_EVENTS].sort());
    for (const event of CLAUDE_HOOK_EVENTS) {
      expect(settings.hooks[event]).toEqual([{ hooks: [{ type: 'command', command: 'dossier hook', timeout: 10 }] }]);
    }
    expect(settings.env).toEqual({
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
    expect(statSync(settingsPath).mode & 0o777).toBe(0o600);
    expect((await setup(['--undo'])).stdout).toContain('restored exactly');
    expect(existsSync(settingsPath)).toBe(false);
  });

  it('an empty object: setup, a second run changes nothing, undo gives the same bytes', async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(settingsPath, '{}');
    await setup();
    const afterFirst = read();
    const second = await setup();
    expect(second.stdout).toContain('already set up, no change');
    expect(read()).toBe(afterFirst);
    await setup(['--undo']);
    expect(read()).toBe('{}');
  });

  const USERS_OWN = [
    '{',
    '    "model": "opus",',
    '    "permissions": { "allow": ["Bash(npm test)"] },',
    '    "env": { "MY_TOKEN": "secret", "CLAUDE_CODE_ENABLE_TELEMETRY": "1" },',
    '    "hooks": {',
    '        "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "~/bin/guard.sh" } ] } ],',
    '        "Stop": [ { "hooks": [ { "type": "command", "command": "say done" } ] } ]',
    '    }',
    '}',
  ].join('\n');

  it("keeps the user's hooks, env and settings, keeps the style, and undo restores the exact bytes", async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(settingsPath, USERS_OWN, { mode: 0o644 });
    const first = await setup();
    expect(first.stdout).toContain('added 20 hooks (command: dossier hook) and 4 OTel variables');
    const settings = parsed() as unknown as Record<string, unknown> & ReturnType<typeof parsed>;
    expect(settings.model).toBe('opus');
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(settings.env.MY_TOKEN).toBe('secret');
    expect(settings.hooks.PreToolUse![0]).toEqual({ matcher: 'Bash', hooks: [{ type: 'command', command: '~/bin/guard.sh' }] });
    expect(settings.hooks.PreToolUse).toHaveLength(2);
    expect(settings.hooks.Stop![0]).toEqual({ hooks: [{ type: 'command', command: 'say done' }] });
    expect(read()).toMatch(/^\{\n {4}"model"/);
    expect(statSync(settingsPath).mode & 0o777).toBe(0o644);
    expect(read(`${settingsPath}.dossier-backup`)).toBe(USERS_OWN);

    const written = read();
    expect((await setup()).stdout).toContain('no change');
    expect(read()).toBe(written);
    await setup(['--undo']);
    expect(read()).toBe(USERS_OWN);
  });

  it('after the user edits the file, undo takes out only what setup added', async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(settingsPath, USERS_OWN);
    await setup();
    const edited = parsed() as unknown as Record<string, unknown>;
    edited.theme = 'dark';
    writeFileSync(settingsPath, JSON.stringify(edited, null, 4));
    expect((await setup(['--undo'])).stdout).toContain('removed what setup added');
    const after = JSON.parse(read()) as Record<string, unknown>;
    expect(after).toEqual({ ...(JSON.parse(USERS_OWN) as Record<string, unknown>), theme: 'dark' });
  });

  it('a malformed settings.json is a clear error and stays untouched', async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    const broken = '{\n  "hooks": {\n    "Stop": [\n  }\n';
    writeFileSync(settingsPath, broken);
    const run = await setup();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/settings\.json is not valid JSON \(line 4, column 3/);
    expect(run.stderr).toContain('The file was not changed');
    expect(read()).toBe(broken);
    expect(readdirSync(join(home, '.claude'))).toEqual(['settings.json']);
    expect((await setup(['--undo'])).code).toBe(1);
    expect(read()).toBe(broken);
  });

  it('refuses hooks or env of the wrong shape instead of overwriting them', async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    for (const text of ['{"hooks": []}', '{"hooks": {"Stop": {"type": "command"}}}', '{"env": "x"}', '[1]']) {
      writeFileSync(settingsPath, text);
      const run = await setup();
      expect(run.code, text).toBe(1);
      expect(read()).toBe(text);
    }
  });

  it("with the user's own protocol, sets no endpoint of another protocol's door", async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(settingsPath, '{"env":{"OTEL_EXPORTER_OTLP_PROTOCOL":"grpc"}}\n');
    const run = await setup();
    expect(run.code).toBe(0);
    expect(parsed().env).toMatchObject({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp' });
    expect(parsed().env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(run.stderr).toContain('already sets OTEL_EXPORTER_OTLP_PROTOCOL="grpc"');
    expect(run.stderr).toContain('OTEL_EXPORTER_OTLP_ENDPOINT not set (dossier would set "http://127.0.0.1:4318")');
    // Asked for their protocol, dossier sets the endpoint of that door.
    const matching = await setup(['--otlp-protocol', 'grpc']);
    expect(matching.code).toBe(0);
    expect(parsed().env).toMatchObject({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317' });
  });

  it("warns when the user's per-signal OTel variables take a signal elsewhere, and not when they point at dossier", async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    const env = {
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://collector:4318/v1/logs',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:4318/v1/metrics',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc',
    };
    writeFileSync(settingsPath, `${JSON.stringify({ env })}\n`);
    const run = await setup();
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('sets OTEL_EXPORTER_OTLP_LOGS_ENDPOINT="http://collector:4318/v1/logs", which takes precedence over OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(run.stderr).toContain('sets OTEL_EXPORTER_OTLP_METRICS_PROTOCOL="grpc", which takes precedence over OTEL_EXPORTER_OTLP_PROTOCOL');
    expect(run.stderr).not.toContain('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
    expect(parsed().env).toMatchObject(env);
  });

  it('takes its endpoint back out when the user changed the protocol after an earlier setup', async () => {
    await setup();
    expect(parsed().env).toMatchObject({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
    const edited = parsed();
    edited.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
    writeFileSync(settingsPath, `${JSON.stringify(edited, null, 2)}\n`);
    const rerun = await setup();
    expect(rerun.code).toBe(0);
    expect(parsed().env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('grpc');
    expect(parsed().env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(rerun.stderr).toContain('OTEL_EXPORTER_OTLP_ENDPOINT not set (dossier would set "http://127.0.0.1:4318")');
    await setup(['--undo']);
    expect(existsSync(settingsPath) ? (parsed().env ?? {}) : {}).toEqual({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
  });

  it("leaves the user's own OTel values alone, warns, and undo does not remove them", async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    const theirs = '{"env":{"OTEL_EXPORTER_OTLP_ENDPOINT":"http://collector:4318"}}\n';
    writeFileSync(settingsPath, theirs);
    const run = await setup();
    expect(run.stderr).toContain('already sets OTEL_EXPORTER_OTLP_ENDPOINT="http://collector:4318"; left as is');
    expect(parsed().env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
    // The protocol must agree with their endpoint, so dossier sets neither.
    expect(parsed().env.OTEL_EXPORTER_OTLP_PROTOCOL).toBeUndefined();
    expect(run.stderr).toContain('OTEL_EXPORTER_OTLP_PROTOCOL not set (dossier would set "http/protobuf"): it must agree with OTEL_EXPORTER_OTLP_ENDPOINT');
    writeFileSync(settingsPath, `${read()} `);
    await setup(['--undo']);
    expect(JSON.parse(read())).toEqual(JSON.parse(theirs));
  });

  it('http mode posts every event except SessionStart and Setup; switching modes replaces, never doubles', async () => {
    await setup();
    await setup(['--hooks', 'http']);
    const settings = parsed();
    for (const event of CLAUDE_HOOK_EVENTS) {
      const expected =
        event === 'SessionStart' || event === 'Setup'
          ? { type: 'command', command: 'dossier hook', timeout: 10 }
          : { type: 'http', url: 'http://127.0.0.1:4318/v1/hooks/claude_code', timeout: 10 };
      expect(settings.hooks[event], event).toEqual([{ hooks: [expected] }]);
    }
    await setup(['--undo']);
    expect(existsSync(settingsPath)).toBe(false);
  });

  it('--print shows the change and writes nothing', async () => {
    const run = await setup(['--print']);
    expect(run.stdout).toContain('would add 20 hooks');
    expect(run.stdout).toContain('"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"');
    expect(existsSync(settingsPath)).toBe(false);
    expect(existsSync(join(root, 'state'))).toBe(false);
  });

  it('edits every CLAUDE_CONFIG_DIR root, or a project file, and takes --command and grpc', async () => {
    const a = join(root, 'cfg-a');
    const b = join(root, 'cfg-b');
    await setup(['--command', '/opt/dossier/bin/dossier.js', '--otlp-protocol', 'grpc'], { CLAUDE_CONFIG_DIR: `${a},${b}` });
    for (const dir of [a, b]) {
      const s = parsed(join(dir, 'settings.json'));
      expect(s.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: '/opt/dossier/bin/dossier.js hook', timeout: 10 }] }]);
      expect(s.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4317');
      expect(s.env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('grpc');
    }
    expect(existsSync(settingsPath)).toBe(false);
    const project = join(root, 'repo');
    await setup(['--project-dir', project, '--no-otel']);
    expect(parsed(join(project, '.claude', 'settings.json')).env).toBeUndefined();
  });

  it('edits a linked settings.json where it lives and keeps the link', async () => {
    const dotfiles = join(root, 'dotfiles', 'claude-settings.json');
    mkdirSync(join(root, 'dotfiles'), { recursive: true });
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(dotfiles, '{"model": "opus"}\n');
    symlinkSync(dotfiles, settingsPath);
    await setup();
    expect(lstatSync(settingsPath).isSymbolicLink()).toBe(true);
    expect(parsed(dotfiles).hooks.Stop).toHaveLength(1);
    await setup(['--undo']);
    expect(lstatSync(settingsPath).isSymbolicLink()).toBe(true);
    expect(read(dotfiles)).toBe('{"model": "opus"}\n');
  });

  it('warns when dossier is not on PATH and no --command is given', async () => {
    const run = await setup([], { PATH: '/nonexistent' });
    expect(run.stderr).toContain('`dossier` is not on PATH');
    expect(run.code).toBe(0);
  });

  it('refuses unknown agents and bad flags as usage errors', () => {
    expect(() => command.parse(['codex'])).toThrow(/unknown agent/);
    expect(() => command.parse(['claude', '--hooks', 'carrier-pigeon'])).toThrow(/--hooks/);
    expect(() => command.parse(['claude', '--otlp-protocol', 'udp'])).toThrow(/--otlp-protocol/);
    expect(() => command.parse(['claude', '--project', '--config-dir', '/x'])).toThrow(/give one/);
    // The exporters append /v1/<signal> to the endpoint: a signal path would be doubled.
    expect(() => command.parse(['claude', '--otlp-endpoint', 'http://127.0.0.1:4318/v1/logs'])).toThrow(/--otlp-endpoint: give the base URL/);
    expect(command.parse(['claude', '--otlp-endpoint', 'http://127.0.0.1:4318/prefix']).otlpEndpoint).toBe('http://127.0.0.1:4318/prefix');
  });
});

describe('jsonErrorPosition', () => {
  it('names the line and column of the first error, and nothing for valid JSON', () => {
    expect(jsonErrorPosition('{"a": [1, 2, {"b": null}], "c": "x\\"y", "d": -1.5e3}')).toBeUndefined();
    expect(jsonErrorPosition('{\n  "a": 1,\n}')).toEqual({ line: 3, column: 1 });
    expect(jsonErrorPosition('{"a": tru}')).toEqual({ line: 1, column: 7 });
    expect(jsonErrorPosition('{"a": "unterminated')).toEqual({ line: 1, column: 20 });
    expect(jsonErrorPosition('{} extra')).toEqual({ line: 1, column: 4 });
    expect(jsonErrorPosition('// comment\n{}')).toEqual({ line: 1, column: 1 });
  });
});
