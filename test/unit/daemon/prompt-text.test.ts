/**
 * `--prompt-text` reaches every collector that sees prompts: each entry's
 * `configure` turns the daemon-wide setting into its own config field, and
 * the collectors' own defaults match the daemon's (keep).
 */
import { describe, expect, it } from 'vitest';
import { defaultTranscriptsConfig } from '../../../collectors/transcripts/config.js';
import { hooksFactory } from '../../../collectors/hooks/component.js';
import { defaultOtlpConfig } from '../../../collectors/otlp/config.js';
import { COLLECTORS, type ConfigureContext, type PromptTextMode } from '../../../daemon/components.js';
import { daemonUsage } from '../../../daemon/cli/daemon.js';
import { hooksEntry } from '../../../daemon/flags/hooks.js';
import { otlpEntry } from '../../../daemon/flags/otlp.js';
import { transcriptsEntry } from '../../../daemon/flags/transcripts.js';

const context = (promptText: PromptTextMode): ConfigureContext => ({ env: {}, home: '/tmp/h', promptText });

describe('the daemon-wide prompt-text setting', () => {
  it('sets the transcripts collector\'s include_prompt_text, whose own default is now to keep', () => {
    expect(defaultTranscriptsConfig().include_prompt_text).toBe(true);
    expect(transcriptsEntry.configure(defaultTranscriptsConfig(), {}, context('drop')).include_prompt_text).toBe(false);
    expect(transcriptsEntry.configure({ ...defaultTranscriptsConfig(), include_prompt_text: false }, {}, context('keep')).include_prompt_text).toBe(true);
  });

  it('sets the hooks collector\'s includePromptText', () => {
    expect(hooksEntry.configure(hooksFactory.defaultConfig(), {}, context('drop')).includePromptText).toBe(false);
    expect(hooksEntry.configure(hooksFactory.defaultConfig(), {}, context('keep')).includePromptText).toBe(true);
  });

  it('sets the OTLP receiver\'s include_prompt_text (default keep)', () => {
    expect(defaultOtlpConfig().include_prompt_text).toBe(true);
    expect(otlpEntry.configure(defaultOtlpConfig(), {}, context('drop')).include_prompt_text).toBe(false);
    expect(otlpEntry.configure(defaultOtlpConfig(), {}, context('keep')).include_prompt_text).toBe(true);
  });

  it('replaces the transcripts-only --keep-prompt-text, in the flags and in the help', () => {
    expect(COLLECTORS.flatMap((p) => Object.keys(p.flags))).not.toContain('keep-prompt-text');
    const usage = daemonUsage();
    expect(usage).not.toContain('keep-prompt-text');
    expect(usage).toMatch(/--prompt-text MODE +keep or drop the text of user prompts/);
  });
});
