import { Alert, Button, Group, Kbd, Stack, Text, Title } from '@mantine/core';
import { IconCode, IconSend } from '@tabler/icons-react';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { EntryWarning } from '../../../../shared/master-data';
import { isLargeQuantity } from '../../../../shared/quantity-check';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { ApprovalModal, type Override, rpcApproved } from '../../components/ApprovalModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import {
  focusLostWithDialog,
  type KnownOnHand,
  LargeQuantityModal,
} from '../../components/LargeQuantityModal';
import { rpc } from '../../rpc/client';
import { isRpcError } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';
import { usePreferences } from '../../state/preferences-context';
import { EntryCautions } from '../scan/EntryCautions';
import { DeveloperReferenceModal } from './DeveloperReferenceModal';
import { KeptValues, lastKnownOnHand } from './EntryAids';
import { EntryFields } from './EntryFields';
import {
  bringsNewValue,
  clearKept,
  FIELD_ORDER,
  type FormErrors,
  type FormValues,
  formMemory,
  initialForm,
  keptValues,
  mapFieldErrors,
  nextForm,
  toLine,
  validate,
} from './form-model';
import { PostedConfirmation, PostedHistory, type PostedLine } from './PostedPanel';

const newId = (): string => crypto.randomUUID();

/**
 * Create transaction, keyboard first: Enter posts; after a post focus returns to Product
 * with the shared values kept. A scan's Enter with no quantity yet moves on to Quantity.
 */
