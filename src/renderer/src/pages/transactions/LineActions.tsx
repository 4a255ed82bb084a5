import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { correctVerdict, voidVerdict } from '../../../../shared/line-actions';
import { type ActorView, roleAtLeast } from '../../../../shared/people';
import { refusalWords } from '../../../../shared/rpc-roles';
import type { DetailedLine } from '../../../../shared/views';
import { rpcApproved, useManagerApproval } from '../../components/ApprovalModal';
import { formatDateTime, formatNumber } from '../../components/format';
import { ReasonModal } from '../../components/ReasonModal';
import { rpc } from '../../rpc/client';
import { href } from '../../state/router';
import { useSession } from '../../state/session-context';
import { CorrectModal } from './CorrectModal';

const lineHref = (lineRecordId: string) => href('transactions', { tab: 'detailed', line: lineRecordId });

/**
 * Void (a line Inventory Visibility cannot have counted) or Correct (any other, by its
 * reversing line and, when asked, the line it should have been), the links between a line and
 * its correction, and, when an action is not possible, why in words: a clerk
 * who expects Void on a line recorded a minute ago learns why it is Correct instead.
 */
/** A clerk voids and corrects their own lines; another person's (or one from before sign-in) needs a manager. */
function roleWhy(actor: ActorView | null, line: DetailedLine, doing: string): string | null {
  if (!actor) return null;
  const own = actor.id !== null && line.createdById === actor.id;
  return own || roleAtLeast(actor.role, 'manager') ? null : refusalWords(doing, 'manager', actor);
}

export function LineActions({ line, onChanged }: { line: DetailedLine; onChanged: () => void }) {
  const [voiding, setVoiding] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const { actor } = useSession();
  const byRole = roleWhy(actor, line, 'Voiding or correcting another person’s line');
  const canVoid = voidVerdict(line);
  const canCorrect = correctVerdict(line);
  // Why not Void, unless the line is voided (said above); why not Correct when neither is possible.
  const why: [string, string][] = [];
  if (!canVoid.ok && line.status !== 'Voided') why.push(['Void', canVoid.why]);
  if (!canCorrect.ok && !canVoid.ok) why.push(['Correct', canCorrect.why]);
  return (
    <Stack gap={6} data-testid="line-actions">
      {line.status === 'Voided' && (
        <Text size="sm">
          Voided {formatDateTime(line.voidedAt)} by {line.voidedBy}: <b>{line.voidReason}</b>
        </Text>
      )}
      {line.corrects && (
        <Text size="sm">
          Corrects <Anchor href={lineHref(line.corrects)}>the line it reverses</Anchor>
        </Text>
      )}
      {line.replaces && (
        <Text size="sm">
          Posted in place of <Anchor href={lineHref(line.replaces)}>the line it replaces</Anchor>
        </Text>
      )}
      {line.correctedBy && (
        <Text size="sm">
          Corrected by <Anchor href={lineHref(line.correctedBy)}>its reversing line</Anchor>
          {line.replacedBy && (
            <>
              {' '}
              and <Anchor href={lineHref(line.replacedBy)}>the line posted in its place</Anchor>
            </>
          )}
        </Text>
      )}
      {canVoid.ok && line.ivSending && (
        <Text size="sm" data-testid="line-action-sending">
          Store Ledger is sending this line to Inventory Visibility right now: Void waits for IV's answer,
          then voids the line or, if IV may have it, says so and offers Correct.
        </Text>
      )}
      {why.length > 0 && (
        <Stack gap={2} data-testid="line-action-why">
          {why.map(([action, words]) => (
            <Text size="sm" key={action}>
              <b>{action} is not possible:</b> {words}
            </Text>
          ))}
        </Stack>
      )}
      {(canVoid.ok || canCorrect.ok) && (
        <Group>
          {canVoid.ok && (
            <Button size="xs" variant="default" onClick={() => setVoiding(true)} disabled={byRole !== null}>
              Void…
            </Button>
          )}
          {canVoid.ok && byRole !== null && (
            // Another person's line: a manager approves the void right here with their PIN or badge.
            <Button size="xs" variant="default" onClick={() => setVoiding(true)}>
              Void with a manager’s approval…
            </Button>
          )}
          {canCorrect.ok && (
            <Button
              size="xs"
              variant="default"
              onClick={() => setCorrecting(true)}
              disabled={byRole !== null}
            >
              Correct…
            </Button>
          )}
          {canCorrect.ok && byRole !== null && (
            <Button size="xs" variant="default" onClick={() => setCorrecting(true)}>
              Correct with a manager’s approval…
            </Button>
          )}
          {byRole && (
            <Text size="xs" c="dimmed" data-testid="role-needed">
              {byRole}
            </Text>
          )}
        </Group>
      )}
      <VoidModal line={voiding ? line : null} onClose={() => setVoiding(false)} onDone={onChanged} />
      <CorrectModal line={correcting ? line : null} onClose={() => setCorrecting(false)} onDone={onChanged} />
    </Stack>
  );
}

function VoidModal(props: { line: DetailedLine | null; onClose: () => void; onDone: () => void }) {
  const { line } = props;
  const manager = useManagerApproval();
  return (
    <>
      {manager.dialog}
      <ReasonModal
        opened={line !== null}
        title="Void this line"
        confirmLabel="Void the line"
        confirmColor="red"
        failureTitle="Not voided"
        onClose={props.onClose}
        onConfirm={async (reason) => {
          if (!line) return;
          try {
            const input = { lineRecordId: line.lineRecordId, reason };
            await manager.run((override) =>
              override ? rpcApproved('lines.void', input, override) : rpc('lines.void', input),
            );
          } finally {
            // Voided or refused after IV's answer: the drawer shows the line as it is now.
            props.onDone();
          }
          notifications.show({
            color: 'green',
            title: 'Line voided',
            message: 'Kept for audit; it will not be sent.',
          });
        }}
      >
        <Text size="sm">
          {line?.productId}, quantity {formatNumber(line?.quantity)}: Inventory Visibility does not have it,
          so it is set aside and never sent. It stays in the ledger with the reason.
        </Text>
      </ReasonModal>
    </>
  );
}
