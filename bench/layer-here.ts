import path from 'node:path';
import { BusinessLayer, type BusinessLayerOptions } from '../src/main/business-layer';
import { systemClock } from '../src/main/clock';
import { FileSecretStore } from '../src/main/config/secret-store';

/**
 * The business layer inside this process (the loop, foreground and soak runs watch its event
 * loop directly): the headless options a store runs with, the bench's API key, no log.
 */
export function openLayerHere(
  dataDir: string,
  apiKey: string,
  extra: Partial<BusinessLayerOptions> = {},
): BusinessLayer {
  return BusinessLayer.open({
    dataDir,
    secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
    platform: 'headless',
    version: 'bench',
    clock: systemClock,
    apiKeyOverride: apiKey,
    log: () => {},
    ...extra,
  });
}
