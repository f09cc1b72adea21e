/**
 * What an application sees through the official Unleash Node SDK (`unleash-client`), connected to the
 * simulator's Unleash client API the way GitLab's docs say: url `<gitlab>/api/v4/feature_flags/unleash/<project id>`,
 * `instanceId` the project's client token, `appName` the environment.
 */
import { InMemStorageProvider, Unleash } from 'unleash-client';
import type { GitlabSim } from '../gitlab-sim/index.js';

export interface UnleashView {
  enabled(flag: string, userId: string): boolean;
  /** Share (0–100) of `userIds` the flag is on for. */
  share(flag: string, userIds: readonly string[]): number;
  close(): void;
}

export async function connectUnleash(sim: GitlabSim, project: string, appName: string): Promise<UnleashView> {
  const id = sim.project(project).id;
  const client = new Unleash({
    url: `${sim.url}/api/v4/feature_flags/unleash/${id}`,
    appName,
    instanceId: sim.unleashInstanceId(project),
    disableMetrics: true,
    // one fetch on start (0 would switch fetching off), no polling during the test
    refreshInterval: 3_600_000,
    storageProvider: new InMemStorageProvider(),
  });
  await new Promise<void>((resolve, reject) => {
    client.once('synchronized', () => resolve());
    client.once('error', reject);
  });
  const enabled = (flag: string, userId: string) => client.isEnabled(flag, { userId }, false);
  return {
    enabled,
    share: (flag, userIds) => (100 * userIds.filter((u) => enabled(flag, u)).length) / userIds.length,
    close: () => client.destroy(),
  };
}

export const USER_IDS: readonly string[] = Array.from({ length: 10_000 }, (_, i) => String(100_000 + i));