export function CreateTransactionPage() {
  const suggestions = useRpc('suggestions.get', {});
  const settings = useRpc('settings.get', {});
  const reasons = useRpc('reasons.list', {});
  /** A line that needs a manager: their PIN or badge here, or the approval list. */
  const [approving, setApproving] = useState<{
    values: FormValues;
    lineId: string;
    confirmed: boolean;
    why: string;
  } | null>(null);
  /** The last line sent to the approval list from this window. */
  const [heldNotice, setHeldNotice] = useState<string | null>(null);
  const [values, setValues] = useState<FormValues | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [posting, setPosting] = useState(false);
  const [posted, setPosted] = useState<PostedLine[]>([]);
  const [cautions, setCautions] = useState<EntryWarning[]>([]);
  const [showDimensions, setShowDimensions] = useState(false);
  const [showReference, setShowReference] = useState(false);
  // One id per entry: a resend after a lost answer is recognised, not recorded twice.
  const [lineId, setLineId] = useState(newId);
  const fields = useRef(new Map<string, HTMLInputElement>());

  const { prefs, loaded: prefsLoaded, update: updatePrefs } = usePreferences();
  /** Escape in the caution dialog: Quantity gets the focus back once the dialog is gone. */
  const backToQuantity = useRef(false);
  // A large quantity, or an issue bigger than the last known on-hand, waits here for the clerk's confirmation.
  const [confirming, setConfirming] = useState<{
    values: FormValues;
    lineId: string;
    onHand: KnownOnHand | null;
    /** The pipeline's question, when it asked after the line was sent. */
    asked: string | null;
  } | null>(null);
  // The store's threshold (Settings → Entry), asked about before sending; the pipeline asks again.
  const threshold =
    settings.data?.entry.largeQuantityThreshold ?? DEFAULT_SETTINGS.entry.largeQuantityThreshold;
  const confirmation = useRef<HTMLDivElement>(null);
  // At 1024x700 the confirmation must be in view after a post, not above the fold.
  const lastPosted = posted[0]?.lineRecordId;
  useEffect(() => {
    if (lastPosted) confirmation.current?.scrollIntoView({ block: 'nearest' });
  }, [lastPosted]);

  useEffect(() => {
    if (values || suggestions.loading || settings.loading || !prefsLoaded) return;
    setValues(initialForm(suggestions.data, settings.data?.defaultOrganizationId ?? null, prefs.lastForm));
  }, [
    values,
    suggestions.loading,
    suggestions.data,
    settings.loading,
    settings.data,
    prefsLoaded,
    prefs.lastForm,
  ]);

  const register = useCallback(
    (field: string) => (el: HTMLInputElement | null) => {
      if (el) fields.current.set(field, el);
      else fields.current.delete(field);
    },
    [],
  );
  const focus = (field: string) => {
    const el = fields.current.get(field);
    el?.focus();
    el?.select?.();
  };
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((v) => (v ? { ...v, [key]: value } : v));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };

  const showErrors = (found: FormErrors) => {
    setErrors(found);
    const first = FIELD_ORDER.find((f) => found[f]);
    if (first) focus(first);
  };

  // Posts run one after another; the form is already reset for the next line while one is in flight.
  const inFlight = useRef<Promise<void>>(Promise.resolve());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    const found = validate(values, lineId);
    const fromProduct = document.activeElement === fields.current.get('productId');
    const onlyQuantityMissing =
      Object.keys(found).filter((k) => found[k]).length === 1 && found.quantity && values.quantity === '';
    if (fromProduct && onlyQuantityMissing) {
      focus('quantity');
      return;
    }
    if (Object.values(found).some(Boolean)) return showErrors(found);
    const line = toLine(values, lineId);
    const quantity = Number(line.quantity);
    if (isLargeQuantity(quantity, threshold)) {
      setConfirming({ values, lineId, onHand: null, asked: null });
      return;
    }
    if (quantity < 0) {
      // The store's last known on-hand, from the ledger's cache only (never waits on IV).
      void lastKnownOnHand(line).then((onHand) => {
        if (onHand && -quantity > onHand.total) setConfirming({ values, lineId, onHand, asked: null });
        else send(values, lineId);
      });
      return;
    }
    send(values, lineId);
  };

  /**
   * `confirmed`: the clerk said yes to this line's large quantity (the same id is sent again).
   * `approval`: a manager's PIN or badge for it, or `park` to send it to the approval list.
   */
  const send = (
    values: FormValues,
    lineId: string,
    confirmed = false,
    approval: { override?: Override; park?: boolean } = {},
  ) => {
    // Reset at once, before the answer: what the scanner types while this line is posted
    // belongs to the next line, and must not be wiped by a reset that comes later.
    const sent = { values, lineId };
    setValues(nextForm(values));
    setErrors({});
    setFailure(null);
    setLineId(newId());
    focus('productId');
    const post = async () => {
      setPosting(true);
      try {
        const line = toLine(sent.values, sent.lineId);
        const input = {
          line,
          instantIvSync: sent.values.instantIvSync,
          screen: 'create' as const,
          confirmedLargeQuantity: confirmed,
          park: approval.park ?? false,
        };
        const result = approval.override
          ? await rpcApproved('lines.create', input, approval.override)
          : await rpc('lines.create', input);
        updatePrefs({ lastForm: formMemory(sent.values) });
        if ('held' in result) {
          setHeldNotice(
            `${line.productId}, quantity ${line.quantity}: waiting for a manager’s approval (${result.why}). Nothing is stored or sent until a manager approves it.`,
          );
          return;
        }
        setHeldNotice(null);
        setPosted((p) =>
          [
            {
              ...result,
              quantity: Number(line.quantity),
              where: `${line.organizationId} / ${sent.values.siteId} / ${sent.values.locationId}`,
              at: new Date(),
            },
            ...p,
          ].slice(0, 20),
        );
        setCautions(result.warnings);
        // Suggestions scan the ledger: ask again only when this line brought a value they lack.
        if (bringsNewValue(sent.values, suggestions.data)) suggestions.reload();
      } catch (error) {
        // The line that failed comes back to the form to be put right (a refused id gets a new one).
        setValues(sent.values);
        setLineId(isRpcError(error) && error.code === 'conflict' ? newId() : sent.lineId);
        if (isRpcError(error) && error.code === 'needs_confirmation') {
          // The store's threshold changed since this page read it: ask now, and read it again.
          const asked = error.errors[0]?.message ?? error.message;
          setConfirming({ ...sent, onHand: null, asked });
          settings.reload();
          return;
        }
        if (isRpcError(error) && error.code === 'needs_approval') {
          const why = error.errors.map((e) => e.message).join('; ') || error.message;
          setApproving({ ...sent, confirmed, why });
          return;
        }
        if (approval.override) {
          // A refused PIN is said in the dialog, which stays open for another try.
          setApproving((a) => a ?? { ...sent, confirmed, why: '' });
          throw error;
        }
        const byField = isRpcError(error) ? mapFieldErrors(error.errors, sent.values) : {};
        if (Object.keys(byField).length > 0) setTimeout(() => showErrors(byField));
        if (!isRpcError(error) || error.code !== 'invalid_input' || byField.form) setFailure(error);
      } finally {
        setPosting(false);
      }
    };
    const done = inFlight.current.then(post);
    inFlight.current = done.catch(() => undefined);
    return done;
  };

  if (!values) return <Text c="dimmed">Loading…</Text>;
  const disabled = settings.data && !settings.data.enableFeature;
  return (
    <Stack maw={980}>
      <Group justify="space-between">
        <Title order={2}>Create transaction</Title>
        <Text size="sm" c="dimmed">
          <Kbd>Enter</Kbd> posts · <Kbd>Tab</Kbd> moves on
        </Text>
      </Group>
      {disabled && (
        <Alert color="yellow" title="Enable feature is off">
          Store Ledger refuses new lines until Enable feature is switched on under Settings.
        </Alert>
      )}
      <div ref={confirmation} style={{ scrollMarginTop: 72 }}>
        <PostedConfirmation posted={posted} />
      </div>
      {heldNotice && (
        <Alert color="yellow" title="Waiting for approval" role="status" data-testid="held-notice">
          {heldNotice}
        </Alert>
      )}
      <EntryCautions warnings={cautions} />
      <form
        onSubmit={submit}
        noValidate
        aria-label="Create transaction"
        onKeyDown={(e) => {
          // Escape clears what the form keeps for the next line (not while a list is open).
          if (e.key !== 'Escape' || (e.target as HTMLElement).getAttribute('aria-expanded') === 'true')
            return;
          if (keptValues(values).length === 0) return;
          e.preventDefault();
          setValues(clearKept(values));
          setErrors({});
          focus('productId');
        }}
      >
        <Stack>
          <EntryFields
            values={values}
            errors={errors}
            set={set}
            register={register}
            suggestions={suggestions.data}
            showDimensions={showDimensions}
            onToggleDimensions={() => setShowDimensions((s) => !s)}
            reasons={reasons.data ?? []}
            reasonRequired={settings.data?.entry.reasonRequired ?? false}
          />
          <ErrorAlert error={failure} title="Not posted" />
          <Group wrap="nowrap" align="center">
            {/* Never disabled while posting: a disabled submit button drops the next Enter. */}
            <Button type="submit" leftSection={<IconSend size={16} />} aria-busy={posting}>
              {posting ? 'Posting…' : 'Post'}
            </Button>
            <Button
              variant="default"
              leftSection={<IconCode size={16} />}
              onClick={() => setShowReference(true)}
            >
              Developer reference
            </Button>
            <Button
              variant="subtle"
              color="gray"
              onClick={() => {
                setValues(initialForm(suggestions.data, settings.data?.defaultOrganizationId ?? null));
                setErrors({});
                focus('productId');
              }}
            >
              Clear
            </Button>
            <KeptValues values={values} />
          </Group>
        </Stack>
      </form>
      <PostedHistory posted={posted} />
      <LargeQuantityModal
        question={
          confirming && {
            item: confirming.values.productId.trim(),
            quantity: Number(toLine(confirming.values, confirming.lineId).quantity),
            where: `${confirming.values.siteId.trim()} / ${confirming.values.locationId.trim()}`,
            onHand: confirming.onHand,
            asked: confirming.asked,
          }
        }
        threshold={threshold}
        verb="Post"
        cancelLabel="Back to Quantity"
        onConfirm={() => {
          // A yes to the on-hand question is no yes to a large quantity: the pipeline may still ask.
          if (confirming) send(confirming.values, confirming.lineId, confirming.onHand === null);
          setConfirming(null);
        }}
        onCancel={() => {
          setConfirming(null);
          backToQuantity.current = true;
          setTimeout(() => focus('quantity'));
        }}
        onClosed={() => {
          // Again once the dialog is gone: on a busy PC its focus trap can outlast the first try,
          // and the clerk's next keystrokes must land in Quantity; never away from a field in use.
          if (backToQuantity.current && focusLostWithDialog()) focus('quantity');
          backToQuantity.current = false;
        }}
      />
      <ApprovalModal
        why={approving?.why ?? null}
        onOverride={async (override) => {
          if (!approving) return;
          const { values: v, lineId: id, confirmed } = approving;
          await send(v, id, confirmed, { override });
          setApproving(null);
        }}
        onPark={async () => {
          if (!approving) return;
          const { values: v, lineId: id, confirmed } = approving;
          setApproving(null);
          await send(v, id, confirmed, { park: true });
        }}
        onCancel={() => {
          setApproving(null);
          setTimeout(() => focus('quantity'));
        }}
      />
      <DeveloperReferenceModal
        opened={showReference}
        onClose={() => setShowReference(false)}
        line={toLine(values, lineId)}
        instant={values.instantIvSync}
      />
    </Stack>
  );
}
