import { Badge, Table, Text } from '@mantine/core';
import type { SyncRunSummary } from '../../../../shared/sync-status';
import { formatShortDateTime } from '../../components/format';
import { type RunVerdict, runVerdict, runWords } from '../../components/words';

const VERDICT: Record<RunVerdict, { color: string; word: string }> = {
  done: { color: 'green', word: 'Done' },
  nothing: { color: 'gray', word: 'Nothing to do' },
  problem: { color: 'orange', word: 'With a problem' },
  failed: { color: 'red', word: 'Failed' },
  skipped: { color: 'gray', word: 'Skipped' },
  running: { color: 'blue', word: 'Running' },
};

const TRIGGER: Record<SyncRunSummary['trigger'], string> = {
  timer: 'on schedule',
  demand: 'Sync now',
  instant: 'instant line',
  retry: 'Retry',
};

/** The last runs in words: what each did, and never "ok" for one that carried an error. */
export function RecentRuns({ runs }: { runs: SyncRunSummary[] | undefined }) {
  if (!runs || runs.length === 0) return <Text size="sm">No runs yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped withTableBorder fz="sm" aria-label="Recent runs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Job</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th>How it went</Table.Th>
            <Table.Th>What happened</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((r) => {
            const verdict = VERDICT[runVerdict(r)];
            return (
              <Table.Tr key={r.runId} data-testid="run">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatShortDateTime(r.startedAt)}</Table.Td>
                <Table.Td>{r.job === 'iv' ? 'IV' : 'SCM'}</Table.Td>
                <Table.Td>{TRIGGER[r.trigger]}</Table.Td>
                <Table.Td>
                  <Badge color={verdict.color} data-outcome={r.outcome}>
                    {verdict.word}
                  </Badge>
                </Table.Td>
                <Table.Td>{runWords(r)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
