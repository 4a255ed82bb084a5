// On-hand without both site and warehouse: IV's exact query under its default partition by
// location refuses an empty dimension list, so the store asks about the places it knows for the
// item (its lines, its copy of SCM's warehouses), and says so when it knows none.
import { describe, expect } from 'vitest';
import { seedLine } from '../helpers/layer';
import { syncTest } from '../helpers/sync-stack';

describe('on-hand without a warehouse', () => {
  syncTest(
    'asks IV about the places the store knows for the item, and says when it knows none',
    async ({ stack }) => {
      const { l } = await stack.open();
      const none = await l.onHand.get({ organizationId: 'usmf', productId: 'D0001', live: true });
      expect(none.source).toBe('none');
      expect(none.note).toContain(
        'IV is asked per site and warehouse, and this store knows none for the item yet',
      );

      stack.add([seedLine({ id: 'oh-1', quantity: 2, dimensions: { siteId: '1', locationId: '13' } })]);
      await l.sync.run('iv');
      const known = await l.onHand.get({ organizationId: 'usmf', productId: 'D0001', live: true });
      expect(known.source).toBe('live');
      expect(known.note).toBeNull();
      // The emulator's D0001 at 1/13 has 100 on hand; the store's +2 reached IV.
      expect(known.rows.find((r) => r.siteId === '1' && r.locationId === '13')).toMatchObject({
        iv: 102,
        pending: 0,
      });
      const bySite = await l.onHand.get({
        organizationId: 'usmf',
        productId: 'D0001',
        siteId: '1',
        live: true,
      });
      expect(bySite.source).toBe('live');
    },
  );
});
