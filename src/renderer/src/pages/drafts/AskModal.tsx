import { Button, Group, Kbd, List, Modal, Stack, Text } from '@mantine/core';

export interface Question {
  title: string;
  /** One sentence per thing asked ("3 rows at or beyond 100: post them?"). */
  messages: string[];
  confirmLabel: string;
  /**
   * Whether answering Enter without looking should be "no": a re-imported file or deleting a
   * draft must be a deliberate yes, a large quantity the clerk just typed need not be.
   */
  safeDefaultIsNo: boolean;
  confirmColor?: string;
}

/**
 * One question before something that cannot be undone (Post batch, Delete draft): every
 * reason in one dialog, so the clerk answers once. Escape is always "no".
 */
export function AskModal(props: { question: Question | null; onAnswer: (yes: boolean) => void }) {
  const q = props.question;
  return (
    <Modal opened={q !== null} onClose={() => props.onAnswer(false)} title={q?.title} centered>
      <Stack>
        {q && q.messages.length === 1 ? (
          <Text size="sm" data-testid="question">
            {q.messages[0]}
          </Text>
        ) : (
          <List size="sm" data-testid="question">
            {q?.messages.map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
          </List>
        )}
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => props.onAnswer(false)}
            data-autofocus={q?.safeDefaultIsNo || undefined}
          >
            No, keep the draft <Kbd ml={6}>Esc</Kbd>
          </Button>
          <Button
            color={q?.confirmColor}
            onClick={() => props.onAnswer(true)}
            data-autofocus={q?.safeDefaultIsNo ? undefined : true}
          >
            {q?.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
