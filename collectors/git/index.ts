/**
 * The `git` component: enriches sessions with where they worked (repository,
 * branch or detached commit, linked worktree, `owner/repo`, lines changed
 * against the default branch) as `git.context` events. daemon/main supplies
 * the cwd feed (`onCwd` from a {@link CwdHub}, and/or `listSessionCwds`).
 */
import type { ComponentFactory } from '../../core/pipeline/component.js';
import { defaultGitConfig, validateGitConfig, type GitEnricherConfig } from './config.js';
import { GIT_COMPONENT_TYPE, GitEnricher } from './enricher.js';

export { CwdHub, tapSink } from './cwd-hub.js';
export { GitEnricher, GIT_COMPONENT_TYPE } from './enricher.js';
export { defaultGitConfig, validateGitConfig } from './config.js';
export type { CwdSighting, CwdSubscribe, GitEnricherConfig, ListSessionCwds } from './config.js';

/** Factory of the git enricher. `create` validates the config and throws `DOSSIER_E_CONFIG_INVALID` on a bad field. */
export const gitEnricherFactory: ComponentFactory<GitEnricherConfig> = {
  type: GIT_COMPONENT_TYPE,
  stability: 'alpha',
  defaultConfig: defaultGitConfig,
  create(settings, config, sink) {
    return new GitEnricher(settings, validateGitConfig(config), sink);
  },
};
