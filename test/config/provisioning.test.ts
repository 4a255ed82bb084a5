import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { AppError } from '../../src/main/errors';
import { openLayer } from '../helpers/layer';

let layer: BusinessLayer;
afterEach(async () => {
  await layer?.close();
});

const FILE = {
  environmentId: 'env-a',
  connection: {
    tenantId: 'contoso.onmicrosoft.com',
    clientId: 'app-1',
    clientSecret: 'secret-1',
    ivEndpoint: 'https://iv.example.com',
    fnoEnvironmentUrl: 'https://contoso.operations.dynamics.com',
  },
  transactions: {
    fnoAdjustmentIntegrationActivityId: '0cdb527f-a8d1-4bf8-9436-b352c68682b2',
    ivSyncFrequencyMinutes: 5,
  },
  mappings: [{ physicalMeasure: 'sold', targetTransactionStatus: 'Created' }],
};

describe('provisioning file', () => {
  it('applies a new file, then keeps settings-page changes while the file is unchanged', () => {
    layer = openLayer();
    expect(layer.settings.applyProvisioning(FILE)).toBe('applied');
    expect(layer.settings.view()).toMatchObject({
      environmentId: 'env-a',
      hasClientSecret: true,
      transactions: { ivSyncFrequencyMinutes: 5 },
    });
    expect(layer.ledger.mappings.list().map((m) => m.physicalMeasure)).toEqual(['sold']);

    layer.settings.update({ transactions: { ivSyncFrequencyMinutes: 3 } });
    layer.settings.setInitialized(true);
    expect(layer.settings.applyProvisioning(structuredClone(FILE))).toBe('unchanged');
    expect(layer.settings.read()).toMatchObject({
      isFeatureInitialized: true,
      transactions: { ivSyncFrequencyMinutes: 3 },
    });

    const changed = { ...FILE, transactions: { ...FILE.transactions, ivSyncFrequencyMinutes: 7 } };
    expect(layer.settings.applyProvisioning(changed)).toBe('applied');
    expect(layer.settings.read().transactions.ivSyncFrequencyMinutes).toBe(7);
    // Same secret, same connection: the checks still hold.
    expect(layer.settings.read().isFeatureInitialized).toBe(true);
  });

  it('clears Is feature initialized when the secret really changes', () => {
    layer = openLayer();
    layer.settings.applyProvisioning(FILE);
    layer.settings.setInitialized(true);
    layer.settings.applyProvisioning({
      ...FILE,
      connection: { ...FILE.connection, clientSecret: 'secret-2' },
    });
    expect(layer.settings.read().isFeatureInitialized).toBe(false);
  });

  it('refuses an invalid file whole, naming the keys, and changes nothing', () => {
    layer = openLayer();
    const before = layer.settings.read();
    const attempt = () =>
      layer.settings.applyProvisioning({
        ...FILE,
        connection: { ...FILE.connection, ivEndpoint: 'http://iv.example.com' },
        mappings: [...FILE.mappings, { physicalMeasure: 'SOLD', targetTransactionStatus: 'None' }],
      });
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(/connection\.ivEndpoint/);
    expect(layer.settings.read()).toEqual(before);
    expect(layer.ledger.mappings.list().map((m) => m.physicalMeasure)).toEqual(['adjustment']);
  });
});

describe('settings cache', () => {
  it('never keeps a value whose transaction rolled back', () => {
    layer = openLayer();
    const before = layer.settings.read().transactions.ivSyncFrequencyMinutes;
    expect(() =>
      layer.ledger.writeNow(() => {
        layer.settings.update({ transactions: { ivSyncFrequencyMinutes: 42 } });
        expect(layer.settings.read().transactions.ivSyncFrequencyMinutes).toBe(42);
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(layer.settings.read().transactions.ivSyncFrequencyMinutes).toBe(before);
    layer.settings.update({ transactions: { ivSyncFrequencyMinutes: 9 } });
    expect(layer.settings.read().transactions.ivSyncFrequencyMinutes).toBe(9);
  });
});
