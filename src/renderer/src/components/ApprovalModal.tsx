import {
  Alert,
  Button,
  Group,
  Modal,
  NativeSelect,
  PasswordInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import type { RpcInput, RpcName, RpcOutputs } from '../../../shared/rpc';
import { rpc } from '../rpc/client';
import { errorMessage, isRpcError } from '../rpc/errors';
import { useSession } from '../state/session-context';

/** Mantine's mark on a key's target: no open modal closes on this Escape (see ApprovalModal). */
const STOP = 'data-mantine-stop-propagation';

/** A manager's PIN (with their name) or badge, sent beside an action (main's approvals/override.ts). */
export type Override = { personId: string; pin: string } | { badge: string };

/**
 * Said beside a button a manager approves on the spot, for someone whose role lacks it: the
 * button stays enabled, is tried, and a refusal for want of a manager opens the PIN/badge dialog.
 */
export const MANAGER_APPROVES = 'A manager approves this with their PIN or badge.';

/** Runs an action, asking a manager's approval if refused for want of one (useManagerApproval's `run`). */
export type ApprovalRun = <T>(action: (override?: Override) => Promise<T>) => Promise<T>;

/** An RPC approved by a manager on this one call: the override travels beside the input. */
export function rpcApproved<N extends RpcName>(
  name: N,
  input: RpcInput<N>,
  override: Override,
): Promise<RpcOutputs[N]> {
  return rpc(name, { ...(input as object), override } as RpcInput<N>);
}

/**
 * What needs a manager, asked right where the clerk is: a manager types their PIN (or scans
 * their badge) and the action runs approved by them; or the line is sent to the approval list,
 * where a manager decides later (nothing of it is stored or sent meanwhile). Main checks the PIN
 * or badge, with the same lockout as signing in.
 */
export function ApprovalModal(props: {
  /** Why it needs a manager, in the pipeline's words; null: closed. */
  why: string | null;
  /** Runs the action with the override; a refusal (a clerk's PIN, a wrong one) is shown here. */
  onOverride: (override: Override) => Promise<void>;
  /** Send it to the approval list instead (absent where the action cannot wait). */
  onPark?: () => Promise<void>;
  onCancel: () => void;
}) {
  const { session, actor } = useSession();
  const people = (session?.people ?? []).filter((p) => p.personId !== actor?.id);
  const [personId, setPersonId] = useState('');
  const [pin, setPin] = useState('');
  const [badge, setBadge] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const opened = props.why !== null;
  useEffect(() => {
    if (!opened) return;
    setPin('');
    setBadge('');
    setFailure(null);
  }, [opened]);
  const chosen = personId || people[0]?.personId || '';

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure(errorMessage(error));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const override: Override = badge.trim() ? { badge: badge.trim() } : { personId: chosen, pin };
    void run(() => props.onOverride(override));
  };
  // Escape cancels this dialog only. The dialog opens over another (a reason, a drawer), and every
  // open Mantine modal closes on an Escape seen by the window unless the key's target carries
  // data-mantine-stop-propagation (Mantine's use-modal.ts): its controls carry it and Escape is
  // handled here, so the clerk's reason and drawer stay as they were.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    props.onCancel();
  };
  const own = { [STOP]: 'true', onKeyDown } as const;
  return (
    <Modal
      opened={opened}
      onClose={props.onCancel}
      title="A manager must approve"
      centered
      size={520}
      closeButtonProps={own}
    >
      <form onSubmit={submit} aria-label="Manager approval">
        <Stack>
          <Text size="sm">{props.why}</Text>
          <NativeSelect
            label="Manager"
            data={people.map((p) => ({ value: p.personId, label: p.name }))}
            value={chosen}
            onChange={(e) => setPersonId(e.currentTarget.value)}
            data-autofocus
            {...own}
          />
          <PasswordInput
            label="Manager’s PIN"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.currentTarget.value)}
            {...own}
          />
          <TextInput
            label="Or scan the manager’s badge"
            autoComplete="off"
            value={badge}
            onChange={(e) => setBadge(e.currentTarget.value)}
            {...own}
          />
          {failure && (
            <Alert color="red" role="alert" title="Not approved">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onCancel} {...own}>
              Cancel
            </Button>
            {props.onPark && (
              <Button variant="light" onClick={() => void run(props.onPark!)} disabled={busy} {...own}>
                Send for approval
              </Button>
            )}
            <Button type="submit" loading={busy} {...own}>
              Approve
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Why a refusal needs a manager (a role the clerk lacks, or a line over the store's threshold), or null. */
function managerNeeded(error: unknown): string | null {
  if (!isRpcError(error)) return null;
  if (error.code === 'needs_approval') return error.errors.map((e) => e.message).join('; ') || error.message;
  if (error.code === 'forbidden' && /needs a manager/.test(error.message))
    return error.message.replace(/: ask one to sign in\.$/, '.');
  return null;
}

interface Asked {
  why: string;
  action: (override: Override) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: () => void;
}

/**
 * An action a manager may approve on the spot (voiding another person's line, applying a
 * count, posting a draft with lines over the store's threshold): `run` tries it as the person
 * signed in; refused for want of a manager, it asks for a manager's PIN or badge and runs it
 * again with it. Cancelled, the first refusal stands.
 */
export function useManagerApproval(): { run: ApprovalRun; dialog: ReactNode } {
  const [asked, setAsked] = useState<Asked | null>(null);
  const current = useRef<Asked | null>(null);
  current.current = asked;
  const run = useCallback(
    <T,>(action: (override?: Override) => Promise<T>): Promise<T> =>
      action().catch((error: unknown) => {
        const why = managerNeeded(error);
        if (why === null) throw error;
        return new Promise<T>((resolve, reject) =>
          setAsked({
            why,
            action,
            resolve: resolve as (value: unknown) => void,
            reject: () => reject(error),
          }),
        );
      }),
    [],
  );
  const dialog = (
    <ApprovalModal
      why={asked?.why ?? null}
      onOverride={async (override) => {
        const ask = current.current;
        if (!ask) return;
        const value = await ask.action(override);
        setAsked(null);
        ask.resolve(value);
      }}
      onCancel={() => {
        current.current?.reject();
        setAsked(null);
      }}
    />
  );
  return { run, dialog };
}
