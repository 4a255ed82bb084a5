import { Accordion, Badge, Code, Group, Stack, Text } from '@mantine/core';
import type { Attempt } from '../../../../shared/views';
import { formatDateTime } from '../../components/format';
import { clerkWords } from '../../components/words';

const OUTCOME = {
  ok: { color: 'teal.9', word: 'Done' },
  retry: { color: 'yellow.5', word: 'Will retry' },
  data: { color: 'red.8', word: 'Refused' },
  config: { color: 'orange.9', word: 'Check settings' },
} as const;

/** Every upstream exchange about the line: when, which job, what went and what came back. */
export function AttemptLog({ attempts, loading }: { attempts: Attempt[] | undefined; loading: boolean }) {
  if (loading && !attempts) return <Text c="dimmed">Loading the attempt log…</Text>;
  if (!attempts || attempts.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No attempts yet: nothing was sent upstream for this line.
      </Text>
    );
  return (
    <Accordion variant="separated" multiple data-testid="attempt-log">
      {attempts.map((a) => (
        <Accordion.Item key={a.attemptId} value={String(a.attemptId)}>
          <Accordion.Control>
            <Group gap="xs" wrap="nowrap">
              <Badge color={OUTCOME[a.outcome].color} miw={96} data-outcome={a.outcome}>
                {OUTCOME[a.outcome].word}
              </Badge>
              <Text size="sm">
                {a.job.toUpperCase()} · {a.action}
              </Text>
              <Text size="xs" c="dimmed" ml="auto">
                {formatDateTime(a.at)} · {a.durationMs} ms
              </Text>
            </Group>
          </Accordion.Control>
          <Accordion.Panel>
            <Stack gap="xs">
              {a.outcome !== 'ok' && (
                <Text size="sm">{clerkWords(a.response, a.job === 'iv' ? 'iv' : 'scm')}</Text>
              )}
              {/* The exchange as it was, for whoever troubleshoots (IT, support). */}
              <Text size="xs" fw={600}>
                Sent (for IT)
              </Text>
              <Code block style={{ whiteSpace: 'pre-wrap', maxHeight: 200, overflow: 'auto' }}>
                {a.request ?? '—'}
              </Code>
              <Text size="xs" fw={600}>
                Answer (for IT)
              </Text>
              <Code block style={{ whiteSpace: 'pre-wrap', maxHeight: 200, overflow: 'auto' }}>
                {a.response ?? '—'}
              </Code>
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}
