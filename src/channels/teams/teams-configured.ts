import type { Config } from '../../config.js';

/** Teams is on when an app id is set, or in the explicit local emulator mode. */
export function teamsConfigured(config: Pick<Config, 'TEAMS_APP_ID' | 'TEAMS_ALLOW_UNAUTHENTICATED'>): boolean {
  return config.TEAMS_APP_ID !== undefined || config.TEAMS_ALLOW_UNAUTHENTICATED;
}
