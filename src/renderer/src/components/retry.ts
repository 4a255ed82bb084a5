import { notifications } from '@mantine/notifications';
import { rpc } from '../rpc/client';
import { errorMessage } from '../rpc/errors';
import { type ApprovalRun, rpcApproved } from './ApprovalModal';

/** Without a manager's dialog: the call as the person signed in, refused as it is. */
const asIs: ApprovalRun = (action) => action();

/**
 * Puts failed aggregated lines back in the SCM job's queue, and says what happened. `approve`
 * (useManagerApproval's run) lets a clerk's Retry go through with a manager's PIN or badge.
 */
export async function retryAggregated(ids: string[], approve: ApprovalRun = asIs): Promise<void> {
  try {
    const input = { aggregatedLineIds: ids };
    const result = await approve((override) =>
      override ? rpcApproved('aggregated.retry', input, override) : rpc('aggregated.retry', input),
    );
    notifications.show({
      color: result.refused.length ? 'yellow' : 'green',
      title: `${result.changed} line(s) queued again`,
      message:
        result.refused.map((r) => r.message).join('; ') ||
        'The next SCM run sends them; Sync now sends them at once.',
    });
  } catch (e) {
    notifications.show({ color: 'red', title: 'Not retried', message: errorMessage(e) });
  }
}
