import { type OnHandEvent, UpstreamError } from '../../src/main/upstream';

export const event = (id: string, quantity = 1): OnHandEvent => ({
  id,
  organizationId: 'usmf',
  productId: 'D0001',
  dimensions: { siteId: '1', locationId: '13' },
  quantities: { '@iv': { adjustment: quantity } },
});

/** The UpstreamError a call rejects with; anything else fails the test. */
export async function caught(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected an UpstreamError');
}
