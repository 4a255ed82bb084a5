import { notifications } from '@mantine/notifications';
import { rpc } from '../rpc/client';
import { errorMessage } from '../rpc/errors';

/** Puts failed aggregated lines back in the SCM job's queue, and says what happened. */
export async function retryAggregated(ids: string[]): Promise<void> {
  try {
    const result = await rpc('aggregated.retry', { aggregatedLineIds: ids });
    notifications.show({
      color: result.refused.length ? 'yellow' : 'green',
      title: `${result.changed} line(s) queued again`,
      message:
        result.refused.map((r) => r.message).join('; ') ||
        'The next SCM run sends them; Sync now sends them at once.',
    });
  } catch (e) {
    notifications.show({ color: 'red', title: 'Retry failed', message: errorMessage(e) });
  }
}
